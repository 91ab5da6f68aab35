"""Load on the HTTP service: 50 concurrent clients for 30 s on /v1/analyze with the default
analyzers, on /v1/analyze with moderation alone and on /v1/guard, with p50, p99 and the error
count, the latency of /healthz while each load runs (a probe every 200 ms), and the time from
``kiemchung serve`` to the first answer.

The load comes from wrk (Debian's package: ``apt-get install wrk``), a C client light enough to
leave the server the machine's two cores. The server runs as users would start it, with API keys
(one key, a rate limit high enough not to be the bottleneck) and two worker processes.

    python benchmarks/load_bench.py                 # 50 clients, 30 s per route
    python benchmarks/load_bench.py --duration 10   # a quick look
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from kiemchung.api.keys import KeyStore, parse_scopes

COMMENT = "Mấy thằng chó này lừa đảo người dân, đồ ngu! Giá xăng lại tăng 20% rồi."
#: (name shown, route, body)
CASES = {
    "analyze (default)": ("/v1/analyze", {"text": COMMENT}),
    "analyze (moderation)": ("/v1/analyze", {"text": COMMENT, "analyzers": ["moderation"]}),
}
TEXTS = {
    "/v1/guard": {
        "text": "Anh Trần Văn Bình, CCCD 001203004567, sđt 0912 345 678, số 12 ngõ 34 phố Huế, "
        "Hà Nội; STK 0123456789 tại Vietcombank."
    },
}
LUA = """wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d %d\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99), latency.max,
    summary.duration))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, port: int, workers: int) -> tuple[subprocess.Popen, float]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiemchung",
            "serve",
            "--port",
            str(port),
            "--keys",
            str(folder / "keys.sqlite"),
            "--jobs",
            str(folder / "jobs"),
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "server.log").open("wb"),
    )
    return process, started


def first_answer(port: int, token: str, started: float, process: subprocess.Popen) -> float:
    """Seconds from starting the server to its first 200 on /v1/analyze."""
    while True:
        if process.poll() is not None:
            raise SystemExit("the server exited; see its log")
        try:
            answer = httpx.post(
                f"http://127.0.0.1:{port}/v1/analyze",
                json={"text": "xin chào"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=5,
            )
            if answer.status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)


class HealthProbe:
    """``/healthz`` every 200 ms on a thread while a load runs: what a load balancer sees."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/healthz"
        self.seconds: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._probe, daemon=True)

    def _probe(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self._stop.wait(0.2):
                started = time.perf_counter()
                try:
                    ok = client.get(self.url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    self.seconds.append(time.perf_counter() - started)
                else:
                    self.failures += 1

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        ms = sorted(1000 * s for s in self.seconds) or [float("nan")]
        return {
            "health_p50_ms": round(ms[len(ms) // 2], 1),
            "health_p99_ms": round(ms[min(len(ms) - 1, int(0.99 * len(ms)))], 1),
            "health_failures": self.failures,
        }


def load(
    name: str,
    route: str,
    body: dict,
    port: int,
    token: str,
    clients: int,
    seconds: int,
    folder: Path,
) -> dict:
    script = folder / "post.lua"
    script.write_text(LUA.format(body=json.dumps(json.dumps(body)), token=token))
    with HealthProbe(port) as probe:
        done = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(clients),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}{route}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if not match:
        raise SystemExit(done.stdout + done.stderr)
    requests, socket_errors, status_errors, p50, p99, worst, duration = map(int, match.groups())
    return {
        "route": name,
        "requests": requests,
        "per_second": round(requests / (duration / 1e6), 1),
        "p50_ms": round(p50 / 1000, 1),
        "p99_ms": round(p99 / 1000, 1),
        "max_ms": round(worst / 1000, 1),
        "errors": socket_errors + status_errors,
        **probe.summary(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="load-bench-"))
    token = KeyStore(folder / "keys.sqlite").create(
        parse_scopes("all"), "load bench", rate_per_minute=10_000_000
    )[0]
    port = free_port()
    process, started = start_server(folder, port, args.workers)
    try:
        startup = first_answer(port, token, started, process)
        print(
            f"kiemchung serve -> first answer: {startup:.2f} s (target <= 5 s); "
            f"{args.workers} server processes, {args.clients} clients, {args.duration} s per route"
        )
        print(
            f"{'route':<22}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'max ms':>9}{'errors':>8}{'healthz p50/p99 ms':>20}"
        )
        cases = {**CASES, **{route: (route, body) for route, body in TEXTS.items()}}
        for name, (route, body) in cases.items():
            row = load(name, route, body, port, token, args.clients, args.duration, folder)
            health = f"{row['health_p50_ms']:,.1f} / {row['health_p99_ms']:,.1f}"
            if row["health_failures"]:
                health += f" ({row['health_failures']} failed)"
            print(
                f"{row['route']:<22}{row['requests']:>10,}{row['per_second']:>9,.1f}"
                f"{row['p50_ms']:>9,.1f}{row['p99_ms']:>9,.1f}{row['max_ms']:>9,.1f}"
                f"{row['errors']:>8}{health:>20}"
            )
        print("targets: p99 <= 500 ms and 0 errors on every route")
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
