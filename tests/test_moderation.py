"""The moderation analyzer and the fast toxicity model: labels, calibrated scores, spans, floors."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

import kiemchung
from kiemchung.lab.evaluation.registry import run_evaluation
from kiemchung.lab.evaluation.vihsd import to_teencode
from kiemchung.models.calibrated_text import CalibratedTextClassifier, tune_offsets
from kiemchung.moderation.models import shipped_span_tagger, shipped_toxicity_model

#: A tiny labelled set (0 clean, 1 offensive, 2 hate) for round-trip tests.
TINY_TEXTS = [
    "đồ ngu",
    "thằng chó",
    "xin chào",
    "cảm ơn bạn",
    "bọn mọi rợ",
    "lũ khốn",
    "chúc ngủ ngon",
    "đẹp quá",
] * 5
TINY_LABELS = [1, 2, 0, 0, 2, 1, 0, 0] * 5


def test_abuse_is_flagged_with_spans_on_the_original_text() -> None:
    text = unicodedata.normalize("NFD", "Đm  thằng ngu này,\u200b cút mẹ mày đi")
    report = kiemchung.analyze(text, ["moderation"])
    verdict, *spans = report.findings
    assert verdict.analyzer == "moderation" and verdict.span is None
    assert verdict.label in ("OFFENSIVE", "HATE") and 0.5 <= verdict.score <= 1
    assert abs(sum(verdict.data["probabilities"].values()) - 1) < 1e-3
    assert verdict.explanation and verdict.explanation_vi
    phrases = [unicodedata.normalize("NFC", text[f.span[0] : f.span[1]]) for f in spans]
    assert all(f.label == "TOXIC_SPAN" for f in spans)
    assert any("thằng ngu" in p for p in phrases) and any("cút" in p for p in phrases)


def test_clean_text_has_one_clean_finding_and_no_spans() -> None:
    report = kiemchung.analyze("Cảm ơn shop, giao hàng nhanh, đóng gói cẩn thận.", ["moderation"])
    assert [f.label for f in report.findings] == ["CLEAN"]


def test_one_abusive_line_in_a_long_post_is_not_diluted() -> None:
    calm = "Hôm nay tôi đi chợ mua rau và cá về nấu cơm cho cả nhà. " * 80
    report = kiemchung.analyze(
        calm + "Thằng chó ngu như bò, cút mẹ mày đi. " + calm, ["moderation"]
    )
    assert report.findings[0].label in ("OFFENSIVE", "HATE")
    text = calm + "Thằng chó ngu như bò, cút mẹ mày đi. " + calm
    spans = [text[f.span[0] : f.span[1]] for f in report.findings[1:]]
    assert any("ngu" in s for s in spans)


def test_an_insult_inside_a_run_on_post_with_no_full_stop_is_found() -> None:
    """Comments often run on without punctuation: the windows must still be short."""
    calm = "hôm nay tôi đi chợ mua rau và cá về nấu cơm cho cả nhà rồi ngồi xem phim với các con "
    text = calm * 30 + "thằng chó ngu như bò cút mẹ mày đi " + calm * 30
    report = kiemchung.analyze(text, ["moderation"])
    assert report.findings[0].label in ("OFFENSIVE", "HATE")
    spans = [text[f.span[0] : f.span[1]] for f in report.findings[1:]]
    assert spans and all(len(s) < 40 and ("chó" in s or "ngu" in s or "mẹ" in s) for s in spans)


def test_a_word_of_junk_is_never_an_offending_span() -> None:
    junk = "x" * 5000
    text = f"đồ ngu {junk} đồ ngu"
    spans = shipped_span_tagger().predict_spans(text)
    assert spans and all(b - a < 40 for a, b, _ in spans)


def test_a_long_text_is_tagged_in_blocks_with_the_same_spans(monkeypatch) -> None:
    """Blocks bound the memory of a long text; read with their neighbours they change nothing —
    here a cut falls just before "con", which tagged without its left neighbour reads as abuse."""
    from kiemchung.moderation import spans as span_module

    calm = "hôm nay tôi đi chợ mua rau và cá về nấu cơm cho cả nhà rồi ngồi xem phim với các con "
    prefix = (calm * 20).removesuffix(" con ")  # "... với các" | "con hôm nay ..."
    text = prefix + " con " + calm * 3 + "thằng chó ngu " + calm
    tagger = shipped_span_tagger()
    monkeypatch.setattr(span_module, "BLOCK_CHARS", len(prefix) + 2)  # cut before " con"
    blocked = tagger.predict_spans(text)
    monkeypatch.setattr(span_module, "BLOCK_CHARS", len(text) + 1)  # one block
    assert blocked == tagger.predict_spans(text)
    assert [text[a:b] for a, b, _ in blocked] == ["thằng chó ngu"]


def test_batch_and_single_agree() -> None:
    texts = ["đồ ngu", "xin chào cả nhà", "bọn mày là lũ súc vật"]
    model = shipped_toxicity_model()
    together = model.predict_proba(texts)
    alone = np.vstack([model.predict_proba([t]) for t in texts])
    assert np.allclose(together, alone)


def test_offsets_are_tuned_for_macro_f1() -> None:
    log_probs = np.log(np.array([[0.6, 0.3, 0.1], [0.55, 0.4, 0.05], [0.9, 0.05, 0.05]]))
    offsets = tune_offsets(log_probs, np.array([0, 1, 0]))
    assert offsets[0] == 0 and ((log_probs + offsets).argmax(1) == [0, 1, 0]).all()
    # Four classes: coordinate ascent still finds a perfect separation.
    four = np.log(np.array([[0.5, 0.2, 0.2, 0.1], [0.4, 0.35, 0.15, 0.1], [0.45, 0.1, 0.1, 0.35]]))
    offsets = tune_offsets(four, np.array([0, 1, 3]))
    assert ((four + offsets).argmax(1) == [0, 1, 3]).all()


def test_toxicity_artifact_round_trip(tmp_path) -> None:
    texts, labels = TINY_TEXTS, TINY_LABELS
    model = CalibratedTextClassifier(n_folds=2).fit(texts, labels)
    model.to_artifact("tiny", "1").save(tmp_path / "tiny")
    again = CalibratedTextClassifier.from_artifact(tmp_path / "tiny")
    assert np.allclose(again.predict_proba(texts[:8]), model.predict_proba(texts[:8]))


def test_teencode_rewrite_for_robustness_rows() -> None:
    assert to_teencode("tôi không biết được gì") == "tôi ko bít đc j"
    assert to_teencode("Không sao") == "ko sao"


def test_quality_floors_on_test() -> None:
    """Floors on test: the shipped model learnt from dev too (models.refit)."""
    result = run_evaluation("vihsd", "toxicity-fast", "test")
    assert result.metrics["trained_on_this_split"] is False
    assert result.metrics["macro_f1"] >= 0.64
    assert result.metrics["macro_f1_no_diacritics"] >= 0.9 * result.metrics["macro_f1"]
    for anchor in ("tfidf_svm_same_run", "tfidf_svm_train_and_dev_same_run"):
        assert result.metrics["macro_f1"] >= result.anchors[anchor]["macro_f1"]
    # Long posts: windows find a buried insult more often than reading the post whole, and most
    # long clean posts stay clean.
    long_posts = result.metrics["long_posts"]
    assert long_posts["windows"]["insult_found"] >= long_posts["whole"]["insult_found"] + 0.1
    assert long_posts["windows"]["clean_flagged"] <= 0.25


def test_civil_criticism_stays_clean() -> None:
    result = run_evaluation("criticism", "toxicity-fast", "test")
    assert result.n >= 30
    assert result.metrics["clean_rate"] >= 0.9


def test_moderation_benchmark_prints_figures_with_the_anchor() -> None:
    import json
    import subprocess
    import sys

    from conftest import ROOT

    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "moderation_bench.py"),
            "--limit",
            "200",
            "--json",
        ],
        capture_output=True,
        timeout=300,
        check=True,
    ).stdout
    figures = json.loads(out)
    assert figures["comments"] == 200 and figures["model_load_seconds"] > 0
    assert figures["shipped_artifacts_mb"] <= 60
    assert any(name.startswith("anchor: TF-IDF") for name in figures["rows"])


def test_stacked_embedding_block_round_trips(tmp_path) -> None:
    rng = np.random.default_rng(0)
    texts, labels = TINY_TEXTS, TINY_LABELS
    embeddings = rng.normal(size=(len(texts), 8)) + np.asarray(labels)[:, None]
    model = CalibratedTextClassifier(n_folds=2, embed_C=1.0).fit(texts, labels, embeddings)
    model.to_artifact("stacked", "1").save(tmp_path / "stacked")
    again = CalibratedTextClassifier.from_artifact(tmp_path / "stacked")
    assert np.allclose(
        again.predict_proba(texts[:8], embeddings[:8]),
        model.predict_proba(texts[:8], embeddings[:8]),
    )
    import pytest

    from kiemchung.errors import InputError

    with pytest.raises(InputError, match="embeddings"):
        again.predict_proba(texts[:8])


def test_accurate_mode_is_opt_in() -> None:
    from kiemchung.pipeline import available_analyzers, default_analyzers

    assert "moderation-accurate" in available_analyzers()
    assert "moderation-accurate" not in default_analyzers()
    assert "moderation" in default_analyzers()
    assert "spam" in available_analyzers() and "spam" not in default_analyzers()


def test_victsd_evaluator_reports_toxic_f1_beside_a_victsd_trained_head() -> None:
    result = run_evaluation("victsd", "toxicity-fast", "test")
    assert result.n == 1000
    toxic = result.metrics["per_class"]["TOXIC"]
    assert result.metrics["toxic_f1"] == toxic["f1"] and toxic["support"] == 110
    head = result.anchors["victsd_trained_tfidf_same_run"]
    # ViCTSD's own labels call much civil criticism toxic; a head trained on them learns that.
    assert head["toxic_f1"] >= 0.40 > result.metrics["toxic_f1"]
    assert 0.5 <= result.metrics["victsd_toxic_kept_clean"] <= 1.0
    # By our policy a fifth of ViCTSD's toxic test comments are abusive: even a model that flagged
    # exactly those would stay under the 0.60 of ViCTSD's own labels. The shipped model finds
    # 0.45 of them (0.00 before it learnt from the policy labels).
    policy = result.metrics["policy"]
    assert policy["abusive_comments"] == 22
    assert policy["victsd_toxic_f1_ceiling"] < 0.6
    assert policy["abusive_recall"] >= 0.35 and policy["abusive_f1"] >= 0.3
    # the span tagger also learnt the phrases of that abuse (0.22 before, 0.37 when set)
    assert policy["abusive_span_f1"] >= 0.3


def test_abusive_news_comments_are_flagged() -> None:
    result = run_evaluation("insults", "toxicity-fast", "test")
    assert result.n == 30
    assert result.metrics["flagged_rate"] >= 0.8


def test_policy_labels_cover_every_victsd_toxic_comment_and_only_those() -> None:
    from kiemchung.errors import ModelError
    from kiemchung.lab import datasets
    from kiemchung.lab.datasets import NewsComment
    from kiemchung.lab.victsd_policy import abusive, abusive_spans, policy_label

    for split, toxic, abusive_count in (("train", 759, 117), ("dev", 232, 32), ("test", 110, 22)):
        comments = datasets.load("victsd", split)
        labels = [policy_label(split, c) for c in comments]
        assert sum(c.toxic for c in comments) == toxic
        # a non-toxic comment is CLEAN by both readings; most toxic ones are civil criticism
        assert all(label == 0 for c, label in zip(comments, labels, strict=True) if not c.toxic)
        assert sum(abusive(split, comments)) == abusive_count <= 0.2 * toxic
    # every abusive comment has its offending phrases marked, carried onto the normalized text
    # the tagger reads (ViCTSD train 5765 is stored decomposed: NFD offsets must not leak through)
    for split in ("train", "dev", "test"):
        comments = datasets.load("victsd", split)
        marked = abusive_spans(split, comments)
        assert len(marked) == sum(abusive(split, comments)) and all(gold for _, gold in marked)
    train = datasets.load("victsd", "train")
    (text, gold), *_ = abusive_spans("train", [c for c in train if c.orig_index == 5765])
    words = "".join(ch if i in gold else " " for i, ch in enumerate(text)).split()
    assert " ".join(words) == "ác quỷ không phải con người"
    stray = NewsComment("?", 0, 1, "", "", orig_index=10**9)
    with pytest.raises(ModelError, match="no label"):
        policy_label("dev", stray)


def test_training_data_takes_victsd_abuse_with_its_policy_label_and_leaves_civil_toxic_out() -> (
    None
):
    from kiemchung.lab import datasets
    from kiemchung.lab.training.toxicity import training_data
    from kiemchung.lab.victsd_policy import policy_label

    texts, labels, files = training_data()
    by_text = dict(zip(texts, labels, strict=True))
    comments = datasets.load("victsd", "train")
    abusive = [c for c in comments if policy_label("train", c) == 2]
    civil_toxic = [c for c in comments if c.toxic and policy_label("train", c) == 0]
    assert abusive and all(by_text.get(c.text) == 2 for c in abusive)
    assert not any(c.text in by_text for c in civil_toxic if c.text not in _vihsd_train_texts())
    assert any(f["file"].endswith("victsd_policy_labels.jsonl") for f in files)


def _vihsd_train_texts() -> set[str]:
    from kiemchung.lab import datasets

    return {r.text for r in datasets.load("vihsd", "train")}


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("Tao sẽ giết mày", True),
        ("tao se giet may", True),  # typed without diacritics
        ("đốt nhà mày luôn", True),
        ("liệu hồn đấy", True),
        ("Ông ấy bị bắn chết hôm qua", False),  # reports harm, does not announce it
        ("Đội tuyển đánh bại Thái Lan", False),
        ("Chính phủ cần xử lý nghiêm tham nhũng", False),
        ("tôi muốn giết thời gian", False),
    ],
)
def test_threat_cues(text: str, threat: bool) -> None:
    from kiemchung.moderation.threats import threat_cues

    assert bool(threat_cues(text)) is threat
