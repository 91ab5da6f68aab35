"""Pulse end to end: topics, emerging issues, privacy of every output, resume, engines, report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import normalized_mutual_info_score

from browser import ARTIFACTS, chromium_path, launch_chromium
from kiemchung.errors import InputError
from kiemchung.pulse.engines import LocalEngine
from kiemchung.pulse.run import PulseRun, PulseSettings
from kiemchung.pulse.topics import TopicModel
from pulse_posts import RAW_AUTHORS, write_posts


@pytest.fixture(scope="module")
def posts_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("pulse")
    issues = write_posts(folder / "posts.jsonl")
    return folder / "posts.jsonl", issues


@pytest.fixture(scope="module")
def first_run(posts_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    run = PulseRun(
        posts_file[0],
        folder / "out",
        folder / "project",
        settings=PulseSettings(n_topics=3, outlier_share=0.0),
    )
    return run.run(), folder


def test_topics_recover_the_issues_and_are_labelled_by_their_words(posts_file, first_run) -> None:
    report, folder = first_run
    labels = {t["topic"]: " ".join(t["keywords"]) for t in report["topics"]}
    assert len(labels) == 3
    assert any("xăng" in words for words in labels.values())
    assert any("bóng đá" in words or "đội tuyển" in words for words in labels.values())
    assert any("học" in words for words in labels.values())
    # every post's topic against the issue it was written about
    model = TopicModel.load(folder / "out" / "model")
    from kiemchung.pulse.scoring import score_batch

    texts = [
        json.loads(line)["text"]
        for line in posts_file[0].read_text().splitlines()
        if line.startswith('{"text"') and "created_at" in line
    ]
    topics = model.predict(score_batch(texts[:120])[1])
    assert normalized_mutual_info_score(posts_file[1][:120], topics) >= 0.9


def test_the_flood_is_an_emerging_issue_dated_the_day_it_began(first_run) -> None:
    report, _ = first_run
    emerging = report["emerging"]
    assert len(emerging) == 1
    assert emerging[0]["started"] == "2026-10-21" and "xăng" in emerging[0]["label"]


def test_counts_duplicates_and_bad_rows(first_run) -> None:
    report, folder = first_run
    source = report["input"]
    assert source["posts"] == 28 * 9 + 37 and source["bad_rows"] == 2
    assert source["distinct_texts"] + source["exact_copies"] + source["near_copies"] == 289
    errors = [
        json.loads(line) for line in (folder / "out" / "errors.jsonl").read_text().splitlines()
    ]
    assert [e["line"] for e in errors] == [6, 10]
    assert report["totals"]["posts"] == source["posts"]
    assert report["stages"][0]["stage"] == "read" and report["stages"][1]["items"] > 0


def test_no_output_holds_an_author_id_raw_or_hashed(first_run) -> None:
    _, folder = first_run
    from kiemchung.pulse.authors import AuthorPseudonymizer

    hashed = AuthorPseudonymizer.for_project(folder / "project")
    needles = RAW_AUTHORS + [hashed.pseudonym(a) for a in RAW_AUTHORS]
    files = [p for p in (folder / "out").rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {
        "report.json",
        "report.html",
        "cells.parquet",
        "errors.jsonl",
    }
    for path in files:
        content = path.read_bytes().decode("utf-8", "replace")
        assert not any(needle in content for needle in needles), path
    assert not (folder / "out" / ".spool.sqlite").exists()
    # the score store holds texts' scores only: no author column, no pseudonym
    store = (folder / "project" / "scores.sqlite").read_bytes().decode("utf-8", "replace")
    assert not any(needle in store for needle in needles)


def test_cells_under_k_authors_are_withheld_from_every_output(first_run) -> None:
    report, folder = first_run
    cells = pq.read_table(folder / "out" / "cells.parquet").to_pylist()
    assert cells and min(c["authors"] for c in cells) >= 10
    assert report["privacy"]["withheld_cells"] > 0  # 3 posts a day per topic: daily cells withheld
    assert all(row["authors"] >= 10 for row in report["series"]["topics"])


def test_an_interrupted_run_resumes_and_rescoring_skips_known_texts(
    posts_file, tmp_path, monkeypatch
) -> None:
    class DiesAfterTwoBatches(LocalEngine):
        def map(self, fn, items):
            for i, result in enumerate(super().map(fn, items)):
                if i == 2:
                    raise KeyboardInterrupt  # as if the machine went down mid-run
                yield result

    settings = PulseSettings(n_topics=3, outlier_share=0.0, batch_size=32)
    with pytest.raises(KeyboardInterrupt):
        PulseRun(
            posts_file[0],
            tmp_path / "out",
            tmp_path / "project",
            engine=DiesAfterTwoBatches(),
            settings=settings,
        ).run()
    resumed = PulseRun(posts_file[0], tmp_path / "out", tmp_path / "project", settings=settings)
    report = resumed.run()
    distinct = report["input"]["distinct_texts"]
    assert resumed.state.scored_now == distinct - 64  # two batches of 32 were kept
    # a later export with 10 % new posts scores only the new texts
    later = tmp_path / "later.jsonl"
    write_posts(later, extra=30)
    again = PulseRun(later, tmp_path / "out2", tmp_path / "project", settings=settings)
    again.run()
    assert 0 < again.state.scored_now <= 30
    # after a model upgrade (another scores version) every text is scored again, not mixed
    monkeypatch.setattr("kiemchung.pulse.run.scores_version", lambda: "upgraded models")
    upgraded = PulseRun(later, tmp_path / "out3", tmp_path / "project", settings=settings)
    assert upgraded.run()["input"]["distinct_texts"] == upgraded.state.scored_now


def test_the_scores_version_follows_the_models_and_rules(tmp_path, monkeypatch) -> None:
    from kiemchung.pulse.scoring import scores_version, shipped_manifests

    assert all(path.is_file() for path in shipped_manifests())
    assert scores_version() == scores_version(shipped_manifests())
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"files": {"arrays.npz": "aaa"}}')
    before = scores_version((manifest,))
    manifest.write_text('{"files": {"arrays.npz": "bbb"}}')  # the model was retrained
    scores_version.cache_clear()
    retrained = scores_version((manifest,))
    assert retrained != before
    from kiemchung.language import LanguageAnalyzer

    monkeypatch.setattr(LanguageAnalyzer, "version", "a newer rule")  # a rule analyzer changed
    scores_version.cache_clear()
    assert scores_version((manifest,)) != retrained
    scores_version.cache_clear()


def test_local_and_dask_give_the_same_aggregates(posts_file, first_run, tmp_path) -> None:
    pytest.importorskip("distributed")
    from kiemchung.pulse.engines import DaskEngine

    local_report, folder = first_run
    engine = DaskEngine(workers=2)
    try:
        assert engine.workers == 2
        report = PulseRun(
            posts_file[0],
            tmp_path / "out",
            tmp_path / "project",
            engine=engine,
            settings=PulseSettings(n_topics=3, outlier_share=0.0),
        ).run()
    finally:
        engine.close()
    ours = pq.read_table(tmp_path / "out" / "cells.parquet").to_pylist()
    theirs = pq.read_table(folder / "out" / "cells.parquet").to_pylist()
    assert ours == theirs
    assert report["topics"] == local_report["topics"]
    assert report["emerging"] == local_report["emerging"]


def test_bad_input_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        PulseRun(tmp_path / "missing.jsonl", tmp_path / "out", tmp_path / "p").run()
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"text": "x"}\n{broken\n')
    with pytest.raises(InputError, match="no readable posts"):
        PulseRun(empty, tmp_path / "out", tmp_path / "p").run()
    binary = tmp_path / "posts.jsonl"
    binary.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(InputError, match="no readable posts"):
        PulseRun(binary, tmp_path / "out", tmp_path / "p").run()
    fake = tmp_path / "posts.parquet"
    fake.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        PulseRun(fake, tmp_path / "out", tmp_path / "p").run()
    (tmp_path / "a-file").write_text("x")
    posts = tmp_path / "one.jsonl"
    posts.write_text('{"text": "Giá điện tăng", "created_at": "2024-01-01"}\n')
    with pytest.raises(InputError, match=r"output folder .* is a file"):
        PulseRun(posts, tmp_path / "a-file", tmp_path / "p").run()
    with pytest.raises(InputError, match=r"project folder .* is a file"):
        PulseRun(posts, tmp_path / "out", tmp_path / "a-file").run()
    with pytest.raises(InputError, match="period"):
        PulseRun(empty, tmp_path / "out", tmp_path / "p", settings=PulseSettings(period="hour"))


def test_a_file_with_one_distinct_text_gives_a_withheld_report_not_an_error(tmp_path) -> None:
    """A small export is a valid input: one topic, and every cell under k withheld."""
    posts = tmp_path / "posts.jsonl"
    post = {"text": "Giá điện tăng quá cao", "created_at": "2024-01-01"}
    posts.write_text("\n".join(json.dumps({**post, "author": f"a{i}"}) for i in range(3)))
    report = PulseRun(posts, tmp_path / "out", tmp_path / "p").run()
    assert report["input"]["distinct_texts"] == 1 and report["settings"]["topics"] == 1
    assert report["topics"] == [] and report["privacy"]["withheld_topics"] == 1
    model = TopicModel(n_topics=3).fit(np.ones((4, 2), dtype=np.float32) / np.sqrt(2))
    assert len(model.centres_) == 1 and model.assign(np.eye(2, dtype=np.float32))[0].size == 2
    two = tmp_path / "two.csv"  # two distinct texts once crashed the topic count's silhouette
    two.write_text("text;created_at\r\nGiá điện tăng;2024-01-01\r\nĐường ngập;2024-01-02\r\n")
    report = PulseRun(two, tmp_path / "out2", tmp_path / "p").run()
    assert report["input"]["distinct_texts"] == 2 and report["settings"]["topics"] == 2


def test_report_page_renders_in_chromium_and_shows_markup_as_text(first_run, tmp_path) -> None:
    """The HTML report in headless Chromium: charts drawn, a script in a post shown as text,
    nothing fetched from the network. The screenshot is kept under tests/artifacts/."""
    chromium_path()  # skip (or fail under CI) before anything else
    playwright = pytest.importorskip("playwright.sync_api")
    from kiemchung.pulse.report_html import render_html

    report, _ = first_run
    attack = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    report = json.loads(json.dumps(report))
    report["topics"][0]["examples"] = [attack]
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(report), encoding="utf-8")
    requests: list[str] = []
    with playwright.sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1200})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page.screenshot(path=str(ARTIFACTS / "pulse_report.png"), full_page=True)
            assert page.evaluate("window.pwned") is None
            assert attack in page.inner_text("body")
            assert page.locator("svg polyline").count() == 3
            assert page.locator("h2").count() >= 4
            assert page.get_by_text("Emerging issues").count() == 1
        finally:
            browser.close()
    assert all(url.startswith("file://") for url in requests), requests
    assert (ARTIFACTS / "pulse_report.png").read_bytes().startswith(b"\x89PNG")


def test_cli_pulse_run_writes_the_report_and_explains_bad_options(posts_file, first_run, cli):
    _, folder = first_run
    out = folder / "cli-out"
    done = cli(
        "pulse",
        "run",
        str(posts_file[0]),
        "--out",
        str(out),
        "--project",
        str(folder / "project"),
        "--topics",
        "3",
        "--outlier-share",
        "0",
        "--json",
    )
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads(done.stdout)
    assert report["input"]["posts"] == 289 and len(report["topics"]) == 3
    assert report["stages"][1]["items"] == 0  # every text was already scored in this project
    assert (out / "report.html").exists() and (out / "cells.parquet").exists()
    bad = cli("pulse", "run", str(posts_file[0]), "--out", str(out), "--map", "text")
    assert bad.returncode == 1 and b"FIELD=COLUMN" in bad.stderr
    wrong = cli("pulse", "run", str(posts_file[0]), "--out", str(out), "--map", "txt=message")
    assert wrong.returncode == 1 and b"unknown field" in wrong.stderr
    engine = cli("pulse", "run", str(posts_file[0]), "--out", str(out), "--engine", "spark")
    assert engine.returncode == 1 and b"unknown engine" in engine.stderr
