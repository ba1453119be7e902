"""The store fed by the real pipeline: the examples and the seed article ingested, then every
question answered by the store checked against the same answer computed in Python from the
pipeline's own results (so the tests hold whatever the coder finds)."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from communique.io import ReadOptions, read_inputs
from communique.models import Document, Event, Result
from communique.store import (
    dyads,
    export,
    ingest,
    query_events,
    query_quotes,
    store_info,
    timeline,
    top_actors,
)
from conftest import EXAMPLES, SEED

SEED_DATE = date(2026, 2, 10)  # the seed has no date of its own; as in conftest
OPTIONS = ReadOptions(date=SEED_DATE)


def inputs() -> list[str]:
    return [str(EXAMPLES)] + ([str(SEED)] if SEED.exists() else [])


class Recording:
    """The pipeline, keeping a copy of every result it hands to the store: the oracle."""

    def __init__(self, pipeline) -> None:
        self.pipeline = pipeline
        self.items: list = []

    def process(self, documents):
        for item in self.pipeline.process(documents):
            self.items.append(item)
            yield item


@pytest.fixture(scope="module")
def ingested(pipeline, tmp_path_factory) -> tuple[Path, list[Result]]:
    path = tmp_path_factory.mktemp("pipeline-store") / "events.duckdb"
    recording = Recording(pipeline)
    report = ingest(inputs(), path, pipeline=recording, read_options=OPTIONS)
    items = recording.items
    assert all(isinstance(i, Result) for i in items), [i for i in items if not isinstance(i, Result)]
    assert (report.stored, report.failed) == (len(items), 0)
    assert len(items) == 24 + SEED.exists()
    return path, items


@pytest.fixture(scope="module")
def db(ingested) -> Path:
    return ingested[0]


@pytest.fixture(scope="module")
def results(ingested) -> list[Result]:
    return ingested[1]


def flat(results: list[Result]) -> list[tuple[Result, int, Event]]:
    rows = [(r, i, e) for r in results for i, e in enumerate(r.events)]
    return sorted(rows, key=lambda x: (x[0].date is None, x[0].date or date.min, x[0].id, x[1]))


def country(mention) -> str | None:
    return mention.country if mention is not None else None


def test_the_store_holds_exactly_what_the_pipeline_found(db, results):
    out = io.StringIO()
    assert export(db, "results", out) == len(results)
    back = {r.id: r for r in (Result.model_validate_json(line) for line in out.getvalue().splitlines())}
    assert back == {r.id: r for r in results}
    info = store_info(db)
    assert info["events"] == sum(len(r.events) for r in results)
    assert info["actor_mentions"] == sum(len(r.actors) for r in results)
    assert info["quotes"] == sum(len(r.quotes) for r in results)


def test_reingest_is_idempotent(db, pipeline, results):
    report = ingest(inputs(), db, pipeline=pipeline, read_options=OPTIONS)
    assert (report.stored, report.duplicates, report.failed) == (0, len(results), 0)
    assert store_info(db)["documents"] == len(results)


def test_query_events_like_the_issue(db, results):
    expected = [
        (r.id, i) for r, i, e in flat(results) if country(e.source) == "USA" and country(e.target) == "IRN"
    ]
    rows = query_events(db, source="USA", target="IRN", limit=None)
    assert [(r["doc_id"], r["idx"]) for r in rows] == expected
    narrow = [
        (r.id, i)
        for r, i, e in flat(results)
        if country(e.source) == "USA"
        and country(e.target) == "IRN"
        and e.type == "CONSULT"
        and e.status == "happened"
        and r.date
        and r.date >= date(2026, 1, 1)
    ]
    rows = query_events(
        db, source="USA", target="IRN", types="CONSULT", statuses="happened", since="2026-01-01", limit=50
    )
    assert [(r["doc_id"], r["idx"]) for r in rows] == narrow[:50]
    by_id = {r.id: r for r in results}
    for row in query_events(db, limit=20):
        assert (
            Event.model_validate({k: row[k] for k in Event.model_fields})
            == by_id[row["doc_id"]].events[row["idx"]]
        )
        day = by_id[row["doc_id"]].date
        assert row["date"] == (day.isoformat() if day else None)  # rows are JSON-shaped


def test_dyads_and_top_actors(db, results):
    happened = [(r, e) for r, _, e in flat(results) if e.status == "happened"]
    pairs: dict[tuple[str, str], list] = defaultdict(list)
    for r, e in happened:
        if country(e.source) and country(e.target):
            pairs[(e.source.country, e.target.country)].append((r, e))
    expected = sorted(
        ((s, t, len(v), len({r.id for r, _ in v})) for (s, t), v in pairs.items()),
        key=lambda x: (-x[2], x[0], x[1]),
    )
    got = [(d["source"], d["target"], d["events"], d["articles"]) for d in dyads(db, limit=None)]
    assert got == expected
    counts: Counter[str] = Counter()
    for _, e in happened:
        for m in (e.source, e.target):
            if m is not None and m.name:
                counts[m.name] += 1
    top = top_actors(db, limit=None)
    assert {(a["actor"], a["events"]) for a in top} == set(counts.items())
    assert [a["events"] for a in top] == sorted(counts.values(), reverse=True)


def test_timeline_usa_irn_by_week(db, results):
    def monday(day: date) -> str:
        return (day - timedelta(days=day.weekday())).isoformat()

    mine = [
        (r, e)
        for r, _, e in flat(results)
        if e.status == "happened" and r.date and country(e.source) == "USA" and country(e.target) == "IRN"
    ]
    weeks: dict[str, list[Event]] = defaultdict(list)
    for r, e in mine:
        weeks[monday(r.date)].append(e)  # type: ignore[arg-type]
    rows = {
        row["period"]: row for row in timeline(db, "USA-IRN", freq="week", unit="events") if row["events"]
    }
    assert set(rows) == set(weeks)
    for week, events in weeks.items():
        assert rows[week]["events"] == len(events)
        for q in (1, 2, 3, 4):
            assert rows[week][f"q{q}"] == sum(e.quad_class == q for e in events)
        assert rows[week]["goldstein_sum"] == pytest.approx(sum(e.goldstein or 0 for e in events), abs=1e-3)
    # clusters: one per (day, type) here, since source, target and status are fixed
    clustered: dict[str, set] = defaultdict(set)
    for r, e in mine:
        clustered[monday(r.date)].add((r.date, e.type))  # type: ignore[arg-type]
    per_week = {row["period"]: row["events"] for row in timeline(db, "USA-IRN", freq="week") if row["events"]}
    assert per_week == {week: len(keys) for week, keys in clustered.items()}


def test_quotes_by_speaker(db, results):
    expected = [
        (r.id, i)
        for r in sorted(results, key=lambda r: (r.date is None, r.date or date.min, r.id))
        for i, q in enumerate(r.quotes)
        if q.speaker is not None
        and ("marco rubio" in (q.speaker.name or "").lower() or "marco rubio" in q.speaker.text.lower())
    ]
    rows = query_quotes(db, "Marco Rubio", limit=None)
    assert [(r["doc_id"], r["idx"]) for r in rows] == expected


def test_seed_article(db, results):
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: the seed article lives outside the repository (../shared/seed)")
    seed = next(r for r in results if r.source.endswith("article.txt"))
    assert seed.date == SEED_DATE
    rows = query_events(db, source="USA", target="IRN", doc_id=seed.id, limit=None)
    expected = [
        i for i, e in enumerate(seed.events) if country(e.source) == "USA" and country(e.target) == "IRN"
    ]
    assert [r["idx"] for r in rows] == expected
    assert expected, "the seed article reports US actions towards Iran"
    assert all(r["date"] == SEED_DATE.isoformat() for r in rows)
    spoken = query_quotes(db, "Marco Rubio", doc_id=seed.id, limit=None)
    assert len(spoken) == sum(
        1
        for q in seed.quotes
        if q.speaker is not None and "rubio" in (q.speaker.name or q.speaker.text).lower()
    )


def test_parquet_articles_go_through_the_pipeline(pipeline, results, tmp_path):
    docs = [d for d in read_inputs([str(EXAMPLES / "wire.jsonl")]) if isinstance(d, Document)][:2]
    table = pa.Table.from_pylist(
        [{"id": d.id, "title": d.title, "date": d.date, "url": d.url, "text": d.text} for d in docs]
    )
    pq.write_table(table, tmp_path / "articles.parquet")
    path = tmp_path / "p.duckdb"
    report = ingest([str(tmp_path / "articles.parquet")], path, pipeline=pipeline)
    assert (report.stored, report.failed) == (2, 0)
    by_id = {r.id: r for r in results}
    for d in docs:
        stored = query_events(path, doc_id=d.id, limit=None)
        assert [r["type"] for r in stored] == [e.type for e in by_id[d.id].events]


# -- where events happened -------------------------------------------------------------------
def _read_gdelt(path: Path):
    """A GDELT export as pandas reads any TSV: its header row, a field with a quote quoted."""
    import pandas as pd

    from communique.store.exports import GDELT_COLUMNS

    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(GDELT_COLUMNS)
    return frame


def _located(results: list[Result]) -> list[tuple[Result, int, Event]]:
    return [(r, i, e) for r, i, e in flat(results) if e.location is not None and e.location.lat is not None]


def test_events_filter_by_where_they_happened(db, results):
    located = _located(results)
    assert located, "the examples name places where their events happen"
    country_ = Counter(e.location.country for _, _, e in located).most_common(1)[0][0]
    rows = query_events(db, location_country=country_, statuses="all", limit=None)
    expected = [(r.id, i) for r, i, e in flat(results) if e.location and e.location.country == country_]
    assert [(r["doc_id"], r["idx"]) for r in rows] == expected
    _, _, one = located[0]
    lat, lon = one.location.lat, one.location.lon
    box = (lon - 0.5, lat - 0.5, lon + 0.5, lat + 0.5)
    inside = query_events(db, bbox=box, statuses="all", limit=None)
    assert inside and all(abs(r["location"]["lat"] - lat) <= 0.5 for r in inside)
    if one.location.admin1:
        by_admin = query_events(db, location_admin1=one.location.admin1.upper(), statuses="all", limit=None)
        assert all(r["location"]["admin1"] == one.location.admin1 for r in by_admin) and by_admin
    with pytest.raises(ValueError, match="bounding box"):
        query_events(db, bbox="1,2,3")


def test_gdelt_export_has_its_geo_columns_filled(db, results, tmp_path):
    out = tmp_path / "events.tsv"
    written = export(db, "gdelt", out, statuses="all")
    frame = _read_gdelt(out)
    assert len(frame) == written > 0
    placed = frame[frame["ActionGeo_Lat"] != ""]
    assert len(placed) > 0
    for column in ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"):
        assert (placed[f"ActionGeo_{column}"] != "").all(), column
    assert set(placed["ActionGeo_Type"]) <= {"1", "2", "3", "4", "5"}
    # FIPS 10-4 as GDELT has it, not ISO: no three-letter codes
    assert (placed["ActionGeo_CountryCode"].str.len() == 2).all()
    assert (frame["Actor1Geo_CountryCode"] != "").any()
    lat = placed["ActionGeo_Lat"].astype(float)
    assert lat.between(-90, 90).all()


def test_seed_geo_in_gdelt_and_polecat(db, tmp_path):
    import csv

    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: shared data lives outside the repository")
    out = tmp_path / "seed.tsv"
    export(db, "gdelt", out, statuses="all", types="CONSULT")
    frame = _read_gdelt(out)
    beijing = frame[frame["ActionGeo_FeatureID"] == "1816670"]
    assert len(beijing) and set(beijing["ActionGeo_CountryCode"]) == {"CH"}  # FIPS China
    assert set(beijing["ActionGeo_Type"]) == {"4"} and beijing.iloc[0]["ActionGeo_FullName"].startswith(
        "Beijing"
    )
    polecat = io.StringIO()
    export(db, "polecat", polecat, statuses="all", types="MOBILIZE")
    records = list(csv.DictReader(io.StringIO(polecat.getvalue()), delimiter="\t"))
    region = [r for r in records if r["Placename"] == "Middle East"]
    assert region and region[0]["Latitude"] == "" and region[0]["Feature Type"] == "RGN"
