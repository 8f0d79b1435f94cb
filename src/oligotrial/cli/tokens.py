"""``oligotrial tokens create|list|revoke``: API tokens of the trial staff.

A token is printed once, when it is created; the database keeps only its hash. It acts as
its staff member (role and site at issue) until it expires or is revoked.
"""

from __future__ import annotations

from typing import Annotated

import typer

from oligotrial.cli._common import guarded, print_json, stdout
from oligotrial.cli.serve import DEFAULT_DIR, DataDir, setup


@guarded
def create(
    username: Annotated[str, typer.Argument(help="The staff member the token acts as.")],
    days: Annotated[int, typer.Option(help="Days until the token expires (1 to 366).")] = 90,
    name: Annotated[str, typer.Option(help="What the token is for (shown in lists).")] = "",
    data_dir: DataDir = DEFAULT_DIR,
) -> None:
    """Issue an API token (printed once; keep it secret)."""
    setup(data_dir)
    from oligotrial.edc.services.tokens import create_token

    issued = create_token(username, days=days, name=name)
    row = issued.row
    stdout.print(
        f"Token {row.id} for {username} ({row.role}"
        f"{'@' + row.site_code if row.site_code else ''}), "
        f"expires {row.expires_at:%Y-%m-%d %H:%M} UTC. It is shown only now:",
        highlight=False,
        soft_wrap=True,
    )
    typer.echo(issued.secret)


@guarded
def list_(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
    data_dir: DataDir = DEFAULT_DIR,
) -> None:
    """List tokens (never the secret) as JSON."""
    setup(data_dir)
    from oligotrial.edc.services.tokens import list_tokens

    print_json(list_tokens(user))


@guarded
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see tokens list).")],
    reason: Annotated[str, typer.Option(help="Why (recorded in the audit trail).")],
    data_dir: DataDir = DEFAULT_DIR,
) -> None:
    """Revoke a token at once."""
    setup(data_dir)
    from oligotrial.edc.services.tokens import revoke_token

    token = revoke_token(token_id, reason=reason)
    stdout.print(f"Token {token.id} ({token.prefix}…) revoked.", highlight=False)


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    tokens = typer.Typer(help="API tokens of the trial staff.", no_args_is_help=True)
    tokens.command("create")(create)
    tokens.command("list")(list_)
    tokens.command("revoke")(revoke)
    app.add_typer(tokens, name="tokens")
