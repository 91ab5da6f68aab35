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
    """ASGI middleware: a body over the limit is a 413 with a message, declared or not.

    A declared body (``Content-Length``) over the limit is refused before it is read, and one
    under it streams through (the server holds it to its declared length). A chunked body is read
    here first, up to the limit, and then replayed to the app: refused inside the app, the route's
    body parser would turn the refusal into a 400. ``limits`` maps a path prefix to its own limit
    (uploads may be larger than JSON calls).
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
        if declared is not None:
            if declared.isdigit() and int(declared) > limit:
                await too_large(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        messages = await _read_body(receive, limit)
        if messages is None:
            await too_large(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _read_body(receive: Receive, limit: int) -> list[Message] | None:
    """The request's messages up to the end of its body; None once the body passes ``limit``."""
    messages, seen = [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        seen += len(message.get("body", b""))
        if seen > limit:
            return None
        if not message.get("more_body", False):
            return messages


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
