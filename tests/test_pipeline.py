"""The analyzer registry and the public ``analyze`` call, including every kind of bad input."""

from __future__ import annotations

import unicodedata

import pytest

import kiemchung
from kiemchung.core import Document, Finding
from kiemchung.errors import InputError
from kiemchung.pipeline import BaseAnalyzer, Pipeline, available_analyzers, register_analyzer


class ShoutAnalyzer(BaseAnalyzer):
    """Flags words in capitals, with spans on the original text: exercises span mapping."""

    name = "shout"
    version = "test"

    def analyze(self, doc: Document) -> list[Finding]:
        found = []
        for token in doc.tokens:
            if token.text.isupper() and len(token.text) > 2:
                span = doc.to_original(token.start, token.end)
                found.append(Finding(self.name, "SHOUT", 1.0, span=span))
        return found


def test_builtin_analyzer_comes_from_the_entry_point_group() -> None:
    assert "language" in available_analyzers()
    report = kiemchung.analyze("Tôi yêu Việt Nam", ["language"])
    assert [f.label for f in report.findings] == ["vi"]
    assert report.versions["language"] and report.timings_ms["language"] >= 0


def test_registered_analyzer_runs_and_spans_hit_the_original(monkeypatch) -> None:
    monkeypatch.setattr(kiemchung.pipeline.ANALYZERS, "_items", {})
    register_analyzer("shout", ShoutAnalyzer)
    assert "shout" in available_analyzers()
    assert "shout" in [a.name for a in kiemchung.pipeline.Pipeline().analyzers]  # "all" has it
    text = unicodedata.normalize("NFD", "Ồ  THẬT\u200b  ĐẤY  à")
    report = kiemchung.analyze(text, ["shout"])
    assert [text[s:e] for s, e in (f.span for f in report.findings)] == [
        unicodedata.normalize("NFD", "THẬT"),
        unicodedata.normalize("NFD", "ĐẤY"),
    ]


def test_unknown_analyzer_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown analyzer 'nope'"):
        kiemchung.analyze("xin chào", ["nope"])


@pytest.mark.parametrize("bad", ["", "   \n\t ", "\u200b\u200c\ufeff", b"\xff\xfe\x00"])
def test_empty_or_undecodable_input_is_a_clear_error(bad) -> None:
    with pytest.raises(InputError):
        kiemchung.analyze(bad)


def test_invalid_utf8_bytes_are_refused_with_the_offset() -> None:
    with pytest.raises(InputError, match=r"not valid UTF-8 .*offset 6"):
        kiemchung.analyze(b"xin ch" + b"\xc3\x28")


def test_nfd_and_zero_width_input_gives_the_same_answer_as_clean_input() -> None:
    clean = kiemchung.analyze("Hôm nay trời đẹp quá")
    messy = kiemchung.analyze(unicodedata.normalize("NFD", "Hôm\u200b nay  trời đẹp quá"))
    assert [(f.label, f.score) for f in clean.findings] == [
        (f.label, f.score) for f in messy.findings
    ]


def test_ten_thousand_emoji_give_a_sane_report() -> None:
    report = kiemchung.analyze("😀" * 10_000)
    assert report.text_length == 10_000
    assert report.findings[0].label == "other"


def test_five_megabyte_text_is_analyzed() -> None:
    text = ("Người dân Hà Nội đổ ra đường xem pháo hoa. " * 120_000)[: 5 * 1024 * 1024]
    report = kiemchung.analyze(text, ["language"])
    assert report.text_length == len(text)
    assert report.lang == "vi"
    doc = Document(text)
    last = doc.sentences[-1]
    assert text[slice(*doc.to_original(*last))] == doc.norm[last[0] : last[1]]


def test_a_text_too_long_for_the_model_analyzers_is_refused_before_any_work(monkeypatch) -> None:
    from kiemchung.text.inputs import MODEL_MAX_CHARS

    ran = []
    monkeypatch.setattr(
        Pipeline, "run_many", lambda self, docs: ran.append(docs) or [None] * len(docs)
    )
    text = "Người dân Hà Nội đổ ra đường xem pháo hoa. " * (MODEL_MAX_CHARS // 40)
    with pytest.raises(
        InputError,
        match=r"limit of 1,000,000 for moderation, sentiment; .*\(guard, language, scam\)",
    ):
        kiemchung.analyze(text, ["language", "moderation", "sentiment", "guard"])
    assert ran == []  # refused up front, not after minutes of moderation
    Pipeline(["language", "guard"]).run(Document(text))  # no limit of their own
    assert len(ran) == 1
    Pipeline(["moderation"]).run(Document(text[:MODEL_MAX_CHARS]))  # at the limit: read
    assert len(ran) == 2


def test_batch_run_matches_single_runs() -> None:
    texts = ["Tôi yêu Việt Nam", "I love Vietnam very much", "toi yeu viet nam lam"]
    pipeline = Pipeline(["language"])
    batch = pipeline.run_many([Document(t) for t in texts])
    single = [pipeline.run(Document(t)) for t in texts]
    assert [r.findings for r in batch] == [r.findings for r in single]


def test_registry_lists_without_loading_and_prefers_in_process_entries() -> None:
    from kiemchung.registry import Registry

    registry: Registry[str] = Registry("widget", entry_point_group="kiemchung.analyzers")
    changes = []
    registry.on_change(lambda: changes.append(1))
    assert {"language", "scam"} <= set(registry.names())
    assert registry.get("language").__name__ == "LanguageAnalyzer"  # loaded from the entry point
    registry.register("language", "mine")
    assert registry.get("language") == "mine" and changes == [1]
    with pytest.raises(
        InputError, match="unknown widget 'x'; available: guard, language, moderation"
    ):
        registry.get("x")
