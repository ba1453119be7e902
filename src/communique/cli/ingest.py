"""`ingest`: analyse articles (or read `extract` output) into the store.

It takes the read and model options of `extract`.
"""

from __future__ import annotations

import dataclasses  # not `replace`: that is the --replace flag here
import sys
import time
from typing import Any

import click

from communique.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    db_options,
    errors_option,
    input_options,
    jobs_option,
    load_or_exit,
    model_options,
    report_problem,
)
from communique.cli.progress import progress
from communique.cli.store_common import store_errors
from communique.settings import PipelineSettings


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@db_options
@click.option(
    "--batch-size",
    default=64,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Documents per transaction (analysed up to 32 at a time).",
)
@jobs_option
@click.option(
    "--replace",
    is_flag=True,
    help="Replace stored documents that have the same id (e.g. after a pipeline update).",
)
@click.option(
    "--cluster-window",
    default=None,
    type=click.IntRange(1, 365),
    help="Days per event-cluster window, for a new store (default 1).",
)
@errors_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
@click.option("--verbose", "-v", is_flag=True, help="A line per committed batch.")
@input_options
@model_options
def ingest_cmd(
    inputs: tuple[str, ...],
    db: str,
    wait: float,
    batch_size: int,
    jobs: int,
    replace: bool,
    cluster_window: int | None,
    errors_path: str | None,
    quiet: bool,
    verbose: bool,
    read_options: Any,
    settings: PipelineSettings,
) -> None:
    """Analyse articles and store the results; also stores `extract` output (JSONL) and
    Parquet (articles or results).

    Each document is stored once: one already in the store (same id, or same text under
    another id) is skipped, so running it again is safe, and a run that was killed
    picks up where its last committed batch ended. The store is open only while a
    batch is written, so `query` and a dashboard can read in between. On a terminal a
    bar shows the documents done of the total and the time left.

    \b
    Examples:
      communique ingest examples/ --db events.duckdb
      communique extract news/ -o out.jsonl && communique ingest out.jsonl
    """
    from communique.pipeline import Pipeline
    from communique.store import Store, ingest
    from communique.store.writer import IngestReport, input_kind

    options = read_options
    pipe = None
    if any(not input_kind(i).startswith("results") for i in inputs):
        settings = dataclasses.replace(settings, batch_size=min(batch_size, 32), jobs=jobs)
        pipe = Pipeline.from_settings(settings)
        load_or_exit(pipe)
    started = time.perf_counter()
    err_out = open(errors_path, "w", encoding="utf-8") if errors_path else None  # noqa: SIM115

    bar: Any = None

    def on_problem(problem: Any) -> None:
        report_problem(problem, err_out)
        bar.update(1)

    def on_skip(doc_id: str) -> None:
        bar.update(1)

    def on_batch(batch: Any, total: Any) -> None:
        bar.update(batch.stored + batch.replaced)
        if verbose:
            click.echo(
                f"communique: batch {total.batches} committed: {batch.stored} new, "
                f"{batch.replaced} replaced, {batch.duplicates} already stored "
                f"(so far {total.stored + total.replaced} stored)",
                err=True,
            )

    store = Store(db, timeout=wait)
    interrupted = False
    report = IngestReport()
    try:
        with store_errors(), progress(inputs, quiet=quiet) as bar:
            report = ingest(
                inputs,
                store,
                pipeline=pipe,
                read_options=options,
                batch_size=batch_size,
                replace=replace,
                cluster_window=cluster_window,
                on_problem=on_problem,
                on_batch=on_batch,
                on_skip=on_skip,
            )
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if err_out is not None:
            err_out.close()
    seconds = time.perf_counter() - started
    if interrupted:
        click.echo("communique: interrupted; the committed batches are stored, run again to go on", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if not quiet:
        click.echo(
            f"communique: {report.stored} documents stored, {report.replaced} replaced, "
            f"{report.duplicates} already stored, {report.failed} failed; {report.events} events, "
            f"{report.quotes} quotes in {seconds:.1f} s -> {db}",
            err=True,
        )
    sys.exit(EXIT_SOME_FAILED if report.failed else EXIT_OK)


@click.command("watch")
@click.argument("sources", nargs=-1, required=True)
@db_options
@click.option(
    "--interval",
    default=300.0,
    show_default=True,
    type=click.FloatRange(0.1, 86_400),
    help="Seconds between two looks at the sources.",
)
@click.option("--rounds", type=click.IntRange(1), default=None, help="Stop after this many rounds.")
@errors_option
@click.option("--quiet", "-q", is_flag=True, help="No line per round.")
@input_options
@model_options
def watch_cmd(
    sources: tuple[str, ...],
    db: str,
    wait: float,
    interval: float,
    rounds: int | None,
    errors_path: str | None,
    quiet: bool,
    read_options: Any,
    settings: PipelineSettings,
) -> None:
    """Ingest what is new in folders and RSS/Atom feeds (or page URLs), again and again.

    Idempotent: a document already stored is skipped, a feed entry already stored is not
    even fetched. Ctrl-C stops it cleanly (exit 130); what was stored stays.

    \b
    Examples:
      communique watch inbox/ --db events.duckdb --interval 60
      communique watch https://example.org/world/rss.xml --db events.duckdb
    """
    from communique.pipeline import Pipeline
    from communique.store import Store
    from communique.store.watch import watch

    pipe = Pipeline.from_settings(settings)
    load_or_exit(pipe)
    err_out = open(errors_path, "w", encoding="utf-8") if errors_path else None  # noqa: SIM115

    def on_round(done: Any) -> None:
        if not quiet:
            click.echo(
                f"communique: {time.strftime('%H:%M:%S')} {done.stored} new documents, {done.failed} failed",
                err=True,
            )

    try:
        with store_errors():
            watch(
                list(sources),
                Store(db, timeout=wait),
                pipe,
                interval=interval,
                rounds=rounds,
                options=read_options,
                on_round=on_round,
                on_problem=lambda p: report_problem(p, err_out),
            )
    except KeyboardInterrupt:
        click.echo("communique: stopped; everything stored so far stays", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        if err_out is not None:
            err_out.close()
