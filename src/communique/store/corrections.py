"""Corrections: what an analyst says is wrong with the extracted data, kept apart from it.

A correction is a row of its own table (``corrections``), never an edit of ``events`` or
``actor_mentions``: who made it, when, why, and what it changes (``patch``, a JSON object).

* An **event** correction names its event by document id and evidence span (the trigger's
  character offsets), so it finds the same event again after the document is re-ingested
  (``ingest --replace``) or re-extracted by a newer pipeline that reads the same words. It
  marks the event wrong (``{"wrong": true}``: no such event; the event leaves every list,
  count and export) or fixes its type (its CAMEO code, Goldstein score and quad class follow
  from the ontology), status, source or target (``{"country": "RUS", "sectors": ["GOV"]}``).
* An **actor** correction names an actor by its resolved name (case-insensitive) and fixes its
  country and sectors everywhere the actor appears (events' sources and targets, mentions,
  quote speakers), or suppresses it as a coding.

Each new correction of the same event or actor carries the earlier one's patch merged with its
own, so the newest row is the whole of what holds, and the older rows are its history.

Every reader of the store sees the data corrected: ``install`` puts temporary views named
``events``, ``actor_mentions`` and ``quotes`` in front of the stored tables on each read-only
connection (``Store.read``, the server's cursors), with a ``corrected`` column that says which
rows a correction changed. The stored tables stay as extracted.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from communique.models import EventStatus
from communique.store.db import Connection, Store, reading

StoreLike = Store | str | Path | Connection

DDL = """
CREATE TABLE IF NOT EXISTS corrections (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,          -- 'event' or 'actor'
    doc_id VARCHAR,                 -- event: the document
    start_char INTEGER,             -- event: the trigger's span (the evidence)
    end_char INTEGER,
    evidence VARCHAR,               -- event: the trigger's words when corrected
    actor VARCHAR,                  -- actor: the resolved name
    patch VARCHAR NOT NULL,         -- JSON: everything that holds for it now
    author VARCHAR NOT NULL,
    reason VARCHAR,
    created_at TIMESTAMP NOT NULL
);
"""

KINDS = ("event", "actor")
SIDES = ("source", "target")
NO_EVENT = "NONE"  # the training label of a sentence whose event was marked wrong (events.model)
STATUSES = tuple(s.value for s in EventStatus)


class CorrectionError(ValueError):
    """A correction that cannot be made, in words a user can act on."""


@dataclass(frozen=True)
class Correction:
    """One row of ``corrections``."""

    id: str
    kind: str
    patch: dict[str, Any]
    author: str
    reason: str | None
    created_at: datetime
    doc_id: str | None = None
    start_char: int | None = None
    end_char: int | None = None
    evidence: str | None = None
    actor: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "doc_id": self.doc_id,
            "start": self.start_char,
            "end": self.end_char,
            "evidence": self.evidence,
            "actor": self.actor,
            "patch": self.patch,
            "author": self.author,
            "reason": self.reason,
            "created_at": self.created_at.isoformat(timespec="seconds"),
        }


# -- reading through the corrections ---------------------------------------------------------
def has_corrections(con: Connection) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'corrections' AND schema_name = 'main' "
        "AND database_name = current_database()"
    ).fetchone()
    return bool(found and found[0])


def _code(patch: str, what: str, extracted: str) -> str:
    """An actor's country or sectors: the patch's when there is a patch (a suppressed actor's
    is null), else what was extracted."""
    value = f"{patch} ->> 'country'" if what == "country" else f"CAST({patch} -> 'sectors' AS VARCHAR[])"
    return f"CASE WHEN {patch} IS NOT NULL THEN {value} ELSE {extracted} END"


def _side_items(side: str, event_patch: str, actor_patch: str) -> list[str]:
    """One side's country and sectors: the event's own fix of that side first, then the fix of
    the actor it names, then what was extracted."""
    own = f"({event_patch} -> '{side}')"
    return [
        f"{_code(own, what, _code(actor_patch, what, f'e.{side}_{what}'))} AS {side}_{what}"
        for what in ("country", "sectors")
    ]


def _code_json(patch: str) -> str:
    """The part of an actor patch that goes into a record's JSON: its country and sectors."""
    return f"json_object('country', {patch} -> 'country', 'sectors', {patch} -> 'sectors')"


def _whole(patch: str) -> str:
    """An actor patch for a mention's own JSON ('{}' without one)."""
    return f"CASE WHEN {patch} IS NULL THEN '{{}}'::JSON ELSE {_code_json(patch)} END"


def _nested(key: str, patch: str) -> str:
    """An actor patch for the actor ``key`` inside a record's JSON ('{}' without one)."""
    return f"CASE WHEN {patch} IS NULL THEN '{{}}'::JSON ELSE json_object('{key}', {_code_json(patch)}) END"


def _merge(json_col: str, parts: list[str]) -> str:
    for part in parts:
        json_col = f"json_merge_patch({json_col}, {part})"
    return f"CAST({json_col} AS VARCHAR)"


def _views(base: str) -> list[str]:
    actors = (
        f"SELECT lower(actor) AS actor, arg_max(patch, created_at)::JSON AS patch FROM {base}.corrections "
        "WHERE kind = 'actor' GROUP BY lower(actor)"
    )
    fixes = (
        "SELECT doc_id, start_char, end_char, arg_max(patch, created_at)::JSON AS patch "
        f"FROM {base}.corrections WHERE kind = 'event' GROUP BY ALL"
    )
    ev = "ec.patch"
    # the event's own patch less what is no field of an event (wrong); its sides as codes only
    own_json = (
        f"CASE WHEN {ev} IS NULL THEN '{{}}'::JSON ELSE json_merge_patch({ev}, "
        f"json_object('wrong', NULL, 'source', NULL, 'target', NULL)) END"
    )
    sides_json = [
        f"CASE WHEN ({ev} -> '{side}') IS NULL THEN '{{}}'::JSON "
        f"ELSE json_object('{side}', {_code_json(f'({ev} -> {chr(39)}{side}{chr(39)})')}) END"
        for side in SIDES
    ]
    event_items = [
        f"coalesce({ev} ->> 'type', e.type) AS type",
        f"CASE WHEN ({ev} ->> 'type') IS NOT NULL THEN {ev} ->> 'mode' ELSE e.mode END AS mode",
        f"coalesce({ev} ->> 'cameo', e.cameo) AS cameo",
        f"coalesce(CAST({ev} ->> 'goldstein' AS DOUBLE), e.goldstein) AS goldstein",
        f"coalesce(CAST({ev} ->> 'quad_class' AS TINYINT), e.quad_class) AS quad_class",
        f"coalesce({ev} ->> 'status', e.status) AS status",
        *_side_items("source", ev, "sa.patch"),
        *_side_items("target", ev, "ta.patch"),
        "{} AS event_json".format(
            _merge(
                "e.event_json",
                [_nested("source", "sa.patch"), _nested("target", "ta.patch"), own_json, *sides_json],
            )
        ),
    ]
    # every event, with ``wrong``: the article page shows the ones marked wrong, struck out
    every = f"""
CREATE OR REPLACE TEMP VIEW events_all AS
WITH fixes AS ({fixes}), actor_fixes AS ({actors})
SELECT e.* REPLACE ({", ".join(event_items)}),
    ({ev} IS NOT NULL OR sa.patch IS NOT NULL OR ta.patch IS NOT NULL) AS corrected,
    coalesce(CAST({ev} ->> 'wrong' AS BOOLEAN), FALSE) AS wrong
FROM {base}.events e
LEFT JOIN fixes ec ON ec.doc_id = e.doc_id AND ec.start_char = e.trigger_start AND ec.end_char = e.trigger_end
LEFT JOIN actor_fixes sa ON sa.actor = lower(e.source_name)
LEFT JOIN actor_fixes ta ON ta.actor = lower(e.target_name)
"""
    events = "CREATE OR REPLACE TEMP VIEW events AS SELECT * EXCLUDE (wrong) FROM events_all WHERE NOT wrong"
    mention_items = [
        f"{_code('a.patch', 'country', 'm.country')} AS country",
        f"{_code('a.patch', 'sectors', 'm.sectors')} AS sectors",
        f"{_merge('m.mention_json', [_whole('a.patch')])} AS mention_json",
    ]
    mentions = f"""
CREATE OR REPLACE TEMP VIEW actor_mentions AS
WITH actor_fixes AS ({actors})
SELECT m.* REPLACE ({", ".join(mention_items)}), a.patch IS NOT NULL AS corrected
FROM {base}.actor_mentions m LEFT JOIN actor_fixes a ON a.actor = lower(m.name)
"""
    quote_items = [
        f"{_code('a.patch', 'country', 'q.speaker_country')} AS speaker_country",
        f"{_code('a.patch', 'sectors', 'q.speaker_sectors')} AS speaker_sectors",
        f"{_merge('q.quote_json', [_nested('speaker', 'a.patch')])} AS quote_json",
    ]
    quotes = f"""
CREATE OR REPLACE TEMP VIEW quotes AS
WITH actor_fixes AS ({actors})
SELECT q.* REPLACE ({", ".join(quote_items)}), a.patch IS NOT NULL AS corrected
FROM {base}.quotes q LEFT JOIN actor_fixes a ON a.actor = lower(q.speaker_name)
"""
    return [every, events, mentions, quotes]


def stored(con: Connection) -> str:
    """The prefix of the stored tables, past the corrected views: '"events".main'."""
    cat = con.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
    return '"{}".main'.format(str(cat).replace('"', '""'))


def installed(con: Connection) -> bool:
    """Whether this connection already reads through the corrected views."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = 'events'"
    ).fetchone()
    return bool(found and found[0])


def install(con: Connection) -> None:
    """Put the corrected views in front of the stored tables on this read-only connection;
    a store with no corrections gets views that only add ``corrected`` (false). ``events_all``
    also holds the events marked wrong, with ``wrong``."""
    base = stored(con)
    if has_corrections(con):
        views = _views(base)
    else:
        views = [
            f"CREATE OR REPLACE TEMP VIEW events_all AS SELECT *, FALSE AS corrected, FALSE AS wrong "
            f"FROM {base}.events",
            *(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT *, FALSE AS corrected FROM {base}.{name}"
                for name in ("events", "actor_mentions", "quotes")
            ),
        ]
    for sql in views:
        con.execute(sql)


# -- making corrections ----------------------------------------------------------------------
def _actor_patch(value: Any, what: str) -> dict[str, Any]:
    """'RUS', 'RUS GOV', 'RUS GOV/MIL' or {'country': ..., 'sectors': [...]} -> a patch."""
    if isinstance(value, Mapping):
        country, sectors = value.get("country"), value.get("sectors") or []
    else:
        words = str(value).replace("/", " ").split()
        if not words:
            raise CorrectionError(f"{what}: give a country code and optional sectors, e.g. 'RUS GOV'")
        country, sectors = words[0], words[1:]
    if not isinstance(country, str) or not country.strip().isalpha() or len(country.strip()) != 3:
        raise CorrectionError(f"{what}: {country!r} is not a three-letter code (ISO3, IGO, NGO ...)")
    if isinstance(sectors, str):
        sectors = sectors.replace("/", " ").split()
    if not all(isinstance(s, str) and s.strip().isalpha() and len(s.strip()) == 3 for s in sectors):
        raise CorrectionError(f"{what}: sectors are three-letter codes (GOV, MIL, REB ...)")
    return {"country": country.strip().upper(), "sectors": [s.strip().upper() for s in sectors]}


def _type_patch(plover_type: str) -> dict[str, Any]:
    from communique.events.ontology import load_ontology

    onto = load_ontology()
    name = plover_type.strip().upper()
    if name not in onto.types:
        raise CorrectionError(
            f"unknown event type {plover_type!r}: use one of {', '.join(sorted(onto.types))}"
        )
    cameo = onto.default_cameo(name)
    code = onto.code(cameo)
    return {
        "type": name,
        "mode": None,
        "cameo": cameo,
        "goldstein": getattr(code, "goldstein", None),
        "quad_class": onto.quad_class(name),
    }


def _write(db: Store | str | Path, correction: Correction, previous: dict[str, Any]) -> Correction:
    store = db if isinstance(db, Store) else Store(db)
    merged = {**previous, **correction.patch}
    for side in (*SIDES, "speaker"):
        if isinstance(previous.get(side), dict) and isinstance(correction.patch.get(side), dict):
            merged[side] = {**previous[side], **correction.patch[side]}
    final = Correction(**{**correction.__dict__, "patch": merged})
    with store.write() as con:
        con.execute(DDL)
        con.execute(
            "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                final.id,
                final.kind,
                final.doc_id,
                final.start_char,
                final.end_char,
                final.evidence,
                final.actor,
                json.dumps(final.patch),
                final.author,
                final.reason,
                final.created_at,
            ],
        )
    return final


def _who(author: str | None, reason: str | None) -> tuple[str, str | None]:
    if not author or not author.strip():
        raise CorrectionError("a correction needs its author (who says so)")
    return author.strip(), (reason or "").strip() or None


def _current(con: Connection, where: str, params: list[Any]) -> dict[str, Any]:
    if not has_corrections(con):
        return {}
    found = con.execute(
        f"SELECT patch FROM main.corrections WHERE {where} ORDER BY created_at DESC LIMIT 1", params
    ).fetchone()
    return json.loads(found[0]) if found else {}


def correct_event(
    db: Store | str | Path,
    doc_id: str,
    start: int,
    end: int,
    *,
    author: str,
    reason: str | None = None,
    wrong: bool | None = None,
    type: str | None = None,
    status: str | None = None,
    source: Any = None,
    target: Any = None,
) -> Correction:
    """Correct the event of document ``doc_id`` whose trigger spans ``start``-``end``."""
    author, reason = _who(author, reason)
    patch: dict[str, Any] = {}
    if wrong is not None:
        patch["wrong"] = bool(wrong)
    if type:
        patch.update(_type_patch(type))
    if status:
        if status.strip().lower() not in STATUSES:
            raise CorrectionError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        patch["status"] = status.strip().lower()
    for side, value in (("source", source), ("target", target)):
        if value:
            patch[side] = _actor_patch(value, side)
    if not patch:
        raise CorrectionError(
            "nothing to correct: mark the event wrong or give a type, status, source or target"
        )
    store = db if isinstance(db, Store) else Store(db)
    with store.read() as con:
        found = con.execute(
            f"SELECT trigger_text FROM {stored(con)}.events "
            "WHERE doc_id = ? AND trigger_start = ? AND trigger_end = ?",
            [doc_id, int(start), int(end)],
        ).fetchone()
        if found is None:
            raise CorrectionError(f"no event in document {doc_id!r} with its evidence at {start}-{end}")
        previous = _current(
            con, "kind = 'event' AND doc_id = ? AND start_char = ? AND end_char = ?", [doc_id, start, end]
        )
    made = Correction(
        id=uuid.uuid4().hex,
        kind="event",
        patch=patch,
        author=author,
        reason=reason,
        created_at=datetime.now(UTC).replace(tzinfo=None),
        doc_id=doc_id,
        start_char=int(start),
        end_char=int(end),
        evidence=found[0],
    )
    return _write(store, made, previous)


def correct_actor(
    db: Store | str | Path,
    name: str,
    *,
    author: str,
    reason: str | None = None,
    code: Any = None,
    suppress: bool = False,
) -> Correction:
    """Correct the actor named ``name`` (its resolved name): its ``code`` ('RUS GOV'), or
    ``suppress`` it (no country, no sectors)."""
    author, reason = _who(author, reason)
    if not name or not name.strip():
        raise CorrectionError("an actor correction needs the actor's name")
    if suppress:
        patch: dict[str, Any] = {"country": None, "sectors": [], "suppress": True}
    elif code:
        patch = {**_actor_patch(code, "code"), "suppress": False}
    else:
        raise CorrectionError("nothing to correct: give the actor's code (e.g. 'RUS GOV') or suppress it")
    store = db if isinstance(db, Store) else Store(db)
    with store.read() as con:
        known = con.execute(
            f"SELECT count(*) FROM {stored(con)}.actor_mentions WHERE lower(name) = lower(?)", [name.strip()]
        ).fetchone()
        if not known or not known[0]:
            raise CorrectionError(f"no actor named {name.strip()!r} in the store")
        previous = _current(con, "kind = 'actor' AND lower(actor) = lower(?)", [name.strip()])
    made = Correction(
        id=uuid.uuid4().hex,
        kind="actor",
        patch=patch,
        author=author,
        reason=reason,
        created_at=datetime.now(UTC).replace(tzinfo=None),
        actor=name.strip(),
    )
    return _write(store, made, previous)


# -- reading the corrections -----------------------------------------------------------------
def list_corrections(db: StoreLike, *, history: bool = False) -> list[dict[str, Any]]:
    """The corrections in force (newest per event or actor), newest first; ``history=True``:
    every row."""
    with reading(db) as con:
        if not has_corrections(con):
            return []
        sql = "SELECT * FROM main.corrections"
        if not history:
            sql = (
                "SELECT * FROM main.corrections QUALIFY row_number() OVER "
                "(PARTITION BY kind, doc_id, start_char, end_char, lower(actor) ORDER BY created_at DESC) = 1"
            )
        cursor = con.execute(sql + " ORDER BY created_at DESC")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return [Correction(**{**row, "patch": json.loads(row["patch"])}).as_dict() for row in rows]


def training_rows(db: StoreLike) -> list[dict[str, str]]:
    """The corrected events as labelled sentences for ``communique train events``: the
    sentence of each corrected event with its type as corrected (``NONE`` for an event marked
    wrong). Columns: text, label, doc_id, start, end, author."""
    with reading(db) as con:
        if not has_corrections(con):
            return []
        found = con.execute(
            f"""
SELECT e.sentence_text, c.patch, e.type, c.doc_id, c.start_char, c.end_char, c.author
FROM (SELECT * FROM main.corrections WHERE kind = 'event'
      QUALIFY row_number() OVER (PARTITION BY doc_id, start_char, end_char ORDER BY created_at DESC) = 1) c
JOIN {stored(con)}.events e
  ON e.doc_id = c.doc_id AND e.trigger_start = c.start_char AND e.trigger_end = c.end_char
ORDER BY c.doc_id, c.start_char"""
        ).fetchall()
    rows = []
    for sentence, patch_json, extracted, doc_id, start, end, author in found:
        patch = json.loads(patch_json)
        label = NO_EVENT if patch.get("wrong") else patch.get("type", extracted)
        rows.append(
            {
                "text": sentence,
                "label": label,
                "doc_id": doc_id,
                "start": str(start),
                "end": str(end),
                "author": author,
            }
        )
    return rows


def training_csv(db: StoreLike) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["text", "label", "doc_id", "start", "end", "author"])
    writer.writeheader()
    writer.writerows(training_rows(db))
    return out.getvalue()


def actor_entries(db: StoreLike) -> list[dict[str, Any]]:
    """The actor corrections as entries of an actor file (docs/knowledge.md): a corrected code
    corrects the shipped entry of that name, a suppressed actor suppresses it."""
    entries = []
    for row in list_corrections(db):
        if row["kind"] != "actor":
            continue
        patch = row["patch"]
        if patch.get("suppress"):
            entries.append({"name": row["actor"], "suppress": True})
        else:
            entries.append(
                {
                    "name": row["actor"],
                    "country": patch["country"],
                    "sectors": patch["sectors"],
                    "source": "user",
                }
            )
    return entries


def actor_file(db: StoreLike) -> str:
    """``actor_entries`` as YAML, for ``--actors FILE.yaml``."""
    return yaml.safe_dump(actor_entries(db), sort_keys=False, allow_unicode=True)


def import_corrections(db: Store | str | Path, rows: list[dict[str, Any]]) -> int:
    """Add corrections exported by ``list_corrections(history=True)`` (e.g. from another store,
    or before the store was rebuilt from scratch); rows already present (same id) are skipped.
    Returns how many were added. They apply wherever their document id and span match."""
    store = db if isinstance(db, Store) else Store(db)
    parsed = []
    for n, row in enumerate(rows, 1):
        try:
            kind = row["kind"]
            if kind not in KINDS or not isinstance(row["patch"], dict) or not str(row["author"]).strip():
                raise ValueError
            parsed.append(
                [
                    str(row["id"]),
                    kind,
                    row.get("doc_id"),
                    row.get("start"),
                    row.get("end"),
                    row.get("evidence"),
                    row.get("actor"),
                    json.dumps(row["patch"]),
                    str(row["author"]),
                    row.get("reason"),
                    datetime.fromisoformat(str(row["created_at"])),
                ]
            )
        except (KeyError, TypeError, ValueError):
            raise CorrectionError(
                f"correction {n} is not one that `corrections list --history` writes"
            ) from None
    with store.write() as con:
        con.execute(DDL)
        before = con.execute("SELECT count(*) FROM corrections").fetchone()[0]  # type: ignore[index]
        con.executemany("INSERT OR IGNORE INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", parsed)
        after = con.execute("SELECT count(*) FROM corrections").fetchone()[0]  # type: ignore[index]
    return int(after - before)


__all__ = [
    "DDL",
    "Correction",
    "CorrectionError",
    "actor_entries",
    "actor_file",
    "correct_actor",
    "correct_event",
    "import_corrections",
    "install",
    "list_corrections",
    "training_csv",
    "training_rows",
]
