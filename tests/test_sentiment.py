"""The sentiment analyzer on hand-written posts of the kind Pulse listens to.

A quality floor on a small fixed set, not a benchmark (that is ``kiemchung eval sentiment``): plain
complaints must read NEG and plain praise POS. The first complaint is the one the star-labelled
model called neutral (3-star phone reviews full of complaints had taught it so).
"""

from __future__ import annotations

import pytest

import kiemchung

ANALYZERS = ("sentiment", "sentiment-accurate")

POSTS = {
    "Máy nóng, pin tụt nhanh, rất thất vọng": "NEG",
    "Giao hàng chậm, đóng gói cẩu thả, không mua nữa": "NEG",
    "Giá xăng tăng hoài, dân khổ quá": "NEG",
    "Dịch vụ tệ, gọi tổng đài cả buổi không ai nghe": "NEG",
    "Điện thoại dùng được hai tuần đã hỏng màn hình": "NEG",
    "Học phí tăng mà chất lượng vẫn vậy, quá thất vọng": "NEG",
    "Thầy giảng bài dễ hiểu, rất nhiệt tình": "POS",
    "Rất hài lòng, shop tư vấn nhiệt tình, sẽ ủng hộ tiếp": "POS",
    "Pin trâu, chụp ảnh đẹp, đáng tiền": "POS",
    "Cảm ơn các y bác sĩ đã tận tâm chăm sóc": "POS",
    "Sản phẩm đẹp, giao hàng nhanh": "POS",
    "Cầu mới thông xe, đi lại thuận tiện hơn nhiều": "POS",
}

#: Plain reporting, written for this test: a repost of the news is not a complaint.
NEWS = (
    "Ngày 15/3, Quốc hội khai mạc kỳ họp bất thường tại Hà Nội.",
    "Giá xăng RON 95 giảm 780 đồng mỗi lít từ 15 giờ chiều nay.",
    "Thành phố sẽ lắp thêm 200 camera giao thông trong năm tới.",
    "Đội tuyển Việt Nam gặp Thái Lan vào tối thứ Bảy tại sân Mỹ Đình.",
    "Ngân hàng Nhà nước giữ nguyên lãi suất điều hành trong tháng này.",
    "Bộ Giáo dục công bố lịch thi tốt nghiệp THPT năm 2024.",
    "Một trận động đất mạnh 4,2 độ xảy ra ở Kon Tum sáng nay.",
    "Sở Giao thông vận tải đề xuất mở rộng đường Vành đai 2.",
    "Công ty công bố doanh thu quý III đạt 1.200 tỷ đồng.",
    "Theo Tổng cục Thống kê, dân số Việt Nam vượt 100 triệu người.",
)


def _sentiment(text: str, analyzer: str = "sentiment") -> str:
    report = kiemchung.analyze(text, analyzers=[analyzer])
    (finding,) = [f for f in report.findings if f.analyzer == analyzer]
    assert finding.span is None and 0.0 < finding.score <= 1.0
    return finding.label


@pytest.mark.parametrize("analyzer", ANALYZERS)
def test_plain_complaints_read_negative_and_praise_positive(analyzer: str) -> None:
    labels = {text: _sentiment(text, analyzer) for text in POSTS}
    right = sum(labels[text] == gold for text, gold in POSTS.items())
    assert right >= 10, labels
    assert labels["Máy nóng, pin tụt nhanh, rất thất vọng"] == "NEG"


@pytest.mark.parametrize("analyzer", ANALYZERS)
def test_plain_news_reads_neutral(analyzer: str) -> None:
    """Models trained on reviews alone read these as NEG (the shipped ones once did 9 and 10 of
    them); Pulse would count every repost of a news item as a complaint."""
    labels = {text: _sentiment(text, analyzer) for text in NEWS}
    assert sum(label == "NEU" for label in labels.values()) >= 7, labels


def test_a_label_that_is_not_the_likeliest_explains_itself_with_all_three() -> None:
    """The decision offsets may pick NEU over a weak lead; "neutral (26%)" alone would puzzle."""
    seen = 0
    for text in (*NEWS, *POSTS):
        (finding,) = kiemchung.analyze(text, analyzers=["sentiment"]).findings
        probabilities = finding.data["probabilities"]
        if finding.score < max(probabilities.values()):
            seen += 1
            assert all(f"{name} " in finding.explanation for name in ("NEG", "NEU", "POS"))
            assert "NEU" in finding.explanation_vi
        else:
            assert finding.explanation.endswith(f"({finding.score:.0%}).")
    assert seen, "no text here had its label chosen over a likelier one"


@pytest.mark.parametrize("analyzer", ANALYZERS)
def test_the_same_post_typed_without_diacritics_keeps_its_reading(analyzer: str) -> None:
    from kiemchung.text.diacritics import fold_accents

    for text in ("Máy nóng, pin tụt nhanh, rất thất vọng", "Rất hài lòng, sẽ ủng hộ tiếp"):
        assert _sentiment(fold_accents(text, lower=False), analyzer) == _sentiment(text, analyzer)


def test_pulse_reads_sentiment_as_the_accurate_analyzer_does() -> None:
    """Pulse stacks the vectors its topics use; the label must be the opt-in analyzer's."""
    from kiemchung.pipeline import default_analyzers
    from kiemchung.pulse.scoring import score_batch

    assert "sentiment-accurate" not in default_analyzers()  # opt-in outside Pulse
    texts = [*list(POSTS)[:4], "", "Hôm nay trời mưa."]
    scores, vectors = score_batch(texts)
    assert vectors.shape == (len(texts), 384) and scores[4]["sentiment"] == "NEU"
    for text, score in zip(texts, scores, strict=True):
        if text:
            assert score["sentiment"] == _sentiment(text, "sentiment-accurate")


def test_a_batch_with_nothing_readable_gets_neutral_scores_not_an_error() -> None:
    """Texts that normalise to nothing (blank, control characters) leave the analyzers an empty
    batch; Pulse must still score them, as neutral and clean."""
    from kiemchung.pipeline import Pipeline
    from kiemchung.pulse.scoring import score_batch

    assert Pipeline(["moderation", "sentiment"]).run_many([]) == []
    scores, vectors = score_batch(["", "   ", "\x00\x01"])
    assert vectors.shape == (3, 384)
    assert {(s["sentiment"], s["toxicity"]) for s in scores} == {("NEU", "CLEAN")}
