"""``event_clusters`` is a table the writer keeps (issue 22: the view aggregated every event on
each question): it must always hold what the aggregate over the store gives, whatever the
batches added or replaced, and the questions must answer as they did with the view."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from communique.store import Filters, Store, export, query_clusters, write_results
from communique.store.schema import SCHEMA_VERSION, clusters_sql
from test_store import ARAGHCHI, IRN, RUBIO, RUS, UKR, USA, corpus, event, result


def _table(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute("SELECT * FROM event_clusters ORDER BY cluster_id").fetchall()


def _aggregate(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(f"SELECT * FROM ({clusters_sql()}) ORDER BY cluster_id").fetchall()


def assert_in_step(db: Path) -> None:
    with Store(db).read() as con:
        table = _table(con)
        assert table == _aggregate(con)
        assert len(table) == con.execute("SELECT count(DISTINCT cluster_id) FROM events").fetchone()[0]


def _old_query_clusters(db: Path, filters: Filters, *, newest: bool, limit: int, offset: int) -> list:
    """query_clusters as it was with the view: the aggregate, restricted by the filters."""
    where, params = filters.where(alias="e")
    direction = "DESC" if newest else "ASC"
    sql = (
        f"SELECT * EXCLUDE (added) FROM ({clusters_sql(where)}) "
        f"ORDER BY date {direction} NULLS LAST, num_articles DESC, cluster_id LIMIT {limit} OFFSET {offset}"
    )
    with Store(db).read() as con:
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return [{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in r.items()} for r in rows]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "events.duckdb"
    for one in corpus():  # one batch per document: later batches add mentions to earlier clusters
        write_results(path, [one])
    return path


def test_the_table_is_the_aggregate_after_each_batch(tmp_path: Path) -> None:
    path = tmp_path / "events.duckdb"
    for one in corpus():
        write_results(path, [one])
        assert_in_step(path)
    first = query_clusters(path, source="USA", target="IRN", types="CONSULT", since="2026-01-05")[0]
    assert (first["num_mentions"], first["num_sources"], first["num_articles"]) == (4, 2, 3)


def test_replacing_documents_updates_and_removes_their_clusters(db: Path) -> None:
    # a1 loses its two Rubio meetings and its threat (a cluster of its own) and gains an assault
    changed = result("a1", "2026-01-05", "https://www.alpha.example/a1", [event(RUS, UKR, "ASSAULT")])
    # a5 moves to another day: both its clusters go, two new ones come
    moved = result(
        "a5",
        "2026-02-01",
        "https://gamma.example/a5",
        [event(RUS, UKR, "ASSAULT"), event(UKR, RUS, "REQUEST")],
    )
    before = query_clusters(db, types="THREATEN")
    assert len(before) == 1
    report = write_results(db, [changed, moved], replace=True)
    assert report.replaced == 2
    assert_in_step(db)
    assert query_clusters(db, types="THREATEN") == []
    consult = query_clusters(db, source="USA", target="IRN", types="CONSULT", since="2026-01-05")[0]
    assert (consult["num_mentions"], consult["num_articles"]) == (2, 2)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(source="USA", target="IRN"),
        Filters(source="usa", undirected=True),
        Filters(types=("CONSULT",), statuses=("happened",)),
        Filters(since="2026-01-06"),
        Filters(source="Marco Rubio"),
        Filters(context="military"),
        Filters(quad_classes=(3, 4)),
    ],
)
@pytest.mark.parametrize("newest", [True, False])
def test_questions_answer_as_with_the_view(db: Path, filters: Filters, newest: bool) -> None:
    for limit, offset in ((50, 0), (2, 1)):
        new = query_clusters(db, filters, limit=limit, offset=offset, newest=newest)
        assert new == _old_query_clusters(db, filters, newest=newest, limit=limit, offset=offset)


def test_gdelt_export_reads_the_table(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "gdelt.tsv"
    written = export(db, "gdelt", out)
    with Store(db).read() as con:
        assert written == con.execute("SELECT count(*) FROM event_clusters").fetchone()[0]
    assert export(db, "gdelt", tmp_path / "consult.tsv", types="CONSULT") == 3


def test_a_schema_3_store_with_the_view_is_read_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    write_results(path, corpus())
    expected = query_clusters(path, Filters(), limit=None)
    con = duckdb.connect(str(path))  # made to look like schema 3: the view, no table
    con.execute("DROP TABLE event_clusters")
    con.execute(f"CREATE VIEW event_clusters AS {clusters_sql()}")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    assert query_clusters(path, Filters(), limit=None) == expected  # read as it is, view and all
    write_results(path, [result("b1", "2026-03-01", None, [event(USA, IRN, "ACCUSE")])])
    with Store(path).read() as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(
            SCHEMA_VERSION
        )
        kind = con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'event_clusters'"
        ).fetchone()[0]
    assert kind == "BASE TABLE"
    assert_in_step(path)
    assert len(query_clusters(path, Filters(), limit=None)) == len(expected) + 1


def test_people_names_match_on_either_side(db: Path) -> None:
    # an unrelated sanity check of the table's columns: the representative mention's names
    found = query_clusters(db, source="Marco Rubio", target="Abbas Araghchi")
    assert found and found[0]["source_name"] == RUBIO.name and found[0]["target_name"] == ARAGHCHI.name
    assert {c["source_country"] for c in query_clusters(db, types="ACCUSE")} == {IRN.country}
    assert USA.country == "USA"
