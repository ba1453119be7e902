"""What the web asks of the store beyond ``communique.store.queries``: pages of events and
documents that can be sorted and counted, one document with all its records, an actor's
profile. Every function takes an open read-only connection (one per request) and returns
plain dicts ready for JSON; nothing returned names a file on the server.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from communique.store.db import Connection
from communique.store.queries import Filters, as_date, fetch_rows, iso_row

MAX_LIMIT = 500

# sort key -> SQL expression over ``events`` (ties: date, document, position)
EVENT_SORTS: dict[str, str] = {
    "date": "date",
    "type": "type",
    "status": "status",
    "source": "coalesce(source_country, source_name, lower(source_text))",
    "target": "coalesce(target_country, target_name, lower(target_text))",
    "goldstein": "goldstein",
    "quad_class": "quad_class",
    "confidence": "confidence",
    "cameo": "cameo",
    "doc": "doc_id",
}
DOCUMENT_SORTS: dict[str, str] = {
    "date": "date",
    "title": "lower(title)",
    "id": "id",
    "events": "n_events",
    "quotes": "n_quotes",
}


def doc_href(doc_id: str, idx: int | None = None, kind: str = "e") -> str:
    """The dashboard address of a document (and of one of its events: ``#e{idx}``)."""
    base = "/documents/" + quote(doc_id, safe=":@-._~")
    return base if idx is None else f"{base}#{kind}{idx}"


def _order(sort: str, order: str, sorts: dict[str, str], ties: str) -> str:
    if sort not in sorts:
        raise ValueError(f"sort is one of {', '.join(sorts)}, not {sort!r}")
    if order not in ("asc", "desc"):
        raise ValueError(f"order is 'asc' or 'desc', not {order!r}")
    return f"{sorts[sort]} {order.upper()} NULLS LAST, {ties}"


def _page(limit: int, offset: int) -> tuple[int, int]:
    if not 0 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit is between 0 and {MAX_LIMIT}")
    if offset < 0:
        raise ValueError("offset cannot be negative")
    return int(limit), int(offset)


# -- events ----------------------------------------------------------------------------------
def events_page(
    con: Connection,
    filters: Filters,
    *,
    sort: str = "date",
    order: str = "desc",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """One page of events matching ``filters`` (every status unless they say otherwise),
    sorted, with the total count. Items are ``query_events``'s shape plus the document's
    ``title`` and ``href`` (the event in its article on the dashboard)."""
    limit, offset = _page(limit, offset)
    where, params = filters.where()
    ordering = _order(sort, order, EVENT_SORTS, "date DESC NULLS LAST, doc_id, idx")
    total = con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]  # type: ignore[index]
    params.update(limit=limit, offset=offset)
    # Sort the keys only, then fetch the page's rows: sorting with the wide event_json column
    # in tow costs several times more on a big store. (One connection, a read-only store: the
    # keys cannot change between the two statements.)
    keys = [
        (row[0], row[1])
        for row in con.execute(
            f"SELECT doc_id, idx FROM events WHERE {where} ORDER BY {ordering} LIMIT $limit OFFSET $offset",
            params,
        ).fetchall()
    ]
    found = {}
    if keys:
        cursor = con.execute(
            "SELECT doc_id, idx, date, cluster_id, event_json, corrected FROM events "
            "WHERE doc_id IN (SELECT unnest($docs))",
            {"docs": sorted({doc for doc, _ in keys})},
        )
        found = {(row[0], row[1]): row for row in cursor.fetchall()}
    rows = [found[k] for k in keys if k in found]
    titles = doc_titles(con, {row[0] for row in rows})
    items = [
        _event(doc_id, idx, day, cluster, event, titles.get(doc_id), corrected)
        for doc_id, idx, day, cluster, event, corrected in rows
    ]
    return {"total": total, "limit": limit, "offset": offset, "sort": sort, "order": order, "items": items}


def events_with_wrong(con: Connection, doc_id: str) -> tuple[list[dict[str, Any]], list[bool], list[bool]]:
    """Every event of the document as corrected, those marked wrong included (so that the
    article's e0, e1 ... stay the stored positions), with which a correction changed and which
    are marked wrong."""
    found = con.execute(
        "SELECT event_json, corrected, wrong FROM events_all WHERE doc_id = $id ORDER BY idx", {"id": doc_id}
    ).fetchall()
    return [json.loads(r[0]) for r in found], [bool(r[1]) for r in found], [bool(r[2]) for r in found]


def doc_titles(con: Connection, doc_ids: set[str]) -> dict[str, str | None]:
    """The titles of the given documents, by id (a document may have no title: None)."""
    if not doc_ids:
        return {}
    found = con.execute(
        "SELECT id, title FROM documents WHERE id IN (SELECT unnest($ids))", {"ids": list(doc_ids)}
    )
    return dict(found.fetchall())


def _event(
    doc_id: str,
    idx: int,
    day: Any,
    cluster: int | None,
    event: str,
    title: str | None,
    corrected: bool = False,
) -> dict[str, Any]:
    row = {"doc_id": doc_id, "idx": idx, "date": day.isoformat() if day else None, **json.loads(event)}
    row.update(cluster_id=cluster, title=title, href=doc_href(doc_id, idx), corrected=corrected)
    return row


def event_types(con: Connection) -> list[dict[str, Any]]:
    """The PLOVER types in the store, with how many events of each."""
    return fetch_rows(con, "SELECT type, count(*) AS events FROM events GROUP BY type ORDER BY type", {})


# -- documents -------------------------------------------------------------------------------
def documents_page(
    con: Connection,
    *,
    q: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    sort: str = "date",
    order: str = "desc",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Documents (no text), newest first by default; ``q`` matches the title or id, in part,
    any case."""
    limit, offset = _page(limit, offset)
    parts: list[str] = []
    params: dict[str, Any] = {}
    if q and q.strip():
        parts.append("(contains(lower(title), $q) OR contains(lower(id), $q))")
        params["q"] = q.strip().lower()
    day_since, day_until = as_date(since, "since"), as_date(until, "until")
    if day_since:
        parts.append("date >= $since")
        params["since"] = day_since
    if day_until:
        parts.append("date <= $until")
        params["until"] = day_until
    if outlet and outlet.strip():
        parts.append("outlet = $outlet")
        params["outlet"] = outlet.strip().lower()
    where = " AND ".join(parts) or "TRUE"
    ordering = _order(sort, order, DOCUMENT_SORTS, "id")
    total = con.execute(f"SELECT count(*) FROM documents WHERE {where}", params).fetchone()[0]  # type: ignore[index]
    params.update(limit=limit, offset=offset)
    rows = fetch_rows(
        con,
        "SELECT id, title, date, url, outlet, n_actors, n_events, n_quotes, ingested_at "
        f"FROM documents WHERE {where} ORDER BY {ordering} LIMIT $limit OFFSET $offset",
        params,
    )
    items = [{**iso_row(_public(r)), "href": doc_href(r["id"])} for r in rows]
    return {"total": total, "limit": limit, "offset": offset, "sort": sort, "order": order, "items": items}


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """A document row as the web shows it: URLs only when they are web addresses."""
    url = row.get("url")
    if url is not None and not str(url).lower().startswith(("http://", "https://")):
        row["url"] = None
    if row.get("ingested_at") is not None:
        row["ingested_at"] = row["ingested_at"].isoformat(timespec="seconds")
    return row


def document(con: Connection, doc_id: str) -> dict[str, Any] | None:
    """One document with its text, actor mentions, entities, events and quotes (the extract
    contract's result, without the server-side ``source`` path), or None."""
    rows = fetch_rows(
        con,
        "SELECT id, title, date, url, outlet, text, n_actors, n_events, n_quotes, entities_json, "
        "errors_json, ingested_at FROM documents WHERE id = $id",
        {"id": doc_id},
    )
    if not rows:
        return None
    doc = iso_row(_public(rows[0]))
    entities = json.loads(doc.pop("entities_json") or "[]")
    errors = json.loads(doc.pop("errors_json") or "[]")

    def records(table: str, column: str) -> list[dict[str, Any]]:
        found = con.execute(f"SELECT {column} FROM {table} WHERE doc_id = $id ORDER BY idx", {"id": doc_id})
        return [json.loads(r[0]) for r in found.fetchall()]

    doc.update(
        actors=records("actor_mentions", "mention_json"),
        entities=entities,
        events=records("events", "event_json"),
        quotes=records("quotes", "quote_json"),
        # a problem's ``source`` is a path on the server: only what went wrong is shown
        errors=[{"stage": e.get("stage"), "reason": e.get("reason")} for e in errors],
    )
    clusters = con.execute("SELECT cluster_id FROM events WHERE doc_id = $id ORDER BY idx", {"id": doc_id})
    for event, (cluster,) in zip(doc["events"], clusters.fetchall(), strict=False):
        event["cluster_id"] = cluster
    return doc


# -- actors ----------------------------------------------------------------------------------
def actor_profile(con: Connection, actor: str, filters: Filters | None = None) -> dict[str, Any] | None:
    """Who ``actor`` is (a country code or a resolved name, any case) and how often it acts
    and is acted on (every status), or None when the store has nothing on it."""
    flt = replace(filters or Filters(), source=None, target=None, undirected=False, statuses=())
    src_where, params = replace(flt, source=actor).where()
    tgt_where, tgt_params = replace(flt, target=actor).where()
    params.update(tgt_params)
    params["code"], params["name"] = actor.strip().upper(), actor.strip().lower()
    row = fetch_rows(
        con,
        f"""
WITH sides AS (
    SELECT 'source' AS side, source_name AS name, source_country AS country, source_role AS role,
        array_to_string(source_sectors, '/') AS sectors, source_kind AS kind, date, doc_id
    FROM events WHERE {src_where}
    UNION ALL
    SELECT 'target', target_name, target_country, target_role,
        array_to_string(target_sectors, '/'), target_kind, date, doc_id
    FROM events WHERE {tgt_where}
)
SELECT count(*) FILTER (WHERE side = 'source') AS events_as_source,
    count(*) FILTER (WHERE side = 'target') AS events_as_target,
    count(DISTINCT doc_id) AS articles,
    mode(name) AS name, mode(country) AS country, mode(role) AS role,
    mode(nullif(sectors, '')) AS sectors, mode(kind) AS kind,
    min(date) AS first_date, max(date) AS last_date,
    (SELECT count(*) FROM actor_mentions WHERE country = $code OR lower(name) = $name) AS mentions,
    (SELECT count(*) FROM quotes WHERE speaker_country = $code OR lower(speaker_name) = $name) AS quotes
FROM sides""",
        params,
    )[0]
    if not (row["events_as_source"] or row["events_as_target"] or row["mentions"] or row["quotes"]):
        return None
    if row["name"] is None and row["mentions"]:
        found = con.execute(
            "SELECT mode(name), mode(country), mode(role), mode(kind) FROM actor_mentions "
            "WHERE country = $code OR lower(name) = $name",
            {"code": params["code"], "name": params["name"]},
        ).fetchone()
        row.update(dict(zip(("name", "country", "role", "kind"), found or (), strict=False)))
    is_country = (
        len(actor.strip()) == 3 and actor.strip().isalpha() and actor.strip().upper() == row["country"]
    )
    partners = fetch_rows(
        con,
        f"""
SELECT 'target' AS role, coalesce(target_country, target_name, target_text) AS partner,
    count(*) AS events
FROM events WHERE {src_where} AND coalesce(target_country, target_name, target_text) IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT 'source', coalesce(source_country, source_name, source_text), count(*)
FROM events WHERE {tgt_where} AND coalesce(source_country, source_name, source_text) IS NOT NULL
GROUP BY ALL
ORDER BY events DESC, partner LIMIT 12""",
        {k: v for k, v in params.items() if k not in ("code", "name")},
    )
    return {
        "actor": actor.strip(),
        "is_country": is_country,
        **iso_row(row),
        "sectors": row["sectors"].split("/") if row.get("sectors") else [],
        "partners": partners,
    }


def actor_quotes(con: Connection, actor: str, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Quotes whose speaker is ``actor`` exactly (its country code or its resolved name)."""
    limit, offset = _page(limit, offset)
    params = {"code": actor.strip().upper(), "name": actor.strip().lower()}
    where = "(speaker_country = $code OR lower(speaker_name) = $name)"
    total = con.execute(f"SELECT count(*) FROM quotes WHERE {where}", params).fetchone()[0]  # type: ignore[index]
    found = con.execute(
        f"""SELECT q.doc_id, q.idx, q.date, q.quote_json, d.title FROM quotes q
LEFT JOIN documents d ON d.id = q.doc_id WHERE {where}
ORDER BY q.date DESC NULLS LAST, q.doc_id, q.idx LIMIT $limit OFFSET $offset""",
        {**params, "limit": limit, "offset": offset},
    ).fetchall()
    items = [
        {
            "doc_id": doc,
            "idx": idx,
            "date": day.isoformat() if day else None,
            **json.loads(quote_json),
            "title": title,
            "href": doc_href(doc, idx, "q"),
        }
        for doc, idx, day, quote_json, title in found
    ]
    return {"total": total, "limit": limit, "offset": offset, "items": items}
