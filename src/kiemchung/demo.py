"""Sample texts for ``kiemchung demo``: what the bundled analyzers do, on the texts they meet.

The demo runs every default analyzer over these texts — Vietnamese with diacritics, the same
typed without diacritics and in teencode, English, a code-mixed post, a draft leaking personal
data — and then checks three claims against the bundled knowledge base (894 ViFactCheck news
articles and the reviews of ViFactCheck's dev claims): one a fact-checker already reviewed, said in
other words, one the articles support and one they contradict.
"""

from __future__ import annotations

from typing import Any

from kiemchung.core import Document

SAMPLES = (
    "Theo Bộ Y tế, TP. HCM ghi nhận 1.250 ca sốt xuất huyết trong tuần. "
    "Người dân cần diệt lăng quăng.",
    "ko bít ai đăng tin này, mn đừng share lung tung nha",
    "hom nay troi dep qua, di choi thoi moi nguoi oi",
    "The ministry denied the report on Monday.",
    "deadline gấp quá mà sếp còn bắt họp online",
    "Ai nhặt được ví cho em xin lại, trong có CCCD 001203004567 mang tên Đỗ Thị Hằng. "
    "Gọi em 098 765 4321 hoặc qua nhà số 5 ngõ 12 đường Láng, phường Láng Thượng, quận Đống Đa.",
)


CLAIMS = (
    "Có 41 học sinh được đưa đi khám ở một số bệnh viện, số còn lại được về nhà nghỉ.",
    "Cuối năm 2022, tỉ lệ lao động qua đào tạo có chứng chỉ đạt 31,5%.",
    "TikTok sẽ lập 5 máy chủ ở Pháp với chi phí 1,2 tỉ euro mỗi năm.",
)


def sample_texts() -> list[str]:
    return list(SAMPLES)


def text_pipeline(doc: Document, max_words: int = 40) -> dict[str, Any]:
    """What the text pipeline made of a document: normalized text, model input, sentences, words."""
    return {
        "normalized": doc.norm,
        "model_input": doc.model_input.text,
        "sentences": [doc.norm[a:b] for a, b in doc.sentences],
        "words": [t.text for t in doc.tokens[:max_words]],
    }
