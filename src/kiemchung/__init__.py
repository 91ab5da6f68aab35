"""kiemchung — Vietnamese-first information-integrity toolkit.

The public API: ``analyze(text)`` runs the registered analyzers and returns a ``Report``;
``guard(text)`` finds personal data, confidential markings and credentials.
"""

from kiemchung.core import Citation, Document, Finding, Report
from kiemchung.errors import DataError, InputError, KiemchungError, ModelError, StoreError
from kiemchung.pipeline import Pipeline, analyze, available_analyzers, register_analyzer


def __getattr__(name: str) -> object:
    """``kiemchung.guard`` is imported on first use: Presidio takes about a second to import.

    The ``kiemchung.guard`` package is callable — ``kiemchung.guard(text)`` runs the leak guard.
    """
    if name == "guard":
        import kiemchung.guard

        return kiemchung.guard
    raise AttributeError(f"module 'kiemchung' has no attribute {name!r}")


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
    "guard",
    "register_analyzer",
]
