"""Ingest: results into the store, each document exactly once, one transaction per batch.

* A document is known by its id (primary key) and by the hash of its text
  (``content_hash``, unique): a second document with the same id or the same text is
  skipped, so re-ingesting is idempotent. ``replace=True`` replaces a stored document
  that has the same id (e.g. after a better pipeline), still never storing one text twice.
* Each batch is written in one transaction: a run killed at any point leaves whole
  batches; started again it skips what was stored (checked before analysis, so the rerun
  costs little) and stores the rest.
* The file is open only while a batch is written (see ``communique.store.db``).

Inputs: anything ``communique extract`` reads (analysed with the pipeline), plus the
JSON lines that ``extract`` writes (``.jsonl``/``.jsonl.gz`` whose records are results)
and Parquet files (``.parquet``) holding either articles (``id``, ``text``, ``title``,
``date``, ``url`` ...) or results (columns ``id``, ``actors``, ``events`` ...).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from communique.io import DEFAULT_FORMATS, FORMATS, ReadOptions, is_result_file, read_inputs, read_results
from communique.models import Document, Problem, Result
from communique.store.columns import EVENTS, STORED, Origin, Table
from communique.store.db import Connection, Store, as_store
from communique.store.schema import cluster_id_sql, refresh_clusters

Item = Result | Problem
DEFAULT_BATCH = 64  # documents per transaction


def content_hash(result: Result | Document) -> str:
    """SHA-1 of the document text; for a result written without its text (``--no-text``),
    of its title, date, URL and extracted records (same article, same analysis)."""
    text = result.text
    if text is not None:
        return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()
    assert isinstance(result, Result)
    body = result.model_dump_json(include={"title", "date", "url", "actors", "events", "quotes"})
    return "nosha1:" + hashlib.sha1(body.encode("utf-8")).hexdigest()


# -- writing one batch -----------------------------------------------------------------------
@dataclass
class BatchReport:
    """What one batch did: documents stored, skipped as already there, replaced."""

    stored: int = 0
    duplicates: int = 0
    replaced: int = 0
    events: int = 0
    quotes: int = 0
    skipped_ids: list[str] = field(default_factory=list)


def write_results(db: Store | str | Path, results: Iterable[Result], *, replace: bool = False) -> BatchReport:
    """Store ``results`` in one transaction; documents already stored are skipped.

    A result is a duplicate when a stored document has its id (unless ``replace``) or the
    same content hash, or when an earlier result of the same batch does.
    """
    store = as_store(db)
    now = datetime.now(UTC).replace(tzinfo=None)
    report = BatchReport()
    batch: list[tuple[Result, str]] = []
    ids: set[str] = set()
    hashes: set[str] = set()
    for result in results:
        digest = content_hash(result)
        if result.id in ids or digest in hashes:
            report.duplicates += 1
            report.skipped_ids.append(result.id)
            continue
        ids.add(result.id)
        hashes.add(digest)
        batch.append((result, digest))
    if not batch:
        return report
    with store.write() as con:
        window = store.cluster_window
        con.begin()
        try:
            _write(con, batch, now, replace, window, report)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return report


def _write(
    con: Connection,
    batch: list[tuple[Result, str]],
    now: datetime,
    replace: bool,
    window: int,
    report: BatchReport,
) -> None:
    ids = [r.id for r, _ in batch]
    hashes = [h for _, h in batch]
    known = con.execute(
        "SELECT id, content_hash FROM documents "
        "WHERE id IN (SELECT unnest($ids)) OR content_hash IN (SELECT unnest($hashes))",
        {"ids": ids, "hashes": hashes},
    ).fetchall()
    known_ids = {row[0] for row in known}
    hash_owner = {row[1]: row[0] for row in known}
    rows: dict[str, list[dict[str, Any]]] = {table.name: [] for table in STORED}
    to_replace: list[str] = []
    for result, digest in batch:
        owner = hash_owner.get(digest)
        if owner is not None and owner != result.id:
            report.duplicates += 1  # the same text under another id
            report.skipped_ids.append(result.id)
            continue
        if result.id in known_ids:
            if not replace:
                report.duplicates += 1
                report.skipped_ids.append(result.id)
                continue
            to_replace.append(result.id)
        origin = Origin.of(result, digest, now)
        for table in STORED:
            rows[table.name] += table.rows(origin)
        report.events += len(result.events)
        report.quotes += len(result.quotes)
    # The clusters this batch changes: those of the events it removes and of those it adds.
    removed: list[int] = []
    if to_replace:
        removed = [
            row[0]
            for row in con.execute(
                "SELECT DISTINCT cluster_id FROM events WHERE doc_id IN (SELECT unnest($ids))",
                {"ids": to_replace},
            ).fetchall()
        ]
        for name in ("events", "actor_mentions", "quotes"):
            con.execute(f"DELETE FROM {name} WHERE doc_id IN (SELECT unnest($ids))", {"ids": to_replace})
        con.execute("DELETE FROM documents WHERE id IN (SELECT unnest($ids))", {"ids": to_replace})
        report.replaced += len(to_replace)
    report.stored += len(rows["documents"]) - len(to_replace)
    if not rows["documents"]:
        return
    for table in STORED:
        # the cluster id is computed in SQL, from the staged event's own columns
        clustered = f"{cluster_id_sql(window)} AS cluster_id" if table is EVENTS else ""
        _insert(con, table, rows[table.name], clustered)
    refresh_clusters(
        con,
        "SELECT cluster_id FROM events WHERE doc_id IN (SELECT unnest($ids)) "
        "UNION ALL SELECT unnest($removed::BIGINT[])",
        {"ids": [row["id"] for row in rows["documents"]], "removed": removed},
    )


def _insert(con: Connection, table: Table, rows: list[dict[str, Any]], replace_sql: str = "") -> None:
    if not rows:
        return
    staged = pa.Table.from_pylist(rows, schema=table.schema)
    name = f"_staged_{table.name}"
    con.register(name, staged)
    try:
        star = f"* REPLACE ({replace_sql})" if replace_sql else "*"
        con.execute(f"INSERT INTO {table.name} BY NAME SELECT {star} FROM {name}")
    finally:
        con.unregister(name)


# -- reading inputs --------------------------------------------------------------------------
def input_kind(given: str) -> str:
    """'results' (extract JSONL or results Parquet), 'parquet' (articles) or 'articles'."""
    if given == "-":
        return "articles"
    path = Path(given)
    if path.is_dir() and (path / "_summary.json").is_file():
        return "results-dir"  # an `extract --engine dask` output folder
    if not path.is_file():
        return "articles"  # folders and missing paths: the readers report on them
    if path.name.lower().endswith(".parquet"):
        return "results-parquet" if is_result_file(given) else "parquet"
    return "results" if is_result_file(given) else "articles"


# -- ingest ----------------------------------------------------------------------------------
@dataclass
class IngestReport:
    """The outcome of an ingest run."""

    stored: int = 0  # new documents
    replaced: int = 0  # documents replaced (replace=True)
    duplicates: int = 0  # skipped: already in the store, or twice in the input
    failed: int = 0  # inputs that could not be read or analysed (Problems)
    events: int = 0
    quotes: int = 0
    batches: int = 0  # transactions committed


def _groups(inputs: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """Consecutive inputs of the same kind, in order."""
    current: str | None = None
    group: list[str] = []
    for given in inputs:
        kind = input_kind(given)
        kind = "articles" if kind == "parquet" else kind
        if kind != current and group:
            yield current or "articles", group
            group = []
        current = kind
        group.append(given)
    if group:
        yield current or "articles", group


def _documents(inputs: list[str], options: ReadOptions) -> Iterator[Document | Problem]:
    for given in inputs:
        # Parquet articles are read from a file given by name; folders are read as `extract` reads them.
        named_parquet = given != "-" and given.lower().endswith(".parquet") and Path(given).is_file()
        yield from read_inputs([given], options, FORMATS if named_parquet else DEFAULT_FORMATS)


def _results(inputs: list[str]) -> Iterator[Result | Problem]:
    for given in inputs:
        yield from read_results(given)


class _Unseen:
    """Drops documents the store already holds, before the expensive analysis.

    Checked a chunk at a time with a read-only connection, so it never holds the file.
    The writer checks again inside its transaction: this is only a shortcut.
    """

    def __init__(self, store: Store, chunk: int, report: IngestReport, on_skip: Callable[[str], None]):
        self.store = store
        self.chunk = max(1, chunk)
        self.report = report
        self.on_skip = on_skip

    def __call__(self, items: Iterable[Any]) -> Iterator[Any]:
        iterator = iter(items)
        while True:
            chunk = list(islice(iterator, self.chunk))
            if not chunk:
                return
            candidates = [x for x in chunk if isinstance(x, Document | Result)]
            known_ids, known_hashes = self._known(candidates)
            for item in chunk:
                if isinstance(item, Document | Result) and (
                    item.id in known_ids or content_hash(item) in known_hashes
                ):
                    self.report.duplicates += 1
                    self.on_skip(item.id)
                    continue
                yield item

    def _known(self, candidates: list[Document | Result]) -> tuple[set[str], set[str]]:
        if not candidates:
            return set(), set()
        with self.store.read() as con:
            rows = con.execute(
                "SELECT id, content_hash FROM documents "
                "WHERE id IN (SELECT unnest($ids)) OR content_hash IN (SELECT unnest($hashes))",
                {"ids": [c.id for c in candidates], "hashes": [content_hash(c) for c in candidates]},
            ).fetchall()
        return {r[0] for r in rows}, {r[1] for r in rows}


def ingest(
    inputs: Iterable[str] | str,
    db: Store | str | Path,
    *,
    pipeline: Any = None,
    read_options: ReadOptions | None = None,
    batch_size: int = DEFAULT_BATCH,
    replace: bool = False,
    cluster_window: int | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    on_batch: Callable[[BatchReport, IngestReport], None] | None = None,
    on_skip: Callable[[str], None] | None = None,
    **pipeline_options: Any,
) -> IngestReport:
    """Read ``inputs``, analyse the articles, store the results; return the counts.

    Result files (extract JSONL, results Parquet) are stored as they are; everything else
    goes through ``pipeline`` (a ``communique.pipeline.Pipeline``, made from
    ``pipeline_options`` and loaded only when an article needs it).

    >>> report = ingest(["examples/"], "events.duckdb")          # doctest: +SKIP
    >>> report.stored, report.events                              # doctest: +SKIP
    """
    if isinstance(inputs, str):
        inputs = [inputs]
    store = as_store(db)
    with store.write(cluster_window=cluster_window) as con:  # create or check it before reading
        empty = not con.execute("SELECT EXISTS (SELECT 1 FROM documents)").fetchone()[0]  # type: ignore[index]
    options = read_options or ReadOptions()
    report = IngestReport()
    # Into an empty store nothing can be known in advance: the writer's own check suffices.
    skip_known = not (replace or empty)
    unseen = _Unseen(store, batch_size, report, on_skip or (lambda _id: None))

    def pipe() -> Any:
        nonlocal pipeline
        if pipeline is None:
            from communique.pipeline import Pipeline

            pipeline = Pipeline(batch_size=min(batch_size, 32), **pipeline_options)
        return pipeline

    def items() -> Iterator[Item]:
        for kind, group in _groups(inputs):
            if kind.startswith("results"):
                stream = _results(group)
                yield from unseen(stream) if skip_known else stream
            else:
                documents = _documents(group, options)
                yield from pipe().process(unseen(documents) if skip_known else documents)

    pending: list[Result] = []

    def flush() -> None:
        batch = write_results(store, pending, replace=replace)
        pending.clear()
        report.stored += batch.stored
        report.replaced += batch.replaced
        report.duplicates += batch.duplicates
        report.events += batch.events
        report.quotes += batch.quotes
        report.batches += 1
        if on_skip:
            for skipped in batch.skipped_ids:
                on_skip(skipped)
        if on_batch:
            on_batch(batch, report)

    for item in items():
        if isinstance(item, Problem):
            report.failed += 1
            if on_problem:
                on_problem(item)
            continue
        pending.append(item)
        if len(pending) >= batch_size:
            flush()
    if pending:
        flush()
    return report
