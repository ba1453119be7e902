"""The JSON API under ``/api`` (listed, with every parameter, at ``/docs`` and ``/openapi.json``).

Every endpoint but ``/api/extract`` reads the store: one read-only connection for the
request, closed before the response is sent. List endpoints take ``limit`` (at most 500)
and ``offset`` and say ``next_offset`` (null on the last page); events and documents also
``total``. Bad parameters are 422, unknown ids 404, a store not yet created or held too
long by an ingest 503, all as ``{"error": code, "message": text, "status": n}``. A query
parameter an endpoint does not take is a 422 naming it; every filter value is checked
against its vocabulary (``communique.vocabulary``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from communique.models import Result
from communique.store.db import Connection
from communique.store.queries import (
    STATUSES,
    Filters,
    dyads,
    parse_bbox,
    parse_dyad,
    query_clusters,
    query_quotes,
    store_info,
    top_actors,
)
from communique.store.timeline import alerts, timeline
from communique.web import data
from communique.web.errors import ApiError
from communique.web.extract import ExtractRequest, extract_guarded, parse_extract_body, require_extract
from communique.web.glossary import glossary


class ErrorBody(BaseModel):
    error: str = Field(description="A code: not_found, invalid_request, too_large, unavailable ...")
    message: str = Field(description="What went wrong, in plain words.")
    status: int = Field(description="The HTTP status.")


ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "A parameter is not valid."},
    503: {"model": ErrorBody, "description": "The store does not exist yet, or an ingest held it too long."},
}


def _query_params(dependant: Any) -> Iterator[str]:
    yield from (param.alias for param in dependant.query_params)
    for sub in dependant.dependencies:
        yield from _query_params(sub)


def _known_params(route: Any) -> frozenset[str]:
    """The query parameters an endpoint takes, its dependencies' included (worked out once)."""
    known = getattr(route, "_communique_params", None)
    if known is None:
        known = frozenset(_query_params(route.dependant))
        route._communique_params = known
    return known


def reject_unknown_params(request: Request) -> None:
    """An unknown query parameter (``?country=``, ``?q=``) is a 422 that names it, not a
    filter silently left out: the answer would be everything."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    known = _known_params(route)
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        takes = ", ".join(sorted(known)) or "no parameters"
        raise ApiError(422, f"unknown parameter {unknown[0]!r}: {request.url.path} takes {takes}")


router = APIRouter(prefix="/api", responses=ERRORS, dependencies=[Depends(reject_unknown_params)])

Freq = Literal["day", "week", "month", "quarter", "year"]
Unit = Literal["clusters", "events"]
Limit = Annotated[int, Query(ge=0, le=data.MAX_LIMIT, description="At most this many items.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many items first.")]
DyadParam = Annotated[
    str | None, Query(description="SOURCE-TARGET, e.g. USA-IRN (country codes or resolved names).")
]


@contextmanager
def reading(request: Request) -> Iterator[Connection]:
    """The store, read-only, for this request; a bad value in a question is a 422."""
    with request.app.state.reader.read() as con:
        try:
            yield con
        except ValueError as exc:
            raise ApiError(422, str(exc)) from None


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def filter_params(
    source: Annotated[str | None, Query(max_length=200, description="Source actor: USA or a name.")] = None,
    target: Annotated[str | None, Query(max_length=200, description="Target actor: IRN or a name.")] = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="An actor on either side (not with source/target).")
    ] = None,
    undirected: Annotated[bool, Query(description="Match source and target either way round.")] = False,
    types: Annotated[
        list[str] | None, Query(alias="type", description="PLOVER types; repeat or comma-separate.")
    ] = None,
    statuses: Annotated[
        list[str] | None, Query(alias="status", description=f"{', '.join(STATUSES)} or all; repeatable.")
    ] = None,
    modes: Annotated[
        list[str] | None, Query(alias="mode", description="PLOVER modes (visit, aerial ...); repeatable.")
    ] = None,
    sectors: Annotated[
        list[str] | None,
        Query(alias="sector", description="PLOVER sectors of the source or target (MIL ...); repeatable."),
    ] = None,
    since: Annotated[
        str | None, Query(max_length=10, description="Documents dated on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[str | None, Query(max_length=10, description="Documents dated on or before.")] = None,
    doc_id: Annotated[
        str | None, Query(alias="doc", max_length=300, description="One document's id.")
    ] = None,
    quad: Annotated[list[int] | None, Query(description="Quad class 1-4; repeatable.")] = None,
    cameo: Annotated[str | None, Query(max_length=8, description="CAMEO code prefix (19, 190).")] = None,
    context: Annotated[str | None, Query(max_length=50, description="PLOVER context, e.g. military.")] = None,
    min_confidence: Annotated[
        float | None, Query(ge=0, le=1, description="Coder's confidence at least.")
    ] = None,
    location_country: Annotated[
        str | None, Query(max_length=3, description="Where the event happened: ISO3 country, e.g. SYR.")
    ] = None,
    location_admin1: Annotated[
        str | None, Query(max_length=200, description="Where it happened: first-level division, e.g. Texas.")
    ] = None,
    bbox: Annotated[
        str | None,
        Query(max_length=100, description="Where it happened: west,south,east,north in degrees."),
    ] = None,
) -> Filters:
    if actor and actor.strip():
        if (source and source.strip()) or (target and target.strip()):
            raise ApiError(422, "actor matches either side: give it alone, or source and target")
        source, undirected = actor, True
    given = _split(statuses)
    try:
        return Filters(
            source=source,
            target=target,
            undirected=undirected,
            types=_split(types),
            modes=_split(modes),
            sectors=_split(sectors),
            statuses=given or None,
            since=since,
            until=until,
            doc_id=doc_id,
            quad_classes=tuple(quad or ()),
            cameo=cameo,
            context=context,
            min_confidence=min_confidence,
            location_country=location_country,
            location_admin1=location_admin1,
            bbox=parse_bbox(bbox),
        )
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None


FilterDep = Annotated[Filters, Depends(filter_params)]


def plain_json(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Send what ``endpoint`` returns (plain JSON types already) as it is: FastAPI's own
    encoding and response validation of the nested dicts cost more than the query."""

    @functools.wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> JSONResponse:
        return JSONResponse(endpoint(*args, **kwargs))

    return wrapper


def _next(offset: int, limit: int, count: int, total: int | None = None) -> int | None:
    if total is not None:
        return offset + limit if offset + limit < total else None
    return offset + limit if count > limit else None


def _public_url(row: dict[str, Any]) -> dict[str, Any]:
    url = row.get("url")
    if url is not None and not str(url).lower().startswith(("http://", "https://")):
        row["url"] = None  # the store falls back to the file the article was read from
    return row


# -- the store -------------------------------------------------------------------------------
@router.get("/health", summary="Is the server up (does not open the store)")
@plain_json
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/info", summary="Counts, date range and settings of the store")
@plain_json
def info(request: Request) -> dict[str, Any]:
    with reading(request) as con:
        summary = store_info(con)
        types = data.event_types(con)
    return {**summary, "types": types, "statuses": list(STATUSES)}


@router.get("/glossary", summary="Every code the data uses, with what it means (from the ontology tables)")
@plain_json
def glossary_codes() -> dict[str, Any]:
    """PLOVER types with their modes and CAMEO code, quad classes, statuses, actor sectors,
    international actor codes, contexts, and every CAMEO code with its Goldstein value; the
    dashboard's /glossary page shows the same. Does not open the store."""
    return glossary()


# -- documents -------------------------------------------------------------------------------
@router.get("/documents", summary="Documents, newest first (no text)")
@plain_json
def documents(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Part of the title or id, any case.")] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="Host of the article URL.")] = None,
    sort: Annotated[Literal["date", "title", "id", "events", "quotes"], Query()] = "date",
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    with reading(request) as con:
        page = data.documents_page(
            con,
            q=q,
            since=since,
            until=until,
            outlet=outlet,
            sort=sort,
            order=order,
            limit=limit,
            offset=offset,
        )
    return {**page, "next_offset": _next(offset, limit, len(page["items"]), page["total"])}


#: What every event record holds, as the document and events endpoints describe it.
EVENT_RECORD = (
    "Events are the records `communique extract` writes: type, status, source and target, "
    "`trigger` and `sentence` (the main place the article reports it), `mentions` (every place "
    "it reports the event, each a `trigger` and its `sentence`, in text order; empty in records "
    "written before mentions existed) and `location` (the words that place it, or null)."
)


@router.get(
    "/documents/{doc_id:path}",
    summary="One document: text, actor mentions, entities, events, quotes",
    description=EVENT_RECORD
    + " Each event also has its `cluster_id`. Offsets refer to the document's `text`.",
    responses={404: {"model": ErrorBody}},
)
@plain_json
def document(request: Request, doc_id: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
    with reading(request) as con:
        found = data.document(con, doc_id)
    if found is None:
        raise ApiError(404, f"no document with id {doc_id!r}")
    return found


# -- events ----------------------------------------------------------------------------------
@router.get(
    "/events",
    summary="Events, filtered, sorted and paginated (every status unless `status`)",
    description=EVENT_RECORD
    + " Each item adds `doc_id`, `idx` (its position in the document), `date`, `cluster_id`, "
    "the document's `title` and `href` (the event in its article on the dashboard).",
)
@plain_json
def events(
    request: Request,
    filters: FilterDep,
    sort: Annotated[
        Literal[
            "date",
            "type",
            "status",
            "source",
            "target",
            "goldstein",
            "quad_class",
            "confidence",
            "cameo",
            "doc",
        ],
        Query(description="Sort key."),
    ] = "date",
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    with reading(request) as con:
        page = data.events_page(con, filters, sort=sort, order=order, limit=limit, offset=offset)
    return {**page, "next_offset": _next(offset, limit, len(page["items"]), page["total"])}


@router.get("/clusters", summary="Event clusters: the same event reported by several articles")
@plain_json
def clusters(
    request: Request,
    filters: FilterDep,
    newest: Annotated[bool, Query(description="Newest first.")] = True,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    with reading(request) as con:
        rows = query_clusters(con, filters, limit=limit + 1, offset=offset, newest=newest)
    items = [
        {**_public_url(r), "href": data.doc_href(r["first_doc_id"], r["first_idx"])} for r in rows[:limit]
    ]
    return {"limit": limit, "offset": offset, "items": items, "next_offset": _next(offset, limit, len(rows))}


# -- dyads, timeline, alerts -----------------------------------------------------------------
@router.get("/dyads", summary="Country dyads by number of events (those that happened unless `status`)")
@plain_json
def dyads_list(request: Request, filters: FilterDep, limit: Limit = 50) -> dict[str, Any]:
    with reading(request) as con:
        rows = dyads(con, filters, limit=limit)
    for row in rows:
        row["href"] = f"/dyads/{row['source']}-{row['target']}"
    return {"limit": limit, "items": rows}


def _dyad(dyad: str | None) -> str | None:
    if dyad is None:
        return None
    try:
        parse_dyad(dyad)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return dyad


@router.get(
    "/dyads/{dyad}",
    summary="One dyad: its counts, timeline and alerts",
    responses={404: {"model": ErrorBody}},
)
@plain_json
def dyad_detail(
    request: Request,
    dyad: Annotated[str, Path(max_length=200, description="SOURCE-TARGET, e.g. USA-IRN.")],
    filters: FilterDep,
    freq: Freq = "week",
    unit: Unit = "clusters",
) -> dict[str, Any]:
    source, target = parse_dyad(_dyad(dyad) or "")
    flt = filters.with_dyad(dyad)
    with reading(request) as con:
        summary = dyads(con, flt, limit=1)
        series = timeline(con, freq=freq, unit=unit, filters=flt)
        found = alerts(con, freq=freq, unit=unit, filters=flt, limit=50)
        total = data.events_page(con, flt, limit=0)["total"]
    if not total:
        raise ApiError(404, f"no events from {source} to {target}")
    return {
        "dyad": dyad,
        "source": source,
        "target": target,
        "events": total,
        "summary": summary[0] if summary else None,
        "freq": freq,
        "unit": unit,
        "timeline": series,
        "alerts": found,
    }


@router.get("/timeline", summary="Events per period by quad class, with Goldstein sum and mean")
@plain_json
def timeline_endpoint(
    request: Request,
    filters: FilterDep,
    dyad: DyadParam = None,
    freq: Freq = "week",
    unit: Annotated[
        Unit, Query(description="clusters: each event cluster once; events: every mention.")
    ] = "clusters",
) -> dict[str, Any]:
    with reading(request) as con:
        rows = timeline(con, _dyad(dyad), freq=freq, unit=unit, filters=filters)
    return {"dyad": dyad, "freq": freq, "unit": unit, "items": rows}


@router.get("/alerts", summary="Periods where a dyad's conflict departs from its own baseline")
@plain_json
def alerts_endpoint(
    request: Request,
    filters: FilterDep,
    dyad: DyadParam = None,
    freq: Freq = "week",
    window: Annotated[int, Query(ge=1, le=520, description="Baseline periods.")] = 8,
    threshold: Annotated[float, Query(gt=0, le=100, description="|z| at least this.")] = 3.0,
    min_periods: Annotated[int, Query(ge=1, le=520, description="Baseline periods needed.")] = 4,
    direction: Literal["up", "down", "both"] = "both",
    unit: Unit = "clusters",
    limit: Limit = 100,
) -> dict[str, Any]:
    with reading(request) as con:
        rows = alerts(
            con,
            _dyad(dyad),
            freq=freq,
            window=window,
            threshold=threshold,
            min_periods=min_periods,
            direction=direction,
            unit=unit,
            limit=limit,
            filters=filters,
        )
    return {"dyad": dyad, "freq": freq, "items": rows}


# -- actors and quotes -----------------------------------------------------------------------
@router.get("/actors", summary="The actors in most events (those that happened unless `status`)")
@plain_json
def actors(
    request: Request,
    filters: FilterDep,
    by: Annotated[Literal["name", "country"], Query(description="Resolved names or country codes.")] = "name",
    side: Literal["any", "source", "target"] = "any",
    limit: Limit = 20,
) -> dict[str, Any]:
    with reading(request) as con:
        rows = top_actors(con, filters, by=by, side=side, limit=limit)
    for row in rows:
        row["href"] = "/actors/" + quote(str(row["actor"]), safe="")
    return {"by": by, "side": side, "limit": limit, "items": rows}


@router.get(
    "/actors/{actor:path}",
    summary="One actor: who it is, events as source and as target, quotes",
    responses={404: {"model": ErrorBody}},
)
@plain_json
def actor(
    request: Request,
    actor: Annotated[str, Path(max_length=200, description="A country code (USA) or a resolved name.")],
    limit: Annotated[int, Query(ge=0, le=data.MAX_LIMIT, description="Events and quotes per list.")] = 20,
) -> dict[str, Any]:
    if not actor.strip():
        raise ApiError(422, "the actor is empty")
    with reading(request) as con:
        profile = data.actor_profile(con, actor)
        if profile is None:
            raise ApiError(404, f"no events, mentions or quotes of {actor!r}")
        as_source = data.events_page(con, Filters(source=actor), limit=limit)
        as_target = data.events_page(con, Filters(target=actor), limit=limit)
        quotes = data.actor_quotes(con, actor, limit=limit)
    return {**profile, "as_source": as_source, "as_target": as_target, "quotes_by": quotes}


@router.get("/quotes", summary="Quotes, oldest first unless `newest`")
@plain_json
def quotes(
    request: Request,
    speaker: Annotated[
        str | None, Query(max_length=200, description="Part of the speaker's name or words, or USA.")
    ] = None,
    kind: Annotated[Literal["direct", "indirect", "mixed"] | None, Query()] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
    doc_id: Annotated[str | None, Query(alias="doc", max_length=300)] = None,
    newest: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    with reading(request) as con:
        rows = query_quotes(
            con,
            speaker,
            since=since,
            until=until,
            doc_id=doc_id,
            kind=kind,
            limit=limit + 1,
            offset=offset,
            newest=newest,
        )
        titles = data.doc_titles(con, {r["doc_id"] for r in rows})
    items = [
        {**r, "title": titles.get(r["doc_id"]), "href": data.doc_href(r["doc_id"], r["idx"], "q")}
        for r in rows
    ]
    return {
        "limit": limit,
        "offset": offset,
        "items": items[:limit],
        "next_offset": _next(offset, limit, len(rows)),
    }


# -- extraction ------------------------------------------------------------------------------
@router.post(
    "/extract",
    summary="Analyse an article: its actors, events and quotes (only with --allow-extract)",
    response_model=None,
    responses={
        200: {"model": Result, "description": "The extraction result, as one line of `communique extract`."},
        403: {"model": ErrorBody, "description": "Extraction is not enabled on this server."},
        413: {"model": ErrorBody, "description": "The body is larger than the server accepts."},
        415: {"model": ErrorBody, "description": "Neither JSON nor plain text."},
        422: {
            "model": ErrorBody,
            "description": "Not valid, or a text too large or too slow to analyse (the guard).",
        },
        503: {
            "model": ErrorBody,
            "description": "Another text is being analysed: retry after `Retry-After`.",
        },
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": ExtractRequest.model_json_schema()},
                "text/plain": {"schema": {"type": "string"}},
            },
        }
    },
)
async def extract(request: Request) -> dict[str, Any]:
    require_extract(request)
    body = await request.body()
    req = parse_extract_body(body, request.headers.get("content-type", ""))
    result = await extract_guarded(request, req)
    return result.model_dump(mode="json")
