"""Start ``kiemchung serve`` for real on a free loopback port, and stop it afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

#: The one trusted article the API and web tests' knowledge base holds.
ARTICLE = (
    "Bộ Công Thương cho biết từ 15 giờ ngày 3/6, giá xăng RON 95-III giảm 780 đồng/lít, "
    "còn 22.450 đồng/lít. Giá dầu diesel giữ nguyên ở mức 19.200 đồng/lít."
)


def sources_kb(path: Path) -> Path:
    """A lexical knowledge base at ``path`` holding :data:`ARTICLE` (fast to build)."""
    from kiemchung.verify.kb import KnowledgeBase
    from kiemchung.verify.kb.ingest import SourceDocument

    source = SourceDocument(
        ARTICLE, "Giá xăng giảm", "https://example.vn/xang", "Bộ Công Thương", "2024-06-03"
    )
    with KnowledgeBase.create(path) as kb:
        kb.add([source])
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(*args: str, log: Path, timeout: float = 90.0, processes: list | None = None):
    """Yield ``(base_url, seconds from start to the first /healthz answer)``; the server's
    process is appended to ``processes`` when given (a test may kill it)."""
    port = free_port()
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "kiemchung", "serve", "--port", str(port), *args],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        base = f"http://127.0.0.1:{port}"
        if processes is not None:
            processes.append(process)
        try:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"server exited: {log.read_text(errors='replace')}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.perf_counter() - started > timeout:
                    raise RuntimeError("server did not start in time")
                time.sleep(0.1)
            yield base, time.perf_counter() - started
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
