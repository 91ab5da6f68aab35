"""Starting the service: settings travel to uvicorn's worker processes in one environment
variable, and each worker builds its app from them (``factory=True``)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from kiemchung.api.app import ServerSettings, create_app
from kiemchung.errors import InputError

SETTINGS_ENV = "KIEMCHUNG_SERVE_SETTINGS"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def default_keys_path() -> Path:
    """``$KIEMCHUNG_KEYS``, else ``~/.kiemchung/keys.sqlite``."""
    return Path(os.environ.get("KIEMCHUNG_KEYS") or Path.home() / ".kiemchung" / "keys.sqlite")


def app_from_env():
    """The app a uvicorn worker serves, from ``$KIEMCHUNG_SERVE_SETTINGS``."""
    raw = json.loads(os.environ.get(SETTINGS_ENV, "{}"))
    for name in ("keys_path", "kb_path", "jobs_dir"):
        if raw.get(name) is not None:
            raw[name] = Path(raw[name])
    return create_app(ServerSettings(**raw))


def serve(settings: ServerSettings, host: str, port: int, workers: int = 1) -> None:
    """Run uvicorn; ``--no-auth`` is refused unless the host is a loopback address."""
    from kiemchung.extras import require

    uvicorn = require("uvicorn", "server", "kiemchung serve")

    if settings.no_auth and host not in LOOPBACK:
        raise InputError("--no-auth is only allowed on a loopback host (127.0.0.1, ::1)")
    if not settings.no_auth and not settings.keys_path.exists():
        raise InputError(
            f"no keys file at {settings.keys_path}: make a key with `kiemchung keys create "
            "--scope all`, or serve on loopback with --no-auth"
        )
    os.environ[SETTINGS_ENV] = json.dumps(asdict(settings), default=str)
    uvicorn.run(
        "kiemchung.api.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
