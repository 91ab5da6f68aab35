"""``kiemchung eval victsd``: toxic news comments on UIT-ViCTSD, scored as the toxic class's F1.

The shipped moderation models answer CLEAN / OFFENSIVE / HATE; for ViCTSD a comment counts as toxic
when they say OFFENSIVE or HATE, and the toxic score is P(OFFENSIVE) + P(HATE).

ViCTSD's "toxic" is broader than our harm labels: its annotators also marked as toxic many sharp but
civil complaints about officials, companies and policies ("Tư vấn nghe có vẻ sai bản chất Bảo hiểm
quá"), which this project deliberately keeps CLEAN. So beside the shipped model the evaluator fits,
in the same run, a head trained on ViCTSD's own labels (the calibrated TF-IDF SVM of the fast mode,
on ViCTSD train) — what a model that adopts ViCTSD's definition reaches — and reports the share of
ViCTSD-toxic comments the shipped model keeps CLEAN. PhoBERT's published toxic F1 is the anchor.

Under ``policy`` it also scores the model against our own reading of ViCTSD's toxic comments
(:mod:`kiemchung.lab.victsd_policy`): the F1 of flagging the ones that insult, dehumanise
or demean, and the ceiling our policy puts on ViCTSD's toxic F1.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from kiemchung.lab import datasets
from kiemchung.lab.datasets import NewsComment
from kiemchung.lab.evaluation.metrics import classification_metrics
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.lab.evaluation.toxicity_models import load_toxicity_model, predict_labels
from kiemchung.lab.training.spans import mean_span_f1
from kiemchung.lab.victsd_policy import abusive, abusive_spans
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.moderation.models import shipped_span_tagger

PUBLISHED = {"PhoBERT toxic F1": 0.594}
BINARY_LABELS = ("NON_TOXIC", "TOXIC")


def _binary_metrics(gold: list[int], toxic_score: np.ndarray, predicted: np.ndarray) -> dict:
    """Binary metrics plus the toxic class's own F1, the figure ViCTSD's paper reports."""
    scores = np.column_stack([1.0 - toxic_score, toxic_score])
    metrics = classification_metrics(gold, predicted.astype(int).tolist(), BINARY_LABELS, scores)
    return {"toxic_f1": metrics["per_class"]["TOXIC"]["f1"], **metrics}


def _policy_metrics(split: str, records: list[NewsComment], flagged: np.ndarray) -> dict:
    """The model against our policy's reading of ViCTSD (:mod:`kiemchung.lab.victsd_policy`):
    how well it flags the comments that insult, dehumanise or demean, the most a model that
    flags exactly those could score on ViCTSD's own toxic class (precision 1, recall = the share of
    ViCTSD's toxic comments that are abusive), and the shipped span tagger's span F1 on the
    offending phrases marked in them."""
    abusive_gold = np.asarray(abusive(split, records))
    precision, recall, f1, _ = precision_recall_fscore_support(
        abusive_gold, flagged.astype(int), average="binary", zero_division=0
    )
    share = abusive_gold.sum() / max(1, sum(r.toxic for r in records))
    span_f1 = mean_span_f1(shipped_span_tagger(), abusive_spans(split, records))
    return {
        "abusive_f1": round(float(f1), 4),
        "abusive_precision": round(float(precision), 4),
        "abusive_recall": round(float(recall), 4),
        "abusive_comments": int(abusive_gold.sum()),
        "abusive_share_of_victsd_toxic": round(float(share), 4),
        "victsd_toxic_f1_ceiling": round(float(2 * share / (1 + share)), 4),
        "abusive_span_f1": round(span_f1, 4),
    }


def fit_victsd_head() -> CalibratedTextClassifier:
    """The calibrated TF-IDF SVM trained on ViCTSD train's own toxicity labels."""
    train = datasets.load("victsd", "train")
    return CalibratedTextClassifier().fit([r.text for r in train], [r.toxic for r in train])


@register_evaluator(
    "victsd",
    "ViCTSD toxic news comments: toxic-class F1 (OFFENSIVE or HATE counts as toxic)",
    ("toxicity-fast", "toxicity-accurate"),
)
def evaluate_victsd(model: str, split: str) -> EvalResult:
    records = datasets.load("victsd", split)
    texts, gold = [r.text for r in records], [r.toxic for r in records]
    predicted, probs = predict_labels(load_toxicity_model(model), texts)
    flagged = np.asarray(predicted) > 0
    metrics = _binary_metrics(gold, probs[:, 1:].sum(axis=1), flagged)
    toxic = np.asarray(gold) == 1
    metrics["victsd_toxic_kept_clean"] = round(float((~flagged[toxic]).mean()), 4)
    metrics["policy"] = _policy_metrics(split, records, flagged)
    head = fit_victsd_head()
    head_probs = head.predict_proba(texts)
    head_metrics = _binary_metrics(gold, head_probs[:, 1], head.predict_from_proba(head_probs))
    anchors = {
        "victsd_trained_tfidf_same_run": {
            "toxic_f1": head_metrics["toxic_f1"],
            "macro_f1": head_metrics["macro_f1"],
            "roc_auc": head_metrics.get("roc_auc"),
        },
        "published_test": PUBLISHED,
    }
    return EvalResult("victsd", model, split, len(records), metrics, anchors)
