"""One exception hierarchy, so callers (CLI, API) can map failures to exit codes and HTTP statuses.

Every message is written for the person who has to act on it: it says what is wrong and what to do.
"""

from __future__ import annotations

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


@dataclass
class RowError:
    """One bad row of an input file, reported (not raised) so the good rows can still be used."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"
