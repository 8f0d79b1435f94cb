# Simulated operating characteristics from rpact's getSimulationSurvival, for comparison
# with oligotrial's simulation (same designs; rpact simulates one-sided designs only).
# Run from this folder: Rscript simulation_reference.R  (writes simulation_reference.json)
suppressMessages({library(rpact); library(jsonlite)})
iterations <- 20000
scen <- list(
  list(name = "fixed-hr055", info = 1, events = 118, hr = 0.55, median = 3.1, n = 140, acc = 24, drop = 0.1, spending = "asOF"),
  list(name = "obf2-hr055", info = c(0.5, 1), events = c(59, 118), hr = 0.55, median = 3.1, n = 140, acc = 24, drop = 0.1, spending = "asOF"),
  list(name = "obf3-hr07", info = c(1/3, 2/3, 1), events = c(60, 120, 180), hr = 0.7, median = 6, n = 220, acc = 18, drop = 0.05, spending = "asOF"),
  list(name = "pocock3-hr065", info = c(1/3, 2/3, 1), events = c(40, 80, 120), hr = 0.65, median = 4, n = 150, acc = 12, drop = 0.2, spending = "asP"),
  list(name = "h0-obf3", info = c(1/3, 2/3, 1), events = c(40, 80, 120), hr = 1, median = 4, n = 150, acc = 12, drop = 0, spending = "asOF")
)
out <- list()
for (s in scen) {
  d <- getDesignGroupSequential(kMax = length(s$info), alpha = 0.025, sided = 1, beta = 0.1,
    typeOfDesign = if (length(s$info) == 1) "OF" else s$spending, informationRates = s$info)
  r <- getSimulationSurvival(d, median2 = s$median, hazardRatio = s$hr, accrualTime = c(0, s$acc),
    plannedEvents = s$events, maxNumberOfSubjects = s$n, dropoutRate1 = s$drop, dropoutRate2 = s$drop,
    dropoutTime = 12, directionUpper = FALSE, maxNumberOfIterations = iterations, seed = 20251124)
  out[[length(out) + 1]] <- c(s, list(iterations = iterations, z = d$criticalValues,
    power = r$overallReject, reject_per_look = as.numeric(r$rejectPerStage),
    mean_analysis_time = as.numeric(r$analysisTime), expected_duration = r$studyDuration,
    expected_subjects = r$expectedNumberOfSubjects, expected_events = r$expectedNumberOfEvents))
}
writeLines(toJSON(list(rpact_version = as.character(packageVersion("rpact")), scenarios = out),
  digits = NA, auto_unbox = TRUE, pretty = TRUE), "simulation_reference.json")
