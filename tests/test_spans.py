"""The ViHOS span tagger: tokens, merging, the span-F1 definition, artifacts and a quality floor."""

from __future__ import annotations

import pytest

from kiemchung.errors import ModelError
from kiemchung.lab.evaluation.registry import run_evaluation
from kiemchung.models.artifact import Artifact
from kiemchung.moderation.models import shipped_span_tagger
from kiemchung.moderation.spans import SpanTagger, merge_spans, span_f1, tokenize


def test_tokens_and_merging() -> None:
    text = "đm  thằng này, ngu vl 😒"
    spans = tokenize(text)
    assert [text[a:b] for a, b in spans] == ["đm", "thằng", "này", ",", "ngu", "vl", "😒"]
    merged = merge_spans(text, [spans[0], spans[1], spans[4], spans[5]])
    assert [text[a:b] for a, b in merged] == ["đm  thằng", "ngu vl"]


def test_span_f1_follows_the_vihos_definition() -> None:
    assert span_f1(set(), set()) == 1.0
    assert span_f1({1}, set()) == 0.0
    assert span_f1(set(), {1}) == 0.0
    assert span_f1({1, 2}, {2, 3}) == pytest.approx(0.5)


def test_tagger_learns_and_round_trips(tmp_path) -> None:
    texts = ["thằng ngu này", "hôm nay đẹp trời", "đồ ngu", "cảm ơn bạn", "mày ngu quá"] * 4
    offsets = [set(range(6, 9)), set(), set(range(3, 6)), set(), set(range(4, 7))] * 4
    tagger = SpanTagger(C=10, n_features=2**12).fit(texts, offsets)
    probe = "bạn ngu thế"
    spans = tagger.predict_spans(probe)
    assert [probe[a:b] for a, b, _ in spans] == ["ngu"]
    tagger.to_artifact("tiny", "1").save(tmp_path / "tiny")
    again = SpanTagger.from_artifact(tmp_path / "tiny")
    assert again.predict_spans(probe) == spans
    Artifact("other", "1", params={"model": "else"}).save(tmp_path / "other")
    with pytest.raises(ModelError):
        SpanTagger.from_artifact(tmp_path / "other")


def test_shipped_tagger_finds_profanity_and_leaves_clean_text_alone() -> None:
    tagger = shipped_span_tagger()
    text = "Hôm nay trời đẹp, đéo hiểu sao thằng đó ngu vl"
    found = [text[a:b] for a, b, _ in tagger.predict_spans(text)]
    assert "đéo" in " ".join(found) and "vl" in " ".join(found)
    assert tagger.predict_spans("Cảm ơn shop, giao hàng nhanh, sản phẩm tốt.") == []
    assert tagger.predict_spans("") == []


def test_quality_floor_on_dev() -> None:
    result = run_evaluation("vihos", "spans-lr", "dev")
    assert result.metrics["span_f1"] >= 0.74
    assert result.anchors["lexicon_flagger_same_run"]["span_f1"] < result.metrics["span_f1"]
