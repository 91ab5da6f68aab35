"""Turning what a user hands us (bytes, files, stdin) into text, with errors that say what to do.

Bad input must never crash anything: invalid UTF-8, binary files and empty texts are refused here
with a one-line :class:`~kiemchung.errors.InputError`, before any model sees them.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from kiemchung.errors import InputError
from kiemchung.text.normalize import normalize

#: Texts longer than this are refused; a 5 MB text is fine, a 100 MB dump is a batch job.
MAX_CHARS = 20_000_000
#: The longest text an analyzer that runs a model reads in one call (about 6.5 s with the default
#: analyzers on two cores); longer texts are refused before any work rather than taking minutes.
MODEL_MAX_CHARS = 1_000_000


def decode(data: bytes, source: str = "input") -> str:
    """Decode UTF-8 bytes (a leading BOM is allowed), refusing binary data and bad encodings."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            f"{source} looks like a binary file (a NUL byte at offset {nul}); give a text"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8"
        ) from None


def read_text(path: str | Path | None) -> str:
    """Read a text file, or standard input when ``path`` is ``None`` or ``"-"``."""
    if path is None or str(path) == "-":
        return decode(sys.stdin.buffer.read(), "standard input")
    file = Path(path)
    if file.is_dir():
        raise InputError(f"{file} is a folder; give a text file")
    if not file.is_file():
        raise InputError(f"no such file: {file}")
    return decode(file.read_bytes(), str(file))


def require_text(text: str | bytes, max_chars: int = MAX_CHARS) -> str:
    """Check that there is something to analyze and that it is not absurdly large."""
    if isinstance(text, bytes):
        text = decode(text)
    if not isinstance(text, str):
        raise InputError(f"expected a text, got {type(text).__name__}")
    if not text.strip():
        raise InputError("nothing to analyze: the text is empty or only whitespace")
    if len(text) > max_chars:
        raise InputError(
            f"the text has {len(text):,} characters, over the limit of {max_chars:,}; "
            "split it or run it as a batch"
        )
    return text


def has_words(text: str) -> bool:
    """Whether a text holds a letter or a digit: emoji and punctuation alone state nothing."""
    return any(ch.isalnum() for ch in text)


def visible(text: str) -> bool:
    """Whether a text holds anything once normalised: blank texts, zero-width spaces and control
    characters alone hold nothing to analyze, index or search for. (A letter or digit is always
    kept, so most texts are answered without normalising them.)"""
    return has_words(text) or bool(normalize(text).text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _holds_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_surrogate(k) or _holds_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_surrogate(v) for v in value)
    return False


def json_value(text: str) -> Any:
    """``json.loads``, refusing a string with a lone surrogate (``"\\ud800"``): JSON lets one be
    escaped, but no text encoding can hold it, so it would fail later, when the text is stored
    or printed, and take the good records with it. Raises ``json.JSONDecodeError``, so a reader
    reports it as the bad line it is."""
    value = json.loads(text)
    if _holds_surrogate(value):
        raise json.JSONDecodeError("a string holds a lone surrogate (such as \\ud800)", text, 0)
    return value
