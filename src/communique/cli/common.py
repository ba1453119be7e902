"""What the commands share: the `communique` group, exit codes, defaults, the option
decorators used by more than one command family, and small helpers.

Exit codes: 0 all good, 1 some documents failed (reported, skipped), 2 usage error,
130 interrupted (Ctrl-C; the work done so far is kept).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

import click

from communique import __version__
from communique.models import Problem, Result
from communique.nlp import ModelNotFoundError
from communique.settings import (
    DEFAULT_DOC_MEMORY_MB,
    DEFAULT_DOC_SECONDS,
    DEFAULT_MAX_DOC_CHARS,
    DEFAULT_MODEL,
    PipelineSettings,
)
from communique.store.db import DEFAULT_DB, DEFAULT_TIMEOUT

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # as a shell reports a command ended by SIGINT


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


# -- options ---------------------------------------------------------------------------------
def with_options(f: Any, options: list[Callable[[Any], Any]]) -> Any:
    """``f`` decorated with ``options``, listed in the order ``--help`` shows them."""
    for option in reversed(options):
        f = option(f)
    return f


def model_options(f: Any) -> Any:
    """The model options, handed to the command as one ``settings: PipelineSettings`` (the spaCy
    pipeline's part; a command that runs the pipeline adds its own batch size and jobs)."""

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        model: str,
        actors_files: tuple[str, ...],
        event_model: str | None,
        keep_uncoded: bool,
        max_doc_chars: int,
        doc_seconds: float,
        doc_memory_mb: float,
        **kwargs: Any,
    ) -> Any:
        kwargs["settings"] = PipelineSettings(
            model=model,
            actors_files=actors_files,
            event_model=event_model,
            keep_uncoded=keep_uncoded,
            max_doc_chars=max_doc_chars,
            doc_seconds=doc_seconds,
            doc_memory_mb=doc_memory_mb,
        )
        return f(*args, **kwargs)

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
        *guard_options,
    ]
    return with_options(wrapper, options)


#: The per-document guard's limits (communique.guard), for every command that runs the pipeline.
guard_options = [
    click.option(
        "--max-doc-chars",
        default=DEFAULT_MAX_DOC_CHARS,
        show_default=True,
        type=click.IntRange(1, 100_000_000),
        help="A longer document is reported as a problem, not analysed.",
    ),
    click.option(
        "--doc-seconds",
        default=DEFAULT_DOC_SECONDS,
        show_default=True,
        type=click.FloatRange(0, 86_400),
        help="Time budget per document: one that takes longer is reported as a problem (0: none).",
    ),
    click.option(
        "--doc-memory-mb",
        default=DEFAULT_DOC_MEMORY_MB,
        show_default=True,
        type=click.FloatRange(0, 1_000_000),
        help="Memory budget per document, in MB: one that makes the process grow by more is reported "
        "as a problem (0: none; Linux only).",
    ),
]


def input_options(f: Any) -> Any:
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
            date=check_date(date),
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
    return with_options(wrapper, options)


# `serve` takes --db alone: its --wait means something else (how long a request waits).
db_option = click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    envvar="COMMUNIQUE_DB",
    type=click.Path(dir_okay=False),
    help="The store (a DuckDB file); also $COMMUNIQUE_DB.",
)


def db_options(f: Any) -> Any:
    options = [
        db_option,
        click.option(
            "--wait",
            default=DEFAULT_TIMEOUT,
            show_default=True,
            type=click.FloatRange(0, 86_400),
            help="Seconds to wait while another process has the store open for writing.",
        ),
    ]
    return with_options(f, options)


# What `extract` and `ingest` both take, with the same meaning.
jobs_option = click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes to analyse with.",
)
errors_option = click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write one JSON line per failed document or input line here.",
)


# -- helpers ---------------------------------------------------------------------------------
def check_date(value: str | None) -> date | None:
    """The day of a ``--date`` (or a batch line's date): parsed here, once, for the stages after."""
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def load_or_exit(pipe: Any) -> None:
    try:
        pipe.nlp  # noqa: B018 - fail early, with a clear message, before reading input
    except (ModelNotFoundError, OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def open_out(path: str | None) -> Iterator[IO[str] | Any]:
    if path is None:
        yield None
    elif path == "-":
        yield sys.stdout
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            yield handle


def report_problem(problem: Problem, errors: IO[str] | None = None) -> None:
    """Say on stderr which document was skipped and why; also as a JSON line to ``errors`` (--errors)."""
    click.echo(f"communique: skipped {problem.source}: {problem.reason}", err=True)
    if errors is not None:
        errors.write(problem.model_dump_json() + "\n")
        errors.flush()


class Skipped:
    """Passes results on; reports each Problem on stderr, as `extract` does, and counts them."""

    def __init__(self) -> None:
        self.count = 0

    def results(self, items: Iterable[Result | Problem]) -> Iterator[Result]:
        for item in items:
            if isinstance(item, Problem):
                self.count += 1
                report_problem(item)
            else:
                yield item
