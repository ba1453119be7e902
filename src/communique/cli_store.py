"""Commands over the event store: ingest, query, dyads, actors top, quotes, timeline,
alerts, plot, export, store info. A thin layer over ``communique.store``: every command
calls one function of the Python API and prints what it returns.

``register(cli)`` adds them to the main group (called at the end of communique.cli).
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from communique.store.exports import EXPORTERS

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
FORMATS = ("table", "jsonl", "csv")


# -- shared options --------------------------------------------------------------------------
def _db_options(f: Any) -> Any:
    options = [
        click.option(
            "--db",
            default="events.duckdb",
            show_default=True,
            envvar="COMMUNIQUE_DB",
            type=click.Path(dir_okay=False),
            help="The store (a DuckDB file); also $COMMUNIQUE_DB.",
        ),
        click.option(
            "--wait",
            default=30.0,
            show_default=True,
            type=click.FloatRange(0, 86_400),
            help="Seconds to wait while another process has the store open for writing.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _filter_options(f: Any) -> Any:
    options = [
        click.option("--source", default=None, help="Source actor: country code (USA) or resolved name."),
        click.option("--target", default=None, help="Target actor: country code (IRN) or resolved name."),
        click.option("--undirected", is_flag=True, help="Match source and target either way round."),
        click.option(
            "--type", "types", multiple=True, help="PLOVER event type (CONSULT ...); repeatable or a,b."
        ),
        click.option(
            "--status",
            "statuses",
            multiple=True,
            help="happened, intended, threatened ... or all; repeatable. Counts default to happened.",
        ),
        click.option("--since", default=None, metavar="YYYY-MM-DD", help="Documents dated on or after."),
        click.option("--until", default=None, metavar="YYYY-MM-DD", help="Documents dated on or before."),
        click.option("--doc", "doc_id", default=None, help="Only this document id."),
        click.option("--cameo", default=None, help="CAMEO code or prefix (19, 190 ...)."),
        click.option(
            "--quad",
            "quad_classes",
            multiple=True,
            type=click.IntRange(1, 4),
            help="Quad class 1-4; repeatable.",
        ),
        click.option("--context", default=None, help="PLOVER context, e.g. nuclear."),
        click.option("--min-confidence", default=None, type=click.FloatRange(0, 1)),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _filters(kwargs: dict[str, Any]) -> Any:
    from communique.store import Filters

    statuses = _split(kwargs.pop("statuses", ()) or ())
    return Filters(
        source=kwargs.pop("source", None),
        target=kwargs.pop("target", None),
        undirected=kwargs.pop("undirected", False),
        types=_split(kwargs.pop("types", ()) or ()),
        statuses=statuses or None,
        since=kwargs.pop("since", None),
        until=kwargs.pop("until", None),
        doc_id=kwargs.pop("doc_id", None),
        cameo=kwargs.pop("cameo", None),
        quad_classes=kwargs.pop("quad_classes", ()) or (),
        context=kwargs.pop("context", None),
        min_confidence=kwargs.pop("min_confidence", None),
    )


def _format_option(f: Any) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="table (the default on a terminal), jsonl (the default otherwise) or csv.",
    )(f)


def _limit_option(default: int | None) -> Callable[[Any], Any]:
    return click.option(
        "--limit", default=default, show_default=True, type=click.IntRange(0), help="At most this many rows."
    )


@contextmanager
def _errors() -> Iterator[None]:
    """Store problems become one clear line (exit 1); bad arguments a usage error (exit 2)."""
    from communique.store import StoreError

    try:
        yield
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    except Exception as exc:
        import duckdb

        if isinstance(exc, duckdb.Error):
            raise click.ClickException(f"the store could not be read (is the file damaged?): {exc}") from None
        raise


def _store(db: str, wait: float) -> Any:
    from communique.store import Store

    return Store(db, timeout=wait)


# -- printing --------------------------------------------------------------------------------
def _flat(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, f"{name}_"))
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                out[name] = ";".join("" if v is None else str(v) for v in value)
            else:
                out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "/".join(str(v) for v in value)
    return " ".join(str(value).split())


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, Callable[[dict[str, Any]], Any]]]) -> None:
    if not rows:
        click.echo("(nothing matches)", err=True)
        return
    cells = [[_cell(get(row)) for _, get in columns] for row in rows]
    headers = [name for name, _ in columns]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    room = shutil.get_terminal_size((120, 24)).columns - 2 * (len(widths) - 1)
    while sum(widths) > room and max(widths) > 12:
        widest = widths.index(max(widths))
        widths[widest] -= 1

    def fit(text: str, width: int) -> str:
        return text if len(text) <= width else text[: max(0, width - 1)] + "…"

    numeric = [all(_is_number(get(r)) for r in rows) for _, get in columns]

    def line(values: list[str]) -> str:
        parts = [
            fit(v, w).rjust(w) if num else fit(v, w).ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    click.echo(click.style(line(headers), bold=True))
    for row in cells:
        click.echo(line(row))


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _emit(
    rows: list[dict[str, Any]],
    fmt: str | None,
    columns: list[tuple[str, Callable[[dict[str, Any]], Any]]] | None = None,
) -> None:
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        flat = [_flat(r) for r in rows]
        names: dict[str, None] = {}
        for r in flat:
            names.update(dict.fromkeys(r))
        writer = csv.DictWriter(sys.stdout, fieldnames=list(names), lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat)
    else:
        if columns is None:
            columns = [(k, _getter(k)) for k in (rows[0] if rows else {})]
        _table(rows, columns)


def _getter(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(key)


def _actor(mention: dict[str, Any] | None) -> str:
    if not mention:
        return "—"
    code = " ".join(x for x in (mention.get("country"), "/".join(mention.get("sectors") or [])) if x)
    who = mention.get("name") or mention.get("text") or ""
    return f"{code} ({who})" if code else who


EVENT_COLUMNS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("date", lambda r: r.get("date")),
    ("source", lambda r: _actor(r.get("source"))),
    ("type", lambda r: r["type"] + (f"/{r['mode']}" if r.get("mode") else "")),
    ("target", lambda r: _actor(r.get("target"))),
    ("status", lambda r: r.get("status")),
    ("cameo", lambda r: r.get("cameo")),
    ("gold", lambda r: r.get("goldstein")),
    ("trigger", lambda r: (r.get("trigger") or {}).get("text")),
    ("document", lambda r: f"{r['doc_id']}#{r['idx']}"),
]
CLUSTER_COLUMNS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("date", lambda r: r.get("date")),
    (
        "source",
        lambda r: _actor(
            {
                "country": r.get("source_country"),
                "sectors": r.get("source_sectors"),
                "name": r.get("source_name"),
                "text": r.get("source_text"),
            }
        ),
    ),
    ("type", lambda r: r.get("type")),
    (
        "target",
        lambda r: _actor(
            {
                "country": r.get("target_country"),
                "sectors": r.get("target_sectors"),
                "name": r.get("target_name"),
                "text": r.get("target_text"),
            }
        ),
    ),
    ("status", lambda r: r.get("status")),
    ("mentions", lambda r: r.get("num_mentions")),
    ("sources", lambda r: r.get("num_sources")),
    ("articles", lambda r: r.get("num_articles")),
    ("cluster", lambda r: r.get("cluster_id")),
]
QUOTE_COLUMNS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("date", lambda r: r.get("date")),
    ("speaker", lambda r: _actor(r.get("speaker"))),
    ("kind", lambda r: r.get("kind")),
    ("content", lambda r: (r.get("content") or {}).get("text")),
    ("document", lambda r: f"{r['doc_id']}#{r['idx']}"),
]


# -- query -----------------------------------------------------------------------------------
@click.group("query")
def query() -> None:
    """List events or event clusters from the store, filtered.

    \b
    Examples:
      communique query events --source USA --target IRN --type CONSULT --since 2026-01-01
      communique query events --status happened --format jsonl > events.jsonl
      communique query clusters --type ASSAULT --newest --limit 20
    """


@query.command("events")
@_db_options
@_filter_options
@_limit_option(50)
@click.option("--offset", default=0, type=click.IntRange(0), help="Skip this many rows first.")
@click.option("--newest", is_flag=True, help="Newest first (default: oldest first; undated last).")
@_format_option
def query_events_cmd(
    db: str, wait: float, limit: int, offset: int, newest: bool, fmt: str | None, **kwargs: Any
) -> None:
    """Events, one per coded mention: the extract contract's event plus doc_id, idx, date
    and cluster_id (with --format jsonl)."""
    from communique.store import query_events

    with _errors():
        rows = query_events(_store(db, wait), _filters(kwargs), limit=limit, offset=offset, newest=newest)
    _emit(rows, fmt, EVENT_COLUMNS)


@query.command("clusters")
@_db_options
@_filter_options
@_limit_option(50)
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--newest", is_flag=True, help="Newest first.")
@_format_option
def query_clusters_cmd(
    db: str, wait: float, limit: int, offset: int, newest: bool, fmt: str | None, **kwargs: Any
) -> None:
    """Event clusters: one event reported by several articles counted once, with
    num_mentions, num_sources and num_articles (as GDELT's)."""
    from communique.store import query_clusters

    with _errors():
        rows = query_clusters(_store(db, wait), _filters(kwargs), limit=limit, offset=offset, newest=newest)
    _emit(rows, fmt, CLUSTER_COLUMNS)


# -- dyads, actors, quotes -------------------------------------------------------------------
@click.command("dyads")
@_db_options
@_filter_options
@_limit_option(30)
@_format_option
def dyads_cmd(db: str, wait: float, limit: int, fmt: str | None, **kwargs: Any) -> None:
    """Country dyads (source -> target) by number of events that happened (--status to
    change): events, clusters, articles, per quad class, mean Goldstein, first and last date."""
    from communique.store import dyads

    with _errors():
        rows = dyads(_store(db, wait), _filters(kwargs), limit=limit)
    _emit(rows, fmt)


@click.command("top")
@_db_options
@_filter_options
@click.option("--by", type=click.Choice(["name", "country"]), default="name", show_default=True)
@click.option(
    "--side",
    type=click.Choice(["any", "source", "target"]),
    default="any",
    show_default=True,
    help="Count the actor as source, target or either.",
)
@_limit_option(20)
@_format_option
def actors_top_cmd(
    db: str, wait: float, by: str, side: str, limit: int, fmt: str | None, **kwargs: Any
) -> None:
    """The actors in most events in the store (events that happened, unless --status),
    with their country, sectors, role and number of mentions in the articles."""
    from communique.store import top_actors

    with _errors():
        rows = top_actors(_store(db, wait), _filters(kwargs), by=by, side=side, limit=limit)
    _emit(rows, fmt)


@click.command("quotes")
@_db_options
@click.option("--speaker", default=None, help="Speaker name or part of it ('Marco Rubio', 'Rubio'), or USA.")
@click.option("--kind", type=click.Choice(["direct", "indirect", "mixed"]), default=None)
@click.option("--since", default=None, metavar="YYYY-MM-DD")
@click.option("--until", default=None, metavar="YYYY-MM-DD")
@click.option("--doc", "doc_id", default=None, help="Only this document id.")
@_limit_option(50)
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--newest", is_flag=True, help="Newest first.")
@_format_option
def quotes_cmd(
    db: str,
    wait: float,
    speaker: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
    doc_id: str | None,
    limit: int,
    offset: int,
    newest: bool,
    fmt: str | None,
) -> None:
    """Quotes from the store: who said what, when, in which document.

    \b
    Example:
      communique quotes --speaker "Marco Rubio" --since 2026-02-01
    """
    from communique.store import query_quotes

    with _errors():
        rows = query_quotes(
            _store(db, wait),
            speaker,
            since=since,
            until=until,
            doc_id=doc_id,
            kind=kind,
            limit=limit,
            offset=offset,
            newest=newest,
        )
    _emit(rows, fmt, QUOTE_COLUMNS)


# -- timeline, alerts, plot ------------------------------------------------------------------
_FREQ = click.option(
    "--freq",
    type=click.Choice(["day", "week", "month", "quarter", "year"]),
    default="week",
    show_default=True,
)
_UNIT = click.option(
    "--unit",
    type=click.Choice(["clusters", "events"]),
    default="clusters",
    show_default=True,
    help="Count each event cluster once, or every coded mention.",
)
_DYAD = click.option("--dyad", default=None, metavar="SOURCE-TARGET", help="e.g. USA-IRN (directed).")


@click.command("timeline")
@_db_options
@_DYAD
@_FREQ
@_UNIT
@_filter_options
@_format_option
def timeline_cmd(
    db: str, wait: float, dyad: str | None, freq: str, unit: str, fmt: str | None, **kwargs: Any
) -> None:
    """Per period: events, counts per quad class (q1 verbal cooperation, q2 material
    cooperation, q3 verbal conflict, q4 material conflict), Goldstein sum and mean.
    Events that happened, unless --status.

    \b
    Example:
      communique timeline --dyad USA-IRN --freq week
    """
    from communique.store import timeline

    with _errors():
        rows = timeline(_store(db, wait), dyad, freq=freq, unit=unit, filters=_filters(kwargs))
    _emit(rows, fmt)


@click.command("alerts")
@_db_options
@_DYAD
@_FREQ
@click.option(
    "--window",
    default=8,
    show_default=True,
    type=click.IntRange(1, 520),
    help="Baseline: this many periods before each period.",
)
@click.option(
    "--threshold",
    default=3.0,
    show_default=True,
    type=click.FloatRange(0),
    help="Alert when |z| reaches this.",
)
@click.option(
    "--min-periods",
    default=4,
    show_default=True,
    type=click.IntRange(1),
    help="Baseline periods needed before a period can alert.",
)
@click.option("--direction", type=click.Choice(["both", "up", "down"]), default="both", show_default=True)
@_UNIT
@_limit_option(100)
@_filter_options
@_format_option
def alerts_cmd(
    db: str,
    wait: float,
    dyad: str | None,
    freq: str,
    window: int,
    threshold: float,
    min_periods: int,
    direction: str,
    unit: str,
    limit: int,
    fmt: str | None,
    **kwargs: Any,
) -> None:
    """Periods where a dyad's conflict score departs from its own baseline.

    Score: sum of -Goldstein over the period's conflict events (quad class 3 and 4).
    Baseline: the --window periods before it; z = (score - mean) / max(sd, 1); an alert
    when |z| >= --threshold. See docs/store.md.
    """
    from communique.store import alerts

    with _errors():
        rows = alerts(
            _store(db, wait),
            dyad,
            freq=freq,
            window=window,
            threshold=threshold,
            min_periods=min(min_periods, window),
            direction=direction,
            unit=unit,
            limit=limit,
            filters=_filters(kwargs),
        )
    _emit(rows, fmt)


@click.group("plot")
def plot() -> None:
    """Draw the store's data to an image file (PNG, SVG or PDF by extension)."""


@plot.command("timeline")
@_db_options
@_DYAD
@_FREQ
@_UNIT
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Image file to write.")
@click.option("--title", default=None)
@_filter_options
def plot_timeline_cmd(
    db: str,
    wait: float,
    dyad: str | None,
    freq: str,
    unit: str,
    output: str,
    title: str | None,
    **kwargs: Any,
) -> None:
    """Stacked bars per quad class and the mean Goldstein line, per period.

    \b
    Example:
      communique plot timeline --dyad USA-IRN -o usa-irn.png
    """
    from communique.store import plot_timeline

    with _errors():
        rows = plot_timeline(
            _store(db, wait), output, dyad, freq=freq, unit=unit, title=title, filters=_filters(kwargs)
        )
    click.echo(f"communique: {output} written ({len(rows)} periods)", err=True)


# -- export and info -------------------------------------------------------------------------
@click.command("export")
@_db_options
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(list(EXPORTERS)),
    help="jsonl/csv/parquet: one row per event; gdelt: GDELT 2.0 event rows (61 columns, one per "
    "cluster); polecat: POLECAT-style JSON lines; results: the extract lines back.",
)
@click.option(
    "-o", "--output", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True)
)
@click.option("--newest", is_flag=True, help="Newest first.")
@_limit_option(None)
@_filter_options
def export_cmd(
    db: str, wait: float, fmt: str, output: str, newest: bool, limit: int | None, **kwargs: Any
) -> None:
    """Export the store's events (filtered like `query events`).

    \b
    Examples:
      communique export --format gdelt -o events.gdelt.tsv
      communique export --format parquet --since 2026-01-01 -o events.parquet
    """
    from communique.store import export

    if fmt == "parquet" and output == "-":
        raise click.UsageError("Parquet is written to a file: give -o FILE.parquet")
    with _errors():
        count = export(_store(db, wait), fmt, output, _filters(kwargs), newest=newest, limit=limit)
    if output != "-":
        click.echo(f"communique: {count} records written to {output}", err=True)


@click.group("store")
def store_group() -> None:
    """Look after the store file."""


@store_group.command("info")
@_db_options
def store_info_cmd(db: str, wait: float) -> None:
    """Counts, date range and settings of the store, as JSON."""
    from communique.store import store_info

    with _errors():
        info = store_info(_store(db, wait))
    click.echo(json.dumps(info, indent=2))


# -- ingest ----------------------------------------------------------------------------------
def _make_ingest(main: Any) -> click.Command:
    """`ingest`, with the read and model options of `extract` (from communique.cli)."""

    @click.command("ingest")
    @click.argument("inputs", nargs=-1, required=True)
    @_db_options
    @click.option(
        "--batch-size",
        default=64,
        show_default=True,
        type=click.IntRange(1, 100_000),
        help="Documents per transaction (analysed up to 32 at a time).",
    )
    @click.option(
        "--jobs",
        "-j",
        default=1,
        show_default=True,
        type=click.IntRange(1, 64),
        help="Processes to analyse with.",
    )
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
    @click.option(
        "--errors",
        "errors_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Also write one JSON line per failed document or input line here.",
    )
    @click.option("--quiet", "-q", is_flag=True, help="No summary.")
    @click.option("--verbose", "-v", is_flag=True, help="A line per committed batch.")
    @main._read_options
    @main._model_options
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
        model: str,
        actors_files: tuple[str, ...],
        event_model: str | None,
        keep_uncoded: bool,
    ) -> None:
        """Analyse articles and store the results; also stores `extract` output (JSONL) and
        Parquet (articles or results).

        Each document is stored once: one already in the store (same id, or same text under
        another id) is skipped, so running it again is safe, and a run that was killed
        picks up where its last committed batch ended. The store is open only while a
        batch is written, so `query` and a dashboard can read in between.

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
            pipe = Pipeline(
                model,
                actors_files=actors_files,
                event_model=event_model,
                keep_uncoded=keep_uncoded,
                batch_size=min(batch_size, 32),
                jobs=jobs,
            )
            main._load_or_exit(pipe)
        started = time.perf_counter()
        err_out = open(errors_path, "w", encoding="utf-8") if errors_path else None  # noqa: SIM115

        def on_problem(problem: Any) -> None:
            click.echo(f"communique: skipped {problem.source}: {problem.reason}", err=True)
            if err_out is not None:
                err_out.write(problem.model_dump_json() + "\n")
                err_out.flush()

        def on_batch(batch: Any, total: Any) -> None:
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
            with _errors():
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
                )
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if err_out is not None:
                err_out.close()
        seconds = time.perf_counter() - started
        if interrupted:
            click.echo(
                "communique: interrupted; the committed batches are stored, run again to go on", err=True
            )
            sys.exit(130)
        if not quiet:
            click.echo(
                f"communique: {report.stored} documents stored, {report.replaced} replaced, "
                f"{report.duplicates} already stored, {report.failed} failed; {report.events} events, "
                f"{report.quotes} quotes in {seconds:.1f} s -> {db}",
                err=True,
            )
        sys.exit(EXIT_SOME_FAILED if report.failed else EXIT_OK)

    return ingest_cmd


def register(cli: click.Group) -> None:
    """Add the store commands to the main `communique` group (and `top` to `actors`)."""
    import importlib

    main = importlib.import_module("communique.cli")  # partly initialised when called from there
    cli.add_command(_make_ingest(main))
    cli.add_command(query)
    cli.add_command(dyads_cmd)
    cli.add_command(quotes_cmd)
    cli.add_command(timeline_cmd)
    cli.add_command(alerts_cmd)
    cli.add_command(plot)
    cli.add_command(export_cmd)
    cli.add_command(store_group)
    actors = cli.commands.get("actors")
    if isinstance(actors, click.Group):
        actors.add_command(actors_top_cmd)
