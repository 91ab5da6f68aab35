"""Analyzers, their registry, and the call that runs them: ``kiemchung.analyze(text)``.

An analyzer reads a Document and returns Findings (docs/design.md: one idea). Analyzers are found by
name, spaCy-registry style: those registered in this process with :func:`register_analyzer`, and
any package's entry points in the group ``kiemchung.analyzers`` — kiemchung's own included — so a
third-party package adds an analyzer by declaring one entry point.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol, runtime_checkable

from kiemchung.core import Document, Finding, Report
from kiemchung.errors import InputError, KiemchungError
from kiemchung.registry import Registry
from kiemchung.text.inputs import require_text

ENTRY_POINT_GROUP = "kiemchung.analyzers"


@runtime_checkable
class Analyzer(Protocol):
    """What every analyzer provides. ``analyze_many`` exists so models can batch."""

    name: str
    version: str

    def analyze(self, doc: Document) -> list[Finding]: ...

    def analyze_many(self, docs: Sequence[Document]) -> list[list[Finding]]: ...


class BaseAnalyzer:
    """Convenience base: implement ``analyze``; ``analyze_many`` loops unless overridden."""

    name = "base"
    version = "0"
    #: The longest text this analyzer reads in reasonable time (None: as long as the input rules
    #: allow); :meth:`Pipeline.run` refuses a longer one before any analyzer starts.
    max_chars: int | None = None

    def analyze(self, doc: Document) -> list[Finding]:
        raise NotImplementedError

    def analyze_many(self, docs: Sequence[Document]) -> list[list[Finding]]:
        return [self.analyze(doc) for doc in docs]


class BatchAnalyzer(BaseAnalyzer):
    """Base for analyzers whose models work on batches: implement ``analyze_many`` only."""

    def analyze(self, doc: Document) -> list[Finding]:
        return self.analyze_many([doc])[0]

    def analyze_many(self, docs: Sequence[Document]) -> list[list[Finding]]:
        raise NotImplementedError


AnalyzerFactory = Callable[[], Analyzer]
#: Analyzer factories by name: a class or any zero-argument callable that builds an analyzer.
ANALYZERS: Registry[AnalyzerFactory] = Registry("analyzer", entry_point_group=ENTRY_POINT_GROUP)


def register_analyzer(name: str, factory: AnalyzerFactory) -> None:
    """Register an analyzer factory under ``name`` for this process (tests, notebooks, plugins)."""
    ANALYZERS.register(name, factory)


def available_analyzers() -> list[str]:
    """Names of every analyzer that can be built: entry points and this process's registrations."""
    return ANALYZERS.names()


def default_analyzers() -> list[str]:
    """What runs when no analyzer is named: everything except the opt-in ones.

    An analyzer class with ``opt_in = True`` (a slow, accurate variant) runs only when asked for.
    """
    return [n for n in available_analyzers() if not getattr(ANALYZERS.get(n), "opt_in", False)]


def unlimited_analyzers() -> list[str]:
    """Analyzers with no length limit of their own (``max_chars``): what a long text can use."""
    return [n for n in available_analyzers() if not getattr(ANALYZERS.get(n), "max_chars", None)]


def build_analyzer(name: str) -> Analyzer:
    """Instantiate the analyzer registered as ``name``."""
    analyzer = ANALYZERS.get(name)()
    if not isinstance(analyzer, Analyzer):
        raise KiemchungError(f"analyzer {name!r} does not provide name, version, analyze()")
    return analyzer


class Pipeline:
    """A fixed list of analyzers, built once and reused for every text (models load once)."""

    def __init__(self, analyzers: Sequence[str] | None = None) -> None:
        names = list(analyzers) if analyzers is not None else default_analyzers()
        self.analyzers = [build_analyzer(n) for n in names]

    def run(self, doc: Document) -> Report:
        """Run every analyzer over one text, refusing it first if it is too long for one."""
        self.refuse_if_too_long(doc)
        return self.run_many([doc])[0]

    def refuse_if_too_long(self, doc: Document) -> None:
        """An InputError naming the analyzers a text is too long for, and the way around it."""
        length = len(doc.text)
        over = [a for a in self.analyzers if getattr(a, "max_chars", None) and length > a.max_chars]
        if over:
            limit = min(a.max_chars for a in over)
            names = ", ".join(a.name for a in over)
            raise InputError(
                f"the text has {length:,} characters, over the limit of {limit:,} for {names}; "
                "split it into parts, or choose analyzers without that limit "
                f"({', '.join(unlimited_analyzers())})"
            )

    def run_many(self, docs: Sequence[Document]) -> list[Report]:
        """Run every analyzer over a batch; each analyzer sees the whole batch at once. No length
        limit here: a batch caller (Pulse) must not lose its other texts to one long one."""
        if not docs:  # models cannot score an empty batch, and need not
            return []
        reports = [
            Report(doc_id=d.id, findings=[], text_length=len(d.text), lang=d.lang) for d in docs
        ]
        for analyzer in self.analyzers:
            started = time.perf_counter()
            per_doc = analyzer.analyze_many(docs)
            elapsed_ms = (time.perf_counter() - started) * 1000 / max(len(docs), 1)
            for report, findings in zip(reports, per_doc, strict=True):
                report.findings.extend(findings)
                report.timings_ms[analyzer.name] = round(elapsed_ms, 3)
                report.versions[analyzer.name] = analyzer.version
        return reports


@lru_cache(maxsize=8)
def _pipeline(names: tuple[str, ...] | None) -> Pipeline:
    return Pipeline(names)


ANALYZERS.on_change(_pipeline.cache_clear)  # "all analyzers" must include new registrations


def make_document(text: str | bytes, doc_id: str | None = None) -> Document:
    """Validate user input and build its Document, refusing texts with nothing to analyze."""
    doc = Document(require_text(text), doc_id)
    if not doc.norm:
        raise InputError("nothing to analyze: the text holds only invisible characters")
    return doc


def analyze(text: str | bytes, analyzers: list[str] | None = None) -> Report:
    """Run the named analyzers (default: all but opt-in ones) over ``text``; return the Report."""
    doc = make_document(text)
    return _pipeline(tuple(analyzers) if analyzers is not None else None).run(doc)
