"""Shared by the benchmarks: time one run and express it as items per second."""

from __future__ import annotations

import time
from collections.abc import Callable


def rate(n: int, fn: Callable[[], object], unit: str = "comments") -> dict[str, float]:
    """Run ``fn`` once over ``n`` items: seconds taken and ``<unit>_per_s``."""
    started = time.perf_counter()
    fn()
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), f"{unit}_per_s": round(n / seconds)}
