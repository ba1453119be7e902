"""The actor stage: knowledge, string resolution and in-document mentions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from communique.actors.knowledge import Knowledge, load_knowledge
from communique.actors.resolver import ActorResolver, Resolution

__all__ = ["ActorResolver", "Knowledge", "Resolution", "load_knowledge", "resolve_actor"]

MAX_ACTOR_CHARS = 1000


def resolve_actor(
    text: str,
    *,
    context: str | None = None,
    date: dt.date | str | None = None,
    actors_files: Iterable[str] = (),
) -> dict[str, Any]:
    """Resolve one actor string: ``{"country", "sectors", "name", "role", "kind", "matched"}``.

    ``date``: the day the actor is named on, a ``date`` or ISO text. Raises ValueError for
    text that cannot be an actor (too long) or a date that is not one; empty text resolves
    to nothing.
    """
    if not isinstance(text, str):
        raise ValueError("the actor must be a string")
    if len(text) > MAX_ACTOR_CHARS:
        raise ValueError(
            f"the actor string is {len(text)} characters; at most {MAX_ACTOR_CHARS} are accepted"
        )
    day = _as_day(date)
    resolver = ActorResolver(load_knowledge(tuple(actors_files)))
    # Empty strings mean "not given" (the JSONL batch form has empty fields).
    return resolver.resolve(text, context=context or None, date=day).as_dict()


def _as_day(value: dt.date | str | None) -> dt.date | None:
    """A ``date`` from the API's date or ISO text; '' and None are no date."""
    if not isinstance(value, str):
        return value
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"date: {value!r} is not a date (YYYY-MM-DD)") from None
