"""ClaimReview import and export, claim matching, and check answering from a prior review."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiemchung.errors import InputError
from kiemchung.verify.claimreview import read_claim_reviews, verdict_of_rating
from kiemchung.verify.kb import KnowledgeBase
from kiemchung.verify.kb.reviews import add_reviews, remove_reviews, stored_reviews
from kiemchung.verify.kb.schema import SCHEMA, SCHEMA_VERSION
from kiemchung.verify.matching import details_agree, find_reviewed

LEMON = "Uống nước chanh nóng mỗi sáng giúp tiêu diệt tế bào ung thư."
PETROL = "Giá xăng RON95 tăng lên 28.000 đồng một lít từ hôm nay."


def review(claim: str, rating: str, url: str, **extra) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "url": url,
        "author": {"@type": "Organization", "name": "Báo Kiểm Chứng"},
        "datePublished": "2024-05-01",
        "reviewRating": {"@type": "Rating", "alternateName": rating, **extra},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Trần Thị Lan"}},
    }


@pytest.fixture
def reviews_file(tmp_path: Path) -> Path:
    path = tmp_path / "reviews.json"
    graph = [
        review(LEMON, "Sai sự thật", "https://fc.example/chanh"),
        review(PETROL, "", "https://fc.example/xang", ratingValue=5, bestRating=5, worstRating=1),
    ]
    path.write_text(json.dumps({"@graph": graph}, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize(
    ("rating", "value", "verdict"),
    [
        ("Sai sự thật", None, "REFUTED"),
        ("Không đúng", None, "REFUTED"),
        ("Mostly false", None, "REFUTED"),
        ("Đúng", None, "SUPPORTED"),
        ("True", None, "SUPPORTED"),
        ("Đúng một phần", None, "NOT_ENOUGH_INFO"),
        ("Half true", None, "NOT_ENOUGH_INFO"),
        ("", 1.0, "REFUTED"),
        ("", 5.0, "SUPPORTED"),
        ("", 3.0, "NOT_ENOUGH_INFO"),
    ],
)
def test_ratings_map_to_verdicts_words_first(rating: str, value, verdict: str) -> None:
    assert verdict_of_rating(rating, value, 5.0, 1.0) == verdict


def test_import_export_round_trip_keeps_ratings_and_drops_the_claimant(
    tmp_path: Path, reviews_file: Path
) -> None:
    read = read_claim_reviews([reviews_file])
    assert [r.verdict for r in read.reviews] == ["REFUTED", "SUPPORTED"]
    assert read.reviews[1].rating == "5"  # no words: the number is what is shown
    with KnowledgeBase.create(tmp_path / "kb.sqlite") as kb:
        assert add_reviews(kb, read.reviews).added == 2
        again = add_reviews(kb, read_claim_reviews([reviews_file]).reviews)
        assert (again.added, again.duplicates) == (0, 2)
        exported = [s.review.to_jsonld() for s in stored_reviews(kb)]
        assert kb.stats()["claim_reviews"] == 2
        assert remove_reviews(kb, [stored_reviews(kb)[1].id]) == 1
        assert [s.review.claim for s in stored_reviews(kb)] == [LEMON]
    assert exported[0]["reviewRating"]["alternateName"] == "Sai sự thật"
    assert exported[0]["author"]["name"] == "Báo Kiểm Chứng"
    assert "Trần Thị Lan" not in json.dumps(exported, ensure_ascii=False)
    (tmp_path / "out.jsonl").write_text(
        "\n".join(json.dumps(e, ensure_ascii=False) for e in exported), "utf-8"
    )
    assert read_claim_reviews([tmp_path / "out.jsonl"]).reviews == read.reviews


def test_malformed_reviews_are_reported_with_their_place(tmp_path: Path) -> None:
    good = json.dumps(review(LEMON, "Sai", "https://fc.example/1"), ensure_ascii=False)
    no_url = json.dumps(review(PETROL, "Sai", ""), ensure_ascii=False)
    invisible = json.dumps(review("\u200b\u0001", "Sai", "https://fc.example/2"))
    (tmp_path / "r.jsonl").write_text(f"{good}\n{{broken\n{no_url}\n[]\n{invisible}\n", "utf-8")
    page = f'<html><script type="application/ld+json">{good}</script><p>x</p></html>'
    (tmp_path / "p.html").write_text(page, "utf-8")
    read = read_claim_reviews([tmp_path / "r.jsonl", tmp_path / "p.html"])
    assert len(read.reviews) == 2
    assert [(e.line, e.message.split(":")[0]) for e in read.errors] == [
        (2, "invalid JSON"),
        (3, "missing 'url' (a verdict must link to its review)"),
        (5, "missing or empty 'claimReviewed' (nothing visible in it)"),
    ]
    with pytest.raises(InputError, match=r"r\.jsonl:2"):
        read_claim_reviews([tmp_path / "r.jsonl"], on_error="reject")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="binary"):
        read_claim_reviews([tmp_path / "bin.json"])


def test_a_version_1_file_is_upgraded_in_place_and_keeps_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "old.kb"
    with sqlite3.connect(path) as db:  # what kiemchung wrote before claim reviews existed
        db.executescript(SCHEMA.split("CREATE TABLE IF NOT EXISTS claim_reviews")[0])
        db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        db.execute(
            "INSERT INTO documents(content_hash, text, added_at) VALUES ('h', 'Văn bản.', 'now')"
        )
    with KnowledgeBase(path) as kb:
        assert kb.stats()["documents"] == 1 and kb.stats()["claim_reviews"] == 0
        version = kb.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    assert int(version[0]) == SCHEMA_VERSION == 2


def test_matching_wants_the_same_claim_not_a_neighbour(tmp_path: Path, reviews_file) -> None:
    assert details_agree(PETROL, "Từ hôm nay mỗi lít xăng RON95 có giá 28.000 đồng.")
    assert not details_agree(PETROL, PETROL.replace("28.000", "25.000"))
    assert not details_agree(LEMON, LEMON.replace("giúp", "không giúp"))
    with KnowledgeBase.create(tmp_path / "kb.sqlite") as kb:
        add_reviews(kb, read_claim_reviews([reviews_file]).reviews)
        paraphrase = find_reviewed(
            kb, "Mỗi sáng uống một cốc nước chanh nóng sẽ tiêu diệt được tế bào ung thư."
        )
        assert paraphrase is not None and paraphrase.stored.review.url.endswith("/chanh")
        assert find_reviewed(kb, PETROL.replace("28.000", "25.000")) is None
        assert find_reviewed(kb, "Hà Nội ghi nhận mưa lớn gây ngập nhiều tuyến phố.") is None


def test_check_answers_a_reviewed_claim_with_its_rating_and_link(
    tmp_path: Path, reviews_file: Path
) -> None:
    kb = tmp_path / "s.kb"
    cli = [sys.executable, "-m", "kiemchung"]
    run = lambda *args: subprocess.run([*cli, *args], capture_output=True, text=True)  # noqa: E731
    assert run("kb", "create", str(kb)).returncode == 0
    imported = json.loads(
        run("kb", "reviews", "import", str(kb), str(reviews_file), "--no-embed", "--json").stdout
    )
    assert imported == {"added": 2, "duplicates": 0, "errors": []}
    claim = "Nghe nói uống nước chanh nóng mỗi sáng giúp tiêu diệt tế bào ung thư đấy."
    report = json.loads(run("check", claim, "--kb", str(kb), "--json").stdout)
    [finding] = report["findings"]
    assert finding["label"] == "REFUTED" and "Sai sự thật" in finding["explanation"]
    assert finding["evidence"][0]["url"] == "https://fc.example/chanh"
    skipped = json.loads(run("check", claim, "--kb", str(kb), "--no-reviews", "--json").stdout)
    assert skipped["findings"][0]["label"] == "NOT_ENOUGH_INFO"  # the base holds no passages
    exported = json.loads(run("kb", "reviews", "export", str(kb)).stdout)
    assert len(exported["@graph"]) == 2
