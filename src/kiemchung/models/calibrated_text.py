"""A text classifier with calibrated probabilities: TF-IDF linear SVM + out-of-fold calibration.

The base is the word + character TF-IDF linear SVM, optionally trained on an accent-folded copy of
every text too, so texts typed without diacritics score like the rest. SVM scores are not
probabilities, so a small multinomial logistic regression maps them to calibrated ones; it is fitted
on out-of-fold scores (duplicates kept in one fold) so it never sees scores of texts the SVM trained
on. Per-class offsets on the log-probabilities, tuned on the same out-of-fold scores, set the
decision for macro-F1; the reported score stays the calibrated probability. Moderation's fast
toxicity model and the spam model are both this class.

With ``embed_C`` set, a second block joins the SVM scores: a logistic regression over sentence
embeddings (given to ``fit`` and ``predict_proba``), its out-of-fold log-probabilities stacked with
the SVM's scores under the same calibrator. That is moderation's accurate mode.

``side`` features — numbers a caller computes per text, already out-of-fold for the training texts
(moderation's span view, :mod:`kiemchung.moderation.span_view`) — join the calibrator's input as
they are.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

from kiemchung.errors import InputError, ModelError
from kiemchung.models.artifact import Artifact
from kiemchung.models.params import Configurable
from kiemchung.models.tfidf_linear import TfidfLinearClassifier, model_text
from kiemchung.text.diacritics import fold_accents

MODEL_KIND = "calibrated-tfidf-svm"
_OFFSET_GRID = np.round(np.arange(-1.0, 1.51, 0.1), 2)


def with_folded_copies(texts: Sequence[str], labels: Sequence[int]) -> tuple[list[str], np.ndarray]:
    """Training texts plus their accent-folded twins (same labels)."""
    folded = [fold_accents(t, lower=False) for t in texts]
    return [*texts, *folded], np.concatenate([np.asarray(labels), np.asarray(labels)])


def grouped_folds(texts: Sequence[str], n_folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(kept, held) row indices of ``n_folds`` folds that keep every copy of a text (as the model
    reads it) in one fold, so out-of-fold features never come from a model that saw a twin."""
    groups = np.unique([model_text(t) for t in texts], return_inverse=True)[1]
    return list(GroupKFold(n_folds).split(np.zeros(len(texts)), groups=groups))


def _macro_f1(log_probs: np.ndarray, labels: np.ndarray, offsets: np.ndarray) -> float:
    return float(f1_score(labels, (log_probs + offsets).argmax(axis=1), average="macro"))


def tune_offsets(log_probs: np.ndarray, labels: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Offsets added to log-probabilities (first class fixed at 0) that maximise macro-F1.

    Up to three classes the whole grid is searched; beyond that, one class at a time
    (coordinate ascent), since the grid grows as 26^(classes-1).
    """
    n_classes = log_probs.shape[1]
    best, best_offsets = -1.0, np.zeros(n_classes)
    if n_classes <= 3:
        for rest in itertools.product(_OFFSET_GRID, repeat=n_classes - 1):
            offsets = np.array([0.0, *rest])
            score = _macro_f1(log_probs, labels, offsets)
            if score > best:
                best, best_offsets = score, offsets
        return best_offsets
    for _ in range(rounds):
        for k in range(1, n_classes):
            for value in _OFFSET_GRID:
                offsets = best_offsets.copy()
                offsets[k] = value
                score = _macro_f1(log_probs, labels, offsets)
                if score > best:
                    best, best_offsets = score, offsets
    return best_offsets


class CalibratedTextClassifier(Configurable):
    """TF-IDF SVM + calibration + decision offsets; scikit-learn style fit/predict/predict_proba."""

    #: What an artifact's ``params["model"]`` says; a subclass that saves more says its own.
    model_kind = MODEL_KIND

    def __init__(
        self,
        C: float = 0.1,
        n_folds: int = 5,
        augment_folded: bool = True,
        embed_C: float | None = None,
    ) -> None:
        self.C = C
        self.n_folds = n_folds
        self.augment_folded = augment_folded
        self.embed_C = embed_C

    def _embedding_head(self, embeddings: np.ndarray, labels: np.ndarray) -> LogisticRegression:
        return LogisticRegression(C=self.embed_C, max_iter=3000, class_weight="balanced").fit(
            embeddings, labels
        )

    def _check_embeddings(self, embeddings: np.ndarray | None, n: int) -> np.ndarray | None:
        if self.embed_C is None:
            return None
        if embeddings is None or len(embeddings) != n:
            raise InputError("this model stacks sentence embeddings: pass one row per text")
        return np.asarray(embeddings)

    def _training_copies(
        self, texts: Sequence[str], labels: Sequence[int]
    ) -> tuple[Sequence[str], Sequence[int]]:
        """What the SVM learns from: the texts, plus their accent-folded twins if configured."""
        return with_folded_copies(texts, labels) if self.augment_folded else (texts, labels)

    def _fit_base(self, texts: Sequence[str], labels: Sequence[int]) -> TfidfLinearClassifier:
        return TfidfLinearClassifier(C=self.C).fit(*self._training_copies(texts, labels))

    @staticmethod
    def _side_block(side: np.ndarray | None, n: int, width: int | None) -> np.ndarray:
        """``side`` as an [n, width] block (none: [n, 0]); ``width`` None accepts any width."""
        block = np.zeros((n, 0)) if side is None else np.asarray(side, dtype=np.float64)
        if block.ndim != 2 or len(block) != n or width not in (None, block.shape[1]):
            raise InputError(f"this model stacks {width} side features: pass one row per text")
        return block

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[int],
        embeddings: np.ndarray | None = None,
        side: np.ndarray | None = None,
    ) -> CalibratedTextClassifier:
        y = np.asarray(labels)
        emb = self._check_embeddings(embeddings, len(texts))
        extra = self._side_block(side, len(texts), None)
        k = int(y.max()) + 1
        oof = np.zeros((len(texts), k if emb is None else 2 * k))
        for train_idx, held_idx in grouped_folds(texts, self.n_folds):
            base = self._fit_base([texts[i] for i in train_idx], y[train_idx])
            scores = base.decision_function([texts[i] for i in held_idx])
            oof[held_idx] = scores.min() - 1.0  # a class missing from this fold scores lowest
            oof[np.ix_(held_idx, base.classes_)] = scores
            if emb is not None:
                head = self._embedding_head(emb[train_idx], y[train_idx])
                oof[held_idx, k:] = -30.0
                oof[np.ix_(held_idx, k + head.classes_)] = head.predict_log_proba(emb[held_idx])
        oof = np.hstack([oof, extra])
        self.n_side_ = extra.shape[1]
        self.calibrator_ = LogisticRegression(max_iter=1000).fit(oof, y)
        oof_log_probs = self.calibrator_.predict_log_proba(oof)
        self.offsets_ = tune_offsets(oof_log_probs, y)
        self.oof_macro_f1_ = _macro_f1(oof_log_probs, y, self.offsets_)
        self.base_ = self._fit_base(texts, y)
        self.head_ = None if emb is None else self._embedding_head(emb, y)
        return self

    def predict_proba(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray | None = None,
        side: np.ndarray | None = None,
    ) -> np.ndarray:
        """Calibrated probabilities, one column per label id 0..k-1."""
        if len(texts) == 0:
            return np.zeros((0, len(self.offsets_)))
        tfidf = self.base_.features(texts)
        features = self.base_.scores(tfidf)
        emb = self._check_embeddings(embeddings, len(texts))
        if emb is not None and self.head_ is not None:
            features = np.hstack([features, self.head_.predict_log_proba(emb)])
        own = self._own_view(texts, emb, tfidf)
        if own is not None:
            if side is not None:
                raise InputError("this model computes its own side features: pass none")
            side = own
        return self.calibrator_.predict_proba(
            np.hstack([features, self._side_block(side, len(texts), self.n_side_)])
        )

    def _own_view(
        self, texts: Sequence[str], embeddings: np.ndarray | None, tfidf: sp.csr_matrix
    ) -> np.ndarray | None:
        """Side features the model computes itself at prediction time (a subclass's views), from
        the texts, their embeddings or their TF-IDF rows (built once, for the SVM); None here: the
        caller passes them as ``side``."""
        return None

    def predict_from_proba(self, probs: np.ndarray) -> np.ndarray:
        return (np.log(np.clip(probs, 1e-12, 1.0)) + self.offsets_).argmax(axis=1)

    def predict(self, texts: Sequence[str], *inputs: np.ndarray | None) -> np.ndarray:
        """Label ids: :meth:`predict_proba` of the same inputs, then the tuned decision."""
        return self.predict_from_proba(self.predict_proba(texts, *inputs))

    # ---------------------------------------------------------------- artifact round trip

    def to_artifact(self, name: str, version: str, **manifest: Any) -> Artifact:
        artifact = self.base_.to_artifact(name, version, **manifest)
        artifact.arrays.update(
            {
                "calibrator_coef": self.calibrator_.coef_.astype(np.float64),
                "calibrator_intercept": self.calibrator_.intercept_.astype(np.float64),
                "offsets": self.offsets_.astype(np.float64),
                "n_side": np.asarray([self.n_side_]),
            }
        )
        if self.head_ is not None:
            artifact.arrays["embed_coef"] = self.head_.coef_.astype(np.float64)
            artifact.arrays["embed_intercept"] = self.head_.intercept_.astype(np.float64)
        artifact.params = {"base": artifact.params, "model": self.model_kind, **self.get_params()}
        return artifact

    @classmethod
    def from_artifact(cls, source: Artifact | str | Path) -> Self:
        artifact = source if isinstance(source, Artifact) else Artifact.load(source)
        if artifact.params.get("model") != cls.model_kind:
            raise ModelError(f"{artifact.name} is not a {cls.model_kind} artifact")
        params = {k: v for k, v in artifact.params.items() if k not in ("model", "base")}
        model = cls(**params)
        base = Artifact(artifact.name, artifact.version, artifact.arrays, artifact.documents)
        base.params = artifact.params["base"]
        model.base_ = TfidfLinearClassifier.from_artifact(base)
        model.calibrator_ = _linear_model(
            artifact.arrays["calibrator_coef"], artifact.arrays["calibrator_intercept"]
        )
        model.artifact_version_ = f"{artifact.name}@{artifact.version}"
        model.training_files_ = tuple(entry["file"] for entry in artifact.training_data)
        model.head_ = None
        if model.embed_C is not None:
            model.head_ = _linear_model(
                artifact.arrays["embed_coef"], artifact.arrays["embed_intercept"]
            )
        model.offsets_ = artifact.arrays["offsets"]
        # artifacts from before side features have none
        model.n_side_ = int(artifact.arrays["n_side"][0]) if "n_side" in artifact.arrays else 0
        return model


def _linear_model(coef: np.ndarray, intercept: np.ndarray) -> LogisticRegression:
    """A fitted multinomial logistic regression rebuilt from its weights (no pickle)."""
    model = LogisticRegression()
    model.coef_, model.intercept_ = coef, intercept
    model.classes_ = np.arange(len(intercept))
    return model
