"""Engines: where the per-text work runs — this machine's processes, or a Dask cluster.

Both take the same plain function and the same batches and give back the results in input
order, so a run's aggregates do not depend on the engine (tested with a 2-worker LocalCluster).
Only the scoring of distinct texts is shipped out — models load once per worker process; reading,
de-duplication, topic assignment and the k-anonymous aggregation stay with the driver, which
keeps every author pseudonym on one side of the wire.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from kiemchung.errors import InputError
from kiemchung.pulse.scoring import EMBED_THREADS_ENV

ENGINES = ("local", "dask")


def _single_thread_worker() -> None:
    """Each worker process embeds on one thread: the processes share the cores instead."""
    os.environ[EMBED_THREADS_ENV] = "1"


def _ordered(
    submit: Callable[[Any], Any], result: Callable[[Any], Any], items: Iterable[Any], window: int
) -> Iterator[Any]:
    """Results of ``items`` in order, with at most ``window`` submitted and not yet collected
    (a long input never sits in memory all at once)."""
    pending: deque = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


class LocalEngine:
    """This machine: in-process for ``workers=1``, else a pool of processes."""

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise InputError("workers must be at least 1")
        self.workers = workers
        self._pool: Executor | None = None

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        if self.workers == 1:
            yield from map(fn, items)
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, initializer=_single_thread_worker)
        pool = self._pool
        yield from _ordered(
            lambda item: pool.submit(fn, item), Future.result, items, 2 * self.workers
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def describe(self) -> str:
        return f"local ({self.workers} process{'es' if self.workers > 1 else ''})"


class DaskEngine:
    """A Dask cluster: ``scheduler`` is its address, or None for an in-process LocalCluster of
    ``workers`` single-threaded worker processes."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError("the dask engine needs `pip install kiemchung[dask]`") from None
        self.scheduler = scheduler
        if scheduler:
            self._cluster = None
            self.client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                env={EMBED_THREADS_ENV: "1"},
            )
            self.client = Client(self._cluster)
        self.workers = len(self.client.scheduler_info()["workers"]) or workers

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        client = self.client
        yield from _ordered(
            lambda item: client.submit(fn, item, pure=False),
            lambda f: f.result(),
            items,
            2 * self.workers,
        )

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def describe(self) -> str:
        where = self.scheduler or "in-process LocalCluster"
        return f"dask ({where}, {self.workers} workers)"


def make_engine(name: str = "local", scheduler: str | None = None, workers: int | None = None):
    """The engine called ``name``; ``workers`` defaults to 2 for Dask and 1 locally."""
    if name == "local":
        if scheduler:
            raise InputError("--scheduler is for the dask engine")
        return LocalEngine(workers or 1)
    if name == "dask":
        return DaskEngine(scheduler, workers or 2)
    raise InputError(f"unknown engine {name!r}; choose {' or '.join(ENGINES)}")
