"""Shared fixtures: the repository root, and a helper that runs the real CLI in a subprocess."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_cli(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    limit_bytes: int | None = None,
):
    """Run ``python -m kiemchung`` as a user would and capture bytes out; ``limit_bytes`` caps
    the size of any file it writes (a disk that fills)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "kiemchung", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=600,
        preexec_fn=cap if limit_bytes else None,
        check=False,
    )


@pytest.fixture
def cli():
    return run_cli
