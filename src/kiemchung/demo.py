"""Sample texts for ``kiemchung demo``: what the bundled analyzers do, on the texts they meet.

Until the knowledge base ships, the demo runs every available analyzer over these texts: Vietnamese
with diacritics, the same typed without diacritics and in teencode, English, and a code-mixed post.
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
