# Reference values for oligotrial's design package, computed with rpact.
# Run from this folder: Rscript design_reference.R  (writes design_reference.json)
suppressMessages({library(rpact); library(jsonlite)})

spend <- c("obrien-fleming" = "asOF", "pocock" = "asP", "hwang-shih-decani" = "asHSD")
info_sets <- list(c(0.5, 1), c(0.3, 0.7, 1), c(1/3, 2/3, 1), c(0.25, 0.5, 0.75, 1), c(0.2, 0.45, 0.8, 1))
boundaries <- list()
for (sp in names(spend)) for (info in info_sets) for (sided in c(1, 2))
  for (ab in list(c(0.05, 0.9), c(0.025, 0.8), c(0.01, 0.95), c(0.1, 0.85))) {
    alpha <- ab[1]; power <- ab[2]
    if (sided == 1 && alpha > 0.05) next
    d <- getDesignGroupSequential(kMax = length(info), alpha = alpha, sided = sided,
      beta = 1 - power, typeOfDesign = spend[[sp]], informationRates = info,
      gammaA = if (sp == "hwang-shih-decani") -4 else NA_real_)
    ch <- getDesignCharacteristics(d)
    boundaries[[length(boundaries) + 1]] <- list(
      spending = sp, information = info, alpha = alpha, sides = sided, power = power, gamma = -4,
      z = d$criticalValues, cumulative_alpha = d$alphaSpent,
      inflation_factor = ch$inflationFactor, drift2 = ch$shift,
      reject_h1 = ch$rejectionProbabilities,
      expected_information_h1 = ch$averageSampleNumber1,
      expected_information_h0 = ch$averageSampleNumber0,
      expected_information_h01 = ch$averageSampleNumber01)
  }

# Non-binding fixed futility bounds, one-sided.
futility <- list()
for (fb in list(list(info = c(0.5, 1), f = 0), list(info = c(1/3, 2/3, 1), f = c(-0.5, 0.5)),
                list(info = c(0.25, 0.5, 0.75, 1), f = c(-1, 0, 1)))) {
  d <- getDesignGroupSequential(kMax = length(fb$info), alpha = 0.025, sided = 1, beta = 0.1,
    typeOfDesign = "asOF", informationRates = fb$info, futilityBounds = fb$f, bindingFutility = FALSE)
  ch <- getDesignCharacteristics(d)
  futility[[length(futility) + 1]] <- list(information = fb$info, futility = fb$f,
    z = d$criticalValues, inflation_factor = ch$inflationFactor,
    reject_h1 = ch$rejectionProbabilities, futility_h1 = ch$futilityProbabilities,
    expected_information_h1 = ch$averageSampleNumber1)
}

# Non-binding futility bounds from beta spending, one-sided.
beta_spending <- list()
bspend <- c("obrien-fleming" = "bsOF", "pocock" = "bsP", "hwang-shih-decani" = "bsHSD")
for (bs in names(bspend)) for (info in list(c(0.5, 1), c(1/3, 2/3, 1), c(0.25, 0.5, 0.75, 1)))
  for (ab in list(c(0.025, 0.8), c(0.025, 0.9), c(0.05, 0.85))) {
    d <- getDesignGroupSequential(kMax = length(info), alpha = ab[1], sided = 1, beta = 1 - ab[2],
      typeOfDesign = "asOF", typeBetaSpending = bspend[[bs]], bindingFutility = FALSE,
      informationRates = info, gammaB = if (bs == "hwang-shih-decani") -4 else NA_real_)
    ch <- getDesignCharacteristics(d)
    beta_spending[[length(beta_spending) + 1]] <- list(futility_spending = bs, information = info,
      alpha = ab[1], power = ab[2], futility = d$futilityBounds, z = d$criticalValues,
      inflation_factor = ch$inflationFactor, futility_h1 = ch$futilityProbabilities)
  }

# Sample sizes.
cases <- list(
  list(hr = 0.55, median = 3.1, alpha = 0.05, sides = 2, power = 0.9, r = 1, acc = 24, fu = 12, drop = 0.1, method = "Schoenfeld", info = c(0.5, 1), sp = "obrien-fleming"),
  list(hr = 0.55, median = 3.1, alpha = 0.05, sides = 2, power = 0.9, r = 1, acc = 24, fu = 12, drop = 0.1, method = "Schoenfeld", info = 1, sp = "obrien-fleming"),
  list(hr = 0.55, median = 3.1, alpha = 0.05, sides = 2, power = 0.9, r = 1, acc = 24, fu = 12, drop = 0.1, method = "Freedman", info = c(0.5, 1), sp = "obrien-fleming"),
  list(hr = 0.7, median = 6, alpha = 0.025, sides = 1, power = 0.8, r = 2, acc = 18, fu = 6, drop = 0.05, method = "Schoenfeld", info = c(1/3, 2/3, 1), sp = "pocock"),
  list(hr = 0.7, median = 6, alpha = 0.025, sides = 1, power = 0.8, r = 2, acc = 18, fu = 6, drop = 0.05, method = "Freedman", info = 1, sp = "pocock"),
  list(hr = 0.6, median = 12, alpha = 0.05, sides = 2, power = 0.85, r = 0.5, acc = 30, fu = 18, drop = 0.2, method = "Schoenfeld", info = c(0.25, 0.5, 0.75, 1), sp = "obrien-fleming"),
  list(hr = 1.5, median = 8, alpha = 0.05, sides = 2, power = 0.9, r = 1, acc = 12, fu = 24, drop = 0, method = "Schoenfeld", info = c(0.6, 1), sp = "pocock"),
  list(hr = 0.75, median = 4, alpha = 0.01, sides = 1, power = 0.9, r = 1, acc = 36, fu = 3, drop = 0.15, method = "Freedman", info = c(0.4, 0.7, 1), sp = "hwang-shih-decani")
)
samples <- list()
for (cs in cases) {
  d <- getDesignGroupSequential(kMax = length(cs$info), alpha = cs$alpha, sided = cs$sides,
    beta = 1 - cs$power, typeOfDesign = spend[[cs$sp]], informationRates = cs$info,
    gammaA = if (cs$sp == "hwang-shih-decani") -4 else NA_real_)
  s <- getSampleSizeSurvival(d, median2 = cs$median, hazardRatio = cs$hr, accrualTime = c(0, cs$acc),
    followUpTime = cs$fu, dropoutRate1 = cs$drop, dropoutRate2 = cs$drop, dropoutTime = 12,
    allocationRatioPlanned = cs$r, typeOfComputation = cs$method)
  out <- cs
  out$method <- tolower(cs$method)
  out$events_fixed <- s$eventsFixed
  out$events <- s$maxNumberOfEvents
  out$events_per_look <- as.numeric(s$eventsPerStage)
  out$subjects <- s$maxNumberOfSubjects
  out$analysis_times <- as.numeric(s$analysisTime)
  out$subjects_per_look <- as.numeric(s$numberOfSubjects)
  if (length(cs$info) > 1) {
    out$expected_events_h1 <- s$expectedEventsH1
    out$expected_subjects_h1 <- s$expectedNumberOfSubjectsH1
    out$expected_duration_h1 <- s$studyDuration
  }
  samples[[length(samples) + 1]] <- out
}

# Piecewise-exponential control hazard, and subjects given (follow-up solved).
d2 <- getDesignGroupSequential(kMax = 2, alpha = 0.05, sided = 2, beta = 0.1, typeOfDesign = "asOF", informationRates = c(0.5, 1))
pw <- getSampleSizeSurvival(d2, piecewiseSurvivalTime = c(0, 3, 9), lambda2 = c(0.3, 0.2, 0.1), hazardRatio = 0.6,
  accrualTime = c(0, 24), followUpTime = 12, dropoutRate1 = 0.1, dropoutRate2 = 0.1, dropoutTime = 12)
piecewise <- list(starts = c(0, 3, 9), hazards = c(0.3, 0.2, 0.1), hr = 0.6, events = pw$maxNumberOfEvents,
  subjects = pw$maxNumberOfSubjects, analysis_times = as.numeric(pw$analysisTime))
ms <- getSampleSizeSurvival(d2, median2 = 3.1, hazardRatio = 0.55, accrualTime = c(0, 24), maxNumberOfSubjects = 132,
  dropoutRate1 = 0.1, dropoutRate2 = 0.1, dropoutTime = 12)
given_subjects <- list(subjects = 132, follow_up = ms$followUpTime, analysis_times = as.numeric(ms$analysisTime))
pacc <- getSampleSizeSurvival(d2, median2 = 3.1, hazardRatio = 0.55, accrualTime = c(0, 6, 24),
  accrualIntensity = c(0.25, 0.75), followUpTime = 12, dropoutRate1 = 0.1, dropoutRate2 = 0.1, dropoutTime = 12)
piecewise_accrual <- list(ends = c(6, 24), intensity = c(0.25, 0.75), subjects = pacc$maxNumberOfSubjects,
  analysis_times = as.numeric(pacc$analysisTime))

writeLines(toJSON(list(rpact_version = as.character(packageVersion("rpact")),
  boundaries = boundaries, futility = futility, beta_spending = beta_spending,
  sample_sizes = samples, piecewise = piecewise,
  given_subjects = given_subjects, piecewise_accrual = piecewise_accrual),
  digits = NA, auto_unbox = TRUE, pretty = TRUE), "design_reference.json")
