"""Questions to the store: events, event clusters, dyads, top actors, quotes.

Every function takes the store (a ``Store``, a path, or an open DuckDB connection) and
returns plain dicts, ready for JSON. The CLI prints exactly what these return.

Filters (``Filters`` or the same names as keyword arguments):

* ``source`` / ``target``: a country code (``USA``) or a resolved actor name
  (``Marco Rubio``), case-insensitive; ``undirected=True`` matches either way round.
* ``types``: PLOVER types; ``statuses``: event statuses (``happened`` ...); ``"all"``
  for every status. ``None`` is each question's default: listings (events, clusters,
  quotes, exports) return every status, counts (dyads, actors, timeline, alerts) count
  only what ``happened``.
* ``modes``: PLOVER modes; ``sectors``: PLOVER sectors of either actor; ``quad_classes``,
  ``cameo`` (a code or its first digits), ``context``, ``location_country`` (ISO3 or an
  international code). Every value is checked against its vocabulary: an unknown one is a
  ValueError listing the valid ones.
* ``since`` / ``until``: document dates, inclusive. Events of undated documents are
  kept in the store, sort last, and are left out by any date filter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from communique.models import EventStatus
from communique.store.db import Connection, Store, reading
from communique.store.schema import matching_clusters_sql
from communique.vocabulary import check, check_cameo, check_country, vocabulary

StoreLike = Store | str | Path | Connection
HAPPENED = ("happened",)
STATUSES = tuple(s.value for s in EventStatus)


def _words(values: Any, case: Any) -> tuple[str, ...]:
    """Values given one by one or comma-separated, trimmed, in one case."""
    return tuple(case(w.strip()) for v in _tuple(values) for w in str(v).split(",") if w.strip())


def _tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int):
        return (value,)
    return tuple(value)


def as_date(value: str | date | None, name: str) -> date | None:
    """A date from a YYYY-MM-DD string (or a date); ValueError naming the parameter ``name``."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class Filters:
    """Which events a question is about (see the module docstring)."""

    source: str | None = None
    target: str | None = None
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] | None = None
    since: date | str | None = None
    until: date | str | None = None
    doc_id: str | None = None
    quad_classes: tuple[int, ...] = ()
    cameo: str | None = None
    context: str | None = None
    min_confidence: float | None = None
    undirected: bool = False
    location_country: str | None = None  # ISO3 of where the event happened
    location_admin1: str | None = None  # its first-level division, by name ('Texas')
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (degrees)
    modes: tuple[str, ...] = ()  # PLOVER modes (visit, aerial ...)
    sectors: tuple[str, ...] = ()  # PLOVER sectors of the source or the target (MIL, GOV ...)

    def __post_init__(self) -> None:
        """Every value checked against its vocabulary (``communique.vocabulary``): one that
        can match nothing is a ValueError that lists the valid ones."""
        vocab = vocabulary()
        set_ = object.__setattr__
        set_(self, "types", _words(self.types, str.upper))
        check("event type", self.types, vocab.types)
        set_(self, "modes", _words(self.modes, str.lower))
        check("mode", self.modes, vocab.modes)
        set_(self, "sectors", _words(self.sectors, str.upper))
        check("sector", self.sectors, vocab.sectors)
        if self.statuses is not None:
            statuses = _words(self.statuses, str.lower)
            if any(s in ("all", "any") for s in statuses):
                statuses = ()
            check("status", statuses, STATUSES, [*STATUSES, "all"])
            set_(self, "statuses", statuses)
        try:
            quads = tuple(int(q) for q in _tuple(self.quad_classes))
        except ValueError:
            quads = (0,)
        if any(q not in vocab.quad_classes for q in quads):
            raise ValueError(
                "quad classes are 1, 2, 3 and 4 (verbal/material cooperation, verbal/material conflict)"
            )
        set_(self, "quad_classes", quads)
        set_(self, "since", as_date(self.since, "since"))
        set_(self, "until", as_date(self.until, "until"))
        for name in ("source", "target", "doc_id", "cameo", "context", "location_country", "location_admin1"):
            value = getattr(self, name)
            set_(self, name, value.strip() or None if isinstance(value, str) else value)
        if self.context:
            set_(self, "context", self.context.lower())
            check("context", [self.context], vocab.contexts)
        if self.cameo:
            check_cameo(self.cameo)
        if self.location_country:
            set_(self, "location_country", self.location_country.upper())
            check_country("country (location_country)", self.location_country)
        set_(self, "bbox", parse_bbox(self.bbox))

    @classmethod
    def make(cls, filters: Filters | None = None, **overrides: Any) -> Filters:
        """``filters`` with the non-None keyword overrides applied (unknown names are errors)."""
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown filter {sorted(unknown)[0]!r}; filters are {', '.join(sorted(known))}")
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(filters or cls(), **given)

    def with_dyad(self, dyad: str | None) -> Filters:
        """These filters for the dyad 'SOURCE-TARGET' (e.g. 'USA-IRN')."""
        if not dyad:
            return self
        source, target = parse_dyad(dyad)
        return replace(self, source=source, target=target)

    def where(self, default_statuses: tuple[str, ...] = (), alias: str = "") -> tuple[str, dict[str, Any]]:
        """SQL condition over ``events`` (``alias.`` prefixed) and its parameters."""
        a = f"{alias}." if alias else ""
        parts: list[str] = []
        params: dict[str, Any] = {}

        def actor(side: str, value: str, key: str) -> str:
            params[f"{key}_code"] = value.upper()
            params[f"{key}_name"] = value.lower()
            return f"({a}{side}_country = ${key}_code OR lower({a}{side}_name) = ${key}_name)"

        if self.source or self.target:
            if self.undirected:
                ends = ((self.source, "a"), (self.target, "b"))
                forward = [actor(s, v, k) for s, (v, k) in zip(("source", "target"), ends, strict=True) if v]
                backward = [actor(s, v, k) for s, (v, k) in zip(("target", "source"), ends, strict=True) if v]
                parts.append(f"(({' AND '.join(forward)}) OR ({' AND '.join(backward)}))")
            else:
                if self.source:
                    parts.append(actor("source", self.source, "src"))
                if self.target:
                    parts.append(actor("target", self.target, "tgt"))
        if self.types:
            parts.append(f"{a}type IN (SELECT unnest($types))")
            params["types"] = list(self.types)
        if self.modes:
            parts.append(f"{a}mode IN (SELECT unnest($modes))")
            params["modes"] = list(self.modes)
        if self.sectors:
            parts.append(
                f"(list_has_any({a}source_sectors, $sectors) OR list_has_any({a}target_sectors, $sectors))"
            )
            params["sectors"] = list(self.sectors)
        statuses = default_statuses if self.statuses is None else self.statuses
        if statuses:
            parts.append(f"{a}status IN (SELECT unnest($statuses))")
            params["statuses"] = list(statuses)
        if self.since is not None:
            parts.append(f"{a}date >= $since")
            params["since"] = self.since
        if self.until is not None:
            parts.append(f"{a}date <= $until")
            params["until"] = self.until
        if self.doc_id:
            parts.append(f"{a}doc_id = $doc_id")
            params["doc_id"] = self.doc_id
        if self.quad_classes:
            parts.append(f"{a}quad_class IN (SELECT unnest($quads))")
            params["quads"] = list(self.quad_classes)
        if self.cameo:
            parts.append(f"starts_with({a}cameo, $cameo)")
            params["cameo"] = self.cameo
        if self.context:
            parts.append(f"list_contains({a}context, $context)")
            params["context"] = self.context.lower()
        if self.min_confidence is not None:
            parts.append(f"{a}confidence >= $min_confidence")
            params["min_confidence"] = float(self.min_confidence)
        parts += self._where_located(a, params)
        return (" AND ".join(parts) or "TRUE"), params

    def _where_located(self, a: str, params: dict[str, Any]) -> list[str]:
        """The conditions on where events happened: country, division, a box of the map."""
        parts = []
        if self.location_country:
            parts.append(f"{a}location_country = $loc_country")
            params["loc_country"] = self.location_country.upper()
        if self.location_admin1:
            parts.append(f"lower({a}location_admin1) = $loc_admin1")
            params["loc_admin1"] = self.location_admin1.lower()
        if self.bbox is not None:
            west, south, east, north = self.bbox
            parts.append(f"{a}location_lat BETWEEN $south AND $north")
            # a box across the date line (west > east) wraps around it
            across = "OR" if west > east else "AND"
            parts.append(f"({a}location_lon >= $west {across} {a}location_lon <= $east)")
            params.update(west=west, south=south, east=east, north=north)
        return parts


def parse_bbox(value: Any) -> tuple[float, float, float, float] | None:
    """'west,south,east,north' (or four numbers) -> a box; None stays None."""
    if value is None or value == "":
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        west, south, east, north = (float(p) for p in parts)
    except (TypeError, ValueError) as exc:
        raise ValueError("a bounding box is four numbers: west,south,east,north (degrees)") from exc
    if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise ValueError("a bounding box needs -90 <= south <= north <= 90 and longitudes in -180..180")
    return west, south, east, north


def parse_dyad(dyad: str) -> tuple[str, str]:
    """'USA-IRN' -> ('USA', 'IRN'). Either side may be a country code or an actor name."""
    source, sep, target = dyad.partition("-")
    if not sep or not source.strip() or not target.strip():
        raise ValueError(f"a dyad is SOURCE-TARGET, e.g. USA-IRN, not {dyad!r}")
    return source.strip(), target.strip()


def check_actors(db: StoreLike, filters: Filters) -> None:
    """ValueError for a ``source`` or ``target`` that no event of the store has on either
    side, as a country code or a resolved name: a typo ('IRQQ', 'Marko Rubio') or a code that
    is no country ('XYZ'), rather than a dyad with no events. Called when a question found
    nothing, to tell those apart."""
    given = [(name, value) for name in ("source", "target") if (value := getattr(filters, name))]
    if not given:
        return
    with reading(db) as con:
        for name, value in given:
            known = con.execute(
                "SELECT EXISTS (SELECT 1 FROM events WHERE source_country = $code OR target_country = $code "
                "OR lower(source_name) = $name OR lower(target_name) = $name)",
                {"code": value.upper(), "name": value.lower()},
            ).fetchall()[0][0]
            if known:
                continue
            vocab = vocabulary()
            if value.upper() in vocab.countries or value.upper() in vocab.international:
                continue  # a real code this store has no event of: an empty answer is right
            raise ValueError(
                f"no actor {value!r} ({name}) in this store: give an ISO 3166-1 alpha-3 country code "
                f"(USA, IRN ...), one of {', '.join(vocab.international)}, or a resolved name as "
                "`actors top` lists them"
            )


def fetch_rows(con: Connection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a query as dicts keyed by column name."""
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def iso_row(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its dates as ISO strings (for JSON)."""
    return {k: _iso(v) for k, v in row.items()}


def _order(newest: bool, alias: str = "") -> str:
    a = f"{alias}." if alias else ""
    direction = "DESC" if newest else "ASC"
    return f"{a}date {direction} NULLS LAST, {a}doc_id, {a}idx"


# -- events ----------------------------------------------------------------------------------
def query_events(
    db: StoreLike,
    filters: Filters | None = None,
    *,
    limit: int | None = 50,
    offset: int = 0,
    newest: bool = False,
    **filter_args: Any,
) -> list[dict[str, Any]]:
    """Events in the extract contract's shape, plus ``doc_id``, ``idx`` (position in the
    document's events), ``date`` (the document's), ``cluster_id`` and ``corrected`` (a
    correction changed it: store/corrections.py); oldest first (``newest=True``: newest
    first), undated last. Events marked wrong are left out."""
    where, params = Filters.make(filters, **filter_args).where()
    sql = (
        f"SELECT doc_id, idx, date, cluster_id, event_json, corrected FROM events WHERE {where} "
        f"ORDER BY {_order(newest)}" + _limit(limit, offset, params)
    )
    with reading(db) as con:
        found = con.execute(sql, params).fetchall()
    return [
        {
            "doc_id": doc_id,
            "idx": idx,
            "date": _iso(day),
            **json.loads(event),
            "cluster_id": cluster,
            "corrected": corrected,
        }
        for doc_id, idx, day, cluster, event, corrected in found
    ]


def _limit(limit: int | None, offset: int, params: dict[str, Any]) -> str:
    sql = ""
    if limit is not None:
        sql += " LIMIT $limit"
        params["limit"] = max(0, int(limit))
    if offset:
        sql += " OFFSET $offset"
        params["offset"] = max(0, int(offset))
    return sql


# -- clusters --------------------------------------------------------------------------------
def query_clusters(
    db: StoreLike,
    filters: Filters | None = None,
    *,
    limit: int | None = 50,
    offset: int = 0,
    newest: bool = False,
    **filter_args: Any,
) -> list[dict[str, Any]]:
    """Event clusters (the same event reported by several articles), with GDELT-style
    counts ``num_mentions``, ``num_sources``, ``num_articles``."""
    where, params = Filters.make(filters, **filter_args).where(alias="e")
    direction = "DESC" if newest else "ASC"
    sql = (
        f"SELECT * EXCLUDE (added) FROM ({matching_clusters_sql(where)}) "
        f"ORDER BY date {direction} NULLS LAST, num_articles DESC, cluster_id" + _limit(limit, offset, params)
    )
    with reading(db) as con:
        return [iso_row(r) for r in fetch_rows(con, sql, params)]


# -- dyads and actors ------------------------------------------------------------------------
def dyads(
    db: StoreLike, filters: Filters | None = None, *, limit: int | None = 50, **filter_args: Any
) -> list[dict[str, Any]]:
    """Country dyads (source -> target) by number of events: events, clusters, articles,
    counts per quad class, Goldstein mean, first and last date. Counts events that
    happened unless ``statuses`` says otherwise."""
    where, params = Filters.make(filters, **filter_args).where(HAPPENED)
    sql = f"""
SELECT source_country AS source, target_country AS target,
    count(*) AS events,
    count(DISTINCT cluster_id) AS clusters,
    count(DISTINCT doc_id) AS articles,
    count(*) FILTER (WHERE quad_class = 1) AS q1,
    count(*) FILTER (WHERE quad_class = 2) AS q2,
    count(*) FILTER (WHERE quad_class = 3) AS q3,
    count(*) FILTER (WHERE quad_class = 4) AS q4,
    round(avg(goldstein), 3) AS goldstein_mean,
    min(date) AS first_date, max(date) AS last_date
FROM events
WHERE {where} AND source_country IS NOT NULL AND target_country IS NOT NULL
GROUP BY ALL
ORDER BY events DESC, source, target""" + _limit(limit, 0, params)
    with reading(db) as con:
        return [iso_row(r) for r in fetch_rows(con, sql, params)]


def top_actors(
    db: StoreLike,
    filters: Filters | None = None,
    *,
    by: str = "name",
    side: str = "any",
    limit: int | None = 20,
    **filter_args: Any,
) -> list[dict[str, Any]]:
    """The actors in most events (``by='name'``: resolved actors; ``by='country'``:
    country codes), as source, target or either (``side``), with their most common
    country, sectors and role (an actor's; a country, which stands for all its actors,
    has none: its most common one, 'Air force', would label Russia), and how often the
    articles mention them."""
    if by not in ("name", "country"):
        raise ValueError("by is 'name' or 'country'")
    if side not in ("any", "source", "target"):
        raise ValueError("side is 'any', 'source' or 'target'")
    flt = Filters.make(filters, **filter_args)
    where, params = flt.where(HAPPENED)
    sides = ["source", "target"] if side == "any" else [side]
    selects = [
        f"SELECT '{s}' AS side, {s}_{by} AS actor, {s}_country AS country, "
        f"array_to_string({s}_sectors, '/') AS sectors, {s}_role AS role, doc_id "
        f"FROM events WHERE {where} AND {s}_{by} IS NOT NULL"
        for s in sides
    ]
    mention_where = [f"m.{by} IS NOT NULL"]
    if flt.since is not None:
        mention_where.append("m.date >= $since")
    if flt.until is not None:
        mention_where.append("m.date <= $until")
    if flt.doc_id:
        mention_where.append("m.doc_id = $doc_id")
    sql = f"""
WITH roles AS ({" UNION ALL ".join(selects)}),
top AS (
    SELECT actor,
        mode(country) AS country,
        mode(nullif(sectors, '')) AS sectors,
        {"mode(role)" if by == "name" else "NULL"} AS role,
        count(*) AS events,
        count(*) FILTER (WHERE side = 'source') AS as_source,
        count(*) FILTER (WHERE side = 'target') AS as_target,
        count(DISTINCT doc_id) AS articles
    FROM roles GROUP BY actor
    ORDER BY events DESC, actor{_limit(limit, 0, params)}
),
mentions AS (
    SELECT m.{by} AS actor, count(*) AS mentions FROM actor_mentions m
    WHERE {" AND ".join(mention_where)} AND m.{by} IN (SELECT actor FROM top)
    GROUP BY ALL
)
SELECT top.*, coalesce(mentions.mentions, 0) AS mentions
FROM top LEFT JOIN mentions USING (actor)
ORDER BY events DESC, actor"""
    with reading(db) as con:
        return [iso_row(r) for r in fetch_rows(con, sql, params)]


# -- facets ----------------------------------------------------------------------------------
#: The facets beside every event list: name -> the SQL value counted (over ``events e`` joined
#: to its document ``d``); a list value counts once per item.
FACETS: dict[str, str] = {
    "type": "e.type",
    "status": "e.status",
    "source_country": "e.source_country",
    "target_country": "e.target_country",
    "sector": "unnest(list_distinct(list_concat(coalesce(e.source_sectors, []), "
    "coalesce(e.target_sectors, []))))",
    "outlet": "d.outlet",
    "month": "strftime(e.date, '%Y-%m')",
}


def facets(
    db: StoreLike, filters: Filters | None = None, *, top: int = 12, **filter_args: Any
) -> dict[str, list[dict[str, Any]]]:
    """For each facet (``FACETS``), the ``top`` values of the events matching the filters and
    how many events have each (months: every month, in order)."""
    where, params = Filters.make(filters, **filter_args).where(alias="e")
    out: dict[str, list[dict[str, Any]]] = {}
    with reading(db) as con:
        for name, value in FACETS.items():
            order = "value" if name == "month" else "n DESC, value"
            limit = "" if name == "month" else f" LIMIT {int(top)}"
            sql = (
                f"SELECT value, count(*) AS n FROM (SELECT {value} AS value FROM events e "
                f"LEFT JOIN documents d ON d.id = e.doc_id WHERE {where}) WHERE value IS NOT NULL "
                f"GROUP BY value ORDER BY {order}{limit}"
            )
            out[name] = [{"value": v, "count": n} for v, n in con.execute(sql, params).fetchall()]
    return out


# -- quotes ----------------------------------------------------------------------------------
def query_quotes(
    db: StoreLike,
    speaker: str | None = None,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    doc_id: str | None = None,
    kind: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
    newest: bool = False,
) -> list[dict[str, Any]]:
    """Quotes in the extract contract's shape plus ``doc_id``, ``idx``, ``date``.

    ``speaker`` matches the resolved speaker name or the words naming the speaker
    (case-insensitive, part of it is enough: 'Rubio' finds 'Marco Rubio'), or a country
    code given in capitals ('USA').
    """
    parts: list[str] = []
    params: dict[str, Any] = {}
    if speaker and speaker.strip():
        needle = speaker.strip()
        params["needle"] = needle.lower()
        cond = "contains(lower(speaker_name), $needle) OR contains(lower(speaker_text), $needle)"
        if needle.isupper() and len(needle) == 3:
            cond += " OR speaker_country = $code"
            params["code"] = needle
        parts.append(f"({cond})")
    if kind:
        parts.append("kind = $kind")
        params["kind"] = kind
    day_since = as_date(since, "since")
    day_until = as_date(until, "until")
    if day_since:
        parts.append("date >= $since")
        params["since"] = day_since
    if day_until:
        parts.append("date <= $until")
        params["until"] = day_until
    if doc_id:
        parts.append("doc_id = $doc_id")
        params["doc_id"] = doc_id
    sql = (
        f"SELECT doc_id, idx, date, quote_json FROM quotes WHERE {' AND '.join(parts) or 'TRUE'} "
        f"ORDER BY {_order(newest)}" + _limit(limit, offset, params)
    )
    with reading(db) as con:
        found = con.execute(sql, params).fetchall()
    return [
        {"doc_id": doc, "idx": idx, "date": _iso(day), **json.loads(quote)} for doc, idx, day, quote in found
    ]


# -- the store as a whole --------------------------------------------------------------------
def store_info(db: StoreLike) -> dict[str, Any]:
    """Counts, date range and settings of the store."""
    with reading(db) as con:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        counts = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in ("documents", "actor_mentions", "events", "quotes")
        }
        clusters = con.execute("SELECT count(DISTINCT cluster_id) FROM events").fetchone()[0]  # type: ignore[index]
        first, last, undated = con.execute(
            "SELECT min(date), max(date), count(*) FILTER (WHERE date IS NULL) FROM documents"
        ).fetchone()  # type: ignore[misc]
    return {
        **counts,
        "event_clusters": clusters,
        "first_date": _iso(first),
        "last_date": _iso(last),
        "undated_documents": undated,
        "schema_version": int(meta.get("schema_version", 0)),
        "cluster_window_days": int(meta.get("cluster_window_days", 1)),
        "created_at": meta.get("created_at"),
        "created_by": meta.get("created_by"),
    }
