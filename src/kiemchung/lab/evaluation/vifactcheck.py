"""``kiemchung eval vifactcheck``: verdicts on ViFactCheck test, with the gold evidence or
through ``check``.

Models: ``verdict`` (``kiemchung train verdict``: the comparison read with the cross-encoder) and
``fast`` (``kiemchung train verdict-fast``, the logistic model alone) on the gold evidence;
``pipeline`` and ``pipeline-encoder``: what ``check`` answers
(:func:`kiemchung.verify.check.judge` over the windows it retrieves from the bundled 894-article
base, without the review lookup) with its default model or with ``encoder=True``; or an artifact
folder. All were fitted on ViFactCheck dev, so ``--split dev`` is an in-sample figure and says
so. Set ``KIEMCHUNG_CACHE_DIR`` to keep the e5 embeddings between runs.

Anchors: the fast model on the gold evidence in the same run, and the published figure (a
fine-tuned Gemma on a GPU, with gold evidence).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from kiemchung.lab import datasets
from kiemchung.lab.evaluation.metrics import classification_metrics
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator, shipped_or_artifact
from kiemchung.verify.verdict import (
    ARTIFACT_NAME,
    FAST_ARTIFACT_NAME,
    VERDICTS,
    VerdictClassifier,
    pair_matrix,
    shipped_verdict_model,
)

PUBLISHED = {"Gemma (fine-tuned, GPU), gold evidence, macro-F1": 0.899}


def retrieved_evidence(claims: list[str]) -> tuple[list[str], list[str]]:
    """The evidence ``check`` uses and its context: the best sentence window of the top lexical
    passages of the bundled 894-article base, and the article it comes from ("." when nothing is
    retrieved)."""
    from kiemchung.verify.check import demo_knowledge_base, find_evidence

    kb = demo_knowledge_base()
    evidences, contexts = [], []
    for claim in claims:
        chosen = find_evidence(kb, claim)
        evidences.append("." if chosen is None else chosen.text)
        contexts.append("." if chosen is None else chosen.context)
    return evidences, contexts


def verdict_probabilities(
    classifier: VerdictClassifier,
    claims: list[str],
    evidences: list[str],
    contexts: list[str] | None = None,
) -> np.ndarray:
    """The probabilities of a verdict model on the pairs: every column it reads, the
    cross-encoder's included."""
    from kiemchung.embed import cache_dir_from_env, embedder_named

    embedder = embedder_named(classifier.embedder_name, cache_dir=cache_dir_from_env())
    features = pair_matrix(
        claims,
        evidences,
        contexts if classifier.use_context else None,
        embedder,
        classifier.embedding_features,
        classifier.token_centre_,
        classifier.encoder,
    )
    return classifier.predict_proba(features)


def pipeline_labels(claims: list[str], encoder: bool = False) -> list[int]:
    """What ``check`` answers for each claim on the bundled base (the review lookup aside):
    :func:`kiemchung.verify.check.judge` over the windows it retrieves."""
    from kiemchung.verify.check import (
        CHECK_MODEL,
        ENCODER_CHECK_MODEL,
        candidate_evidence,
        demo_knowledge_base,
        judge,
    )

    kb = demo_knowledge_base()
    labels = []
    for claim in claims:
        candidates = candidate_evidence(kb, claim)
        if not candidates:
            labels.append(VERDICTS.index("NOT_ENOUGH_INFO"))
            continue
        verdict, _ = judge(claim, candidates, ENCODER_CHECK_MODEL if encoder else CHECK_MODEL)
        labels.append(VERDICTS.index(verdict.label))
    return labels


GOLD_MODELS = {"verdict": ARTIFACT_NAME, "fast": FAST_ARTIFACT_NAME}


@register_evaluator(
    "vifactcheck",
    "ViFactCheck verdicts: with gold evidence (verdict, or the fast logistic model) or through"
    " check's retrieval from the bundled base (pipeline, pipeline-encoder)",
    ("verdict", "fast", "pipeline", "pipeline-encoder"),
)
def evaluate_vifactcheck(model: str, split: str) -> EvalResult:
    records = datasets.load("vifactcheck", split)
    claims = [r.statement for r in records]
    evidences = [r.evidence for r in records]  # the gold evidence is all the context there is
    gold = [r.label for r in records]
    if model in ("pipeline", "pipeline-encoder"):
        labels = pipeline_labels(claims, encoder=model == "pipeline-encoder")
        metrics = classification_metrics(gold, labels, VERDICTS)
    else:
        classifier = shipped_or_artifact(
            "vifactcheck",
            model,
            {name: partial(shipped_verdict_model, a) for name, a in GOLD_MODELS.items()},
            VerdictClassifier.from_artifact,
        )
        probs = verdict_probabilities(classifier, claims, evidences, evidences)
        predicted = classifier.decide_pairs(probs, claims, evidences)
        metrics = classification_metrics(gold, predicted.tolist(), VERDICTS, probs)
    if split == "dev":
        metrics["note"] = "in-sample: the shipped models were fitted on ViFactCheck dev"
    anchors: dict[str, object] = {"published_test": PUBLISHED}
    if model != "fast":  # the fast logistic model on the gold evidence, in the same run
        fast_model = shipped_verdict_model(FAST_ARTIFACT_NAME)
        fast_probs = verdict_probabilities(fast_model, claims, evidences)
        fast = fast_model.decide_pairs(fast_probs, claims, evidences)
        anchors["fast_gold_evidence_same_run"] = {
            "macro_f1": classification_metrics(gold, fast.tolist(), VERDICTS)["macro_f1"]
        }
    return EvalResult("vifactcheck", model, split, len(records), metrics, anchors)
