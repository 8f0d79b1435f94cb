# Conditional power at an interim look, computed with rpact (getAnalysisResults).
# Run from this folder: Rscript monitoring_reference.R  (writes monitoring_reference.json)
suppressMessages({library(rpact); library(jsonlite)})
cases <- list(
  list(spending = "asOF", sides = 2, alpha = 0.05, info = c(0.5, 1), planned = c(59, 118), events = 59, z = -2.0, hr = 0.55),
  list(spending = "asOF", sides = 2, alpha = 0.05, info = c(0.5, 1), planned = c(59, 118), events = 59, z = -1.0, hr = 0.55),
  list(spending = "asP", sides = 1, alpha = 0.025, info = c(1/3, 2/3, 1), planned = c(60, 120, 180), events = 60, z = -1.5, hr = 0.7),
  list(spending = "asOF", sides = 1, alpha = 0.025, info = c(0.25, 0.5, 0.75, 1), planned = c(50, 100, 150, 200), events = 50, z = -0.8, hr = 0.65)
)
out <- list()
for (cs in cases) {
  d <- getDesignGroupSequential(kMax = length(cs$info), alpha = cs$alpha, sided = cs$sides, beta = 0.1,
    typeOfDesign = cs$spending, informationRates = cs$info)
  ds <- getDataset(overallEvents = cs$events, overallLogRanks = cs$z, overallAllocationRatios = 1)
  remaining <- diff(cs$planned)
  trend_hr <- exp(cs$z * 2 / sqrt(cs$events))
  cp <- c()
  for (theta in c(trend_hr, cs$hr)) {
    r <- suppressMessages(getAnalysisResults(d, ds, directionUpper = FALSE, nPlanned = remaining, thetaH1 = theta))
    cp <- c(cp, max(r$conditionalPower, na.rm = TRUE))  # cumulative over the remaining looks
  }
  cs$spending <- ifelse(cs$spending == "asOF", "obrien-fleming", "pocock")
  out[[length(out) + 1]] <- c(cs, list(conditional_power_trend = cp[1], conditional_power_design = cp[2],
    bound = d$criticalValues[1]))
}
d2 <- getDesignGroupSequential(kMax = 2, alpha = 0.05, sided = 2, beta = 0.1, typeOfDesign = "asOF", informationRates = c(0.5, 1))
p <- getPowerSurvival(d2, median2 = 3.1, hazardRatio = 0.55, accrualTime = c(0, 24), maxNumberOfSubjects = 132,
  maxNumberOfEvents = 118, dropoutRate1 = 0.1, dropoutRate2 = 0.1, dropoutTime = 12, directionUpper = FALSE)
writeLines(toJSON(list(conditional_power = out, power_118_events = p$overallReject), digits = NA,
  auto_unbox = TRUE, pretty = TRUE), "monitoring_reference.json")
