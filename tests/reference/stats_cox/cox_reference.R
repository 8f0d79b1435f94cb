# Reference values for oligotrial.stats.cox_ph and cox_zph, computed by R's survival.
# Run from this directory:  Rscript cox_reference.R
# Writes data/*.csv (the exact inputs) and cox_reference.json (the expected values).
suppressPackageStartupMessages({library(survival); library(jsonlite)})

datasets <- list()

# lung: several covariates with missing values (rows with NA dropped, na.omit)
lung2 <- with(survival::lung, data.frame(
  time = time, status = status - 1, age = age, male = as.numeric(sex == 1),
  ph_ecog = ph.ecog, ph_karno = ph.karno, wt_loss = wt.loss, inst = inst))
datasets$lung <- lung2

# veteran: stratified by cell type
vet <- with(survival::veteran, data.frame(
  time = time, status = status, trt = trt - 1, karno = karno, age = age,
  diagtime = diagtime, prior = as.numeric(prior == 10), celltype = as.character(celltype)))
datasets$veteran <- vet

# ovarian: small, continuous and binary covariates
ova <- with(survival::ovarian, data.frame(
  time = futime, status = fustat, age = age, resid_ds = resid.ds - 1, rx = rx - 1,
  ecog_ps = ecog.ps - 1))
datasets$ovarian <- ova

# colon (recurrence records), time in whole months: heavy ties
col <- subset(survival::colon, etype == 1)
colon2 <- with(col, data.frame(
  time = ceiling(time / 30.4375), status = status,
  lev = as.numeric(rx == "Lev"), lev5fu = as.numeric(rx == "Lev+5FU"), sex = sex,
  age = age, nodes = nodes, obstruct = obstruct, perfor = perfor, adhere = adhere,
  extent = extent, surg = surg))
datasets$colon <- colon2

# synthetic: integer times 1..8 (many ties between events and censorings),
# four strata: one has a single subject, in one the arm does not vary
set.seed(20260101)
m <- 300
syn <- data.frame(
  time = sample(1:8, m, replace = TRUE), status = rbinom(m, 1, 0.6),
  arm = rbinom(m, 1, 0.5), score = round(rnorm(m, 50, 10), 1),
  grade = sample(-1:1, m, replace = TRUE),
  site = sample(c("north", "south"), m, replace = TRUE))
syn$site[1] <- "solo"
# a stratum in which arm does not vary: its scaled residuals for arm are NA in R
syn$site[2:9] <- "east"
syn$arm[2:9] <- 1
syn$status[2:9] <- 1
datasets$synthetic <- syn

# near ties: times that differ by ~1e-11 relative are ties for R (aeqSurv, timefix)
near <- syn[, c("time", "status", "arm", "score")]
near$time <- near$time * (1 + (seq_len(m) %% 3) * 1e-11)
datasets$neartie <- near

# monotone likelihood: every x = 1 subject fails before every x = 0 subject, so the
# coefficient of x is infinite; R warns "Loglik converged before variable 1"
set.seed(7)
mono <- data.frame(time = c(1:10, 11:20), status = 1, x = rep(1:0, each = 10),
                   z = round(rnorm(20), 4))
datasets$monotone <- mono

# no finite maximum and no convergence in 20 iterations: R warns "Ran out of iterations"
datasets$nonconverging <- data.frame(time = c(4, 2, 1, 2), status = 1, a = c(0, 0, 0, 1),
                                     b = c(0.98, -0.31, -0.33, -0.79))

for (nm in names(datasets)) write.csv(datasets[[nm]], file.path("data", paste0(nm, ".csv")),
                                      row.names = FALSE, na = "")

cases <- list(
  list(id = "lung_efron", data = "lung", covariates = c("age", "male", "ph_ecog", "ph_karno", "wt_loss")),
  list(id = "lung_breslow", data = "lung", covariates = c("age", "male", "ph_ecog", "ph_karno", "wt_loss"), ties = "breslow"),
  list(id = "lung_single", data = "lung", covariates = c("male")),
  list(id = "veteran_strata_efron", data = "veteran", covariates = c("trt", "karno", "age", "diagtime", "prior"), strata = "celltype"),
  list(id = "veteran_strata_breslow", data = "veteran", covariates = c("trt", "karno", "age", "diagtime", "prior"), strata = "celltype", ties = "breslow"),
  list(id = "veteran_efron", data = "veteran", covariates = c("trt", "karno", "age")),
  list(id = "ovarian_efron", data = "ovarian", covariates = c("age", "resid_ds", "rx", "ecog_ps")),
  list(id = "ovarian_breslow", data = "ovarian", covariates = c("age", "resid_ds", "rx", "ecog_ps"), ties = "breslow"),
  list(id = "colon_efron", data = "colon", covariates = c("lev", "lev5fu", "sex", "age", "nodes", "obstruct", "perfor", "adhere", "extent", "surg")),
  list(id = "colon_breslow", data = "colon", covariates = c("lev", "lev5fu", "sex", "age", "nodes", "obstruct", "perfor", "adhere", "extent", "surg"), ties = "breslow"),
  list(id = "colon_strata_efron", data = "colon", covariates = c("lev", "lev5fu", "age", "nodes"), strata = "extent"),
  list(id = "synthetic_efron", data = "synthetic", covariates = c("arm", "score", "grade")),
  list(id = "synthetic_breslow", data = "synthetic", covariates = c("arm", "score", "grade"), ties = "breslow"),
  list(id = "synthetic_strata_efron", data = "synthetic", covariates = c("arm", "score", "grade"), strata = "site"),
  list(id = "synthetic_strata_breslow", data = "synthetic", covariates = c("arm", "score", "grade"), strata = "site", ties = "breslow"),
  list(id = "neartie_efron", data = "neartie", covariates = c("arm", "score")),
  list(id = "nonconverging_efron", data = "nonconverging", covariates = c("a", "b")),
  list(id = "monotone_efron", data = "monotone", covariates = c("x", "z"))
)

test3 <- function(stat, df) list(statistic = unname(stat), df = unname(df), p_value = unname(pchisq(stat, df, lower.tail = FALSE)))

out <- list()
for (cs in cases) {
  d <- datasets[[cs$data]]
  ties <- if (is.null(cs$ties)) "efron" else cs$ties
  rhs <- paste(cs$covariates, collapse = " + ")
  if (!is.null(cs$strata)) rhs <- paste0(rhs, " + strata(", cs$strata, ")")
  f <- as.formula(paste("Surv(time, status) ~", rhs))
  warned <- character(0)
  fit <- withCallingHandlers(coxph(f, data = d, ties = ties), warning = function(w) {
    warned <<- c(warned, conditionMessage(w)); invokeRestart("muffleWarning")})
  s <- summary(fit)
  ci <- s$conf.int
  named <- function(v) as.list(setNames(unname(v), names(coef(fit))))
  res <- list(
    id = cs$id, data = cs$data, covariates = I(cs$covariates),
    strata = if (is.null(cs$strata)) NULL else cs$strata, ties = ties,
    coef = named(coef(fit)), se = I(sqrt(diag(fit$var))),
    hazard_ratio = named(exp(coef(fit))), hr_lower = named(ci[, "lower .95"]),
    hr_upper = named(ci[, "upper .95"]), z = named(s$coefficients[, "z"]),
    p_value = named(s$coefficients[, "Pr(>|z|)"]),
    loglik = fit$loglik[2], loglik_null = fit$loglik[1],
    wald_test = test3(fit$wald.test, length(coef(fit))),
    score_test = test3(fit$score, length(coef(fit))),
    lr_test = test3(2 * diff(fit$loglik), length(coef(fit))),
    n = fit$n, n_events = fit$nevent, iterations = fit$iter,
    variance = as.matrix(fit$var), warnings = I(warned))
  zph <- list()
  for (tr in c("km", "identity", "rank", "log")) {
    if (tr == "log" && any(d$time <= 0, na.rm = TRUE)) next
    z <- cox.zph(fit, transform = tr)
    tb <- z$table
    zph[[tr]] <- list(terms = I(rownames(tb)), chisq = unname(tb[, "chisq"]),
                      df = unname(tb[, "df"]), p = unname(tb[, "p"]), x = unname(z$x))
    # residuals (same for every transform) once, and not for the two largest cases
    if (tr == "km" && !(cs$id %in% c("colon_efron", "colon_breslow")))
      zph[[tr]] <- c(zph[[tr]], list(time = unname(z$time), y = unname(as.matrix(z$y))))
  }
  res$zph <- zph
  out[[cs$id]] <- res
}
meta <- list(r_version = R.version.string, survival_version = as.character(packageVersion("survival")))
writeLines(toJSON(list(meta = meta, cases = out), digits = NA, auto_unbox = TRUE, pretty = FALSE,
                  null = "null"), "cox_reference.json")
cat("wrote", length(out), "cases\n")
