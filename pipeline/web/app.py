"""The web page's JSON API (FastAPI), with its OpenAPI description at /api/openapi.json.

Every pipeline stage is called, never re-implemented. Heavy endpoints are plain ``def``
functions, so FastAPI runs them in its thread pool; the guideline index is opened once per
process. Nothing is stored: the page keeps the draft and sends it back to validate or export.
Errors are JSON ``{"error": "one line"}`` — never a stack trace.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import anyio.from_thread
from fastapi import Body, FastAPI, Query, Request
from fastapi import HTTPException as BodyError
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..appeal import schedule
from ..appeal._cases import CaseRow, case_rows, cases_html
from ..casefile import parse_case
from ..caseinit import criterion_guide, init_case
from ..engines import Engine, get_engine
from ..errors import DraftRejected, EngineError, GapsError, InputError, LmnError, first_error
from ..exporters import Export, Exporter, exporters
from ..ingest import ingest, ingest_text
from ..models import CaseFacts
from ..pipeline import Pipeline
from ..retrieve import Index, get_index
from ..seal import is_sealed
from ..validate import validate_markdown
from .middleware import BodyLimit, SameOrigin, SecurityHeaders
from .review import gap_map, review
from .schemas import (
    AnalyzeRequest,
    AnalyzeResponse,
    CaseInitRequest,
    CaseInitResponse,
    CaseText,
    DraftRequest,
    DraftResponse,
    ErrorBody,
    ExportRequest,
    Health,
    LetterText,
    Review,
    ValidateRequest,
)

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
EXPORT_NAME = "letter-of-medical-necessity"
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad input: the message says what to fix."},
    413: {
        "model": ErrorBody,
        "description": "The request is larger than 2 MB (an uploaded letter file: 20 MB).",
    },
    422: {"model": ErrorBody, "description": "Invalid body, missing facts or a rejected draft."},
    503: {"model": ErrorBody, "description": "The engine or the guideline index failed."},
}


class _IndexHolder:
    """The guideline index, opened on first use and kept for the life of the process."""

    def __init__(self, index_dir: Path | None) -> None:
        self.index_dir = index_dir
        self._index: Index | None = None
        self._lock = threading.Lock()

    def get(self) -> Index:
        with self._lock:
            if self._index is None:
                self._index = get_index(self.index_dir)
            return self._index


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _TextRequest(Request):
    """A request whose JSON body is refused when it holds a lone surrogate ("\\ud800"):
    such text cannot be encoded, so it would fail deep in the pipeline or in the answer."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            data = json.loads(await self.body())
            stack = [data]
            while stack:
                value = stack.pop()
                if isinstance(value, str) and _LONE_SURROGATE.search(value):
                    raise BodyError(
                        400,
                        "the request holds an invalid \\u escape (a lone surrogate): "
                        "send the text as plain UTF-8",
                    )
                if isinstance(value, dict):
                    stack += [*value.keys(), *value.values()]
                elif isinstance(value, list):
                    stack += value
            self._json = data
        return self._json


class _TextRoute(APIRoute):
    """Routes that read JSON bodies through :class:`_TextRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            return await handler(_TextRequest(request.scope, request.receive))

        return route


@dataclass(frozen=True)
class EngineChoice:
    """The server's engine settings, as on the command line (None: environment or config)."""

    name: str | None = None
    model: str | None = None
    base_url: str | None = None

    def make(self) -> Engine:
        """The server's engine (engines keep no per-draft state: one serves every request)."""
        return get_engine(self.name, model=self.model, base_url=self.base_url)


def create_app(
    engine: EngineChoice | str | None = None,
    *,
    index_dir: Path | None = None,
    allowed_hosts: frozenset[str] = frozenset(),
) -> FastAPI:
    """The app. ``engine`` is the default engine (checked now: a bad name or setting is an
    InputError); ``index_dir`` the index's folder (default: $LMN_INDEX_DIR or user data);
    ``allowed_hosts`` host names accepted besides IP literals and localhost (see SameOrigin)."""
    choice = engine if isinstance(engine, EngineChoice) else EngineChoice(engine)
    default = choice.make()
    app = FastAPI(
        title="lmn",
        summary="From a denial letter and the case facts to a validated Letter of Medical "
        "Necessity.",
        version="0.1.0",
        docs_url=None,  # Swagger UI loads scripts from a CDN; the page must work offline
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.router.route_class = _TextRoute
    app.state.engine = default
    app.state.engine_name = default.name
    app.state.index = _IndexHolder(index_dir)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit)
    app.add_middleware(SameOrigin, allowed_hosts=allowed_hosts)
    _add_error_handlers(app)
    _add_routes(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def warm_up(app: FastAPI) -> Index:
    """Open (and on first run build) the guideline index before serving, and read into
    memory what every draft's retrieval needs (BM25 index, stored vectors)."""
    return app.state.index.get().prepare()


# --------------------------------------------------------------------------- errors


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    body = ErrorBody(error=message, **extra).model_dump(exclude_none=True, mode="json")
    return JSONResponse(body, status_code=status)


def _status_of(exc: LmnError) -> int:
    if isinstance(exc, GapsError | DraftRejected):
        return 422
    if isinstance(exc, EngineError):
        return 503
    return 400


def _one_line(exc: RequestValidationError) -> str:
    """'case.patient.nme: unknown field (and 1 more)' from FastAPI's validation errors."""
    errors = exc.errors()
    if not errors:
        return "the request body is not valid"
    if errors[0].get("type") == "json_invalid":
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"body: not valid JSON{more}"
    return first_error(errors, drop=("body",), root="body")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LmnError)
    async def lmn_error(_: Request, exc: LmnError) -> JSONResponse:
        extra: dict[str, Any] = {}
        if isinstance(exc, GapsError):
            extra["gaps"] = exc.gaps
        if isinstance(exc, DraftRejected):
            extra["findings"] = [f.model_dump(mode="json") for f in exc.report.findings]
        return _error(_status_of(exc), str(exc), **extra)

    @app.exception_handler(RequestValidationError)
    async def invalid_body(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _one_line(exc))

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            message = "not found"
        return _error(exc.status_code, message)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        # The type only: messages and tracebacks may quote letter text (PHI).
        log.error("internal error on %s: %s", request.url.path, type(exc).__name__)
        if os.environ.get("LMN_DEBUG"):
            log.exception("details")
        return _error(500, f"internal error ({type(exc).__name__}); please report it")


# --------------------------------------------------------------------------- routes


def _engine(app: FastAPI, name: str | None) -> Engine:
    """The engine a request names; the server's own settings apply to the server's engine."""
    if not name or name == app.state.engine_name:
        return app.state.engine
    return get_engine(name)


def _attachment(data: bytes, media_type: str, suffix: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{EXPORT_NAME}{suffix}"'},
    )


def _add_routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/api/health", response_model=Health, tags=["meta"])
    def health() -> Health:
        """The server is up; its default engine."""
        return Health(engine=app.state.engine_name)

    @app.post("/api/letter", response_model=LetterText, responses=_ERRORS, tags=["letter"])
    def upload_letter(
        request: Request,
        data: Annotated[bytes, Body(media_type="application/octet-stream")] = b"",
        filename: Annotated[str, Query(max_length=255)] = "letter.txt",
    ) -> LetterText:
        """An uploaded letter as normalized text: .txt or .md (up to 2 MB), a PDF (its text
        layer, else OCR) or a scan or fax (PNG, JPEG, TIFF; read by OCR), up to 20 MB, read in a
        child process under page, time and memory caps."""
        name = Path(filename).name or "letter"

        def gone() -> bool:  # polled while a PDF is read: stop when the client has left
            return bool(anyio.from_thread.run(request.is_disconnected))

        try:
            letter = ingest("-", stdin=io.BytesIO(data), stop=gone)
        except InputError as exc:
            raise InputError(str(exc).replace("<stdin>", name, 1)) from None
        return LetterText(
            text=letter.text,
            media_type=letter.media_type,
            pages=letter.pages,
            ocr=letter.ocr is not None,
            warnings=letter.warnings,
        )

    @app.post("/api/analyze", response_model=AnalyzeResponse, responses=_ERRORS, tags=["letter"])
    def analyze(body: AnalyzeRequest) -> AnalyzeResponse:
        """What the denial says: categories, criteria, codes, plan type, deadline."""
        pipeline = Pipeline(_engine(app, body.engine))
        analysis = pipeline.run(body.letter, None, until="extract").analysis
        today = dt.date.today()
        deadline = analysis.appeal_deadline
        return AnalyzeResponse(
            analysis=analysis,
            today=today,
            days_left=(deadline - today).days if deadline else None,
            appeal=schedule(analysis, body.letter),
        )

    @app.get("/api/cases", response_model=list[CaseRow], tags=["cases"])
    def cases() -> list[CaseRow]:
        """The appeals tracked with `lmn cases`, each with its next open deadline."""
        return case_rows(dt.date.today())

    @app.get("/cases", include_in_schema=False)
    def cases_page() -> HTMLResponse:
        """A minimal list of the tracked appeals."""
        return HTMLResponse(cases_html(case_rows(dt.date.today())))

    @app.post("/api/case", response_model=CaseFacts, responses=_ERRORS, tags=["case"])
    def parse_case_file(body: CaseText) -> CaseFacts:
        """A case file's YAML or JSON text as case facts (one-line errors for typos)."""
        name = Path(body.filename).name or "case"
        return parse_case(body.text, name, as_json=name.lower().endswith(".json"))

    @app.post(
        "/api/case/init", response_model=CaseInitResponse, responses=_ERRORS, tags=["case"]
    )
    def start_case(body: CaseInitRequest) -> CaseInitResponse:
        """A case file started from the denial: what it says filled in, the rest marked TODO,
        and what each criterion needs documented."""
        letter = ingest_text(body.letter)
        analysis = Pipeline(_engine(app, body.engine)).run(letter, None, until="extract").analysis
        text = init_case(letter, analysis)
        return CaseInitResponse(
            yaml=text,
            case=parse_case(text, "case.yaml"),
            criteria=[criterion_guide(n, c) for n, c in enumerate(analysis.criteria, 1)],
        )

    @app.post("/api/draft", response_model=DraftResponse, responses=_ERRORS, tags=["letter"])
    def draft(body: DraftRequest) -> DraftResponse:
        """Draft the letter, validate it, and map each criterion to the case's evidence."""
        pipeline = Pipeline(_engine(app, body.engine), index=app.state.index.get(), k=body.k)
        outcome = pipeline.run(
            ingest_text(body.letter), body.case, allow_gaps=body.allow_gaps, today=body.date
        )
        result = outcome.draft
        assert result is not None and result.validation is not None  # a case was given
        return DraftResponse(
            draft=result,
            gap_map=gap_map(result.analysis, result.case, outcome.arguments, result.gaps),
            review=review(result.markdown, result, result.validation),
        )

    @app.post("/api/validate", response_model=Review, responses=_ERRORS, tags=["letter"])
    def validate_letter(body: ValidateRequest) -> Review:
        """Validate an edited letter against the draft it came from (which must be the one
        /api/draft returned: its context is sealed, and a changed one is refused)."""
        if not is_sealed(body.draft):
            raise InputError(
                "the draft sent back is not the one this server drafted (its letter, case or "
                "analysis was changed): draft the letter again"
            )
        report = validate_markdown(body.markdown, body.draft)
        return review(body.markdown, body.draft, report)

    for chosen in exporters():
        _add_export_route(app, chosen)


def _add_export_route(app: FastAPI, chosen: Exporter) -> None:
    """``POST /api/export/<name>``: the letter in that format, as an attachment."""

    def export(body: ExportRequest) -> Response:
        data = chosen.render(
            Export(markdown=body.markdown, draft=body.draft, letterhead=body.letterhead)
        )
        return _attachment(data, chosen.media_type, chosen.suffix)

    export.__doc__ = f"{chosen.description} ({chosen.name})"
    app.post(
        f"/api/export/{chosen.name}",
        response_class=Response,
        responses={200: {"content": {chosen.media_type: {}}}, **_ERRORS},
        tags=["export"],
        name=f"export_{chosen.name}",
    )(export)
