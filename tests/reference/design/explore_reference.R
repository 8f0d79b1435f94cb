# One cell of a design-exploration grid simulated with rpact's getSimulationSurvival, for
# comparison with `oligotrial design explore` on the same cell (explore_reference.yaml):
# one-sided alpha 0.025, looks at 40%, 70% and 100% of 200 events, O'Brien-Fleming-type
# alpha spending, non-binding futility bounds from O'Brien-Fleming-type beta spending
# (beta 0.1), HR 0.7, control median 6 months, 300 subjects accrued over 18 months,
# exponential dropout 5% at 12 months in both arms, evenly spaced entry and alternating
# allocation (rpact's conventions).
# Run from this folder: Rscript explore_reference.R  (writes explore_reference.csv)
suppressMessages(library(rpact))
iterations <- 100000
d <- getDesignGroupSequential(kMax = 3, alpha = 0.025, sided = 1, beta = 0.1,
  typeOfDesign = "asOF", informationRates = c(0.4, 0.7, 1),
  typeBetaSpending = "bsOF", bindingFutility = FALSE)
r <- getSimulationSurvival(d, median2 = 6, hazardRatio = 0.7, accrualTime = c(0, 18),
  plannedEvents = c(80, 140, 200), maxNumberOfSubjects = 300,
  dropoutRate1 = 0.05, dropoutRate2 = 0.05, dropoutTime = 12, directionUpper = FALSE,
  maxNumberOfIterations = iterations, seed = 20261206)
raw <- getData(r)
last <- raw[!duplicated(raw$iterationNumber, fromLast = TRUE), ]  # the stage each trial stops at
duration <- last$analysisTime
events <- last$overallEvents1 + last$overallEvents2
stopifnot(nrow(last) == iterations, abs(mean(duration) - r$studyDuration) < 1e-9,
  abs(mean(events) - r$expectedNumberOfEvents) < 1e-9)
p_se <- function(p) sqrt(p * (1 - p) / iterations)
eff <- as.numeric(r$rejectPerStage)
fut <- as.numeric(r$futilityPerStage)
out <- data.frame(
  quantity = c("power", "expected_events", "expected_duration",
    paste0("efficacy_", 1:3), paste0("futility_", 1:2),
    paste0("efficacy_bound_", 1:3), paste0("futility_bound_", 1:2)),
  value = c(r$overallReject, mean(events), mean(duration), eff, fut,
    d$criticalValues, d$futilityBounds),
  se = c(p_se(r$overallReject), sd(events) / sqrt(iterations), sd(duration) / sqrt(iterations),
    p_se(eff), p_se(fut), rep(NA, 5)))
write.csv(out, "explore_reference.csv", row.names = FALSE, na = "")
cat("rpact", as.character(packageVersion("rpact")), "iterations", iterations, "\n")
