"""The actor stage: knowledge, string resolution and in-document mentions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from communique.actors.knowledge import Knowledge, load_knowledge
from communique.actors.resolver import ActorResolver, Resolution

__all__ = ["ActorResolver", "Knowledge", "Resolution", "load_knowledge", "resolve_actor"]

MAX_ACTOR_CHARS = 1000


def resolve_actor(
    text: str, *, context: str | None = None, date: str | None = None, actors_files: Iterable[str] = ()
) -> dict[str, Any]:
    """Resolve one actor string: ``{"country", "sectors", "name", "role", "kind", "matched"}``.

    Raises ValueError for text that cannot be an actor (too long); empty text resolves
    to nothing.
    """
    if not isinstance(text, str):
        raise ValueError("the actor must be a string")
    if len(text) > MAX_ACTOR_CHARS:
        raise ValueError(
            f"the actor string is {len(text)} characters; at most {MAX_ACTOR_CHARS} are accepted"
        )
    resolver = ActorResolver(load_knowledge(tuple(actors_files)))
    # Empty strings mean "not given" (the JSONL batch form has empty fields).
    return resolver.resolve(text, context=context or None, date=(date or None)).as_dict()
