# Reference values for oligotrial.stats.cox_ph with (start, stop] data and the robust
# (cluster) variance, computed by R's survival.
# Run from this directory:  Rscript cox_counting_reference.R
# Writes data/<name>.csv (the exact inputs), cox_counting_cases.csv (the models) and
# cox_counting_reference.csv (one row per value: case, quantity, term, value).
suppressPackageStartupMessages(library(survival))

datasets <- list()

# Stanford heart transplant (jasa1): transplant is a time-dependent covariate, one row per
# interval before and after the transplant; ties in the stop times
hrt <- with(survival::heart, data.frame(
  start = start, stop = stop, event = event, age = age, year = year, surgery = surgery,
  transplant = as.numeric(as.character(transplant)), id = id))
datasets$heart <- hrt

# bladder cancer recurrences: several events per patient, clustered by patient
bl <- with(survival::bladder2, data.frame(
  start = start, stop = stop, event = event, rx = rx - 1, number = number, size = size,
  id = id))
datasets$bladder <- bl

# rats (females): right-censored times clustered by litter
rt <- subset(survival::rats, sex == "f")
datasets$rats <- with(rt, data.frame(time = time, status = status, rx = rx, litter = litter))

# synthetic: delayed entry (0-4 months), visits every 3 months at which ctDNA detection and
# VAF change, events and ends of follow-up in whole months (many ties), two sites as strata
set.seed(20261206)
rows <- list()
for (i in 1:160) {
  arm <- rbinom(1, 1, 0.5)
  age <- round(rnorm(1, 62, 9))
  site <- sample(c("north", "south"), 1)
  t0 <- if (runif(1) < 0.3) sample(1:4, 1) else 0
  cens <- t0 + sample(4:24, 1)
  ct <- rbinom(1, 1, 0.5)
  vaf <- if (ct == 1) round(rexp(1, 1), 2) else 0
  repeat {
    t1 <- min(t0 + 3, cens)
    rate <- 0.06 * exp(-0.5 * arm + 0.9 * ct + 0.3 * vaf + 0.02 * (age - 62))
    ev <- t0 + rexp(1, rate)
    if (ev <= t1) {
      rows[[length(rows) + 1]] <- data.frame(start = t0, stop = ceiling(ev), event = 1,
        arm = arm, age = age, ctdna = ct, vaf = vaf, site = site, id = i)
      break
    }
    rows[[length(rows) + 1]] <- data.frame(start = t0, stop = t1, event = 0, arm = arm,
      age = age, ctdna = ct, vaf = vaf, site = site, id = i)
    if (t1 >= cens) break
    t0 <- t1
    ct <- rbinom(1, 1, if (ct == 1) 0.7 else 0.2)
    vaf <- if (ct == 1) round(rexp(1, 1), 2) else 0
  }
}
syn <- do.call(rbind, rows)
datasets$td_synthetic <- syn

# the same with start and stop times moved by ~1e-11 relative: ties for R (aeqSurv)
near <- syn
wiggle <- 1 + (seq_len(nrow(syn)) %% 3) * 1e-11
near$start <- near$start * wiggle
near$stop <- near$stop * rev(wiggle)
datasets$td_neartie <- near

# monotone likelihood split into two intervals per subject: every x = 1 subject fails
# before every x = 0 subject; R warns that the coefficient of x may be infinite
set.seed(7)
mono <- data.frame(start = 0, stop = 1:20, event = 1, x = rep(1:0, each = 10),
                   z = round(rnorm(20), 4), id = 1:20)
first <- transform(mono, stop = floor(stop / 2), event = 0)
second <- transform(mono, start = floor(stop / 2))
mono2 <- rbind(first[first$stop > 0, ], second)
datasets$monotone_counting <- mono2[order(mono2$id, mono2$start), ]

# no finite maximum: with iter.max = 3 R runs out of iterations and keeps the last point
datasets$nonconverging_counting <- data.frame(start = 0, stop = c(4, 2, 1, 2), event = 1,
  a = c(0, 0, 0, 1), b = c(0.98, -0.31, -0.33, -0.79))

for (nm in names(datasets)) write.csv(datasets[[nm]], file.path("data", paste0(nm, ".csv")),
                                      row.names = FALSE, na = "")

cases <- list(
  list(id = "heart_efron", data = "heart", covariates = c("age", "year", "surgery", "transplant")),
  list(id = "heart_breslow", data = "heart", covariates = c("age", "year", "surgery", "transplant"), ties = "breslow"),
  list(id = "heart_cluster_efron", data = "heart", covariates = c("age", "year", "surgery", "transplant"), cluster = "id"),
  list(id = "heart_cluster_breslow", data = "heart", covariates = c("age", "year", "surgery", "transplant"), cluster = "id", ties = "breslow"),
  list(id = "heart_transplant_efron", data = "heart", covariates = c("transplant"), cluster = "id"),
  list(id = "bladder_efron", data = "bladder", covariates = c("rx", "number", "size"), cluster = "id"),
  list(id = "bladder_breslow", data = "bladder", covariates = c("rx", "number", "size"), cluster = "id", ties = "breslow"),
  list(id = "synthetic_efron", data = "td_synthetic", covariates = c("arm", "age", "ctdna", "vaf"), strata = "site", cluster = "id"),
  list(id = "synthetic_breslow", data = "td_synthetic", covariates = c("arm", "age", "ctdna", "vaf"), strata = "site", cluster = "id", ties = "breslow"),
  list(id = "synthetic_nostrata_efron", data = "td_synthetic", covariates = c("arm", "ctdna", "vaf"), cluster = "id"),
  list(id = "synthetic_naive_efron", data = "td_synthetic", covariates = c("arm", "age", "ctdna", "vaf"), strata = "site"),
  list(id = "neartie_efron", data = "td_neartie", covariates = c("arm", "ctdna", "vaf"), cluster = "id"),
  list(id = "rats_cluster_efron", data = "rats", covariates = c("rx"), cluster = "litter"),
  list(id = "rats_cluster_breslow", data = "rats", covariates = c("rx"), cluster = "litter", ties = "breslow"),
  list(id = "rats_robust_rows_efron", data = "rats", covariates = c("rx"), robust = TRUE),
  list(id = "monotone_counting_efron", data = "monotone_counting", covariates = c("x", "z"), cluster = "id"),
  list(id = "nonconverging_counting_efron", data = "nonconverging_counting", covariates = c("a", "b"), iter_max = 3)
)

opt <- function(x) if (is.null(x)) "" else x
values <- list()
add <- function(case, quantity, term, value)
  values[[length(values) + 1]] <<- data.frame(case = case, quantity = quantity, term = term,
                                              value = sprintf("%.17g", value))
case_table <- list()
for (cs in cases) {
  d <- datasets[[cs$data]]
  ties <- if (is.null(cs$ties)) "efron" else cs$ties
  rhs <- paste(cs$covariates, collapse = " + ")
  if (!is.null(cs$strata)) rhs <- paste0(rhs, " + strata(", cs$strata, ")")
  if (!is.null(cs$cluster)) rhs <- paste0(rhs, " + cluster(", cs$cluster, ")")
  lhs <- if (cs$data == "rats") "Surv(time, status)" else "Surv(start, stop, event)"
  robust_arg <- if (is.null(cs$robust)) NULL else cs$robust
  iter_max <- if (is.null(cs$iter_max)) 20 else cs$iter_max
  warned <- character(0)
  fit <- withCallingHandlers(
    coxph(as.formula(paste(lhs, "~", rhs)), data = d, ties = ties, robust = robust_arg,
          iter.max = iter_max),
    warning = function(w) {
      warned <<- c(warned, conditionMessage(w)); invokeRestart("muffleWarning")})
  s <- summary(fit)
  robust <- !is.null(fit$naive.var)
  naive <- if (robust) fit$naive.var else fit$var
  p <- length(coef(fit))
  id <- cs$id
  for (j in seq_len(p)) {
    nm <- names(coef(fit))[j]
    add(id, "coef", nm, coef(fit)[j])
    add(id, "naive_se", nm, sqrt(naive[j, j]))
    add(id, "se", nm, sqrt(fit$var[j, j]))
    add(id, "hr_lower", nm, s$conf.int[j, "lower .95"])
    add(id, "hr_upper", nm, s$conf.int[j, "upper .95"])
    add(id, "z", nm, s$coefficients[j, "z"])
    add(id, "p_value", nm, s$coefficients[j, "Pr(>|z|)"])
    for (k in seq_len(p)) {
      add(id, "variance", paste(nm, names(coef(fit))[k]), fit$var[j, k])
      add(id, "naive_variance", paste(nm, names(coef(fit))[k]), naive[j, k])
    }
  }
  add(id, "loglik_null", "", fit$loglik[1])
  add(id, "loglik", "", fit$loglik[2])
  add(id, "wald_test", "", fit$wald.test)
  add(id, "score_test", "", fit$score)
  add(id, "lr_test", "", 2 * diff(fit$loglik))
  if (robust) add(id, "robust_score_test", "", fit$rscore)
  # proportional-hazards tests (cox.zph) of the converged (start, stop] fits
  if (lhs != "Surv(time, status)" && length(warned) == 0) {
    for (tr in c("km", "identity", "rank", "log")) {
      z <- cox.zph(fit, transform = tr)
      for (r in rownames(z$table)) {
        add(id, paste0("zph_", tr, "_chisq"), r, z$table[r, "chisq"])
        add(id, paste0("zph_", tr, "_p"), r, z$table[r, "p"])
      }
      for (i in seq_along(z$x)) add(id, paste0("zph_", tr, "_x"), i, z$x[i])
    }
    for (i in seq_along(z$time)) add(id, "zph_time", i, z$time[i])
    y <- as.matrix(z$y)
    for (i in seq_len(nrow(y))) for (j in seq_len(ncol(y)))
      add(id, "zph_y", paste(i, colnames(y)[j]), y[i, j])
  }
  add(id, "n", "", fit$n)
  add(id, "n_events", "", fit$nevent)
  add(id, "iterations", "", fit$iter)
  case_table[[length(case_table) + 1]] <- data.frame(
    id = id, data = cs$data, covariates = paste(cs$covariates, collapse = " "),
    strata = opt(cs$strata), cluster = opt(cs$cluster), ties = ties,
    robust = robust, iter_max = iter_max, warning = paste(warned, collapse = "; "))
}
write.csv(do.call(rbind, case_table), "cox_counting_cases.csv", row.names = FALSE)
write.csv(do.call(rbind, values), "cox_counting_reference.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("# %s, survival %s\n", R.version.string, packageVersion("survival")),
    file = "cox_counting_reference.version")
cat("wrote", length(case_table), "cases\n")
