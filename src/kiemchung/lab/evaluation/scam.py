"""``kiemchung eval scam``: the scam recognizer on the synthetic scam / look-alike set.

Splits are the set's own (see ``lab/data/SOURCE.md``): ``dev`` was used to write the rules;
``dev2``, a second batch written later, was measured once with those rules and then used to
broaden them; ``test`` was written after the first rules were frozen and has never been used to
change them. A naive keyword flagger runs on the same items as the anchor, to show what the
look-alikes cost a keyword list.

Beside the synthetic set, every run also reads real text that holds no scam: the 894 bundled
ViFactCheck news articles in windows of three sentences, as a post quoting the news would be.
Crime, court, bank and accident news uses a scam's words every day, so the share of those windows
flagged is the false-alarm rate a newsroom would see.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from kiemchung.errors import InputError
from kiemchung.lab.evaluation.metrics import classification_metrics
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.moderation.scam import assess
from kiemchung.resources import packaged_jsonl
from kiemchung.text.diacritics import fold_accents

LABELS = ("NOT_SCAM", "SCAM")
#: The anchor: flag any message that mentions one of the words scams are known for.
_KEYWORDS = re.compile(r"otp|trung thuong|chuyen khoan|\bstk\b|http|link|lai suat|vay|phi|khoa")


def load_synthetic_set(split: str) -> list[dict]:
    rows = packaged_jsonl("kiemchung.lab", "scam_synthetic.jsonl")
    return [r for r in rows if r["split"] == split]


#: Sentences per window of news text, as a post quoting the news would hold.
NEWS_WINDOW_SENTENCES = 3


@lru_cache(maxsize=1)
def news_windows() -> tuple[str, ...]:
    """The bundled ViFactCheck articles cut into consecutive windows of a few sentences."""
    from kiemchung.text.sentences import split_sentences
    from kiemchung.verify.check import demo_corpus_documents

    windows = []
    for document in demo_corpus_documents():
        spans = split_sentences(document.text)
        for first in range(0, len(spans), NEWS_WINDOW_SENTENCES):
            last = spans[min(first + NEWS_WINDOW_SENTENCES, len(spans)) - 1]
            windows.append(document.text[spans[first][0] : last[1]])
    return tuple(windows)


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
    caught_scams = [
        (r, a) for r, a in zip(rows, assessments, strict=True) if a.is_scam and r["label"] == "SCAM"
    ]
    caught = Counter(r["pattern"] for r, _ in caught_scams)
    metrics["recall_by_pattern"] = {p: round(caught[p] / n, 4) for p, n in sorted(scams.items())}
    # What the explanation names: the share of caught scams whose pattern it names right.
    right = sum(a.pattern == r["pattern"] for r, a in caught_scams)
    metrics["pattern_named_right"] = round(right / max(1, len(caught_scams)), 4)
    negatives = [a for r, a in zip(rows, assessments, strict=True) if r["label"] == "NOT_SCAM"]
    metrics["false_positive_rate"] = round(sum(a.is_scam for a in negatives) / len(negatives), 4)
    news = news_windows()
    metrics["news_windows"] = len(news)
    metrics["news_windows_flagged"] = round(sum(assess(t).is_scam for t in news) / len(news), 4)
    keyword = classification_metrics(gold, [int(_keyword_flag(r["text"])) for r in rows], LABELS)
    anchors = {
        "keyword_flagger_same_run": {
            "macro_f1": keyword["macro_f1"],
            "SCAM_precision": keyword["per_class"]["SCAM"]["precision"],
            "SCAM_recall": keyword["per_class"]["SCAM"]["recall"],
            "news_windows_flagged": round(sum(map(_keyword_flag, news)) / len(news), 4),
        }
    }
    return EvalResult("scam", model, split, len(rows), metrics, anchors)
