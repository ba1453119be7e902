#!/usr/bin/env python3
"""Build ``src/communique/data/actors/factbook_candidates.jsonl``: the politicians the Factbook names
in its presidential election results who hold no office the other tables know.

The Factbook's "Executive branch - election results" (the current mirror, ``../shared/data/factbook``,
and every snapshot of its weekly history, ``../shared/data/factbook-history/offices.jsonl``, both CC0)
lists each candidate with their party and share of the vote::

    percent of vote - Evariste NDAYISHIMIYE (CNDD-FDD) 71.5%, Agathon RWASA (CNL) 25.2%, ...

A candidate who won is already a chief of state in ``factbook.jsonl`` / ``factbook_offices.jsonl``;
the others (opposition leaders, runners-up, former ministers) are known nowhere else, yet news names
them often. Each becomes one undated entry: the country of the file, sector ``PTY`` (a party
politician, CAMEO's party agent; docs/knowledge.md), the role naming the election and party. Only full
names are indexed (a surname alone would code every namesake), and a name found in any other
knowledge file, or in the results of two countries, is left out, so that curated and dated knowledge
decides those people. ``source`` is ``factbook``::

    .venv/bin/python scripts/build_candidates.py [--history FILE] [--factbook DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ACTORS_DIR = ROOT / "src" / "communique" / "data" / "actors"
DEFAULT_OUT = ACTORS_DIR / "factbook_candidates.jsonl"
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

#: One candidate of a results list: 'Agathon RWASA (CNL) 25.2%' (the share may say 'received').
CANDIDATE = re.compile(r"(?P<name>[^,;()%]+?)\s*\((?P<party>[^()]{1,80})\),?\s*(?:received\s+)?\d")
#: '2020:' before the results of one election.
YEAR = re.compile(r"\b((?:19|20)\d\d)\s*:")
#: Not people: 'other', 'blank', 'invalid', 'against all' ...
NOT_NAMES = re.compile(r"^(?:other|others|blank|invalid|null|none|against|spoiled|abstention)", re.I)

#: Files whose people are no candidates' namesakes to worry about (the candidates file itself).
SKIPPED_FILES = frozenset({"countries.jsonl", "countries_extra.yaml", "regions.yaml", DEFAULT_OUT.name})


def results_texts(factbook: Path, history: Path, mapping: dict[str, str | None]) -> Iterator[tuple[str, str]]:
    """(ISO3, election-results text) from the current mirror and every history snapshot."""
    docs = bc.load_factbook(factbook)
    for fips, doc in sorted(docs.items()):
        iso3 = mapping.get(fips)
        text = bc.fb_text(
            ((doc.get("Government") or {}).get("Executive branch") or {}).get("election results")
        )
        if iso3 and text:
            yield iso3, text
    if not history.is_file():
        return
    for line in history.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        iso3 = mapping.get(Path(row["file"]).stem)
        text = bc.fb_text((row.get("Executive branch") or {}).get("election results"))
        if iso3 and text:
            yield iso3, text


def candidates(text: str) -> Iterator[tuple[str | None, str, str]]:
    """(year, name as the Factbook writes it, party) for every candidate a results text lists."""
    text = re.sub(r"<[^>]+>", " ", text)
    year: str | None = None
    pos = 0
    for m in CANDIDATE.finditer(text):
        years = YEAR.findall(text, pos, m.end("name"))
        year = years[-1] if years else year
        pos = m.end()
        # 'percent of vote - Name', 'National Assembly vote - Name': the name follows the last ' - '
        name = re.split(r"\s+-\s+|:\s*", m.group("name"))[-1].strip()
        name = re.sub(r"^(?:and|first round|second round)\s+", "", name, flags=re.I)
        if not name or NOT_NAMES.match(name) or not re.search(r"[A-Z]{2}", name):
            continue
        yield year, name, m.group("party").strip()


def known_people() -> set[str]:
    """Full names (folded) of every person the other knowledge files know."""
    known: set[str] = set()
    for path in sorted(ACTORS_DIR.iterdir()):
        if path.name in SKIPPED_FILES or not path.name.endswith((".yaml", ".yml", ".jsonl")):
            continue
        text = path.read_text(encoding="utf-8")
        records = (
            [json.loads(line) for line in text.splitlines() if line.strip()]
            if path.suffix == ".jsonl"
            else bf.yaml.safe_load(text) or []
        )
        for rec in records:
            if isinstance(rec, dict) and rec.get("kind") == "person":
                for surface in (rec.get("name"), *(rec.get("aliases") or ())):
                    if surface and " " in str(surface):
                        known.add(bc.ascii_fold(str(surface)).casefold())
    return known


def build(history: Path, factbook: Path, countries_path: Path) -> list[dict[str, Any]]:
    docs = bc.load_factbook(factbook)
    mapping, _ = bc.match_fips(docs)
    builder = bf.Builder(bf.load_countries(countries_path))
    known = known_people()
    found: dict[str, dict[str, Any]] = {}  # folded full name -> row
    homes: dict[str, set[str]] = defaultdict(set)
    for iso3, text in results_texts(factbook, history, mapping):
        for year, written, party in candidates(text):
            person = bf.parse_person(written, None, builder.country_words)
            if person is None or " " not in person.name:
                continue
            key = bc.ascii_fold(person.name).casefold()
            homes[key].add(iso3)
            if key in known:
                continue
            aliases = sorted(
                {a for a in (*person.aliases, bc.ascii_fold(person.name)) if " " in a} - {person.name}
            )
            row = found.get(key)
            election = f"{year} presidential election" if year else "presidential election"
            if row is None or (year and year > row["_year"]):
                found[key] = {
                    "name": person.name,
                    "aliases": aliases,
                    "country": iso3,
                    "sectors": ["PTY"],
                    "role": f"Candidate in the {election} ({party})",
                    "kind": "person",
                    "start": None,
                    "end": None,
                    "source": "factbook",
                    "_year": year or "",
                }
    rows = []
    for key, row in found.items():
        if len(homes[key]) > 1:
            continue  # a name in two countries' results is two people, or one we cannot place
        row.pop("_year")
        rows.append(row)
    return sorted(rows, key=lambda r: (r["country"], r["name"]))


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
    if not args.factbook.is_dir():
        print(f"Factbook mirror not found ({args.factbook})", file=sys.stderr)
        return 2
    rows = build(args.history, args.factbook, args.countries)
    bc.write_jsonl(rows, args.out)
    print(f"wrote {len(rows)} election candidates to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
