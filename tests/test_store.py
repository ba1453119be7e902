"""The event store on hand-built results: schema, idempotency, clustering, every question,
every export read back, the timeline and the alerts on constructed series, clear errors."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from communique.cli import cli
from communique.models import ActorMention, Event, Quote, Result, Span
from communique.store import (
    GDELT_COLUMNS,
    POLECAT,
    Filters,
    Store,
    StoreError,
    StoreLocked,
    StoreNotFound,
    alerts,
    dyads,
    export,
    ingest,
    query_clusters,
    query_events,
    query_quotes,
    store_info,
    timeline,
    top_actors,
    write_results,
)
from conftest import REPO

GOLDSTEIN = {"CONSULT": 1.0, "THREATEN": -4.4, "ACCUSE": -2.0, "ASSAULT": -10.0, "REQUEST": 3.0}
CAMEO = {"CONSULT": "040", "THREATEN": "130", "ACCUSE": "112", "ASSAULT": "190", "REQUEST": "020"}
QUAD = {"CONSULT": 1, "THREATEN": 3, "ACCUSE": 3, "ASSAULT": 4, "REQUEST": 1}


# -- building results by hand ----------------------------------------------------------------
def actor(country: str | None, name: str | None = None, sectors: tuple[str, ...] = ("GOV",)) -> ActorMention:
    text = name or country or "someone"
    return ActorMention(
        text=text,
        start=0,
        end=len(text),
        country=country,
        sectors=list(sectors),
        name=name,
        kind="person" if name else "country",
        entity=0,
    )


def event(
    source: ActorMention | None,
    target: ActorMention | None,
    type: str = "CONSULT",
    status: str = "happened",
    *,
    sentence_start: int = 0,
    context: tuple[str, ...] = (),
) -> Event:
    return Event(
        type=type,
        mode="visit" if type == "CONSULT" else None,
        context=list(context),
        cameo=CAMEO[type],
        goldstein=GOLDSTEIN[type],
        quad_class=QUAD[type],
        status=status,
        source=source,
        target=target,
        trigger=Span(text="met", start=sentence_start + 6, end=sentence_start + 9),
        sentence=Span(text="Rubio met Araghchi.", start=sentence_start, end=sentence_start + 19),
        confidence=0.8,
        method="lexicon",
    )


def quote(speaker: ActorMention | None, content: str, kind: str = "direct") -> Quote:
    return Quote(
        kind=kind,
        start=0,
        end=len(content) + 12,
        content=Span(text=content, start=1, end=len(content) + 1),
        cue=Span(text="said", start=len(content) + 3, end=len(content) + 7),
        speaker=speaker,
    )


def result(
    doc_id: str,
    day: str | None,
    url: str | None,
    events: list[Event],
    quotes: list[Quote] | None = None,
    text: str | None = None,
) -> Result:
    mentions = [m for e in events for m in (e.source, e.target) if m is not None]
    return Result(
        id=doc_id,
        source=f"test/{doc_id}.txt",
        title=f"Title of {doc_id}",
        date=day,
        url=url,
        text=text if text is not None else f"Rubio met Araghchi. Article {doc_id}.\nMore text.",
        actors=mentions,
        events=events,
        quotes=quotes or [],
    )


RUBIO = actor("USA", "Marco Rubio")
ARAGHCHI = actor("IRN", "Abbas Araghchi")
USA, IRN, RUS, UKR = actor("USA", "United States"), actor("IRN", "Iran"), actor("RUS", "Russia"), actor("UKR")


def corpus() -> list[Result]:
    """One USA->IRN meeting on 5 Jan 2026 reported by three articles from two outlets (four
    mentions); another the next day; a threat; Russia/Ukraine later; an undated article."""
    return [
        result(
            "a1",
            "2026-01-05",
            "https://www.alpha.example/a1",
            [
                event(RUBIO, ARAGHCHI),
                event(RUBIO, ARAGHCHI, sentence_start=40),
                event(USA, IRN, "THREATEN", "threatened"),
            ],
            [quote(RUBIO, "We are ready to talk."), quote(ARAGHCHI, "Iran is ready too.", "indirect")],
        ),
        result("a2", "2026-01-05", "https://beta.example/a2", [event(USA, IRN)]),
        result("a3", "2026-01-05", "https://alpha.example/a3", [event(USA, IRN)]),
        result("a4", "2026-01-06", "https://beta.example/a4", [event(USA, IRN), event(IRN, USA, "ACCUSE")]),
        result(
            "a5",
            "2026-01-20",
            "https://gamma.example/a5",
            [event(RUS, UKR, "ASSAULT", context=("military",)), event(UKR, RUS, "REQUEST")],
        ),
        result("a6", None, None, [event(USA, IRN)], [quote(RUBIO, "Talks are not a concession.")]),
    ]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "events.duckdb"
    report = write_results(path, corpus())
    assert report.stored == 6 and report.duplicates == 0
    return path


# -- schema ----------------------------------------------------------------------------------
def test_schema_is_documented(db):
    doc = (REPO / "docs" / "store.md").read_text(encoding="utf-8")
    with Store(db).read() as con:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_name IN ('documents', 'actor_mentions', 'events', 'quotes', 'meta', 'event_clusters')"
        ).fetchall()
    assert {t for t, _ in columns} == {
        "documents",
        "actor_mentions",
        "events",
        "quotes",
        "meta",
        "event_clusters",
    }
    missing = [f"{t}.{c}" for t, c in columns if f"`{c}`" not in doc]
    assert not missing, f"columns not described in docs/store.md: {missing}"


def test_events_are_flattened_and_keep_their_json(db):
    with Store(db).read() as con:
        row = con.execute(
            "SELECT source_country, source_name, source_sectors, target_name, type, mode, status, cameo, "
            "goldstein, quad_class, trigger_text, in_lead, event_json, date "
            "FROM events WHERE doc_id = 'a1' AND idx = 0"
        ).fetchone()
    assert row[:12] == (
        "USA",
        "Marco Rubio",
        ["GOV"],
        "Abbas Araghchi",
        "CONSULT",
        "visit",
        "happened",
        "040",
        1.0,
        1,
        "met",
        True,
    )
    assert Event.model_validate_json(row[12]) == corpus()[0].events[0]
    assert row[13] == date(2026, 1, 5)


# -- idempotency -----------------------------------------------------------------------------
def test_reingest_same_id_or_same_content_never_duplicates(tmp_path):
    path = tmp_path / "s.duckdb"
    first = corpus()
    assert write_results(path, first).stored == 6
    again = write_results(path, first)
    assert (again.stored, again.duplicates) == (0, 6)
    renamed = first[1].model_copy(update={"id": "a2-under-another-id"})
    same_batch = [first[2].model_copy(update={"id": "new"}), first[2].model_copy(update={"id": "new2"})]
    report = write_results(path, [renamed, *same_batch])
    assert report.stored == 0 and report.duplicates == 3
    fresh = result("fresh", "2026-02-01", None, [event(USA, IRN)], text="A different text.")
    report = write_results(path, [fresh, fresh])
    assert (report.stored, report.duplicates) == (1, 1)
    info = store_info(path)
    assert (info["documents"], info["events"], info["quotes"]) == (7, 11, 3)
    with Store(path).read() as con:
        assert con.execute(
            "SELECT count(*) FROM (SELECT doc_id, idx FROM events GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone() == (0,)


def test_replace_swaps_a_document_whole(tmp_path):
    path = tmp_path / "s.duckdb"
    write_results(path, corpus())
    newer = result(
        "a4",
        "2026-01-06",
        "https://beta.example/a4",
        [event(USA, IRN, "THREATEN", "threatened")],
        text="A revised text of a4.",
    )
    report = write_results(path, [newer], replace=True)
    assert (report.stored, report.replaced) == (0, 1)
    rows = query_events(path, doc_id="a4")
    assert [(r["type"], r["status"]) for r in rows] == [("THREATEN", "threatened")]


def test_ingest_reads_extract_jsonl_and_results_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    lines = tmp_path / "out.jsonl"
    lines.write_text("".join(r.model_dump_json() + "\n" for r in corpus()) + "not json\n", encoding="utf-8")
    problems = []
    report = ingest([str(lines)], tmp_path / "a.duckdb", on_problem=problems.append)
    assert (report.stored, report.failed, report.events) == (6, 1, 10)
    assert problems[0].source.endswith("out.jsonl:7")
    parquet = tmp_path / "results.parquet"
    pq.write_table(pa.Table.from_pylist([r.model_dump(mode="json") for r in corpus()]), parquet)
    report = ingest([str(parquet)], tmp_path / "b.duckdb")
    assert (report.stored, report.failed) == (6, 0)
    exported = []
    for name in ("a", "b"):
        buffer = io.StringIO()
        export(tmp_path / f"{name}.duckdb", "results", buffer)
        exported.append(buffer.getvalue())
    assert exported[0] == exported[1]
    again = ingest([str(parquet), str(lines)], tmp_path / "b.duckdb")
    assert (again.stored, again.duplicates) == (0, 12)


# -- clusters --------------------------------------------------------------------------------
def test_same_event_in_several_articles_is_one_cluster(db):
    clusters = query_clusters(db, source="USA", target="IRN", types="CONSULT", since="2026-01-05")
    first = clusters[0]
    assert (first["date"], first["num_mentions"], first["num_sources"], first["num_articles"]) == (
        "2026-01-05",
        4,
        2,
        3,
    )
    assert first["first_doc_id"] == "a1" and first["url"] == "https://www.alpha.example/a1"
    assert [c["date"] for c in clusters] == ["2026-01-05", "2026-01-06"]
    assert clusters[1]["num_mentions"] == 1
    raw = query_events(db, source="USA", target="IRN", types="CONSULT", since="2026-01-05", limit=None)
    assert len(raw) == 5 and len({r["cluster_id"] for r in raw}) == 2  # raw events stay available


def test_cluster_window_is_a_store_setting(tmp_path):
    path = tmp_path / "weekly.duckdb"
    with Store(path).write(cluster_window=7):
        pass
    write_results(path, corpus())
    assert store_info(path)["cluster_window_days"] == 7
    clusters = query_clusters(path, source="USA", target="IRN", types="CONSULT", since="2026-01-01")
    assert [(c["num_mentions"], c["num_articles"]) for c in clusters] == [(5, 4)]


# -- questions -------------------------------------------------------------------------------
def test_query_events_filters(db):
    everything = query_events(db, limit=None)
    assert len(everything) == 10
    assert everything[-1]["doc_id"] == "a6" and everything[-1]["date"] is None  # undated sort last
    assert [r["doc_id"] for r in query_events(db, newest=True, limit=2)] == ["a5", "a5"]
    rows = query_events(
        db, source="USA", target="IRN", types="CONSULT", statuses="happened", since="2026-01-01"
    )
    assert [(r["doc_id"], r["idx"]) for r in rows] == [("a1", 0), ("a1", 1), ("a2", 0), ("a3", 0), ("a4", 0)]
    row = rows[0]
    assert set(Event.model_fields) <= set(row) and {"doc_id", "date", "cluster_id"} <= set(row)
    assert Event.model_validate({k: row[k] for k in Event.model_fields}) == corpus()[0].events[0]
    assert len(query_events(db, source="Marco Rubio")) == 2  # a resolved name
    assert len(query_events(db, source="usa", target="irn", limit=None)) == 7  # undated one included
    assert len(query_events(db, statuses="threatened")) == 1
    assert len(query_events(db, source="IRN", target="USA", undirected=True, limit=None)) == 8
    assert len(query_events(db, until="2026-01-05", limit=None)) == 5
    assert len(query_events(db, quad_classes=[4])) == 1
    assert len(query_events(db, context="military")) == 1
    assert len(query_events(db, cameo="04", limit=None)) == 6
    assert len(query_events(db, limit=3, offset=8)) == 2
    with pytest.raises(ValueError, match="not a date"):
        query_events(db, since="last tuesday")
    with pytest.raises(ValueError, match="unknown status"):
        query_events(db, statuses="maybe")


def test_dyads_count_what_happened(db):
    rows = {(r["source"], r["target"]): r for r in dyads(db)}
    usa_irn = rows[("USA", "IRN")]
    assert (usa_irn["events"], usa_irn["clusters"], usa_irn["articles"], usa_irn["q1"], usa_irn["q3"]) == (
        6,
        3,
        5,
        6,
        0,
    )
    assert usa_irn["first_date"] == "2026-01-05" and usa_irn["last_date"] == "2026-01-06"
    assert rows[("RUS", "UKR")]["q4"] == 1 and rows[("IRN", "USA")]["goldstein_mean"] == -2.0
    every_status = {(r["source"], r["target"]): r for r in dyads(db, statuses="all")}
    assert every_status[("USA", "IRN")]["events"] == 7
    assert next(iter(rows)) == ("USA", "IRN")  # biggest first


def test_actors_top(db):
    rows = top_actors(db)
    by_name = {r["actor"]: r for r in rows}
    assert [(r["actor"], r["events"]) for r in rows[:2]] == [("Iran", 5), ("United States", 5)]
    assert (by_name["United States"]["as_source"], by_name["United States"]["as_target"]) == (4, 1)
    assert (by_name["Marco Rubio"]["events"], by_name["Marco Rubio"]["as_source"]) == (2, 2)
    assert by_name["Abbas Araghchi"]["as_target"] == 2 and by_name["Abbas Araghchi"]["country"] == "IRN"
    assert by_name["Marco Rubio"]["mentions"] == 2
    countries = {r["actor"]: r["events"] for r in top_actors(db, by="country", side="source")}
    assert countries["USA"] == 6 and countries["IRN"] == 1


def test_quotes_by_speaker(db):
    rows = query_quotes(db, "Marco Rubio")
    assert [(r["doc_id"], r["content"]["text"]) for r in rows] == [
        ("a1", "We are ready to talk."),
        ("a6", "Talks are not a concession."),
    ]
    assert rows[0]["speaker"]["name"] == "Marco Rubio" and rows[0]["date"] == "2026-01-05"
    assert Quote.model_validate({k: rows[0][k] for k in Quote.model_fields}) == corpus()[0].quotes[0]
    assert len(query_quotes(db, "rubio")) == 2
    assert [r["kind"] for r in query_quotes(db, "IRN")] == ["indirect"]
    assert query_quotes(db, "Rubio", since="2026-01-01") == rows[:1]
    assert len(query_quotes(db)) == 3


# -- timeline and alerts ---------------------------------------------------------------------
def test_timeline_counts_per_week(db):
    rows = timeline(db, "USA-IRN", freq="week")
    assert rows == [
        {
            "period": "2026-01-05",
            "events": 2,
            "q1": 2,
            "q2": 0,
            "q3": 0,
            "q4": 0,
            "goldstein_sum": 2.0,
            "goldstein_mean": 1.0,
        },
    ]
    mentions = timeline(db, "USA-IRN", freq="week", unit="events")
    assert (mentions[0]["events"], mentions[0]["goldstein_sum"]) == (5, 5.0)
    both = timeline(db, "USA-IRN", freq="day", undirected=True, statuses="all", unit="events")
    assert [(r["period"], r["events"], r["q3"]) for r in both] == [("2026-01-05", 5, 1), ("2026-01-06", 2, 1)]
    weeks = timeline(db, freq="week")  # everything: the empty week between is listed
    assert [r["period"] for r in weeks] == ["2026-01-05", "2026-01-12", "2026-01-19"]
    assert weeks[1]["events"] == 0 and weeks[1]["goldstein_mean"] is None
    assert weeks[2]["q4"] == 1 and weeks[2]["goldstein_sum"] == -7.0
    assert timeline(db, "USA-IRN", freq="month")[0]["period"] == "2026-01-01"
    with pytest.raises(ValueError, match="dyad"):
        timeline(db, "USA")


def series_store(
    path: Path, weekly: list[list[str]], dyad=(USA, IRN), start: date = date(2025, 1, 6)
) -> None:
    """A store whose dyad has, in week i, one article with the events of types ``weekly[i]``."""
    results = []
    for week, types in enumerate(weekly):
        if types:
            day = (start + timedelta(weeks=week)).isoformat()
            events = [event(dyad[0], dyad[1], t, sentence_start=50 * n) for n, t in enumerate(types)]
            results.append(result(f"w{week}", day, None, events, text=f"Week {week}."))
    write_results(path, results)


def test_alerts_flag_a_spike_against_the_baseline(tmp_path):
    path = tmp_path / "series.duckdb"
    # ten quiet weeks with one accusation each (score 2), then three assaults (score 30), then quiet
    series_store(path, [["ACCUSE"]] * 10 + [["ASSAULT", "ASSAULT", "ASSAULT"]] + [["ACCUSE"]] * 3)
    found = alerts(path, "USA-IRN", freq="week", unit="events")
    assert len(found) == 1
    spike = found[0]
    assert spike["period"] == (date(2025, 1, 6) + timedelta(weeks=10)).isoformat()
    assert (spike["score"], spike["baseline_mean"], spike["baseline_std"]) == (30.0, 2.0, 0.0)
    assert spike["z"] == 28.0 and spike["direction"] == "up"  # (30 - 2) / max(0, 1)
    assert alerts(path, freq="week", unit="events") == found  # every dyad scanned: the same
    assert alerts(path, "USA-IRN", freq="week", direction="down", unit="events") == []


def test_alerts_quiet_series_and_a_drop(tmp_path):
    path = tmp_path / "steady.duckdb"
    steady = [["ACCUSE", "ACCUSE"], ["ACCUSE"], ["ACCUSE", "ACCUSE"], ["ACCUSE"]] * 4  # scores 4, 2, 4, 2
    series_store(path, steady)
    assert alerts(path, "USA-IRN", unit="events") == []
    path = tmp_path / "drop.duckdb"
    # a steady 20 per week (ten accusations) stops dead, with cooperation going on
    series_store(path, [["ACCUSE"] * 10] * 8 + [["CONSULT"]])
    drop = alerts(path, "USA-IRN", direction="down", unit="events")
    assert [(a["score"], a["baseline_mean"], a["direction"]) for a in drop] == [(0.0, 20.0, "down")]
    assert alerts(path, "USA-IRN", direction="up", unit="events") == []
    # too little history: nothing is judged before min_periods weeks of baseline
    path = tmp_path / "young.duckdb"
    series_store(path, [["ACCUSE"], ["ASSAULT", "ASSAULT"]])
    assert alerts(path, "USA-IRN", unit="events") == []


# -- exports ---------------------------------------------------------------------------------
def test_export_jsonl_matches_query(db, tmp_path):
    out = tmp_path / "e.jsonl"
    assert export(db, "jsonl", out, source="USA") == 7
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines == query_events(db, source="USA", limit=None)


def test_export_csv_and_parquet_read_back(db, tmp_path):
    assert export(db, "csv", tmp_path / "e.csv") == 10
    frame = pd.read_csv(tmp_path / "e.csv", keep_default_na=False)
    assert len(frame) == 10
    for column in (
        "doc_id",
        "idx",
        "date",
        "cluster_id",
        "type",
        "source_country",
        "source_sectors",
        "source_name",
        "target_country",
        "reported_by_name",
        "sentence_text",
        "url",
    ):
        assert column in frame.columns
    first = frame.iloc[0]
    assert (first["doc_id"], first["date"], first["type"], first["source_name"], first["source_sectors"]) == (
        "a1",
        "2026-01-05",
        "CONSULT",
        "Marco Rubio",
        "GOV",
    )
    assert frame[frame["doc_id"] == "a5"]["context"].tolist() == ["military", ""]

    assert export(db, "parquet", tmp_path / "e.parquet", since="2026-01-06") == 4
    table = pd.read_parquet(tmp_path / "e.parquet")
    assert table["doc_id"].tolist() == ["a4", "a4", "a5", "a5"]
    assert list(table.iloc[0]["source_sectors"]) == ["GOV"]
    assert json.loads(table.iloc[0]["event_json"])["type"] == table.iloc[0]["type"]
    via_duckdb = duckdb.sql(f"SELECT count(*), min(date) FROM '{tmp_path / 'e.parquet'}'").fetchall()[0]
    assert via_duckdb[0] == 4 and str(via_duckdb[1]) == "2026-01-06"


def test_export_gdelt_has_the_61_columns(db, tmp_path):
    out = tmp_path / "e.tsv"
    written = export(db, "gdelt", out, source="USA", target="IRN", types="CONSULT", since="2026-01-01")
    assert written == 2
    frame = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)  # a header row by default
    assert frame.shape == (2, 61) and list(frame.columns) == list(GDELT_COLUMNS)
    assert GDELT_COLUMNS[:5] == ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
    )
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    row = frame.iloc[0]
    cluster = query_clusters(db, source="USA", target="IRN", types="CONSULT", since="2026-01-01")[0]
    assert int(row["GlobalEventID"]) == cluster["cluster_id"]
    assert (row["Day"], row["MonthYear"], row["Year"], row["FractionDate"]) == (
        "20260105",
        "202601",
        "2026",
        "2026.0959",
    )
    assert (row["Actor1Code"], row["Actor1Name"], row["Actor1CountryCode"], row["Actor1Type1Code"]) == (
        "USAGOV",
        "MARCO RUBIO",
        "USA",
        "GOV",
    )
    assert (row["Actor2Code"], row["Actor2CountryCode"]) == ("IRNGOV", "IRN")
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"], row["QuadClass"]) == (
        "040",
        "040",
        "04",
        "1",
    )
    assert (row["GoldsteinScale"], row["NumMentions"], row["NumSources"], row["NumArticles"]) == (
        "1",
        "4",
        "2",
        "3",
    )
    assert row["IsRootEvent"] == "1" and row["SOURCEURL"] == "https://www.alpha.example/a1"
    assert re.fullmatch(r"\d{14}", row["DATEADDED"])
    assert row["ActionGeo_Type"] == "0" and row["ActionGeo_FullName"] == "" and row["AvgTone"] == ""
    assert frame.iloc[1]["Day"] == "20260106"


def test_export_polecat_rows(db, tmp_path):
    out = tmp_path / "e.tsv"
    assert export(db, "polecat", out, types="ASSAULT") == 1
    frame = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(POLECAT.columns) and len(frame) == 1
    row = frame.iloc[0]
    assert (row["Event Type"], row["Actor Country"], row["Recipient Country"]) == ("ASSAULT", "RUS", "UKR")
    assert (row["Contexts"], row["Event Date"], row["Event ID"]) == ("military", "2026-01-20", "a5#0")
    assert (row["Quad Code"], row["Intensity"], row["Source"]) == (
        "MATERIAL CONFLICT",
        "-10.0",
        "gamma.example",
    )
    assert row["Story People"] == "Russia" and row["Language"] == "en"  # the helper makes named actors people


def test_export_results_gives_the_extract_lines_back(db, tmp_path):
    out = tmp_path / "r.jsonl"
    assert export(db, "results", out) == 6
    back = [Result.model_validate_json(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(back, key=lambda r: r.id) == sorted(corpus(), key=lambda r: r.id)
    assert export(db, "results", tmp_path / "some.jsonl", types="ASSAULT") == 1


# -- opening the file: errors and taking turns -----------------------------------------------
def test_clear_errors_for_missing_foreign_and_damaged_files(tmp_path):
    with pytest.raises(StoreNotFound, match="no store at"):
        query_events(tmp_path / "none.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError, match="not a communique store"):
        query_events(junk)
    foreign = tmp_path / "foreign.duckdb"
    duckdb.connect(str(foreign)).execute("CREATE TABLE t (x INTEGER)").close()
    with pytest.raises(StoreError, match="not a communique store"):
        query_events(foreign)
    with pytest.raises(StoreError, match="not a communique store"):
        write_results(foreign, corpus())
    assert (
        write_results(tmp_path / "new" / "folder" / "s.duckdb", corpus()).stored == 6
    )  # made, as extract -o
    with pytest.raises(StoreError, match="is a folder"):
        write_results(tmp_path, corpus())


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
"""


def hold(path: Path, mode: str, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), mode, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_readers_and_writers_wait_for_each_other(db, tmp_path):
    path = tmp_path / "turns.duckdb"
    write_results(path, corpus()[:2])
    writer = hold(path, "rw", 1.0)  # another process writing for a second
    started = time.monotonic()
    assert len(query_events(Store(path, timeout=20))) == 4  # waited, then read
    assert time.monotonic() - started > 0.3
    writer.wait()
    reader = hold(path, "ro", 1.0)  # a reader (e.g. a dashboard request) holds it
    report = write_results(Store(path, timeout=20), corpus()[2:])
    assert report.stored == 4
    reader.wait()
    blocker = hold(path, "rw", 30)
    try:
        with pytest.raises(StoreLocked, match=r"in use by process \d+"):
            query_events(Store(path, timeout=0.5))
        result_ = CliRunner().invoke(cli, ["query", "events", "--db", str(path), "--wait", "0.3"])
        assert result_.exit_code == 1 and "in use by process" in result_.output
        assert "Traceback" not in result_.output
    finally:
        blocker.kill()
        blocker.wait()


def test_a_busy_reader_and_an_ingest_take_turns(tmp_path):
    """A reader asking as fast as it can (a busy dashboard) while `ingest` writes batch after
    batch: both get through, and every answer sees whole batches only."""
    lines = tmp_path / "many.jsonl"
    docs = [result(f"c{i:03d}", "2026-02-01", None, [event(USA, IRN)], text=f"Story {i}.") for i in range(21)]
    lines.write_text("".join(d.model_dump_json() + "\n" for d in docs[1:]), encoding="utf-8")
    path = tmp_path / "shared.duckdb"
    write_results(path, docs[:1])
    code = (
        "import sys; from communique.store import Store, ingest; "
        "r = ingest([sys.argv[1]], Store(sys.argv[2], timeout=60), batch_size=2); "
        "print(f'{r.stored} documents stored', file=sys.stderr)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(lines), str(path)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    seen = []
    store = Store(path, timeout=60)
    while proc.poll() is None:
        seen.append(len(query_events(store, limit=None)))
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert "20 documents stored" in stderr
    assert len(seen) > 3 and seen == sorted(seen)
    assert all(n % 2 == 1 for n in seen)  # 1 + whole batches of 2, never half a batch
    assert len(query_events(store, limit=None)) == 21
    assert not (tmp_path / "shared.duckdb.writer-waiting").exists()


# -- the command line ------------------------------------------------------------------------
@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_cli_questions(db, runner, tmp_path):
    base = ["--db", str(db)]
    out = runner.invoke(
        cli,
        [
            "query",
            "events",
            *base,
            "--source",
            "USA",
            "--target",
            "IRN",
            "--type",
            "CONSULT",
            "--status",
            "happened",
            "--since",
            "2026-01-01",
            "--limit",
            "50",
            "--format",
            "jsonl",
        ],
    )
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.stdout.splitlines()]  # the undated note is on stderr
    assert lines == query_events(
        db, source="USA", target="IRN", types="CONSULT", statuses="happened", since="2026-01-01"
    )
    table = runner.invoke(cli, ["query", "events", *base, "--source", "USA", "--format", "table"])
    assert table.exit_code == 0 and table.output.splitlines()[0].split()[:3] == ["date", "source", "type"]
    assert "Marco Rubio" in table.output
    as_csv = runner.invoke(cli, ["query", "events", *base, "--format", "csv", "--limit", "2"])
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert len(rows) == 2 and rows[0]["source_name"] == "Marco Rubio" and rows[0]["source_sectors"] == "GOV"
    piped = runner.invoke(cli, ["query", "events", *base, "--limit", "1"])  # not a terminal: JSON lines
    assert json.loads(piped.output)["doc_id"] == "a1"
    clusters = runner.invoke(cli, ["query", "clusters", *base, "--type", "CONSULT", "--format", "jsonl"])
    assert json.loads(clusters.output.splitlines()[0])["num_articles"] == 3

    dy = runner.invoke(cli, ["dyads", *base, "--format", "jsonl"])
    assert json.loads(dy.output.splitlines()[0])["source"] == "USA"
    top = runner.invoke(cli, ["actors", "top", *base, "--format", "jsonl", "--limit", "1"])
    assert top.exit_code == 0 and json.loads(top.output)["actor"] == "Iran"
    quotes = runner.invoke(cli, ["quotes", *base, "--speaker", "Marco Rubio", "--format", "table"])
    assert quotes.exit_code == 0 and "We are ready to talk." in quotes.output
    tl = runner.invoke(cli, ["timeline", *base, "--dyad", "USA-IRN", "--freq", "week", "--format", "csv"])
    assert tl.stdout.splitlines() == [
        "period,events,q1,q2,q3,q4,goldstein_sum,goldstein_mean",
        "2026-01-05,2,2,0,0,0,2.0,1.0",
    ]
    assert "1 matching event(s) of 1 undated document(s) left out" in tl.stderr  # a6
    al = runner.invoke(cli, ["alerts", *base, "--format", "jsonl"])
    assert al.exit_code == 0
    info = runner.invoke(cli, ["store", "info", *base])
    assert json.loads(info.output)["documents"] == 6


def test_cli_plot_and_export(db, runner, tmp_path):
    png = tmp_path / "plots" / "usa-irn.png"
    out = runner.invoke(
        cli,
        [
            "plot",
            "timeline",
            "--db",
            str(db),
            "--dyad",
            "USA-IRN",
            "--freq",
            "day",
            "--unit",
            "events",
            "-o",
            str(png),
        ],
    )
    assert out.exit_code == 0, out.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    empty = runner.invoke(
        cli, ["plot", "timeline", "--db", str(db), "--dyad", "FRA-DZA", "-o", str(tmp_path / "e.png")]
    )
    assert empty.exit_code == 0 and (tmp_path / "e.png").exists()
    for fmt in ("jsonl", "csv", "gdelt", "polecat", "icews", "results"):
        res = runner.invoke(
            cli, ["export", "--db", str(db), "--format", fmt, "-o", str(tmp_path / f"x.{fmt}")]
        )
        assert res.exit_code == 0, res.output
        assert (tmp_path / f"x.{fmt}").stat().st_size > 0
    res = runner.invoke(cli, ["export", "--db", str(db), "--format", "parquet"])
    assert res.exit_code == 2 and "Parquet is written to a file" in res.output


def test_cli_errors_are_clear(runner, tmp_path, db):
    missing = runner.invoke(cli, ["query", "events", "--db", str(tmp_path / "nope.duckdb")])
    assert missing.exit_code == 1 and "no store at" in missing.output and "Traceback" not in missing.output
    bad_date = runner.invoke(cli, ["query", "events", "--db", str(db), "--since", "yesterday"])
    assert bad_date.exit_code == 2 and "not a date" in bad_date.output
    bad_dyad = runner.invoke(cli, ["timeline", "--db", str(db), "--dyad", "USA"])
    assert bad_dyad.exit_code == 2 and "SOURCE-TARGET" in bad_dyad.output
    bad_status = runner.invoke(cli, ["dyads", "--db", str(db), "--status", "perhaps"])
    assert bad_status.exit_code == 2
    for command, option, value, listed in (
        (["query", "events"], "--type", "ATTACK", "ASSAULT"),
        (["query", "clusters"], "--mode", "flying", "aerial"),
        (["dyads"], "--sector", "ARMY", "MIL"),
        (["timeline"], "--context", "nukes", "cbrn"),
        (["export", "--format", "csv"], "--cameo", "99", "01 to 20"),
        (["actors", "top"], "--location-country", "XXX", "ISO 3166-1 alpha-3"),
        (["query", "events"], "--status", "rumoured", "happened"),
    ):
        res = runner.invoke(cli, [*command, "--db", str(db), option, value])
        assert res.exit_code == 2 and listed in res.output and "Traceback" not in res.output, res.output
    ok = runner.invoke(cli, ["query", "events", "--db", str(db), "--sector", "gov", "--mode", "visit"])
    assert ok.exit_code == 0 and ok.stdout
    # an actor no event has (a typo, a code that is no country) is an error; a real one is not
    for args in (
        ["query", "events", "--source", "XYZ"],
        ["timeline", "--dyad", "USA-IRNN"],
        ["dyads", "--target", "Marko"],
    ):
        res = runner.invoke(cli, [*args, "--db", str(db)])
        assert res.exit_code == 2 and "in this store" in res.output and "actors top" in res.output, args
    empty = runner.invoke(cli, ["query", "events", "--db", str(db), "--source", "FRA", "--target", "DZA"])
    assert empty.exit_code == 0 and empty.stdout == ""  # real codes with no events: an empty answer
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"\x00garbage" * 1000)
    damaged = runner.invoke(cli, ["timeline", "--db", str(junk)])
    assert damaged.exit_code == 1 and "not a communique store" in damaged.output


def test_cli_ingest_of_extract_output_is_idempotent(runner, tmp_path):
    lines = tmp_path / "out.jsonl"
    lines.write_text("".join(r.model_dump_json() + "\n" for r in corpus()), encoding="utf-8")
    store = tmp_path / "cli.duckdb"
    first = runner.invoke(cli, ["ingest", str(lines), "--db", str(store), "-v", "--batch-size", "4"])
    assert first.exit_code == 0, first.output
    assert "batch 1 committed" in first.stderr and "6 documents stored" in first.stderr
    again = runner.invoke(cli, ["ingest", str(lines), "--db", str(store)])
    assert (
        again.exit_code == 0 and "0 documents stored" in again.stderr and "6 already stored" in again.stderr
    )
    assert store_info(store)["documents"] == 6


def test_filters_reject_unknown_names():
    with pytest.raises(TypeError, match="unknown filter"):
        Filters.make(None, sauce="USA")


def test_ingest_reads_a_dask_output_folder(tmp_path):
    """`extract --engine dask` writes part-*.parquet files with one JSON result per row and a
    _summary.json; `ingest FOLDER` stores exactly those documents."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "dask-out"
    out.mkdir()
    docs = corpus()[:3]
    table = pa.table({"id": [d.id for d in docs], "result": [d.model_dump_json() for d in docs]})
    pq.write_table(table, out / "part-000000.parquet")
    (out / "_summary.json").write_text(json.dumps({"documents": len(docs)}), encoding="utf-8")
    db = tmp_path / "events.duckdb"
    outcome = CliRunner().invoke(cli, ["ingest", str(out), "--db", str(db), "-q"])
    assert outcome.exit_code == 0, outcome.output
    con = duckdb.connect(str(db), read_only=True)
    ids = sorted(r[0] for r in con.execute("select id from documents").fetchall())
    con.close()
    assert ids == sorted(d.id for d in docs)


def test_date_based_commands_say_what_undated_documents_they_leave_out(db, runner, tmp_path):
    """a6 (no date) reports a USA-IRN meeting: the timeline, the alerts and the chart leave it
    out and say so, with how to date it; a dyad with no undated events gets no note."""
    for args in (
        ["timeline", "--dyad", "USA-IRN"],
        ["alerts", "--dyad", "USA-IRN"],
        ["plot", "timeline", "--dyad", "USA-IRN", "-o", str(tmp_path / "t.png")],
    ):
        res = runner.invoke(cli, [*args, "--db", str(db)])
        assert res.exit_code == 0, res.output
        assert "1 matching event(s) of 1 undated document(s) left out" in res.stderr, args
        assert "--date YYYY-MM-DD" in res.stderr
    quiet = runner.invoke(cli, ["timeline", "--db", str(db), "--dyad", "RUS-UKR"])
    assert quiet.exit_code == 0 and "undated" not in quiet.stderr
    # a date filter leaves them out of listings, counts and exports too, and says so
    for args in (
        ["query", "events", "--since", "2026-01-01"],
        ["dyads", "--until", "2026-12-31"],
        ["export", "--format", "csv", "--since", "2026-01-01", "-o", str(tmp_path / "e.csv")],
    ):
        res = runner.invoke(cli, [*args, "--db", str(db), "--source", "USA", "--target", "IRN"])
        assert res.exit_code == 0, res.output
        assert "undated document(s) left out by --since/--until" in res.stderr, args
    plain = runner.invoke(cli, ["query", "events", "--db", str(db), "--source", "USA"])
    assert "undated" not in plain.stderr  # no date filter: the undated events are listed, last


def test_the_goldstein_line_breaks_at_periods_without_events():
    from communique.store.plot import goldstein_runs

    rows = [
        {"period": "2026-01-05", "events": 2, "goldstein_mean": 1.0},
        {"period": "2026-01-12", "events": 0, "goldstein_mean": None},
        {"period": "2026-01-19", "events": 1, "goldstein_mean": -10.0},
        {"period": "2026-01-26", "events": 1, "goldstein_mean": -4.0},
    ]
    assert goldstein_runs(rows) == [
        [("2026-01-05", 1.0)],
        [("2026-01-19", -10.0), ("2026-01-26", -4.0)],
    ]


def test_a_country_row_has_no_role_of_one_of_its_actors(tmp_path):
    """The actors page labelled Russia 'Air force': the country row took the commonest role
    of the country's actors. A country stands for all of them and has none; a named actor
    keeps its own."""
    drones = ActorMention(
        text="Russian drones",
        start=0,
        end=14,
        country="RUS",
        sectors=["MIL"],
        role="Air force",
        kind="organization",
    )
    putin = ActorMention(
        text="Putin", start=0, end=5, country="RUS", sectors=["GOV"], name="Vladimir Putin", role="President"
    )
    path = tmp_path / "roles.duckdb"
    write_results(
        path, [result("r1", "2026-01-05", None, [event(drones, UKR, "ASSAULT"), event(putin, UKR)])]
    )
    (russia,) = [r for r in top_actors(path, by="country") if r["actor"] == "RUS"]
    assert russia["role"] is None
    (named,) = [r for r in top_actors(path, by="name") if r["actor"] == "Vladimir Putin"]
    assert named["role"] == "President"
