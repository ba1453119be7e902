"""Corrections over the web: ``/api/corrections`` (JSON) and the dashboard's forms.

Only a server started with ``--allow-corrections`` writes them (403 otherwise); each is a row
of the store's ``corrections`` table (``communique.store.corrections``) with who, when and why.
A state-changing request from another origin is refused before it gets here (``app``).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from communique.store import corrections as store_corrections
from communique.store.corrections import CorrectionError
from communique.store.db import StoreError
from communique.web.errors import ApiError

NOT_ENABLED = "corrections are off: start the server with `communique serve --allow-corrections`"

router = APIRouter()


class EventCorrection(BaseModel):
    doc_id: str = Field(max_length=300, description="The event's document.")
    start: int = Field(ge=0, description="Where its trigger (the evidence) starts.")
    end: int = Field(ge=0, description="Where its trigger ends.")
    wrong: bool | None = Field(None, description="True: no such event (it leaves every list).")
    type: str | None = Field(None, max_length=40, description="The right PLOVER type.")
    status: str | None = Field(None, max_length=40, description="The right status.")
    source: str | None = Field(None, max_length=40, description="The right source: 'RUS GOV'.")
    target: str | None = Field(None, max_length=40, description="The right target: 'UKR MIL'.")
    author: str = Field(max_length=200, description="Who says so.")
    reason: str | None = Field(None, max_length=2000, description="Why.")


class ActorCorrection(BaseModel):
    name: str = Field(max_length=300, description="The actor's resolved name.")
    code: str | None = Field(None, max_length=60, description="Its right code: 'RUS GOV/MIL'.")
    suppress: bool = Field(False, description="True: no coding at all for this name.")
    author: str = Field(max_length=200, description="Who says so.")
    reason: str | None = Field(None, max_length=2000, description="Why.")


Form = TypeVar("Form", EventCorrection, ActorCorrection)


def form_choices() -> dict[str, tuple[str, ...]]:
    """The choices of the dashboard's correction forms: event types and statuses."""
    from communique.events.ontology import load_ontology

    return {
        "correction_types": tuple(sorted(load_ontology().types)),
        "correction_statuses": store_corrections.STATUSES,
    }


def require_corrections(request: Request) -> None:
    if not getattr(request.app.state, "allow_corrections", False):
        raise ApiError(403, NOT_ENABLED)


def _event(request: Request, body: EventCorrection) -> dict[str, Any]:
    require_corrections(request)
    try:
        made = store_corrections.correct_event(
            request.app.state.store,
            body.doc_id,
            body.start,
            body.end,
            author=body.author,
            reason=body.reason,
            wrong=body.wrong,
            type=body.type or None,
            status=body.status or None,
            source=body.source or None,
            target=body.target or None,
        )
    except (CorrectionError, StoreError) as exc:
        raise ApiError(422, str(exc)) from None
    return made.as_dict()


def _actor(request: Request, body: ActorCorrection) -> dict[str, Any]:
    require_corrections(request)
    try:
        made = store_corrections.correct_actor(
            request.app.state.store,
            body.name,
            author=body.author,
            reason=body.reason,
            code=body.code or None,
            suppress=body.suppress,
        )
    except (CorrectionError, StoreError) as exc:
        raise ApiError(422, str(exc)) from None
    return made.as_dict()


# -- JSON ------------------------------------------------------------------------------------
@router.get("/api/corrections", summary="The corrections in force, newest first (history: every row)")
def list_corrections(
    request: Request,
    history: Annotated[bool, Query(description="Every row, not only those in force.")] = False,
) -> dict[str, Any]:
    items = store_corrections.list_corrections(request.app.state.store, history=history)
    return {"items": items, "count": len(items)}


@router.post("/api/corrections/event", summary="Mark an event wrong or fix its type, status, source, target")
def correct_event(request: Request, body: EventCorrection) -> dict[str, Any]:
    return _event(request, body)


@router.post("/api/corrections/actor", summary="Fix an actor's code or suppress it")
def correct_actor(request: Request, body: ActorCorrection) -> dict[str, Any]:
    return _actor(request, body)


@router.get("/api/corrections/training.csv", summary="Corrected events as labelled data for `train events`")
def training(request: Request) -> Response:
    text = store_corrections.training_csv(request.app.state.store)
    return PlainTextResponse(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="corrections-training.csv"'},
    )


@router.get("/api/corrections/actors.yaml", summary="Actor corrections as an actor file (--actors)")
def actor_file(request: Request) -> Response:
    return PlainTextResponse(
        store_corrections.actor_file(request.app.state.store),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="corrections-actors.yaml"'},
    )


# -- the dashboard's forms -------------------------------------------------------------------
async def _form(request: Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise ApiError(415, "post the form (application/x-www-form-urlencoded)")
    body = await request.body()
    try:
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    except (UnicodeDecodeError, ValueError):
        raise ApiError(422, "the form is not valid UTF-8") from None


def _int(fields: dict[str, str], name: str) -> int:
    try:
        return int(fields.get(name, ""))
    except ValueError:
        raise ApiError(422, f"{name} must be a whole number") from None


def _valid(model: type[Form], **fields: Any) -> Form:
    try:
        return model(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ApiError(422, f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None


@router.post("/corrections/event", include_in_schema=False)
async def event_form(request: Request) -> Response:
    require_corrections(request)
    fields = await _form(request)
    body = _valid(
        EventCorrection,
        doc_id=fields.get("doc_id", ""),
        start=_int(fields, "start"),
        end=_int(fields, "end"),
        wrong={"1": True, "0": False}.get(fields.get("wrong", "")),
        type=fields.get("type") or None,
        status=fields.get("status") or None,
        source=fields.get("source") or None,
        target=fields.get("target") or None,
        author=fields.get("author", ""),
        reason=fields.get("reason") or None,
    )
    await run_in_threadpool(_event, request, body)
    return RedirectResponse(f"/documents/{quote(body.doc_id, safe='')}?corrected=1", status_code=303)


@router.post("/corrections/actor", include_in_schema=False)
async def actor_form(request: Request) -> Response:
    require_corrections(request)
    fields = await _form(request)
    body = _valid(
        ActorCorrection,
        name=fields.get("name", ""),
        code=fields.get("code") or None,
        suppress=bool(fields.get("suppress")),
        author=fields.get("author", ""),
        reason=fields.get("reason") or None,
    )
    await run_in_threadpool(_actor, request, body)
    return RedirectResponse(f"/actors/{quote(body.name, safe='')}?corrected=1", status_code=303)
