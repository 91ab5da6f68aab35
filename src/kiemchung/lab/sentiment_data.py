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
- Neutral news (``NEUTRAL_NEWS`` statements, weak labels): reviews and course feedback hold almost
  no plain reporting, so models trained on them alone read news as opinion — the shipped models
  called 77–85 % of ViFactCheck's news claims NEG, and Pulse would have counted every repost of a
  news item as a complaint. Sentences and claims of the ViFactCheck articles that only dev claims
  use (never a test claim) are added as NEU, unannotated: most report without an opinion, a few
  quote one. Chosen on dev (articles split in two halves; trained with 0 / 92 / 200 / 400 / 1,290
  statements of one half, read on the claims of the other): news claims read NEU 0 → 75 % (fast)
  and 82 % (accurate) with 200, for UIT-VSFC dev macro-F1 0.7736 → 0.7720 (fast) and 0.7959 →
  0.7861 (accurate), UIT-ViSFD 0.6533 → 0.6461 and 0.6869 → 0.6761; more statements cost more.

Any training text that also occurs in a dev or test split of any of the three is dropped first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiemchung.lab import datasets
from kiemchung.lab.training.refit import LabelledTexts
from kiemchung.models.artifact import describe_data_file
from kiemchung.models.tfidf_linear import model_text
from kiemchung.resources import packaged_jsonl, packaged_path

#: Per dataset: the splits used for training and for evaluation (AIVIVN has no dev split).
EVALUATION_SPLITS = {
    "uit_vsfc": {"dev": "dev", "test": "test"},
    "uit_visfd": {"dev": "dev", "test": "test"},
    "aivivn2019_sa": {"test": "test_thirdparty"},
}


@dataclass(frozen=True)
class SentimentExample:
    text: str
    label: int  # index into kiemchung.pulse.sentiment.LABELS


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


#: How many neutral news statements join the training data (see the module docstring).
NEUTRAL_NEWS = 200
#: The ViFactCheck split whose articles (those no other split uses) the neutral news come from.
NEUTRAL_NEWS_SPLIT = "dev"
_NEWS_SENTENCE_CHARS = (40, 300)


_ARTICLES = ("kiemchung.verify", "vifactcheck_evidence.jsonl")


def news_articles() -> list[dict]:
    """The bundled ViFactCheck evidence articles (MIT), each with the claim splits that use it."""
    return packaged_jsonl(*_ARTICLES)


def neutral_news(n: int = NEUTRAL_NEWS, seed: int = 0) -> list[SentimentExample]:
    """``n`` news statements labelled NEU: a seeded draw from the sentences of the articles only
    ViFactCheck dev claims use, and those claims."""
    from kiemchung.text.sentences import split_sentences

    shortest, longest = _NEWS_SENTENCE_CHARS
    articles = [a for a in news_articles() if a["splits"] == [NEUTRAL_NEWS_SPLIT]]
    urls = {a["url"] for a in articles}
    pool = [r.statement for r in datasets.load("vifactcheck", NEUTRAL_NEWS_SPLIT) if r.url in urls]
    for article in articles:
        text = article["text"]
        pool += [
            text[a:b].strip() for a, b in split_sentences(text) if shortest <= b - a <= longest
        ]
    chosen = np.random.default_rng(seed).permutation(len(pool))[:n]
    return [SentimentExample(pool[i], _POLARITY["Neutral"]) for i in sorted(chosen)]


def news_claims(split: str) -> list[str]:
    """ViFactCheck claims of ``split`` whose article no other split uses: news statements the
    neutral-news examples never came from, to measure how often news is read as opinion."""
    only = {a["url"] for a in news_articles() if a["splits"] == [split]}
    return [r.statement for r in datasets.load("vifactcheck", split) if r.url in only]


def training_examples() -> tuple[list[SentimentExample], list[dict]]:
    """The three train splits, decontaminated, plus the neutral news; and the manifest entries."""
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
    news = neutral_news()
    files.append(describe_data_file(packaged_path(*_ARTICLES), len(news)))
    files.append(describe_data_file(datasets.dataset_path("vifactcheck", NEUTRAL_NEWS_SPLIT)))
    return chosen + news, files


def labelled(chosen: list[SentimentExample]) -> LabelledTexts:
    return LabelledTexts([e.text for e in chosen], np.array([e.label for e in chosen]))


def each_set(split: str) -> dict[str, list[SentimentExample]]:
    """``split`` (dev or test) of every set that has one, by set."""
    return {n: examples(n, s[split]) for n, s in EVALUATION_SPLITS.items() if split in s}


def dev_without_test() -> LabelledTexts:
    """The dev splits minus any test text: what joins the training examples when the shipped
    model is refitted once dev has chosen its configuration (see
    :mod:`kiemchung.lab.training.refit`)."""
    test = [e.text for rows in each_set("test").values() for e in rows]
    dev = [e for rows in each_set("dev").values() for e in rows]
    return labelled(dev).without(test)
