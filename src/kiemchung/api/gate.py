"""One model call at a time per server process, first come first served.

Each server process has a core. Forty request threads that all run models at once only fight over
the GIL: every request takes longer, and the tail takes longest. Behind this gate they take turns,
in the order they arrived. A plain semaphore would let a newcomer take the turn from a thread that
has waited, and that makes the tail long again.
"""

from __future__ import annotations

import threading
from collections import deque


class FairGate:
    """A lock that hands itself to the longest waiter (a FIFO queue of events)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._busy = False

    def __enter__(self) -> FairGate:
        with self._lock:
            if not self._busy:
                self._busy = True
                return self
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # the holder hands the gate over: it stays busy
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._busy = False
