"""``oligotrial serve`` (the web application on a production WSGI server) and
``oligotrial staff set-password`` (a staff member's sign-in password, typed twice)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated, Any

import typer

from oligotrial.cli._common import guarded, stdout
from oligotrial.errors import InputError

DEFAULT_DIR = Path("oligotrial-demo")
SECRET_FILE = "web-secret-key"

DataDir = Annotated[
    Path,
    typer.Option(
        "--data-dir",
        help="Folder of the SQLite database (default ./oligotrial-demo); "
        "ignored when OLIGOTRIAL_DATABASE_URL names a database.",
    ),
]


def secret_key(folder: Path) -> str:
    """``OLIGOTRIAL_SECRET_KEY``, else a key kept in ``folder`` (made once, mode 0600), so
    that sessions survive a restart."""
    from_env = os.environ.get("OLIGOTRIAL_SECRET_KEY")
    if from_env:
        return from_env
    path = folder / SECRET_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def setup(folder: Path) -> Any:
    """Configure Django for the database (migrating it) and return the WSGI application."""
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    from oligotrial.edc.settings import configure, keep_server_connections
    from oligotrial.errors import StateError

    env = {**os.environ, "OLIGOTRIAL_SECRET_KEY": secret_key(folder)}
    choice = configure(data_dir=folder, environ=env)
    keep_server_connections()
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        lines = str(exc).strip().splitlines()
        raise StateError(
            f"cannot connect to the database at {choice.description}: "
            f"{lines[-1] if lines else type(exc).__name__}"
        ) from None
    call_command("migrate", verbosity=0, interactive=False)  # the sign-in tables, once
    from oligotrial.edc.web.wsgi import application

    return choice, application()


@guarded
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: DataDir = DEFAULT_DIR,
    threads: Annotated[int, typer.Option(help="Worker threads (per worker process).")] = 8,
    workers: Annotated[
        int, typer.Option(help="Worker processes: 1 is one waitress process; more use gunicorn.")
    ] = 1,
) -> None:
    """Run the web application for site staff (waitress, or gunicorn with several worker
    processes; static files by whitenoise)."""
    import waitress

    if not 1 <= port <= 65535:
        raise InputError("--port", f"{port} is not a port number (1 to 65535)")
    if not 1 <= threads <= 64:
        raise InputError("--threads", f"{threads} is not between 1 and 64")
    if not 1 <= workers <= 64:
        raise InputError("--workers", f"{workers} is not between 1 and 64")
    choice, app = setup(data_dir)
    stdout.print(f"Database: {choice.description}", highlight=False)
    stdout.print(f"Serving on http://{host}:{port}/  (Ctrl-C stops)", highlight=False)
    if workers > 1:
        from oligotrial.cli.serve_workers import serve_with_workers

        serve_with_workers(app, host, port, workers, threads)
        return
    waitress.serve(app, host=host, port=port, threads=threads, ident="oligotrial")


@guarded
def set_password(
    username: Annotated[str, typer.Argument(help="The staff member's user name.")],
    data_dir: DataDir = DEFAULT_DIR,
) -> None:
    """Set a staff member's sign-in password (typed twice, never shown or stored in clear)."""
    setup(data_dir)
    from oligotrial.edc.services.accounts import set_password as set_it

    password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    staff = set_it(username, password)
    note = (
        " They will be asked to set up an authenticator app at first sign-in."
        if staff.role in {"investigator", "data_manager", "statistician"}
        else ""
    )
    stdout.print(f"Password set for {staff.username} ({staff.role}).{note}", highlight=False)


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    app.command("serve")(serve)
    staff_app = typer.Typer(help="Sign-in accounts of the trial staff.", no_args_is_help=True)
    staff_app.command("set-password")(set_password)
    app.add_typer(staff_app, name="staff")
