"""The store's column spec: a field added to a model becomes a column of the store and of the
exports with no other edit; the exporters registry is what the command line offers."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from communique.cli import cli
from communique.models import ActorMention, Event, Result, Span
from communique.store import FORMATS, export
from communique.store.columns import (
    EVENTS,
    Origin,
    Table,
    ddl,
    document_table,
    event_table,
    mention_table,
    quote_table,
)
from communique.store.exports import EXPORTERS


class MyEvent(Event):
    venue: Span | None = None


TEXT = "Rubio met Araghchi in Geneva.\nMore text."
GENEVA = Span(text="Geneva", start=22, end=28)


def _result() -> Result:
    rubio = ActorMention(text="Rubio", start=0, end=5, country="USA", sectors=["GOV"], name="Marco Rubio")
    event = MyEvent(
        type="CONSULT",
        source=rubio,
        trigger=Span(text="met", start=6, end=9),
        sentence=Span(text=TEXT.splitlines()[0], start=0, end=29),
        confidence=0.8,
        venue=GENEVA,
    )
    return Result(id="d1", source="test/d1.txt", date="2026-01-05", text=TEXT, actors=[rubio], events=[event])


def _store(tables: tuple[Table, ...], result: Result) -> duckdb.DuckDBPyConnection:
    """An in-memory store made from ``tables``, holding ``result`` as the writer stages it."""
    con = duckdb.connect()
    con.execute(ddl(tables))
    origin = Origin.of(result, "sha1:test", datetime(2026, 1, 5, 12))
    for table in tables:
        con.register("staged", pa.Table.from_pylist(table.rows(origin), schema=table.schema))
        con.execute(f"INSERT INTO {table.name} BY NAME SELECT * FROM staged")
        con.unregister("staged")
    return con


def test_a_field_added_to_event_becomes_a_column_and_an_export_field(tmp_path: Path) -> None:
    events = event_table(MyEvent)
    names = [c.name for c in events.columns]
    new = ["venue_text", "venue_start", "venue_end"]
    assert names == [*[c.name for c in EVENTS.columns][:-1], *new, "event_json"]
    result = _result()
    con = _store((document_table(), mention_table(), events, quote_table()), result)

    described = {row[0]: row[1] for row in con.execute("DESCRIBE events").fetchall()}
    assert (described["venue_text"], described["venue_start"]) == ("VARCHAR", "INTEGER")
    cursor = con.execute(
        "SELECT e.*, d.title, d.url, d.outlet FROM events e JOIN documents d ON d.id = e.doc_id"
    )
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    assert (row["venue_text"], row["venue_start"], row["venue_end"]) == ("Geneva", 22, 28)
    assert MyEvent.model_validate_json(row["event_json"]) == result.events[0]

    export(con, "csv", tmp_path / "e.csv")
    with open(tmp_path / "e.csv", encoding="utf-8", newline="") as handle:
        (exported,) = csv.DictReader(handle)
    assert (exported["venue_text"], exported["venue_start"]) == ("Geneva", "22")
    export(con, "parquet", tmp_path / "e.parquet")
    assert pq.read_table(tmp_path / "e.parquet").column("venue_text").to_pylist() == ["Geneva"]


def test_a_field_of_no_column_type_asks_for_a_rule() -> None:
    class Odd(Event):
        weights: dict[str, float] | None = None

    with pytest.raises(TypeError, match="Rule"):
        event_table(Odd)


def test_exporters_registry_is_what_export_and_the_cli_offer(tmp_path: Path) -> None:
    assert FORMATS == tuple(EXPORTERS) == ("jsonl", "csv", "parquet", "gdelt", "polecat", "icews", "results")
    for exporter in EXPORTERS.values():
        assert exporter.description and "\n" not in exporter.description
    assert [name for name, e in EXPORTERS.items() if e.binary] == ["parquet"]
    command = cli.get_command(None, "export")  # type: ignore[arg-type]
    (option,) = [p for p in command.params if p.name == "fmt"]
    assert list(option.type.choices) == list(EXPORTERS)

    con = _store((document_table(), mention_table(), EVENTS, quote_table()), _result())
    with pytest.raises(ValueError, match="format is one of jsonl, csv"):
        export(con, "xml", tmp_path / "e.xml")
    with pytest.raises(ValueError, match="Parquet is written to a file"):
        export(con, "parquet", "-")
    assert export(con, "jsonl", tmp_path / "e.jsonl") == 1
    assert json.loads((tmp_path / "e.jsonl").read_text(encoding="utf-8"))["type"] == "CONSULT"
