"""``kiemchung eval criticism`` and ``kiemchung eval insults``: the two sides of the line the
moderation model must hold, on hand-written sets.

Criticism: 40 comments (``lab/data/criticism_clean.jsonl``) criticise policies, officials
and companies without insult or identity attack; the metric is the share labelled CLEAN.
Insults: 30 abusive comments in the register of news-site threads
(``lab/data/news_insults.jsonl``) — dehumanising words, epithets, looks, wishes of death,
slurs; the metric is the share flagged OFFENSIVE or HATE. The plain TF-IDF baseline is scored in
the same run beside each.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.lab.evaluation.toxicity_models import load_toxicity_model, predict_labels
from kiemchung.lab.training.hate_speech_baseline import fit_vihsd_baseline
from kiemchung.resources import packaged_jsonl

MODELS = ("toxicity-fast", "toxicity-accurate")


#: Each hand-written set: its task, its description, its file and what share it reports.
HAND_WRITTEN_SETS = (
    (
        "criticism",
        "hand-written civil criticism of authorities: share labelled CLEAN",
        "criticism_clean.jsonl",
        "clean_rate",
    ),
    (
        "insults",
        "hand-written abusive news comments (dehumanising, epithets, looks, slurs): share flagged",
        "news_insults.jsonl",
        "flagged_rate",
    ),
)


def load_hand_written_set(name: str) -> list[str]:
    """The texts of a hand-written set kept in ``lab/data``."""
    return [row["text"] for row in packaged_jsonl("kiemchung.lab", name)]


def _share(labels: np.ndarray, metric: str) -> float:
    return round(float(((labels == 0) if metric == "clean_rate" else (labels > 0)).mean()), 4)


def _evaluator(task: str, name: str, metric: str) -> Callable[[str, str], EvalResult]:
    """The evaluator of one set: the share of its texts the model labels CLEAN (``clean_rate``)
    or flags (``flagged_rate``), with the TF-IDF baseline's share in the same run."""

    def evaluate(model: str, split: str) -> EvalResult:
        texts = load_hand_written_set(name)
        predicted = np.asarray(predict_labels(load_toxicity_model(model), texts)[0])
        baseline = fit_vihsd_baseline().predict(texts)
        anchors = {"tfidf_svm_same_run": {metric: _share(baseline, metric)}}
        metrics = {metric: _share(predicted, metric)}
        return EvalResult(task, model, split, len(texts), metrics, anchors)

    return evaluate


for _task, _description, _name, _metric in HAND_WRITTEN_SETS:
    register_evaluator(_task, _description, MODELS, ("test",))(_evaluator(_task, _name, _metric))
