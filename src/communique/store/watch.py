"""Keep feeding the store: ``watch(sources, db)`` ingests what is new in folders and feeds,
round after round, until stopped.

Each round is idempotent: a folder goes through ``ingest`` (a document the store holds, by
id or by text, is skipped before analysis); a feed or page URL is read with
``communique.io.web.read_url``, whose entries already stored (their id is the entry's id) are
not even fetched. A stop (Ctrl-C) between or inside rounds loses nothing committed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique.io.common import DEFAULT_OPTIONS, ReadOptions
from communique.io.inputs import is_url
from communique.models import Document, Problem, Result
from communique.store.db import Store
from communique.store.writer import ingest, write_results


@dataclass
class WatchReport:
    rounds: int = 0
    stored: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)


def _known_ids(store: Store) -> set[str]:
    if not store.exists():
        return set()
    with store.read() as con:
        return {row[0] for row in con.execute("SELECT id FROM documents").fetchall()}


def watch_round(
    sources: Iterable[str],
    store: Store,
    pipeline: Any,
    *,
    options: ReadOptions = DEFAULT_OPTIONS,
    fetcher: Any = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> WatchReport:
    """One look at every source; what is new is analysed and stored."""
    from communique.io.web import Fetcher, FetchSettings, read_url

    report = WatchReport(rounds=1)
    fetcher = fetcher or Fetcher(FetchSettings.load())
    known = _known_ids(store)
    for source in sources:
        if is_url(source):
            items = list(read_url(source, options, fetcher=fetcher, skip=known.__contains__))
            docs = [i for i in items if isinstance(i, Document) and i.id not in known]
            problems = [i for i in items if isinstance(i, Problem)]
            results: list[Result] = []
            for out in pipeline.process(docs):
                if isinstance(out, Result):
                    results.append(out)
                else:
                    problems.append(out)
            if results:
                batch = write_results(store, results)
                report.stored += batch.stored
                known.update(r.id for r in results)
        else:
            problems = []
            done = ingest(
                [source], store, pipeline=pipeline, read_options=options, on_problem=problems.append
            )
            report.stored += done.stored
        for item in problems:
            report.failed += 1
            report.problems.append(item)
            if on_problem is not None:
                on_problem(item)
    return report


def watch(
    sources: list[str],
    db: Store | str | Path,
    pipeline: Any,
    *,
    interval: float = 300.0,
    rounds: int | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
    on_round: Callable[[WatchReport], None] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> WatchReport:
    """Round after round (``rounds`` of them, else until KeyboardInterrupt), ``interval``
    seconds apart."""
    store = db if isinstance(db, Store) else Store(db)
    total = WatchReport()
    n = 0
    while rounds is None or n < rounds:
        if n:
            sleep(interval)
        done = watch_round(sources, store, pipeline, options=options, on_problem=on_problem)
        n += 1
        total.rounds, total.stored, total.failed = n, total.stored + done.stored, total.failed + done.failed
        if on_round is not None:
            on_round(done)
    return total
