"""`corrections`: mark events wrong, fix their codes and actors' codes; list and export them."""

from __future__ import annotations

import json
import os

import click

from communique.cli.common import db_options
from communique.cli.store_common import open_store, store_errors


def _author(author: str | None) -> str:
    return author or os.environ.get("USER") or "unknown"


@click.group("corrections")
def corrections_group() -> None:
    """Corrections of the extracted data, kept apart from it (who, when, why).

    They apply to every query, page and export (a `corrected` flag says where) and survive
    a re-ingest or re-extraction of the same text.
    """


@corrections_group.command("event")
@db_options
@click.argument("doc_id")
@click.argument("start", type=click.IntRange(0))
@click.argument("end", type=click.IntRange(0))
@click.option("--wrong", is_flag=True, help="No such event: it leaves every list, count and export.")
@click.option("--type", "type_", help="The right PLOVER type (CAMEO, Goldstein and quad class follow).")
@click.option("--status", help="The right status (happened, intended, ...).")
@click.option("--source", help="The right source: 'RUS GOV'.")
@click.option("--target", help="The right target: 'UKR MIL'.")
@click.option("--author", help="Who says so (default: $USER).")
@click.option("--reason", help="Why.")
def event_cmd(
    db: str,
    wait: float,
    doc_id: str,
    start: int,
    end: int,
    wrong: bool,
    type_: str | None,
    status: str | None,
    source: str | None,
    target: str | None,
    author: str | None,
    reason: str | None,
) -> None:
    """Correct the event of DOC_ID whose trigger spans START-END (as `query events` shows).

    \b
    Examples:
      communique corrections event doc-1 120 127 --wrong --reason "a sports result"
      communique corrections event doc-1 120 127 --type ASSAULT --source "RUS MIL"
    """
    from communique.store.corrections import correct_event

    with store_errors():
        made = correct_event(
            open_store(db, wait),
            doc_id,
            start,
            end,
            author=_author(author),
            reason=reason,
            wrong=True if wrong else None,
            type=type_,
            status=status,
            source=source,
            target=target,
        )
    click.echo(json.dumps(made.as_dict(), ensure_ascii=False))


@corrections_group.command("actor")
@db_options
@click.argument("name")
@click.option("--code", help="Its right code: 'RUS GOV' or 'RUS GOV/MIL'.")
@click.option("--suppress", is_flag=True, help="No coding at all for this name.")
@click.option("--author", help="Who says so (default: $USER).")
@click.option("--reason", help="Why.")
def actor_cmd(
    db: str, wait: float, name: str, code: str | None, suppress: bool, author: str | None, reason: str | None
) -> None:
    """Fix the code of the actor NAME (its resolved name) everywhere it appears.

    \b
    Example:
      communique corrections actor "Abbas Araghchi" --code "IRN GOV"
    """
    from communique.store.corrections import correct_actor

    with store_errors():
        made = correct_actor(
            open_store(db, wait), name, author=_author(author), reason=reason, code=code, suppress=suppress
        )
    click.echo(json.dumps(made.as_dict(), ensure_ascii=False))


@corrections_group.command("list")
@db_options
@click.option("--history", is_flag=True, help="Every row, not only the corrections in force.")
def list_cmd(db: str, wait: float, history: bool) -> None:
    """The corrections in force, newest first, one JSON line each."""
    from communique.store.corrections import list_corrections

    with store_errors():
        for row in list_corrections(open_store(db, wait), history=history):
            click.echo(json.dumps(row, ensure_ascii=False))


@corrections_group.command("import")
@db_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
def import_cmd(db: str, wait: float, file: str) -> None:
    """Add the corrections of FILE (JSON lines of `corrections list --history`) to the store,
    e.g. after rebuilding it from scratch; those already there are skipped.

    \b
    Example:
      communique corrections list --history --db old.duckdb > corrections.jsonl
      communique corrections import corrections.jsonl --db new.duckdb
    """
    from communique.store.corrections import import_corrections

    handle = click.open_file(file, encoding="utf-8")
    rows = []
    with handle:
        for n, line in enumerate(handle, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    raise click.ClickException(f"{file}:{n}: not a JSON line") from None
    with store_errors():
        added = import_corrections(open_store(db, wait), rows)
    click.echo(f"communique: {added} corrections added, {len(rows) - added} already there", err=True)


@corrections_group.command("export")
@db_options
@click.option(
    "--as",
    "kind",
    type=click.Choice(["training", "actors"]),
    required=True,
    help="training: CSV text,label for `communique train events`; actors: an actor file for --actors.",
)
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True))
def export_cmd(db: str, wait: float, kind: str, output: str) -> None:
    """Export the corrections as labelled data or as actor-file entries.

    \b
    Examples:
      communique corrections export --as training -o labelled.csv
      communique corrections export --as actors -o mine.yaml
    """
    from communique.store.corrections import actor_file, training_csv

    with store_errors():
        text = training_csv(open_store(db, wait)) if kind == "training" else actor_file(open_store(db, wait))
    if output == "-":
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        click.echo(f"communique: written to {output}", err=True)
