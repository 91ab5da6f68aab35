"""The shape every leak-guard recognizer shares: Presidio's PatternRecognizer, taught Vietnamese.

A recognizer is patterns + context words + validation + an explanation, as in Presidio's
``country_specific`` folders. What differs from Presidio's stock class is why this base exists:

* **Context without an NLP model.** Presidio reads context words from spaCy tokens; with the
  ``NoOpNlpEngine`` there are none. Here context is looked up in a character window around the hit,
  accent-folded and lower-cased, so "so tai khoan" counts like "số tài khoản".
* **Context that is required, and context that vetoes.** A 9-digit number is an old ID card only
  next to "CMND"; a 12-digit number next to "mã đơn hàng" is an order number, whatever its shape.
* **A label names the value right after it, and no other.** Forms and chat put several items on
  one line ("CCCD 0012…, SĐT 0912…, STK 1903…"), so a cue word found in a window would lend its
  type to every number near it. Instead the cue nearest before a hit decides (see
  :mod:`kiemchung.guard.recognizers.cues`): it counts only when no other value sits between
  them, and another type's label in between stops the search. After a hit, a cue counts only when
  it does not name a value of its own ("0123456789 Vietcombank", not "0912… STK 1903…").
* **A cue overrides a failed check digit.** "MST 0316789245" with a mistyped check digit is still
  a tax code in a draft; a cue directly before a number of the right shape keeps it, at a lower
  score (``CUED_UNVALIDATED``), and the explanation says the check failed. Placeholders
  ("0000000000") never count.
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

from kiemchung.guard.recognizers import cues
from kiemchung.text.diacritics import fold_accents

#: Scores: a structural match alone, a match confirmed by context or a checksum, the floor.
WEAK, MEDIUM, STRONG = 0.35, 0.6, 0.95
#: A number of the right shape whose check failed, kept because a cue word directly names it.
CUED_UNVALIDATED = 0.55
#: The score a finding needs to be reported (and redacted).
THRESHOLD = 0.5

_SENTENCE_END = re.compile(r"\n|[.!?;](?:\s|$)")


def number_start(first: str, not_after: str = r"\w.,") -> str:
    """A regex opening a number with ``first`` (one character), not in the middle of another.

    The character before may not be one of ``not_after``, nor a dash that follows a digit
    ("0912-0012…" is one number), though a dash after a word separates items ("Mai-0912…").
    The check comes after the literal, which lets the regex engine skip ahead to candidates.
    """
    return rf"{first}(?<![{not_after}]{first})(?<!\d-{first})"


def digits_of(value: str) -> str:
    """The digits of a value written with spaces, dots or dashes ("0912 345.678" → "0912345678")."""
    return "".join(c for c in value if c.isdigit())


def folded_alternation(words: Iterable[str]) -> str:
    """``words`` folded and lower-cased, longest first, as one regex alternation (ungrouped)."""
    return cues.alternation(fold_accents(w) for w in words)


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(cues.fold(w) for w in words)


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
    #: The cue words that act as a form's field labels, naming the value after them, which every
    #: recognizer reads (``None``: ``CONTEXT`` and ``NEGATIVE_CONTEXT``). Everyday words that are
    #: also cues ("anh", "xe") are left out, so they never stop another type's label.
    LABELS: ClassVar[tuple[str, ...] | None] = None
    CONTEXT_BOOST: ClassVar[float] = 0.35
    #: Characters searched for context before and after a hit.
    WINDOW_BEFORE: ClassVar[int] = 40
    WINDOW_AFTER: ClassVar[int] = 20
    CASE_SENSITIVE: ClassVar[bool] = False
    EXPLANATION: ClassVar[str]
    EXPLANATION_VI: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        labels = cls.LABELS
        if labels is None:
            labels = (*getattr(cls, "CONTEXT", ()), *getattr(cls, "NEGATIVE_CONTEXT", ()))
        cues.register_labels(labels)

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
        self._positive = _folded(self.context)
        self._negative = _folded(self.NEGATIVE_CONTEXT)
        self._scanner = cues.scanner(cues.all_labels() | self._positive | self._negative)
        self._own_cue = cues.phrase_pattern(self._positive)

    # ------------------------------------------------------------------ hooks for subclasses

    def validate_result(self, pattern_text: str) -> bool | None:
        """True: a checksum or structure check passed (score → STRONG); None: nothing to check;
        False: it failed, and the hit is dropped unless its own cue names it directly."""
        return None

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The part of a match that is the value (it may take in a neighbour); default: all."""
        return start, end

    def accept(self, text: str, start: int, end: int) -> bool:
        """A last look at the hit in its text (line position, neighbours); default: keep it."""
        return True

    def is_placeholder(self, value: str) -> bool:
        """A value no cue can make personal data ("0000000000"); default: one digit repeated."""
        digits = digits_of(value)
        return len(set(digits)) <= 1

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
        """Every pattern hit that validates, with context applied and an explanation attached.

        A grouped number that is not kept is tried again from its next character: groups run
        into each other ("hotline 1900 5624 9704 4562 2526 9491"), and the value may start at a
        later group of the same run.
        """
        results: dict[tuple[int, int], RecognizerResult] = {}  # one per span: the best pattern
        for name, regex, base_score in self._compiled:
            covered = 0  # where a kept retry ended: later matches inside it were its groups
            for match in regex.finditer(text):
                if match.start() < covered:
                    continue
                result = self._judge(text, match, name, base_score)
                if result is None:
                    result = self._retry_groups(text, match, regex, name, base_score)
                    covered = result.end if result is not None else covered
                if result is not None:
                    best = results.get((result.start, result.end))
                    if best is None or result.score > best.score:
                        results[result.start, result.end] = result
        return list(results.values())

    def _retry_groups(
        self, text: str, match: re.Match[str], regex: re.Pattern[str], name: str, score: float
    ) -> RecognizerResult | None:
        """The first later group of a dropped match that starts a value of its own, if any.

        Only groups of two characters or more are tried: values are written in groups of three
        or four, and a run of single digits ("1 1 1 1 …") would otherwise be tried at each one.
        """
        position = text.find(" ", match.start(), match.end())
        while position >= 0:
            group_of_two = text[position + 2 : position + 3] not in " "  # "" at the end too
            retry = regex.match(text, position + 1) if group_of_two else None
            if retry is not None and (result := self._judge(text, retry, name, score)):
                return result
            position = text.find(" ", position + 1, match.end())
        return None

    def _judge(
        self, text: str, match: re.Match[str], pattern: str, base_score: float
    ) -> RecognizerResult | None:
        """One match as a result — validated, trimmed, its context read — or None to drop it."""
        start, end = match.span("value") if "value" in match.re.groupindex else match.span()
        start, end = self.trim(text, start, end)
        if start == end or not self.accept(text, start, end):
            return None
        value = text[start:end]
        valid = self.validate_result(value)
        if (valid is False or self.REQUIRES_CONTEXT) and not self._own_cue_near(text, start, end):
            return None  # only a cue of its own could keep it, and there is none near
        if valid is False:  # kept only when its own cue stands right before it
            label, gap = self._label_before(text, start)
            if self.is_placeholder(value) or label not in self._positive:
                return None
            if cues.JOINER.fullmatch(gap) is None:
                return None
            score, reason = CUED_UNVALIDATED, label
        else:
            score, reason = self._apply_context(text, start, end, STRONG if valid else base_score)
        if score < THRESHOLD:
            return None
        return self._result(start, end, score, pattern, reason, valid)

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

    def _own_cue_near(self, text: str, start: int, end: int) -> bool:
        """Whether a cue word of this recognizer's own is anywhere near the hit: a cheap look
        that settles most hits which need one before the labels are read in order."""
        return self._own_cue is not None and (
            self._own_cue.search(
                cues.folded(text),
                max(0, start - self.WINDOW_BEFORE),
                end + self.WINDOW_AFTER + 24,
            )
            is not None
        )

    def _label_before(self, text: str, start: int) -> tuple[str, str]:
        """The label nearest before a hit on its line, and what lies between them (folded).

        No label when another value sits between: that value is the one the label named.
        """
        low = max(0, start - self.WINDOW_BEFORE)
        low = cues.folded(text).rfind("\n", low, start) + 1 or low
        return cues.nearest_label(text, self._scanner, low, start)

    def _label_after(self, text: str, end: int) -> str:
        """The first label after a hit, in its sentence, unless it names a value of its own."""
        if self.WINDOW_AFTER == 0:
            return ""
        folded = cues.folded(text)
        high = min(len(folded), end + self.WINDOW_AFTER + 24)
        sentence_end = _SENTENCE_END.search(folded, end, high)
        if sentence_end:
            high = sentence_end.start()
        label = self._scanner.search(folded, end, high)
        if label is None or label.lastgroup != "label" or label.start() >= end + self.WINDOW_AFTER:
            return ""
        value = cues.VALUE.search(folded, label.end(), high)
        if value and cues.JOINER.fullmatch(folded, label.end(), value.start()):
            return ""  # "0912345678 STK 1903…": the label belongs to the next number
        return label.group(0)

    def _apply_context(self, text: str, start: int, end: int, score: float) -> tuple[float, str]:
        """The score after reading the labels around a hit: raised, vetoed, or left as it is."""
        if not self._positive and not self._negative:
            return score, ""  # a shape that needs no cue (a marking, a key)
        if cues.AMOUNT_UNIT.match(cues.folded(text), end, end + 8):
            return 0.0, "an amount"
        label, _ = self._label_before(text, start)
        if label in self._negative:
            return 0.0, "negative context"
        if not label:  # (another type's label before would have named the value, not this one)
            label = self._label_after(text, end)
        if label in self._positive:
            return min(1.0, max(score, MEDIUM) + self.CONTEXT_BOOST), label
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
        textual, textual_vi = f"{self.EXPLANATION} ({detail})", self.EXPLANATION_VI
        if valid is False:
            textual = (
                f"Named by '{context}' but its check digit or structure does not validate, "
                f"so perhaps mistyped: still {self.ENTITY} ({detail})"
            )
            textual_vi = f"Có '{context}' đứng trước nhưng sai chữ số kiểm tra (có thể gõ nhầm)"
        explanation = AnalysisExplanation(
            recognizer=self.name,
            original_score=score,
            pattern_name=pattern,
            validation_result=valid,
            textual_explanation=textual,
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
                "explanation_vi": textual_vi,
            },
        )
