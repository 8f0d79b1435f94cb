"""The ``oligotrial`` command.

Each command group lives in its own module here and exposes ``register(app, schema_app)``;
the modules import the domain packages lazily so that ``oligotrial --help`` stays fast.
Domain errors become a one-line message and exit code 2; never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer

from oligotrial.cli._common import print_error

app = typer.Typer(
    name="oligotrial",
    help="Run trial NCT06841172: protocol, screening, randomization, data, analysis.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
schema_app = typer.Typer(help="Print the JSON Schema of an input format.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")

# One module per command group; each owns its commands.
_COMMAND_MODULES = (
    "protocol",
    "screening",
    "stats",
    "design",
    "response",
    "database",
    "demo",
    "serve",
    "tokens",
    "prescreen",
    "export",
    "samples",
    "cut",
)


def _register_all() -> None:
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(f"oligotrial.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"oligotrial.cli.{name}":
                continue  # that command group is not built yet
            raise
        module.register(app, schema_app)


_register_all()


def main() -> None:
    """Entry point: run the app; report anything unexpected without a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        print_error("interrupted")
        sys.exit(130)
    except Exception as exc:  # last resort: a user never sees a traceback
        print_error(f"internal error ({type(exc).__name__}): {exc}")
        sys.exit(1)
