"""The ``language`` analyzer: which language a text is in, and whether it lacks diacritics.

Cheap and always useful: downstream users route texts by language, and moderators want to know
when a comment was typed without diacritics (models are less sure of those).
"""

from __future__ import annotations

from kiemchung.core import Document, Finding
from kiemchung.pipeline import BaseAnalyzer

_NAMES = {"vi": ("Vietnamese", "tiếng Việt"), "en": ("English", "tiếng Anh")}


class LanguageAnalyzer(BaseAnalyzer):
    """One whole-text Finding: label ``vi``, ``en`` or ``other``, scored by confidence."""

    name = "language"
    version = "2"

    def analyze(self, doc: Document) -> list[Finding]:
        guess = doc.language
        name_en, name_vi = _NAMES.get(
            guess.lang, (f"another language ({guess.code})", "ngôn ngữ khác")
        )
        if guess.code == "und":
            name_en, name_vi = "no recognisable language", "không nhận ra ngôn ngữ"
        suffix_en = " without diacritics" if guess.unaccented else ""
        suffix_vi = " không dấu" if guess.unaccented else ""
        return [
            Finding(
                analyzer=self.name,
                label=guess.lang,
                score=guess.confidence,
                explanation=f"The text is written in {name_en}{suffix_en}.",
                explanation_vi=f"Văn bản viết bằng {name_vi}{suffix_vi}.",
                data={"code": guess.code, "unaccented": guess.unaccented},
            )
        ]
