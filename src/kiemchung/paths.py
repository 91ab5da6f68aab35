"""Folders the user names for us to write into (``--out``, ``--project``).

A long job should fail at once, with the path in the message, when its output cannot be written —
not after half an hour of training or scoring, and not as an internal error.
"""

from __future__ import annotations

from pathlib import Path

from kiemchung.errors import InputError


def writable_folder(path: Path, what: str) -> Path:
    """``path`` as a folder that exists, or a clear error: a file in the way, or no permission."""
    if path.exists() and not path.is_dir():
        raise InputError(f"{what} {path} is a file; give a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {what} {path}: {exc.strerror or exc}") from None
    return path
