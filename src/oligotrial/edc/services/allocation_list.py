"""Generating, storing and verifying the allocation list (statisticians only).

The list is generated from a recorded seed before go-live, stored slot by slot with its
fingerprint, and can be verified at any time by regenerating it from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

from oligotrial.edc.models import (
    AllocationList,
    AllocationSlot,
    Role,
    Site,
    Staff,
    StratumCursor,
    TrialState,
)
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, require_role, require_unlocked
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_int
from oligotrial.edc.trial_config import SITE_FACTOR, TrialConfig, current_config
from oligotrial.errors import InputError, StateError
from oligotrial.randomization import (
    GENERATOR,
    Difference,
    Factor,
    ListParameters,
    MinimizationSettings,
    Slot,
    Verification,
    all_strata,
    generate_list,
    replay,
    slots_fingerprint,
    stratum_slots,
    verify_list,
)

STATISTICIAN = frozenset({Role.STATISTICIAN})


def list_parameters(record: AllocationList) -> ListParameters:
    return ListParameters(
        seed=int(record.seed),
        arms=tuple(record.arms),
        ratio=tuple(int(r) for r in record.ratio),
        block_sizes=tuple(int(b) for b in record.block_sizes),
        factors=tuple(Factor(name, tuple(levels)) for name, levels in record.factors),
        slots_per_stratum=int(record.slots_per_stratum),
    )


def active_list() -> AllocationList:
    record = AllocationList.objects.filter(active=True).first()
    if record is None:
        raise StateError(
            "no allocation list has been generated; a statistician must run "
            "'oligotrial randomization generate' before the first randomization"
        )
    return record


@atomic_service
def generate_allocation_list(
    actor: Staff, *, seed: int, slots_per_stratum: int, config: TrialConfig | None = None
) -> AllocationList:
    """Generate and store the list for every stratum of the active sites (once; two calls at
    once make one list: the trial state row is locked first)."""
    actor = current_actor(actor)
    require_role(actor, STATISTICIAN, "generating the allocation list")
    require_int(seed, "seed")
    if not 0 <= seed < 2**63:
        raise InputError("seed", "must be between 0 and 2^63 - 1")
    require_int(slots_per_stratum, "slots_per_stratum")
    if not 1 <= slots_per_stratum <= 100_000:
        raise InputError("slots_per_stratum", "must be between 1 and 100000")
    TrialState.objects.select_for_update().filter(id=1).first()
    require_unlocked()
    if AllocationList.objects.filter(active=True).exists():
        raise StateError("an allocation list is already in force; it cannot be replaced")
    config = config or current_config()
    sites = list(Site.objects.filter(active=True).values_list("code", flat=True))
    if not sites:
        raise StateError("no active site; add the sites before generating the list")
    factors = config.stratification(sites)
    params = ListParameters(
        seed=seed,
        arms=config.arms,
        ratio=config.ratio,
        block_sizes=config.block_sizes,
        factors=factors,
        slots_per_stratum=slots_per_stratum,
    )
    generated = generate_list(params) if config.method == "permuted_blocks" else None
    if config.method not in {"permuted_blocks", "minimization"}:
        raise InputError("randomization.method", f"unknown method {config.method!r}")
    record = AllocationList.objects.create(
        method=config.method,
        protocol_id=config.protocol_id,
        protocol_version=config.protocol_version,
        seed=seed,
        arms=list(config.arms),
        ratio=list(config.ratio),
        block_sizes=list(config.block_sizes),
        factors=[[f.name, list(f.levels)] for f in factors],
        p_best=config.p_best,
        slots_per_stratum=slots_per_stratum,
        generator=GENERATOR,
        fingerprint=generated.fingerprint if generated else "",
        generated_by=actor,
    )
    if generated is not None:
        AllocationSlot.objects.bulk_create(
            [
                AllocationSlot(
                    allocation_list=record,
                    stratum=s.stratum,
                    sequence=s.sequence,
                    block=s.block,
                    block_size=s.block_size,
                    arm=s.arm,
                )
                for s in generated.slots
            ],
            batch_size=2000,
        )
        StratumCursor.objects.bulk_create(
            [StratumCursor(allocation_list=record, stratum=k) for k in all_strata(factors)]
        )
    summary = audit.snapshot(record)
    summary["seed"] = "(recorded; statisticians only)"
    audit.append(actor, "generate", record, audit.changes_between(None, summary))
    return record


@atomic_service
def extend_for_new_sites(actor: Staff) -> list[str]:
    """Add the strata of sites opened after go-live (same seed; existing strata unchanged).

    Each stratum draws from its own stream (seed, stratum key), so the extended list equals
    the one that would have been generated with every site from the start.
    """
    actor = current_actor(actor)
    require_unlocked()
    require_role(actor, STATISTICIAN, "extending the allocation list")
    record = AllocationList.objects.select_for_update().get(pk=active_list().pk)
    factors = [[name, list(levels)] for name, levels in record.factors]
    site_factor = next((f for f in factors if f[0] == SITE_FACTOR), None)
    if site_factor is None:
        raise StateError("the list is not stratified by site")
    known = set(site_factor[1])
    new_sites = [
        c for c in Site.objects.filter(active=True).values_list("code", flat=True) if c not in known
    ]
    if not new_sites:
        return []
    before = {"factors": record.factors, "fingerprint": record.fingerprint}
    site_factor[1] = [*site_factor[1], *new_sites]
    record.factors = factors
    params = list_parameters(record)
    old_strata = set(record.slots.values_list("stratum", flat=True).distinct())
    added = [k for k in all_strata(params.factors) if k not in old_strata]
    if record.method == "permuted_blocks":
        AllocationSlot.objects.bulk_create(
            [
                AllocationSlot(
                    allocation_list=record,
                    stratum=s.stratum,
                    sequence=s.sequence,
                    block=s.block,
                    block_size=s.block_size,
                    arm=s.arm,
                )
                for k in added
                for s in stratum_slots(params, k)
            ],
            batch_size=2000,
        )
        StratumCursor.objects.bulk_create(
            [StratumCursor(allocation_list=record, stratum=k) for k in added]
        )
        record.fingerprint = slots_fingerprint(stored_slots(record))
    record.save(update_fields=["factors", "fingerprint"])
    audit.append(
        actor,
        "update",
        record,
        audit.changes_between(
            before, {"factors": record.factors, "fingerprint": record.fingerprint}
        ),
        reason=f"sites opened: {', '.join(new_sites)}",
    )
    return added


def stored_slots(record: AllocationList) -> list[Slot]:
    return [
        Slot(s.stratum, s.sequence, s.block, s.block_size, s.arm)
        for s in record.slots.order_by("stratum", "sequence").iterator(chunk_size=5000)
    ]


@dataclass(frozen=True)
class ListCheck:
    """Verification of the stored list and of the allocations made from it."""

    verification: Verification
    fingerprint_matches: bool
    allocations_match: bool
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.verification.ok and self.fingerprint_matches and self.allocations_match


def verify_allocation_list(actor: Staff) -> ListCheck:
    """Regenerate from the seed; compare slots, fingerprint and every allocation's arm."""
    require_role(actor, STATISTICIAN, "verifying the allocation list")
    record = active_list()
    if record.method == "minimization":
        return _replay_minimization(record)
    slots = stored_slots(record)
    result = verify_list(list_parameters(record), slots)
    problems = [
        f"{d.stratum} #{d.sequence}: expected {d.expected}, found {d.found}"
        for d in result.differences[:20]
    ]
    fingerprint_ok = result.fingerprint == record.fingerprint
    if not fingerprint_ok:
        problems.append("the stored slots do not match the fingerprint recorded at generation")
    mismatched = record.allocation_set.exclude(slot__isnull=True).select_related("slot")
    bad = [
        a
        for a in mismatched
        if a.slot is None or a.slot.arm != a.arm or a.slot.patient_id != a.patient_id
    ]
    problems.extend(f"allocation {a.randomization_number} disagrees with its slot" for a in bad)
    return ListCheck(result, fingerprint_ok, not bad, tuple(problems))


def _replay_minimization(record: AllocationList) -> ListCheck:
    """Recompute every minimization allocation in order from the seed and compare."""
    params = list_parameters(record)
    settings = MinimizationSettings(params.arms, params.factors, p_best=record.p_best)
    rows = list(
        record.allocation_set.order_by("randomization_number").values_list(
            "randomization_number", "arm", "patient__stratification"
        )
    )
    names = [f.name for f in params.factors]
    expected = replay(
        settings, params.seed, [{n: strata[n] for n in names} for _, _, strata in rows]
    )
    diffs = tuple(
        Difference("minimization", i + 1, exp, arm)
        for i, ((_, arm, _), exp) in enumerate(zip(rows, expected, strict=True))
        if arm != exp
    )
    problems = tuple(
        f"allocation {rows[d.sequence - 1][0]}: recomputed {d.expected}, stored {d.found}"
        for d in diffs[:20]
    )
    result = Verification(not diffs, len(rows), diffs, "")
    return ListCheck(result, True, not diffs, problems)


def read_allocation_list(actor: Staff) -> tuple[AllocationList, list[Slot]]:
    """The list with its seed and slots (statisticians only)."""
    require_role(actor, STATISTICIAN, "reading the allocation list")
    record = active_list()
    return record, stored_slots(record)
