"""``kiemchung train spans``: fit the ViHOS span tagger, choosing C and the threshold on dev.

The grid is small and fixed; every fit uses the official train split only, dev picks the winner,
and the artifact's manifest records the data hashes, the grid and the dev figures. Test is left
for ``kiemchung eval vihos``.
"""

from __future__ import annotations

from pathlib import Path

from kiemchung import datasets
from kiemchung.models.artifact import describe_data_file
from kiemchung.models.training import register_trainer
from kiemchung.moderation.spans import SpanTagger, chars, span_f1

NAME = "vihos-span-lr"
VERSION = "1"
C_GRID = (0.1, 0.3, 1.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def mean_span_f1(tagger: SpanTagger, records: list[datasets.ToxicSpans]) -> float:
    scores = []
    for record in records:
        predicted = chars((a, b) for a, b, _ in tagger.predict_spans(record.text))
        scores.append(span_f1(predicted, set(record.char_indices)))
    return sum(scores) / len(scores)


def select_span_tagger(
    train: list[datasets.ToxicSpans], dev: list[datasets.ToxicSpans]
) -> tuple[SpanTagger, dict[str, float]]:
    """Fit each C on train, try each threshold on dev, return the best tagger and the grid."""
    grid: dict[str, float] = {}
    best: tuple[float, SpanTagger] | None = None
    for c in C_GRID:
        tagger = SpanTagger(C=c).fit([r.text for r in train], [r.char_indices for r in train])
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
    "spans", "ViHOS offending-span tagger (hashed token features, logistic regression)"
)
def train_spans(out_dir: Path) -> Path:
    train, dev = datasets.load("vihos", "train"), datasets.load("vihos", "dev")
    tagger, grid = select_span_tagger(train, dev)
    artifact = tagger.to_artifact(
        NAME,
        VERSION,
        metrics={"dev_span_f1": grid[f"C={tagger.C},threshold={tagger.threshold}"], "grid": grid},
        training_data=[describe_data_file(datasets.dataset_path("vihos", "train"), len(train))],
    )
    target = out_dir / NAME
    artifact.save(target)
    return target
