"""pactwatch serve and pactwatch tokens: the HTTP service and its API tokens (docs/service.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import Problem
from .app import EXIT_OK, RulesOpt, _fail, _group, app, err

tokens_app = _group("tokens", "API tokens of the HTTP service (pactwatch serve).")

DbOpt = Annotated[str | None, typer.Option("--db", help="Store URL (default: sqlite:///pactwatch-service.db in the "
                                                        "working directory; postgresql+psycopg://… for PostgreSQL).")]


def _store(db: str | None):  # type: ignore[no-untyped-def]
    try:
        from ..service.store import DEFAULT_URL, Store
    except ImportError as exc:  # the [service] extra is not installed
        _fail([Problem("usage", f"the service needs the [service] extra (pip install 'pactwatch[service]'): {exc}")])
    try:
        return Store(db or DEFAULT_URL)
    except Exception as exc:  # noqa: BLE001 - a bad URL or an unreachable database is the user's to fix
        _fail([Problem("store-unavailable", f"cannot open the store: {type(exc).__name__}: {exc}", file=db or DEFAULT_URL)])


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    rules: RulesOpt = None,
    max_body: Annotated[int, typer.Option("--max-body", help="Largest request body in bytes.")] = 10 * 2**20,
    rate: Annotated[int, typer.Option("--rate", help="Requests per token and minute.")] = 600,
) -> None:
    """Serve the HTTP API (OpenAPI document at /openapi.json)."""
    import uvicorn

    from ..rules import load_rules
    from ..service.app import Settings, create_app

    store = _store(db)
    application = create_app(store, load_rules(rules), Settings(max_body=max_body, rate_per_minute=rate))
    err.print(f"pactwatch serving {store.url} on http://{host}:{port} (OpenAPI: /openapi.json)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


@tokens_app.command("create")
def tokens_create(org: Annotated[str, typer.Option("--org", help="Organisation the token acts for (created if new).")],
                  db: DbOpt = None) -> None:
    """Print a new API token; it is shown only this once (the store keeps its hash)."""
    from ..service.tokens import create_token

    typer.echo(create_token(_store(db), org))
    raise typer.Exit(EXIT_OK)


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[str, typer.Argument(help="The token's id (pactwatch tokens list).")],
                  db: DbOpt = None) -> None:
    """Revoke a token: its requests are refused from now on."""
    if not _store(db).revoke_token(token_id):
        _fail([Problem("usage", f"no active token with id {token_id!r}")])
    err.print(f"revoked {token_id}")


@tokens_app.command("list")
def tokens_list(org: Annotated[str | None, typer.Option("--org", help="Only this organisation's tokens.")] = None,
                db: DbOpt = None) -> None:
    """Token ids, organisations and state (never the secrets)."""
    for token, organisation in _store(db).tokens(org):
        state = f"revoked {token.revoked.isoformat()}" if token.revoked else "active"
        typer.echo(f"{token.id}\t{organisation}\t{token.created.isoformat()}\t{state}")
