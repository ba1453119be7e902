"""Exports: the store's events as JSONL, CSV, Parquet, GDELT 2.0 event rows, POLECAT-style
JSON records, or the extract lines themselves (``results``).

All take the same ``Filters`` as the queries and stream, so a large store exports in
bounded memory. docs/store.md lists every column.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from communique import __version__
from communique.store.db import Connection, Store, reading
from communique.store.queries import Filters
from communique.store.schema import clusters_sql

StoreLike = Store | str | Path | Connection
FORMATS = ("jsonl", "csv", "parquet", "gdelt", "polecat", "results")
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

# PLOVER's non-country actor codes, as CAMEO codes them: known group (UNO, EEC) or type (IGO ...).
_KNOWN_GROUPS = {"UNO": "UNO", "EUR": "EEC"}
_TYPE_CODES = {"IGO", "NGO", "MNC"}

# Columns of one event row, flat: lists kept as lists (Parquet) or joined by ';' (CSV).
_LIST_COLUMNS = ("context", "source_sectors", "target_sectors", "reported_by_sectors")


def _flat_sql(where: str, newest: bool, *, text_lists: bool, with_json: bool) -> str:
    cols = "e.* EXCLUDE (event_json)" if not with_json else "e.*"
    if text_lists:
        cols += " REPLACE (" + ", ".join(f"array_to_string(e.{c}, ';') AS {c}" for c in _LIST_COLUMNS) + ")"
    direction = "DESC" if newest else "ASC"
    return (
        f"SELECT {cols}, d.title, d.url, d.outlet FROM events e JOIN documents d ON d.id = e.doc_id "
        f"WHERE {where} ORDER BY e.date {direction} NULLS LAST, e.doc_id, e.idx"
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


def _limit_sql(limit: int | None) -> str:
    return f" LIMIT {int(limit)}" if limit is not None else ""


def export(
    db: StoreLike,
    fmt: str,
    out: str | Path | IO[str],
    filters: Filters | None = None,
    *,
    newest: bool = False,
    limit: int | None = None,
    **filter_args: Any,
) -> int:
    """Write the events matching the filters to ``out`` (a path, '-' or a text stream) in
    ``fmt``; return the number of records written."""
    if fmt not in FORMATS:
        raise ValueError(f"format is one of {', '.join(FORMATS)}, not {fmt!r}")
    flt = Filters.make(filters, **filter_args)
    where, params = flt.where(alias="e")
    with reading(db) as con:
        if fmt == "parquet":
            if not isinstance(out, str | Path) or str(out) == "-":
                raise ValueError("Parquet is written to a file: give -o FILE.parquet")
            return _parquet(
                con,
                _flat_sql(where, newest, text_lists=False, with_json=True) + _limit_sql(limit),
                params,
                Path(out),
            )
        with _text_out(out) as handle:
            if fmt == "csv":
                sql = _flat_sql(where, newest, text_lists=True, with_json=False) + _limit_sql(limit)
                return _csv(con, sql, params, handle)
            if fmt == "jsonl":
                return _jsonl(con, where, params, newest, limit, handle)
            if fmt == "polecat":
                return _polecat(con, where, params, newest, limit, handle)
            if fmt == "gdelt":
                return _gdelt(con, where, params, newest, limit, handle)
            return _results(con, where, params, limit, handle)


def _batches(con: Connection, sql: str, params: dict[str, Any]) -> Iterator[tuple[list[str], list[tuple]]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    while True:
        rows = cursor.fetchmany(_CHUNK)
        if not rows:
            return
        yield names, rows


def _parquet(con: Connection, sql: str, params: dict[str, Any], path: Path) -> int:
    import pyarrow.parquet as pq

    relation = con.sql(sql, params=params)
    # DuckDB 2 names it to_arrow_reader; 1.x record_batch
    fetch = getattr(relation, "to_arrow_reader", None) or relation.record_batch
    reader = fetch(_CHUNK)
    written = 0
    with pq.ParquetWriter(path, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            written += batch.num_rows
    return written


def _csv(con: Connection, sql: str, params: dict[str, Any], handle: IO[str]) -> int:
    writer = csv.writer(handle, lineterminator="\n")
    written = 0
    header = False
    for names, rows in _batches(con, sql, params):
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


def _jsonl(
    con: Connection, where: str, params: dict[str, Any], newest: bool, limit: int | None, handle: IO[str]
) -> int:
    direction = "DESC" if newest else "ASC"
    sql = (
        f"SELECT e.doc_id, e.idx, e.date, e.cluster_id, e.event_json FROM events e WHERE {where} "
        f"ORDER BY e.date {direction} NULLS LAST, e.doc_id, e.idx" + _limit_sql(limit)
    )
    written = 0
    for _, rows in _batches(con, sql, params):
        for doc_id, idx, day, cluster, event in rows:
            # the event's own JSON, spliced: the extract shape plus where it came from
            handle.write(
                f'{{"doc_id":{_json_value(doc_id)},"idx":{idx},"date":{_json_value(day)},'
                f'{event[1:-1]},"cluster_id":{_json_value(cluster)}}}\n'
            )
        written += len(rows)
    return written


def _polecat(
    con: Connection, where: str, params: dict[str, Any], newest: bool, limit: int | None, handle: IO[str]
) -> int:
    sql = _flat_sql(where, newest, text_lists=False, with_json=False) + _limit_sql(limit)
    written = 0
    for names, rows in _batches(con, sql, params):
        for values in rows:
            handle.write(
                json.dumps(polecat_record(dict(zip(names, values, strict=True))), ensure_ascii=False)
            )
            handle.write("\n")
        written += len(rows)
    return written


def polecat_record(row: dict[str, Any]) -> dict[str, Any]:
    """One event as a POLECAT-style record (PLOVER fields under POLECAT's names, snake_case)."""

    def actor(prefix: str, label: str) -> dict[str, Any]:
        sectors = list(row.get(f"{prefix}_sectors") or [])
        return {
            f"{label}_name": row.get(f"{prefix}_name"),
            f"{label}_country": row.get(f"{prefix}_country"),
            f"primary_{label}_sector": sectors[0] if sectors else None,
            f"{label}_sectors": sectors,
            f"{label}_title": row.get(f"{prefix}_role"),
            f"{label}_name_raw": row.get(f"{prefix}_text"),
        }

    day = row.get("date")
    return {
        "event_id": f"{row['doc_id']}#{row['idx']}",
        "story_id": row["doc_id"],
        "event_date": day.isoformat() if isinstance(day, date) else day,
        "event_type": row.get("type"),
        "event_mode": row.get("mode"),
        "contexts": list(row.get("context") or []),
        "status": row.get("status"),
        "quad_class": row.get("quad_class"),
        "cameo": row.get("cameo"),
        "goldstein": row.get("goldstein"),
        **actor("source", "actor"),
        **actor("target", "recipient"),
        "reported_by": row.get("reported_by_name") or row.get("reported_by_text"),
        "source": row.get("outlet"),
        "publication_date": day.isoformat() if isinstance(day, date) else day,
        "headline": row.get("title"),
        "url": row.get("url"),
        "event_text": row.get("sentence_text"),
        "trigger": row.get("trigger_text"),
        "trigger_start": row.get("trigger_start"),
        "trigger_end": row.get("trigger_end"),
        "confidence": row.get("confidence"),
        "cluster_id": row.get("cluster_id"),
        "language": "en",
        "version": f"communique {__version__}",
    }


# -- GDELT -----------------------------------------------------------------------------------
def _clean_field(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return " ".join(text.split()) if any(c in text for c in "\t\n\r") else text


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
    no_geo = ["0", "", "", "", "", "", "", ""]
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
        "",  # AvgTone: communique does not score tone
        *no_geo,
        *no_geo,
        *no_geo,  # no geocoding: the coder does not locate events
        added.strftime("%Y%m%d%H%M%S") if isinstance(added, datetime) else "",
        cluster.get("url") or "",
    ]
    return [_clean_field(v) for v in values]


def _gdelt(
    con: Connection, where: str, params: dict[str, Any], newest: bool, limit: int | None, handle: IO[str]
) -> int:
    direction = "DESC" if newest else "ASC"
    sql = (
        f"SELECT * FROM ({clusters_sql(where)}) ORDER BY date {direction} NULLS LAST, cluster_id"
        + _limit_sql(limit)
    )
    written = 0
    for names, rows in _batches(con, sql, params):
        for values in rows:
            handle.write("\t".join(gdelt_row(dict(zip(names, values, strict=True)))) + "\n")
        written += len(rows)
    return written


# -- the extract lines back ------------------------------------------------------------------
def _results(con: Connection, where: str, params: dict[str, Any], limit: int | None, handle: IO[str]) -> int:
    selective = where != "TRUE"
    chosen = f"WHERE d.id IN (SELECT doc_id FROM events e WHERE {where})" if selective else ""
    sql = f"""
WITH docs AS (SELECT * FROM documents d {chosen}),
m AS (SELECT doc_id, list(mention_json ORDER BY idx) AS j FROM actor_mentions
      WHERE doc_id IN (SELECT id FROM docs) GROUP BY doc_id),
ev AS (SELECT doc_id, list(event_json ORDER BY idx) AS j FROM events
       WHERE doc_id IN (SELECT id FROM docs) GROUP BY doc_id),
q AS (SELECT doc_id, list(quote_json ORDER BY idx) AS j FROM quotes
      WHERE doc_id IN (SELECT id FROM docs) GROUP BY doc_id)
SELECT docs.id, docs.source, docs.title, docs.date, docs.url, docs.text,
    m.j, docs.entities_json, ev.j, q.j, docs.errors_json
FROM docs LEFT JOIN m ON m.doc_id = docs.id LEFT JOIN ev ON ev.doc_id = docs.id
    LEFT JOIN q ON q.doc_id = docs.id
ORDER BY docs.date NULLS LAST, docs.id""" + _limit_sql(limit)
    written = 0
    for _, rows in _batches(con, sql, params if selective else {}):
        for doc_id, source, title, day, url, text, mentions, entities, events, quotes, errors in rows:
            handle.write(
                "{"
                f'"id":{_json_value(doc_id)},"source":{_json_value(source)},"title":{_json_value(title)},'
                f'"date":{_json_value(day)},"url":{_json_value(url)},"text":{_json_value(text)},'
                f'"actors":[{",".join(mentions or [])}],"entities":{_compact(entities)},'
                f'"events":[{",".join(events or [])}],"quotes":[{",".join(quotes or [])}],'
                f'"errors":{_compact(errors)}'
                "}\n"
            )
        written += len(rows)
    return written


def _compact(stored: str | None) -> str:
    if not stored:
        return "[]"
    return json.dumps(json.loads(stored), ensure_ascii=False, separators=(",", ":"))
