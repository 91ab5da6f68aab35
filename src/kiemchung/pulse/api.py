"""``kiemchung.Pulse``: the library's entry point to Pulse, configured in its constructor.

    pulse = kiemchung.Pulse("project/", period="week", k=20)
    report = pulse.run("posts.parquet", out="report/")

The same run ``kiemchung pulse run`` makes: the engine is opened for the run and closed after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiemchung.pulse.engines import make_engine
from kiemchung.pulse.ingest import ColumnMapping
from kiemchung.pulse.privacy import DEFAULT_K
from kiemchung.pulse.run import Progress, PulseRun, PulseSettings


class Pulse:
    """Aggregate, k-anonymous listening over files of posts, in one project (its salt and its
    score cache)."""

    def __init__(
        self,
        project: str | Path,
        period: str = "day",
        k: int = DEFAULT_K,
        n_topics: int | None = None,
        outlier_share: float = 0.1,
        seed: int = 0,
        columns: ColumnMapping | Mapping[str, str] | None = None,
        engine: str = "local",
        scheduler: str | None = None,
        workers: int | None = None,
    ) -> None:
        self.project = Path(project)
        self.settings = PulseSettings(
            period=period, k=k, n_topics=n_topics, outlier_share=outlier_share, seed=seed
        )
        if columns is None or isinstance(columns, ColumnMapping):
            self.columns = columns or ColumnMapping()
        else:
            self.columns = ColumnMapping.from_pairs(columns)
        self.engine, self.scheduler, self.workers = engine, scheduler, workers

    def run(
        self, posts: str | Path, out: str | Path, progress: Progress | None = None
    ) -> dict[str, Any]:
        """Run over ``posts`` and write the report into ``out``; returns the report."""
        engine = make_engine(self.engine, self.scheduler, self.workers)
        try:
            run = PulseRun(posts, out, self.project, self.columns, engine, self.settings, progress)
            return run.run()
        finally:
            engine.close()
