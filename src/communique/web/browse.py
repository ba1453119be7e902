"""Search, facets and downloads (issue 21): ``/search`` and ``/api/search`` (full text over the
articles and the events' evidence), ``/api/facets``, and the filtered events as CSV or JSON
lines (``/events.csv``, ``/events.jsonl`` take the events page's own filters; the API's
``/api/events/download`` takes the API's), exactly the rows the filters select.
"""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from communique.store import exports
from communique.store.queries import Filters, facets
from communique.store.search import search
from communique.web.api import FilterDep
from communique.web.errors import ApiError

router = APIRouter()
DOWNLOADS: dict[str, tuple[str, str]] = {  # export format -> media type, file suffix
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
}


def download(request: Request, filters: Filters, fmt: str) -> Response:
    if fmt not in DOWNLOADS:
        raise ApiError(422, f"format is one of {', '.join(DOWNLOADS)}")
    out = io.StringIO()
    with request.app.state.reader.read() as con:
        exports.export(con, fmt, out, filters, newest=True)
    media, suffix = DOWNLOADS[fmt]
    return Response(
        out.getvalue(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="events.{suffix}"'},
    )


def run_search(request: Request, q: str, limit: int, offset: int, what: str) -> dict[str, Any]:
    try:
        return search(request.app.state.store, q, limit=limit, offset=offset, what=what)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None


@router.get("/api/search", summary="Full-text search over articles and event evidence (SQLite FTS5, BM25)")
def search_api(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description='Words, "a phrase", OR, -word, pre*')],
    what: Annotated[Literal["all", "documents", "evidence"], Query()] = "all",
    limit: Annotated[int, Query(ge=0, le=500)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    return run_search(request, q, limit, offset, what)


@router.get(
    "/api/facets", summary="Counts of the filtered events by type, status, country, sector, outlet, month"
)
def facets_api(
    request: Request, filters: FilterDep, top: Annotated[int, Query(ge=1, le=200)] = 12
) -> dict[str, Any]:
    with request.app.state.reader.read() as con:
        return facets(con, filters, top=top)


@router.get("/api/events/download", summary="The filtered events, all of them, as CSV or JSON lines")
def download_api(
    request: Request, filters: FilterDep, format: Annotated[Literal["csv", "jsonl"], Query()] = "csv"
) -> Response:
    return download(request, filters, format)


@router.get("/events.{fmt}", include_in_schema=False)
def download_page(request: Request, fmt: str) -> Response:
    from communique.web.pages import form_filters

    flt, error, _ = form_filters(request)
    if flt is None:
        raise ApiError(422, error or "bad filters")
    return download(request, flt, fmt)


@router.get("/search", include_in_schema=False)
def search_page(request: Request) -> Response:
    from communique.web.pages import render

    q = request.query_params.get("q", "").strip()
    found: dict[str, Any] | None = None
    error = None
    if q:
        try:
            found = run_search(request, q[:500], 50, 0, "all")
        except ApiError as exc:
            error = exc.message
    return render(request, "search.html", {"page": "search", "q": q, "found": found, "error": error})
