"""Names the knowledge lacks, read by rules that generalise (docs/knowledge.md): spelling
variants of known organisations and places, towns before the body or people named after
them, place nouns and times standing as actors, and election candidates from the Factbook."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from communique.actors import resolve_actor
from communique.actors.knowledge import SpellingIndex, compact, one_slip
from communique.actors.resolver import KNOWN

REPO = Path(__file__).resolve().parent.parent
ACTORS = REPO / "src" / "communique" / "data" / "actors"


def _codes(text: str, **kw: str) -> tuple[str | None, list[str]]:
    answer = resolve_actor(text, **kw)
    return answer["country"], answer["sectors"]


# -- spelling variants ----------------------------------------------------------------------------


def test_one_slip_is_one_letter_added_dropped_changed_or_two_swapped() -> None:
    assert one_slip("delhi", "dehli") and one_slip("bwalu", "walu") and one_slip("colombia", "columbia")
    assert not one_slip("katyusha", "katushya")  # two slips
    assert not one_slip("delhi", "delhi")
    assert compact("wa-jama") == compact("wa jama") == "wajama"


def test_the_index_finds_every_form_one_slip_away_wherever_the_slip_is() -> None:
    index = SpellingIndex(["hezbollah", "boko haram"], 8)
    for slip in ("hezbolah", "hizbollah", "ehzbollah", "hezbollahh", "bokoharam", "boko harm"):
        assert index.near(slip), slip
    assert index.near("hezbollah") == []  # the known spelling itself is no variant
    assert index.near("hamas") == []


def test_a_misspelt_organisation_is_taken_for_the_known_one_with_less_confidence() -> None:
    answer = resolve_actor("Boko Harram")
    assert (answer["country"], answer["sectors"][0]) == ("NGA", "REB")
    assert any(m.startswith("spelling:") for m in answer["matched"])
    assert answer["confidence"] < KNOWN


def test_a_misspelt_place_places_the_role_after_it() -> None:
    assert _codes("Ukranian soldiers") == ("UKR", ["MIL"])
    assert _codes("Columbian President")[0] == "COL"


def test_a_misspelt_town_alone_is_the_town() -> None:
    assert _codes("Lubumbashy") == ("COD", ["CVL"])


def test_a_person_is_never_respelled_and_a_surname_after_a_title_stays_a_surname() -> None:
    assert _codes("Emmanuel Macrom")[0] is None  # one letter from Macron, but people's names differ so
    assert _codes("Minister Dehli")[0] is None  # 'Delhi' misspelt, or a minister's surname


# -- towns ----------------------------------------------------------------------------------------


def test_a_town_places_the_body_or_people_named_after_it() -> None:
    answer = resolve_actor("Madison police")
    assert (answer["country"], answer["sectors"]) == ("USA", ["COP"])
    assert "town:Madison" in answer["matched"] and answer["confidence"] < KNOWN


def test_a_town_name_is_no_place_after_a_title_or_before_a_single_person() -> None:
    assert _codes("Minister Madison")[0] is None
    assert _codes("Madison spokesman")[0] is None


def test_the_towns_table_leaves_out_names_the_knowledge_reads_otherwise() -> None:
    lines = [
        ln for ln in (ACTORS / "towns.tsv").read_text(encoding="utf-8").splitlines() if not ln.startswith("#")
    ]
    towns = dict(ln.split("\t") for ln in lines)
    assert towns["Amherst"] == "USA" and "Paris" not in towns and "Jackson" not in towns
    assert all(len(code) == 3 for code in towns.values())


def test_a_users_actor_file_wins_over_a_town(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("- {name: Madison, country: GBR, sectors: [GOV], kind: organization}\n", encoding="utf-8")
    assert resolve_actor("Madison police", actors_files=[str(mine)])["country"] == "GBR"


# -- place nouns and times ------------------------------------------------------------------------


def test_a_place_noun_the_text_places_is_an_unidentified_actor_there() -> None:
    assert _codes("Yemeni villages") == ("YEM", ["UNK"])
    assert _codes("villages across Mali") == ("MLI", ["UNK"])
    assert _codes("the village") == (None, [])  # unplaced: a location, no actor
    assert _codes("the Iraqi town of Mosul")[1] == []  # a named town is coded as the town


def test_a_time_is_no_actor_and_only_when_it_is_the_whole_string() -> None:
    answer = resolve_actor("last week")
    assert (answer["country"], answer["sectors"], answer["kind"]) == (None, ["JNK"], "not_actor")
    assert _codes("the finance minister last week") == (None, ["GOV"])


def test_a_time_in_apposition_does_not_code_a_person(pipeline) -> None:
    result = pipeline.process_text("Ama Owusu, yesterday, denied the report.")
    assert all("JNK" not in m.sectors for m in result.actors)


def test_spelling_slips_code_mentions_in_an_article(pipeline) -> None:
    result = pipeline.process_text("Ukranian soldiers shelled positions near the border on Tuesday.")
    soldiers = next(m for m in result.actors if m.text.startswith("Ukranian"))
    assert (soldiers.country, soldiers.sectors[0]) == ("UKR", "MIL")
    assert "spelling:" in (soldiers.matched or "")


# -- election candidates --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def candidates_script() -> ModuleType:
    path = REPO / "scripts" / "build_candidates.py"
    spec = importlib.util.spec_from_file_location("build_candidates", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_candidates", module)
    spec.loader.exec_module(module)
    return module


def test_candidates_are_read_from_the_results_text(candidates_script: ModuleType) -> None:
    text = (
        "<em>2021: </em>Ana SILVA elected president; percent of vote - Ana SILVA (PDX) 61.2%, "
        "Jorge PEREZ Lobo (Union for Change) 30.1%, other 8.7%<br><em>2016:</em> National Assembly "
        "vote - Kofi ADDO (NPP) 55%, blank 2%"
    )
    found = list(candidates_script.candidates(text))
    assert found == [
        ("2021", "Ana SILVA", "PDX"),
        ("2021", "Jorge PEREZ Lobo", "Union for Change"),
        ("2016", "Kofi ADDO", "NPP"),
    ]


def test_a_runner_up_the_knowledge_lacked_is_coded_by_country_and_party() -> None:
    answer = resolve_actor("Maurice Kamto")
    assert (answer["country"], answer["sectors"]) == ("CMR", ["PTY"])
    assert "presidential election" in answer["role"]


def test_the_candidates_table_holds_nobody_another_table_knows() -> None:
    rows = [
        json.loads(ln)
        for ln in (ACTORS / "factbook_candidates.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert rows and all(r["sectors"] == ["PTY"] and r["country"] and " " in r["name"] for r in rows)
    people = json.loads(
        (ACTORS / "factbook.jsonl").read_text(encoding="utf-8").splitlines()[0]
    )  # smoke: a JSONL file
    assert isinstance(people, dict)
    assert "Raila Odinga" not in {r["name"] for r in rows}  # curated, so left to the curated entry


def test_the_unresolved_report_lists_names_read_as_misspellings(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from communique.cli import cli

    article = tmp_path / "a.txt"
    article.write_text("Ukranian soldiers shelled positions near the border on Tuesday.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["actors", "unresolved", str(article), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    row = next(r for r in rows if r["text"].startswith("Ukranian"))
    assert row["inferred"]["country"] == "UKR"
    assert any(how.startswith("spelling:") for how in row["inferred"]["how"])
