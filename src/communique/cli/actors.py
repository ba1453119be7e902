"""`actors`: resolve actor strings, list the unresolved ones, import PETRARCH dictionaries.

(`actors top`, a question to the store, is added to this group from `communique.cli.query`.)
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from communique.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    Skipped,
    check_date,
    input_options,
    model_options,
    open_out,
)
from communique.settings import PipelineSettings


@click.group()
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
    day = check_date(date)
    if text is not None:
        try:
            answer = resolve_actor(text, context=context, date=day, actors_files=actors_files)
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
                    date=check_date(record.get("date") or None) or day,
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
    with open_out(output) as out:
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
@input_options
@model_options
def actors_unresolved(
    inputs: tuple[str, ...],
    results: bool,
    top: int,
    fmt: str,
    read_options: Any,
    settings: PipelineSettings,
) -> None:
    """List the most frequent actor strings that nothing codes, and the people coded only by
    inference from the words around them (with the codes inferred), with counts and examples,
    so that a curator knows what to add to, or confirm into, a --actors file."""
    from communique.actors.unresolved import count_unresolved, iter_results

    items = iter_results(
        inputs,
        results=results,
        model=settings.model,
        actors_files=settings.actors_files,
        read_options=read_options,
    )
    skipped = Skipped()
    rows = count_unresolved(skipped.results(items), top=top)
    for row in rows:
        if fmt == "jsonl":
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            example = row["examples"][0] if row["examples"] else ""
            guess = row.get("inferred")
            codes = (
                f"{guess['country'] or '-'} {' '.join(guess['sectors']) or '-'} (inferred)" if guess else "-"
            )
            click.echo(f"{row['count']:>6}  {row['text']:<40}  {codes:<22}  {example}")
    if skipped.count:
        sys.exit(EXIT_SOME_FAILED)
