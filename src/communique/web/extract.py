"""Analysing a posted article: the request, its parsing and the app's pipeline.

``POST /api/extract`` (``api``) and the paste page ``/extract`` (``pages``) both use it.

One analysis runs at a time (spaCy is not thread-safe): a request that finds another one
running waits up to ``extract_wait`` seconds, then gets 503 with ``Retry-After``. The
analysis is under the pipeline's per-document guard (``communique.guard``: size and time
limits, 422 with the reason when one is reached) and is cancelled when its client
disconnects, so a client that gives up does not keep the server busy.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import threading
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from communique.guard import Cancelled
from communique.models import Result
from communique.web.errors import ApiError

log = logging.getLogger("communique.web")
DISCONNECT_POLL = 0.25  # seconds between two looks at whether the client has gone
BUSY_RETRY_AFTER = 5  # seconds a busy answer asks the client to wait

NOT_ENABLED = "extraction is not enabled on this server (start it with --allow-extract)"


class ExtractRequest(BaseModel):
    """An article to analyse."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="The article text.")
    title: str | None = Field(None, max_length=1000, description="Its headline.")
    date: str | None = Field(None, max_length=10, description="Publication date YYYY-MM-DD.")
    url: str | None = Field(None, max_length=2000, description="Its address.")
    id: str | None = Field(
        None, max_length=300, description="An id for the result (else a hash of the text)."
    )

    def day(self) -> dt.date | None:
        """The publication date as a ``date``; ValueError when it is not one."""
        return dt.date.fromisoformat(self.date) if self.date else None


def require_extract(request: Request) -> None:
    """ApiError 403 unless the server was started with --allow-extract."""
    if not request.app.state.allow_extract:
        raise ApiError(403, NOT_ENABLED)


def parse_extract_body(body: bytes, content_type: str) -> ExtractRequest:
    """The request to analyse, from a JSON object or plain text; ApiError 415/422 otherwise."""
    kind = content_type.split(";")[0].strip().lower()
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(422, "the body is not UTF-8 text") from None
    if kind == "text/plain":
        payload: Any = {"text": decoded}
    elif kind in ("application/json", ""):
        try:
            payload = json.loads(decoded)
        except json.JSONDecodeError as exc:
            raise ApiError(422, f"the body is not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(payload, dict):
            raise ApiError(422, 'the body must be a JSON object such as {"text": "..."}')
    else:
        raise ApiError(415, f"send application/json or text/plain, not {kind}")
    try:
        req = ExtractRequest.model_validate(payload)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(x) for x in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()]
        raise ApiError(422, "; ".join(problems)) from None
    if not req.text.strip():
        raise ApiError(422, "text: the text is empty")
    if req.date:
        try:
            req.day()
        except ValueError:
            raise ApiError(422, f"date: {req.date!r} is not a date (YYYY-MM-DD)") from None
    return req


def get_pipeline(app: FastAPI) -> Any:
    """The pipeline for /api/extract, loaded on first use."""
    with app.state.pipeline_lock:
        if app.state.pipeline is None:
            from communique.pipeline import Pipeline  # spaCy loads only when first needed

            app.state.pipeline = Pipeline.from_settings(app.state.pipeline_settings)
        return app.state.pipeline


def run_extract(request: Request, req: ExtractRequest, cancel: threading.Event | None = None) -> Result:
    """Analyse one text with the app's pipeline (one at a time: spaCy is not thread-safe); ApiError
    503 when another analysis holds the pipeline longer than ``extract_wait``, 422 when the guard
    stops this one; ``guard.Cancelled`` once ``cancel`` is set."""
    app = request.app
    pipeline = get_pipeline(app)
    if not app.state.extract_lock.acquire(timeout=app.state.extract_wait):
        app.state.extract_counts["busy"] += 1
        raise ApiError(
            503,
            "the server is busy analysing another text; try again shortly",
            headers={"retry-after": str(BUSY_RETRY_AFTER)},
        )
    try:
        return pipeline.process_text(
            req.text, id=req.id, date=req.day(), title=req.title, url=req.url, source="<api>", cancel=cancel
        )
    except ValueError as exc:  # too large or too slow for the guard: the reason, as the CLI reports it
        raise ApiError(422, str(exc)) from None
    finally:
        app.state.extract_lock.release()


async def extract_guarded(request: Request, req: ExtractRequest) -> Result:
    """``run_extract`` in a worker thread, cancelled when the client disconnects meanwhile."""
    cancel = threading.Event()
    task = asyncio.ensure_future(run_in_threadpool(run_extract, request, req, cancel))
    try:
        while not task.done():
            await asyncio.wait({task}, timeout=DISCONNECT_POLL)
            if not task.done() and not cancel.is_set() and await request.is_disconnected():
                log.info("client gone: cancelling its extraction")
                cancel.set()
        return await task
    except Cancelled:
        request.app.state.extract_counts["cancelled"] += 1
        raise ApiError(503, "the analysis was cancelled: the client has gone") from None
    finally:
        cancel.set()  # whatever ended this request (the server stopping too) ends the analysis
