"""``kiemchung eval scam``: the scam recognizer on the synthetic scam / look-alike set.

Splits are the set's own (see ``moderation/data/SOURCE.md``): ``dev`` was used to write the rules;
``dev2``, a second batch written later, was measured once with those rules and then used to
broaden them; ``test`` was written after the first rules were frozen and has never been used to
change them. A naive keyword flagger runs on the same items as the anchor, to show what the
look-alikes cost a keyword list.
"""

from __future__ import annotations

import re
from collections import Counter

from kiemchung.errors import InputError
from kiemchung.evaluation.metrics import classification_metrics
from kiemchung.evaluation.packaged import packaged_jsonl
from kiemchung.evaluation.registry import EvalResult, register_evaluator
from kiemchung.moderation.scam import assess
from kiemchung.text.diacritics import fold_accents

LABELS = ("NOT_SCAM", "SCAM")
#: The anchor: flag any message that mentions one of the words scams are known for.
_KEYWORDS = re.compile(r"otp|trung thuong|chuyen khoan|\bstk\b|http|link|lai suat|vay|phi|khoa")


def load_synthetic_set(split: str) -> list[dict]:
    rows = packaged_jsonl("kiemchung.moderation", "scam_synthetic.jsonl")
    return [r for r in rows if r["split"] == split]


def _keyword_flag(text: str) -> bool:
    return bool(_KEYWORDS.search(fold_accents(text)))


@register_evaluator(
    "scam",
    "synthetic scam vs look-alike messages (9 scam patterns)",
    ("rules",),
    ("dev", "dev2", "test"),
)
def evaluate_scam(model: str, split: str) -> EvalResult:
    if model != "rules":
        raise InputError(f"unknown model {model!r} for scam; use rules")
    rows = load_synthetic_set(split)
    gold = [int(r["label"] == "SCAM") for r in rows]
    assessments = [assess(r["text"]) for r in rows]
    metrics = classification_metrics(gold, [int(a.is_scam) for a in assessments], LABELS)
    scams = Counter(r["pattern"] for r in rows if r["label"] == "SCAM")
    caught = Counter(
        r["pattern"]
        for r, a in zip(rows, assessments, strict=True)
        if a.is_scam and r["label"] == "SCAM"
    )
    metrics["recall_by_pattern"] = {p: round(caught[p] / n, 4) for p, n in sorted(scams.items())}
    negatives = [a for r, a in zip(rows, assessments, strict=True) if r["label"] == "NOT_SCAM"]
    metrics["false_positive_rate"] = round(sum(a.is_scam for a in negatives) / len(negatives), 4)
    keyword = classification_metrics(gold, [int(_keyword_flag(r["text"])) for r in rows], LABELS)
    anchors = {
        "keyword_flagger_same_run": {
            "macro_f1": keyword["macro_f1"],
            "SCAM_precision": keyword["per_class"]["SCAM"]["precision"],
            "SCAM_recall": keyword["per_class"]["SCAM"]["recall"],
        }
    }
    return EvalResult("scam", model, split, len(rows), metrics, anchors)
