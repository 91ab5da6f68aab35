"""kiemchung — Vietnamese-first information-integrity toolkit.

The public API: ``analyze(text)`` runs the registered analyzers and returns a ``Report``.
"""

from kiemchung.core import Citation, Document, Finding, Report
from kiemchung.errors import DataError, InputError, KiemchungError, ModelError, StoreError
from kiemchung.pipeline import Pipeline, analyze, available_analyzers, register_analyzer

__version__ = "0.1.0"

__all__ = [
    "Citation",
    "DataError",
    "Document",
    "Finding",
    "InputError",
    "KiemchungError",
    "ModelError",
    "Pipeline",
    "Report",
    "StoreError",
    "__version__",
    "analyze",
    "available_analyzers",
    "register_analyzer",
]
