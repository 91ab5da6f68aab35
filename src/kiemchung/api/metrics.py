"""``/metrics`` in Prometheus' text format: requests by route and status, and their latency.

Hand-written (a few counters need no client library); labels are route *templates*
(``/v1/kb/search``), never texts, keys or ids.
"""

from __future__ import annotations

import threading
from collections import defaultdict

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.latency: dict[str, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
        self.latency_sum: dict[str, float] = defaultdict(float)

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(route, method, status)] += 1
            counts = self.latency[route]
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            counts[-1] += 1
            self.latency_sum[route] += seconds

    def render(self) -> str:
        lines = [
            "# HELP kiemchung_requests_total Requests answered, by route template and status.",
            "# TYPE kiemchung_requests_total counter",
        ]
        with self._lock:
            for (route, method, status), n in sorted(self.requests.items()):
                lines.append(
                    f'kiemchung_requests_total{{route="{route}",method="{method}",'
                    f'status="{status}"}} {n}'
                )
            lines += [
                "# HELP kiemchung_request_seconds Time to answer, by route template.",
                "# TYPE kiemchung_request_seconds histogram",
            ]
            for route, counts in sorted(self.latency.items()):
                for bound, n in zip(BUCKETS, counts, strict=False):
                    lines.append(
                        f'kiemchung_request_seconds_bucket{{route="{route}",le="{bound}"}} {n}'
                    )
                lines.append(
                    f'kiemchung_request_seconds_bucket{{route="{route}",le="+Inf"}} {counts[-1]}'
                )
                lines.append(
                    f'kiemchung_request_seconds_sum{{route="{route}"}} '
                    f"{self.latency_sum[route]:.6f}"
                )
                lines.append(f'kiemchung_request_seconds_count{{route="{route}"}} {counts[-1]}')
        return "\n".join(lines) + "\n"
