"""Redaction with presidio-anonymizer: mask, type tag, consistent pseudonym, or salted hash.

Only the detected spans change; every other character of the input comes back as it was. Spans
come from :func:`kiemchung.guard.find_leaks`, so they index the original text even when it was typed
in decomposed Unicode.

* ``mask``: every character of the value becomes ``*`` (the length stays visible).
* ``tag``: ``<PHONE>``, ``<ADDRESS>`` …
* ``pseudonym``: ``<PHONE_1>``, ``<PHONE_2>`` … numbered in order of appearance; the same value
  written twice — even with different spacing — gets the same placeholder, so a redacted draft
  still reads coherently.
* ``hash``: ``<PHONE:9f86d081a3…>``, a salted SHA-256 prefix. Phone and ID numbers are short, so
  an unsalted hash could be reversed by trying every number; pass your own ``salt`` to get the
  same hashes across texts, otherwise a random salt is drawn per call.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Literal, get_args

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from kiemchung.core import Finding
from kiemchung.errors import InputError
from kiemchung.guard.recognizers.base import digits_of

#: How a finding's span is replaced (the type for callers that validate up front, e.g. the API).
RedactMode = Literal["mask", "tag", "pseudonym", "hash"]
REDACT_MODES: tuple[str, ...] = get_args(RedactMode)
_ANONYMIZER = AnonymizerEngine()


def value_key(label: str, value: str) -> tuple[str, str]:
    """What makes two mentions the same value: digits for numbers, case-folded words otherwise."""
    digits = digits_of(value)
    if digits and len(digits) >= 0.6 * len("".join(value.split())):
        return label, digits.removeprefix("84") if label == "PHONE" else digits
    return label, " ".join(value.casefold().split())


def _placeholders(text: str, findings: Sequence[Finding], mode: str, salt: str) -> list[str]:
    """The replacement for each finding, in order."""
    numbers: dict[tuple[str, str], int] = {}
    counts: dict[str, int] = {}
    out = []
    for finding in findings:
        start, end = finding.span or (0, 0)
        value = text[start:end]
        if mode == "mask":
            out.append("*" * len(value))
        elif mode == "tag":
            out.append(f"<{finding.label}>")
        elif mode == "pseudonym":
            key = value_key(finding.label, value)
            if key not in numbers:
                counts[finding.label] = counts.get(finding.label, 0) + 1
                numbers[key] = counts[finding.label]
            out.append(f"<{finding.label}_{numbers[key]}>")
        else:
            key = "\x1f".join(value_key(finding.label, value))
            digest = hashlib.sha256((salt + key).encode("utf-8", "surrogatepass")).hexdigest()
            out.append(f"<{finding.label}:{digest[:12]}>")
    return out


def redact(
    text: str,
    findings: Sequence[Finding] | None = None,
    mode: str = "tag",
    salt: str | None = None,
) -> str:
    """``text`` with each finding's span replaced as ``mode`` says; nothing else changes."""
    if mode not in REDACT_MODES:
        raise InputError(f"unknown redaction mode {mode!r}; use one of {', '.join(REDACT_MODES)}")
    if findings is None:
        from kiemchung.guard import find_leaks

        findings = find_leaks(text)
    spans = sorted((f for f in findings if f.span), key=lambda f: f.span or (0, 0))
    if not spans:
        return text
    replacements = _placeholders(text, spans, mode, salt or secrets.token_hex(16))
    # One entity type per finding, so each can carry its own replacement through Presidio.
    results, operators = [], {}
    for i, (finding, replacement) in enumerate(zip(spans, replacements, strict=True)):
        start, end = finding.span or (0, 0)
        entity = f"K{i}"
        results.append(RecognizerResult(entity, start, end, finding.score))
        operators[entity] = OperatorConfig("replace", {"new_value": replacement})
    return _ANONYMIZER.anonymize(text=text, analyzer_results=results, operators=operators).text
