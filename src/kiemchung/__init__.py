"""kiemchung — Vietnamese-first information-integrity toolkit.

The public API: ``analyze(text)`` runs the registered analyzers and returns a ``Report``;
``find_leaks(text)`` finds personal data, confidential markings and credentials; ``claims(text)``,
``verify_pair(claim, evidence)`` and ``check(text, kb=None)`` verify claims against evidence
kept in a ``KnowledgeBase``; ``Pulse(project).run(posts, out)`` listens over many posts.
"""

from kiemchung.core import Citation, Document, Finding, Report
from kiemchung.errors import DataError, InputError, KiemchungError, ModelError, StoreError
from kiemchung.pipeline import Pipeline, analyze, available_analyzers, register_analyzer

#: Public names imported on first use (they load models, a knowledge base or Pulse's stack).
_LAZY = {
    "check": "kiemchung.verify.check",
    "claims": "kiemchung.verify.claims",
    "verify_pair": "kiemchung.verify.verdict",
    "KnowledgeBase": "kiemchung.verify.kb",
    "Pulse": "kiemchung.pulse.api",
    "find_leaks": "kiemchung.guard",
}


def __getattr__(name: str) -> object:
    """Heavy parts are imported on first use (Presidio alone takes about a second).

    ``kiemchung.guard`` is the leak guard's package; calling it (``kiemchung.guard(text)``) is the
    deprecated spelling of ``kiemchung.find_leaks(text)``.
    """
    if name == "guard":
        import kiemchung.guard

        return kiemchung.guard
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kiemchung' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Citation",
    "DataError",
    "Document",
    "Finding",
    "InputError",
    "KiemchungError",
    "KnowledgeBase",
    "ModelError",
    "Pipeline",
    "Pulse",
    "Report",
    "StoreError",
    "__version__",
    "analyze",
    "available_analyzers",
    "check",
    "claims",
    "find_leaks",
    "register_analyzer",
    "verify_pair",
]
