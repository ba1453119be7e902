"""Actors the knowledge lacks or gets wrong: people coded from the words around their name,
institutions by their own names, sector conventions, and a user's file that suppresses or
corrects a built-in entry (through the command line, as a user would)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.actors import resolve_actor
from communique.actors.resolver import KNOWN
from communique.cli import cli


def _mention(result, text):
    return next(m for m in result.actors if m.text == text)


# -- unknown people coded from their own words ------------------------------------------------


def test_a_title_codes_an_unknown_name_and_says_it_was_inferred() -> None:
    answer = resolve_actor("Deputy Minister Tavita Lemalu", context="WSM")
    assert (answer["country"], answer["sectors"][0]) == ("WSM", "GOV")
    assert answer["matched"][0] == "inferred"
    assert answer["confidence"] < KNOWN


def test_a_nationality_codes_an_unknown_name() -> None:
    answer = resolve_actor("Peruvian lawyer Ricardo Quispe")
    assert (answer["country"], answer["sectors"], answer["kind"]) == ("PER", ["JUD"], "person")
    assert answer["matched"][0] == "inferred"


def test_a_known_name_is_not_inferred() -> None:
    answer = resolve_actor("Marco Rubio", date="2026-02-01")
    assert "inferred" not in answer["matched"] and answer["confidence"] == KNOWN


def test_what_a_person_is_of_codes_them(pipeline) -> None:
    result = pipeline.process_text("Mr. Jonas Pereira of the Colombian army denied the report.")
    person = _mention(result, "Mr. Jonas Pereira")
    assert (person.country, person.sectors[0]) == ("COL", "MIL")
    assert person.matched.startswith("inferred;")


def test_the_title_a_name_stands_beside_codes_it(pipeline) -> None:
    result = pipeline.process_text("Kenya's foreign minister, Wanjiru Kamau, said the talks would go on.")
    person = _mention(result, "Wanjiru Kamau")
    assert (person.country, person.sectors[0]) == ("KEN", "GOV")
    assert "title:" in person.matched


def test_a_title_of_an_organisation_codes_the_name_in_apposition(pipeline) -> None:
    result = pipeline.process_text(
        "The secretary-general of the Collective Security Treaty Organization (CSTO), Ivan Petrenko, "
        "urged restraint. Petrenko later spoke to both sides."
    )
    people = [m for m in result.actors if "Petrenko" in m.text]
    assert [(m.country, m.sectors[:1]) for m in people] == [("IGO", ["GOV"])] * 2


def test_the_holder_of_an_organisations_post_is_a_person() -> None:
    answer = resolve_actor("the secretary-general of the Collective Security Treaty Organization")
    assert (answer["country"], answer["kind"]) == ("IGO", "person")
    assert resolve_actor("supporters of Hamas")["kind"] == "group"


def test_an_article_about_one_country_places_an_unknown_minister(pipeline) -> None:
    result = pipeline.process_text(
        "Ghana's parliament met in Accra on Monday. Minister Kojo Mensah said the budget would pass."
    )
    person = _mention(result, "Minister Kojo Mensah")
    assert (person.country, person.sectors[0]) == ("GHA", "GOV")


def test_an_article_about_one_country_places_an_unknown_name_without_a_title(pipeline) -> None:
    one = pipeline.process_text(
        "Ghana's parliament met in Accra. Ghana's president thanked Kwabena Owusu for the budget. "
        "Ghanaian police said the city was calm."
    )
    person = _mention(one, "Kwabena Owusu")
    assert person.country == "GHA" and person.matched.startswith("inferred")
    two = pipeline.process_text(
        "Ghana's president met Togo's president in Lome. Togolese police and Ghanaian police "
        "thanked Kwabena Owusu for the talks."
    )
    assert all(m.country is None for m in two.actors if m.text == "Kwabena Owusu")


@pytest.mark.parametrize(
    ("text", "sectors"),
    [
        ("Gen. Tomas Arriaga", ["MIL"]),
        ("Lt. Gen. Tomas Arriaga", ["MIL"]),
        ("Capt. Tomas Arriaga", ["MIL"]),
        ("Sen. Tomas Arriaga", ["LEG"]),
        ("Gov. Tomas Arriaga", ["GOV"]),
        ("Lt. Gov. Tomas Arriaga", ["GOV"]),
        ("Det. Supt. Tomas Arriaga", ["COP"]),
    ],
)
def test_an_abbreviated_title_codes_an_unknown_name(text: str, sectors: list[str]) -> None:
    answer = resolve_actor(text)
    assert (answer["sectors"], answer["kind"], answer["name"]) == (sectors, "person", "Tomas Arriaga")


@pytest.mark.parametrize("text", ["Gen Z protesters", "Hun Sen"])
def test_an_abbreviation_without_its_full_stop_or_name_is_no_title(text: str) -> None:
    assert resolve_actor(text)["sectors"] != ["MIL"]


def test_an_unknown_person_named_again_by_surname_is_one_actor(pipeline) -> None:
    result = pipeline.process_text(
        "Bolivian Gen. Tomas Arriaga led the troops into the square. Hours later Arriaga was "
        "arrested, and police said Arriaga would be charged."
    )
    first, *later = [m for m in result.actors if "Arriaga" in m.text]
    assert len(later) == 2 and {m.entity for m in later} == {first.entity}
    assert all((m.country, m.sectors[:1]) == ("BOL", ["MIL"]) for m in (first, *later))


@pytest.mark.parametrize(
    ("text", "date", "country", "sectors"),
    [
        ("Governor Vyacheslav Gladkov", "2024-03-01", "RUS", ["GOV"]),
        ("Chief Minister Sarfraz Bugti", "2024-06-01", "PAK", ["GOV"]),
        ("Gov. Gretchen Whitmer", "2023-05-01", "USA", ["GOV"]),
        ("Andrew Cuomo", "2025-06-01", "USA", ["ELI"]),  # out of office: an elite
    ],
)
def test_heads_of_sub_national_governments_are_known(
    text: str, date: str, country: str, sectors: list[str]
) -> None:
    answer = resolve_actor(text, date=date)
    assert (answer["country"], answer["sectors"]) == (country, sectors)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Kurgan Governor Anton Belov", "RUS"),
        ("the Kurgan regional governor", "RUS"),
        ("the Madison mayor", "USA"),
    ],
)
def test_a_towns_name_before_a_local_office_is_the_place_it_governs(text: str, country: str) -> None:
    answer = resolve_actor(text)
    assert (answer["country"], answer["sectors"]) == (country, ["GOV"])


def test_a_towns_name_after_a_title_stays_a_surname() -> None:
    assert resolve_actor("Governor Kurgan")["country"] is None


@pytest.mark.parametrize(
    ("text", "sectors"),
    [
        ("the senator's lawyer", ["JUD"]),
        ("pupils' parents", ["CVL"]),
        ("Peru's foreign minister", ["GOV"]),
        ("the army's spokesman", ["MIL"]),
    ],
)
def test_the_role_after_a_possessive_owner_is_the_head(text: str, sectors: list[str]) -> None:
    assert resolve_actor(text)["sectors"] == sectors


def test_a_chief_executive_is_no_head_of_state() -> None:
    # the Factbook's 'CEO Abdullah ABDULLAH' once made every 'CEO' Afghanistan's
    answer = resolve_actor("the bank's CEO", date="2016-09-20")
    assert (answer["country"], answer["sectors"]) == (None, ["BUS"])


@pytest.mark.parametrize(
    ("text", "country", "sectors"),
    [
        ("Norges Bank", "NOR", ["GOV"]),
        ("the Bank of Korea", "KOR", ["GOV"]),
        ("Bank of Ireland", "IRL", ["BUS"]),
    ],
)
def test_central_banks_are_their_states_and_commercial_namesakes_are_businesses(
    text: str, country: str, sectors: list[str]
) -> None:
    answer = resolve_actor(text)
    assert (answer["country"], answer["sectors"]) == (country, sectors)


def test_an_international_ngo_named_after_a_state_is_its_national_branch() -> None:
    assert resolve_actor("Kenya Red Cross")["country"] == "KEN"
    assert resolve_actor("the Red Cross")["country"] == "NGO"


def test_a_weapon_named_like_a_town_is_a_weapon() -> None:
    # 'Grad' is also a Slovenian town: before 'rockets' it names the launcher
    answer = resolve_actor("Grad rockets")
    assert (answer["country"], answer["sectors"]) == (None, ["MIL"])


def test_a_domestic_militia_is_an_armed_group_of_its_country() -> None:
    answer = resolve_actor("the Oath Keepers")
    assert (answer["country"], answer["sectors"], answer["kind"]) == ("USA", ["UAF"], "group")


def test_a_name_the_model_calls_a_place_is_no_person(pipeline) -> None:
    result = pipeline.process_text(
        "The Chinese coast guard blocked a Philippine supply boat near Second Thomas Shoal on Monday."
    )
    assert all(m.kind != "person" for m in result.actors if "Shoal" in m.text)


def test_the_unresolved_report_lists_what_was_inferred(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Mr. Jonas Pereira of the Colombian army denied the report.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["actors", "unresolved", str(article), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    row = next(r for r in rows if "Pereira" in r["text"])
    assert row["inferred"]["country"] == "COL" and row["inferred"]["sectors"][0] == "MIL"


# -- institutions by their own names ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country", "sectors"),
    [
        # a possessive inside a name is part of it
        ("People's Liberation Army", "CHN", ["MIL"]),
        ("China's People's Liberation Army", "CHN", ["MIL"]),
        # state media speak for the government and are media
        ("SONNA", "SOM", ["GOV", "JRN"]),
        ("Somali National News Agency", "SOM", ["GOV", "JRN"]),
        ("state broadcaster ZBC", "ZWE", ["GOV", "JRN"]),
        ("Kazinform", "KAZ", ["GOV", "JRN"]),
        # forces, intelligence services, companies, international bodies
        ("Kenya Defence Forces", "KEN", ["MIL"]),
        ("Shin Bet", "ISR", ["SPY"]),
        ("Petrobras", "BRA", ["BUS"]),
        ("ECOWAS", "IGO", []),
    ],
)
def test_institutions_by_their_own_names(text: str, country: str, sectors: list[str]) -> None:
    answer = resolve_actor(text)
    assert answer["country"] == country, answer
    assert answer["sectors"][: len(sectors)] == sectors, answer


def test_a_leader_is_of_the_body_they_lead_not_of_the_government() -> None:
    league = resolve_actor("President of the Ugandan Human Rights League")
    assert (league["country"], league["sectors"][0]) == ("UGA", "SOC")
    assert resolve_actor("President of Uganda")["sectors"][0] == "GOV"


# -- sector conventions (docs/knowledge.md) ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country", "sectors"),
    [
        ("the Pentagon", "USA", ["GOV", "MIL"]),
        ("Pentagon officials", "USA", ["GOV", "MIL"]),
        ("Britain's defence ministry", "GBR", ["GOV", "MIL"]),
        ("a Turkish judge", "TUR", ["JUD"]),
        ("his defence lawyer", None, ["JUD"]),
        ("former Thai prime minister", "THA", ["ELI"]),
    ],
)
def test_sector_conventions(text: str, country: str | None, sectors: list[str]) -> None:
    answer = resolve_actor(text)
    assert answer["country"] == country, answer
    assert answer["sectors"][: len(sectors)] == sectors, answer


# -- a user's file suppresses or corrects a built-in entry ------------------------------------------


def _resolve(*args: str) -> dict:
    out = CliRunner().invoke(cli, ["actors", "resolve", *args])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_a_user_file_suppresses_a_built_in_entry(tmp_path: Path) -> None:
    assert _resolve("Hezbollah")["country"] == "LBN"
    mine = tmp_path / "mine.yaml"
    mine.write_text("- {name: Hezbollah, suppress: true}\n", encoding="utf-8")
    answer = _resolve("Hezbollah", "--actors", str(mine))
    assert answer["country"] is None and answer["name"] is None


def test_a_user_file_corrects_a_built_in_entry_under_every_spelling(tmp_path: Path) -> None:
    before = _resolve("Borisov", "--date", "2024-01-01")
    assert before["country"] == "BGR"
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "- {name: Boyko Borisov, country: BGR, sectors: [OPP], kind: person, role: opposition leader}\n",
        encoding="utf-8",
    )
    # the shipped entries go from the surname too: it no longer finds the replaced ones
    assert _resolve("Borisov", "--date", "2015-01-01", "--actors", str(mine))["sectors"] != ["GOV"]
    corrected = _resolve("Boyko Borisov", "--date", "2015-01-01", "--actors", str(mine))
    assert (corrected["country"], corrected["sectors"]) == ("BGR", ["OPP"])


def test_a_user_file_suppresses_one_countrys_entry_of_a_shared_name(tmp_path: Path) -> None:
    # 'PRI' is Mexico's party and the Dominican one: suppressing Mexico's leaves the other
    mine = tmp_path / "mine.yaml"
    mine.write_text("- {name: PRI, country: MEX, suppress: true}\n", encoding="utf-8")
    assert _resolve("PRI")["country"] == "MEX"
    assert _resolve("PRI", "--actors", str(mine))["country"] == "DOM"
