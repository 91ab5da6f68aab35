"""Word + character TF-IDF with a linear SVM: the plain baseline every text model must beat.

It follows scikit-learn's contract (configuration in the constructor, ``fit``/``predict``/
``decision_function``, fitted state in attributes ending in ``_``) and saves to a pickle-free
artifact — vocabularies as JSON, idf weights and coefficients as npz — so a trained baseline can
be shipped and reloaded without executing anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize as scale_rows
from sklearn.svm import LinearSVC

from kiemchung.errors import ModelError
from kiemchung.models.artifact import Artifact
from kiemchung.models.params import Configurable
from kiemchung.text.normalize import for_model, normalize
from kiemchung.text.sentences import cut_long


def model_text(text: str) -> str:
    """What the baseline reads: normalized, teencode expanded, lower-cased."""
    return for_model(normalize(text)).text.lower()


#: Texts longer than this (after normalising) are counted in blocks: see :func:`blockwise_tfidf`.
LONG_TEXT_CHARS = 100_000


def blockwise_tfidf(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """What ``vectorizer.transform(texts)`` gives, with each text counted in blocks of
    ``LONG_TEXT_CHARS`` cut between words: the n-gram lists of a multi-megabyte text take
    gigabytes, its counts very little (only n-grams across a cut are lost)."""
    blocks, owner = [], []
    for row, text in enumerate(texts):
        for start, end in cut_long(text, [(0, len(text))], LONG_TEXT_CHARS):
            blocks.append(text[start:end])
            owner.append(row)
    counts = CountVectorizer.transform(vectorizer, blocks)
    rows = sp.csr_matrix(
        (np.ones(len(owner)), (owner, np.arange(len(owner)))), shape=(len(texts), len(owner))
    )
    summed = (rows @ counts).astype(np.float32).tocsr()
    if vectorizer.sublinear_tf:
        np.log(summed.data, summed.data)
        summed.data += 1
    weighted = (
        summed @ sp.diags(vectorizer.idf_.astype(np.float32)) if vectorizer.use_idf else summed
    )
    return scale_rows(weighted, norm=vectorizer.norm) if vectorizer.norm else weighted.tocsr()


class TfidfLinearClassifier(Configurable):
    """TF-IDF over word n-grams and character n-grams, then a one-vs-rest linear SVM."""

    def __init__(
        self,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] = (2, 5),
        min_df: int = 2,
        C: float = 0.1,
        class_weight: str | None = "balanced",
        max_features: int | None = 300_000,
        random_state: int = 0,
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.max_features = max_features
        self.random_state = random_state

    def _vectorizers(self, vocabularies: Sequence[dict[str, int] | None] = (None, None)) -> list:
        word = TfidfVectorizer(
            analyzer="word",
            ngram_range=tuple(self.word_ngrams),
            min_df=self.min_df,
            sublinear_tf=True,
            token_pattern=r"(?u)\b\w+\b",
            max_features=self.max_features,
            vocabulary=vocabularies[0],
            dtype=np.float32,
        )
        char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self.char_ngrams),
            min_df=self.min_df,
            sublinear_tf=True,
            max_features=self.max_features,
            vocabulary=vocabularies[1],
            dtype=np.float32,
        )
        return [word, char]

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The fitted word + character TF-IDF rows of ``texts`` (what the SVM reads; another
        linear head over the same vocabulary can read them too)."""
        prepared = [model_text(t) for t in texts]
        if max(map(len, prepared), default=0) > LONG_TEXT_CHARS:
            return sp.hstack([blockwise_tfidf(v, prepared) for v in self.vectorizers_], "csr")
        return sp.hstack([v.transform(prepared) for v in self.vectorizers_], format="csr")

    def fit(self, texts: Sequence[str], labels: Sequence[int]) -> TfidfLinearClassifier:
        prepared = [model_text(t) for t in texts]
        self.vectorizers_ = self._vectorizers()
        matrix = sp.hstack([v.fit_transform(prepared) for v in self.vectorizers_], format="csr")
        svm = self.fit_head(matrix, labels)
        self.classes_ = svm.classes_
        self.coef_ = svm.coef_.astype(np.float32)
        self.intercept_ = svm.intercept_.astype(np.float32)
        return self

    def fit_head(self, matrix: sp.csr_matrix, labels: Sequence[int]) -> LinearSVC:
        """A linear SVM of this model's configuration fitted on TF-IDF rows (:meth:`features`):
        the model's own, or another head over the same vocabulary."""
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state)
        return svm.fit(matrix, np.asarray(labels))

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """One score per class (columns follow ``classes_``); for two classes, shape [n, 2]."""
        return self.scores(self.features(texts))

    def scores(self, matrix: sp.csr_matrix) -> np.ndarray:
        """:meth:`decision_function` of TF-IDF rows already built by :meth:`features`."""
        scores = matrix @ self.coef_.T + self.intercept_
        if scores.shape[1] == 1:  # binary SVM: one column for the positive class
            scores = np.hstack([-scores, scores])
        return np.asarray(scores)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.classes_[np.argmax(self.decision_function(texts), axis=1)]

    # ---------------------------------------------------------------- artifact round trip

    def to_artifact(self, name: str, version: str, **manifest: Any) -> Artifact:
        """The fitted model as a pickle-free :class:`Artifact` (call ``.save(dir)`` on it)."""
        vocabularies = [
            {term: int(i) for term, i in v.vocabulary_.items()} for v in self.vectorizers_
        ]
        return Artifact(
            name=name,
            version=version,
            arrays={
                "word_idf": self.vectorizers_[0].idf_.astype(np.float32),
                "char_idf": self.vectorizers_[1].idf_.astype(np.float32),
                "coef": self.coef_,
                "intercept": self.intercept_,
                "classes": np.asarray(self.classes_),
            },
            documents={"word_vocabulary": vocabularies[0], "char_vocabulary": vocabularies[1]},
            params={"model": "tfidf-linear-svm", **self.get_params()},
            **manifest,
        )

    @classmethod
    def from_artifact(cls, source: Artifact | str | Path) -> TfidfLinearClassifier:
        artifact = source if isinstance(source, Artifact) else Artifact.load(source)
        if artifact.params.get("model") != "tfidf-linear-svm":
            raise ModelError(f"{artifact.name} is not a TF-IDF linear model artifact")
        try:
            params = {k: v for k, v in artifact.params.items() if k != "model"}
            params["word_ngrams"] = tuple(params["word_ngrams"])
            params["char_ngrams"] = tuple(params["char_ngrams"])
            model = cls(**params)
            docs, arrays = artifact.documents, artifact.arrays
            vocabularies = (docs["word_vocabulary"], docs["char_vocabulary"])
            model.vectorizers_ = model._vectorizers(vocabularies)
            model.vectorizers_[0].idf_ = arrays["word_idf"]
            model.vectorizers_[1].idf_ = arrays["char_idf"]
            model.coef_, model.intercept_ = arrays["coef"], arrays["intercept"]
            model.classes_ = arrays["classes"]
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(
                f"artifact {artifact.name} is incomplete or inconsistent: {exc}"
            ) from None
        return model
