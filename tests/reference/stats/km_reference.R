# Kaplan-Meier reference values from R survival: run `Rscript km_reference.R` in this
# folder; writes km_reference.json (read by test_km_reference.py).
source("datasets.R")
sets <- make_datasets()
cases <- list()
for (name in names(sets)) {
  d <- sets[[name]]
  for (ct in c("log", "log-log", "plain")) {
    for (by_group in c(FALSE, TRUE)) {
      if (by_group && length(unique(d$group)) < 2) next
      level <- if (ct == "plain") 0.9 else 0.95
      fit <- if (by_group) {
        survfit(Surv(time, event) ~ group, data = d, conf.type = ct, conf.int = level)
      } else {
        survfit(Surv(time, event) ~ 1, data = d, conf.type = ct, conf.int = level)
      }
      parts <- if (by_group) names(fit$strata) else "all"
      curves <- list()
      for (k in seq_along(parts)) {
        f <- if (by_group) fit[k] else fit
        q <- quantile(f, probs = c(0.1, 0.25, 0.5, 0.75))
        tab <- summary(f)$table
        curves[[k]] <- list(
          label = sub("^group=", "", parts[k]),
          time = f$time, n_risk = f$n.risk, n_event = f$n.event, n_censor = f$n.censor,
          surv = f$surv, std_err_log = f$std.err, std_err = f$surv * f$std.err,
          lower = f$lower, upper = f$upper,
          quantile_p = c(0.1, 0.25, 0.5, 0.75),
          quantile = unname(q$quantile), quantile_lower = unname(q$lower),
          quantile_upper = unname(q$upper),
          print_median = unname(tab[c("median", paste0(level, "LCL"), paste0(level, "UCL"))])
        )
      }
      cases[[length(cases) + 1]] <- list(
        name = paste(name, ct, if (by_group) "by_group" else "pooled", sep = "/"),
        dataset = name, conf_type = ct, conf_level = level, by_group = by_group,
        curves = curves)
    }
  }
}
write_reference(list(datasets = lapply(sets, data_json), cases = cases), "km_reference.json")
