"""The HTTP service against a real ``kiemchung serve`` on loopback: auth, limits, errors, every
route group, the Perspective-compatible route, and Pulse jobs."""

from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path

import httpx
import pytest

from kiemchung.api.keys import KeyStore, parse_scopes
from live_server import running_server, sources_kb
from pulse_posts import RAW_AUTHORS, write_posts


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("api")
    keys = KeyStore(folder / "keys.sqlite")
    tokens = {
        "all": keys.create(parse_scopes("all"), "tests")[0],
        "analyze": keys.create(parse_scopes("analyze"), "analyze only")[0],
        "slow": keys.create(parse_scopes("analyze"), "slow", rate_per_minute=3)[0],
        "other": keys.create(parse_scopes("pulse"), "another desk")[0],
        "admin": keys.create(parse_scopes("pulse,admin"), "operator")[0],
    }
    revoked, record = keys.create(parse_scopes("all"), "revoked")
    keys.revoke(record.key_id)
    tokens["revoked"] = revoked
    keys.close()
    sources_kb(folder / "sources.kb")
    with running_server(
        "--keys",
        str(folder / "keys.sqlite"),
        "--kb",
        str(folder / "sources.kb"),
        "--jobs",
        str(folder / "jobs"),
        log=folder / "server.log",
    ) as (base, startup):
        yield {"base": base, "tokens": tokens, "startup": startup, "folder": folder}


def _client(service, key: str | None = "all") -> httpx.Client:
    headers = {"Authorization": f"Bearer {service['tokens'][key]}"} if key else {}
    return httpx.Client(base_url=service["base"], headers=headers, timeout=60)


def test_the_server_answers_within_seconds_of_starting(service) -> None:
    assert service["startup"] < 30  # models load before /healthz answers (target: 5 s, bench)
    with _client(service) as client:
        health = client.get("/healthz").json()
        assert health["status"] == "ok" and health["version"]


def test_keys_scopes_and_structured_errors(service) -> None:
    body = {"text": "Hôm nay trời đẹp"}
    with _client(service, None) as anonymous:
        answer = anonymous.post("/v1/analyze", json=body)
        assert answer.status_code == 401 and answer.json()["error"]["status"] == "UNAUTHENTICATED"
        bad = anonymous.post("/v1/analyze", json=body, headers={"X-API-Key": "kc_nothere_x"})
        assert bad.status_code == 401
        ok = anonymous.post("/v1/analyze", json=body, params={"key": service["tokens"]["all"]})
        assert ok.status_code == 200  # Perspective clients send ?key=
    with _client(service, "revoked") as revoked:
        assert revoked.post("/v1/analyze", json=body).status_code == 401
    with _client(service, "analyze") as narrow:
        assert narrow.post("/v1/analyze", json=body).status_code == 200
        denied = narrow.post("/v1/guard", json=body)
        assert denied.status_code == 403 and "guard" in denied.json()["error"]["message"]
    with _client(service) as client:
        empty = client.post("/v1/analyze", json={"text": ""})
        assert empty.status_code == 400 and empty.json()["error"]["code"] == 400
        unknown = client.post("/v1/analyze", json={"text": "x", "analyzers": ["nope"]})
        assert unknown.status_code == 400 and "nope" in unknown.json()["error"]["message"]
        broken = client.post(
            "/v1/analyze", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert broken.status_code == 400
        huge = client.post(
            "/v1/analyze", content=b"x" * 1_500_000, headers={"content-type": "application/json"}
        )
        assert huge.status_code == 413 and "limit" in huge.json()["error"]["message"]
        missing = client.get("/v1/pulse/jobs/0123456789abcdef")
        assert missing.status_code == 404 and missing.json()["error"]["status"] == "NOT_FOUND"


def test_a_body_over_the_limit_is_413_whether_its_size_is_declared_or_not(service) -> None:
    def chunks(total: int):
        for _ in range(total // 100_000):
            yield b"x" * 100_000

    headers = {"content-type": "application/json"}
    with _client(service) as client:
        chunked = client.post("/v1/analyze", content=chunks(1_500_000), headers=headers)
        assert chunked.status_code == 413 and "limit" in chunked.json()["error"]["message"]
        # a chunked body under the limit still reaches the route
        body = json.dumps({"text": "Hôm nay trời đẹp"}).encode()
        small = client.post("/v1/analyze", content=iter([body[:10], body[10:]]), headers=headers)
        assert small.status_code == 200 and small.json()["findings"]


def test_every_answer_carries_the_security_headers(service) -> None:
    with _client(service) as client:
        for path in ("/", "/static/app.js", "/docs", "/healthz", "/v1/nothing"):
            answer = client.get(path)
            assert answer.headers["x-content-type-options"] == "nosniff", path
            assert answer.headers["referrer-policy"] == "no-referrer", path
            policy = answer.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, path
            assert (
                "unsafe-eval" not in policy
                and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
            ), path


def test_rate_limit_per_key(service) -> None:
    with _client(service, "slow") as slow:
        codes = [slow.post("/v1/analyze", json={"text": "chào bạn"}).status_code for _ in range(4)]
        assert codes[:3] == [200, 200, 200] and codes[3] == 429
        limited = slow.post("/v1/analyze", json={"text": "chào bạn"})
        assert int(limited.headers["Retry-After"]) >= 1
        assert limited.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    with _client(service, "analyze") as other:  # limits are per key
        assert other.post("/v1/analyze", json={"text": "chào bạn"}).status_code == 200


def test_analyze_keeps_spans_on_the_submitted_text(service) -> None:
    text = unicodedata.normalize("NFD", "Đồ ngu, cút đi thằng chó")
    with _client(service) as client:
        report = client.post("/v1/analyze", json={"text": text, "analyzers": ["moderation"]}).json()
    assert report["format"] == "kiemchung.report/1"
    labels = {f["label"] for f in report["findings"]}
    assert labels & {"OFFENSIVE", "HATE"} and "TOXIC_SPAN" in labels
    for f in report["findings"]:
        if f["span"]:
            assert unicodedata.normalize("NFC", text[f["span"][0] : f["span"][1]]).strip()


def test_guard_redacts_and_check_cites_the_knowledge_base(service) -> None:
    with _client(service) as client:
        guarded = client.post(
            "/v1/guard", json={"text": "Anh Trần Văn Bình, sđt 0912 345 678", "redact": "tag"}
        ).json()
        assert {f["label"] for f in guarded["findings"]} == {"PERSON", "PHONE"}
        assert "0912" not in guarded["redacted"] and "<PHONE>" in guarded["redacted"]
        checked = client.post(
            "/v1/check", json={"text": "Giá xăng RON 95-III giảm 780 đồng/lít từ ngày 3/6."}
        ).json()
        [verdict] = checked["findings"]
        assert verdict["label"] in {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"}
        assert verdict["evidence"][0]["url"] == "https://example.vn/xang"
        claim, evidence = "Giá xăng giảm 780 đồng/lít.", "Giá xăng tăng 780 đồng/lít từ ngày 3/6."
        verified = client.post("/v1/verify", json={"claim": claim, "evidence": evidence}).json()
        assert (
            verified["label"] == "REFUTED"
            and "“tăng” where the claim says “giảm”" in verified["explanation"]
        )
        refused = client.post("/v1/verify", json={"claim": "\u200b", "evidence": evidence})
        assert refused.status_code == 400 and "visible" in refused.json()["error"]["message"]


def test_kb_add_then_search(service) -> None:
    article = "Hà Nội khởi công tuyến metro số 5 dài 39 km, dự kiến hoàn thành năm 2030."
    with _client(service) as client:
        added = client.post(
            "/v1/kb/documents", json={"documents": [{"text": article, "title": "Metro số 5"}]}
        ).json()
        assert added["added"] == 1
        again = client.post("/v1/kb/documents", json={"documents": [{"text": article}]}).json()
        assert again["added"] == 0 and again["duplicates"] == 1
        hits = client.get("/v1/kb/search", params={"q": "tuyến metro số 5 Hà Nội"}).json()["hits"]
        assert hits[0]["title"] == "Metro số 5"
        stats = client.get("/v1/kb/stats").json()
        assert stats["documents"] == 2 and stats["path"] == "sources.kb"  # a name, not a path
        for nothing in ("   ", "\u200b\u0001"):  # refused with a reason; nothing is stored
            invisible = {"documents": [{"text": nothing}]}
            refused = client.post("/v1/kb/documents", json=invisible)
            assert refused.status_code == 400 and "nothing visible" in refused.text
            assert client.get("/v1/kb/search", params={"q": nothing}).status_code == 400
        assert client.get("/v1/kb/stats").json()["documents"] == 2
    with _client(service, "analyze") as narrow:
        assert narrow.get("/v1/kb/search", params={"q": "metro"}).status_code == 403


def test_perspective_route_answers_in_perspectives_shape(service) -> None:
    request = {
        "comment": {"text": "Đồ ngu, cút đi thằng chó"},
        "requestedAttributes": {"TOXICITY": {}, "SEVERE_TOXICITY": {}, "PROFANITY": {}},
        "languages": ["vi"],
        "spanAnnotations": True,
        "clientToken": "abc",
    }
    with _client(service, None) as client:
        url = "/v1alpha1/comments:analyze"
        answer = client.post(url, json=request, params={"key": service["tokens"]["analyze"]})
        assert answer.status_code == 200
        body = answer.json()
        assert set(body["attributeScores"]) == {"TOXICITY", "SEVERE_TOXICITY", "PROFANITY"}
        toxicity = body["attributeScores"]["TOXICITY"]
        assert toxicity["summaryScore"]["type"] == "PROBABILITY"
        assert 0.5 < toxicity["summaryScore"]["value"] <= 1
        assert toxicity["spanScores"] and body["clientToken"] == "abc"
        assert body["detectedLanguages"] == ["vi"]
        clean = dict(request, comment={"text": "Cảm ơn bạn đã chia sẻ thông tin hữu ích"})
        clean_body = client.post(url, json=clean, params={"key": service["tokens"]["analyze"]})
        assert clean_body.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] < 0.5
        key = {"key": service["tokens"]["analyze"]}
        threat = dict(request, requestedAttributes={"THREAT": {}})
        threat["comment"] = {"text": "Tao sẽ giết mày, liệu hồn đấy"}
        scored = client.post(url, json=threat, params=key).json()["attributeScores"]["THREAT"]
        threat["comment"] = {"text": "Chính phủ cần xử lý nghiêm tham nhũng"}
        calm = client.post(url, json=threat, params=key).json()["attributeScores"]["THREAT"]
        assert scored["summaryScore"]["value"] > 0.6 > calm["summaryScore"]["value"]
        threat["comment"] = {"text": "Đồ ngu như chó. Tao sẽ giết mày"}
        both = client.post(url, json=threat, params=key).json()["attributeScores"]["THREAT"]
        text = threat["comment"]["text"]
        # THREAT's spans are the threat phrase, not every offending word
        assert [text[s["begin"] : s["end"]] for s in both["spanScores"]] == ["Tao sẽ giết"]
        html = dict(
            request,
            comment={"type": "HTML", "text": "<p>Cảm ơn <b>bạn</b></p><script>ngu</script>"},
        )
        calm_html = client.post(url, json=html, params=key).json()["attributeScores"]
        assert calm_html["TOXICITY"]["summaryScore"]["value"] < 0.5  # the script is not read
        flirt = dict(request, requestedAttributes={"FLIRTATION": {}})
        refused = client.post(url, json=flirt, params=key)
        assert refused.status_code == 400
        assert refused.json()["error"]["status"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
        english = dict(request, languages=["en"])
        assert (
            client.post(url, json=english, params={"key": service["tokens"]["analyze"]}).json()[
                "error"
            ]["status"]
            == "LANGUAGE_NOT_SUPPORTED"
        )


def test_pulse_job_runs_and_no_answer_holds_an_author_id(service, tmp_path: Path) -> None:
    posts = tmp_path / "posts.jsonl"
    write_posts(posts, days=16)
    # an export whose text column has another name, mapped in the request
    posts.write_text(posts.read_text().replace('"text":', '"message":'))
    with _client(service) as client:
        bad_map = client.post(
            "/v1/pulse/jobs", files={"posts": ("p.jsonl", b"{}")}, data={"columns": "txt=message"}
        )
        assert bad_map.status_code == 400 and "unknown field" in bad_map.json()["error"]["message"]
        with posts.open("rb") as upload:
            job = client.post(
                "/v1/pulse/jobs",
                files={"posts": ("posts.jsonl", upload)},
                data={"topics": "3", "columns": "text=message"},
            )
        assert job.status_code == 202, job.text
        job_id = job.json()["id"]
        deadline = time.time() + 300
        status = job.json()
        while status["status"] in ("queued", "running") and time.time() < deadline:
            time.sleep(1)
            status = client.get(f"/v1/pulse/jobs/{job_id}").json()
        assert status["status"] == "done", status
        report = client.get(f"/v1/pulse/jobs/{job_id}/report")
        page = client.get(f"/v1/pulse/jobs/{job_id}/report.html")
        assert report.json()["input"]["bad_rows"] == 2 and len(report.json()["topics"]) == 3
        assert page.headers["content-type"].startswith("text/html")
        wrong = client.post("/v1/pulse/jobs", files={"posts": ("posts.exe", b"MZ")})
        assert wrong.status_code == 415
    # the job is its key's: another pulse key is told it does not exist, an admin key sees it
    with _client(service, "other") as other, _client(service, "admin") as admin:
        for path in ("", "/report", "/report.html"):
            hidden = other.get(f"/v1/pulse/jobs/{job_id}{path}")
            assert hidden.status_code == 404 and hidden.json()["error"]["status"] == "NOT_FOUND"
            assert admin.get(f"/v1/pulse/jobs/{job_id}{path}").status_code == 200
        assert other.delete(f"/v1/pulse/jobs/{job_id}").status_code == 404
    assert "owner" not in status
    answers = json.dumps(status) + report.text + page.text
    assert not any(author in answers for author in RAW_AUTHORS)
    # nor the pseudonyms: the jobs' shared project holds the salt
    from kiemchung.pulse.authors import AuthorPseudonymizer

    hashed = AuthorPseudonymizer.for_project(service["folder"] / "jobs" / "project")
    assert not any(hashed.pseudonym(a) in answers for a in RAW_AUTHORS)
    assert not list((service["folder"] / "jobs" / job_id).glob("posts.*"))  # upload not kept


def test_finished_jobs_are_kept_for_the_retention_then_deleted(tmp_path: Path) -> None:
    import datetime as dt

    from kiemchung.api.jobs import PulseJobs

    def job(job_id: str, status: str, finished: dt.datetime) -> Path:
        folder = tmp_path / job_id
        (folder / "out").mkdir(parents=True)
        (folder / "out" / "report.json").write_text("{}")
        stamp = finished.isoformat(timespec="seconds")
        (folder / "status.json").write_text(json.dumps({"status": status, "finished": stamp}))
        return folder

    now = dt.datetime.now(dt.UTC)
    old = job("0" * 16, "done", now - dt.timedelta(days=8))
    recent = job("1" * 16, "failed", now - dt.timedelta(days=6))
    PulseJobs(tmp_path, dt.timedelta(days=7))
    assert not old.exists() and recent.exists()
    PulseJobs(tmp_path, None)  # no retention: kept until deleted
    assert recent.exists()


def test_metrics_count_requests_by_route(service) -> None:
    with _client(service) as client:
        client.post("/v1/guard", json={"text": "không có gì"})
        text = client.get("/metrics").text
    assert 'kiemchung_requests_total{route="/v1/guard",method="POST",status="200"}' in text
    assert 'kiemchung_request_seconds_bucket{route="/v1/analyze",le="+Inf"}' in text


def test_no_auth_is_refused_off_loopback(cli) -> None:
    done = cli("serve", "--no-auth", "--host", "0.0.0.0", "--port", "8765")
    assert done.returncode == 1 and b"loopback" in done.stderr


def test_schemathesis_finds_no_server_error(service, tmp_path: Path) -> None:
    """Generated requests for every documented operation (Pulse uploads aside: each would queue
    a run) never get a 5xx."""
    import shutil
    import subprocess
    import sys

    runner = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert runner, "schemathesis is a dev dependency"
    done = subprocess.run(
        [
            runner,
            "run",
            f"{service['base']}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "25",
            "--seed",
            "1",
            "--exclude-path-regex",
            "^/v1/pulse/jobs$",
            "-H",
            f"Authorization: Bearer {service['tokens']['all']}",
            "--request-timeout",
            "60",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_the_model_lane_serves_calls_in_the_order_they_came_on_one_thread() -> None:
    import asyncio
    import threading

    from kiemchung.api.gate import ModelLane

    lane, order, threads = ModelLane(), [], set()
    release = threading.Event()

    def work(number: int) -> int:
        release.wait(5)  # the first call holds the lane: the others queue behind it
        order.append(number)
        threads.add(threading.get_ident())
        return number * 10

    async def main() -> list[int]:
        calls = [asyncio.ensure_future(lane.run(work, n)) for n in range(5)]
        await asyncio.sleep(0.05)
        assert order == []  # nothing ran past the held call
        release.set()
        return await asyncio.gather(*calls)

    assert asyncio.run(main()) == [0, 10, 20, 30, 40]
    assert order == [0, 1, 2, 3, 4]
    assert len(threads) == 1 and threading.get_ident() not in threads
    lane.close()
