"""The allocation list (seed, parameters, slots) and the allocations made from it."""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models.patients import Patient
from oligotrial.edc.models.sites import Staff


class AllocationList(models.Model):
    """A generated list; readable only by statisticians. One list is active at a time."""

    method = models.CharField(max_length=20)  # permuted_blocks | minimization
    protocol_id = models.CharField(max_length=64)
    protocol_version = models.CharField(max_length=32)
    seed = models.BigIntegerField()
    arms = models.JSONField()
    ratio = models.JSONField()
    block_sizes = models.JSONField()
    factors = models.JSONField()  # [[name, [levels...]], ...]
    p_best = models.FloatField(default=0.8)
    slots_per_stratum = models.IntegerField()
    generator = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    generated_at = models.DateTimeField(auto_now_add=True)
    generated_by = models.ForeignKey(Staff, on_delete=models.PROTECT)
    active = models.BooleanField(default=True)
    #: allocations made so far; the row is locked while a patient is randomized.
    allocated = models.IntegerField(default=0)


class AllocationSlot(models.Model):
    allocation_list = models.ForeignKey(
        AllocationList, on_delete=models.PROTECT, related_name="slots"
    )
    stratum = models.CharField(max_length=400)
    sequence = models.IntegerField()
    block = models.IntegerField()
    block_size = models.IntegerField()
    arm = models.CharField(max_length=8)
    patient = models.OneToOneField(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="slot"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["allocation_list", "stratum", "sequence"], name="slot_unique_position"
            ),
        )
        ordering = ("allocation_list", "stratum", "sequence")


class StratumCursor(models.Model):
    """The next unused position of a stratum; locked while a slot is claimed."""

    allocation_list = models.ForeignKey(AllocationList, on_delete=models.PROTECT)
    stratum = models.CharField(max_length=400)
    next_sequence = models.IntegerField(default=1)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["allocation_list", "stratum"], name="cursor_unique_stratum"
            ),
        )


class Allocation(models.Model):
    """A patient's arm. Visible to the patient's site once made (open-label)."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="allocation")
    allocation_list = models.ForeignKey(AllocationList, on_delete=models.PROTECT)
    slot = models.OneToOneField(AllocationSlot, null=True, blank=True, on_delete=models.PROTECT)
    arm = models.CharField(max_length=8)
    stratum = models.CharField(max_length=400)
    randomization_number = models.CharField(max_length=32, unique=True)
    randomized_on = models.DateField()
    randomized_at = models.DateTimeField(auto_now_add=True)
    randomized_by = models.ForeignKey(Staff, on_delete=models.PROTECT)
