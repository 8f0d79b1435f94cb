# Binomial reference values: Clopper-Pearson from R's binom.test; Miettinen-Nurminen
# (and Mee, without the N/(N-1) factor) written here from the published definition
# (Miettinen & Nurminen 1985): the restricted MLE is found by numerical maximisation of
# the binomial likelihood under p1 - p2 = d (not the closed-form cubic root used by the
# Python code), and the limits by uniroot. Run `Rscript binomial_reference.R` in this
# folder; writes binomial_reference.json (read by test_binomial_reference.py).
suppressPackageStartupMessages(library(jsonlite))

restricted_mle <- function(x1, n1, x2, n2, d) {
  # maximise the binomial log-likelihood over p2 with p1 = p2 + d, both in [0, 1], by
  # finding the root of its (decreasing) derivative
  lo <- max(0, -d); hi <- min(1, 1 - d)
  term <- function(k, p) if (k == 0) 0 else k / p
  dloglik <- function(p2) {
    p1 <- p2 + d
    term(x1, p1) - term(n1 - x1, 1 - p1) + term(x2, p2) - term(n2 - x2, 1 - p2)
  }
  tiny <- 1e-13 * (hi - lo)
  if (hi - lo <= 0) return(c(lo + d, lo))
  if (dloglik(lo + tiny) <= 0) return(c(lo + d, lo))
  if (dloglik(hi - tiny) >= 0) return(c(hi + d, hi))
  p2 <- uniroot(dloglik, c(lo + tiny, hi - tiny), tol = 1e-15)$root
  c(p2 + d, p2)
}

score <- function(d, x1, n1, x2, n2, correction) {
  p <- restricted_mle(x1, n1, x2, n2, d)
  v <- p[1] * (1 - p[1]) / n1 + p[2] * (1 - p[2]) / n2
  if (correction) v <- v * (n1 + n2) / (n1 + n2 - 1)
  diff <- x1 / n1 - x2 / n2 - d
  if (v <= 0) return(if (diff == 0) 0 else sign(diff) * Inf)
  diff / sqrt(v)
}

mn_interval <- function(x1, n1, x2, n2, level, correction) {
  z <- qnorm(1 - (1 - level) / 2)
  est <- x1 / n1 - x2 / n2
  eps <- 1e-12
  lower <- if (est <= -1 + eps || score(-1 + eps, x1, n1, x2, n2, correction) <= z) -1 else
    uniroot(function(d) score(d, x1, n1, x2, n2, correction) - z, c(-1 + eps, min(est, 1 - eps)),
            tol = 1e-14)$root
  upper <- if (est >= 1 - eps || score(1 - eps, x1, n1, x2, n2, correction) >= -z) 1 else
    uniroot(function(d) score(d, x1, n1, x2, n2, correction) + z, c(max(est, -1 + eps), 1 - eps),
            tol = 1e-14)$root
  c(lower, upper)
}

cp_cases <- list()
for (xn in list(c(0, 10), c(1, 10), c(7, 34), c(10, 10), c(33, 66), c(45, 132), c(1, 1))) {
  for (level in c(0.95, 0.9)) {
    ci <- binom.test(xn[1], xn[2], conf.level = level)$conf.int
    cp_cases[[length(cp_cases) + 1]] <- list(x = xn[1], n = xn[2], conf_level = level,
                                             lower = ci[1], upper = ci[2])
  }
}
mn_cases <- list()
tables <- list(c(7, 34, 1, 34), c(0, 16, 15, 72), c(56, 70, 48, 80), c(9, 10, 3, 10),
               c(6, 7, 2, 7), c(5, 56, 0, 29), c(0, 10, 0, 20), c(10, 10, 0, 20),
               c(20, 66, 12, 66), c(33, 66, 33, 66))
for (tb in tables) {
  for (correction in c(TRUE, FALSE)) {
    ci <- mn_interval(tb[1], tb[2], tb[3], tb[4], 0.95, correction)
    mn_cases[[length(mn_cases) + 1]] <- list(
      x1 = tb[1], n1 = tb[2], x2 = tb[3], n2 = tb[4], conf_level = 0.95,
      correction = correction, lower = ci[1], upper = ci[2])
  }
}
cases <- c(
  lapply(cp_cases, function(c) c(list(name = paste0("cp/", c$x, "of", c$n, "/", c$conf_level),
                                       kind = "clopper_pearson"), c)),
  lapply(mn_cases, function(c) c(list(name = paste0(if (c$correction) "mn/" else "mee/",
                                                    c$x1, "of", c$n1, "-", c$x2, "of", c$n2),
                                       kind = "miettinen_nurminen"), c)))
out <- list(cases = cases, r_version = R.version.string)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE), "binomial_reference.json")
