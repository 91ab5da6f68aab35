"""One model call at a time per server process, in the order the requests came, on one thread.

Each server process has a core. Forty request threads that all run models at once only fight over
the GIL: every request takes longer, and the tail takes longest. Here the model calls go to a
single thread's queue instead, first come first served, and the request waits for its answer on
the event loop, where waiting costs no thread. Everything else (parsing, keys, ``/healthz``) goes on
around it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class ModelLane:
    """A queue of model calls served by one thread (a one-worker pool: its queue is FIFO)."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiemchung-models")

    async def run(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``call(*args, **kwargs)`` on the lane's thread, once every earlier call is done."""
        return await asyncio.wrap_future(self._thread.submit(call, *args, **kwargs))

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)
