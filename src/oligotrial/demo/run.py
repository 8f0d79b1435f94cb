"""``oligotrial demo``: a whole synthetic trial through the product, end to end.

Steps: a fresh SQLite database in the folder; sites, staff and the verified allocation
list; ~200 synthetic candidates screened by the eligibility engine; the eligible ones
consented and randomized by the randomization service (the synthetic outcomes are drawn
for the arm the service allocated); follow-up entered through the data-capture services
(audited); the analysis data sets exported from the database and derived by the endpoint
engine; the report. See :mod:`oligotrial.demo.calendar` for the dates.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from oligotrial.errors import InputError
from oligotrial.protocol import load_protocol

MANIFEST = "demo.json"
DATABASE = "trial.sqlite3"
DATASETS = "analysis"
#: everything a demo writes in its folder (``--force`` removes these and nothing else)
OWNED = (
    MANIFEST,
    DATABASE,
    f"{DATABASE}-wal",
    f"{DATABASE}-shm",
    DATASETS,
    "report.html",
    "report.pdf",
)
SCENARIOS = ("benefit", "null", "design")
Stage = Callable[[str, int], Callable[[], None]]


@dataclass(frozen=True)
class DemoOptions:
    out: Path
    seed: int = 7
    scenario: str = "benefit"
    n_patients: int = field(default_factory=lambda: load_protocol().design.planned_subjects)
    force: bool = False
    cutoff: dt.date | None = None
    xpt: bool = True
    formats: tuple[str, ...] = ("html", "pdf")
    #: an empty PostgreSQL (or SQLite) database to fill instead of the folder's SQLite file
    database_url: str | None = None


@dataclass(frozen=True)
class DemoResult:
    out: str
    database: str
    datasets: list[str]
    reports: list[str]
    seed: int
    scenario: str
    allocation_list_seed: int
    first_screening: str
    data_cutoff: str
    screened: int
    eligible: int
    randomized: int
    arms: dict[str, int]
    audit_entries: int
    audit_ok: bool
    seconds: dict[str, float] = field(default_factory=dict)


def existing_demo(out: Path) -> dict[str, object] | None:
    """The manifest of a demo already in ``out``, if any."""
    path = out / MANIFEST
    if not path.is_file():
        return None
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {"out": str(out)}
    return loaded if isinstance(loaded, dict) else {"out": str(out)}


def clear(out: Path) -> None:
    """Remove what an earlier demo wrote in ``out`` (only the demo's own files)."""
    for name in OWNED:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def _check(opts: DemoOptions) -> None:
    if opts.scenario not in SCENARIOS:
        raise InputError("--scenario", f"{opts.scenario!r} is not one of {', '.join(SCENARIOS)}")
    if not 4 <= opts.n_patients <= 2000:
        raise InputError("--patients", "must be between 4 and 2000")
    if opts.seed < 0:
        raise InputError("--seed", "must be 0 or more")
    if opts.out.exists() and not opts.out.is_dir():
        raise InputError("--out", f"{opts.out} exists and is not a folder")
    if opts.cutoff is not None and opts.cutoff >= dt.date.today():
        raise InputError("--cutoff", "the data cut-off must be before today")


def run_demo(opts: DemoOptions, stage: Stage) -> DemoResult:
    """Run the demo into ``opts.out`` (which holds no demo, or ``force``)."""
    _check(opts)
    opts.out.mkdir(parents=True, exist_ok=True)
    if opts.force:
        clear(opts.out)
    elif (opts.out / DATABASE).exists() and opts.database_url is None:
        raise InputError("--out", f"{opts.out / DATABASE} already exists; use --force")
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 2)
        clock = now

    from oligotrial.demo.calendar import data_cutoff, trial_start

    cutoff = opts.cutoff or data_cutoff()
    start = trial_start(opts.seed, opts.scenario, opts.n_patients, cutoff)
    step = stage("Creating the trial database", 3)
    from oligotrial.edc.settings import configure

    database = (opts.out / DATABASE).resolve()
    # the audit key and checkpoints stay in the demo folder, on PostgreSQL too
    audit_env = {
        **os.environ,
        "OLIGOTRIAL_AUDIT_DIR": os.environ.get("OLIGOTRIAL_AUDIT_DIR") or str(opts.out.resolve()),
    }
    choice = configure(database_url=opts.database_url or f"sqlite:///{database}", environ=audit_env)
    from oligotrial.demo import staff

    staff.connect(choice.description)
    staff.migrate()
    staff.require_empty(choice.description)
    step()
    people = staff.create_staff()
    step()
    list_seed = 20250000 + opts.seed
    staff.prepare_allocation_list(
        people.statistician, seed=list_seed, slots_per_stratum=max(opts.n_patients, 8)
    )
    step()
    lap("database")
    from oligotrial.demo.enrolment import ServiceAllocator
    from oligotrial.synth import simulate_trial

    allocator = ServiceAllocator(people.coordinators, stage)
    trial = simulate_trial(
        opts.seed,
        opts.scenario,
        n_patients=opts.n_patients,
        start=start,
        cutoff=cutoff,
        allocate=allocator,
    )
    lap("screening and randomization")
    from oligotrial.demo.follow_up import FollowUpEntry
    from oligotrial.edc import services

    entry = FollowUpEntry(people.coordinators, cutoff)
    step = stage("Entering follow-up (visits, scans, AEs, events)", len(trial.patients))
    for patient in trial.patients:
        entry.enter(patient)
        step()
    from oligotrial.demo.samples import import_results

    import_results(services.get_actor(staff.DATA_MANAGER), entry.received)
    lap("follow-up")
    step = stage("Exporting and deriving the analysis data sets", 2)
    from oligotrial.demo.analysis import analysis_data, read_database
    from oligotrial.demo.outputs import write_datasets, write_report

    data = analysis_data(read_database(staff.STATISTICIAN, cutoff))
    step()
    files = write_datasets(data, opts.out / DATASETS, xpt=opts.xpt)
    step()
    lap("export")
    step = stage("Writing the report", 1)
    source = (
        f"trial database {choice.description if opts.database_url else DATABASE} "
        f"(synthetic trial: scenario {opts.scenario}, "
        f"seed {opts.seed})"
    )
    reports = write_report(
        data, opts.out, source=source, formats=opts.formats, user=staff.STATISTICIAN
    )
    step()
    lap("report")
    from oligotrial.edc import services

    chain = services.verify_chain()
    arms: dict[str, int] = {}
    for p in trial.patients:
        arms[p.arm] = arms.get(p.arm, 0) + 1
    result = DemoResult(
        str(opts.out),
        choice.description if opts.database_url else str(opts.out / DATABASE),
        [str(f) for f in files],
        [str(r) for r in reports],
        opts.seed,
        opts.scenario,
        list_seed,
        start.isoformat(),
        cutoff.isoformat(),
        allocator.screened,
        allocator.eligible,
        len(trial.patients),
        dict(sorted(arms.items())),
        int(chain.entries),
        bool(chain.ok),
        timings,
    )
    (opts.out / MANIFEST).write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    return result
