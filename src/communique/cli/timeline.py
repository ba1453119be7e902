"""`timeline`, `alerts` and `plot timeline`: the store's events per period."""

from __future__ import annotations

from typing import Any

import click

from communique.cli.common import db_options
from communique.cli.store_common import (
    emit,
    filter_options,
    format_option,
    limit_option,
    open_store,
    store_errors,
    to_filters,
)

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


def _note_undated(store: Any, dyad: str | None, filters: Any, what: str) -> None:
    """Say on stderr how many matching events a date-based command left out for want of a
    date; a source or target no event has is a usage error."""
    from communique.store.queries import check_actors
    from communique.store.timeline import undated, undated_note

    check_actors(store, filters.with_dyad(dyad))
    note = undated_note(undated(store, dyad, filters=filters), f"left out of the {what}")
    if note:
        click.echo(f"communique: {note}", err=True)


_DYAD = click.option("--dyad", default=None, metavar="SOURCE-TARGET", help="e.g. USA-IRN (directed).")


@click.command("timeline")
@db_options
@_DYAD
@_FREQ
@_UNIT
@filter_options
@format_option
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

    with store_errors():
        store, filters = open_store(db, wait), to_filters(kwargs)
        rows = timeline(store, dyad, freq=freq, unit=unit, filters=filters)
        _note_undated(store, dyad, filters, "timeline")
    emit(rows, fmt)


@click.command("alerts")
@db_options
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
@limit_option(100)
@filter_options
@format_option
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

    with store_errors():
        store, filters = open_store(db, wait), to_filters(kwargs)
        rows = alerts(
            store,
            dyad,
            freq=freq,
            window=window,
            threshold=threshold,
            min_periods=min(min_periods, window),
            direction=direction,
            unit=unit,
            limit=limit,
            filters=filters,
        )
        _note_undated(store, dyad, filters, "alerts")
    emit(rows, fmt)


@click.group("plot")
def plot() -> None:
    """Draw the store's data to an image file (PNG, SVG or PDF by extension)."""


@plot.command("timeline")
@db_options
@_DYAD
@_FREQ
@_UNIT
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Image file to write.")
@click.option("--title", default=None)
@filter_options
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

    with store_errors():
        store, filters = open_store(db, wait), to_filters(kwargs)
        rows = plot_timeline(store, output, dyad, freq=freq, unit=unit, title=title, filters=filters)
        _note_undated(store, dyad, filters, "chart")
    click.echo(f"communique: {output} written ({len(rows)} periods)", err=True)
