"""Leak guard: Vietnamese personal data, confidential markings and credentials, found and redacted.

``find_leaks(text)`` returns one :class:`~kiemchung.core.Finding` per hit (label = entity type,
span on the original text); ``redact(text, mode)`` rewrites only those spans. Built on Presidio's
recognizer and anonymizer classes with no NLP model, so nothing is downloaded.
"""

# Presidio must be imported in a set-up environment (below) before anything imports it.
# ruff: noqa: E402

from __future__ import annotations

import os
import sys
import types
import warnings

# tldextract (imported by Presidio) would fetch the public-suffix list at first use; never here.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def _import_presidio_without_torch() -> None:
    """Import Presidio with torch hidden, when torch is installed but not yet imported.

    Presidio imports spaCy, whose thinc imports torch whenever it is installed: about a second
    per process (``kiemchung serve``'s first answer took 7.6 s instead of 4.6 with two workers,
    ``benchmarks/load_bench.py``). The guard runs no neural model, so Presidio never needs it;
    torch is importable again afterwards, for the lab.
    """
    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes ``import torch`` fail
    try:
        import presidio_analyzer  # noqa: F401
    finally:
        if hide and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


_import_presidio_without_torch()

from functools import lru_cache

from kiemchung.core import Finding
from kiemchung.errors import InputError
from kiemchung.guard.engine import GuardEngine
from kiemchung.text.inputs import decode


@lru_cache(maxsize=1)
def default_engine() -> GuardEngine:
    """The engine with every registered recognizer, built once per process."""
    return GuardEngine()


def find_leaks(text: str | bytes) -> list[Finding]:
    """Personal data, confidential markings and credentials in ``text``, spans on ``text``.

    Bytes are decoded as UTF-8 (an invalid byte is an :class:`InputError` naming its offset);
    empty or whitespace-only text has nothing to find.
    """
    if isinstance(text, bytes):
        text = decode(text)
    if not isinstance(text, str):
        raise InputError(f"expected a text, got {type(text).__name__}")
    return default_engine().analyze(text)


def guard(text: str | bytes) -> list[Finding]:
    """Deprecated spelling of :func:`find_leaks`."""
    warnings.warn(_RENAMED, DeprecationWarning, stacklevel=2)
    return find_leaks(text)


_RENAMED = "kiemchung.guard(text) is now kiemchung.find_leaks(text); the old name will go"


class _CallableModule(types.ModuleType):
    """Keeps the deprecated ``kiemchung.guard(text)`` working: calling the package warns and runs
    :func:`find_leaks`. New code calls ``kiemchung.find_leaks`` and needs no such class."""

    def __call__(self, text: str | bytes) -> list[Finding]:
        warnings.warn(_RENAMED, DeprecationWarning, stacklevel=2)
        return find_leaks(text)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["GuardEngine", "default_engine", "find_leaks"]
