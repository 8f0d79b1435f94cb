# Data sets shared by the reference scripts: public data shipped with R's survival
# package, plus small synthetic sets with heavy ties, flat stretches at S = 0.5 and
# times that differ only by floating-point noise. Events are coded 0/1.
suppressPackageStartupMessages({library(survival); library(jsonlite)})

make_datasets <- function() {
  set.seed(20260101)
  syn_n <- 300
  syn <- data.frame(
    time = round(rexp(syn_n, 0.1)),              # heavy ties, events and censorings tied
    event = rbinom(syn_n, 1, 0.6),
    group = sample(c("A", "B", "C"), syn_n, replace = TRUE),
    stratum = sample(c("s1", "s2"), syn_n, replace = TRUE)
  )
  syn$time <- pmax(syn$time, 0)
  # curve that sits exactly at 0.5 between two event times (midpoint rule)
  flat <- data.frame(time = c(1, 2, 3, 4, 5, 6), event = c(1, 1, 1, 0, 1, 1),
                     group = "x", stratum = "s")
  flat2 <- data.frame(time = c(1, 2, 3, 4, 5, 6), event = c(1, 1, 1, 0, 0, 0),
                      group = "x", stratum = "s")  # ends flat at 0.5
  near <- data.frame(time = c(1.1 + 2.2, 3.3, 3.3, 1, 2, 5, 5 + 1e-10, 6, 7, 8),
                     event = c(1, 0, 1, 1, 0, 1, 1, 0, 1, 0),
                     group = c("a", "b", "a", "b", "a", "b", "a", "b", "a", "b"),
                     stratum = "s")
  lung2 <- lung[!is.na(lung$ph.ecog), ]
  list(
    lung = data.frame(time = lung$time, event = lung$status - 1, group = lung$sex,
                      stratum = "s"),
    lung_ecog = data.frame(time = lung2$time, event = lung2$status - 1,
                           group = lung2$ph.ecog, stratum = lung2$sex),
    veteran = data.frame(time = veteran$time, event = veteran$status,
                         group = as.character(veteran$celltype), stratum = veteran$trt),
    ovarian = data.frame(time = ovarian$futime, event = ovarian$fustat, group = ovarian$rx,
                         stratum = ovarian$resid.ds),
    colon = data.frame(time = colon$time[colon$etype == 2],
                       event = colon$status[colon$etype == 2],
                       group = as.character(colon$rx[colon$etype == 2]),
                       stratum = colon$sex[colon$etype == 2]),
    aml = data.frame(time = aml$time, event = aml$status, group = as.character(aml$x),
                     stratum = "s"),
    synthetic_ties = syn,
    flat_half = flat,
    flat_half_at_end = flat2,
    near_ties = near
  )
}

data_json <- function(d) {
  list(time = d$time, event = d$event, group = d$group, stratum = d$stratum)
}

write_reference <- function(x, path) {
  x$r_version <- R.version.string
  x$survival_version <- as.character(packageVersion("survival"))
  writeLines(toJSON(x, digits = NA, na = "null", auto_unbox = TRUE, null = "null"), path)
}
