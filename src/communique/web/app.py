"""The FastAPI application: ``create_app(db)``.

* Read-only: the requests in flight share one read-only instance of the store, opened by
  the first and closed by the last (``reader.SharedReader``, which explains why not one
  connection per request), so an ingest into the same file takes its turn between them.
  ``POST /api/extract`` (``allow_extract=True``) analyses a text and returns the result;
  it writes nothing.
* Errors are JSON ``{"error": code, "message": ..., "status": n}`` under ``/api`` and for
  clients that do not ask for HTML; pages get an HTML error page. Never a traceback, a
  file path or a DuckDB message: the details go to the server log.
* Trusted hosts: a request whose ``Host`` header names none of ``allowed_hosts`` (127.0.0.1,
  localhost and ::1 unless told otherwise; ``serve --host NAME`` adds NAME) gets 400, so a
  web page cannot reach the dashboard through DNS rebinding.
* Cross-origin requests: a state-changing request (any method but GET, HEAD, OPTIONS) whose
  ``Origin`` is not this server's, or that a browser marks ``Sec-Fetch-Site: cross-site``,
  gets 403 (``Origin: null`` passes only where the browser marks the request same-origin: its
  own form under ``Referrer-Policy: no-referrer``). Clients that are no browser (curl,
  scripts) send neither and pass.
* Limits: request bodies above ``max_request_bytes`` get 413 (checked on
  ``Content-Length`` and while reading); requests without a body route are 405.
* Headers: a Content-Security-Policy that allows nothing but the app's own scripts,
  styles and images, ``nosniff``, no framing, no referrer.
* Offline: every asset is served from ``static/``; ``/docs`` is the app's own page built
  from the OpenAPI description (FastAPI's Swagger UI would load from a CDN).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from communique import __version__
from communique.settings import PipelineSettings
from communique.store.db import Store, StoreError, StoreLocked, StoreNotFound
from communique.web import api, browse, corrections, pages
from communique.web.errors import STATUS_CODES, ApiError, error_response
from communique.web.reader import SharedReader

log = logging.getLogger("communique.web")
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

DEFAULT_MAX_REQUEST_BYTES = 256 * 1024  # a POST to /api/extract or /extract
DEFAULT_WAIT = 10.0  # seconds a request waits for the store while an ingest writes
DEFAULT_EXTRACT_WAIT = 1.0  # seconds an extraction waits for the one running before it (then 503)
OTHER_BODY_LIMIT = 16 * 1024  # any other request has no business sending a body
#: The names the server answers to unless told others (``serve --host`` and ``--allowed-host`` add).
DEFAULT_ALLOWED_HOSTS = ("127.0.0.1", "localhost", "::1")
ANY_HOST = "*"  # in allowed_hosts: no Host check (a reverse proxy in front checks it)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SAME_SITE = frozenset({"same-origin", "none"})  # Sec-Fetch-Site values a browser sends for our own pages

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _body_limit(path: str, limit: int) -> int:
    return limit if path in ("/api/extract", "/extract") else OTHER_BODY_LIMIT


def host_name(value: str) -> str:
    """The host of a ``Host`` header or of an origin's authority, without its port, lower case
    ('[::1]:8000' -> '::1')."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def allowed_hosts_for(listen: str | None, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The names a server listening on ``listen`` answers to: the defaults, ``listen`` itself
    (unless it is every interface) and ``extra``."""
    names = list(DEFAULT_ALLOWED_HOSTS)
    for name in (listen, *extra):
        if name and name not in ("0.0.0.0", "::") and host_name(name) not in names:
            names.append(ANY_HOST if name == ANY_HOST else host_name(name))
    return tuple(names)


def _refusal(scope: Scope, allowed: frozenset[str]) -> tuple[int, str] | None:
    """Why this request is refused (status, message), or None: an untrusted ``Host``, or a
    state-changing request from another origin."""
    headers = {k.lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
    host = headers.get(b"host")
    if ANY_HOST not in allowed and (host is None or host_name(host) not in allowed):
        shown = "no Host header" if host is None else f"Host {host[:100]!r}"
        return 400, (
            f"{shown} is not one this server answers to ({', '.join(sorted(allowed))}); "
            "start it with --allowed-host NAME to add one"
        )
    if scope.get("method", "GET").upper() in SAFE_METHODS:
        return None
    origin = headers.get(b"origin")
    site = headers.get(b"sec-fetch-site")
    if site is not None and site.strip().lower() not in SAME_SITE:
        return 403, f"cross-origin request refused: the browser marks it {site[:30]!r}"
    if origin is not None and not (origin.strip() == "null" and site is not None):
        # 'null' with Sec-Fetch-Site same-origin: our own form under Referrer-Policy no-referrer
        parsed = urlsplit(origin.strip())
        if parsed.scheme not in ("http", "https") or host is None or parsed.netloc.lower() != host.lower():
            return 403, f"cross-origin request refused: Origin {origin[:100]!r} is not this server"
    return None


class LimitsAndHeaders:
    """Pure ASGI middleware: trusted hosts (400), cross-origin state changes (403), request
    body limits (413) and security headers."""

    def __init__(self, app: ASGIApp, max_request_bytes: int, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes
        self.allowed_hosts = frozenset(host_name(h) if h != ANY_HOST else h for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = _body_limit(scope["path"], self.max_request_bytes)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        refused = _refusal(scope, self.allowed_hosts)
        if refused is not None:
            status, why = refused
            log.warning("refused %s %s: %s", scope.get("method"), scope["path"], why)
            response = error_response(Request(scope), status, why)
            await response(scope, receive, send_with_headers)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = -1
            if size < 0 or size > limit:
                request = Request(scope)
                message = (
                    "the Content-Length header is not a number"
                    if size < 0
                    else f"the request body is too large: {size:,} bytes, at most {limit:,} are accepted"
                )
                response = error_response(request, 400 if size < 0 else 413, message, {"connection": "close"})
                await response(scope, receive, send_with_headers)
                return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise ApiError(
                        413, f"the request body is too large: at most {limit:,} bytes are accepted"
                    )
            return message

        await self.app(scope, counting_receive, send_with_headers)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.reader.close()


def create_app(
    db: str | Path | Store,
    *,
    allow_extract: bool = False,
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    wait: float = DEFAULT_WAIT,
    pipeline: Any = None,
    pipeline_options: PipelineSettings | Mapping[str, Any] | None = None,
    linger: float = 1.0,
    allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS,
    extract_wait: float = DEFAULT_EXTRACT_WAIT,
    allow_corrections: bool = False,
) -> FastAPI:
    """The dashboard and API over the store ``db``.

    ``allow_extract`` enables ``POST /api/extract`` and the paste page, analysing with
    ``pipeline`` (a loaded ``communique.pipeline.Pipeline``, else one made from
    ``pipeline_options`` on first use: a ``PipelineSettings`` or its keyword arguments);
    ``max_request_bytes`` bounds their request body;
    ``wait`` is how long a request waits for the store while an ingest holds it;
    ``linger``, how long the store stays open after the last request (closed at once when
    an ingest is waiting; see ``reader``); ``allowed_hosts``, the names the ``Host`` header
    may give (``allowed_hosts_for`` makes them; "*" turns the check off); ``extract_wait``,
    how long an extraction waits for the one running before it answers 503;
    ``allow_corrections`` lets the dashboard and ``/api/corrections`` write corrections.
    """
    store = db if isinstance(db, Store) else Store(db, timeout=wait)
    app = FastAPI(
        title="communique",
        version=__version__,
        summary="Political events (PLOVER/CAMEO), actors and quotes extracted from news: a read-only API.",
        description=(
            "Every list endpoint takes `limit` and `offset`. Filters: `source`, `target` (a country code "
            "such as USA or a resolved actor name), `actor` (either side), `type`, `status`, `since`, "
            "`until` (YYYY-MM-DD), `quad`, `cameo`, `context`, `min_confidence`. Errors are "
            '`{"error": code, "message": text, "status": n}`.'
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=_lifespan,
    )
    app.state.store = store
    app.state.reader = SharedReader(store, linger=linger)
    app.state.allow_extract = bool(allow_extract)
    app.state.allow_corrections = bool(allow_corrections)
    app.state.max_request_bytes = int(max_request_bytes)
    app.state.pipeline = pipeline
    app.state.pipeline_settings = PipelineSettings.of(pipeline_options)
    app.state.pipeline_lock = threading.Lock()
    app.state.extract_lock = threading.Lock()
    app.state.extract_wait = max(0.0, float(extract_wait))
    app.state.extract_counts = {"busy": 0, "cancelled": 0}  # for the log and the tests
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals.update(
        allow_extract=app.state.allow_extract,
        allow_corrections=app.state.allow_corrections,
        version=__version__,
        **corrections.form_choices(),
    )
    app.state.templates = templates

    pages.setup_templates(templates)
    app.include_router(api.router)
    app.include_router(corrections.router)
    app.include_router(browse.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(
        LimitsAndHeaders, max_request_bytes=int(max_request_bytes), allowed_hosts=tuple(allowed_hosts)
    )

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else STATUS_CODES.get(exc.status_code, "error")
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}: this server is read-only"
        return error_response(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            problems.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg")))
        return error_response(request, 422, "; ".join(problems) or "the request is not valid")

    @app.exception_handler(StoreNotFound)
    async def _no_store(request: Request, exc: StoreNotFound) -> Response:
        log.warning("store missing: %s", exc)
        return error_response(
            request, 503, "the event store has not been created yet: ingest some articles first"
        )

    @app.exception_handler(StoreLocked)
    async def _locked(request: Request, exc: StoreLocked) -> Response:
        log.warning("store busy: %s", exc)
        return error_response(
            request,
            503,
            "the event store is busy (an ingest is writing); try again shortly",
            {"retry-after": "2"},
        )

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error: %s", exc)
        return error_response(request, 503, "the event store cannot be read; see the server log")

    @app.exception_handler(duckdb.Error)
    async def _duckdb_error(request: Request, exc: duckdb.Error) -> Response:
        log.exception("query failed", exc_info=exc)
        return error_response(request, 500, "the event store could not answer; see the server log")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request, 500, "internal error; see the server log")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml")

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> Response:
        return templates.TemplateResponse(
            request, "docs.html", {"page": "docs", "spec": pages.describe_openapi(app.openapi())}
        )

    return app
