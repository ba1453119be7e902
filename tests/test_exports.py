"""The tab-separated exports read back by pandas and DuckDB, whatever the names hold (stray
quotes, tabs, line breaks), and POLECAT's and ICEWS's layouts against samples of the
published files (tests/fixtures/layouts, written by hand in their layout)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from communique.cli import cli
from communique.models import Place
from communique.store import GDELT_BIGQUERY_COLUMNS, GDELT_COLUMNS, ICEWS, POLECAT, write_results
from conftest import REPO
from test_store import actor, event, result

LAYOUTS = REPO / "tests" / "fixtures" / "layouts"
STRAY_QUOTE = '"apostate forces'
TABBED = "Hassan\tSheikh\nMohamud"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """Three events whose actor names hold what breaks a naive TSV: a quote that never
    closes, a tab and a line break, quotes inside a name."""
    path = tmp_path_factory.mktemp("exports") / "events.duckdb"
    odd = actor("SOM", STRAY_QUOTE, ("MIL",))
    tabbed = actor("SOM", TABBED)
    quoted = actor("USA", 'the "Patriot" battery', ("MIL",))
    mogadishu = Place(
        text="Mogadishu", start=0, end=9, name="Mogadishu", country="SOM", admin1="Banaadir",
        admin1_code="02", lat=2.03711, lon=45.34375, geonames_id=53654, feature_code="PPLC",
    )  # fmt: skip
    attack = event(odd, tabbed, "ASSAULT").model_copy(update={"location": mogadishu})
    write_results(
        path,
        [
            result("d1", "2026-01-05", "https://a.example/1", [attack]),
            result("d2", "2026-01-06", "https://b.example/2", [event(quoted, tabbed, "THREATEN")]),
            result("d3", "2026-01-07", "https://c.example/3", [event(tabbed, actor("ETH"))]),
        ],
    )
    return path


def run_export(db: Path, tmp_path: Path, fmt: str, *options: str) -> Path:
    out = tmp_path / f"events.{fmt}"
    res = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", fmt, "-o", str(out), *options])
    assert res.exit_code == 0, res.output
    return out


def duckdb_read(path: Path, header: bool = True) -> tuple[list[str], list[tuple]]:
    relation = duckdb.sql(f"SELECT * FROM read_csv('{path}', delim='\\t', header={str(header).lower()})")
    return relation.columns, relation.fetchall()


@pytest.mark.parametrize(
    ("fmt", "columns", "rows"),
    [("gdelt", GDELT_COLUMNS, 3), ("polecat", POLECAT.columns, 3), ("icews", ICEWS.columns, 3)],
)
def test_pandas_and_duckdb_read_every_tsv_export_back(db, tmp_path, fmt, columns, rows):
    out = run_export(db, tmp_path, fmt)
    frame = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(columns) and len(frame) == rows
    names, records = duckdb_read(out)
    assert names == list(columns) and len(records) == rows
    cells = set(frame.to_numpy().ravel())
    # the stray quote comes back as written; a tab or line break inside a name is a space
    assert any(STRAY_QUOTE in c or STRAY_QUOTE.upper() in c for c in cells)
    assert any("Hassan Sheikh Mohamud" in c or "HASSAN SHEIKH MOHAMUD" in c for c in cells)
    assert not any("\t" in c or "\n" in c for c in cells)


def test_gdelt_without_header_is_gdelts_own_layout(db, tmp_path):
    out = run_export(db, tmp_path, "gdelt", "--no-header")
    frame = pd.read_csv(
        out, sep="\t", header=None, names=list(GDELT_COLUMNS), dtype=str, keep_default_na=False
    )
    assert len(frame) == 3 and frame.iloc[0]["Actor1Name"] == STRAY_QUOTE.upper()
    names, records = duckdb_read(out, header=False)
    assert len(names) == 61 and len(records) == 3
    # only the field with a quote in it is quoted: every other line is plain tab-joined text
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[2].count("\t") == 60 and '"' not in lines[2]


def test_gdelt_bigquery_column_names(db, tmp_path):
    out = run_export(db, tmp_path, "gdelt", "--column-names", "bigquery")
    frame = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(GDELT_BIGQUERY_COLUMNS)
    assert list(frame.columns[:2]) == ["GLOBALEVENTID", "SQLDATE"] and frame.iloc[0]["SQLDATE"] == "20260105"
    assert frame.iloc[0]["AvgTone"] == ""  # no tone measure: empty, never a made-up 0


def test_options_a_format_does_not_take_are_usage_errors(db, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["export", "--db", str(db), "--format", "jsonl", "--no-header"])
    assert res.exit_code == 2 and "csv, gdelt, polecat, icews" in res.output
    res = runner.invoke(cli, ["export", "--db", str(db), "--format", "icews", "--column-names", "bigquery"])
    assert res.exit_code == 2 and "--column-names is for gdelt" in res.output


@pytest.mark.parametrize(
    ("fmt", "sample", "typed"),
    [
        (
            "polecat",
            "polecat-sample.txt",
            {"Event Date": "DATE", "Intensity": "DOUBLE", "Latitude": "DOUBLE", "Publication Date": "DATE"},
        ),
        (
            "icews",
            "icews-sample.tab",
            {"Event Date": "DATE", "Intensity": "DOUBLE", "Sentence Number": "BIGINT"},
        ),
    ],
)
def test_layouts_match_samples_of_the_published_files(db, tmp_path, fmt, sample, typed):
    """Our file and a sample of the published one, read alike, have the same columns in the
    same order, and the columns a reader types come out with the same types."""
    ours = run_export(db, tmp_path, fmt)
    theirs = LAYOUTS / sample
    assert (
        ours.read_text(encoding="utf-8").splitlines()[0] == theirs.read_text(encoding="utf-8").splitlines()[0]
    )
    types = {}
    for path in (ours, theirs):
        relation = duckdb.sql(f"SELECT * FROM read_csv('{path}', delim='\\t', header=true)")
        types[path] = {name: str(kind) for name, kind in zip(relation.columns, relation.types, strict=True)}
        assert {name: types[path][name] for name in typed} == typed
    assert pd.read_csv(ours, sep="\t").shape[1] == pd.read_csv(theirs, sep="\t").shape[1]


def test_icews_names_generic_actors_by_sector_and_country(db, tmp_path):
    out = run_export(db, tmp_path, "icews")
    frame = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    first = frame.iloc[0]
    assert (first["Source Sectors"], first["Source Country"]) == ("Military", "Somalia")
    assert (first["CAMEO Code"], first["Event Text"], first["Intensity"]) == (
        "190",
        "Use conventional military force",
        "-10.0",
    )
    assert (first["Story ID"], first["Sentence Number"], first["Publisher"]) == ("d1", "1", "a.example")
    assert (first["City"], first["Province"], first["Country"], first["Latitude"]) == (
        "Mogadishu",
        "Banaadir",
        "Somalia",
        "2.03711",
    )


def test_pandas_and_duckdb_read_the_other_exports_back(db, tmp_path):
    """csv (RFC 4180, a header), jsonl and parquet: every row back, the odd names intact."""
    csv_file = run_export(db, tmp_path, "csv")
    frame = pd.read_csv(csv_file, dtype=str, keep_default_na=False)
    assert len(frame) == 3 and STRAY_QUOTE in set(frame["source_name"])
    assert TABBED in set(frame["target_name"])  # csv keeps a tab and a line break, quoted
    rows = duckdb.sql(f"SELECT source_name FROM read_csv('{csv_file}', header=true)").fetchall()
    assert len(rows) == 3 and (STRAY_QUOTE,) in rows
    jsonl = run_export(db, tmp_path, "jsonl")
    assert len(pd.read_json(jsonl, lines=True)) == 3
    assert duckdb.sql(f"SELECT count(*) FROM read_json('{jsonl}')").fetchall() == [(3,)]
    parquet = run_export(db, tmp_path, "parquet")
    assert len(pd.read_parquet(parquet)) == 3
    assert duckdb.sql(f"SELECT count(*) FROM '{parquet}'").fetchall() == [(3,)]
