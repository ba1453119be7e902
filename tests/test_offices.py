"""Office-holders over time: the table built from the Factbook's history, and the resolver
picking the office held on the document's date."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from communique.actors import resolve_actor

REPO = Path(__file__).resolve().parent.parent
OFFICES = REPO / "src" / "communique" / "data" / "actors" / "factbook_offices.jsonl"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_offices", REPO / "scripts" / "build_offices.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_offices", module)
    spec.loader.exec_module(module)
    return module


def _office(build: ModuleType, name: str, start: str | None, field: str = "head of government") -> Any:
    row = {"name": name, "aliases": [], "country": "XYZ", "sectors": ["GOV"], "role": "Prime Minister",
           "kind": "person", "start": start, "end": None, "source": "factbook"}  # fmt: skip
    return build._freeze(row, field)


def test_a_term_ends_the_day_before_its_successor_took_office(build: ModuleType) -> None:
    old, new = _office(build, "Ann Old", "2015-01-10"), _office(build, "Bob New", "2016-02-03")
    snapshots = [("2015-11-01", {old}), ("2015-11-08", {old}), ("2016-02-14", {new})]
    weeks = ["2015-11-01", "2015-11-08", "2015-12-01", "2016-01-01", "2016-02-01", "2016-02-14"]
    terms = {t["name"]: t for t in build.terms(snapshots, weeks)}
    assert terms["Ann Old"]["start"] == "2015-01-10" and terms["Ann Old"]["end"] == "2016-02-02"
    assert terms["Bob New"]["start"] == "2016-02-03" and terms["Bob New"]["end"] is None


def test_a_change_inside_a_gap_of_the_history_ends_at_the_last_snapshot_before_it(build: ModuleType) -> None:
    # 'Cy Third' took office in the gap too, after an unseen second holder: the term of
    # 'Ann Old' is known to last only until the last snapshot before the gap
    old, third = _office(build, "Ann Old", "2015-01-10"), _office(build, "Cy Third", "2020-07-01")
    snapshots = [("2017-03-01", {old}), ("2020-11-20", {third})]
    terms = {t["name"]: t for t in build.terms(snapshots, ["2017-03-01", "2020-11-20"])}
    assert terms["Ann Old"]["end"] == "2017-03-01"


def test_a_holder_without_a_since_date_starts_with_the_first_snapshot_showing_them(build: ModuleType) -> None:
    holder = _office(build, "Dee Undated", None)
    (term,) = build.terms([("2021-05-02", {holder})], ["2021-05-02"])
    assert term["start"] == "2021-05-02" and term["end"] is None


def test_the_committed_table_is_dated_and_coded() -> None:
    rows = [json.loads(line) for line in OFFICES.read_text(encoding="utf-8").splitlines() if line.strip()]
    people = [r for r in rows if r["kind"] == "person"]
    assert len(people) > 2000
    assert all(r["start"] and (r["end"] is None or r["start"] <= r["end"]) for r in people)
    assert all(r["source"] == "factbook" and r["sectors"] for r in rows)
    # a chief of state of several files (the US president heads Puerto Rico too) is the state's
    homes: dict[str, set[str]] = {}
    for r in people:
        homes.setdefault(r["name"], set()).add(r["country"])
    assert all(len(countries) == 1 for countries in homes.values())
    assert homes["Barack H. Obama"] == {"USA"} and homes["Elizabeth II"] == {"GBR"}
    ambassadors = [r for r in people if "Ambassador" in (r["role"] or "")]
    assert ambassadors and all(" " in alias for r in ambassadors for alias in r["aliases"])


def test_an_ambassador_is_coded_by_the_office_held_on_the_date() -> None:
    # France's ambassador in Washington 2014-2019: government then, a former official later
    during = resolve_actor("Gerard Araud", date="2016-05-01")
    assert (during["country"], during["sectors"]) == ("FRA", ["GOV"])
    assert "Ambassador" in during["role"]
    assert resolve_actor("Gerard Araud", date="2023-05-01")["sectors"] == ["ELI"]


def test_an_office_of_the_state_outranks_a_party_post_held_at_once(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "- {name: Quorra Vantrel, country: MDA, sectors: [PTY], kind: person, role: party leader,"
        " start: '2019-01-01'}\n"
        "- {name: Quorra Vantrel, country: MDA, sectors: [GOV], kind: person, role: Prime Minister,"
        " start: '2018-01-01', end: '2020-12-31'}\n",
        encoding="utf-8",
    )
    assert resolve_actor("Quorra Vantrel", date="2019-06-01", actors_files=[str(extra)])["sectors"] == ["GOV"]
    assert resolve_actor("Quorra Vantrel", date="2022-06-01", actors_files=[str(extra)])["sectors"] == ["PTY"]
