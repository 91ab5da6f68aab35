"""The sentiment model's data: three Vietnamese sets under one NEG / NEU / POS label set.

- UIT-VSFC (student feedback): its own negative / neutral / positive labels.
- UIT-ViSFD (smartphone reviews): the star rating — 1–2 NEG, 3 NEU, 4–5 POS (its aspect labels
  describe parts of a review, not the whole).
- AIVIVN 2019 (product reviews): positive / negative; its test labels are a third party's.

Any training text that also occurs in a dev or test split of any of the three is dropped first.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiemchung import datasets
from kiemchung.models.artifact import describe_data_file
from kiemchung.models.tfidf_linear import model_text

LABELS = ("NEG", "NEU", "POS")
#: Per dataset: the splits used for training and for evaluation (AIVIVN has no dev split).
EVALUATION_SPLITS = {
    "uit_vsfc": {"dev": "dev", "test": "test"},
    "uit_visfd": {"dev": "dev", "test": "test"},
    "aivivn2019_sa": {"test": "test_thirdparty"},
}


@dataclass(frozen=True)
class SentimentExample:
    text: str
    label: int  # index into LABELS


def _stars(stars: int | None) -> int | None:
    if not stars:
        return None
    return 0 if stars <= 2 else 1 if stars == 3 else 2


def examples(dataset: str, split: str) -> list[SentimentExample]:
    """A split of one dataset as (text, NEG/NEU/POS) examples; unlabelled rows are left out."""
    records = datasets.load(dataset, split)
    if dataset == "uit_vsfc":
        pairs = [(r.text, r.sentiment) for r in records]
    elif dataset == "uit_visfd":
        pairs = [(r.text, _stars(r.stars)) for r in records]
    else:  # aivivn2019_sa: 0 positive, 1 negative
        pairs = [(r.text, None if r.label is None else 2 * (1 - r.label)) for r in records]
    return [SentimentExample(t, y) for t, y in pairs if y is not None and t.strip()]


def training_examples() -> tuple[list[SentimentExample], list[dict]]:
    """The three train splits, decontaminated, and their manifest entries."""
    held_out = {
        model_text(e.text)
        for name, splits in EVALUATION_SPLITS.items()
        for split in splits.values()
        for e in examples(name, split)
    }
    chosen, files = [], []
    for name in EVALUATION_SPLITS:
        kept = [e for e in examples(name, "train") if model_text(e.text) not in held_out]
        chosen += kept
        files.append(describe_data_file(datasets.dataset_path(name, "train"), len(kept)))
    return chosen, files
