"""Pulse jobs for the HTTP service: an uploaded file, one run at a time, a status to poll.

Each job lives in ``JOBS/<id>/`` (the upload, then the run's outputs and ``status.json``); all
jobs share one Pulse project (``JOBS/project``: the author-pseudonym salt and the score cache), so
a re-submitted export only pays for its new texts. Runs go one after another on a worker thread —
scoring already uses both cores. Job ids are random; the status never holds an author id.
"""

from __future__ import annotations

import datetime as _dt
import json
import queue
import re
import secrets
import shutil
import threading
from pathlib import Path
from typing import Any

from kiemchung.api.errors import ApiError

_SUFFIXES = (".jsonl", ".json", ".ndjson", ".csv", ".parquet", ".pq")
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


class PulseJobs:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._queue: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def _status_path(self, job_id: str) -> Path:
        if not _JOB_ID.match(job_id):
            raise ApiError(404, "NOT_FOUND", "no such job")
        return self.folder / job_id / "status.json"

    def _write_status(self, job_id: str, **fields: Any) -> None:
        path = self.folder / job_id / "status.json"
        current = json.loads(path.read_text()) if path.exists() else {"id": job_id}
        current.update(fields)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(current, ensure_ascii=False))
        partial.replace(path)

    def submit(self, upload: Any, **options: Any) -> dict[str, Any]:
        name = Path(upload.filename or "posts.jsonl").name
        suffix = Path(name).suffix.lower()
        if suffix not in _SUFFIXES:
            raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "upload a .jsonl, .csv or .parquet file")
        job_id = secrets.token_hex(8)
        folder = self.folder / job_id
        folder.mkdir()
        with (folder / f"posts{suffix}").open("wb") as out:
            shutil.copyfileobj(upload.file, out, length=1 << 20)
        self._write_status(job_id, status="queued", submitted=_now(), file=name, options=options)
        self._queue.put((job_id, options))
        self._start_worker()
        return self.status(job_id)

    def _start_worker(self) -> None:
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, daemon=True, name="pulse-jobs")
                self._worker.start()

    def _work(self) -> None:
        from kiemchung.errors import KiemchungError
        from kiemchung.pulse.ingest import ColumnMapping
        from kiemchung.pulse.run import PulseRun, PulseSettings

        while True:
            try:
                job_id, options = self._queue.get(timeout=5)
            except queue.Empty:
                return
            folder = self.folder / job_id
            source = next(folder.glob("posts.*"))
            self._write_status(job_id, status="running", started=_now())
            try:
                settings = PulseSettings(
                    period=options["period"], k=options["k"], n_topics=options["topics"]
                )
                mapping = ColumnMapping.from_assignments(options.get("columns", []))
                report = PulseRun(
                    source, folder / "out", self.folder / "project", mapping, settings=settings
                ).run()
                self._write_status(
                    job_id,
                    status="done",
                    finished=_now(),
                    posts=report["input"]["posts"],
                    bad_rows=report["input"]["bad_rows"],
                )
            except KiemchungError as exc:
                self._write_status(job_id, status="failed", finished=_now(), error=str(exc))
            except Exception as exc:  # a job must never take the worker down
                self._write_status(
                    job_id,
                    status="failed",
                    finished=_now(),
                    error=f"internal error ({type(exc).__name__})",
                )
            finally:
                source.unlink(missing_ok=True)  # the upload holds raw author ids: not kept

    def status(self, job_id: str) -> dict[str, Any]:
        path = self._status_path(job_id)
        if not path.exists():
            raise ApiError(404, "NOT_FOUND", "no such job")
        return json.loads(path.read_text())

    def report(self, job_id: str, name: str) -> str:
        status = self.status(job_id)
        if status["status"] != "done":
            raise ApiError(409, "FAILED_PRECONDITION", f"the job is {status['status']}")
        return (self.folder / job_id / "out" / name).read_text(encoding="utf-8")
