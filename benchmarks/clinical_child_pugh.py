"""Child-Pugh for many patients: the numpy array form against a per-patient loop.

Run: python benchmarks/clinical_child_pugh.py [n_patients]

Both forms score the same random patients (seeded); the script checks that they agree
and prints the time of each and the speed-up. Timings are the best of three runs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np

from oligotrial.clinical.child_pugh import (
    ASCITES_CODES,
    ENCEPHALOPATHY_CODES,
    child_pugh,
    child_pugh_score_array,
)

SEED = 20260101


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(n: int) -> None:
    rng = np.random.default_rng(SEED)
    bilirubin = rng.lognormal(np.log(25.0), 0.6, n)
    albumin = rng.normal(35.0, 6.0, n).clip(10.0, 60.0)
    inr = rng.lognormal(np.log(1.2), 0.25, n)
    ascites = rng.integers(1, 4, n)
    enceph = rng.integers(1, 4, n)
    asc_names = list(ASCITES_CODES)
    enc_names = list(ENCEPHALOPATHY_CODES)

    def loop() -> list[int]:
        return [
            child_pugh(
                bilirubin_umol_l=float(bilirubin[k]),
                albumin_g_l=float(albumin[k]),
                inr=float(inr[k]),
                ascites=asc_names[ascites[k] - 1],
                encephalopathy=enc_names[enceph[k] - 1],
            ).score
            for k in range(n)
        ]

    def vectorised() -> np.ndarray:
        return child_pugh_score_array(bilirubin, albumin, inr, ascites, enceph)

    if loop() != vectorised().tolist():
        raise SystemExit("array and scalar forms disagree")
    t_loop = best_of(3, loop)
    t_array = best_of(3, vectorised)
    print(f"patients: {n:,} (seed {SEED})")
    print(f"per-patient loop (child_pugh):   {t_loop:8.4f} s")
    print(f"array form (child_pugh_score_array): {t_array:8.4f} s")
    print(f"speed-up: {t_loop / t_array:,.0f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
