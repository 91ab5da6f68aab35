"""schema.org ClaimReview: reading fact-checkers' published reviews and writing them back out.

Fact-checkers publish each review as ClaimReview JSON-LD (Google's Fact Check Explorer and
Meedan Check both exchange it). We read it from JSON (one object, a list, or an ``@graph``), JSON
Lines, or HTML pages carrying ``<script type="application/ld+json">``; a malformed record is
reported with its file and line (or item number) and skipped or, if asked, rejects the batch.

What we keep: the claim as reviewed, the rating exactly as the fact-checker wrote it, the review's
url, publisher and date, and the language. What we map: the rating to our three verdicts, so a
reviewed claim can answer ``check``. What we drop on purpose: ``itemReviewed.author`` — who made
the claim. The tool judges content, never people, so it keeps no record of who said what.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kiemchung.errors import InputError, RowError
from kiemchung.text.diacritics import fold_accents
from kiemchung.text.inputs import decode, json_value, visible

#: Rating words (accent-folded, lower-cased) that say the claim is false or true. Checked in
#: this order: "không đúng" and "mostly false" must be read as false before "đúng" as true.
_FALSE_WORDS = re.compile(
    r"\b(?:false|fake|wrong|incorrect|misleading|pants on fire|fabricated|hoax|scam|"
    r"sai|khong dung|khong chinh xac|bia dat|gia mao|tin gia|gay hieu lam|lua dao|xuyen tac)\b"
)
_TRUE_WORDS = re.compile(r"\b(?:true|correct|accurate|dung|chinh xac|su that)\b")
_MIXED_WORDS = re.compile(
    r"\b(?:half|mixture|mixed|partly|partially|unproven|mot phan|chua du|chua ro|"
    r"chua kiem chung|thieu ngu canh|missing context)\b"
)


@dataclass(frozen=True)
class ClaimReview:
    """One fact-checker's review of one claim."""

    claim: str
    rating: str
    url: str
    verdict: str = "NOT_ENOUGH_INFO"
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    publisher: str = ""
    published: str = ""
    language: str = ""

    def to_jsonld(self) -> dict[str, Any]:
        """This review as a schema.org ClaimReview object (without the claimant, see above)."""
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": self.rating}
        for key, value in (
            ("ratingValue", self.rating_value),
            ("bestRating", self.best_rating),
            ("worstRating", self.worst_rating),
        ):
            if value is not None:
                rating[key] = value
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": self.claim,
            "reviewRating": rating,
            "url": self.url,
        }
        if self.publisher:
            data["author"] = {"@type": "Organization", "name": self.publisher}
        if self.published:
            data["datePublished"] = self.published
        if self.language:
            data["inLanguage"] = self.language
        return data


def verdict_of_rating(
    rating: str,
    value: float | None = None,
    best: float | None = None,
    worst: float | None = None,
) -> str:
    """SUPPORTED, REFUTED or NOT_ENOUGH_INFO for a fact-checker's rating.

    The rating's words decide first (they are what the fact-checker meant; scales differ between
    publishers): mixed or unproven ratings are NOT_ENOUGH_INFO, then false-words, then true-words.
    Without telling words, a numeric rating in its lower third is REFUTED, in its upper third
    SUPPORTED.
    """
    words = fold_accents(rating.lower())
    if _MIXED_WORDS.search(words):
        return "NOT_ENOUGH_INFO"
    if _FALSE_WORDS.search(words):
        return "REFUTED"
    if _TRUE_WORDS.search(words):
        return "SUPPORTED"
    if value is not None:
        low = 1.0 if worst is None else worst
        high = 5.0 if best is None else best
        if high > low:
            position = (value - low) / (high - low)
            if position <= 1 / 3:
                return "REFUTED"
            if position >= 2 / 3:
                return "SUPPORTED"
    return "NOT_ENOUGH_INFO"


def _number(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return str(value or "").strip()


def review_from_jsonld(record: Any) -> ClaimReview:
    """A ``ClaimReview`` from one JSON-LD object; ``InputError`` says what is missing."""
    if not isinstance(record, dict):
        raise InputError("expected a ClaimReview object")
    kind = record.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "ClaimReview" not in kinds:
        raise InputError(f"expected @type ClaimReview, got {kind!r}")
    claim = record.get("claimReviewed")
    if not isinstance(claim, str) or not visible(claim):
        raise InputError("missing or empty 'claimReviewed' (nothing visible in it)")
    rating = record.get("reviewRating")
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    if not isinstance(rating, dict):
        raise InputError("missing 'reviewRating'")
    text = str(rating.get("alternateName") or rating.get("name") or "").strip()
    value = _number(rating.get("ratingValue"))
    if not text and value is None:
        raise InputError("the reviewRating has neither alternateName nor ratingValue")
    best, worst = _number(rating.get("bestRating")), _number(rating.get("worstRating"))
    url = str(record.get("url") or "").strip()
    if not url:
        raise InputError("missing 'url' (a verdict must link to its review)")
    return ClaimReview(
        claim=claim.strip(),
        rating=text or f"{value:g}",
        url=url,
        verdict=verdict_of_rating(text, value, best, worst),
        rating_value=value,
        best_rating=best,
        worst_rating=worst,
        publisher=_name(record.get("author") or record.get("publisher")),
        published=str(record.get("datePublished") or "").strip(),
        language=_name(record.get("inLanguage")),
    )


class _JsonLdScripts(HTMLParser):
    """Collects the text of ``<script type="application/ld+json">`` blocks and their lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self._current: list[str] | None = None
        self._line = 0  # where the open script block started

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "script" and dict(attrs).get("type", "").lower() == "application/ld+json":
            self._current = []
            self._line = self.getpos()[0]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.blocks.append((self._line, "".join(self._current)))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)


def _objects(value: Any) -> Iterator[Any]:
    """ClaimReview candidates inside a parsed JSON value: lists and ``@graph`` are opened."""
    if isinstance(value, list):
        for item in value:
            yield from _objects(item)
    elif isinstance(value, dict) and "@graph" in value:
        yield from _objects(value["@graph"])
    else:
        yield value


def _parsed(content: str, path: str, suffix: str) -> Iterator[tuple[int, Any] | RowError]:
    """(line, JSON value) for every record in a file, or the error that stopped one."""
    if suffix in (".html", ".htm"):
        parser = _JsonLdScripts()
        parser.feed(content)
        chunks = parser.blocks
    elif suffix == ".jsonl":
        chunks = [(n, line) for n, line in enumerate(content.splitlines(), 1) if line.strip()]
    else:
        chunks = [(1, content)]
    for line, chunk in chunks:
        try:
            yield line, json_value(chunk)
        except json.JSONDecodeError as exc:
            yield RowError(path, line + exc.lineno - 1, f"invalid JSON: {exc.msg}")


@dataclass
class ReviewReadResult:
    reviews: list[ClaimReview] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_claim_reviews(paths: list[str | Path], on_error: str = "skip") -> ReviewReadResult:
    """Every ClaimReview in ``paths``; malformed records are skipped, or with
    ``on_error="reject"`` the first one raises ``InputError`` and nothing is returned."""
    if on_error not in ("skip", "reject"):
        raise InputError("on_error must be 'skip' or 'reject'")
    result = ReviewReadResult()
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise InputError(f"no such file: {path}")
        content = decode(path.read_bytes(), str(path))
        for item in _parsed(content, str(path), path.suffix.lower()):
            if isinstance(item, RowError):
                result.errors.append(item)
                continue
            line, value = item
            for number, record in enumerate(_objects(value), 1):
                try:
                    result.reviews.append(review_from_jsonld(record))
                except InputError as exc:
                    item_note = "" if path.suffix.lower() == ".jsonl" else f"item {number}: "
                    result.errors.append(RowError(str(path), line, f"{item_note}{exc}"))
        if on_error == "reject" and result.errors:
            raise InputError(f"rejected: {result.errors[0]}")
    return result
