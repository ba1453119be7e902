"""Published event-data layouts the store exports to: POLECAT's weekly files and ICEWS's
event files, as tab-separated text with a header row; and how every tab-separated export
(these and GDELT) is written so that any CSV/TSV reader reads it back.

A layout is a list of ``(column, value)`` pairs in the published order: the column's name
as the published files spell it, and how its value comes from one exported row (an
``events`` row joined to its document, with the story's people, organisations and the
number of its sentence: ``story_sql``). docs/exports.md maps each column to its field.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import IO, Any

from communique import __version__

Row = dict[str, Any]
Value = Callable[[Row], Any]

# Quad classes as POLECAT writes them in its Quad Code column.
QUAD_NAMES = {
    1: "VERBAL COOPERATION",
    2: "MATERIAL COOPERATION",
    3: "VERBAL CONFLICT",
    4: "MATERIAL CONFLICT",
}
LIST_SEPARATOR = "; "  # POLECAT's lists (its COW codes) are joined so


# -- writing ---------------------------------------------------------------------------------
def cell(value: Any) -> str:
    """One field as text: empty for None, tabs and line breaks as spaces (every layout is one
    record per line), lists joined by ``LIST_SEPARATOR``."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(cell(v) for v in value if v is not None and v != "")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return " ".join(text.split()) if any(c in text for c in "\t\n\r") else text


def tsv_writer(handle: IO[str]) -> Any:
    """A writer of tab-separated rows that pandas, DuckDB, R and spreadsheets read back: a
    field with a double quote in it is quoted, its quotes doubled (RFC 4180); every other
    field is written as it is, so a file with no quotes in it is byte for byte what a plain
    tab-joined file would be (the GDELT files)."""
    return csv.writer(handle, delimiter="\t", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")


@dataclass(frozen=True)
class Layout:
    """A published tab-separated layout: its columns, in order, each with its value."""

    name: str
    fields: tuple[tuple[str, Value], ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    def row(self, row: Row) -> list[str]:
        return [cell(value(row)) for _, value in self.fields]

    def write(self, handle: IO[str], rows: Iterable[Row], *, header: bool = True) -> int:
        writer = tsv_writer(handle)
        if header:
            writer.writerow(self.columns)
        written = 0
        for row in rows:
            writer.writerow(self.row(row))
            written += 1
        return written


def story_sql(where: str, direction: str, limit_sql: str) -> str:
    """The selected events, one row each, with their document's title, url, outlet and
    places, the story's people and organisations (the resolved names of its actor mentions of
    those kinds), and ``sentence_number``: the event's sentence counted among the story's
    sentences that have an event (1 for the first)."""
    return f"""
WITH sel AS (
    SELECT e.* EXCLUDE (event_json), d.title, d.url, d.outlet, d.places_json
    FROM events e JOIN documents d ON d.id = e.doc_id
    WHERE {where}
    ORDER BY e.date {direction} NULLS LAST, e.doc_id, e.idx{limit_sql}
),
who AS (
    SELECT doc_id,
        list_sort(list(DISTINCT name) FILTER (WHERE kind = 'person')) AS story_people,
        list_sort(list(DISTINCT name) FILTER (WHERE kind IN ('organization', 'media'))) AS story_organizations
    FROM actor_mentions WHERE doc_id IN (SELECT doc_id FROM sel) GROUP BY doc_id
),
sentences AS (
    SELECT doc_id, sentence_start,
        dense_rank() OVER (PARTITION BY doc_id ORDER BY sentence_start) AS sentence_number
    FROM (SELECT DISTINCT doc_id, sentence_start FROM events WHERE doc_id IN (SELECT doc_id FROM sel))
)
SELECT sel.*, who.story_people, who.story_organizations, sentences.sentence_number
FROM sel LEFT JOIN who ON who.doc_id = sel.doc_id
    LEFT JOIN sentences ON sentences.doc_id = sel.doc_id AND sentences.sentence_start = sel.sentence_start
ORDER BY sel.date {direction} NULLS LAST, sel.doc_id, sel.idx"""


# -- what the layouts share ------------------------------------------------------------------
def _get(name: str) -> Value:
    return lambda row: row.get(name)


def _event_id(row: Row) -> str:
    return f"{row['doc_id']}#{row['idx']}"


@lru_cache(maxsize=4096)
def _places(places_json: str | None) -> tuple[str, ...]:
    """The distinct places a story names (the gazetteer's name, else the words), in text order."""
    names = (p.get("name") or p.get("text") for p in json.loads(places_json or "[]"))
    return tuple(dict.fromkeys(n for n in names if n))


def _story_locations(row: Row) -> tuple[str, ...]:
    return _places(row.get("places_json"))


def country_name(code: str | None) -> str | None:
    """A country's name from its ISO3 code (GeoNames' name: 'Russia', 'Iran'); None for a
    code that is no country (IGO, UNO, EUR ...)."""
    if not code:
        return None
    from communique.places.gazetteer import load_gazetteer

    entry = load_gazetteer().countries.get(code)
    return entry.name if entry is not None else None


def sector_names(codes: Sequence[str] | None) -> list[str]:
    """PLOVER sector codes by their names, capitalised as ICEWS writes its sectors ('Military')."""
    from communique.events.ontology import load_ontology

    sectors = load_ontology().sectors
    return [sectors.get(code, code).capitalize() for code in codes or ()]


def _city(row: Row) -> str | None:
    """The event's place when it is a town (GeoNames PPL*)."""
    code = row.get("location_feature_code") or ""
    return row.get("location_name") if code.startswith("PPL") else None


def _with_point(name: str) -> Value:
    """A place field, only for a place the gazetteer resolved."""
    return lambda row: row.get(name) if row.get("location_lat") is not None else None


# -- POLECAT ---------------------------------------------------------------------------------
def _polecat_actor(prefix: str, label: str) -> tuple[tuple[str, Value], ...]:
    return (
        (f"{label} Name", lambda row: row.get(f"{prefix}_name") or row.get(f"{prefix}_text")),
        (f"{label} Country", _get(f"{prefix}_country")),
        (f"{label} COW", lambda row: None),  # communique codes ISO 3166 countries, not COW numbers
        (f"Primary {label} Sector", lambda row: next(iter(row.get(f"{prefix}_sectors") or ()), None)),
        (f"{label} Sectors", _get(f"{prefix}_sectors")),
        (f"{label} Title", _get(f"{prefix}_role")),
        (f"{label} Name Raw", _get(f"{prefix}_text")),
        (f"Wikipedia {label} ID", lambda row: None),  # no Wikipedia links in the knowledge tables
    )


# The 40 columns of POLECAT's weekly files (ngecEvents.*.txt), in their order.
POLECAT = Layout(
    "polecat",
    (
        ("Event ID", _event_id),
        ("Event Date", _get("date")),
        ("Event Type", _get("type")),
        ("Event Mode", _get("mode")),
        ("Intensity", _get("goldstein")),
        ("Quad Code", lambda row: QUAD_NAMES.get(row.get("quad_class") or 0)),
        ("Contexts", _get("context")),
        *_polecat_actor("source", "Actor"),
        *_polecat_actor("target", "Recipient"),
        ("Placename", _get("location_name")),
        ("City", _city),
        ("District", lambda row: None),  # the gazetteer resolves first-level divisions only
        ("Province", _with_point("location_admin1")),
        ("Country", _get("location_country")),
        ("Latitude", _get("location_lat")),
        ("Longitude", _get("location_lon")),
        ("GeoNames ID", _get("location_geonames_id")),
        ("Raw Placename", _get("location_text")),
        ("Feature Type", _get("location_feature_code")),
        ("Source", _get("outlet")),
        ("Publication Date", _get("date")),
        ("Story People", _get("story_people")),
        ("Story Organizations", _get("story_organizations")),
        ("Story Locations", _story_locations),
        ("Language", lambda row: "en"),
        ("Version", lambda row: f"communique {__version__}"),
    ),
)
assert len(POLECAT.columns) == 40


# -- ICEWS -----------------------------------------------------------------------------------
def _icews_name(prefix: str) -> Value:
    """The actor as ICEWS names it: its resolved name; a generic actor by its sector and
    country ('Military (Russia)'); else the words of the text."""

    def name(row: Row) -> str | None:
        if row.get(f"{prefix}_name"):
            return str(row[f"{prefix}_name"])
        sectors = sector_names(row.get(f"{prefix}_sectors"))
        country = country_name(row.get(f"{prefix}_country"))
        if sectors and country:
            return f"{sectors[0]} ({country})"
        return country or (sectors[0] if sectors else None) or row.get(f"{prefix}_text")

    return name


def _icews_sectors(prefix: str) -> Value:
    return lambda row: ",".join(sector_names(row.get(f"{prefix}_sectors"))) or None


def _cameo_name(row: Row) -> str | None:
    from communique.events.ontology import load_ontology

    code = load_ontology().code(row.get("cameo"))
    return code.name if code is not None else None


def _icews_actor(prefix: str, label: str) -> tuple[tuple[str, Value], ...]:
    return (
        (f"{label} Name", _icews_name(prefix)),
        (f"{label} Sectors", _icews_sectors(prefix)),
        (f"{label} Country", lambda row: country_name(row.get(f"{prefix}_country"))),
    )


# The 20 columns of ICEWS's event files (events.YYYY.*.tab), in their order.
ICEWS = Layout(
    "icews",
    (
        ("Event ID", _event_id),
        ("Event Date", _get("date")),
        *_icews_actor("source", "Source"),
        ("Event Text", _cameo_name),
        ("CAMEO Code", _get("cameo")),
        ("Intensity", _get("goldstein")),
        *_icews_actor("target", "Target"),
        ("Story ID", _get("doc_id")),
        ("Sentence Number", _get("sentence_number")),
        ("Publisher", _get("outlet")),
        ("City", _city),
        ("District", lambda row: None),
        ("Province", _with_point("location_admin1")),
        ("Country", lambda row: country_name(row.get("location_country"))),
        ("Latitude", _get("location_lat")),
        ("Longitude", _get("location_lon")),
    ),
)
assert len(ICEWS.columns) == 20
