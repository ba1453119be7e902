"""The committed country and World Factbook knowledge tables: shape, key facts, and rebuild."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
ACTORS = REPO / "src" / "communique" / "data" / "actors"
COUNTRIES = ACTORS / "countries.jsonl"
EXTRA = ACTORS / "countries_extra.yaml"
FACTBOOK_TABLE = ACTORS / "factbook.jsonl"
SCRIPTS = REPO / "scripts"
FACTBOOK = REPO.parent / "shared" / "data" / "factbook"

#: PLOVER sector codes (PLOVER manual, "Sector Codes").
SECTORS = {
    "COP",
    "GOV",
    "JUD",
    "LEG",
    "MIL",
    "PRM",
    "PTY",
    "REB",
    "SPY",
    "UAF",
    "UNK",
    "AGR",
    "BUS",
    "CRM",
    "CVL",
    "EDU",
    "ELI",
    "JRN",
    "LAB",
    "MED",
    "REF",
    "OPP",
    "PRE",
    "REL",
    "SOC",
}
#: Non-state country codes allowed in actor entries (docs/knowledge.md).
NON_STATE = {"IGO", "UNO", "EUR", "NGO", "MNC"}
KINDS = {"person", "organization", "group", "media", "place"}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def countries() -> list[dict[str, Any]]:
    return _jsonl(COUNTRIES)


@pytest.fixture(scope="module")
def by_iso3(countries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["iso3"]: c for c in countries}


@pytest.fixture(scope="module")
def actors() -> list[dict[str, Any]]:
    return _jsonl(FACTBOOK_TABLE)


def _with_alias(actors: list[dict[str, Any]], alias: str) -> list[dict[str, Any]]:
    return [a for a in actors if alias == a["name"] or alias in a["aliases"]]


# ---------------------------------------------------------------------------- countries.jsonl


def test_country_records_have_the_documented_fields(countries: list[dict[str, Any]]) -> None:
    assert len(countries) >= 240
    for row in countries:
        assert list(row) == [
            "iso3",
            "name",
            "aliases",
            "adjectives",
            "demonyms",
            "capitals",
            "cities",
            "seats",
        ], row
        assert re.fullmatch(r"[A-Z]{3}", row["iso3"]), row
        assert isinstance(row["name"], str) and row["name"], row
        for field in ("aliases", "adjectives", "demonyms", "capitals", "cities"):
            assert isinstance(row[field], list) and all(isinstance(v, str) and v for v in row[field]), row
            assert len(row[field]) == len(set(row[field])), (row["iso3"], field)
        assert row["name"] not in row["aliases"], row["iso3"]
        for seat in row["seats"]:
            assert set(seat) == {"text", "sectors"} and isinstance(seat["text"], str), seat
            assert seat["sectors"] and set(seat["sectors"]) <= SECTORS, seat


def test_iso3_codes_are_unique(countries: list[dict[str, Any]]) -> None:
    assert not [k for k, n in Counter(c["iso3"] for c in countries).items() if n > 1]


def test_surface_forms_point_to_one_country(countries: list[dict[str, Any]]) -> None:
    owners: dict[str, set[str]] = {}
    for row in countries:
        for form in [row["name"], *row["aliases"], *row["adjectives"]]:
            owners.setdefault(form, set()).add(row["iso3"])
    shared = {form: codes for form, codes in owners.items() if len(codes) > 1}
    # "Congo" names the Republic of the Congo and is an alias of nothing else; allow none at all
    assert not shared, shared


def test_key_country_facts(by_iso3: dict[str, dict[str, Any]]) -> None:
    iran = by_iso3["IRN"]
    assert iran["name"] == "Iran"
    assert "Iranian" in iran["adjectives"]
    assert {"Iranian", "Iranians"} <= set(iran["demonyms"])
    assert "Tehran" in iran["capitals"]
    assert "Persia" in iran["aliases"]
    for iso3, name in [
        ("RUS", "Russia"),
        ("KOR", "South Korea"),
        ("PRK", "North Korea"),
        ("SYR", "Syria"),
        ("VEN", "Venezuela"),
        ("BOL", "Bolivia"),
        ("TZA", "Tanzania"),
        ("VNM", "Vietnam"),
        ("LAO", "Laos"),
        ("TWN", "Taiwan"),
        ("MDA", "Moldova"),
        ("XKX", "Kosovo"),
    ]:
        assert by_iso3[iso3]["name"] == name
    assert {"Kyiv", "Kiev"} <= set(by_iso3["UKR"]["capitals"])
    assert "Washington" in by_iso3["USA"]["capitals"]
    assert "Jerusalem" in by_iso3["ISR"]["capitals"]
    assert "American" in by_iso3["USA"]["adjectives"]
    assert "British" in by_iso3["GBR"]["adjectives"]


def test_aliases_resolve_to_the_right_country(countries: list[dict[str, Any]]) -> None:
    index = {form: row["iso3"] for row in countries for form in [row["name"], *row["aliases"]]}
    expected = {
        "U.S.": "USA",
        "US": "USA",
        "USA": "USA",
        "America": "USA",
        "UK": "GBR",
        "Britain": "GBR",
        "UAE": "ARE",
        "DPRK": "PRK",
        "PRC": "CHN",
        "ROK": "KOR",
        "DRC": "COD",
        "Burma": "MMR",
        "Türkiye": "TUR",
        "Czechia": "CZE",
        "Ivory Coast": "CIV",
    }
    assert {form: index.get(form) for form in expected} == expected


def test_seats_of_power(countries: list[dict[str, Any]]) -> None:
    seats = {
        seat["text"].casefold(): (row["iso3"], seat["sectors"]) for row in countries for seat in row["seats"]
    }
    assert seats["the kremlin"] == ("RUS", ["GOV"])
    assert seats["the white house"] == ("USA", ["GOV"])
    assert seats["the pentagon"] == ("USA", ["MIL"])
    assert seats["capitol hill"] == ("USA", ["LEG"])
    assert seats["downing street"][0] == "GBR"
    assert seats["the knesset"] == ("ISR", ["LEG"])


def test_cities_place_actors_in_one_country(countries: list[dict[str, Any]]) -> None:
    cities = {city: row["iso3"] for row in countries for city in row["cities"]}
    assert cities["Sydney"] == "AUS"
    assert cities["Kharkiv"] == "UKR"
    expected = {
        "Odesa": "UKR",
        "Odessa": "UKR",
        "Tel Aviv": "ISR",
        "Tyre": "LBN",
        "Aleppo": "SYR",
        "Aden": "YEM",
        "El Fasher": "SDN",
        "Goma": "COD",
        "Timbuktu": "MLI",
        "Maiduguri": "NGA",
        "Kismayo": "SOM",
        "Isfahan": "IRN",
        "Mumbai": "IND",
        "Karachi": "PAK",
        "Kandahar": "AFG",
        "Mosul": "IRQ",
        "Shanghai": "CHN",
        "St Petersburg": "RUS",
        "Saint Petersburg": "RUS",
        "Kaohsiung": "TWN",
        "Mandalay": "MMR",
        "São Paulo": "BRA",
        "Sao Paulo": "BRA",
    }
    assert {city: cities.get(city) for city in expected} == expected
    # one owner per city, never a country's name or another country's capital, no stoplisted word
    owners: dict[str, set[str]] = {}
    for row in countries:
        for city in row["cities"]:
            owners.setdefault(city, set()).add(row["iso3"])
    assert not {city: codes for city, codes in owners.items() if len(codes) > 1}
    names = {form for row in countries for form in [row["name"], *row["aliases"], *row["adjectives"]]}
    capitals = {cap: row["iso3"] for row in countries for cap in row["capitals"]}
    assert not [c for c in cities if c in names]
    assert not [c for c, iso3 in cities.items() if c in capitals]
    for word in ("Nice", "Reading", "Hyderabad", "Gao", "Geneva"):
        assert word not in cities
    assert sum(1 for row in countries if row["cities"]) >= 60
    assert len(cities) >= 300


def test_factbook_major_urban_areas_are_parsed() -> None:
    spec = importlib.util.spec_from_file_location("build_countries", SCRIPTS / "build_countries.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    parse = module.parse_cities
    assert parse(
        "5.450 million SYDNEY, 5.235 million MELBOURNE, 2.505 million BRISBANE, 482,000 CANBERRA (capital) (2023)"
    ) == ["Sydney", "Melbourne", "Brisbane", "Canberra"]
    assert parse("32.941 million NEW DELHI (capital), 8.097 million DAR ES SALAAM") == [
        "New Delhi",
        "Dar es Salaam",
    ]
    assert parse("1.291 million ASTANA (NUR-SULTAN) (capital), 1.6 million N'DJAMENA") == [
        "Astana",
        "Nur-Sultan",
        "N'Djamena",
    ]
    assert parse("5.490 million WASHINGTON, D.C. (capital), 4.421 million TEL AVIV-YAFO; note - more") == [
        "Washington, D.C.",
        "Tel Aviv-Yafo",
    ]
    assert parse("22.620 million SAO PAULO, 13.728 million RIO DE JANEIRO") == ["Sao Paulo", "Rio de Janeiro"]


def test_extra_yaml_keys_are_country_codes(countries: list[dict[str, Any]]) -> None:
    extra = yaml.safe_load(EXTRA.read_text(encoding="utf-8"))
    codes = {c["iso3"] for c in countries}
    assert set(extra) <= codes


# ---------------------------------------------------------------------------- factbook.jsonl


def test_actor_entries_have_the_documented_fields(actors: list[dict[str, Any]], by_iso3: dict) -> None:
    assert len(actors) > 1000
    fields = ["name", "aliases", "country", "sectors", "role", "kind", "start", "end", "source"]
    for row in actors:
        assert list(row) == fields, row
        assert isinstance(row["name"], str) and row["name"].strip() == row["name"] and row["name"], row
        assert isinstance(row["aliases"], list) and all(isinstance(a, str) and a for a in row["aliases"]), row
        assert row["name"] not in row["aliases"], row
        assert row["country"] is None or row["country"] in by_iso3 or row["country"] in NON_STATE, row
        assert row["sectors"] and set(row["sectors"]) <= SECTORS, row
        assert len(row["sectors"]) == len(set(row["sectors"])), row
        assert row["role"] is None or isinstance(row["role"], str), row
        assert row["kind"] in KINDS, row
        for key in ("start", "end"):
            assert row[key] is None or DATE.fullmatch(row[key]), row
        assert row["source"] == "factbook", row


def test_entries_are_sorted_and_unique(actors: list[dict[str, Any]]) -> None:
    keys = [
        (a["country"] or "~", a["kind"], a["name"].casefold(), a["name"], a["role"] or "") for a in actors
    ]
    assert keys == sorted(keys)
    assert len({(a["country"], a["kind"], a["name"], a["role"]) for a in actors}) == len(actors)


def test_khamenei_is_irans_supreme_leader(actors: list[dict[str, Any]]) -> None:
    [khamenei] = [a for a in _with_alias(actors, "Khamenei") if a["country"] == "IRN"]
    assert khamenei["name"] == "Ali Hoseini-Khamenei"
    assert "Ali Khamenei" in khamenei["aliases"]
    assert khamenei["sectors"][0] == "GOV" and khamenei["kind"] == "person"
    assert khamenei["role"] == "Supreme Leader"
    assert khamenei["start"] == "1989-06-04"


def test_heads_of_state_and_government(actors: list[dict[str, Any]]) -> None:
    def person(alias: str, country: str) -> dict[str, Any]:
        [row] = [a for a in _with_alias(actors, alias) if a["country"] == country and a["kind"] == "person"]
        return row

    assert person("Pezeshkian", "IRN")["role"] == "President"
    assert person("Trump", "USA")["start"] == "2025-01-20"
    assert person("Putin", "RUS")["name"] == "Vladimir Putin"
    assert person("Starmer", "GBR")["role"] == "Prime Minister"
    assert person("Xi Jinping", "CHN")["role"] == "President"
    assert person("Sheinbaum", "MEX")["name"] == "Claudia Sheinbaum"
    # a monarch of several realms belongs to one country
    assert [a["country"] for a in _with_alias(actors, "King Charles III")] == ["GBR"]


def test_forces_parties_courts_and_legislatures(actors: list[dict[str, Any]]) -> None:
    def coded(alias: str) -> set[tuple[str | None, str]]:
        return {(a["country"], a["sectors"][0]) for a in _with_alias(actors, alias)}

    assert ("IRN", "MIL") in coded("IRGC")
    assert ("MEX", "PTY") in coded("PRI")
    assert ("IRN", "LEG") in coded("Islamic Parliament of Iran")
    assert ("IRN", "SPY") in coded("Ministry of Intelligence and Security")
    assert ("IRN", "COP") in coded("FARAJA")
    assert ("RUS", "SPY") in coded("FSB")
    assert ("ISR", "MIL") in coded("IDF")
    assert ("USA", "JUD") in coded("US Supreme Court")
    assert ("LBN", "REB") in coded("Hezbollah")
    assert ("MEX", "CRM") in coded("Sinaloa Cartel")


def test_no_country_name_is_an_actor_alias(
    actors: list[dict[str, Any]], countries: list[dict[str, Any]]
) -> None:
    names = {form for c in countries for form in [c["name"], *c["aliases"], *c["adjectives"]]}
    assert not [(a["name"], alias) for a in actors for alias in a["aliases"] if alias in names]


# ---------------------------------------------------------------------------- rebuild


def test_build_scripts_reproduce_the_committed_tables(tmp_path: Path) -> None:
    if not FACTBOOK.is_dir():
        pytest.skip(
            f"{FACTBOOK} is absent: the Factbook mirror lives outside the repository "
            "(see ../shared/README.md); the committed tables are checked above"
        )
    countries = tmp_path / "countries.jsonl"
    factbook = tmp_path / "factbook.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "build_countries.py"),
            "--factbook",
            str(FACTBOOK),
            "--out",
            str(countries),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "build_factbook.py"),
            "--factbook",
            str(FACTBOOK),
            "--countries",
            str(countries),
            "--out",
            str(factbook),
        ],
        check=True,
        capture_output=True,
    )
    assert countries.read_text(encoding="utf-8") == COUNTRIES.read_text(encoding="utf-8"), (
        "countries.jsonl is stale: run scripts/build_countries.py"
    )
    assert factbook.read_text(encoding="utf-8") == FACTBOOK_TABLE.read_text(encoding="utf-8"), (
        "factbook.jsonl is stale: run scripts/build_factbook.py"
    )


def test_knowledge_yaml_keeps_on_and_off_as_words():
    from communique.yamlfiles import load_yaml

    assert load_yaml("preps: [with, on, off, yes, no]\nflag: true") == {
        "preps": ["with", "on", "off", "yes", "no"],
        "flag": True,
    }
