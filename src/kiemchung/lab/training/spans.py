"""``kiemchung train spans``: fit the span tagger, choosing C and the threshold on ViHOS dev.

It learns from ViHOS train and, since version 2, from the ViCTSD train comments our policy calls
abusive, with their offending phrases marked (:mod:`kiemchung.lab.victsd_policy`): ViHOS's
social-media comments rarely use the words of news-site abuse ("cầm thú", "quỷ đội lốt người"),
so the tagger left most of those comments, flagged by the moderation model, without a span. The
grid is small and fixed; dev picks the winner, and the artifact's manifest records the data
hashes, the grid, the dev figure and the span F1 on ViCTSD dev's abusive comments. Test is left
for ``kiemchung eval vihos`` and ``kiemchung eval victsd``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from kiemchung.lab import datasets
from kiemchung.lab.training.registry import register_trainer
from kiemchung.lab.victsd_policy import LABELS_FILE, abusive_spans
from kiemchung.models.artifact import describe_data_file
from kiemchung.moderation.spans import SpanTagger, chars, span_f1
from kiemchung.resources import packaged_path

NAME = "vihos-span-lr"
VERSION = "2"
C_GRID = (0.1, 0.3, 1.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)

#: A text and the characters of its offending spans.
MarkedText = tuple[str, Iterable[int]]


def marked(records: Iterable[datasets.ToxicSpans]) -> list[MarkedText]:
    """ViHOS records as (text, offending characters)."""
    return [(r.text, r.char_indices) for r in records]


def mean_span_f1(tagger: SpanTagger, texts: Sequence[MarkedText]) -> float:
    scores = []
    for text, gold in texts:
        predicted = chars((a, b) for a, b, _ in tagger.predict_spans(text))
        scores.append(span_f1(predicted, set(gold)))
    return sum(scores) / len(scores)


def select_span_tagger(
    train: Sequence[MarkedText], dev: Sequence[MarkedText]
) -> tuple[SpanTagger, dict[str, float]]:
    """Fit each C on train, try each threshold on dev, return the best tagger and the grid."""
    grid: dict[str, float] = {}
    best: tuple[float, SpanTagger] | None = None
    texts, offsets = [t for t, _ in train], [o for _, o in train]
    for c in C_GRID:
        tagger = SpanTagger(C=c).fit(texts, offsets)
        for threshold in THRESHOLDS:
            tagger.threshold = threshold
            score = mean_span_f1(tagger, dev)
            grid[f"C={c},threshold={threshold}"] = round(score, 4)
            if best is None or score > best[0]:
                best = (score, SpanTagger(C=c, threshold=threshold))
                best[1].coef_, best[1].intercept_ = tagger.coef_, tagger.intercept_
    assert best is not None
    return best[1], grid


@register_trainer(
    "spans",
    "offending-span tagger (hashed token features, logistic regression) on ViHOS + ViCTSD abuse",
)
def train_spans(out_dir: Path) -> Path:
    train, dev = datasets.load("vihos", "train"), datasets.load("vihos", "dev")
    victsd = abusive_spans("train", datasets.load("victsd", "train"))
    tagger, grid = select_span_tagger(marked(train) + victsd, marked(dev))
    victsd_dev = abusive_spans("dev", datasets.load("victsd", "dev"))
    artifact = tagger.to_artifact(
        NAME,
        VERSION,
        metrics={
            "dev_span_f1": grid[f"C={tagger.C},threshold={tagger.threshold}"],
            "victsd_dev_abusive_span_f1": round(mean_span_f1(tagger, victsd_dev), 4),
            "grid": grid,
        },
        training_data=[
            describe_data_file(datasets.dataset_path("vihos", "train"), len(train)),
            describe_data_file(datasets.dataset_path("victsd", "train"), len(victsd)),
            describe_data_file(packaged_path("kiemchung.lab", LABELS_FILE)),
        ],
    )
    target = out_dir / NAME
    artifact.save(target)
    return target
