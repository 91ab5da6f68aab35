"""The web page in Debian's chromium (Playwright), served by a real ``kiemchung serve --no-auth``
on loopback: highlighted spans with explanations, verdicts with citations, a redaction preview,
knowledge-base search, keyboard use, both languages, and an XSS attempt shown as text.
Screenshots are kept under tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import ARTIFACTS, chromium_path, launch_chromium
from live_server import running_server, sources_kb

ATTACK = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory):
    chromium_path()  # skip (or fail under CI) before starting a server
    sync_api = pytest.importorskip("playwright.sync_api")
    folder = tmp_path_factory.mktemp("web")
    sources_kb(folder / "sources.kb")
    with (
        running_server(
            "--no-auth",
            "--kb",
            str(folder / "sources.kb"),
            "--jobs",
            str(folder / "jobs"),
            log=folder / "server.log",
        ) as (base, _),
        sync_api.sync_playwright() as p,
    ):
        browser = launch_chromium(p)
        tab = browser.new_page(viewport={"width": 1100, "height": 900})
        requests: list[str] = []
        tab.on("request", lambda r: requests.append(r.url))
        tab.goto(base + "/")
        yield tab, base, requests
        browser.close()


def test_analyze_highlights_spans_and_shows_markup_as_text(page) -> None:
    tab, base, requests = page
    tab.fill("#text", f"Đồ ngu, cút đi thằng chó {ATTACK}")
    tab.click("#do-analyze")
    marks = tab.locator("#text-result mark")
    marks.first.wait_for()
    assert marks.count() >= 2 and "ngu" in marks.first.inner_text()
    assert marks.first.get_attribute("title").startswith("TOXIC_SPAN")
    assert tab.locator("#text-result .finding.bad").count() >= 1
    assert ATTACK in tab.locator("#text-result .highlighted").inner_text()
    assert tab.evaluate("window.pwned") is None
    assert tab.locator("#text-result img").count() == 0
    tab.screenshot(path=str(ARTIFACTS / "web_analyze.png"), full_page=True)
    assert all(url.startswith(base) for url in requests), "the page loads nothing from elsewhere"


def test_check_shows_the_verdict_with_its_citation(page) -> None:
    tab, _, _ = page
    tab.fill("#text", "Giá xăng RON 95-III giảm 780 đồng/lít từ ngày 3/6.")
    tab.click("#do-check")
    citation = tab.locator("#text-result .citation a")
    citation.first.wait_for()
    assert citation.first.get_attribute("href") == "https://example.vn/xang"
    assert tab.locator("#text-result .finding strong").first.inner_text() in (
        "SUPPORTED",
        "REFUTED",
        "NOT_ENOUGH_INFO",
    )
    tab.screenshot(path=str(ARTIFACTS / "web_check.png"), full_page=True)


def test_verify_judges_the_text_against_the_evidence_pasted(page) -> None:
    tab, _, _ = page
    tab.fill("#text", "Giá xăng RON 95 tăng 940 đồng mỗi lít.")
    tab.fill("#evidence", "")
    tab.click("#do-verify")
    tab.locator("#text-result .error").wait_for()  # no evidence: said, not sent
    tab.fill("#evidence", f"Giá xăng RON 95 tăng 490 đồng mỗi lít từ ngày 11/3. {ATTACK}")
    tab.click("#do-verify")
    verdict = tab.locator("#text-result .finding.bad strong")
    verdict.wait_for()
    assert verdict.inner_text() == "REFUTED" and "940" in tab.locator("#text-result").inner_text()
    assert "SUPPORTED 0." in tab.locator("#text-result .muted").inner_text()
    assert tab.evaluate("window.pwned") is None
    tab.screenshot(path=str(ARTIFACTS / "web_verify.png"), full_page=True)


def test_guard_previews_the_redacted_text(page) -> None:
    tab, _, _ = page
    tab.fill("#text", "Anh Trần Văn Bình, sđt 0912 345 678")
    tab.select_option("#redact-mode", "tag")
    tab.click("#do-guard")
    tab.locator("#redacted").wait_for()
    redacted = tab.locator("#redacted").inner_text()
    assert "0912" not in redacted and "<PHONE>" in redacted
    assert tab.locator("#text-result mark.pii").count() == 2


def test_keyboard_tabs_search_and_english(page) -> None:
    tab, _, _ = page
    tab.focus("#tab-text")
    tab.keyboard.press("ArrowRight")
    assert tab.locator("#panel-kb").is_visible() and not tab.locator("#panel-text").is_visible()
    assert tab.evaluate("document.activeElement.id") == "tab-kb"
    tab.fill("#query", "giá xăng RON 95")
    tab.press("#query", "Enter")
    tab.locator("#kb-result .finding").first.wait_for()
    assert "Giá xăng giảm" in tab.locator("#kb-result").inner_text()
    tab.click("#lang-toggle")
    assert tab.locator("#tab-kb").inner_text() == "Search sources"
    assert tab.evaluate("document.documentElement.lang") == "en"
    for field in ("text", "evidence", "query", "posts", "columns", "api-key"):  # all labelled
        assert tab.locator(f"label[for={field}]").count() == 1
    tab.screenshot(path=str(ARTIFACTS / "web_search_en.png"), full_page=True)
    tab.click("#lang-toggle")


def test_pulse_tab_runs_a_job_and_shows_its_report(page, tmp_path: Path) -> None:
    from pulse_posts import write_posts

    tab, _, _ = page
    posts = tmp_path / "posts.jsonl"
    write_posts(posts, days=16)
    tab.click("#tab-pulse")
    tab.set_input_files("#posts", str(posts))
    tab.click("#do-pulse")
    frame = tab.locator("#pulse-report")
    frame.wait_for(state="visible", timeout=300_000)
    report = tab.frame_locator("#pulse-report")
    assert report.locator("h1").inner_text().startswith("Pulse")
    assert report.locator("table tr").count() > 1
    assert "posts" in tab.locator("#pulse-status").inner_text()
    report.locator("svg").first.wait_for()
    tab.wait_for_timeout(500)  # let the frame paint before the screenshot
    frame.screenshot(path=str(ARTIFACTS / "web_pulse.png"))
