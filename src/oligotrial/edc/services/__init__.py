"""The one write path of the trial database: one function per use case, one transaction each.

Every function takes the acting staff member first, checks role and site, validates against
the protocol and the patient's state, writes in one transaction with its audit entries, and
raises an :mod:`oligotrial.errors` exception (nothing written) when anything is wrong.
"""

from oligotrial.edc.services.access import get_actor, visible_patients
from oligotrial.edc.services.administration import (
    add_site,
    add_staff,
    bootstrap_admin,
)
from oligotrial.edc.services.allocation_list import (
    extend_for_new_sites,
    generate_allocation_list,
    read_allocation_list,
    verify_allocation_list,
)
from oligotrial.edc.services.audit import verify_chain
from oligotrial.edc.services.corrections import correct_value, correct_values
from oligotrial.edc.services.freeze import freeze, unfreeze
from oligotrial.edc.services.lock import lock_database, prelock_checklist, unlock_database
from oligotrial.edc.services.query_answers import answer_query
from oligotrial.edc.services.randomize import AllocationResult, allocation_of, randomize
from oligotrial.edc.services.reading import (
    list_patients,
    list_queries,
    patient_history,
    patient_summary,
)
from oligotrial.edc.services.records import change_dose, record
from oligotrial.edc.services.screening import record_consent, screen
from oligotrial.edc.services.screening_corrections import (
    correct_screening_record,
    screening_history,
)
from oligotrial.edc.services.signatures import sign
from oligotrial.edc.services.visits import record_visit, schedule_visits

__all__ = [
    "AllocationResult",
    "add_site",
    "add_staff",
    "allocation_of",
    "answer_query",
    "bootstrap_admin",
    "change_dose",
    "correct_screening_record",
    "correct_value",
    "correct_values",
    "extend_for_new_sites",
    "freeze",
    "generate_allocation_list",
    "get_actor",
    "list_patients",
    "list_queries",
    "lock_database",
    "patient_history",
    "patient_summary",
    "prelock_checklist",
    "randomize",
    "read_allocation_list",
    "record",
    "record_consent",
    "record_visit",
    "schedule_visits",
    "screen",
    "screening_history",
    "sign",
    "unfreeze",
    "unlock_database",
    "verify_allocation_list",
    "verify_chain",
    "visible_patients",
]
