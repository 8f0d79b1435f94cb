# Median survival and its confidence interval as R's printed survfit table gives them
# (print(fit), summary(fit)$table, shown by survminer): run `Rscript km_median_reference.R`
# in this folder; writes km_median_reference.json (read by test_km_median_reference.py).
# Both print and summary take the table from survival:::survmean; the script checks that
# they agree and records quantile.survfit's answer beside it, since the two rules differ.
source("datasets.R")
sets <- make_datasets()
cases <- list()
table_of <- function(f, level) {
  tab <- summary(f)$table
  cols <- c("median", paste0(level, "LCL"), paste0(level, "UCL"))
  printed <- survival:::survmean(f, rmean = "none")$matrix  # what print(fit) shows
  if (is.matrix(tab)) {
    stopifnot(isTRUE(all.equal(tab[, cols], printed[, cols])))
    lapply(seq_len(nrow(tab)), function(i) unname(tab[i, cols]))
  } else {
    stopifnot(isTRUE(all.equal(tab[cols], printed[cols])))
    list(unname(tab[cols]))
  }
}
for (name in c("aml", "lung", "veteran", "ovarian", "colon", "synthetic_ties", "flat_half",
               "flat_half_at_end")) {
  d <- sets[[name]]
  for (ct in c("log", "log-log", "plain")) {
    for (by_group in c(FALSE, TRUE)) {
      if (by_group && length(unique(d$group)) < 2) next
      fit <- if (by_group) {
        survfit(Surv(time, event) ~ group, data = d, conf.type = ct)
      } else {
        survfit(Surv(time, event) ~ 1, data = d, conf.type = ct)
      }
      q <- quantile(fit, probs = 0.5)
      labels <- if (by_group) sub("^group=", "", names(fit$strata)) else "all"
      tab <- table_of(fit, 0.95)
      curves <- lapply(seq_along(labels), function(k) list(
        label = labels[k], table = tab[[k]],
        quantile_survfit = unname(c(q$quantile[k], q$lower[k], q$upper[k]))))
      cases[[length(cases) + 1]] <- list(
        name = paste(name, ct, if (by_group) "by_group" else "pooled", sep = "/"),
        dataset = name, conf_type = ct, conf_level = 0.95, by_group = by_group,
        curves = curves)
    }
  }
}
write_reference(list(cases = cases), "km_median_reference.json")
