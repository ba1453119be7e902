"""`extract` (articles in, one JSON line per document out, here or on Dask) and `show`."""

from __future__ import annotations

import itertools
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from communique.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    Skipped,
    errors_option,
    input_options,
    jobs_option,
    load_or_exit,
    model_options,
    open_out,
    report_problem,
)
from communique.cli.progress import progress
from communique.models import Problem, Result
from communique.settings import PipelineSettings


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    default="-",
    show_default=True,
    help="Where to write JSON lines ('-' is stdout); a folder with --engine dask.",
)
@errors_option
@jobs_option
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--no-text", is_flag=True, help="Leave the document text out of each line.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="'dask' runs on a Dask cluster and writes partitioned output into the -o folder.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT",
    help="With --engine dask: an existing scheduler (else a local cluster is started).",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 1024),
    help="With --engine dask and no --scheduler: local worker processes.",
)
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["parquet", "jsonl"]),
    default="parquet",
    show_default=True,
    help="With --engine dask: the partition file format.",
)
@input_options
@model_options
def extract(
    inputs: tuple[str, ...],
    output: str,
    errors_path: str | None,
    jobs: int,
    batch_size: int,
    no_text: bool,
    quiet: bool,
    engine: str,
    scheduler: str | None,
    workers: int,
    out_format: str,
    read_options: Any,
    settings: PipelineSettings,
) -> None:
    """Extract actors, events and quotes: one JSON line per document.

    INPUTS are files (.txt .html .jsonl .ndjson .json .csv, optionally .gz), folders
    (read recursively) or '-' for standard input. Each output line follows
    docs/schema.json. Failed documents are reported on stderr (and in --errors) and
    skipped; lines are written as they are done, so an interrupted run keeps its work.
    """
    from communique.io import read_inputs, write_result
    from communique.pipeline import Pipeline

    options = read_options
    settings = replace(settings, batch_size=batch_size, jobs=jobs, include_text=not no_text)
    if engine == "dask":
        _extract_on_dask(inputs, output, out_format, scheduler, workers, options, quiet, settings)
    if output != "-" and Path(output).is_dir():
        raise click.BadParameter(
            f"{output} is a folder: give a file (folders are for --engine dask)", param_hint="-o"
        )
    pipe = Pipeline.from_settings(settings)
    load_or_exit(pipe)
    stats = {"read": 0, "failed": 0, "events": 0, "quotes": 0}
    started = time.perf_counter()
    interrupted = False
    with open_out(output) as out, open_out(errors_path) as err_out, progress(inputs, quiet=quiet) as bar:
        try:
            for item in pipe.process(read_inputs(inputs, options)):
                if isinstance(item, Problem):
                    stats["failed"] += 1
                    report_problem(item, err_out)
                else:
                    stats["read"] += 1
                    stats["events"] += len(item.events)
                    stats["quotes"] += len(item.quotes)
                    write_result(out, item)
                    out.flush()
                bar.update(1)
        except KeyboardInterrupt:
            interrupted = True
    seconds = time.perf_counter() - started
    if not quiet:
        click.echo(
            f"communique: {stats['read']} documents, {stats['failed']} failed, {stats['events']} events, "
            f"{stats['quotes']} quotes in {seconds:.1f} s" + (" (interrupted)" if interrupted else ""),
            err=True,
        )
    if interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_SOME_FAILED if stats["failed"] else EXIT_OK)


def _extract_on_dask(
    inputs: tuple[str, ...],
    output: str,
    out_format: str,
    scheduler: str | None,
    workers: int,
    options: Any,
    quiet: bool,
    settings: PipelineSettings,
) -> None:
    """The same pipeline on a Dask cluster (docs/distributed.md); exits when done."""
    if output == "-":
        raise click.UsageError("--engine dask writes partitioned files: give -o FOLDER")
    from communique.distributed import check_output_folder, extract_distributed

    try:
        check_output_folder(inputs, output)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="-o") from None
    try:
        summary = extract_distributed(
            list(inputs),
            output,
            fmt=out_format,
            scheduler=scheduler,
            workers=workers,
            pipeline_options=settings,
            read_options=options,
            progress=not quiet,
        )
    except KeyboardInterrupt:  # as the local engine: the parts written so far stay, the run says so
        click.echo(f"communique: interrupted; the partitions done so far are in {output}", err=True)
        # interrupted while its workers were starting, Dask's own exit hook fails to close the
        # cluster ('Status.init') and prints a traceback: the run is over, the hook's noise is not
        # the user's problem
        sys.unraisablehook = lambda unraisable: None
        sys.exit(EXIT_INTERRUPTED)
    if not quiet:
        click.echo(
            f"communique: {summary.documents} documents, {summary.failed} failed, {summary.events} events, "
            f"{summary.quotes} quotes in {summary.seconds:.1f} s on Dask ({summary.partitions} partitions) "
            f"-> {summary.output_dir}",
            err=True,
        )
    sys.exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


@click.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--limit", default=5, show_default=True, help="How many documents to show.")
def show(results: str, limit: int) -> None:
    """Print extract output (JSON lines) as a readable summary."""
    from communique.io import read_results

    skipped = Skipped()
    for result in itertools.islice(skipped.results(read_results(results)), limit):
        click.echo(_describe(result))
    if skipped.count:
        sys.exit(EXIT_SOME_FAILED)


def _describe(result: Result) -> str:
    lines = [click.style(f"{result.id}  {result.date or 'date unknown'}  {result.title or ''}", bold=True)]
    coded = [a for a in result.actors if a.country or a.sectors]
    lines.append(f"  actors ({len(result.actors)}, coded {len(coded)}):")
    seen: set[int | None] = set()
    for actor in coded:
        if actor.entity in seen:
            continue
        seen.add(actor.entity)
        code = f"{actor.country or '---'} {'/'.join(actor.sectors) or '---'}"
        lines.append(f"    {code:<14} {actor.name or actor.text}")
    lines.append(f"  events ({len(result.events)}):")
    for event in result.events:
        src = _actor_code(event.source)
        tgt = _actor_code(event.target)
        lines.append(
            f"    {src} -> {tgt}  {event.type}{'/' + event.mode if event.mode else ''} [{event.cameo}] "
            f'{event.status}  "{event.trigger.text}"'
        )
    lines.append(f"  quotes ({len(result.quotes)}):")
    for quote in result.quotes:
        speaker = quote.speaker.name or quote.speaker.text if quote.speaker else "?"
        text = " … ".join(p.text for p in quote.parts())
        content = text if len(text) < 90 else text[:87] + "..."
        lines.append(f"    {quote.kind:<8} {speaker}: {content}")
    return "\n".join(lines)


def _actor_code(actor: Any) -> str:
    if actor is None:
        return "---"
    return f"{actor.country or '---'} {'/'.join(actor.sectors) or ''} ({actor.name or actor.text})".strip()
