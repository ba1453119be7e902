"""The event store: an embedded DuckDB database of documents, actor mentions, events
and quotes, with the questions and exports analysts ask of it.

>>> from communique.store import ingest, query_events, timeline     # doctest: +SKIP
>>> ingest(["examples/"], "events.duckdb")                            # doctest: +SKIP
>>> query_events("events.duckdb", source="USA", target="IRN")        # doctest: +SKIP
>>> timeline("events.duckdb", "USA-IRN", freq="week")                # doctest: +SKIP

Layout: ``columns`` (every stored column, derived from the models), ``schema`` (DDL),
``db`` (opening the file, the locking protocol), ``writer`` (ingest, idempotency,
clustering), ``queries``, ``timeline`` (timeline, alerts), ``exports`` (the exporters
registry), ``layouts`` (POLECAT's and ICEWS's published files), ``plot``. docs/store.md
documents the schema and the protocol.
"""

from communique.store.db import DEFAULT_DB, Store, StoreError, StoreLocked, StoreNotFound
from communique.store.exports import FORMATS, GDELT_BIGQUERY_COLUMNS, GDELT_COLUMNS, ExportOptions, export
from communique.store.layouts import ICEWS, POLECAT
from communique.store.plot import plot_timeline
from communique.store.queries import (
    Filters,
    dyads,
    parse_dyad,
    query_clusters,
    query_events,
    query_quotes,
    store_info,
    top_actors,
)
from communique.store.timeline import alerts, timeline
from communique.store.writer import BatchReport, IngestReport, ingest, write_results

__all__ = [
    "DEFAULT_DB",
    "FORMATS",
    "GDELT_BIGQUERY_COLUMNS",
    "GDELT_COLUMNS",
    "ICEWS",
    "POLECAT",
    "BatchReport",
    "ExportOptions",
    "Filters",
    "IngestReport",
    "Store",
    "StoreError",
    "StoreLocked",
    "StoreNotFound",
    "alerts",
    "dyads",
    "export",
    "ingest",
    "parse_dyad",
    "plot_timeline",
    "query_clusters",
    "query_events",
    "query_quotes",
    "store_info",
    "timeline",
    "top_actors",
    "write_results",
]
