"""Sample texts for ``kiemchung demo``: what the bundled analyzers do, on the texts they meet.

Until the knowledge base ships, the demo runs every available analyzer over these texts: Vietnamese
with diacritics, the same typed without diacritics and in teencode, English, and a code-mixed post.
"""

from __future__ import annotations

SAMPLES = (
    "Theo Bộ Y tế, TP. HCM ghi nhận 1.250 ca sốt xuất huyết trong tuần. "
    "Người dân cần diệt lăng quăng.",
    "ko bít ai đăng tin này, mn đừng share lung tung nha",
    "hom nay troi dep qua, di choi thoi moi nguoi oi",
    "The ministry denied the report on Monday.",
    "deadline gấp quá mà sếp còn bắt họp online",
)


def sample_texts() -> list[str]:
    return list(SAMPLES)
