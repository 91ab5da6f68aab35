"""Author pseudonyms: ``HMAC-SHA256(project salt, raw id)``, made at the very first step of ingest.

Pulse counts distinct authors (an aggregate covering fewer than k is suppressed) and never needs
to know who they are. So the raw id is turned into a keyed hash the moment a row is read and is
not kept anywhere — not in the store, an output or a log. The salt is secret to the project: with
it, the same person gets the same pseudonym across runs (so counts add up); without it, a
pseudonym cannot be checked against a guessed id, as a plain hash could.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from kiemchung.errors import InputError

SALT_BYTES = 32


class AuthorPseudonymizer:
    """Turns raw author ids into project-keyed pseudonyms; holds no raw id itself."""

    def __init__(self, salt: bytes) -> None:
        if len(salt) < 16:
            raise InputError("the project salt must be at least 16 bytes")
        self._salt = salt

    @classmethod
    def for_project(cls, folder: str | Path) -> AuthorPseudonymizer:
        """The project's pseudonymizer, its salt read from ``folder/project.salt`` or made there
        (owner-readable only) on first use."""
        path = Path(folder) / "project.salt"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(os.urandom(SALT_BYTES))
        return cls(path.read_bytes())

    def pseudonym(self, raw_id: object) -> str | None:
        """The author's pseudonym; None for a missing id (the post is kept, unattributed)."""
        if raw_id is None:
            return None
        text = str(raw_id).strip()
        if not text:
            return None
        return hmac.new(self._salt, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def __repr__(self) -> str:  # never print the salt
        return "AuthorPseudonymizer(<salt hidden>)"
