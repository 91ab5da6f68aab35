"""The ``guard`` analyzer: leak-guard findings inside ``kiemchung analyze`` reports."""

from __future__ import annotations

from kiemchung.core import Document, Finding
from kiemchung.pipeline import BaseAnalyzer


class GuardAnalyzer(BaseAnalyzer):
    """Personal data, confidential markings and credentials, as span findings."""

    name = "guard"
    version = "2"

    def __init__(self) -> None:
        from kiemchung.guard import default_engine

        self.engine = default_engine()

    def analyze(self, doc: Document) -> list[Finding]:
        return self.engine.analyze_normalized(doc.normalized)
