"""``oligotrial db``, ``randomization``, ``audit`` and ``check``: the trial database from the shell.

The database is SQLite in ``--data-dir`` (default ``$OLIGOTRIAL_DATA_DIR`` or
``./oligotrial-data``) unless ``OLIGOTRIAL_DATABASE_URL`` names a PostgreSQL server.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from oligotrial.cli._common import guarded, print_json, stdout

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder of the SQLite database (default ./oligotrial-data)."),
]
User = Annotated[str, typer.Option("--user", help="Your username in the trial staff list.")]


def _setup(data_dir: Path | None) -> Any:
    """Configure the database and make sure it answers (a clear message if it does not)."""
    from django.db import DatabaseError, connection

    from oligotrial.edc.settings import configure
    from oligotrial.errors import StateError

    choice = configure(data_dir=data_dir)
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StateError(
            f"cannot connect to the database at {choice.description}: {reason}"
        ) from None
    return choice


def _migrate() -> list[str]:
    """Apply pending migrations; make sure the audit key exists (mode 0600) before any entry."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    plan = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    call_command("migrate", verbosity=0, interactive=False)
    from oligotrial.edc.services.audit import prepare_key

    prepare_key()
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def db_init(
    data_dir: DataDir = None,
    admin: Annotated[
        str | None, typer.Option(help="Create this first administrator (empty database only).")
    ] = None,
) -> None:
    """Create the database (or bring it up to date) and optionally its first administrator."""
    choice = _setup(data_dir)
    applied = _migrate()
    from oligotrial.edc import services

    out: dict[str, Any] = {
        "database": choice.description,
        "vendor": choice.vendor,
        "migrations_applied": applied,
    }
    if admin:
        out["admin"] = services.bootstrap_admin(admin).username
    print_json(out)


def db_migrate(data_dir: DataDir = None) -> None:
    """Apply any migration not yet applied."""
    choice = _setup(data_dir)
    print_json({"database": choice.description, "migrations_applied": _migrate()})


def db_add_site(
    code: str,
    name: str,
    user: User,
    data_dir: DataDir = None,
    language: Annotated[
        str, typer.Option(help="The site's language in the web application: zh-hans or en.")
    ] = "zh-hans",
    country: Annotated[
        str, typer.Option(help="The site's country, ISO 3166-1 alpha-3 (e.g. CHN).")
    ] = "CHN",
) -> None:
    """Add a site (administrators)."""
    _setup(data_dir)
    from oligotrial.edc import services

    site = services.add_site(services.get_actor(user), code, name, language, country)
    print_json(
        {"site": site.code, "name": site.name, "language": site.language, "country": site.country}
    )


def db_add_user(
    username: str,
    user: User,
    role: Annotated[
        str,
        typer.Option(
            help="investigator, coordinator, monitor, data_manager, statistician or admin"
        ),
    ],
    site: Annotated[str | None, typer.Option(help="Site code (site roles).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Add a member of the trial staff (administrators)."""
    _setup(data_dir)
    from oligotrial.edc import services

    staff = services.add_staff(services.get_actor(user), username, role, site)
    print_json(
        {
            "username": staff.username,
            "role": staff.role,
            "site": staff.site.code if staff.site else None,
        }
    )


def db_unlock_user(
    username: str,
    user: User,
    reason: Annotated[str, typer.Option(help="Why the account is released (audited).")],
    data_dir: DataDir = None,
) -> None:
    """Release an account locked after repeated failed sign-ins or signing attempts
    (administrators; audited)."""
    _setup(data_dir)
    from oligotrial.edc import services
    from oligotrial.edc.services.lockouts import unlock_account

    failures = unlock_account(services.get_actor(user), username, reason=reason)
    print_json({"username": username, "failed_attempts_forgotten": failures})


def randomization_generate(
    user: User,
    seed: Annotated[int, typer.Option(help="The recorded seed (keep it with the statistician).")],
    slots_per_stratum: Annotated[int, typer.Option(help="Allocations prepared per stratum.")],
    data_dir: DataDir = None,
) -> None:
    """Generate the stratified allocation list once, before go-live (statisticians)."""
    _setup(data_dir)
    from oligotrial.edc import services

    record = services.generate_allocation_list(
        services.get_actor(user), seed=seed, slots_per_stratum=slots_per_stratum
    )
    print_json(
        {
            "method": record.method,
            "strata": record.slots.values("stratum").distinct().count(),
            "slots": record.slots.count(),
            "block_sizes": record.block_sizes,
            "fingerprint": record.fingerprint,
            "generator": record.generator,
        }
    )


def randomization_verify(user: User, data_dir: DataDir = None) -> None:
    """Regenerate the list from its seed and compare slot by slot (statisticians)."""
    _setup(data_dir)
    from oligotrial.edc import services

    check = services.verify_allocation_list(services.get_actor(user))
    print_json(
        {
            "ok": check.ok,
            "slots_compared": check.verification.slots_compared,
            "fingerprint_matches": check.fingerprint_matches,
            "allocations_match": check.allocations_match,
            "problems": list(check.problems),
        }
    )
    if not check.ok:
        raise typer.Exit(code=1)


def randomization_extend(user: User, data_dir: DataDir = None) -> None:
    """Add the strata of sites opened after go-live, from the same seed (statisticians)."""
    _setup(data_dir)
    from oligotrial.edc import services

    added = services.extend_for_new_sites(services.get_actor(user))
    print_json({"strata_added": added})


def _differences(report: Any) -> list[dict[str, Any]]:
    return [
        {
            "table": d.table,
            "row": d.row,
            "field": d.field,
            "problem": d.problem,
            "audit_value": d.audit,
            "table_value": d.found,
        }
        for d in report.differences
    ]


def audit_verify(data_dir: DataDir = None) -> None:
    """Recompute the keyed chain, check the signed checkpoints, and reconcile the tables."""
    _setup(data_dir)
    from oligotrial.edc.audit_reconcile import reconcile
    from oligotrial.edc.audit_verify import verify_chain

    report = verify_chain()
    rec = reconcile()
    print_json(
        {
            "ok": report.ok and rec.ok,
            "entries": report.entries,
            "head": report.head_seq,
            "checkpoints": report.checkpoints,
            "problems": [{"seq": s, "problem": p} for s, p in report.problems],
            "reconcile": {
                "ok": rec.ok,
                "rows": rec.rows,
                "total_differences": rec.total_differences,
                "differences": _differences(rec),
            },
        }
    )
    if not (report.ok and rec.ok):
        raise typer.Exit(code=1)


def audit_reconcile(data_dir: DataDir = None) -> None:
    """Replay the trail and list every row changed, added or removed outside the services."""
    _setup(data_dir)
    from oligotrial.edc.audit_reconcile import reconcile

    rec = reconcile()
    print_json(
        {
            "ok": rec.ok,
            "entries": rec.entries,
            "rows": rec.rows,
            "seconds": rec.seconds,
            "total_differences": rec.total_differences,
            "differences": _differences(rec),
        }
    )
    if not rec.ok:
        raise typer.Exit(code=1)


def audit_export(
    patient: Annotated[str, typer.Argument(help="Screening number.")],
    user: User,
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json, or csv (one row per change).")] = (
        "json"
    ),
    data_dir: DataDir = None,
) -> None:
    """Write the full audit history of one patient (who, when, what, old, new, why)."""
    from oligotrial.errors import InputError

    if fmt not in {"json", "csv"}:
        raise InputError("--format", f"{fmt!r} is not json or csv")
    _setup(data_dir)
    from oligotrial.edc import services

    history = services.patient_history(services.get_actor(user), patient)
    text = json.dumps(history, indent=2) + "\n" if fmt == "json" else _history_csv(history)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        stdout.print(f"{len(history)} entries written to {out}")


def _history_csv(history: list[dict[str, Any]]) -> str:
    """One row per changed field: seq, at, actor, role, action, record, field, old, new, reason."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["seq", "at", "actor", "role", "action", "record", "field", "old", "new", "reason", "hash"]
    )
    for h in history:
        for field, (old, new) in sorted(h["changes"].items()) or [("", (None, None))]:
            writer.writerow(
                [
                    h["seq"],
                    h["at"],
                    h["actor"],
                    h["role"],
                    h["action"],
                    h["record"],
                    field,
                    _cell(old),
                    _cell(new),
                    h["reason"],
                    h["hash"],
                ]
            )
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def check(data_dir: DataDir = None) -> None:
    """Check the settings and the database: reachable, migrated, WAL, append-only, chain."""
    from oligotrial.edc.checks import database_checks

    choice = _setup(data_dir)
    results = database_checks(choice)
    print_json(
        {
            "database": choice.description,
            "vendor": choice.vendor,
            "checks": [{"check": name, "ok": ok, "detail": detail} for name, ok, detail in results],
        }
    )
    if not all(ok for _, ok, _ in results):
        raise typer.Exit(code=1)


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    db_app = typer.Typer(
        help="Create and migrate the trial database; sites and staff.", no_args_is_help=True
    )
    db_app.command("init")(guarded(db_init))
    db_app.command("migrate")(guarded(db_migrate))
    db_app.command("add-site")(guarded(db_add_site))
    db_app.command("add-user")(guarded(db_add_user))
    db_app.command("unlock-user")(guarded(db_unlock_user))
    app.add_typer(db_app, name="db")
    rand_app = typer.Typer(
        help="The concealed allocation list (statisticians).", no_args_is_help=True
    )
    rand_app.command("generate")(guarded(randomization_generate))
    rand_app.command("verify")(guarded(randomization_verify))
    rand_app.command("extend")(guarded(randomization_extend))
    app.add_typer(rand_app, name="randomization")
    audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)
    audit_app.command("verify")(guarded(audit_verify))
    audit_app.command("reconcile")(guarded(audit_reconcile))
    audit_app.command("export")(guarded(audit_export))
    app.add_typer(audit_app, name="audit")
    app.command("check")(guarded(check))
