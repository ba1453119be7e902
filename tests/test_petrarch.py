"""PETRARCH/TABARI dictionaries convert into the knowledge format, dates kept."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from communique.actors import resolve_actor
from communique.actors.petrarch import import_actors, import_agents, parse_code
from communique.cli import cli

ACTORS = """# a comment
ZORBAN_QUELLIC_  [MDAGOV 150101-191231] [ELI] # invented
+QUELLIC_
NORTHERN_LEAGUE_OF_ZORBA_ [MDAREB]
+NLZ_
THE_UN_MONITOR_ [IGOUNO]
"""

AGENTS = """!PERSON! = MAN, WOMAN
FISHER!PERSON! [~AGR]
RIOT_POLICE [~COP]
"""


def test_parse_code_with_dates():
    assert parse_code("USAGOV 010120-050120") == ("USA", ["GOV"], "2001-01-20", "2005-01-20")
    assert parse_code("IGOUNO >070201") == ("UNO", [], "2007-02-01", None)
    assert parse_code("~AGR") == (None, ["AGR"], None, None)


def test_import_actors_keeps_date_ranges_and_aliases():
    report = import_actors(ACTORS.splitlines())
    quellic = [a for a in report.actors if a["name"] == "Zorban Quellic"]
    assert [(a["sectors"], a["start"], a["end"]) for a in quellic] == [
        (["GOV"], "2015-01-01", "2019-12-31"),
        (["ELI"], "2019-12-31", None),
    ]
    assert quellic[0]["aliases"] == ["Quellic"]
    assert any(a["country"] == "UNO" for a in report.actors)


def test_import_agents_expands_macros():
    report = import_agents(AGENTS.splitlines())
    terms = {r["terms"][0]: r["sectors"] for r in report.roles}
    assert terms == {"fisherman": ["AGR"], "fisherwoman": ["AGR"], "riot police": ["COP"]}


def test_cli_import_then_use(tmp_path):
    src = tmp_path / "mine.actors"
    src.write_text(ACTORS, encoding="utf-8")
    out = tmp_path / "mine.yaml"
    result = CliRunner().invoke(cli, ["actors", "import-petrarch", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text())
    assert len(data["actors"]) == 4
    assert resolve_actor("Zorban Quellic", date="2016-05-01", actors_files=[str(out)])["sectors"] == ["GOV"]
    assert resolve_actor("Zorban Quellic", date="2021-05-01", actors_files=[str(out)])["sectors"] == ["ELI"]
    assert resolve_actor("NLZ", actors_files=[str(out)])["country"] == "MDA"
