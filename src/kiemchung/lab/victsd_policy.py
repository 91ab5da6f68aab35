"""ViCTSD's toxic comments as kiemchung's harm policy reads them.

UIT-ViCTSD calls 1,101 news comments toxic, but most of them are sharp, civil complaints that
this project keeps CLEAN: read again by our rule (``lab/data/SOURCE.md``), 15 % insult,
dehumanise or demean someone. Those are the abuse a newsroom's comment thread actually carries
("Súc sinh chứ không phải con người", "Nhìn mặt là biết bất lương"), in a register ViHSD's
social-media comments rarely use, and the model trained without them kept three in four of them
CLEAN. So training takes them with their policy label, and ``kiemchung eval victsd`` scores the
model against those labels beside ViCTSD's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from kiemchung.errors import ModelError
from kiemchung.lab.datasets import NewsComment, Span
from kiemchung.moderation.spans import chars
from kiemchung.moderation.toxicity import LABELS
from kiemchung.resources import packaged_jsonl
from kiemchung.text.normalize import NormalizedText, normalize

LABELS_FILE = "victsd_policy_labels.jsonl"


@cache
def _policy_rows() -> dict[tuple[str, int], tuple[int, tuple[Span, ...]]]:
    """(split, orig_index) → (label id, the offending spans on the comment as released)."""
    rows = {}
    for row in packaged_jsonl("kiemchung.lab", LABELS_FILE):
        if row["label"] not in LABELS:
            raise ModelError(f"{LABELS_FILE}: unknown label {row['label']!r}")
        spans = tuple((int(a), int(b)) for a, b in row.get("spans", ()))
        rows[row["split"], int(row["orig_index"])] = (LABELS.index(row["label"]), spans)
    return rows


def policy_label(split: str, comment: NewsComment) -> int:
    """The label id (``LABELS``) our policy gives a ViCTSD comment: its own for a comment ViCTSD
    calls toxic, CLEAN for the rest (ViCTSD's non-toxic comments are clean by both readings)."""
    return _policy_row(split, comment)[0] if comment.toxic else 0


def _policy_row(split: str, comment: NewsComment) -> tuple[int, tuple[Span, ...]]:
    try:
        return _policy_rows()[split, comment.orig_index]
    except KeyError:
        raise ModelError(
            f"{LABELS_FILE} has no label for ViCTSD {split} comment {comment.orig_index}: "
            "the staged dataset differs from the one it was labelled on"
        ) from None


def abusive(split: str, comments: Sequence[NewsComment]) -> list[int]:
    """1 for each comment the policy calls OFFENSIVE or HATE, else 0."""
    return [int(policy_label(split, c) > 0) for c in comments]


def abusive_spans(split: str, comments: Sequence[NewsComment]) -> list[tuple[str, set[int]]]:
    """Each abusive comment as the span tagger reads it — normalized, as the moderation analyzer
    tags ``doc.norm`` — with the characters of its offending phrases (marked on the comment as
    released, carried over through the offset map): training data for the tagger beside ViHOS,
    and the gold of ``kiemchung eval victsd``'s span figure."""
    out = []
    for comment in comments:
        if not comment.toxic:
            continue
        label, spans = _policy_row(split, comment)
        if not label:
            continue
        normalized = normalize(comment.text)
        out.append((normalized.text, _carried(normalized, chars(spans))))
    return out


def _carried(normalized: NormalizedText, marked: set[int]) -> set[int]:
    """The characters of the normalized text made from a marked character of the original."""
    source = normalized.offsets.char_source
    return {i for i in range(len(normalized.text)) if any(j in marked for j in range(*source(i)))}
