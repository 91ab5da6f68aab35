"""The HTTP service: ``kiemchung serve`` runs :func:`create_app` on uvicorn.

Routes (each group behind its API-key scope): ``/v1/analyze`` (analyze), ``/v1/guard`` (guard),
``/v1/check`` and ``/v1/verify`` (check), ``/v1/kb/search`` and ``/v1/kb/stats`` (kb:read),
``/v1/kb/documents`` (kb:write), ``/v1/pulse/jobs`` (pulse), the Perspective-compatible
``/v1alpha1/comments:analyze`` (analyze); open: ``/healthz``, ``/metrics``, ``/openapi.json``,
``/docs`` and the web page at ``/``. Like the CLI, the routes only build Documents, run analyzers
and return Reports (docs/design.md); every error is the JSON of :mod:`kiemchung.api.errors`.
"""

from __future__ import annotations

import datetime as _dt
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.security import APIKeyHeader, APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from kiemchung.api import DEFAULT_RETENTION_HOURS
from kiemchung.api.errors import ApiError, install_error_handlers
from kiemchung.api.gate import ModelLane
from kiemchung.api.keys import ApiKey, KeyStore
from kiemchung.api.limits import BodySizeLimit, RateLimiter, retry_after
from kiemchung.api.metrics import Metrics
from kiemchung.api.observe import ObserveAnswers
from kiemchung.api.perspective import AnalyzeCommentRequest
from kiemchung.guard.redact import RedactMode

MAX_TEXT = 100_000  # characters per text in a JSON call


@dataclass
class ServerSettings:
    """What ``kiemchung serve`` was started with."""

    keys_path: Path | None = None
    no_auth: bool = False
    kb_path: Path | None = None  # None: the bundled demo knowledge base
    jobs_dir: Path = Path("pulse-jobs")
    max_body: int = 1_000_000
    max_upload: int = 200_000_000
    warm: bool = True
    job_retention_hours: float = DEFAULT_RETENTION_HOURS  # 0: finished jobs are kept


@dataclass
class ServiceState:
    settings: ServerSettings
    keys: KeyStore | None
    limiter: RateLimiter = field(default_factory=RateLimiter)
    metrics: Metrics = field(default_factory=Metrics)
    started: float = field(default_factory=time.time)
    _local: threading.local = field(default_factory=threading.local)
    _kb_path: Path | None = None
    _kb_lock: threading.Lock = field(default_factory=threading.Lock)
    jobs: Any = None
    compute: ModelLane = field(default_factory=ModelLane)  # one model call at a time, in turn

    def knowledge_base(self):
        """This thread's connection to the knowledge base (SQLite connections stay in the
        thread that made them)."""
        from kiemchung.verify.kb import open_knowledge_base

        kb = getattr(self._local, "kb", None)
        if kb is None:
            with self._kb_lock:
                if self._kb_path is None:
                    self._kb_path = self._resolve_kb()
            kb = open_knowledge_base(self._kb_path)  # one embedder for every thread
            self._local.kb = kb
        return kb

    def _resolve_kb(self) -> Path:
        if self.settings.kb_path is not None:
            return self.settings.kb_path
        from kiemchung.verify.check import demo_knowledge_base

        demo = demo_knowledge_base()
        path = demo.path
        demo.close()
        return path


# ------------------------------------------------------------------------------ auth

_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer kc_…")
_header = APIKeyHeader(name="X-API-Key", auto_error=False)
_query = APIKeyQuery(name="key", auto_error=False, description="As Perspective's ?key=")


def _state(request: Request) -> ServiceState:
    return request.app.state.kiemchung


def require(scope: str):
    """A dependency that lets a request through with a key allowing ``scope``, within its
    rate limit (always, with ``--no-auth``). It runs on the event loop: a key lookup takes a
    few microseconds, less than the hop to a worker thread would cost."""

    async def check(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        header: Annotated[str | None, Depends(_header)],
        query: Annotated[str | None, Depends(_query)],
    ) -> ApiKey | None:
        state = _state(request)
        if state.settings.no_auth:
            return None
        token = (bearer.credentials if bearer else None) or header or query
        if not token:
            raise ApiError(
                401, "UNAUTHENTICATED", "an API key is required (Authorization: Bearer kc_…)"
            )
        key = state.keys.verify(token) if state.keys else None
        if key is None:
            raise ApiError(401, "UNAUTHENTICATED", "the API key is not valid")
        if not key.allows(scope):
            raise ApiError(403, "PERMISSION_DENIED", f"this key is not allowed the {scope} scope")
        wait = state.limiter.acquire(key.key_id, key.rate_per_minute)
        if wait:
            raise ApiError(
                429,
                "RESOURCE_EXHAUSTED",
                f"rate limit of {key.rate_per_minute} requests per minute reached",
                {"Retry-After": retry_after(wait)},
            )
        return key

    return Depends(check)


#: The key calling a Pulse route (None with ``--no-auth``): jobs belong to the key that made them.
PulseKey = Annotated[ApiKey | None, require("pulse")]


# ------------------------------------------------------------------------------ bodies


class TextRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="UTF-8 text.")


class AnalyzeRequest(TextRequest):
    analyzers: list[str] | None = Field(
        default=None, max_length=20, description="Analyzer names (default: the default set)."
    )


class GuardRequest(TextRequest):
    redact: RedactMode | None = None
    salt: str | None = Field(default=None, max_length=200)


class CheckRequest(TextRequest):
    k: int = Field(default=5, ge=1, le=20)
    reviews: bool = True
    encoder: bool = Field(default=False, description="judge with the cross-encoder's model")


class VerifyRequest(BaseModel):
    claim: str = Field(min_length=1, max_length=MAX_TEXT)
    evidence: str = Field(min_length=1, max_length=MAX_TEXT)
    fast: bool = Field(default=False, description="judge with the fast logistic model alone")


class KbDocument(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    title: str = Field(default="", max_length=1000)
    url: str = Field(default="", max_length=2000)
    source: str = Field(default="", max_length=200)
    published: str = Field(default="", max_length=40)


class KbAddRequest(BaseModel):
    documents: list[KbDocument] = Field(min_length=1, max_length=200)


# ------------------------------------------------------------------------------ the app


def _document(text: str):
    from kiemchung.pipeline import make_document

    return make_document(text)


@asynccontextmanager
async def _warm_up(app: FastAPI):
    """Load the default analyzers' models before the first request, which should not pay for
    them (the server answers /healthz only once they are in)."""
    import kiemchung

    kiemchung.analyze("khởi động máy chủ")
    kiemchung.analyze("khởi động", ["moderation"])
    kiemchung.analyze("khởi động", ["moderation", "language"])
    # the knowledge base (the demo one is built on first use) gets ready in the background
    threading.Thread(target=app.state.kiemchung.knowledge_base, daemon=True).start()
    yield


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """The FastAPI app; ``settings`` as ``kiemchung serve`` parsed them."""
    from kiemchung import __version__
    from kiemchung.api.jobs import PulseJobs

    settings = settings or ServerSettings(no_auth=True)
    if not settings.no_auth and settings.keys_path is None:
        raise ApiError(500, "FAILED_PRECONDITION", "a keys file is needed unless --no-auth")
    app = FastAPI(
        lifespan=_warm_up if settings.warm else None,
        title="kiemchung",
        version=__version__,
        description="Vietnamese-first moderation, verification, leak guard and Pulse.",
        docs_url=None,
        redoc_url=None,
    )
    state = ServiceState(settings, KeyStore(settings.keys_path) if settings.keys_path else None)
    hours = settings.job_retention_hours
    state.jobs = PulseJobs(settings.jobs_dir, _dt.timedelta(hours=hours) if hours else None)
    app.state.kiemchung = state
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimit, default=settings.max_body, limits={"/v1/pulse/jobs": settings.max_upload}
    )
    app.add_middleware(ObserveAnswers, metrics=state.metrics)

    _routes(app, state)
    web = Path(str(files("kiemchung") / "web"))
    app.mount("/static", StaticFiles(directory=web), name="static")
    return app


def _routes(app: FastAPI, state: ServiceState) -> None:
    from kiemchung import __version__

    @app.get("/healthz", tags=["service"])
    async def healthz() -> dict[str, Any]:  # on the event loop: never queued behind the models
        """Liveness: the version and seconds since start."""
        return {
            "status": "ok",
            "version": __version__,
            "uptime": round(time.time() - state.started, 1),
        }

    @app.get("/metrics", tags=["service"], response_class=PlainTextResponse)
    def metrics() -> str:
        """Prometheus text format: requests by route and status, latency histograms."""
        return state.metrics.render()

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def page() -> str:
        return (files("kiemchung") / "web" / "index.html").read_text(encoding="utf-8")

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> str:
        return (files("kiemchung") / "web" / "docs.html").read_text(encoding="utf-8")

    @app.post("/v1/analyze", tags=["analyze"], dependencies=[require("analyze")])
    async def analyze(body: AnalyzeRequest) -> dict[str, Any]:
        """Run analyzers over a text: a Report (docs/report.schema.json)."""
        import kiemchung
        from kiemchung.pipeline import available_analyzers

        if body.analyzers is not None:
            unknown = sorted(set(body.analyzers) - set(available_analyzers()))
            if unknown or not body.analyzers:
                raise ApiError(
                    400,
                    "INVALID_ARGUMENT",
                    f"unknown analyzer(s) {', '.join(unknown) or '(none)'}; "
                    f"available: {', '.join(available_analyzers())}",
                )
        report = await state.compute.run(kiemchung.analyze, body.text, body.analyzers)
        return report.to_dict()

    @app.post("/v1/guard", tags=["guard"], dependencies=[require("guard")])
    def guard(body: GuardRequest) -> dict[str, Any]:
        """Personal data, confidentiality markings and credentials; optionally redacted."""
        import kiemchung
        from kiemchung.guard.redact import redact

        findings = kiemchung.find_leaks(body.text)  # light and fast: not held by the gate
        answer: dict[str, Any] = {"findings": [f.to_dict() for f in findings]}
        if body.redact:
            answer["redacted"] = redact(body.text, findings, body.redact, body.salt)
        return answer

    @app.post("/v1/check", tags=["check"], dependencies=[require("check")])
    async def check(body: CheckRequest) -> dict[str, Any]:
        """Check-worthy claims with verdicts citing their evidence (the server's knowledge
        base)."""
        import kiemchung

        _document(body.text)  # the same input rules as /v1/analyze

        def judge():  # on the lane's thread, which keeps its own connection to the base
            return kiemchung.check(
                body.text,
                state.knowledge_base(),
                k=body.k,
                use_reviews=body.reviews,
                encoder=body.encoder,
            )

        return (await state.compute.run(judge)).to_dict()

    @app.post("/v1/verify", tags=["check"], dependencies=[require("check")])
    async def verify(body: VerifyRequest) -> dict[str, Any]:
        """SUPPORTED, REFUTED or NOT_ENOUGH_INFO for a claim against evidence the caller brings,
        with the probabilities and the reason (``kiemchung.verify_pair``)."""
        import kiemchung

        for text in (body.claim, body.evidence):
            _document(text)  # the same input rules as /v1/analyze
        from kiemchung.verify.verdict import ARTIFACT_NAME, FAST_ARTIFACT_NAME

        model = FAST_ARTIFACT_NAME if body.fast else ARTIFACT_NAME
        finding = await state.compute.run(
            kiemchung.verify_pair, body.claim, body.evidence, model_name=model
        )
        return finding.to_dict()

    @app.get("/v1/kb/search", tags=["kb"], dependencies=[require("kb:read")])
    def kb_search(
        q: Annotated[str, Query(min_length=1, max_length=2000)],
        k: Annotated[int, Query(ge=1, le=50)] = 5,
        mode: Annotated[Literal["hybrid", "lexical", "dense"], Query()] = "hybrid",
    ) -> dict[str, Any]:
        """The best passages for a query, with their documents' title, url, source and date."""
        from kiemchung.verify.retrieve import search

        kb = state.knowledge_base()
        if mode == "hybrid" and kb.embedder is None:
            mode = "lexical"
        if not q.strip():
            raise ApiError(400, "INVALID_ARGUMENT", "q must hold some text")
        hits = search(kb, q, k=k, mode=mode)
        return {"query": q, "mode": mode, "hits": [h.to_dict() for h in hits]}

    @app.get("/v1/kb/stats", tags=["kb"], dependencies=[require("kb:read")])
    def kb_stats() -> dict[str, Any]:
        """Counts of documents, passages and reviews in the server's knowledge base (named by
        its file name: the server's folders are not the caller's business)."""
        stats = state.knowledge_base().stats()
        return {**stats, "path": Path(stats["path"]).name}

    @app.post("/v1/kb/documents", tags=["kb"], dependencies=[require("kb:write")])
    def kb_add(body: KbAddRequest) -> dict[str, Any]:
        """Add documents (deduplicated by content); one transaction per batch."""
        from kiemchung.verify.kb.ingest import SourceDocument

        documents = [SourceDocument(**d.model_dump()) for d in body.documents]
        result = state.knowledge_base().add(documents)
        return {"added": result.added, "duplicates": result.duplicates, "passages": result.passages}

    @app.post("/v1/pulse/jobs", tags=["pulse"], status_code=202)
    def pulse_submit(
        key: PulseKey,
        posts: Annotated[UploadFile, File(description="Posts as .jsonl, .csv or .parquet")],
        period: Annotated[Literal["day", "week"], Form()] = "day",
        k: Annotated[int, Form(ge=2, le=1000)] = 10,
        topics: Annotated[int | None, Form(ge=2, le=200)] = None,
        columns: Annotated[
            str | None,
            Form(
                max_length=1000,
                description="Column mapping, e.g. text=message,author=user_id (FIELD=COLUMN).",
            ),
        ] = None,
    ) -> dict[str, Any]:
        """Queue a Pulse run over an uploaded file; poll its status, then fetch its report."""
        from kiemchung.pulse.ingest import ColumnMapping

        assignments = [a for a in (columns or "").split(",") if a.strip()]
        ColumnMapping.from_assignments(assignments)  # a bad mapping is refused now, not later
        owner = key.key_id if key else None
        return state.jobs.submit(
            posts, owner, period=period, k=k, topics=topics, columns=assignments
        )

    @app.get("/v1/pulse/jobs/{job_id}", tags=["pulse"])
    def pulse_status(job_id: str, key: PulseKey) -> dict[str, Any]:
        """A job's status: queued, running, done, failed (with the reason) or cancelled. Only
        the key that made the job (or an ``admin`` key) sees it; others get 404."""
        return state.jobs.status(job_id, key)

    @app.delete("/v1/pulse/jobs/{job_id}", tags=["pulse"])
    def pulse_delete(job_id: str, key: PulseKey) -> dict[str, Any]:
        """Cancel a queued or running job, or delete a finished one with its reports."""
        return state.jobs.cancel(job_id, key)

    @app.get("/v1/pulse/jobs/{job_id}/report", tags=["pulse"])
    def pulse_report(job_id: str, key: PulseKey) -> Response:
        """A finished job's report.json."""
        report = state.jobs.report(job_id, "report.json", key)
        return Response(report, media_type="application/json")

    @app.get("/v1/pulse/jobs/{job_id}/report.html", tags=["pulse"], response_class=HTMLResponse)
    def pulse_report_html(job_id: str, key: PulseKey) -> Response:
        """A finished job's self-contained HTML report."""
        return HTMLResponse(state.jobs.report(job_id, "report.html", key))

    @app.post("/v1alpha1/comments:analyze", tags=["perspective"], dependencies=[require("analyze")])
    async def perspective(body: AnalyzeCommentRequest) -> dict[str, Any]:
        """Perspective API's comments:analyze, answered by the Vietnamese moderation model."""
        import kiemchung
        from kiemchung.api.perspective import respond, validate

        validate(body)
        text = body.comment.text
        if body.comment.type == "HTML":  # score what a reader sees, not the markup
            from kiemchung.text.html import visible_text

            text = visible_text(text)[0]
        report = await state.compute.run(kiemchung.analyze, text, ["moderation", "language"])
        detected = next(f.label for f in report.findings if f.analyzer == "language")
        return respond(body, report, detected, text)
