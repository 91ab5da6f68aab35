"""The shape every leak-guard recognizer shares: Presidio's PatternRecognizer, taught Vietnamese.

A recognizer is patterns + context words + validation + an explanation, as in Presidio's
``country_specific`` folders. Three things differ from Presidio's stock class, and are why this base
exists:

* **Context without an NLP model.** Presidio reads context words from spaCy tokens; with the
  ``NoOpNlpEngine`` there are none. Here context is looked up in a character window around the hit,
  accent-folded and lower-cased, so "so tai khoan" counts like "số tài khoản".
* **Context that is required, and context that vetoes.** A 9-digit number is an old ID card only
  next to "CMND"; a 12-digit number next to "mã đơn hàng" is an order number, whatever its shape.
* **A value group.** In "mật khẩu: abc123" only ``abc123`` is the secret; a pattern may mark the
  part to report with a ``(?P<value>...)`` group.

The class still is a ``PatternRecognizer``: it can be added to any Presidio ``AnalyzerEngine``
(``kiemchung.guard.presidio_analyzer_engine`` does exactly that, and a test checks both engines
agree).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import ClassVar

from presidio_analyzer import AnalysisExplanation, Pattern, PatternRecognizer, RecognizerResult

from kiemchung.text.diacritics import fold_accents

#: Scores: a structural match alone, a match confirmed by context or a checksum, the floor.
WEAK, MEDIUM, STRONG = 0.35, 0.6, 0.95
#: The score a finding needs to be reported (and redacted).
THRESHOLD = 0.5

_SENTENCE_END = re.compile(r"\n|[.!?;](?:\s|$)")


def digits_of(value: str) -> str:
    """The digits of a value written with spaces, dots or dashes ("0912 345.678" → "0912345678")."""
    return "".join(c for c in value if c.isdigit())


def folded_alternation(words: Iterable[str]) -> str:
    """``words`` folded and lower-cased, longest first, as one regex alternation (ungrouped)."""
    folded = sorted({fold_accents(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in folded)


def _phrase_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """One regex finding any of ``words`` (folded, lower-cased) as whole words."""
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{folded_alternation(words)})(?!\w)")


class VietnameseRecognizer(PatternRecognizer):
    """A Presidio pattern recognizer with Vietnamese context windows, vetoes and value groups.

    Subclasses set the class attributes; instances may override ``context`` (as Presidio allows).
    """

    ENTITY: ClassVar[str]
    #: (name, regex, score). Regexes run over the normalized (NFC) text, case-insensitively
    #: unless ``CASE_SENSITIVE``.
    PATTERNS: ClassVar[tuple[tuple[str, str, float], ...]]
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    #: Words that, just before a hit, say it is something else (an order number, a hotline ...).
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ()
    #: Without a context word nearby the hit is dropped.
    REQUIRES_CONTEXT: ClassVar[bool] = False
    CONTEXT_BOOST: ClassVar[float] = 0.35
    #: Characters searched for context before and after a hit.
    WINDOW_BEFORE: ClassVar[int] = 40
    WINDOW_AFTER: ClassVar[int] = 20
    CASE_SENSITIVE: ClassVar[bool] = False
    EXPLANATION: ClassVar[str]
    EXPLANATION_VI: ClassVar[str]

    def __init__(
        self, context: Sequence[str] | None = None, supported_language: str = "vi"
    ) -> None:
        flags = re.MULTILINE if self.CASE_SENSITIVE else re.MULTILINE | re.IGNORECASE
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            patterns=[Pattern(name, regex, score) for name, regex, score in self.PATTERNS],
            context=list(self.CONTEXT if context is None else context),
            supported_language=supported_language,
            global_regex_flags=flags,
        )
        self._compiled = [
            (name, re.compile(regex, flags), score) for name, regex, score in self.PATTERNS
        ]
        self._context_re = _phrase_pattern(self.context)
        self._negative_re = _phrase_pattern(self.NEGATIVE_CONTEXT)

    # ------------------------------------------------------------------ hooks for subclasses

    def validate_result(self, pattern_text: str) -> bool | None:
        """True: a checksum or structure check passed (score → STRONG); False: drop; None: n/a."""
        return None

    def accept(self, text: str, start: int, end: int) -> bool:
        """A last look at the hit in its text (line position, neighbours); default: keep it."""
        return True

    # ------------------------------------------------------------------ Presidio interface

    def analyze(
        self,
        text: str,
        entities: list[str] | None = None,
        nlp_artifacts: object | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's entry point: this recognizer's hits, unless its entity was not asked for."""
        if entities and self.ENTITY not in entities:
            return []
        return self.find(text)

    def find(self, text: str) -> list[RecognizerResult]:
        """Every pattern hit that validates, with context applied and an explanation attached."""
        results: dict[tuple[int, int], RecognizerResult] = {}  # one per span: the best pattern
        for name, regex, base_score in self._compiled:
            for match in regex.finditer(text):
                start, end = match.span("value") if "value" in regex.groupindex else match.span()
                if start == end or not self.accept(text, start, end):
                    continue
                valid = self.validate_result(text[start:end])
                if valid is False:
                    continue
                score = STRONG if valid else base_score
                score, reason = self._apply_context(text, start, end, score)
                if score < THRESHOLD:
                    continue
                best = results.get((start, end))
                if best is None or score > best.score:
                    results[start, end] = self._result(start, end, score, name, reason, valid)
        return list(results.values())

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: list[RecognizerResult],
        other_raw_recognizer_results: list[RecognizerResult],
        nlp_artifacts: object | None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Context was applied in ``analyze`` (it needs no tokens); nothing more to do here."""
        return raw_recognizer_results

    # ------------------------------------------------------------------ internals

    def _window(self, text: str, start: int, end: int) -> tuple[str, str]:
        """Folded text around a hit, within its line; the part after stops at a sentence end."""
        before = text[max(0, start - self.WINDOW_BEFORE) : start].rpartition("\n")[2]
        after = _SENTENCE_END.split(text[end : end + self.WINDOW_AFTER], maxsplit=1)[0]
        return fold_accents(before.lower()), fold_accents(after.lower())

    def _apply_context(self, text: str, start: int, end: int, score: float) -> tuple[float, str]:
        if self._context_re is None and self._negative_re is None:
            return score, ""
        before, after = self._window(text, start, end)
        # A label names the value after it ("MST 0312345678"), so only what precedes can veto:
        # in "sđt 0912 345 678, CCCD 0010…" the CCCD label belongs to the next number.
        if self._negative_re is not None and self._negative_re.search(before):
            return 0.0, "negative context"
        found = None
        if self._context_re is not None:
            found = self._context_re.search(before) or self._context_re.search(after)
        if found:
            return min(1.0, max(score, MEDIUM) + self.CONTEXT_BOOST), found.group(0)
        if self.REQUIRES_CONTEXT:
            return 0.0, ""
        return score, ""

    def _result(
        self, start: int, end: int, score: float, pattern: str, context: str, valid: bool | None
    ) -> RecognizerResult:
        detail = f"pattern {pattern}"
        if valid:
            detail += ", checksum/structure valid"
        if context:
            detail += f", context '{context}'"
        explanation = AnalysisExplanation(
            recognizer=self.name,
            original_score=score,
            pattern_name=pattern,
            validation_result=valid,
            textual_explanation=f"{self.EXPLANATION} ({detail})",
        )
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=round(score, 4),
            analysis_explanation=explanation,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                "context": context,
            },
        )
