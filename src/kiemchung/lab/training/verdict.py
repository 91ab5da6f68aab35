"""``kiemchung train verdict-fast`` and ``verdict-retrieved``: the fast verdict models on
ViFactCheck dev, logistic regressions over the word-level comparison.

``verdict-fast`` learns from the gold evidence (``verify_pair(..., model_name=FAST_ARTIFACT_NAME)``
and every verdict evaluation's anchor); ``verdict-retrieved`` from the evidence ``check`` retrieves
for the same claims from the bundled base — what ``check`` judges on without the ``[e5]`` extra.
``kiemchung train verdict`` (:mod:`.verdict_stack`) builds the model read with the cross-encoder.

ViFactCheck's train split cannot be had here, so the model learns from its dev split (723 pairs)
and is reported on test (1,447). C is chosen by 5-fold cross-validated macro-F1 on dev (three
shuffles averaged); the test
split is never looked at. The manifest records the data hashes and the cross-validation figures.

Features from e5 (:data:`kiemchung.verify.verdict.EMBEDDING_FEATURES`: the cosine of claim and
evidence, of what the claim adds and the evidence, and how well the claim's tokens are matched
among the evidence's) are computed by the int8 engine and kept only when they earn their cost:
they mean running e5 over the evidence for every verdict (~45 ms, against ~1 ms for the rest), so
a model reads the best of ``EMBEDDING_CHOICES`` only if it adds at least ``MIN_EMBEDDING_GAIN`` to
the best cross-validated macro-F1. The manifest records the figures of each choice; on retrieved
evidence none has cleared the bar, so the model ``check`` uses reads none and ``check`` embeds no
evidence.

``verdict-retrieved`` may also read the claim against the document its evidence came from
(:func:`kiemchung.verify.pair_features.compare_context`); those features cost nothing, so they are
kept whenever they raise the cross-validated figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from kiemchung.lab import datasets
from kiemchung.lab.training.registry import register_trainer
from kiemchung.models.artifact import describe_data_file
from kiemchung.verify.alignment import state_centre
from kiemchung.verify.pair_features import FEATURE_NAMES
from kiemchung.verify.verdict import (
    EMBEDDING_COLUMNS,
    EMBEDDING_FEATURES,
    FAST_ARTIFACT_NAME,
    RETRIEVED_ARTIFACT_NAME,
    VerdictClassifier,
    pair_matrix,
)

VERSION = "8"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
#: The sets of :data:`EMBEDDING_FEATURES` a model may read, each weighed against none.
EMBEDDING_CHOICES = (
    ("cosine",),
    ("novel_cosine",),
    ("cosine", "novel_cosine"),
    ("alignment",),
    ("novel_cosine", "alignment"),
)
#: Cross-validated macro-F1 embedding features must add to be worth embedding the evidence.
MIN_EMBEDDING_GAIN = 0.01


def cross_validated_f1(
    features: np.ndarray, labels: np.ndarray, c: float, repeats: int = 3
) -> float:
    """Macro-F1 of 5-fold cross-validation, averaged over ``repeats`` shuffles: with 723 pairs
    one shuffle moves the figure by about ±0.005, as much as C does."""
    scores = []
    for seed in range(repeats):
        predicted = np.zeros(len(labels), dtype=int)
        folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(features, labels)
        for train, held in folds:
            model = VerdictClassifier(C=c).fit(features[train], labels[train])
            predicted[held] = model.predict(features[held])
        scores.append(f1_score(labels, predicted, average="macro"))
    return float(np.mean(scores))


def _cv_by_c(features: np.ndarray, labels: np.ndarray) -> dict[float, float]:
    return {c: round(cross_validated_f1(features, labels, c), 4) for c in C_GRID}


def _train(out_dir: Path, name: str, retrieved: bool) -> Path:
    from kiemchung.embed import OnnxE5Embedder, cache_dir_from_env

    dev = datasets.load("vifactcheck", "dev")
    claims = [r.statement for r in dev]
    contexts = None
    if retrieved:
        from kiemchung.lab.evaluation.vifactcheck import retrieved_evidence

        evidences, contexts = retrieved_evidence(claims)
    else:
        evidences = [r.evidence for r in dev]
    embedder = OnnxE5Embedder(cache_dir=cache_dir_from_env())
    # the alignment features' centre: the mean token state of the evidence the model learns from
    centre = state_centre(embedder.token_states(evidences, kind="query"))
    # columns: the comparison, then the context features (retrieved evidence), then every
    # embedding feature's; each candidate model reads a slice of them
    features = pair_matrix(claims, evidences, contexts, embedder, EMBEDDING_FEATURES, centre)
    labels = np.array([r.label for r in dev])
    # the embedding feature each trailing column belongs to
    owners = [f for f in EMBEDDING_FEATURES for _ in EMBEDDING_COLUMNS[f]]
    n_plain = features.shape[1] - len(owners)
    without = _cv_by_c(features[:, : len(FEATURE_NAMES)], labels)
    metrics: dict[str, object] = {}
    use_context = False
    if contexts is not None:  # the context features cost nothing: kept if they raise the CV
        with_context = _cv_by_c(features[:, :n_plain], labels)
        use_context = max(with_context.values()) > max(without.values())
        metrics["dev_cv_macro_f1_by_C_without_context"] = {str(c): s for c, s in without.items()}
        metrics["uses_context"] = use_context
        if use_context:
            without = with_context
    plain = features[:, : n_plain if use_context else len(FEATURE_NAMES)]

    def reading(choice: tuple[str, ...]) -> np.ndarray:
        """The columns a model reading these embedding features is fitted on."""
        columns = [n_plain + i for f in choice for i, owner in enumerate(owners) if owner == f]
        return np.hstack([plain, features[:, columns]])

    by_choice = {(): without}
    for choice in EMBEDDING_CHOICES:
        by_choice[choice] = _cv_by_c(reading(choice), labels)
    best_of = {choice: max(scores.values()) for choice, scores in by_choice.items()}
    chosen = max(EMBEDDING_CHOICES, key=lambda choice: best_of[choice])
    if best_of[chosen] < best_of[()] + MIN_EMBEDDING_GAIN:
        chosen = ()
    scores = by_choice[chosen]
    best = max(scores, key=lambda c: scores[c])
    model = VerdictClassifier(
        C=best, embedding_features=chosen, use_context=use_context, embedder_name=embedder.name
    ).fit(reading(chosen), labels, token_centre=centre if "alignment" in chosen else None)
    artifact = model.to_artifact(
        name,
        VERSION,
        metrics={
            "dev_cv_macro_f1_by_C": {str(c): s for c, s in scores.items()},
            "dev_cv_macro_f1_by_embedding_features": {
                "+".join(choice) or "none": {str(c): s for c, s in by.items()}
                for choice, by in by_choice.items()
            },
            "embedding_features": list(chosen),
            "chosen_C": best,
            **metrics,
        },
        training_data=[describe_data_file(datasets.dataset_path("vifactcheck", "dev"), len(dev))],
    )
    target = out_dir / name
    artifact.save(target)
    return target


@register_trainer(
    "verdict-fast",
    "the fast verdict model (and every verdict eval's anchor): SUPPORTED/REFUTED/NEI from"
    " claim-evidence comparison features (+ the e5 features that"
    " earn their cost: cosines of the claim, and of what it adds, with the evidence; how well its"
    " tokens are matched in the evidence), on ViFactCheck dev with its gold evidence (set"
    " KIEMCHUNG_CACHE_DIR to reuse embeddings)",
)
def train_verdict_fast(out_dir: Path) -> Path:
    return _train(out_dir, FAST_ARTIFACT_NAME, retrieved=False)


@register_trainer(
    "verdict-retrieved",
    "the fast model check uses (the core's, without the [e5] extra): the same, on the evidence"
    " check retrieves for ViFactCheck dev"
    " claims from the bundled base (set KIEMCHUNG_CACHE_DIR to reuse embeddings)",
)
def train_verdict_retrieved(out_dir: Path) -> Path:
    return _train(out_dir, RETRIEVED_ARTIFACT_NAME, retrieved=True)
