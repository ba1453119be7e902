"""communique: political event data from news text, offline.

>>> import communique                                    # doctest: +SKIP
>>> result = communique.Pipeline().process_text("Rubio met Lavrov in Geneva.")  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from communique.models import Actor, ActorMention, Document, Event, Problem, Quote, Result

__all__ = [
    "Actor",
    "ActorMention",
    "Document",
    "Event",
    "Pipeline",
    "Problem",
    "Quote",
    "Result",
    "__version__",
    "extract",
    "resolve_actor",
]


def __getattr__(name: str) -> object:
    # Lazy: `import communique` stays fast; spaCy loads only when the pipeline is used.
    if name in ("Pipeline", "extract"):
        from communique import pipeline

        return getattr(pipeline, name)
    if name == "resolve_actor":
        from communique.actors import resolve_actor

        return resolve_actor
    raise AttributeError(name)
