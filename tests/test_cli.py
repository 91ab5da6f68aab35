"""The command line as a user runs it: output, --json, exit codes, errors, train → eval."""

from __future__ import annotations

import json
import os

from conftest import run_cli


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.decode().startswith("kiemchung 0.")


def test_analyze_json_from_argument_stdin_and_file(tmp_path) -> None:
    result = run_cli("analyze", "Tôi yêu Việt Nam", "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["format"] == "kiemchung.report/1" and report["findings"][0]["label"] == "vi"
    piped = run_cli("analyze", "-", "--json", stdin=b"toi yeu viet nam")
    assert json.loads(piped.stdout)["findings"][0]["data"]["unaccented"] is True
    file = tmp_path / "post.txt"
    file.write_text("The ministry denied the report.", encoding="utf-8")
    from_file = run_cli("analyze", "--file", str(file), "--json")
    assert json.loads(from_file.stdout)["lang"] == "en"


def test_a_saved_web_page_is_read_as_its_visible_text(tmp_path) -> None:
    """Scripts and markup are neither words to moderate nor claims to check."""
    sentence = "Theo Bộ Y tế, năm 2022 cả nước tiêm 265 triệu liều vắc-xin."
    page = tmp_path / "page.html"
    page.write_text(
        '<!doctype html><html><head><title>Tin</title><script>var x = "thằng chó ngu";'
        f" alert(1)</script></head><body><p>{sentence}</p></body></html>",
        encoding="utf-8",
    )
    report = json.loads(run_cli("analyze", "--file", str(page), "--json").stdout)
    assert report["text_length"] == len(sentence)
    assert {f["label"] for f in report["findings"]} & {"TOXIC_SPAN", "OFFENSIVE", "HATE"} == set()
    checked = json.loads(run_cli("check", "--file", str(page), "--json").stdout)
    assert checked["text_length"] == len(sentence)
    assert [f["span"] for f in checked["findings"]] == [[0, len(sentence)]]
    both = run_cli("check", "some text", "--file", str(page))
    assert both.returncode == 2 and "not both" in both.stderr.decode()


def test_analyze_table_output() -> None:
    result = run_cli("analyze", "hom nay troi dep qua", env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0
    assert "without diacritics" in result.stdout.decode()


def _one_line_error(result, fragment: str) -> None:
    assert result.returncode == 1, result
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], lines
    assert "Traceback" not in result.stderr.decode()


def test_bad_input_gives_one_line_and_exit_1(tmp_path) -> None:
    _one_line_error(run_cli("analyze", "-", stdin=b"\xff\xfeabc"), "not valid UTF-8")
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02binary")
    _one_line_error(run_cli("analyze", "--file", str(binary)), "binary")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Hà Nội".encode("latin-1", "replace") + b"\xe0 \xff")
    _one_line_error(run_cli("analyze", "--file", str(latin1)), "not valid UTF-8")
    _one_line_error(run_cli("analyze", "--file", str(tmp_path / "missing.txt")), "no such file")
    _one_line_error(run_cli("analyze", "--file", str(tmp_path)), "is a folder")
    _one_line_error(run_cli("analyze", "   "), "nothing to analyze")
    _one_line_error(run_cli("analyze", "x", "-a", "nope"), "unknown analyzer")
    _one_line_error(run_cli("eval", "nope"), "unknown task")
    # paths the operating system refuses are the user's to fix, not internal errors
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    _one_line_error(run_cli("train", "vihsd-baseline", "--out", str(a_file)), "is a file")
    kb = tmp_path / "k.kb"
    assert run_cli("kb", "create", str(kb)).returncode == 0
    _one_line_error(run_cli("kb", "export", str(kb), "--out", str(tmp_path)), "Is a directory")
    late_nul = tmp_path / "late-nul.txt"  # a NUL far past the first 8 KiB is still refused
    late_nul.write_bytes("Giá xăng tăng. ".encode() * 1000 + b"\x00tail")
    _one_line_error(run_cli("analyze", "--file", str(late_nul)), "NUL byte at offset")
    _one_line_error(run_cli("check", ""), "nothing to analyze")
    no_text = tmp_path / "no-text.csv"
    no_text.write_text("title,body\nA,B\n", "utf-8")
    _one_line_error(run_cli("kb", "add", str(kb), str(no_text), "--no-embed"), "no 'text'")
    # a file that is not a knowledge base is refused as it is: not switched to WAL, not grown
    import sqlite3

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (a)")
    empty = tmp_path / "empty.kb"
    empty.write_bytes(b"")
    before = {path: path.read_bytes() for path in (other, empty)}
    for path in (other, empty):
        _one_line_error(run_cli("kb", "stats", str(path)), "not a kiemchung knowledge base")
        assert path.read_bytes() == before[path] and not path.with_name(path.name + "-wal").exists()


def test_verify_judges_a_claim_against_the_evidence_given(tmp_path) -> None:
    evidence = "Giá xăng RON 95 tăng 490 đồng mỗi lít từ ngày 11/3, Bộ Công Thương cho biết."
    wrong = run_cli("verify", "Giá xăng RON 95 tăng 940 đồng mỗi lít.", "-e", evidence, "--json")
    finding = json.loads(wrong.stdout)
    assert finding["label"] == "REFUTED" and "940" in finding["explanation"]
    assert set(finding["data"]["probabilities"]) == {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"}
    page = tmp_path / "nguon.html"  # a saved page: its visible text is the evidence
    page.write_text(f"<p>{evidence}</p><script>alert(1)</script>", encoding="utf-8")
    right = run_cli("verify", "-", "--evidence-file", str(page), stdin=evidence.encode())
    assert right.returncode == 0 and right.stdout.decode().startswith("SUPPORTED")
    assert run_cli("verify", "x").returncode == 2  # no evidence
    assert run_cli("verify", "x", "-e", "y", "--evidence-file", str(page)).returncode == 2
    _one_line_error(run_cli("verify", "\u200b", "-e", evidence), "something visible")
    _one_line_error(run_cli("verify", "😀😂🔥", "-e", "👍🏽🇻🇳"), "words")  # not a claim
    _one_line_error(run_cli("verify", "-", "-e", evidence, stdin=b"\xff\xfe"), "not valid UTF-8")


def test_usage_errors_exit_2_and_debug_shows_tracebacks() -> None:
    assert run_cli("analyze", "--bogus").returncode == 2
    assert run_cli("analyze").returncode == 2
    assert run_cli("eval", "vihsd", "--split", "train").returncode == 1
    debug = run_cli("--debug", "analyze", "x", "-a", "nope")
    assert debug.returncode == 1 and "Traceback" in debug.stderr.decode()


def test_train_then_eval_the_saved_artifact(tmp_path) -> None:
    trained = run_cli("train", "vihsd-baseline", "--out", str(tmp_path), "--json")
    assert trained.returncode == 0, trained.stderr
    summary = json.loads(trained.stdout)
    artifact = summary["artifact"]
    assert summary["metrics"]["dev"]["macro_f1"] > 0.55
    manifest = json.loads((tmp_path / "vihsd-tfidf-svm" / "manifest.json").read_text())
    assert manifest["training_data"][0]["file"] == "vihsd/train.csv"
    assert len(manifest["training_data"][0]["sha256"]) == 64
    evaluated = run_cli("eval", "vihsd", "--model", artifact, "--split", "dev", "--json")
    result = json.loads(evaluated.stdout)
    assert set(result) >= {"task", "model", "split", "n", "metrics"}
    assert result["n"] == 2672
    # The reloaded artifact scores exactly what training measured on dev.
    assert result["metrics"]["macro_f1"] == summary["metrics"]["dev"]["macro_f1"]
    assert {"accuracy", "roc_auc", "per_class"} <= set(result["metrics"])
    table = run_cli("eval", "vihsd", "--model", artifact, "--split", "dev")
    assert "macro_f1" in table.stdout.decode() and "anchor" in table.stdout.decode()


def test_demo_runs() -> None:
    result = run_cli("demo", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    languages = [
        next(f["label"] for f in r["findings"] if f["analyzer"] == "language")
        for r in data["reports"]
    ]
    assert languages == ["vi", "vi", "vi", "en", "vi", "vi"]
    leaked = {f["label"] for f in data["reports"][-1]["findings"] if f["analyzer"] == "guard"}
    assert leaked == {"VN_CITIZEN_ID", "PERSON", "PHONE", "ADDRESS"}
    steps = data["text_pipeline"]
    assert "mọi người" in steps[1]["model_input"] and "mn" in steps[1]["normalized"]
    assert len(steps[0]["sentences"]) == 2 and "Y tế" in steps[0]["words"]
    # three claims against the bundled base: a prior review, supporting and refuting articles
    verdicts = [r["findings"][0] for r in data["checks"]]
    assert [v["label"] for v in verdicts] == ["REFUTED", "SUPPORTED", "REFUTED"]
    assert "claim_review" in verdicts[0]["data"] and verdicts[0]["evidence"][0]["url"]
    assert "31,5%" in verdicts[1]["evidence"][0]["passage"]
    assert all(v["evidence"][0]["url"].startswith("https://") for v in verdicts)


def test_text_benchmark_prints_rerunnable_figures() -> None:
    import subprocess
    import sys

    from conftest import ROOT

    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "text_bench.py"), "--limit", "300", "--json"],
        capture_output=True,
        timeout=300,
        check=True,
    )
    figures = json.loads(result.stdout)
    assert figures["docs"] == 300
    steps = [row["step"] for row in figures["rows"]]
    assert any(s.startswith("anchor: underthesea") for s in steps)
    assert all(row["docs_per_s"] > 0 for row in figures["rows"])


def test_big_and_messy_files_give_sane_reports(tmp_path) -> None:
    import unicodedata

    big = tmp_path / "big.txt"
    big.write_text(("Giá xăng hôm nay tăng nhẹ. " * 200_000)[: 5 * 1024 * 1024], encoding="utf-8")
    result = run_cli("analyze", "--file", str(big), "--json")  # too long for the models
    assert result.returncode == 1 and b"over the limit of 1,000,000 for moderation" in result.stderr
    result = run_cli("analyze", "--file", str(big), "--json", "-a", "language,guard,scam")
    assert result.returncode == 0 and json.loads(result.stdout)["lang"] == "vi"
    messy = unicodedata.normalize("NFD", "Hoà\u200b bình  ") + "😀" * 10_000
    result = run_cli("analyze", "-", "--json", stdin=messy.encode("utf-8"))
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["text_length"] == len(messy)


def test_vihsd_baseline_on_test_is_in_the_expected_band() -> None:
    result = run_cli("eval", "vihsd", "--model", "tfidf-svm", "--split", "test", "--json")
    figures = json.loads(result.stdout)
    assert figures["n"] == 6680
    assert 0.60 <= figures["metrics"]["macro_f1"] <= 0.70


def test_eval_table_shows_nested_blocks_and_counts() -> None:
    """`kiemchung eval vihsd` with a shipped model carries `long_posts` two levels deep; the table
    once tried to print that block as one number and crashed."""
    from rich.console import Console

    from kiemchung.cli.main import _metrics_table
    from kiemchung.lab.evaluation.registry import EvalResult

    metrics = {
        "macro_f1": 0.5,
        "trained_on_this_split": False,
        "long_posts": {"n": 300, "windows": {"insult_found": 0.6}},
        "policy": {"abusive_comments": 22, "abusive_f1": 0.41666},
    }
    console = Console(width=200, record=True)
    console.print(_metrics_table(EvalResult("vihsd", "m", "test", 10, metrics, {})))
    text = console.export_text()
    assert "long_posts windows insult_found │ 0.6000" in text
    assert "long_posts n" in text and "│    300 │" in text
    assert "policy abusive_comments" in text and "│     22 │" in text
    assert "policy abusive_f1" in text and "0.4167" in text


def test_stored_markup_and_escape_codes_print_as_text(tmp_path) -> None:
    """A title holding Rich markup, a terminal hyperlink or an escape sequence is shown as typed:
    it neither crashes the table nor becomes a link or a colour."""
    base = tmp_path / "sources.kb"
    titles = ["[/] tiêu đề", "[link=https://evil.example]bấm vào[/link]", "\x1b]0;owned\x07 đỏ"]
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        "".join(
            json.dumps({"title": title, "text": f"Giá xăng RON 95 giảm {i}00 đồng mỗi lít."}) + "\n"
            for i, title in enumerate(titles, 1)
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "COLUMNS": "300"}
    assert run_cli("kb", "create", str(base), env=env).returncode == 0
    assert run_cli("kb", "add", str(base), str(docs), "--no-embed", env=env).returncode == 0
    for args in (("kb", "list", str(base)), ("kb", "search", str(base), "giá xăng RON 95")):
        result = run_cli(*args, env=env)
        shown = result.stdout.decode()
        assert result.returncode == 0, result.stderr.decode()
        assert "[/] tiêu đề" in shown and "[link=https://evil.example]" in shown, args
        assert "\x1b" not in shown and "\\x1b]0;owned" in shown, args
