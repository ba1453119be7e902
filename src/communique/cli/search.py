"""`search`: full-text search over the store's articles and event evidence (offline, FTS5)."""

from __future__ import annotations

import json

import click

from communique.cli.common import db_options
from communique.cli.store_common import open_store, store_errors


@click.command("search")
@db_options
@click.argument("query")
@click.option("--what", type=click.Choice(["all", "documents", "evidence"]), default="all", show_default=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, 500))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def search_cmd(db: str, wait: float, query: str, what: str, limit: int, fmt: str) -> None:
    """Search the articles and the events' evidence for QUERY, best first.

    QUERY is words, "a phrase", OR, -word or prefix*. The index (a SQLite FTS5 file beside
    the store) follows the store by itself.

    \b
    Examples:
      communique search ceasefire --db events.duckdb
      communique search '"peace talks" Geneva' --what evidence --format json
    """
    from communique.store.search import search

    with store_errors():
        found = search(open_store(db, wait), query, limit=limit, what=what)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if what in ("all", "evidence"):
        click.echo(f"events ({found.get('evidence_total', 0)}):")
        for e in found["evidence"]:
            who = f"{e['source'] or '---'} -> {e['target'] or '---'}"
            click.echo(f"  {e['doc_id']}#e{e['idx']}  {e['type']} {e['status']}  {who}  {e['snippet']}")
    if what in ("all", "documents"):
        click.echo(f"articles ({found.get('documents_total', 0)}):")
        for d in found["documents"]:
            click.echo(f"  {d['doc_id']}  {d['title'] or ''}  {d['snippet']}")
