"""kiemchung — Vietnamese-first information-integrity toolkit.

The public API: ``analyze(text)`` runs the registered analyzers and returns a ``Report``;
``guard(text)`` finds personal data, confidential markings and credentials.
"""

from kiemchung.core import Citation, Document, Finding, Report
from kiemchung.errors import DataError, InputError, KiemchungError, ModelError, StoreError
from kiemchung.pipeline import Pipeline, analyze, available_analyzers, register_analyzer


def guard(text: str | bytes) -> list[Finding]:
    """Personal data, confidential markings and credentials in ``text`` (see kiemchung.guard).

    Imported on first call: Presidio takes about a second to import.
    """
    from kiemchung.guard import guard as run_guard

    return run_guard(text)


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
