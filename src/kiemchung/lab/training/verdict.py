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
the best cross-validated macro-F1. The manifest records the figures of each choice.

``verdict-retrieved`` may also read the claim against the document its evidence came from
(:func:`kiemchung.verify.pair_features.compare_context`); those features cost nothing, so they are
kept whenever they raise the cross-validated figure. It reads no e5 features (``check`` runs
without the ``[e5]`` extra), and it also learns from the hand-written training pairs, weighed by
:func:`choose_handwritten_weight` on the hand-written dev pairs: ViFactCheck alone teaches it that a
figure the evidence lacks means REFUTED. Its REFUTED threshold is chosen as the verdict model's
is (:func:`choose_refuted_threshold`).
"""

from __future__ import annotations

from dataclasses import dataclass
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

#: Each model's version: it changes when that model's data, features or choices change.
VERSIONS = {FAST_ARTIFACT_NAME: "10", RETRIEVED_ARTIFACT_NAME: "10"}
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
#: Weights of a hand-written training pair against a ViFactCheck pair in check's model.
HANDWRITTEN_WEIGHTS = (0.0, 0.5, 1.0, 2.0)
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


@dataclass(frozen=True)
class ExtraPairs:
    """Pairs every fold trains on besides its ViFactCheck pairs, each weighed ``weight``."""

    features: np.ndarray
    labels: np.ndarray
    weight: float


def with_extra(
    features: np.ndarray, labels: np.ndarray, extra: ExtraPairs | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Rows, labels and sample weights: ``features`` and, when given and weighed, the ``extra``
    pairs after them (no weights without them)."""
    if extra is None or not extra.weight:
        return features, labels, None
    weights = np.r_[np.ones(len(labels)), np.full(len(extra.labels), extra.weight)]
    return np.vstack([features, extra.features]), np.r_[labels, extra.labels], weights


def fit_with(
    features: np.ndarray, labels: np.ndarray, c: float, extra: ExtraPairs | None = None
) -> VerdictClassifier:
    """A model fitted on ``features`` and, when given and weighed, the ``extra`` pairs."""
    x, y, weights = with_extra(features, labels, extra)
    return VerdictClassifier(C=c).fit(x, y, sample_weight=weights)


def out_of_fold_probabilities(
    features: np.ndarray,
    labels: np.ndarray,
    c: float,
    seed: int,
    extra: ExtraPairs | None = None,
) -> np.ndarray:
    """Each pair's probabilities from the model of the 5-fold split (shuffled by ``seed``) that
    did not see it."""
    probs = np.zeros((len(labels), 3))
    folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(features, labels)
    for train, held in folds:
        model = fit_with(features[train], labels[train], c, extra)
        probs[held] = model.predict_proba(features[held])
    return probs


def cross_validated_f1(
    features: np.ndarray,
    labels: np.ndarray,
    c: float,
    repeats: int = 3,
    extra: ExtraPairs | None = None,
) -> float:
    """Macro-F1 of 5-fold cross-validation, averaged over ``repeats`` shuffles: with 723 pairs
    one shuffle moves the figure by about ±0.005, as much as C does."""
    scores = []
    for seed in range(repeats):
        probs = out_of_fold_probabilities(features, labels, c, seed, extra)
        scores.append(f1_score(labels, probs.argmax(1), average="macro"))
    return float(np.mean(scores))


def _cv_by_c(features: np.ndarray, labels: np.ndarray) -> dict[float, float]:
    return {c: round(cross_validated_f1(features, labels, c), 4) for c in C_GRID}


@dataclass(frozen=True)
class HandwrittenPairs:
    """The hand-written pairs check's model learns from and is chosen on, as comparison columns
    (their evidence is given, so it is its own context)."""

    training: ExtraPairs
    choice: list
    choice_features: np.ndarray

    @classmethod
    def load(cls, width: int) -> HandwrittenPairs:
        from kiemchung.lab.training import verdict_encoder as encoder

        def columns(pairs: list) -> np.ndarray:
            evidences = [p.evidence for p in pairs]
            return pair_matrix([p.claim for p in pairs], evidences, evidences)[:, :width]

        training, choice = encoder.source_pairs("handwritten"), encoder.choice_pairs()
        labels = np.array([p.label for p in training])
        return cls(ExtraPairs(columns(training), labels, 0.0), choice, columns(choice))

    def weighed(self, weight: float) -> ExtraPairs:
        return ExtraPairs(self.training.features, self.training.labels, weight)

    def choice_scores(self, model: VerdictClassifier) -> dict[str, float]:
        """The verdict rule's figures on the hand-written dev pairs, as ``model`` decides."""
        from kiemchung.lab.training import verdict_encoder as encoder

        probs = model.predict_proba(self.choice_features)
        figures = encoder.rule_metrics(self.choice, probs, model.decide)
        return {f"choice_{k}": v for k, v in figures.items()}


def choose_handwritten_weight(
    features: np.ndarray, labels: np.ndarray, hand: HandwrittenPairs
) -> tuple[float, float, dict[str, dict[str, float]]]:
    """For check's model: how much the hand-written training pairs weigh, and C. The best mean
    of ViFactCheck dev CV macro-F1 (retrieved evidence) and hand-written dev macro-F1 (given
    evidence, read as its own context). ViFactCheck alone teaches "a figure the evidence lacks
    means REFUTED"; the hand-written pairs teach that silent evidence is NOT ENOUGH INFO."""
    table: dict[str, dict[str, float]] = {}
    best: tuple[float, float, float] = (-1.0, 0.0, C_GRID[0])
    for weight in HANDWRITTEN_WEIGHTS:
        for c in C_GRID:
            extra = hand.weighed(weight)
            cv = cross_validated_f1(features, labels, c, extra=extra)
            scores = {
                "vifactcheck_dev_macro_f1": round(cv, 4),
                **hand.choice_scores(fit_with(features, labels, c, extra)),
            }
            table[f"handwritten={weight}, C={c}"] = scores
            balanced = (scores["vifactcheck_dev_macro_f1"] + scores["choice_macro_f1"]) / 2
            if balanced > best[0]:
                best = (balanced, weight, c)
    return best[1], best[2], table


def choose_refuted_threshold(
    features: np.ndarray, labels: np.ndarray, c: float, hand: HandwrittenPairs, weight: float
) -> tuple[float, dict[str, dict[str, float]]]:
    """check's model's REFUTED threshold by the stack's rule
    (:func:`~.verdict_stack.threshold_by_rule`), on ViFactCheck dev out of fold (three shuffles'
    probabilities averaged) and on the hand-written dev pairs, each decided at the threshold."""
    from kiemchung.lab.training.verdict_stack import threshold_by_rule

    extra = hand.weighed(weight)
    shuffles = [out_of_fold_probabilities(features, labels, c, s, extra) for s in range(3)]
    probs = np.mean(shuffles, axis=0)
    model = fit_with(features, labels, c, extra)

    def scores_at(threshold: float) -> dict[str, float]:
        model.refuted_threshold = threshold
        decided = model.decide(probs)
        return {
            "vifactcheck_dev_macro_f1": round(f1_score(labels, decided, average="macro"), 4),
            **hand.choice_scores(model),
        }

    return threshold_by_rule(scores_at)


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
    # check's model is the core's: it runs without the [e5] extra, so it reads no e5 features
    for choice in () if retrieved else EMBEDDING_CHOICES:
        by_choice[choice] = _cv_by_c(reading(choice), labels)
    best_of = {choice: max(scores.values()) for choice, scores in by_choice.items()}
    chosen = max(by_choice, key=lambda choice: best_of[choice])
    if best_of[chosen] < best_of[()] + MIN_EMBEDDING_GAIN:
        chosen = ()
    scores = by_choice[chosen]
    best = max(scores, key=lambda c: scores[c])
    x, y, weights = reading(chosen), labels, None  # check's model reads no e5: x is ``plain``
    training_data = [describe_data_file(datasets.dataset_path("vifactcheck", "dev"), len(dev))]
    threshold = 0.0
    if retrieved:
        hand = HandwrittenPairs.load(plain.shape[1])
        weight, best, table = choose_handwritten_weight(plain, labels, hand)
        threshold, by_threshold = choose_refuted_threshold(plain, labels, best, hand, weight)
        metrics |= {
            "handwritten_weight": weight,
            "grouped_by_handwritten_weight": table,
            "refuted_threshold": threshold,
            "by_refuted_threshold": by_threshold,
        }
        x, y, weights = with_extra(x, labels, hand.weighed(weight))
        if weight:
            from kiemchung.lab.training import verdict_encoder as encoder

            hand_licence = encoder.LICENCES["handwritten"]
            training_data += [
                e for e in encoder.training_data(("handwritten",)) if e["licence"] == hand_licence
            ]
    model = VerdictClassifier(
        C=best, embedding_features=chosen, use_context=use_context, embedder_name=embedder.name
    ).fit(x, y, token_centre=centre if "alignment" in chosen else None, sample_weight=weights)
    model.refuted_threshold = threshold
    artifact = model.to_artifact(
        name,
        VERSIONS[name],
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
        training_data=training_data,
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
    "the fast model check uses (the core's: it reads no e5 features, so it runs without the"
    " [e5] extra): the comparison features, with the source document as context, on the"
    " evidence check retrieves for ViFactCheck dev claims from the bundled base",
)
def train_verdict_retrieved(out_dir: Path) -> Path:
    return _train(out_dir, RETRIEVED_ARTIFACT_NAME, retrieved=True)
