"""`serve`: the web dashboard and REST API over the store (communique.web)."""

from __future__ import annotations

import ipaddress
import sys
from dataclasses import replace
from typing import Any

import click

from communique.cli.common import EXIT_OK, db_option, guard_options, with_options
from communique.settings import PipelineSettings

LOOPBACK = "127.0.0.1"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def with_guard_options(f: Any) -> Any:
    return with_options(f, guard_options)


@click.command("serve")
@db_option
@click.option(
    "--host", default=LOOPBACK, show_default=True, help="Address to listen on (0.0.0.0: every interface)."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one)."
)
@click.option(
    "--allow-extract",
    is_flag=True,
    help="Enable POST /api/extract and the paste-an-article page (loads the language model).",
)
@click.option(
    "--allow-corrections",
    is_flag=True,
    help="Let the dashboard and POST /api/corrections/* record corrections (who, when, why) in the store.",
)
@click.option(
    "--max-request-bytes",
    default=256 * 1024,
    show_default=True,
    type=click.IntRange(1024, 50 * 1024 * 1024),
    help="Largest request body accepted by /api/extract (413 above).",
)
@click.option(
    "--wait",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0, 600),
    help="Seconds a request waits for the store while an ingest writes (then 503).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Another name the Host header may give (repeatable; 127.0.0.1, localhost and --host are "
    "always allowed; '*' turns the check off, for a reverse proxy that checks it).",
)
@click.option("--model", default=None, help="spaCy model for --allow-extract (default: the pipeline's).")
@with_guard_options
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(
    db: str,
    host: str,
    port: int,
    allow_extract: bool,
    allow_corrections: bool,
    max_request_bytes: int,
    wait: float,
    allowed_hosts: tuple[str, ...],
    model: str | None,
    max_doc_chars: int,
    doc_seconds: float,
    doc_memory_mb: float,
    log_level: str,
) -> None:
    """Serve the dashboard and the JSON API over the store.

    Read-only (unless --allow-corrections, whose forms write corrections in short
    transactions): every request opens the store read-only and closes it before answering,
    so `communique ingest` can write to the same file meanwhile. Open http://127.0.0.1:8000/
    for the dashboard, /docs for the API.

    \b
    Examples:
      communique serve --db events.duckdb
      communique serve --db events.duckdb --allow-extract --port 8080
      communique serve --db events.duckdb --allow-corrections
    """
    from pathlib import Path

    import uvicorn

    from communique.web import create_app
    from communique.web.app import allowed_hosts_for

    if not Path(db).exists():
        click.echo(
            f"communique: warning: no store at {db} yet; pages answer 503 until "
            f"`communique ingest ... --db {db}` creates it",
            err=True,
        )
    if not _is_loopback(host):
        click.echo(
            f"communique: warning: listening on {host}: anyone who can reach this machine can read the store"
            + (" and make it analyse text" if allow_extract else ""),
            err=True,
        )
        if not allowed_hosts:
            from communique.web.app import allowed_hosts_for as names

            click.echo(
                f"communique: warning: only requests whose Host is {', '.join(names(host))} are answered; "
                "add the names clients use with --allowed-host NAME",
                err=True,
            )
    settings = PipelineSettings(
        max_doc_chars=max_doc_chars, doc_seconds=doc_seconds, doc_memory_mb=doc_memory_mb
    )
    if model:
        settings = replace(settings, model=model)
    pipeline = None
    if allow_extract:
        from communique.nlp import ModelNotFoundError
        from communique.pipeline import Pipeline

        click.echo("communique: loading the language model for /api/extract …", err=True)
        try:
            pipeline = Pipeline.from_settings(settings)
        except ModelNotFoundError as exc:
            raise click.ClickException(str(exc)) from None
    app = create_app(
        db,
        allow_extract=allow_extract,
        max_request_bytes=max_request_bytes,
        wait=wait,
        pipeline=pipeline,
        pipeline_options=settings,
        allowed_hosts=allowed_hosts_for(host, allowed_hosts),
        allow_corrections=allow_corrections,
    )
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"communique: serving {db} on http://{shown}:{port}/ (Ctrl-C to stop)", err=True)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        proxy_headers=False,
        limit_concurrency=256,
        timeout_keep_alive=5,
    )
    try:
        uvicorn.Server(config).run()
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from None
    sys.exit(EXIT_OK)
