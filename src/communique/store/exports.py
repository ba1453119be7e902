"""Exports: the store's events as JSONL, CSV, Parquet, GDELT 2.0 event rows, POLECAT's and
ICEWS's published event files, or the extract lines themselves (``results``).

Each format is an ``Exporter`` in ``EXPORTERS`` (as Datasette registers its output
renderers); the command line's choices come from there. All take the same ``Filters`` as
the queries and stream, so a large store exports in bounded memory. The tab-separated ones
quote as RFC 4180 does where a field needs it (``layouts.tsv_writer``), so pandas and
DuckDB read them back. docs/exports.md maps every column to its field.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from communique.places.gdelt import NO_PLACE, actor_place, gdelt_place
from communique.store.columns import EVENTS
from communique.store.db import Connection, Store, reading
from communique.store.layouts import ICEWS, POLECAT, Layout, cell, story_sql, tsv_writer
from communique.store.queries import Filters
from communique.store.schema import matching_clusters_sql

StoreLike = Store | str | Path | Connection
_CHUNK = 10_000

# The GDELT 2.0 event table, in its documented order (GDELT Event Codebook 2.0).
_GDELT_ACTOR = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GDELT_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{c}" for c in _GDELT_ACTOR),
    *(f"Actor2{c}" for c in _GDELT_ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GDELT_GEO),
    *(f"Actor2Geo_{c}" for c in _GDELT_GEO),
    *(f"ActionGeo_{c}" for c in _GDELT_GEO),
    "DATEADDED",
    "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61
# The names the same columns have in GDELT's BigQuery tables (gdelt-bq.gdeltv2.events).
_BIGQUERY_NAMES = {"GlobalEventID": "GLOBALEVENTID", "Day": "SQLDATE"}
GDELT_BIGQUERY_COLUMNS: tuple[str, ...] = tuple(_BIGQUERY_NAMES.get(c, c) for c in GDELT_COLUMNS)
COLUMN_NAMES = ("codebook", "bigquery")

# PLOVER's non-country actor codes, as CAMEO codes them: known group (UNO, EEC) or type (IGO ...).
_KNOWN_GROUPS = {"UNO": "UNO", "EUR": "EEC"}
_TYPE_CODES = {"IGO", "NGO", "MNC"}


@dataclass(frozen=True)
class Selection:
    """What to export: the events matching ``where`` (SQL over ``events`` aliased ``e``,
    with its ``params``), oldest or newest first, at most ``limit``."""

    where: str
    params: dict[str, Any]
    newest: bool = False
    limit: int | None = None
    progress: Callable[[int], None] | None = None  # told the rows of each batch read

    @property
    def direction(self) -> str:
        return "DESC" if self.newest else "ASC"

    @property
    def limit_sql(self) -> str:
        return f" LIMIT {int(self.limit)}" if self.limit is not None else ""


@dataclass(frozen=True)
class ExportOptions:
    """How a tabular format is written: with a header row or not (``None``: the format's
    default, a header), and for GDELT the column names of its codebook or of BigQuery."""

    header: bool | None = None
    column_names: str = "codebook"

    def __post_init__(self) -> None:
        if self.column_names not in COLUMN_NAMES:
            raise ValueError(f"column names are {' or '.join(COLUMN_NAMES)}, not {self.column_names!r}")


@dataclass(frozen=True)
class Exporter:
    """An export format. ``write(con, selection, out, options)`` writes the selected records
    and returns how many: to ``out``, a text stream, or for a ``binary`` format the file's
    Path. ``options`` names the ``ExportOptions`` it takes ('header', 'column_names')."""

    name: str
    description: str  # one line
    write: Callable[[Connection, Selection, Any, ExportOptions], int]
    binary: bool = False
    options: frozenset[str] = frozenset()

    def check(self, options: ExportOptions) -> ExportOptions:
        """``options`` with the defaults filled in; ValueError for one this format does not take."""
        if options.header is not None and "header" not in self.options:
            raise ValueError(f"{self.name} has no header row to switch: --header is for {_takes('header')}")
        if options.column_names != "codebook" and "column_names" not in self.options:
            raise ValueError(f"--column-names is for {_takes('column_names')}, not {self.name}")
        return ExportOptions(True if options.header is None else options.header, options.column_names)


def _takes(option: str) -> str:
    return ", ".join(name for name, exporter in EXPORTERS.items() if option in exporter.options)


def _flat_sql(selection: Selection, *, text_lists: bool, with_json: bool) -> str:
    """One row per event, its columns flat: lists kept as lists (Parquet) or joined by ';' (CSV)."""
    cols = "e.* EXCLUDE (event_json)" if not with_json else "e.*"
    if text_lists:
        lists = [c.name for c in EVENTS.columns if c.is_list]
        cols += " REPLACE (" + ", ".join(f"array_to_string(e.{c}, ';') AS {c}" for c in lists) + ")"
    return (
        f"SELECT {cols}, d.title, d.url, d.outlet FROM events e JOIN documents d ON d.id = e.doc_id "
        f"WHERE {selection.where} ORDER BY e.date {selection.direction} NULLS LAST, e.doc_id, e.idx"
        + selection.limit_sql
    )


@contextmanager
def _text_out(out: str | Path | IO[str]) -> Iterator[IO[str]]:
    if not isinstance(out, str | Path):
        yield out
    elif str(out) == "-":
        yield sys.stdout
    else:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            yield handle


def export(
    db: StoreLike,
    fmt: str,
    out: str | Path | IO[str],
    filters: Filters | None = None,
    *,
    newest: bool = False,
    limit: int | None = None,
    options: ExportOptions | None = None,
    progress: Callable[[int], None] | None = None,
    **filter_args: Any,
) -> int:
    """Write the events matching the filters to ``out`` (a path, '-' or a text stream) in
    ``fmt`` (a name in ``EXPORTERS``), as ``options`` say; return the number of records written.
    ``progress`` is told the number of rows of each batch read (see :func:`export_total`)."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise ValueError(f"format is one of {', '.join(EXPORTERS)}, not {fmt!r}")
    options = exporter.check(options or ExportOptions())
    where, params = Filters.make(filters, **filter_args).where(alias="e")
    selection = Selection(where, params, newest, limit, progress)
    with reading(db) as con:
        if exporter.binary:
            if not isinstance(out, str | Path) or str(out) == "-":
                raise ValueError(f"{fmt.capitalize()} is written to a file: give -o FILE.{fmt}")
            return exporter.write(con, selection, Path(out), options)
        with _text_out(out) as handle:
            return exporter.write(con, selection, handle, options)


def export_total(
    db: StoreLike, fmt: str, filters: Filters | None = None, *, limit: int | None = None, **filter_args: Any
) -> int:
    """How many rows :func:`export` will read for these filters: events, or for GDELT (one
    row per cluster of mentions) clusters; for a progress bar's total."""
    where, params = Filters.make(filters, **filter_args).where(alias="e")
    source = f"({matching_clusters_sql(where)})" if fmt == "gdelt" else f"events e WHERE {where}"
    with reading(db) as con:
        row = con.execute(f"SELECT count(*) FROM {source}", params).fetchone()
    total = int(row[0]) if row else 0
    return min(total, limit) if limit is not None else total


def _batches(
    con: Connection, sql: str, params: dict[str, Any], progress: Callable[[int], None] | None = None
) -> Iterator[tuple[list[str], list[tuple]]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    while True:
        rows = cursor.fetchmany(_CHUNK)
        if not rows:
            return
        yield names, rows
        if progress is not None:
            progress(len(rows))


def _parquet(con: Connection, selection: Selection, path: Path, options: ExportOptions) -> int:
    import pyarrow.parquet as pq

    sql = _flat_sql(selection, text_lists=False, with_json=True)
    relation = con.sql(sql, params=selection.params)
    # DuckDB 2 names it to_arrow_reader; 1.x record_batch (looked up by name: 2.x's types lack it)
    method = "to_arrow_reader" if hasattr(relation, "to_arrow_reader") else "record_batch"
    reader = getattr(relation, method)(_CHUNK)
    written = 0
    with pq.ParquetWriter(path, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            written += batch.num_rows
            if selection.progress is not None:
                selection.progress(batch.num_rows)
    return written


def _csv(con: Connection, selection: Selection, handle: IO[str], options: ExportOptions) -> int:
    sql, params = _flat_sql(selection, text_lists=True, with_json=False), selection.params
    writer = csv.writer(handle, lineterminator="\n")
    written = 0
    header = not options.header  # True once written, or when none is wanted
    for names, rows in _batches(con, sql, params, selection.progress):
        if not header:
            writer.writerow(names)
            header = True
        writer.writerows(rows)
        written += len(rows)
    if not header:
        cursor = con.execute(sql, params)
        writer.writerow([d[0] for d in cursor.description])
    return written


def _json_value(value: Any) -> str:
    if isinstance(value, date | datetime):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def _jsonl(con: Connection, selection: Selection, handle: IO[str], options: ExportOptions) -> int:
    sql = (
        "SELECT e.doc_id, e.idx, e.date, e.cluster_id, e.event_json, e.corrected FROM events e "
        f"WHERE {selection.where} ORDER BY e.date {selection.direction} NULLS LAST, e.doc_id, e.idx"
        + selection.limit_sql
    )
    written = 0
    for _, rows in _batches(con, sql, selection.params, selection.progress):
        for doc_id, idx, day, cluster, event, corrected in rows:
            # the event's own JSON, spliced: the extract shape plus where it came from and
            # whether a correction changed it (store/corrections.py)
            handle.write(
                f'{{"doc_id":{_json_value(doc_id)},"idx":{idx},"date":{_json_value(day)},'
                f'{event[1:-1]},"cluster_id":{_json_value(cluster)},"corrected":{_json_value(corrected)}}}\n'
            )
        written += len(rows)
    return written


def _layout(layout: Layout) -> Callable[[Connection, Selection, IO[str], ExportOptions], int]:
    """The writer of a published tab-separated layout (POLECAT, ICEWS): one row per event."""

    def write(con: Connection, selection: Selection, handle: IO[str], options: ExportOptions) -> int:
        sql = story_sql(selection.where, selection.direction, selection.limit_sql)
        rows = (
            dict(zip(names, values, strict=True))
            for names, batch in _batches(con, sql, selection.params, selection.progress)
            for values in batch
        )
        return layout.write(handle, rows, header=options.header is not False)

    return write


# -- GDELT -----------------------------------------------------------------------------------
def gdelt_actor(country: str | None, sectors: list[str] | None, name: str | None) -> list[str]:
    """The 10 GDELT actor fields: Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1,
    Religion2, Type1..3 (PLOVER sectors are CAMEO type codes)."""
    if not country and not sectors and not name:
        return [""] * 10
    known = _KNOWN_GROUPS.get(country or "", "")
    if known:
        country_code, head, types = "", "IGO" + known, ["IGO", *(sectors or [])]
    elif country in _TYPE_CODES:
        country_code, head, types = "", country or "", [country or "", *(sectors or [])]
    else:
        country_code, head, types = country or "", country or "", list(sectors or [])
    types = [t for t in dict.fromkeys(types) if t]
    code = head + next((t for t in types if t not in {"IGO", country}), "")
    return [code, (name or "").upper(), country_code, known, "", "", "", *[*types, "", "", ""][:3]]


def _coded(cluster: dict[str, Any], side: str) -> tuple[str | None, list[str] | None, str | None]:
    """Country, sectors and name of an actor as GDELT gives them: the words of an actor that
    is neither coded nor resolved are no actor."""
    country, sectors = cluster.get(f"{side}_country"), cluster.get(f"{side}_sectors")
    name = cluster.get(f"{side}_name") or (cluster.get(f"{side}_text") if country or sectors else None)
    return country, sectors, name


def _root_codes(cameo: str | None) -> tuple[str, str, str]:
    if not cameo:
        return "", "", ""
    return cameo, cameo[:3], cameo[:2]


def _actor_geo(country: str | None, action: dict[str, Any]) -> list[str]:
    place = actor_place(country, action)
    return gdelt_place(place) if place else list(NO_PLACE)


def gdelt_row(cluster: dict[str, Any]) -> list[str]:
    """The 61 fields of one event cluster."""
    day = cluster.get("date")
    if isinstance(day, date):
        dates = [
            day.strftime("%Y%m%d"),
            day.strftime("%Y%m"),
            day.strftime("%Y"),
            f"{day.year + (day.month * 30 + day.day) / 365:.4f}",
        ]
    else:
        dates = ["", "", "", ""]
    added = cluster.get("added")
    goldstein = cluster.get("goldstein")
    action = {k[len("location_") :]: v for k, v in cluster.items() if k.startswith("location_")}
    values: list[Any] = [
        cluster["cluster_id"],
        *dates,
        *gdelt_actor(*_coded(cluster, "source")),
        *gdelt_actor(*_coded(cluster, "target")),
        1 if cluster.get("in_lead") else 0,
        *_root_codes(cluster.get("cameo")),
        cluster.get("quad_class") or "",
        "" if goldstein is None else f"{goldstein:g}",
        cluster["num_mentions"],
        cluster["num_sources"],
        cluster["num_articles"],
        "",  # AvgTone: communique scores no tone, and writes none rather than a made-up 0
        *_actor_geo(cluster.get("source_country"), action),
        *_actor_geo(cluster.get("target_country"), action),
        *gdelt_place(action),
        added.strftime("%Y%m%d%H%M%S") if isinstance(added, datetime) else "",
        cluster.get("url") or "",
    ]
    return [cell(v) for v in values]


def _gdelt(con: Connection, selection: Selection, handle: IO[str], options: ExportOptions) -> int:
    sql = (
        f"SELECT * FROM ({matching_clusters_sql(selection.where)}) "
        f"ORDER BY date {selection.direction} NULLS LAST, cluster_id" + selection.limit_sql
    )
    writer = tsv_writer(handle)
    if options.header:
        writer.writerow(GDELT_BIGQUERY_COLUMNS if options.column_names == "bigquery" else GDELT_COLUMNS)
    written = 0
    for names, rows in _batches(con, sql, selection.params, selection.progress):
        for values in rows:
            writer.writerow(gdelt_row(dict(zip(names, values, strict=True))))
        written += len(rows)
    return written


# -- the extract lines back ------------------------------------------------------------------
def _results(con: Connection, selection: Selection, handle: IO[str], options: ExportOptions) -> int:
    selective = selection.where != "TRUE"
    chosen = f"WHERE d.id IN (SELECT doc_id FROM events e WHERE {selection.where})" if selective else ""
    sql = f"""
WITH docs AS (SELECT * FROM documents d {chosen}),
m AS (SELECT doc_id, list(mention_json ORDER BY idx) AS j FROM actor_mentions
      WHERE doc_id IN (SELECT id FROM docs) GROUP BY doc_id),
ev AS (SELECT doc_id, list(event_json ORDER BY idx) AS j FROM events
       WHERE doc_id IN (SELECT id FROM docs) GROUP BY doc_id),
q AS (SELECT doc_id, list(quote_json ORDER BY idx) AS j FROM quotes
      WHERE doc_id IN (SELECT id FROM docs) GROUP BY doc_id)
SELECT docs.id, docs.source, docs.title, docs.date, docs.url, docs.text,
    m.j, docs.entities_json, ev.j, q.j, docs.places_json, docs.errors_json
FROM docs LEFT JOIN m ON m.doc_id = docs.id LEFT JOIN ev ON ev.doc_id = docs.id
    LEFT JOIN q ON q.doc_id = docs.id
ORDER BY docs.date NULLS LAST, docs.id{selection.limit_sql}"""
    written = 0
    for _, rows in _batches(con, sql, selection.params if selective else {}):
        for doc_id, source, title, day, url, text, mentions, entities, events, quotes, places, errors in rows:
            handle.write(
                "{"
                f'"id":{_json_value(doc_id)},"source":{_json_value(source)},"title":{_json_value(title)},'
                f'"date":{_json_value(day)},"url":{_json_value(url)},"text":{_json_value(text)},'
                f'"actors":[{",".join(mentions or [])}],"entities":{_compact(entities)},'
                f'"events":[{",".join(events or [])}],"quotes":[{",".join(quotes or [])}],'
                f'"places":{_compact(places)},"errors":{_compact(errors)}'
                "}\n"
            )
        written += len(rows)
    return written


def _compact(stored: str | None) -> str:
    if not stored:
        return "[]"
    return json.dumps(json.loads(stored), ensure_ascii=False, separators=(",", ":"))


# -- the registry ----------------------------------------------------------------------------
# Every export format by name, in the order the command line lists them.
EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("jsonl", "one JSON object per event, as `query events` gives it", _jsonl),
        Exporter(
            "csv",
            "one row per event: its columns (lists joined by ';'), title, url, outlet",
            _csv,
            options=frozenset({"header"}),
        ),
        Exporter(
            "parquet", "one row per event: as csv with lists as lists, plus event_json", _parquet, binary=True
        ),
        Exporter(
            "gdelt",
            "GDELT 2.0 event table: 61 tab-separated columns, one row per event cluster",
            _gdelt,
            options=frozenset({"header", "column_names"}),
        ),
        Exporter(
            "polecat",
            "POLECAT's weekly files: their 40 tab-separated columns, one row per event",
            _layout(POLECAT),
            options=frozenset({"header"}),
        ),
        Exporter(
            "icews",
            "ICEWS's event files: their 20 tab-separated columns, one row per event",
            _layout(ICEWS),
            options=frozenset({"header"}),
        ),
        Exporter("results", "the extract lines back, one per document", _results),
    )
}
FORMATS = tuple(EXPORTERS)
