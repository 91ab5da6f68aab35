"""The toxicity models' span view: batched token scores, the summary, out-of-fold training
features, decontamination from ViHSD and the artifact round trip."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from kiemchung.errors import InputError, ModelError
from kiemchung.lab import datasets
from kiemchung.lab.datasets import ToxicSpans
from kiemchung.lab.training.toxicity import span_corpus
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.models.tfidf_linear import model_text
from kiemchung.moderation import spans as span_module
from kiemchung.moderation.models import (
    load_calibrated,
    shipped_span_tagger,
    shipped_toxicity_model,
)
from kiemchung.moderation.span_view import (
    SpanStackedClassifier,
    span_summary,
)


def _record(i: int, text: str, words: tuple[str, ...] = ()) -> ToxicSpans:
    spans = tuple((text.index(w), text.index(w) + len(w)) for w in words)
    return ToxicSpans(i, text, spans, tuple(c for a, b in spans for c in range(a, b)))


#: A small span corpus: each insult is marked where it occurs.
CORPUS = [
    _record(0, "thằng ngu này", ("ngu",)),
    _record(1, "hôm nay đẹp trời"),
    _record(2, "đồ khốn nạn", ("khốn nạn",)),
    _record(3, "cảm ơn bạn nhiều"),
    _record(4, "mày ngu quá", ("ngu",)),
    _record(5, "chúc cả nhà vui"),
    _record(6, "lũ khốn nạn kia", ("khốn nạn",)),
    _record(7, "giao hàng nhanh"),
    _record(8, "con chó điên", ("chó điên",)),
    _record(9, "sản phẩm tốt"),
] * 2
TEXTS = [r.text for r in CORPUS[:10]] + ["bọn ngu", "trời mưa to", "đồ chó điên", "cảm ơn shop"]
LABELS = [1, 0, 1, 0, 1, 0, 1, 0, 2, 0, 1, 0, 2, 0]


def test_batched_scores_match_one_text_at_a_time(monkeypatch) -> None:
    tagger = shipped_span_tagger()
    texts = ["đồ ngu", "", "xin chào cả nhà", "thằng chó ngu " * 40, "🙂"]
    one_by_one = [tagger.scored_tokens([t])[0] for t in texts]
    monkeypatch.setattr(span_module, "BATCH_TOKENS", 7)  # many flushes, one text across several
    for (spans, probs), (alone_spans, alone_probs) in zip(
        tagger.scored_tokens(texts), one_by_one, strict=True
    ):
        assert spans == alone_spans
        assert np.allclose(probs, alone_probs)


def test_summary_reads_abuse_higher_than_courtesy() -> None:
    view = span_summary(shipped_span_tagger(), ["mày là thằng chó ngu", "cảm ơn shop nhé", ""])
    abuse, courtesy, empty = view
    assert abuse[0] > 0.5 > courtesy[0]
    assert abuse[2] > courtesy[2] == 0  # tokens flagged
    assert (empty == 0).all()


def test_training_texts_from_the_tagger_corpus_get_out_of_fold_features() -> None:
    model = SpanStackedClassifier(n_folds=2)
    model.tagger_ = model._tagger(CORPUS)
    view = model._training_view(TEXTS, CORPUS)
    in_sample = span_summary(model.tagger_, TEXTS)
    outside = [i for i, t in enumerate(TEXTS) if t not in {r.text for r in CORPUS}]
    assert np.allclose(view[outside], in_sample[outside])  # unseen by the tagger: as is
    # a corpus text is read by a tagger that did not learn it, so less confidently
    assert view[0, 0] < in_sample[0, 0]


def test_span_stacked_model_round_trips_and_checks_its_inputs(tmp_path) -> None:
    model = SpanStackedClassifier(n_folds=2).fit(TEXTS * 3, LABELS * 3, spans=CORPUS)
    model.to_artifact("tiny-span", "1").save(tmp_path / "tiny")
    again = load_calibrated(tmp_path / "tiny")
    assert isinstance(again, SpanStackedClassifier)
    assert np.allclose(again.predict_proba(TEXTS), model.predict_proba(TEXTS))
    assert again.predict(["đồ chó điên"])[0] > 0
    with pytest.raises(InputError, match="ViHOS"):
        SpanStackedClassifier().fit(TEXTS, LABELS)
    plain = CalibratedTextClassifier(n_folds=2).fit(TEXTS * 3, LABELS * 3)
    plain.to_artifact("plain", "1").save(tmp_path / "plain")
    with pytest.raises(ModelError, match="span-stacked"):
        SpanStackedClassifier.from_artifact(tmp_path / "plain")
    assert isinstance(load_calibrated(tmp_path / "plain"), CalibratedTextClassifier)


def test_side_features_must_match_what_the_calibrator_learnt() -> None:
    side = np.arange(len(TEXTS) * 3 * 2, dtype=float).reshape(-1, 2)
    model = CalibratedTextClassifier(n_folds=2).fit(TEXTS * 3, LABELS * 3, side=side)
    assert model.predict_proba(TEXTS[:2], side=side[:2]).shape == (2, 3)
    for wrong in (None, side[:2, :1], side[:3]):
        with pytest.raises(InputError, match="side features"):
            model.predict_proba(TEXTS[:2], side=wrong)


def test_the_span_corpus_holds_no_text_of_the_held_out_vihsd_splits() -> None:
    held_out = {model_text(r.text) for r in datasets.load("vihsd", "test")}
    corpus = span_corpus("test")
    assert corpus and not {model_text(r.text) for r in corpus} & held_out
    assert len(span_corpus("dev", "test")) < len(corpus)


def test_shipped_toxicity_model_reads_the_span_view() -> None:
    model = shipped_toxicity_model()
    assert isinstance(model, SpanStackedClassifier)
    assert model.n_side_ == 4
    # the view moves the decision: the same model without it reads an insult less surely
    text = ["mày là thằng chó ngu"]
    with_view = model.predict_proba(text)[0, 0]
    blind = copy.copy(model)
    blind._own_view = lambda texts, _embeddings, _tfidf: np.zeros((len(texts), 4))
    assert with_view < blind.predict_proba(text)[0, 0]
    with pytest.raises(InputError, match="its own side features"):
        model.predict_proba(text, None, np.zeros((1, 4)))
