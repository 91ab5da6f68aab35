"""The demo knowledge base's claim reviews: ViFactCheck's dev claims, as ClaimReview JSON-LD.

ViFactCheck's annotators checked each claim against a news article (MIT). Its dev split's
SUPPORTED and REFUTED claims become reviews — rating "Đúng" or "Sai", linked to the article the
claim was checked against, publisher "ViFactCheck (dev annotations)" — so ``make demo`` can show
``check`` answering a claim that was already reviewed. Test claims are never used here (they are
for reporting), and NOT ENOUGH INFO claims are no review at all.

Rebuild the shipped file with ``python -m kiemchung.lab.demo_reviews`` (needs the staged data).
"""

from __future__ import annotations

import json

from kiemchung.lab import datasets
from kiemchung.verify.check import demo_reviews_path

PUBLISHER = "ViFactCheck (dev annotations)"
_RATINGS = {"SUPPORTED": "Đúng", "REFUTED": "Sai"}


def demo_reviews() -> list[dict]:
    """ClaimReview JSON-LD objects for ViFactCheck dev's SUPPORTED and REFUTED claims."""
    return [
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": r.statement,
            "reviewRating": {"@type": "Rating", "alternateName": _RATINGS[r.label_name]},
            "url": r.url,
            "author": {"@type": "Organization", "name": PUBLISHER},
            "inLanguage": "vi",
        }
        for r in datasets.load("vifactcheck", "dev")
        if r.label_name in _RATINGS and r.url
    ]


if __name__ == "__main__":
    rows = demo_reviews()
    with demo_reviews_path().open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} reviews to {demo_reviews_path()}")
