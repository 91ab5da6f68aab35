"""One exception hierarchy, so callers (CLI, API) can map failures to exit codes and HTTP statuses.

Every message is written for the person who has to act on it: it says what is wrong and what to do.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass


class KiemchungError(Exception):
    """Base of every error kiemchung raises on purpose."""


class InputError(KiemchungError):
    """The caller's input cannot be used as given (empty, not UTF-8, binary, malformed file ...)."""


class DataError(KiemchungError):
    """A dataset file is missing or does not have the expected shape."""


class ModelError(KiemchungError):
    """A model artifact is missing, unsafe (pickle) or inconsistent with its manifest."""


class StoreError(KiemchungError):
    """A storage operation failed; nothing committed before it is lost."""


#: The operating system's word for a write that found no room: a full disk, a size limit, a quota.
_NO_ROOM = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})
#: What SQLite says in the same case (a file-size limit shows as an I/O error).
_SQLITE_NO_ROOM = ("database or disk is full", "disk I/O error")


def out_of_room(exc: BaseException) -> StoreError | None:
    """The error to show when ``exc`` means a write found no room, else None.

    SQLite rolls back the transaction it could not write, so what was committed before is kept;
    the message says so, and what to do, instead of an internal ``OperationalError``.
    """
    full = (isinstance(exc, OSError) and exc.errno in _NO_ROOM) or (
        isinstance(exc, sqlite3.OperationalError) and str(exc) in _SQLITE_NO_ROOM
    )
    if not full:
        return None
    return StoreError(
        "could not write: the disk is full or a file-size limit was reached. What was stored "
        "before is kept; free some space and run it again"
    )


@dataclass
class RowError:
    """One bad row of an input file, reported (not raised) so the good rows can still be used."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"
