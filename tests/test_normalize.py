"""Normalization: the output rules, and the offset map back to the original (property-tested)."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kiemchung.text.normalize import INVISIBLE_CLASS, for_model, normalize
from kiemchung.text.teencode import TEENCODE

_INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")

VIETNAMESE = "Hoà bình, khoẻ mạnh; thuý quý! Nguyễn Văn Ánh đi học ở Hà Nội."
pieces = st.one_of(
    st.text(max_size=8),  # any Unicode, surrogates included
    st.sampled_from(
        [
            "\u200b",
            "\u200c",
            "\u200d",
            "\ufeff",
            "\u00ad",
            "\u202e",
            "\x00",
            "\x1b",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\u00a0",
            "\u3000",
            "\u0301",
            "\u0300",
            "\u0323",
            "\u0309",
            "\u0303",
            "\u0302",
            "\u031b",
            "😀",
            "👨\u200d👩\u200d👧",
            "🇻🇳",
            "\ufe0f",
            "hoà",
            "HOÀ",
            "khoẻ",
            "thuý",
            "quý",
            "ngòai",
            "hòan",
            "Thuỷ",
        ]
    ),
    st.sampled_from(VIETNAMESE.split(" ")).map(lambda w: unicodedata.normalize("NFD", w)),
)
texts = st.lists(pieces, max_size=12).map("".join)


def _words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S+", text)]


@settings(max_examples=1500, deadline=None)
@given(texts)
def test_offset_map_round_trips_every_word(original: str) -> None:
    result = normalize(original)
    norm = result.text
    # Output rules.
    assert unicodedata.is_normalized("NFC", norm)
    assert not _INVISIBLE.search(norm)
    assert norm == norm.strip()
    assert "  " not in norm and "\n\n" not in norm
    # The map: bounded, monotone, and each word goes back to characters that produce it again.
    previous = (0, 0)
    for start, end in _words(norm):
        src_start, src_end = result.to_original(start, end)
        assert 0 <= src_start < src_end <= len(original)
        assert src_start >= previous[1]
        assert normalize(original[src_start:src_end]).text == norm[start:end]
        previous = (src_start, src_end)
    # Every single character maps inside the original, in order.
    last = 0
    for i in range(len(norm)):
        s, e = result.to_original(i, i + 1)
        assert last <= s < e <= len(original)
        last = s


@settings(max_examples=300, deadline=None)
@given(texts)
def test_model_input_maps_back_to_the_original(original: str) -> None:
    model = for_model(normalize(original))
    for start, end in _words(model.text):
        src_start, src_end = model.to_original(start, end)
        assert 0 <= src_start < src_end <= len(original)
        # An expansion may hold spaces ("sn" → "sinh nhật"): each of its words maps to the source.
        assert model.text[start:end] in for_model(normalize(original[src_start:src_end])).text


def test_tone_mark_convention() -> None:
    pairs = {
        "hoà": "hòa",
        "Hoà": "Hòa",
        "thuý": "thúy",
        "khoẻ": "khỏe",
        "Thuỷ": "Thủy",
        "hòan": "hoàn",
        "ngòai": "ngoài",
        "quý": "quý",
        "qúy": "quý",
        "huỳnh": "huỳnh",
        "hòa": "hòa",
        "toán": "toán",
        "HOÀ": "HÒA",
    }
    for written, expected in pairs.items():
        assert normalize(written).text == expected, written
        assert normalize(unicodedata.normalize("NFD", written)).text == expected, written


def test_whitespace_and_invisibles() -> None:
    assert normalize("  a \u200b b\t\tc\n\n\nd  ").text == "a b c\nd"
    assert normalize("tiếng\u200bViệt").text == "tiếngViệt"
    assert normalize("\ufeffxin chào").text == "xin chào"
    assert normalize("").text == ""
    assert normalize(" \u200b \n").text == ""


def test_ascii_text_maps_to_itself() -> None:
    text = "plain ascii text, nothing to change"
    result = normalize(text)
    assert result.text == text
    assert result.to_original(6, 11) == (6, 11)


def test_spans_inside_a_group_expand_to_the_whole_group() -> None:
    original = unicodedata.normalize("NFD", "Hà")  # H, a, combining grave
    result = normalize(original)
    assert result.text == "Hà"
    assert result.to_original(1, 2) == (1, 3)
    assert result.to_original(0, 1) == (0, 1)


def test_teencode_expansion_keeps_case_and_maps_back() -> None:
    original = "Ko bít j hết, đc vs mik"
    model = for_model(normalize(original))
    assert model.text == "Không biết gì hết, được với mình"
    start = model.text.index("được")
    assert original[slice(*model.to_original(start, start + len("được")))] == "đc"


def test_teencode_table_shape() -> None:
    assert len(TEENCODE) >= 150
    for key, value in TEENCODE.items():
        assert key == key.lower() and " " not in key and key != value
        assert unicodedata.is_normalized("NFC", key) and unicodedata.is_normalized("NFC", value)


def test_invisible_class_matches_unicode_categories() -> None:
    for cp in range(sys.maxunicode + 1):
        char = chr(cp)
        category = unicodedata.category(char)
        invisible = category in ("Cc", "Cf", "Cs") and not char.isspace()
        if invisible:
            assert _INVISIBLE.match(char), hex(cp)
        elif _INVISIBLE.match(char):
            assert category == "Cn", hex(cp)  # unassigned in this Python's Unicode version


def test_large_inputs_stay_fast_enough() -> None:
    big = ("Hoà bình  và khoẻ mạnh \u200b😀 " * 200_000)[: 5 * 1024 * 1024]
    result = normalize(big)
    assert result.text.startswith("Hòa bình và khỏe mạnh 😀")
    end = len(result.text)
    assert result.to_original(end - 3, end)[1] <= len(big)
    emoji = normalize("😀" * 10_000)
    assert emoji.text == "😀" * 10_000
