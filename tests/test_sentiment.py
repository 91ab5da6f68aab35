"""The sentiment analyzer on hand-written posts of the kind Pulse listens to.

A quality floor on a small fixed set, not a benchmark (that is ``kiemchung eval sentiment``): plain
complaints must read NEG and plain praise POS. The first complaint is the one the star-labelled
model called neutral (3-star phone reviews full of complaints had taught it so).
"""

from __future__ import annotations

import kiemchung

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


def _sentiment(text: str) -> str:
    report = kiemchung.analyze(text, analyzers=["sentiment"])
    (finding,) = [f for f in report.findings if f.analyzer == "sentiment"]
    assert finding.span is None and 0.0 < finding.score <= 1.0
    return finding.label


def test_plain_complaints_read_negative_and_praise_positive() -> None:
    labels = {text: _sentiment(text) for text in POSTS}
    right = sum(labels[text] == gold for text, gold in POSTS.items())
    assert right >= 10, labels
    assert labels["Máy nóng, pin tụt nhanh, rất thất vọng"] == "NEG"


def test_the_same_post_typed_without_diacritics_keeps_its_reading() -> None:
    from kiemchung.text.diacritics import fold_accents

    for text in ("Máy nóng, pin tụt nhanh, rất thất vọng", "Rất hài lòng, sẽ ủng hộ tiếp"):
        assert _sentiment(fold_accents(text, lower=False)) == _sentiment(text)
