"""The store's tables, as DDL made from ``communique.store.columns``. docs/store.md
documents every column; keep the two in step.

One row per document in ``documents``; its actor mentions, events and quotes in
``actor_mentions``, ``events`` and ``quotes`` keyed by ``(doc_id, idx)`` where ``idx`` is
the position in the extract output's list. Actors are flattened into columns for
filtering (``source_country``, ``source_sectors`` ...) and the record as ``extract``
wrote it is kept verbatim in a ``*_json`` column, so nothing of a Result is lost and
``communique export --format results`` gives the extract lines back.

``event_clusters`` is a table the writer keeps: the events that report the same happening
(same source and target actor, type, status and day window) share a ``cluster_id`` that
the writer computes with ``cluster_id_sql``; a row per cluster counts mentions, sources and
articles, like GDELT's NumMentions, NumSources, NumArticles. It was a view (schema 3 and
before), but that aggregated every event of the store on every question: 2-6 s for one page
of clusters on a store of 200,000 events. Each batch now recomputes the clusters it touched
(``refresh_clusters``, in the batch's transaction), so the table always equals
``clusters_sql()`` over the store.
"""

from __future__ import annotations

from typing import Any

import duckdb

from communique.store.columns import EVENTS, STORED, cluster_columns, ddl

Connection = duckdb.DuckDBPyConnection

MIGRATES_FROM = 1  # the oldest store schema this version reads (and upgrades when it writes)
SCHEMA_VERSION = 4  # 2: events gained location_* and n_mentions; 3: the location resolved (location_name,
# location_country, location_admin1, location_lat, location_lon, ...); 4: event_clusters a table, not
# a view; store.db migrates all three
DEFAULT_CLUSTER_WINDOW = 1  # days: an event cluster is one day unless the store says otherwise

TABLES = ("meta", *(table.name for table in STORED))

DDL = f"""
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

{ddl()}
"""

_ORDER_KEY = "(e.date, e.doc_id, e.idx)"
# Columns of a cluster taken from its first mention (earliest date, then document id,
# then position): the representative, as GDELT takes the first article's URL.
_FIRST = tuple(c.name for c in cluster_columns(EVENTS))


def clusters_sql(where: str | None = None) -> str:
    """One row per event cluster, counted over all its mentions; with ``where`` (an SQL
    condition over ``events`` aliased ``e``), only the clusters with a matching mention."""
    picks = ",\n    ".join(f"arg_min(e.{c}, {_ORDER_KEY}) AS {c}" for c in _FIRST)
    selection = f"WHERE e.cluster_id IN (SELECT cluster_id FROM events e WHERE {where})" if where else ""
    return f"""
SELECT
    e.cluster_id,
    min(e.date) AS date,
    max(e.date) AS last_date,
    {picks},
    sum(coalesce(e.n_mentions, 1)) AS num_mentions,
    count(DISTINCT coalesce(d.outlet, e.doc_id)) AS num_sources,
    count(DISTINCT e.doc_id) AS num_articles,
    bool_or(coalesce(e.in_lead, FALSE)) AS in_lead,
    arg_min(e.doc_id, {_ORDER_KEY}) AS first_doc_id,
    arg_min(e.idx, {_ORDER_KEY}) AS first_idx,
    arg_min(coalesce(d.url, d.source), {_ORDER_KEY}) AS url,
    min(d.ingested_at) AS added
FROM events e LEFT JOIN documents d ON d.id = e.doc_id
{selection}
GROUP BY e.cluster_id
"""


# Created empty with a new store (the types are those of the aggregate), filled by the writer.
CLUSTERS_TABLE = f"CREATE TABLE event_clusters AS {clusters_sql()}"


def refresh_clusters(con: Connection, touched: str, params: dict[str, Any] | None = None) -> None:
    """Recompute the rows of ``event_clusters`` whose ``cluster_id`` is among ``touched`` (an
    SQL query giving cluster ids, with its ``params``): those gone lose their row, the others
    get theirs anew. Called inside the writer's transaction with the clusters of the
    documents it added or removed; no other row of the table can change."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _touched_clusters AS SELECT DISTINCT cluster_id FROM ({touched}) t",
        params or {},
    )
    try:
        con.execute(
            "DELETE FROM event_clusters WHERE cluster_id IN (SELECT cluster_id FROM _touched_clusters)"
        )
        con.execute(
            "INSERT INTO event_clusters BY NAME "
            + clusters_sql("e.cluster_id IN (SELECT cluster_id FROM _touched_clusters)")
        )
    finally:
        con.execute("DROP TABLE IF EXISTS _touched_clusters")


def rebuild_clusters(con: Connection) -> None:
    """``event_clusters`` made again from every event (a migration, or events written by SQL)."""
    con.execute("DELETE FROM event_clusters")
    con.execute(f"INSERT INTO event_clusters BY NAME {clusters_sql()}")


def matching_clusters_sql(where: str | None = None) -> str:
    """The rows of ``event_clusters`` with a mention matching ``where`` (an SQL condition over
    ``events`` aliased ``e``; all of them without one): what ``clusters_sql(where)`` computes,
    read from the table instead of aggregated again."""
    if not where or where == "TRUE":  # no filter: no pass over the events at all
        return "SELECT * FROM event_clusters"
    return f"SELECT * FROM event_clusters WHERE cluster_id IN (SELECT cluster_id FROM events e WHERE {where})"


def actor_key_sql(prefix: str) -> str:
    """The actor half of a dyad: the country code, else the resolved name, else the words."""
    return f"coalesce({prefix}_country, lower({prefix}_name), lower({prefix}_text), '')"


def cluster_id_sql(window_days: int) -> str:
    """SQL expression (over an ``events`` row) for the id of the event's cluster.

    The cluster key is source actor | target actor | type | status | day bucket, where the
    bucket is the number of whole ``window_days`` periods since 1970-01-01; an event of an
    undated document forms clusters within that document only. The id is the first 60
    bits of the MD5 of the key: stable across runs, machines and stores.
    """
    if window_days < 1:
        raise ValueError(f"the cluster window must be at least one day, not {window_days}")
    bucket = (
        "CASE WHEN date IS NULL THEN 'doc:' || doc_id "
        f"ELSE CAST(date_diff('day', DATE '1970-01-01', date) // {int(window_days)} AS VARCHAR) END"
    )
    key = f"concat_ws('|', {actor_key_sql('source')}, {actor_key_sql('target')}, type, status, {bucket})"
    return f"CAST('0x' || substr(md5({key}), 1, 15) AS BIGINT)"
