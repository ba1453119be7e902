"""The `communique` command line: a thin layer over the Python API.

``common`` holds the group, exit codes, defaults and shared options; each other module
holds one family of commands, and this module puts them on the group. ``main`` is the
console script (pyproject.toml: ``communique = "communique.cli:main"``).
"""

from __future__ import annotations

import sys

import click

from communique.cli import (
    actors,
    corrections,
    evaluate,
    export,
    extract,
    ingest,
    query,
    search,
    timeline,
    train,
    web,
)
from communique.cli.common import EXIT_SOME_FAILED, cli

__all__ = ["cli", "main"]

for _command in (
    extract.extract,
    extract.show,
    actors.actors,
    train.train,
    evaluate.eval_,
    evaluate.version,
    ingest.ingest_cmd,
    ingest.watch_cmd,
    query.query,
    query.dyads_cmd,
    query.quotes_cmd,
    timeline.timeline_cmd,
    timeline.alerts_cmd,
    timeline.plot,
    export.export_cmd,
    export.store_group,
    web.serve,
    corrections.corrections_group,
    search.search_cmd,
):
    cli.add_command(_command)
actors.actors.add_command(query.actors_top_cmd)


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
