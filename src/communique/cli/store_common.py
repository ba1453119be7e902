"""What the commands over the store share: filter, limit and format options, turning store
errors into clear exits, and printing rows as a table, JSON lines or CSV."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from communique.cli.common import with_options

FORMATS = ("table", "jsonl", "csv")
# A table's columns: header and how to get the cell from a row.
Columns = list[tuple[str, Callable[[dict[str, Any]], Any]]]


# -- options ---------------------------------------------------------------------------------
def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def filter_options(f: Any) -> Any:
    options = [
        click.option("--source", default=None, help="Source actor: country code (USA) or resolved name."),
        click.option("--target", default=None, help="Target actor: country code (IRN) or resolved name."),
        click.option("--undirected", is_flag=True, help="Match source and target either way round."),
        click.option(
            "--type", "types", multiple=True, help="PLOVER event type (CONSULT ...); repeatable or a,b."
        ),
        click.option(
            "--mode", "modes", multiple=True, help="PLOVER mode (visit, aerial ...); repeatable or a,b."
        ),
        click.option(
            "--sector",
            "sectors",
            multiple=True,
            help="PLOVER sector of the source or the target (MIL, GOV ...); repeatable or a,b.",
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
        click.option("--context", default=None, help="PLOVER context, e.g. military."),
        click.option("--min-confidence", default=None, type=click.FloatRange(0, 1)),
        click.option("--location-country", default=None, help="Where it happened: ISO3 country, e.g. SYR."),
        click.option("--location-admin1", default=None, help="Where it happened: a division, e.g. Texas."),
        click.option("--bbox", default=None, help="Where it happened: west,south,east,north in degrees."),
    ]
    return with_options(f, options)


def to_filters(kwargs: dict[str, Any]) -> Any:
    from communique.store import Filters

    statuses = _split(kwargs.pop("statuses", ()) or ())
    return Filters(
        source=kwargs.pop("source", None),
        target=kwargs.pop("target", None),
        undirected=kwargs.pop("undirected", False),
        types=_split(kwargs.pop("types", ()) or ()),
        modes=_split(kwargs.pop("modes", ()) or ()),
        sectors=_split(kwargs.pop("sectors", ()) or ()),
        statuses=statuses or None,
        since=kwargs.pop("since", None),
        until=kwargs.pop("until", None),
        doc_id=kwargs.pop("doc_id", None),
        cameo=kwargs.pop("cameo", None),
        quad_classes=kwargs.pop("quad_classes", ()) or (),
        context=kwargs.pop("context", None),
        min_confidence=kwargs.pop("min_confidence", None),
        location_country=kwargs.pop("location_country", None),
        location_admin1=kwargs.pop("location_admin1", None),
        bbox=kwargs.pop("bbox", None),
    )


def note_undated(store: Any, filters: Any, what: str, default_statuses: tuple[str, ...] = ()) -> None:
    """Say on stderr how many matching events of undated documents ``what`` left out."""
    from communique.store.timeline import undated, undated_note

    note = undated_note(
        undated(store, filters=filters, default_statuses=default_statuses), f"left out by {what}"
    )
    if note:
        click.echo(f"communique: {note}", err=True)


def format_option(f: Any) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="table (the default on a terminal), jsonl (the default otherwise) or csv.",
    )(f)


def limit_option(default: int | None) -> Callable[[Any], Any]:
    return click.option(
        "--limit", default=default, show_default=True, type=click.IntRange(0), help="At most this many rows."
    )


@contextmanager
def store_errors() -> Iterator[None]:
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


def open_store(db: str, wait: float) -> Any:
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


def _table(rows: list[dict[str, Any]], columns: Columns) -> None:
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


def emit(
    rows: list[dict[str, Any]],
    fmt: str | None,
    columns: Columns | None = None,
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


EVENT_COLUMNS: Columns = [
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
CLUSTER_COLUMNS: Columns = [
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
QUOTE_COLUMNS: Columns = [
    ("date", lambda r: r.get("date")),
    ("speaker", lambda r: _actor(r.get("speaker"))),
    ("kind", lambda r: r.get("kind")),
    ("content", lambda r: (r.get("content") or {}).get("text")),
    ("document", lambda r: f"{r['doc_id']}#{r['idx']}"),
]
