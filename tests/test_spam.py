"""The spam analyzer and its evaluation on ViSpamReviews."""

from __future__ import annotations

import kiemchung
from kiemchung.lab.evaluation.registry import run_evaluation


def test_ads_are_spam_and_real_reviews_are_not() -> None:
    ad = (
        "[QC] MobiFone tặng bạn 1GB data tốc độ cao mỗi ngày. Soạn KMB gửi 1079 để đăng ký, "
        "miễn phí ngày đầu."
    )
    report = kiemchung.analyze(ad, ["spam"])
    verdict = report.findings[0]
    assert verdict.label == "SPAM" and verdict.data["spam_type"] != "NO-SPAM"
    assert 0.5 <= verdict.score <= 1 and verdict.explanation_vi
    review = "Áo mặc vừa, vải mát, đường may chắc chắn, giao hàng nhanh. Sẽ ủng hộ tiếp."
    assert kiemchung.analyze(review, ["spam"]).findings[0].label == "NOT_SPAM"


def test_quality_floor_on_test() -> None:
    """The shipped model learnt from dev too (models.refit), so its floor is checked on test,
    against the plain anchor given the same data; dev figures of it are flagged in-sample."""
    result = run_evaluation("vispamreviews", "spam-fast", "test")
    assert result.metrics["macro_f1"] >= 0.83
    assert result.metrics["type_macro_f1"] >= 0.72
    assert result.metrics["trained_on_this_split"] is False
    anchor = result.anchors["tfidf_svm_binary_train_and_dev_same_run"]["macro_f1"]
    assert result.metrics["macro_f1"] >= anchor
    assert run_evaluation("vispamreviews", "spam-fast", "dev").metrics["trained_on_this_split"]


def test_accurate_spam_mode_is_opt_in_and_agrees_on_clear_cases() -> None:
    from kiemchung.pipeline import default_analyzers

    assert "spam-accurate" not in default_analyzers()
    ad = "[QC] Vay tiền nhanh lãi suất 0%, liên hệ ngay zalo để nhận ưu đãi, không cần thế chấp."
    review = "Áo mặc vừa, vải mát, đường may chắc chắn, giao hàng nhanh. Sẽ ủng hộ tiếp."
    report = kiemchung.analyze(ad, ["spam-accurate"])
    assert report.findings[0].label == "SPAM" and report.findings[0].analyzer == "spam-accurate"
    assert kiemchung.analyze(review, ["spam-accurate"]).findings[0].label == "NOT_SPAM"
