"""The toxicity models' span view: how much of a text a ViHOS-trained word tagger flags, stacked
under the calibrator beside the TF-IDF scores (and, in accurate mode, the embeddings).

Why: ViHSD says only *whether* a comment offends; ViHOS marks *which words* do, in about 4,800
comments. A tagger trained on those marks learns the offending words and their contexts directly,
and its reading of a text — its strongest token, its three strongest, how many tokens it flags and
what share — tells the calibrator something the whole-text SVM misses. Measured on ViHSD dev with
the fast model fitted on train: macro-F1 0.6586 → 0.6860 (versions 3 and 4 of
``kiemchung train toxicity``; docs/history.md, "The span view").

ViHOS is built from ViHSD comments (1,076 ViHSD test and 465 dev texts reappear in ViHOS train),
so the tagger here is its own, not the shipped span tagger: it learns from the ViHOS comments the
caller passes — the training task removes every text of the ViHSD splits a model is measured on —
and the training texts that are ViHOS comments get their features from a tagger fitted without
them (out-of-fold), so the calibrator weighs the view as it will behave on unseen text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from kiemchung.errors import InputError, ModelError
from kiemchung.models.artifact import Artifact
from kiemchung.models.calibrated_text import CalibratedTextClassifier, grouped_folds
from kiemchung.models.tfidf_linear import model_text
from kiemchung.moderation.spans import SpanTagger, ToxicSpans

MODEL_KIND = "span-stacked-calibrated-tfidf-svm"
#: The view's columns, in order.
SUMMARY = ("max_token", "top3_mean", "log1p_flagged", "flagged_share")


def span_summary(tagger: SpanTagger, texts: Sequence[str]) -> np.ndarray:
    """Per text: the tagger's strongest token probability, the mean of its three strongest,
    log(1 + tokens at or over 0.5) and the share of tokens at or over 0.5 (zeros: no token)."""
    rows = np.zeros((len(texts), len(SUMMARY)))
    for row, (_spans, probs) in zip(rows, tagger.scored_tokens(texts), strict=True):
        if len(probs):
            strongest = np.sort(probs)[::-1]
            flagged = int((probs >= 0.5).sum())
            row[:] = strongest[0], strongest[:3].mean(), np.log1p(flagged), flagged / len(probs)
    return rows


class SpanStackedClassifier(CalibratedTextClassifier):
    """A :class:`CalibratedTextClassifier` whose calibrator also reads the span view.

    ``fit`` takes the ViHOS comments the view's tagger learns from (``spans``) beside the labelled
    texts; the fitted tagger travels in the same artifact."""

    model_kind = MODEL_KIND

    def __init__(
        self,
        C: float = 0.1,
        n_folds: int = 5,
        augment_folded: bool = True,
        embed_C: float | None = None,
        span_C: float = 0.3,
    ) -> None:
        super().__init__(C=C, n_folds=n_folds, augment_folded=augment_folded, embed_C=embed_C)
        self.span_C = span_C

    def _tagger(self, spans: Sequence[ToxicSpans]) -> SpanTagger:
        return SpanTagger(C=self.span_C).fit(
            [s.text for s in spans], [s.char_indices for s in spans]
        )

    def _training_view(self, texts: Sequence[str], spans: Sequence[ToxicSpans]) -> np.ndarray:
        """The view of the training texts: out-of-fold for those the tagger learns from."""
        view = span_summary(self.tagger_, texts)
        keys = [model_text(s.text) for s in spans]
        rows_of: dict[str, list[int]] = {}  # a text as the model reads it -> its training rows
        for row, text in enumerate(texts):
            rows_of.setdefault(model_text(text), []).append(row)
        for kept, held in grouped_folds([s.text for s in spans], self.n_folds):
            rows = sorted({r for i in held for r in rows_of.get(keys[i], ())})
            if rows:
                fold_tagger = self._tagger([spans[i] for i in kept])
                view[rows] = span_summary(fold_tagger, [texts[r] for r in rows])
        return view

    def fit(  # type: ignore[override]  # the view replaces ``side``: the tagger computes it
        self,
        texts: Sequence[str],
        labels: Sequence[int],
        embeddings: np.ndarray | None = None,
        spans: Sequence[ToxicSpans] = (),
    ) -> SpanStackedClassifier:
        if not spans:
            raise InputError("the span view needs the ViHOS comments its tagger learns from")
        self.tagger_ = self._tagger(spans)
        view = self._training_view(texts, spans)
        super().fit(texts, labels, embeddings, side=view)
        return self

    def _own_view(
        self, texts: Sequence[str], embeddings: np.ndarray | None, tfidf: sp.csr_matrix
    ) -> np.ndarray:
        return span_summary(self.tagger_, texts)

    # ---------------------------------------------------------------- artifact round trip

    def to_artifact(self, name: str, version: str, **manifest: Any) -> Artifact:
        artifact = super().to_artifact(name, version, **manifest)
        artifact.arrays["span_coef"] = self.tagger_.coef_
        artifact.arrays["span_intercept"] = np.asarray([self.tagger_.intercept_], np.float64)
        artifact.params["tagger"] = self.tagger_.get_params()
        return artifact

    @classmethod
    def from_artifact(cls, source: Artifact | str | Path) -> Self:
        artifact = source if isinstance(source, Artifact) else Artifact.load(source)
        params = dict(artifact.params)
        try:
            tagger_params = params.pop("tagger")
            artifact = replace(artifact, params=params)
            model = super().from_artifact(artifact)
            model.tagger_ = SpanTagger(**tagger_params)
            model.tagger_.coef_ = artifact.arrays["span_coef"]
            model.tagger_.intercept_ = float(artifact.arrays["span_intercept"][0])
        except (KeyError, TypeError) as exc:
            raise ModelError(f"{artifact.name} is not a complete {MODEL_KIND} artifact") from exc
        if model.tagger_.coef_.shape != (model.tagger_.n_features,):
            raise ModelError(f"{artifact.name}: span weights do not match n_features")
        return model
