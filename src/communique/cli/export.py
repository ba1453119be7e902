"""`export` (the store's events in other formats) and `store info`."""

from __future__ import annotations

import json
from typing import Any

import click

from communique.cli.common import db_options
from communique.cli.store_common import (
    filter_options,
    limit_option,
    note_undated,
    open_store,
    store_errors,
    to_filters,
)
from communique.store.exports import EXPORTERS


@click.command("export")
@db_options
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(list(EXPORTERS)),
    help="jsonl/csv/parquet: one row per event; gdelt: GDELT 2.0 event table (61 columns, one row per "
    "cluster); polecat, icews: their published event files (one row per event); results: the extract "
    "lines back. docs/exports.md maps every column.",
)
@click.option(
    "--header/--no-header",
    default=None,
    help="A header row of column names (the default for csv, gdelt, polecat and icews); "
    "--no-header writes files like GDELT's own, which have none.",
)
@click.option(
    "--column-names",
    type=click.Choice(["codebook", "bigquery"]),
    default="codebook",
    show_default=True,
    help="gdelt: the header names of the GDELT codebook (GlobalEventID, Day ...) or of its "
    "BigQuery tables (GLOBALEVENTID, SQLDATE ...).",
)
@click.option(
    "-o", "--output", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True)
)
@click.option("--newest", is_flag=True, help="Newest first.")
@limit_option(None)
@filter_options
def export_cmd(
    db: str,
    wait: float,
    fmt: str,
    header: bool | None,
    column_names: str,
    output: str,
    newest: bool,
    limit: int | None,
    **kwargs: Any,
) -> None:
    """Export the store's events (filtered like `query events`).

    \b
    Examples:
      communique export --format gdelt -o events.gdelt.tsv
      communique export --format gdelt --no-header -o 20260105.export.CSV   # as GDELT's files
      communique export --format icews -o events.icews.tab
      communique export --format parquet --since 2026-01-01 -o events.parquet
    """
    from communique.cli.progress import counting
    from communique.store import ExportOptions, export
    from communique.store.exports import export_total

    if fmt == "parquet" and output == "-":
        raise click.UsageError("Parquet is written to a file: give -o FILE.parquet")
    with store_errors():
        options = ExportOptions(header=header, column_names=column_names)
        store, filters = open_store(db, wait), to_filters(kwargs)
        rows = "cluster" if fmt == "gdelt" else "event"
        with counting(lambda: export_total(store, fmt, filters, limit=limit), unit=rows) as bar:
            count = export(
                store, fmt, output, filters, newest=newest, limit=limit, options=options, progress=bar.update
            )
        if filters.since is not None or filters.until is not None:
            note_undated(store, filters, "--since/--until")
    if output != "-":
        click.echo(f"communique: {count} records written to {output}", err=True)


@click.group("store")
def store_group() -> None:
    """Look after the store file."""


@store_group.command("info")
@db_options
def store_info_cmd(db: str, wait: float) -> None:
    """Counts, date range and settings of the store, as JSON."""
    from communique.store import store_info

    with store_errors():
        info = store_info(open_store(db, wait))
    click.echo(json.dumps(info, indent=2))
