"""Every answer is timed for ``/metrics`` and carries the security headers.

A plain ASGI middleware: Starlette's ``@app.middleware("http")`` runs each answer through a
stream between two tasks, which costs more than the rest of a light request.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiemchung.api.headers import security_headers
from kiemchung.api.metrics import Metrics


class ObserveAnswers:
    """Records route template, method, status and seconds; adds :func:`security_headers`."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before it answers
        extra = [
            (k.lower().encode(), v.encode()) for k, v in security_headers(scope["path"]).items()
        ]

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                names = {k for k, _ in extra}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            template = getattr(scope.get("route"), "path", "unmatched")  # set by the router
            self.metrics.observe(template, scope["method"], status, time.perf_counter() - started)
