"""Sentences, words, diacritics and language identification."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from kiemchung.text.diacritics import diacritic_ratio, fold_accents, lacks_diacritics
from kiemchung.text.langid import detect
from kiemchung.text.segment import segment, segment_many
from kiemchung.text.sentences import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_sentences_survive_abbreviations_numbers_dates_and_urls() -> None:
    text = (
        "PGS. TS. Nguyễn Văn A đến TP. HCM ngày 26.3 với 1.250.000 đồng. "
        "Chi tiết tại https://vnexpress.net/tin-a.b.html nhé! Ở Q. 1, P. Bến Nghé? Có."
    )
    assert _sentences(text) == [
        "PGS. TS. Nguyễn Văn A đến TP. HCM ngày 26.3 với 1.250.000 đồng.",
        "Chi tiết tại https://vnexpress.net/tin-a.b.html nhé!",
        "Ở Q. 1, P. Bến Nghé?",
        "Có.",
    ]


def test_sentences_break_at_lines_and_capitalised_ellipsis_only() -> None:
    text = "Hay quá... mình thích. Thế thôi… Sau đó\nDòng hai"
    assert _sentences(text) == ["Hay quá... mình thích.", "Thế thôi…", "Sau đó", "Dòng hai"]
    assert _sentences("") == []
    assert _sentences("   ") == []


def test_segmentation_finds_compound_words_with_offsets() -> None:
    text = "Chàng trai 9X Quảng Trị khởi nghiệp từ nấm sò, TP. HCM"
    tokens = segment(text)
    words = [t.text for t in tokens]
    assert "Quảng Trị" in words and "khởi nghiệp" in words and "TP." in words
    for token in tokens:
        assert text[token.start : token.end] == token.text
    assert segment("") == [] and segment("   ") == []


def test_segment_many_in_two_processes_matches_one() -> None:
    texts = [f"Hôm nay {i} người dân Hà Nội đi bầu cử." for i in range(300)]
    assert segment_many(texts, n_jobs=2, batch_size=50) == segment_many(texts)


def test_long_texts_are_segmented_in_windows_without_losing_offsets() -> None:
    text = "Người dân Hà Nội đổ ra đường xem pháo hoa. " * 400
    tokens = segment(text)
    assert sum(t.text == "Hà Nội" for t in tokens) == 400
    assert all(text[t.start : t.end] == t.text for t in tokens)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aăâeêioôơuưyđAĐ \u0300\u0301\u0303\u0309\u0323bcdmn")))
def test_folding_keeps_length_and_removes_marks(raw: str) -> None:
    text = unicodedata.normalize("NFC", raw)
    folded = fold_accents(text)
    assert len(folded) == len(text)
    # Every letter is plain ASCII; only a stray combining mark with no letter to sit on survives.
    assert all(c.isascii() or unicodedata.combining(c) for c in folded)


def test_folding_and_diacritic_detection() -> None:
    assert fold_accents("Đường Hồ Chí Minh") == "duong ho chi minh"
    assert fold_accents("Đường", lower=False) == "Duong"
    assert lacks_diacritics("hom nay troi dep qua")
    assert not lacks_diacritics("hôm nay trời đẹp quá")
    assert not lacks_diacritics("ok")  # too short to say
    assert diacritic_ratio("123 !!!") is None


def test_language_id_accuracy_on_the_labelled_fixture() -> None:
    rows = [
        json.loads(line) for line in (ROOT / "tests/fixtures/langid.jsonl").open(encoding="utf-8")
    ]
    assert len(rows) == 200
    correct, per_kind = 0, Counter()
    for row in rows:
        ok = detect(row["text"]).lang == row["lang"]
        correct += ok
        per_kind[row["kind"]] += ok
    accuracy = correct / len(rows)
    assert accuracy >= 0.95, (accuracy, per_kind)
    assert per_kind["vi_nodiac"] >= 47, per_kind


def test_language_id_edge_cases() -> None:
    assert detect("").lang == "other" and detect("").confidence == 0.0
    assert detect("😀😀😀 123").code == "und"
    guess = detect("khong biet noi gi luon")
    assert guess.lang == "vi" and guess.unaccented
    assert not detect("Không biết nói gì luôn").unaccented
    assert detect("今天天气很好，我们去公园吧。").lang == "other"
    # links, addresses, mentions and hashtags are in no language
    assert detect("https://vnexpress.net/gia-xang-tang-manh-123.html").code == "und"
    assert detect("#hanoi #vietnam @admin").code == "und"
    assert detect("Giá xăng tăng rồi https://example.com/breaking-news-today").lang == "vi"
