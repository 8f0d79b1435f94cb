# RMST reference values from R survival: print(survfit(...), rmean = tau) via
# summary(fit, rmean = tau)$table; run `Rscript rmst_reference.R` in this folder;
# writes rmst_reference.json (read by test_rmst_reference.py).
source("datasets.R")
sets <- make_datasets()
cases <- list()
for (name in names(sets)) {
  d <- sets[[name]]
  d$group <- factor(d$group)
  grouped <- length(levels(d$group)) >= 2
  largest <- min(tapply(d$time, d$group, max))
  event_times <- sort(unique(d$time[d$event == 1 & d$time <= 0.8 * largest]))
  taus <- unique(c(0.6 * largest, event_times[length(event_times)], largest))
  for (tau in taus) {
    for (by_group in unique(c(FALSE, grouped))) {
      fit <- if (by_group) survfit(Surv(time, event) ~ group, data = d)
             else survfit(Surv(time, event) ~ 1, data = d)
      tab <- summary(fit, rmean = tau)$table
      if (!is.matrix(tab)) tab <- matrix(tab, nrow = 1, dimnames = list(NULL, names(tab)))
      cases[[length(cases) + 1]] <- list(
        name = paste(name, paste0("tau", signif(tau, 6)), if (by_group) "by_group" else "pooled",
                     sep = "/"),
        dataset = name, tau = tau, by_group = by_group,
        groups = if (by_group) levels(d$group) else list(),
        rmst = unname(tab[, "rmean"]), se = unname(tab[, "se(rmean)"]))
    }
  }
}
write_reference(list(cases = cases), "rmst_reference.json")
