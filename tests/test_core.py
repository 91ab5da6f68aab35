"""Core types: Document spans, and the Report wire format (round trip + JSON Schema)."""

from __future__ import annotations

import json
import unicodedata

import jsonschema

from conftest import ROOT
from kiemchung.core import Citation, Document, Finding, Report

SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))


def _report() -> Report:
    cite = Citation(
        source="Báo Chính phủ",
        passage="Giá xăng tăng 500 đồng.",
        url="https://example.org/a",
        title="Giá xăng",
        date="2026-11-01",
        passage_span=(10, 33),
    )
    findings = [
        Finding("language", "vi", 0.99, explanation="Vietnamese.", explanation_vi="Tiếng Việt."),
        Finding("verify", "SUPPORTED", 0.8, span=(0, 12), evidence=(cite,), data={"k": [1, 2]}),
    ]
    return Report("abc", findings, 40, "vi", {"language": 0.1}, {"language": "1"})


def test_report_round_trips_through_json() -> None:
    report = _report()
    wire = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert Report.from_dict(wire) == report


def test_report_matches_the_documented_schema() -> None:
    jsonschema.validate(_report().to_dict(), SCHEMA)
    broken = _report().to_dict()
    broken["findings"][0]["score"] = 3
    try:
        jsonschema.validate(broken, SCHEMA)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a score of 3 must not validate")


def test_document_spans_index_the_original_text() -> None:
    original = unicodedata.normalize("NFD", "Ông  Nguyễn\u200bVăn Hoà ở TP. HCM")
    doc = Document(original)
    assert doc.norm == "Ông NguyễnVăn Hòa ở TP. HCM"
    start = doc.norm.index("Hòa")
    s, e = doc.to_original(start, start + 3)
    assert unicodedata.normalize("NFC", original[s:e]) == "Hoà"
    assert doc.lang == "vi"
    assert [doc.norm[a:b] for a, b in doc.sentences] == [doc.norm]
    assert any(t.text == "TP." for t in doc.tokens)
    assert doc.id == Document(original).id and len(doc.id) == 16


def test_model_input_expands_teencode_but_maps_to_original() -> None:
    doc = Document("mn ơi ko bít j hết")
    assert doc.model_input.text == "mọi người ơi không biết gì hết"
    s, e = doc.model_input.to_original(0, len("mọi người"))
    assert doc.text[s:e] == "mn"
