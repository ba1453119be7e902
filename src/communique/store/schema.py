"""The store's tables, as DDL made from ``communique.store.columns``. docs/store.md
documents every column; keep the two in step.

One row per document in ``documents``; its actor mentions, events and quotes in
``actor_mentions``, ``events`` and ``quotes`` keyed by ``(doc_id, idx)`` where ``idx`` is
the position in the extract output's list. Actors are flattened into columns for
filtering (``source_country``, ``source_sectors`` ...) and the record as ``extract``
wrote it is kept verbatim in a ``*_json`` column, so nothing of a Result is lost and
``communique export --format results`` gives the extract lines back.

``event_clusters`` is a view: the events that report the same happening (same
source and target actor, type, status and day window) share a ``cluster_id`` that
the writer computes with ``cluster_id_sql``; the view counts mentions, sources and
articles per cluster, like GDELT's NumMentions, NumSources, NumArticles.
"""

from __future__ import annotations

from communique.store.columns import EVENTS, STORED, cluster_columns, ddl

MIGRATES_FROM = 1  # the oldest store schema this version reads (and upgrades when it writes)
SCHEMA_VERSION = 3  # 2: events gained location_* and n_mentions; 3: the location resolved (location_name,
# location_country, location_admin1, location_lat, location_lon, ...); store.db migrates both
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


CLUSTERS_VIEW = f"CREATE OR REPLACE VIEW event_clusters AS {clusters_sql()}"


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
