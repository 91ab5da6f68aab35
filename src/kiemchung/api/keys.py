"""API keys: made by ``kiemchung keys create``, stored only as hashes, each with its scopes and
rate limit.

A key reads ``kc_<id>_<secret>``. The id finds the row; the secret is checked against its
SHA-256 with a constant-time comparison. The secret is shown once, when the key is made, and is
never stored — a stolen keys file cannot be used to call the API. Secrets are 32 random bytes, so
a fast hash is enough (no password stretching is needed for random secrets).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiemchung.errors import InputError

#: Route groups a key may be allowed to call.
SCOPES = ("analyze", "guard", "check", "kb:read", "kb:write", "pulse")
#: Not a route group: a key with it sees every key's Pulse jobs. ``all`` does not include it.
ADMIN = "admin"
DEFAULT_RATE = 600  # requests per minute


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    name: str
    scopes: frozenset[str]
    rate_per_minute: int
    created_at: str

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    def to_dict(self) -> dict:
        return {
            "id": self.key_id,
            "name": self.name,
            "scopes": sorted(self.scopes),
            "rate_per_minute": self.rate_per_minute,
            "created_at": self.created_at,
        }


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_scopes(text: str) -> frozenset[str]:
    """``"analyze,guard"`` or ``"all"`` as a set of scopes; unknown names are refused."""
    names = {s.strip() for s in text.split(",") if s.strip()}
    if "all" in names:
        names = (names - {"all"}) | set(SCOPES)
    unknown = names - {*SCOPES, ADMIN}
    if unknown or not names:
        raise InputError(
            f"unknown scope(s) {', '.join(sorted(unknown)) or '(none)'}; "
            f"choose from {', '.join(SCOPES)}, all (every one of those) and {ADMIN}"
        )
    return frozenset(names)


class KeyStore:
    """The keys file (SQLite): ids, hashed secrets, scopes, rate limits; revocation deletes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # readable by its owner alone, from the moment it exists (hashes, names and scopes)
        os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(self.path, 0o600)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS keys (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
            " digest TEXT NOT NULL, scopes TEXT NOT NULL, rate INTEGER NOT NULL,"
            " created_at TEXT NOT NULL)"
        )
        self._db.commit()

    def create(
        self, scopes: frozenset[str], name: str = "", rate_per_minute: int = DEFAULT_RATE
    ) -> tuple[str, ApiKey]:
        """A new key: (the token to hand out — shown once —, its record)."""
        if rate_per_minute < 1:
            raise InputError("the rate limit must be at least 1 request per minute")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        created = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        with self._db:
            self._db.execute(
                "INSERT INTO keys VALUES (?, ?, ?, ?, ?, ?)",
                (key_id, name, _digest(secret), ",".join(sorted(scopes)), rate_per_minute, created),
            )
        return f"kc_{key_id}_{secret}", ApiKey(key_id, name, scopes, rate_per_minute, created)

    def verify(self, token: str) -> ApiKey | None:
        """The key behind ``token``, or None when it is malformed, unknown, revoked or wrong."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "kc":
            return None
        row = self._db.execute(
            "SELECT id, name, digest, scopes, rate, created_at FROM keys WHERE id = ?", (parts[1],)
        ).fetchone()
        if row is None or not hmac.compare_digest(row[2], _digest(parts[2])):
            return None
        return ApiKey(row[0], row[1], frozenset(row[3].split(",")), int(row[4]), row[5])

    def list(self) -> list[ApiKey]:
        rows = self._db.execute(
            "SELECT id, name, scopes, rate, created_at FROM keys ORDER BY created_at, id"
        )
        return [ApiKey(r[0], r[1], frozenset(r[2].split(",")), int(r[3]), r[4]) for r in rows]

    def revoke(self, key_id: str) -> bool:
        with self._db:
            return self._db.execute("DELETE FROM keys WHERE id = ?", (key_id,)).rowcount > 0

    def close(self) -> None:
        self._db.close()
