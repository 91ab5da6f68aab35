"""Per-key rate limits (token buckets) and the request-size limit.

A bucket holds up to a minute's allowance and refills continuously, so a key may burst but not
exceed its rate over any minute. Buckets live in memory: each server process limits on its own
(with ``--workers N`` a key may get up to N times its rate — documented in docs/api.md).
"""

from __future__ import annotations

import math
import threading
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiemchung.api.errors import error_response


class RateLimiter:
    """Token buckets keyed by API key id."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}  # id -> (tokens, last refill)
        self._lock = threading.Lock()

    def acquire(self, key_id: str, per_minute: int) -> float:
        """0 when the request may go ahead; else the seconds until it may be retried."""
        now = time.monotonic()
        rate = per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(key_id, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) / rate


class BodySizeLimit:
    """ASGI middleware: a body over the limit is a 413 with a message, read or declared.

    ``limits`` maps a path prefix to its own limit (uploads may be larger than JSON calls).
    """

    def __init__(self, app: ASGIApp, default: int, limits: dict[str, int] | None = None) -> None:
        self.app, self.default, self.limits = app, default, limits or {}

    def _limit(self, path: str) -> int:
        return next((v for k, v in self.limits.items() if path.startswith(k)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        too_large = error_response(413, f"the request body is over the limit of {limit:,} bytes")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await too_large(scope, receive, send)
            return
        seen = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await too_large(scope, receive, send)


class _TooLarge(Exception):
    pass


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
