"""Analysing a posted article: the request, its parsing and the app's pipeline.

``POST /api/extract`` (``api``) and the paste page ``/extract`` (``pages``) both use it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from communique.models import Result
from communique.web.errors import ApiError

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


def run_extract(request: Request, req: ExtractRequest) -> Result:
    """Analyse one text with the app's pipeline (one at a time: spaCy is not thread-safe)."""
    app = request.app
    pipeline = get_pipeline(app)
    with app.state.extract_lock:
        return pipeline.process_text(
            req.text, id=req.id, date=req.day(), title=req.title, url=req.url, source="<api>"
        )
