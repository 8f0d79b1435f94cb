# Log-rank reference values from R survival's survdiff: run `Rscript logrank_reference.R`
# in this folder; writes logrank_reference.json (read by test_logrank_reference.py).
source("datasets.R")
sets <- make_datasets()
cases <- list()
for (name in names(sets)) {
  d <- sets[[name]]
  if (length(unique(d$group)) < 2) next
  d$group <- factor(d$group)   # R orders groups by sorted level, as we do
  for (rho in c(0, 1, 0.5)) {
    for (stratified in c(FALSE, TRUE)) {
      if (stratified && length(unique(d$stratum)) < 2) next
      fit <- if (stratified) {
        survdiff(Surv(time, event) ~ group + strata(stratum), data = d, rho = rho)
      } else {
        survdiff(Surv(time, event) ~ group, data = d, rho = rho)
      }
      obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
      expd <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
      cases[[length(cases) + 1]] <- list(
        name = paste(name, paste0("rho", rho), if (stratified) "strata" else "plain", sep = "/"),
        dataset = name, rho = rho, stratified = stratified,
        groups = levels(d$group), chisq = fit$chisq, df = sum(expd > 0) - 1,
        p_value = pchisq(fit$chisq, sum(expd > 0) - 1, lower.tail = FALSE),
        observed = unname(obs), expected = unname(expd), variance = unname(c(fit$var)))
    }
  }
}
write_reference(list(cases = cases), "logrank_reference.json")
