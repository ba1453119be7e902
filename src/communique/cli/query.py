"""`query events|clusters`, `dyads`, `actors top` and `quotes`: questions to the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from communique.cli.common import db_options
from communique.cli.store_common import (
    CLUSTER_COLUMNS,
    EVENT_COLUMNS,
    QUOTE_COLUMNS,
    Columns,
    emit,
    filter_options,
    format_option,
    limit_option,
    note_undated,
    open_store,
    store_errors,
    to_filters,
)


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
@db_options
@filter_options
@limit_option(50)
@click.option("--offset", default=0, type=click.IntRange(0), help="Skip this many rows first.")
@click.option("--newest", is_flag=True, help="Newest first (default: oldest first; undated last).")
@format_option
def query_events_cmd(
    db: str, wait: float, limit: int, offset: int, newest: bool, fmt: str | None, **kwargs: Any
) -> None:
    """Events, one per coded mention: the extract contract's event plus doc_id, idx, date
    and cluster_id (with --format jsonl)."""
    from communique.store import query_events

    _print_rows(query_events, db, wait, kwargs, fmt, EVENT_COLUMNS, limit=limit, offset=offset, newest=newest)


@query.command("clusters")
@db_options
@filter_options
@limit_option(50)
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--newest", is_flag=True, help="Newest first.")
@format_option
def query_clusters_cmd(
    db: str, wait: float, limit: int, offset: int, newest: bool, fmt: str | None, **kwargs: Any
) -> None:
    """Event clusters: one event reported by several articles counted once, with
    num_mentions, num_sources and num_articles (as GDELT's)."""
    from communique.store import query_clusters

    _print_rows(
        query_clusters, db, wait, kwargs, fmt, CLUSTER_COLUMNS, limit=limit, offset=offset, newest=newest
    )


def _print_rows(
    query: Callable[..., list[dict[str, Any]]],
    db: str,
    wait: float,
    filters: dict[str, Any],
    fmt: str | None,
    columns: Columns | None = None,
    *,
    counts: bool = False,
    **arguments: Any,
) -> None:
    """``query(store, Filters, **arguments)`` over the store, its rows printed in ``fmt``. The filters
    are made inside ``store_errors`` too, so a bad value is a usage error there as well. With
    --since or --until, a note on stderr says how many undated events they left out (of what
    happened for ``counts``, of every status for listings)."""
    from communique.store.queries import check_actors

    with store_errors():
        store, flt = open_store(db, wait), to_filters(filters)
        rows = query(store, flt, **arguments)
        if not rows:
            check_actors(store, flt)  # a name no event has is a usage error, not "(nothing matches)"
        if flt.since is not None or flt.until is not None:
            note_undated(store, flt, "--since/--until", default_statuses=("happened",) if counts else ())
    emit(rows, fmt, columns)


# -- dyads, actors, quotes -------------------------------------------------------------------
@click.command("dyads")
@db_options
@filter_options
@limit_option(30)
@format_option
def dyads_cmd(db: str, wait: float, limit: int, fmt: str | None, **kwargs: Any) -> None:
    """Country dyads (source -> target) by number of events that happened (--status to
    change): events, clusters, articles, per quad class, mean Goldstein, first and last date."""
    from communique.store import dyads

    _print_rows(dyads, db, wait, kwargs, fmt, counts=True, limit=limit)


@click.command("top")
@db_options
@filter_options
@click.option("--by", type=click.Choice(["name", "country"]), default="name", show_default=True)
@click.option(
    "--side",
    type=click.Choice(["any", "source", "target"]),
    default="any",
    show_default=True,
    help="Count the actor as source, target or either.",
)
@limit_option(20)
@format_option
def actors_top_cmd(
    db: str, wait: float, by: str, side: str, limit: int, fmt: str | None, **kwargs: Any
) -> None:
    """The actors in most events in the store (events that happened, unless --status),
    with their country, sectors, role and number of mentions in the articles."""
    from communique.store import top_actors

    _print_rows(top_actors, db, wait, kwargs, fmt, counts=True, by=by, side=side, limit=limit)


@click.command("quotes")
@db_options
@click.option("--speaker", default=None, help="Speaker name or part of it ('Marco Rubio', 'Rubio'), or USA.")
@click.option("--kind", type=click.Choice(["direct", "indirect", "mixed"]), default=None)
@click.option("--since", default=None, metavar="YYYY-MM-DD")
@click.option("--until", default=None, metavar="YYYY-MM-DD")
@click.option("--doc", "doc_id", default=None, help="Only this document id.")
@limit_option(50)
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--newest", is_flag=True, help="Newest first.")
@format_option
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

    with store_errors():
        rows = query_quotes(
            open_store(db, wait),
            speaker,
            since=since,
            until=until,
            doc_id=doc_id,
            kind=kind,
            limit=limit,
            offset=offset,
            newest=newest,
        )
    emit(rows, fmt, QUOTE_COLUMNS)
