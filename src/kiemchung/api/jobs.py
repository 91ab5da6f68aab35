"""Pulse jobs for the HTTP service: an uploaded file, one run at a time, a status to poll.

Each job lives in ``JOBS/<id>/`` (the upload, then the run's outputs and ``status.json``); all
jobs share one Pulse project (``JOBS/project``: the author-pseudonym salt and the score cache), so
a re-submitted export only pays for its new texts. Runs go one after another on a worker thread —
scoring already uses both cores. Job ids are random; the status never holds an author id.

What the service promises about the data (``docs/security.md``):

- **The upload never outlives its job.** The raw file (it holds author ids) and the run's spool
  (it holds the texts) are deleted when the job ends — done, failed or cancelled — and, for a job
  a crash interrupted, when the server next starts: such a job is marked failed.
- **A job belongs to the key that made it.** Another key gets 404, as if the job did not exist;
  a key with the ``admin`` scope sees every job. Without keys (``--no-auth``) there is one user.
- **Finished jobs are kept for a while** (``retention``), then deleted with their reports; a job
  can be deleted at once (``DELETE``).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import queue
import re
import secrets
import shutil
import threading
from pathlib import Path
from typing import Any

from kiemchung.api import DEFAULT_RETENTION_HOURS
from kiemchung.api.errors import ApiError
from kiemchung.api.keys import ADMIN as ADMIN_SCOPE

_SUFFIXES = (".jsonl", ".json", ".ndjson", ".csv", ".parquet", ".pq")
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")
DEFAULT_RETENTION = _dt.timedelta(hours=DEFAULT_RETENTION_HOURS)
FINISHED = ("done", "failed", "cancelled")


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _stamp(moment: _dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


class _Cancelled(Exception):
    """Raised inside a run whose job was cancelled, at its next progress report."""


class PulseJobs:
    """The job folder: submit, poll, fetch, cancel; see the module docstring for what is kept."""

    def __init__(
        self, folder: str | Path, retention: _dt.timedelta | None = DEFAULT_RETENTION
    ) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.retention = retention
        self._queue: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        # a job goes from queued to running, or to cancelled, under this lock (never both), and
        # every status write takes it, so the worker's and a request's writes never cross
        self._transitions = threading.RLock()
        self._cancelled: set[str] = set()
        self.recover()
        self.sweep()

    # ------------------------------------------------------------------ the folder

    def _job_ids(self) -> list[str]:
        return [p.name for p in self.folder.iterdir() if _JOB_ID.match(p.name) and p.is_dir()]

    def _read_status(self, job_id: str) -> dict[str, Any] | None:
        path = self.folder / job_id / "status.json"
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None

    def _write_status(self, job_id: str, **fields: Any) -> None:
        path = self.folder / job_id / "status.json"
        with self._transitions:
            current = self._read_status(job_id) or {"id": job_id}
            current.update(fields)
            partial = path.with_suffix(".tmp")
            partial.write_text(json.dumps(current, ensure_ascii=False))
            partial.replace(path)

    def _remove_raw(self, job_id: str) -> None:
        """The upload and the run's spool: they hold raw author ids and the texts."""
        folder = self.folder / job_id
        for path in [*folder.glob("posts.*"), *(folder / "out").glob(".spool.sqlite*")]:
            path.unlink(missing_ok=True)

    def _finish(self, job_id: str, status: str, **fields: Any) -> None:
        self._remove_raw(job_id)
        self._write_status(job_id, status=status, finished=_stamp(_now()), **fields)

    def recover(self) -> None:
        """Jobs a crash left queued or running are failed, and their raw data deleted. A job
        another live server process holds (``serve --workers N``) is left to it."""
        for job_id in self._job_ids():
            status = self._read_status(job_id)
            if status is not None and _alive_elsewhere(status.get("pid")):
                continue
            if status is None or status.get("status") not in FINISHED:
                self._finish(
                    job_id,
                    "failed",
                    error="interrupted: the server stopped before the job finished; submit the"
                    " file again",
                )
            else:
                self._remove_raw(job_id)

    def sweep(self) -> int:
        """Delete the jobs finished longer ago than the retention; how many were deleted."""
        if self.retention is None:
            return 0
        cutoff = _now() - self.retention
        removed = 0
        for job_id in self._job_ids():
            status = self._read_status(job_id) or {}
            if status.get("status") in FINISHED and _finished_at(status) < cutoff:
                shutil.rmtree(self.folder / job_id, ignore_errors=True)
                removed += 1
        return removed

    # ------------------------------------------------------------------ requests

    def submit(self, upload: Any, owner: str | None = None, **options: Any) -> dict[str, Any]:
        """Queue a run over ``upload`` for the key ``owner`` (None without keys)."""
        name = Path(upload.filename or "posts.jsonl").name
        suffix = Path(name).suffix.lower()
        if suffix not in _SUFFIXES:
            raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "upload a .jsonl, .csv or .parquet file")
        job_id = secrets.token_hex(8)
        folder = self.folder / job_id
        folder.mkdir()
        self._write_status(
            job_id,
            status="queued",
            submitted=_stamp(_now()),
            file=name,
            options=options,
            owner=owner,
            pid=os.getpid(),
        )
        try:
            with (folder / f"posts{suffix}").open("wb") as out:
                shutil.copyfileobj(upload.file, out, length=1 << 20)
        except BaseException:
            self._finish(job_id, "failed", error="the upload did not arrive whole")
            raise
        self._queue.put((job_id, options))
        self._start_worker()
        return _shown(self._read_status(job_id) or {})

    def status(self, job_id: str, viewer: Any = None) -> dict[str, Any]:
        """The job's status, if ``viewer`` (an ``ApiKey``, None without keys) may see it."""
        return _shown(self._visible(job_id, viewer))

    def report(self, job_id: str, name: str, viewer: Any = None) -> str:
        status = self._visible(job_id, viewer)
        if status["status"] != "done":
            raise ApiError(409, "FAILED_PRECONDITION", f"the job is {status['status']}")
        return (self.folder / job_id / "out" / name).read_text(encoding="utf-8")

    def cancel(self, job_id: str, viewer: Any = None) -> dict[str, Any]:
        """Delete a finished job with its reports, or cancel a queued or running one (its raw
        data is deleted as it stops)."""
        with self._transitions:
            status = self._visible(job_id, viewer)
            if status["status"] in FINISHED:
                shutil.rmtree(self.folder / job_id, ignore_errors=True)
                return {"id": job_id, "status": "deleted"}
            self._cancelled.add(job_id)
            if status["status"] == "queued":  # the worker will skip it
                self._finish(job_id, "cancelled")
            else:  # the run stops at its next progress report, and cleans up
                self._write_status(job_id, cancel_requested=True)
            return _shown(self._read_status(job_id) or {})

    def _visible(self, job_id: str, viewer: Any) -> dict[str, Any]:
        """The stored status, or 404 when there is no such job or it is another key's."""
        status = self._read_status(job_id) if _JOB_ID.match(job_id) else None
        if status is None:
            raise ApiError(404, "NOT_FOUND", "no such job")
        seen_by = (
            viewer is None or viewer.allows(ADMIN_SCOPE) or status.get("owner") == viewer.key_id
        )
        if not seen_by:
            raise ApiError(404, "NOT_FOUND", "no such job")
        return status

    # ------------------------------------------------------------------ the worker

    def _start_worker(self) -> None:
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, daemon=True, name="pulse-jobs")
                self._worker.start()

    def _work(self) -> None:
        while True:
            try:
                job_id, options = self._queue.get(timeout=5)
            except queue.Empty:
                return
            with self._transitions:
                start = job_id not in self._cancelled
                if start:
                    self._write_status(job_id, status="running", started=_stamp(_now()))
            if start:
                self._run(job_id, options)
            self._cancelled.discard(job_id)
            self.sweep()

    def _run(self, job_id: str, options: dict[str, Any]) -> None:
        from kiemchung.errors import KiemchungError, out_of_room
        from kiemchung.pulse.ingest import ColumnMapping
        from kiemchung.pulse.run import PulseRun, PulseSettings

        folder = self.folder / job_id

        def progress(stage: str, done: int) -> None:
            if job_id in self._cancelled:
                raise _Cancelled
            self._write_status(job_id, stage=stage, stage_done=done)

        try:
            source = next(folder.glob("posts.*"))
            settings = PulseSettings(
                period=options["period"], k=options["k"], n_topics=options["topics"]
            )
            mapping = ColumnMapping.from_assignments(options.get("columns", []))
            report = PulseRun(
                source,
                folder / "out",
                self.folder / "project",
                mapping,
                settings=settings,
                progress=progress,
            ).run()
            if job_id in self._cancelled:
                raise _Cancelled
            self._finish(
                job_id,
                "done",
                posts=report["input"]["posts"],
                bad_rows=report["input"]["bad_rows"],
            )
        except _Cancelled:
            shutil.rmtree(folder / "out", ignore_errors=True)
            self._finish(job_id, "cancelled")
        except KiemchungError as exc:
            self._finish(job_id, "failed", error=_without_paths(str(exc), folder))
        except Exception as exc:  # a job must never take the worker down
            full = out_of_room(exc)
            error = str(full) if full else f"internal error ({type(exc).__name__})"
            self._finish(job_id, "failed", error=error)
        finally:
            self._remove_raw(job_id)  # whatever happened, the raw data goes


def _finished_at(status: dict[str, Any]) -> _dt.datetime:
    """When the job finished (a status without a readable time: now, so it is kept)."""
    try:
        return _dt.datetime.fromisoformat(status["finished"])
    except (KeyError, TypeError, ValueError):
        return _now()


def _alive_elsewhere(pid: object) -> bool:
    """Whether ``pid`` is another process that is still running."""
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _shown(status: dict[str, Any]) -> dict[str, Any]:
    """A status as a caller sees it: without its owner's key id or the server's process."""
    return {k: v for k, v in status.items() if k not in ("owner", "pid")}


def _without_paths(message: str, folder: Path) -> str:
    """An error as the caller sees it: the server's folders named by the upload's role."""
    return message.replace(str(folder / "out"), "the job").replace(str(folder), "the job")
