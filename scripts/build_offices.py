#!/usr/bin/env python3
"""Build ``src/communique/data/actors/factbook_offices.jsonl``: who held which office when, from the
Factbook's weekly history (``../shared/data/factbook-history/offices.jsonl``, CC0).

The history holds one row per change of a country file: its executive branch, political parties,
chiefs of mission to and from the US and military and security forces as the first snapshot showing
the change has them (snapshots 2015-2017 and 2020-2026).  Each snapshot is read with the parsers of
``build_factbook.py`` (one builder, a fresh table per snapshot); a person's office (country, name,
role) then becomes one entry per run of consecutive snapshots that show it:

* ``start``: the office's own "since" date, else the first snapshot showing it;
* ``end``: the day before the next holder's "since" date in the same field, else the day before the
  first snapshot that no longer shows it; ``null`` while the latest snapshot still shows it;
* chiefs of state and heads of government -> ``[GOV]``; party leaders -> ``[PTY]``; ambassadors ->
  ``[GOV]`` (the ambassador *in* the US is of the file's country, the one *from* the US is American).

Organisations the history names (forces, parties) that the current Factbook table no longer lists
are added undated: a renamed force or a party out of parliament keeps its country.  The output is
sorted and deterministic; ``source`` is ``factbook`` so curated knowledge still wins::

    .venv/bin/python scripts/build_offices.py [--history FILE] [--factbook DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import itertools
import json
import re
import sys
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ACTORS_DIR = ROOT / "src" / "communique" / "data" / "actors"
DEFAULT_OUT = ACTORS_DIR / "factbook_offices.jsonl"
DEFAULT_HISTORY = ROOT.parent / "shared" / "data" / "factbook-history" / "offices.jsonl"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


bf = _load("build_factbook")
bc = bf.bc

#: The diplomatic titles before a chief of mission's name ("Ambassador", "Charge d'Affaires").
MISSION_TITLE = re.compile(
    r"^(?:(?:Ambassador|Charg[eé] d'Affaires|ad interim|Acting|Interim)\s*,?\s*)+", re.I
)

#: Executive fields whose holders succeed one another (the next holder's "since" ends a term).
EXECUTIVE_FIELDS = ("chief of state", "head of government")

#: Longer than this between two snapshots of the whole history is a gap in it, not a quiet week.
MAX_SNAPSHOT_GAP = dt.timedelta(days=45)


@dataclass(frozen=True)
class Seen:
    """One office as one snapshot shows it."""

    row: tuple[tuple[str, Any], ...]  # the builder's row, frozen (name, aliases, country, ...)
    field: str | None  # the executive field it came from, for successions

    @property
    def data(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.row}


def _freeze(row: dict[str, Any], field: str | None) -> Seen:
    return Seen(tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in row.items()), field)


def snapshot_doc(row: dict[str, Any]) -> dict[str, Any]:
    """A history row in the layout of a current Factbook file, as the builder reads it."""
    return {
        "Government": {
            "Executive branch": row.get("Executive branch") or {},
            "Political parties": row.get("Political parties") or {},
        },
        "Military and Security": {
            "Military and security forces": row.get("Military and security forces") or {}
        },
    }


def ambassadors(builder: Any, iso3: str, row: dict[str, Any]) -> None:
    """Chiefs of mission: the file's ambassador to the US, and the US ambassador to the country."""
    name = builder.countries.get(iso3, {}).get("name", iso3)
    for section, country, role in (
        ("Diplomatic representation in the US", iso3, f"Ambassador of {name} to the United States"),
        ("Diplomatic representation from the US", "USA", f"United States Ambassador to {name}"),
    ):
        text = bc.fb_text((row.get(section) or {}).get("chief of mission"))
        if not text or "vacant" in text.lower() or iso3 == "USA":
            continue
        text = MISSION_TITLE.sub("", text)
        person = bf.parse_person(text, role, builder.country_words)
        if person is not None and " " in person.name:
            person.role = role
            builder.person(person, country, ["GOV"])


def read_snapshot(builder: Any, iso3: str, row: dict[str, Any]) -> set[Seen]:
    """Every office and organisation one snapshot shows."""
    builder.table = bf.Table(builder.table.blocked)
    doc = snapshot_doc(row)
    fields: dict[str, str] = {}
    for field in EXECUTIVE_FIELDS:
        people: dict[str, list[tuple[str, Any, bool]]] = defaultdict(list)
        branch = {field: doc["Government"]["Executive branch"].get(field)}
        builder.executive(iso3, {"Government": {"Executive branch": branch}}, people)
        builder.assign_people(people, {iso3}, {iso3})
        fields.update({name: field for name in people})
    builder.parties(iso3, doc)
    builder.forces(iso3, doc)
    ambassadors(builder, iso3, row)
    seen = set()
    for out in builder.table.rows():
        if out["kind"] == "person" and " " not in out["name"]:
            continue  # 'Christian', 'William': a royal's given name alone would code every namesake
        if "Ambassador" in (out["role"] or ""):
            # little-known names: a surname alone ('Etienne') would code every namesake
            out["aliases"] = [a for a in out["aliases"] if " " in a]
        field = next((f for derived, f in fields.items() if derived in [out["name"], *out["aliases"]]), None)
        seen.add(_freeze(out, field if out["kind"] == "person" else None))
    return seen


def history(
    path: Path, mapping: dict[str, str | None]
) -> Iterator[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    """(ISO3, [(snapshot date, row) ...] in date order) per country file."""
    by_file: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_file[row["file"]].append((row["since_snapshot"], row))
    for file, rows in sorted(by_file.items()):
        iso3 = mapping.get(Path(file).stem)
        if iso3:
            yield iso3, sorted(rows, key=lambda r: r[0])


def _day_before(date: str) -> str:
    return (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()


def terms(snapshots: list[tuple[str, set[Seen]]], weeks: list[str]) -> list[dict[str, Any]]:
    """People: one dated entry per run of consecutive snapshots showing the same office.
    ``weeks``: every snapshot date of the whole history (a file has a row only when it changes)."""
    out: list[dict[str, Any]] = []
    for i, (date, seen) in enumerate(snapshots):
        previous = snapshots[i - 1][1] if i else set()
        for office in seen:
            if office in previous or office.data["kind"] != "person":
                continue
            j = i
            while j + 1 < len(snapshots) and office in snapshots[j + 1][1]:
                j += 1
            entry = office.data
            entry["start"] = entry["start"] or date
            if j + 1 < len(snapshots):
                entry["end"] = _term_end(office, entry["start"], snapshots[j][0], snapshots[j + 1], weeks)
            out.append(entry)
    return out


def _term_end(
    office: Seen, start: str, last_seen: str, after: tuple[str, set[Seen]], weeks: list[str]
) -> str:
    """When a term ended: the day before its successor's "since" date, else before the snapshot
    that first shows it gone.  After a gap in the history (2017-2020) the change may lie anywhere in
    the gap, and a "since" date there may be a later successor's: the term is then known to have
    lasted only until the last snapshot before the gap."""
    date, seen = after
    between = weeks[bisect_left(weeks, last_seen) : bisect_left(weeks, date) + 1]
    for before, later in itertools.pairwise(between):
        if dt.date.fromisoformat(later) - dt.date.fromisoformat(before) > MAX_SNAPSHOT_GAP:
            return max(start, before)
    since = [
        s.data["start"]
        for s in seen
        if office.field and s.field == office.field and s.data["start"] and start < s.data["start"] <= date
    ]
    # never before the term began (an heir's "since" in the same field is no successor's)
    return max(start, _day_before(min(since) if since else date))


def one_home(rows: dict[tuple[Any, ...], dict[str, Any]], sovereign: set[str], represented: set[str]) -> None:
    """A person in several files is the sovereign state's: the US president heads Puerto Rico
    and Guam, the British monarch every realm; as build_factbook.assign_people ranks them, the
    state that is sovereign and whose chief of state was never represented by someone else in
    the history (Barbados had a governor-general for Elizabeth II until 2021)."""
    homes: dict[str, set[str]] = defaultdict(set)  # full name or alias -> countries
    for row in rows.values():
        if row["kind"] == "person" and row["country"]:
            for surface in _full_names(row):
                homes[surface].add(row["country"])
    for key, row in list(rows.items()):
        countries = set().union(*(homes[s] for s in _full_names(row))) if row["kind"] == "person" else set()
        if len(countries) > 1:
            home = min(countries, key=lambda c: (c not in sovereign, c in represented, c))
            if row["country"] != home:
                del rows[key]


def _full_names(row: dict[str, Any]) -> set[str]:
    """'Joseph R. Biden' and 'Joseph R. Biden Jr.' share 'Joseph Biden': a surname alone is
    no evidence of one person."""
    return {row["name"], *(a for a in row["aliases"] if " " in a)}


def build(history_path: Path, factbook: Path, countries_path: Path) -> list[dict[str, Any]]:
    docs = bc.load_factbook(factbook)
    mapping, _ = bc.match_fips(docs)
    builder = bf.Builder(bf.load_countries(countries_path))
    current = {(r["country"], r["name"]) for r in _read_jsonl(ACTORS_DIR / "factbook.jsonl")}
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    files = list(history(history_path, mapping))
    weeks = sorted({date for _, snapshots in files for date, _ in snapshots})
    represented: set[str] = set()
    for iso3, snapshots in files:
        chiefs = [
            bc.fb_text((row.get("Executive branch") or {}).get("chief of state")) for _, row in snapshots
        ]
        if any("represented by" in chief for chief in chiefs):
            represented.add(iso3)
        seen = [(date, read_snapshot(builder, iso3, row)) for date, row in snapshots]
        for entry in terms(seen, weeks):
            rows[(entry["country"], entry["name"], entry["role"], entry["start"])] = entry
        for _, offices in seen:
            for office in offices:
                org = office.data
                if org["kind"] != "person" and (org["country"], org["name"]) not in current:
                    rows.setdefault((org["country"], org["name"], None, None), org)
    one_home(rows, bc.sovereign_codes(docs, mapping), represented)
    return [rows[k] for k in sorted(rows, key=lambda k: tuple(str(x) for x in k))]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--history", type=Path, default=DEFAULT_HISTORY, help="factbook-history/offices.jsonl"
    )
    parser.add_argument(
        "--factbook", type=Path, default=bc.DEFAULT_FACTBOOK, help="Factbook mirror (FIPS codes)"
    )
    parser.add_argument("--countries", type=Path, default=bf.DEFAULT_COUNTRIES, help="countries.jsonl to use")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSONL file")
    args = parser.parse_args(argv)
    if not args.history.is_file() or not args.factbook.is_dir():
        print(f"Factbook history or mirror not found ({args.history}, {args.factbook})", file=sys.stderr)
        return 2
    rows = build(args.history, args.factbook, args.countries)
    bc.write_jsonl(rows, args.out)
    people = sum(r["kind"] == "person" for r in rows)
    print(
        f"wrote {len(rows)} entries to {args.out}: {people} dated offices, {len(rows) - people} organisations"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
