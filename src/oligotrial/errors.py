"""Domain exceptions: messages a coordinator or statistician can act on.

Every error names the field (or argument) at fault and what is wrong with it. The CLI
prints the message and exits with code 2; the web layer maps it to a 4xx response.
"""

from __future__ import annotations


class OligotrialError(Exception):
    """Base of every error the product reports to a user."""


class InputError(OligotrialError, ValueError):
    """A value given by the user is malformed, impossible or in an unknown unit.

    ``field`` is a dotted path to the offending value (``"labs.bilirubin.unit"``).
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return type(self), (self.field, self.problem)  # crosses process boundaries intact


class ProtocolError(InputError):
    """A protocol file does not satisfy the protocol schema."""


class StateError(OligotrialError):
    """An action is not allowed in the current state (e.g. randomizing an unconsented patient)."""


class ConflictError(StateError):
    """Someone else changed the same record at the same moment; nothing of this call is written.

    Raised when a concurrent write got there first (a visit already recorded, a record
    already created under the same identifier). Reload and try again if still needed.
    """


class PermissionDenied(OligotrialError):
    """The user's role or site does not allow this action."""


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped before converging; the estimate returned is flagged."""
