"""The HTML dashboard: server-side pages, Jinja2 templates with autoescaping on.

Everything from the store (article text, titles, actor names) reaches the page through
Jinja's escaping or ``markupsafe.escape`` (charts, highlighted text): a document that
contains ``<script>`` shows it as text. The Content-Security-Policy (``app.py``) allows
only the app's own script, so even a slip would not run.

Pages: ``/`` overview, ``/events``, ``/dyads``, ``/dyads/{SOURCE-TARGET}``, ``/actors``,
``/actors/{actor}``, ``/documents``, ``/documents/{id}`` (the article, ``#e{n}`` its
event's sentence, ``#q{k}`` a quote), ``/quotes``, ``/glossary`` (every code explained), ``/extract`` (with
--allow-extract). Codes on every page carry a tooltip saying what they mean.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from communique.store.db import Connection
from communique.store.queries import (
    STATUSES,
    Filters,
    dyads,
    facets,
    parse_dyad,
    query_quotes,
    store_info,
    top_actors,
)
from communique.store.timeline import alerts, timeline, undated, undated_note
from communique.web import charts, data, geomap
from communique.web.errors import ApiError
from communique.web.extract import ExtractRequest, extract_guarded, parse_extract_body, require_extract
from communique.web.glossary import (
    QUAD_NAMES,
    explain_cameo,
    explain_code,
    explain_mode,
    explain_status,
    glossary,
)
from communique.web.highlight import actor_label, event_mentions, highlight

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

PER_PAGE = (25, 50, 100)
FREQS = ("day", "week", "month")


# -- template helpers ------------------------------------------------------------------------
def actor_key(mention: dict[str, Any] | None) -> str | None:
    """What an actor page is addressed by: a country's code, else a person's or group's
    resolved name, else nothing (an unresolved mention has no page)."""
    if not mention:
        return None
    if mention.get("kind") == "country" or not mention.get("name"):
        return mention.get("country")
    return mention.get("name")


def actor_href(key: str | None) -> str | None:
    return "/actors/" + quote(key, safe="") if key else None


def fmt_num(value: Any) -> str:
    """1234 -> '1,234'; 1.50 -> '1.5'; None -> '—'."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) else str(value)


def setup_templates(templates: Jinja2Templates) -> None:
    env = templates.env
    env.autoescape = True  # Jinja2Templates enables it for .html; be explicit
    env.globals.update(
        actor_key=actor_key,
        actor_href=actor_href,
        actor_label=actor_label,
        event_mentions=event_mentions,
        doc_href=data.doc_href,
        quad_names=QUAD_NAMES,
        legend=charts.legend,
        explain_code=explain_code,
        explain_cameo=explain_cameo,
        explain_mode=explain_mode,
        explain_status=explain_status,
    )
    env.filters["num"] = fmt_num
    env.filters["urlq"] = lambda v: quote(str(v), safe="")


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status)


@contextmanager
def reading(request: Request) -> Iterator[Connection]:
    with request.app.state.reader.read() as con:
        yield con


def url_with(request: Request, **changes: Any) -> str:
    """This page's address with some query parameters changed (None removes one)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for key, value in changes.items():
        if value is not None and value != "":
            params.append((key, str(value)))
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(value))) if value not in (None, "") else default
    except ValueError:
        return default


def _choice(value: str | None, choices: Collection[str], default: str) -> str:
    return value if value is not None and value in choices else default


def pagination(request: Request, total: int, page: int, per: int) -> dict[str, Any]:
    pages = max(1, math.ceil(total / per)) if per else 1
    return {
        "page": page,
        "pages": pages,
        "total": total,
        "first": (page - 1) * per + 1 if total else 0,
        "last": min(total, page * per),
        "prev": url_with(request, page=page - 1) if page > 1 else None,
        "next": url_with(request, page=page + 1) if page < pages else None,
    }


# -- overview --------------------------------------------------------------------------------
@router.get("/")
def overview(request: Request) -> Response:
    with reading(request) as con:
        info = store_info(con)
        series = timeline(con, freq="week")
        left_out = undated_note(undated(con), "left out of the chart")
        top_dyads = dyads(con, limit=10)
        people = top_actors(con, by="name", limit=10)
        countries = top_actors(con, by="country", limit=10)
        found = alerts(con, freq="week", limit=10)
        latest = data.events_page(con, Filters(), sort="date", order="desc", limit=10)
    chart = charts.quad_chart(
        series,
        title="Cooperation and conflict per week, all events that happened",
        chart_id="overview-chart",
        link=lambda period: period_events(None, period, "week"),
    )
    return render(
        request,
        "overview.html",
        {
            "page": "overview",
            "info": info,
            "chart": chart,
            "undated_note": left_out,
            "dyads": top_dyads,
            "people": people,
            "countries": countries,
            "alerts": found,
            "latest": latest["items"],
        },
    )


# -- events ----------------------------------------------------------------------------------
def form_filters(request: Request) -> tuple[Filters | None, str | None, dict[str, Any]]:
    """The events filter form's values, the Filters they make, or the message why not."""
    q = request.query_params
    names = ("actor", "source", "target", "status", "since", "until", "quad", "doc")
    field = {name: q.get(name, "").strip() for name in names}
    types = [t for t in q.getlist("type") if t]
    form: dict[str, Any] = {**field, "type": types}
    try:
        if field["actor"] and (field["source"] or field["target"]):
            raise ValueError("'actor' matches either side: give it alone, or a source and a target")
        flt = Filters(
            source=field["actor"] or field["source"] or None,
            target=field["target"] or None,
            undirected=bool(field["actor"]),
            types=tuple(t for value in types for t in value.split(",")),
            statuses=(field["status"],) if field["status"] else None,
            since=field["since"] or None,
            until=field["until"] or None,
            quad_classes=(int(field["quad"]),) if field["quad"] else (),
            doc_id=field["doc"] or None,
        )
    except ValueError as exc:
        return None, str(exc), form
    return flt, None, form


@router.get("/events")
def events(request: Request) -> Response:
    flt, error, form = form_filters(request)
    q = request.query_params
    sort = _choice(q.get("sort"), data.EVENT_SORTS, "date")
    order = _choice(q.get("order"), ("asc", "desc"), "desc")
    per = _int(q.get("per"), 50, 1, 100)
    page = _int(q.get("page"), 1, 1, 1_000_000)
    result: dict[str, Any] = {"items": [], "total": 0}
    with reading(request) as con:
        types = data.event_types(con)
        counts: dict[str, Any] = {}
        if flt is not None:
            result = data.events_page(con, flt, sort=sort, order=order, limit=per, offset=(page - 1) * per)
            counts = facets(con, flt)
    return render(
        request,
        "events.html",
        {
            "page": "events",
            "form": form,
            "error": error,
            "types": types,
            "statuses": STATUSES,
            "quads": QUAD_NAMES,
            "result": result,
            "facets": counts,
            "facet_url": lambda name, value: _facet_url(request, name, value),
            "download_query": request.url.query,
            "sort": sort,
            "order": order,
            "per": per,
            "per_options": PER_PAGE,
            "paging": pagination(request, result["total"], page, per),
            "sort_url": lambda key: url_with(
                request, sort=key, order="asc" if (sort == key and order == "desc") else "desc", page=None
            ),
        },
    )


def period_events(actor: str | None, period: str, freq: str, sides: dict[str, str] | None = None) -> str:
    """The events page for one period of a chart (and one actor on either side, or a source and
    a target)."""
    first = date.fromisoformat(period[:10])
    if freq == "day":
        last = first
    elif freq == "week":
        last = first + timedelta(days=6)
    else:
        months = {"month": 1, "quarter": 3, "year": 12}[freq]
        end = first
        for _ in range(months):
            end = (end.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = end - timedelta(days=1)
    query = {"since": first.isoformat(), "until": last.isoformat(), "status": "happened"}
    if actor:
        query["actor"] = actor
    query.update(sides or {})
    return "/events?" + urlencode(query)


def _facet_url(request: Request, name: str, value: Any) -> str | None:
    """The events page narrowed to one facet value (None where no filter of the form fits)."""
    if name == "type":
        return url_with(request, type=value, page=None)
    if name == "status":
        return url_with(request, status=value, page=None)
    if name in ("source_country", "target_country"):
        return url_with(request, actor=None, **{name.split("_")[0]: value}, page=None)
    if name == "month":
        first = date.fromisoformat(f"{value}-01")
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return url_with(request, since=first.isoformat(), until=last.isoformat(), page=None)
    return None


# -- map -------------------------------------------------------------------------------------
@router.get("/map")
def map_page(request: Request) -> Response:
    flt, error, form = form_filters(request)
    points: list[dict[str, Any]] = []
    unplaced = {"regions": 0, "none": 0}
    with reading(request) as con:
        types = data.event_types(con)
        if flt is not None:
            points = geomap.map_points(con, flt)
            unplaced = geomap.unplaced_counts(con, flt)
    return render(
        request,
        "map.html",
        {
            "page": "map",
            "form": form,
            "error": error,
            "types": types,
            "statuses": STATUSES,
            "quads": QUAD_NAMES,
            "points": points,
            "unplaced": unplaced,
            "view_box": geomap.view_box(),
        },
    )


@router.get("/map/world.svg", include_in_schema=False)
def world_outline() -> Response:
    """The outline the map draws on, from the pygal_maps_world package (cached a day)."""
    return Response(
        geomap.world_svg(), media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )


# -- dyads -----------------------------------------------------------------------------------
@router.get("/dyads")
def dyads_page(request: Request) -> Response:
    with reading(request) as con:
        rows = dyads(con, limit=200)
    return render(request, "dyads.html", {"page": "dyads", "dyads": rows})


@router.get("/dyads/{dyad}")
def dyad_page(request: Request, dyad: str) -> Response:
    try:
        source, target = parse_dyad(dyad)
    except ValueError as exc:
        raise ApiError(404, str(exc)) from None
    q = request.query_params
    freq = _choice(q.get("freq"), FREQS, "week")
    undirected = q.get("undirected") in ("1", "true", "on")
    per = 25
    page = _int(q.get("page"), 1, 1, 1_000_000)
    flt = Filters(source=source, target=target, undirected=undirected)
    with reading(request) as con:
        events_found = data.events_page(con, flt, limit=per, offset=(page - 1) * per)
        if not events_found["total"] and page == 1:
            raise ApiError(404, f"no events from {source} to {target}")
        summary = dyads(con, flt, limit=1)
        series = timeline(con, freq=freq, filters=flt)
        left_out = undated_note(undated(con, filters=flt), "left out of the chart")
        found = alerts(con, freq=freq, filters=flt, limit=50)
    label = f"{source} {'↔' if undirected else '→'} {target}"
    chart = charts.quad_chart(
        series,
        title=f"{label}: events per {freq} by quad class and mean Goldstein",
        alerts=[a["period"] for a in found],
        chart_id="dyad-chart",
        link=lambda period: period_events(None, period, freq, {"source": source, "target": target}),
    )
    return render(
        request,
        "dyad.html",
        {
            "page": "dyads",
            "dyad": dyad,
            "source": source,
            "target": target,
            "label": label,
            "undirected": undirected,
            "freq": freq,
            "freqs": FREQS,
            "summary": summary[0] if summary else None,
            "chart": chart,
            "undated_note": left_out,
            "alerts": found,
            "result": events_found,
            "paging": pagination(request, events_found["total"], page, per),
            "freq_url": lambda f: url_with(request, freq=f, page=None),
            "undirected_url": url_with(request, undirected=None if undirected else "1", page=None),
            "reverse": f"/dyads/{quote(target, safe='')}-{quote(source, safe='')}",
        },
    )


# -- actors ----------------------------------------------------------------------------------
@router.get("/actors")
def actors_page(request: Request) -> Response:
    with reading(request) as con:
        people = top_actors(con, by="name", limit=100)
        countries = top_actors(con, by="country", limit=100)
    return render(request, "actors.html", {"page": "actors", "people": people, "countries": countries})


@router.get("/actors/{actor:path}")
def actor_page(request: Request, actor: str) -> Response:
    if not actor.strip():
        raise ApiError(404, "no actor given")
    with reading(request) as con:
        profile = data.actor_profile(con, actor)
        if profile is None:
            raise ApiError(404, f"nothing is known of {actor!r} in this store")
        as_source = data.events_page(con, Filters(source=actor), limit=25)
        as_target = data.events_page(con, Filters(target=actor), limit=25)
        quotes = data.actor_quotes(con, actor, limit=50)
        series = timeline(con, freq="month", filters=Filters(source=actor, undirected=True))
    chart = charts.quad_chart(
        series,
        title=f"Events of {actor} per month (either side, happened)",
        chart_id="actor-chart",
        link=lambda period: period_events(actor, period, "month"),
    )
    return render(
        request,
        "actor.html",
        {
            "page": "actors",
            "profile": profile,
            "as_source": as_source,
            "as_target": as_target,
            "quotes": quotes,
            "actor": actor,
            "chart": chart,
        },
    )


@router.get("/glossary")
def glossary_page(request: Request) -> Response:
    """Every code the pages show, explained, from the ontology tables (web/glossary.py)."""
    return render(request, "glossary.html", {"page": "glossary", "g": glossary()})


# -- documents and quotes --------------------------------------------------------------------
@router.get("/documents")
def documents_page(request: Request) -> Response:
    q = request.query_params
    per = _int(q.get("per"), 50, 1, 100)
    page = _int(q.get("page"), 1, 1, 1_000_000)
    search = q.get("q", "").strip()
    with reading(request) as con:
        result = data.documents_page(con, q=search or None, limit=per, offset=(page - 1) * per)
    return render(
        request,
        "documents.html",
        {
            "page": "documents",
            "result": result,
            "q": search,
            "paging": pagination(request, result["total"], page, per),
        },
    )


@router.get("/documents/{doc_id:path}")
def document_page(request: Request, doc_id: str) -> Response:
    with reading(request) as con:
        doc = data.document(con, doc_id)
        corrected: list[bool] = []
        wrong: list[bool] = []
        if doc is not None:
            doc["events"], corrected, wrong = data.events_with_wrong(con, doc_id)
    if doc is None:
        raise ApiError(404, f"no document with id {doc_id!r}")
    context = {"page": "documents", "doc": doc, "corrected": corrected, "wrong": wrong, **_article(doc)}
    return render(request, "document.html", context)


def _article(doc: dict[str, Any]) -> dict[str, Any]:
    text = doc.get("text")
    marked = highlight(text, doc["actors"], doc["events"], doc["quotes"]) if text else None
    return {"marked": marked}


@router.get("/quotes")
def quotes_page(request: Request) -> Response:
    q = request.query_params
    speaker = q.get("speaker", "").strip()
    per = 50
    page = _int(q.get("page"), 1, 1, 1_000_000)
    with reading(request) as con:
        rows = query_quotes(con, speaker or None, newest=True, limit=per + 1, offset=(page - 1) * per)
        titles = data.doc_titles(con, {r["doc_id"] for r in rows})
    more = len(rows) > per
    items = [
        {**r, "title": titles.get(r["doc_id"]), "href": data.doc_href(r["doc_id"], r["idx"], "q")}
        for r in rows[:per]
    ]
    return render(
        request,
        "quotes.html",
        {
            "page": "quotes",
            "items": items,
            "speaker": speaker,
            "prev": url_with(request, page=page - 1) if page > 1 else None,
            "next": url_with(request, page=page + 1) if more else None,
            "page_no": page,
        },
    )


# -- paste an article ------------------------------------------------------------------------
@router.get("/extract")
def extract_form(request: Request) -> Response:
    require_extract(request)
    return render(request, "extract.html", {"page": "extract", "form": {}, "result": None})


@router.post("/extract")
async def extract_submit(request: Request) -> Response:
    require_extract(request)
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise ApiError(415, "post the form (application/x-www-form-urlencoded)")
    try:
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    except (UnicodeDecodeError, ValueError):
        raise ApiError(422, "the form is not valid UTF-8") from None
    form = {k: fields.get(k, "") for k in ("text", "title", "date", "url")}
    context: dict[str, Any] = {"page": "extract", "form": form, "result": None, "error": None}
    try:
        payload = {k: v for k, v in form.items() if v.strip() or k == "text"}
        req = parse_extract_body(_json(payload), "application/json")
    except ApiError as exc:
        context["error"] = exc.message
        return render(request, "extract.html", context, 422)
    result = (await extract_guarded(request, req)).model_dump(mode="json")
    context.update(result=result, **_article(result))
    return render(request, "extract.html", context)


def _json(payload: dict[str, Any]) -> bytes:
    import json

    return json.dumps(payload).encode("utf-8")


# -- /docs -----------------------------------------------------------------------------------
def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null") or "null"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    return str(schema.get("type", "object"))


def describe_openapi(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations of an OpenAPI document, flattened for the /docs template."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = []
            for p in op.get("parameters", []):
                schema = p.get("schema", {})
                params.append(
                    {
                        "name": p["name"],
                        "in": p.get("in"),
                        "required": p.get("required", False),
                        "type": _type(schema),
                        "default": schema.get("default"),
                        "description": p.get("description") or schema.get("description") or "",
                    }
                )
            body = op.get("requestBody", {}).get("content", {})
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "body": list(body),
                    "responses": sorted(op.get("responses", {})),
                    "anchor": re.sub(r"[^a-z0-9]+", "-", f"{method}{path}".lower()).strip("-"),
                }
            )
    return out


__all__ = ["ExtractRequest", "describe_openapi", "router", "setup_templates"]
