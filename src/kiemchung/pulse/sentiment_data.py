"""The sentiment model's data: three Vietnamese sets under one NEG / NEU / POS label set.

- UIT-VSFC (student feedback): its own negative / neutral / positive labels.
- UIT-ViSFD (smartphone reviews): the overall polarity its annotators gave the text — the GENERAL
  aspect's polarity where they marked one, else the majority of the aspect polarities (a tie is
  NEU); reviews with no positive or negative aspect are left out. Star ratings were used before,
  but a star is what the reviewer clicked, not what the text says: 3-star reviews full of
  complaints taught the model that "Máy nóng, pin tụt nhanh, rất thất vọng" is neutral. Chosen on
  UIT-VSFC dev (macro-F1): stars 0.7715, annotator polarities 0.7736, the same with neutral-only
  reviews kept as NEU 0.7646.
- AIVIVN 2019 (product reviews): positive / negative; its test labels are a third party's.

Any training text that also occurs in a dev or test split of any of the three is dropped first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiemchung import datasets
from kiemchung.models.artifact import describe_data_file
from kiemchung.models.refit import LabelledTexts
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


_POLARITY = {"Negative": 0, "Neutral": 1, "Positive": 2}


def overall_polarity(aspects: tuple[tuple[str, str | None], ...]) -> int | None:
    """A UIT-ViSFD review's NEG / NEU / POS from its (aspect, polarity) annotations."""
    polarities = dict((a, p) for a, p in aspects if p in _POLARITY)
    if "GENERAL" in polarities:
        return _POLARITY[polarities["GENERAL"]]
    positive = sum(p == "Positive" for p in polarities.values())
    negative = sum(p == "Negative" for p in polarities.values())
    if positive == negative == 0:  # only neutral aspects: dev said leave these out (see above)
        return None
    return 1 if positive == negative else 2 if positive > negative else 0


def examples(dataset: str, split: str) -> list[SentimentExample]:
    """A split of one dataset as (text, NEG/NEU/POS) examples; unlabelled rows are left out."""
    records = datasets.load(dataset, split)
    if dataset == "uit_vsfc":
        pairs = [(r.text, r.sentiment) for r in records]
    elif dataset == "uit_visfd":
        pairs = [(r.text, overall_polarity(r.aspects)) for r in records]
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


def labelled(chosen: list[SentimentExample]) -> LabelledTexts:
    return LabelledTexts([e.text for e in chosen], np.array([e.label for e in chosen]))


def each_set(split: str) -> dict[str, list[SentimentExample]]:
    """``split`` (dev or test) of every set that has one, by set."""
    return {n: examples(n, s[split]) for n, s in EVALUATION_SPLITS.items() if split in s}


def train_and_dev() -> LabelledTexts:
    """The training examples plus the dev splits minus any test text: what the shipped model is
    refitted on once dev has chosen its configuration (see :mod:`kiemchung.models.refit`)."""
    test = [e.text for rows in each_set("test").values() for e in rows]
    dev = [e for rows in each_set("dev").values() for e in rows]
    return labelled(training_examples()[0]) + labelled(dev).without(test)
