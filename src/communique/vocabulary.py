"""The values a filter takes, read from the ontology tables and the country list: what the
command line, the API and the dashboard check every filter value against, so that a value
that can match nothing (``--type ATTACK``) is an error listing the valid ones, never an
empty answer.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from communique.models import EventStatus


@dataclass(frozen=True)
class Vocabulary:
    types: tuple[str, ...]  # PLOVER event types
    modes: tuple[str, ...]  # PLOVER modes of every type (and the aliases the coder reads)
    statuses: tuple[str, ...]
    quad_classes: tuple[int, ...]
    contexts: tuple[str, ...]
    sectors: tuple[str, ...]  # PLOVER sector codes
    countries: frozenset[str]  # ISO 3166-1 alpha-3 codes the coder gives
    international: tuple[str, ...]  # PLOVER's codes of international actors (IGO, UNO ...)
    cameo: frozenset[str]  # every CAMEO code


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    from communique.actors.knowledge import NON_STATE_CODES, read_records
    from communique.events.ontology import load_ontology

    ontology = load_ontology()
    plover = ontology.types
    modes = {m for info in plover.values() for m in [*info.get("modes", ()), *info.get("mode_aliases", {})]}
    path = resources.files("communique") / "data" / "actors" / "countries.jsonl"
    countries = frozenset(str(rec["iso3"]) for rec in read_records(path))

    return Vocabulary(
        types=tuple(plover),
        modes=tuple(sorted(modes)),
        statuses=tuple(s.value for s in EventStatus),
        quad_classes=(1, 2, 3, 4),
        contexts=tuple(ontology.contexts),
        sectors=tuple(ontology.sectors),
        countries=countries,
        international=tuple(sorted(NON_STATE_CODES | {"ISM"})),
        cameo=frozenset(ontology.cameo),
    )


def check(
    what: str, values: Iterable[str], allowed: Collection[str], listed: Iterable[str] | None = None
) -> None:
    """ValueError naming the first of ``values`` not in ``allowed``, and the valid ones."""
    for value in values:
        if value not in allowed:
            valid = ", ".join(listed if listed is not None else allowed)
            raise ValueError(f"unknown {what} {value!r}: use one of {valid}")


def check_country(what: str, code: str) -> None:
    """ValueError unless ``code`` is an ISO3 country code the coder gives, or an
    international actor's code (IGO, UNO, EUR ...)."""
    vocab = vocabulary()
    if code not in vocab.countries and code not in vocab.international:
        raise ValueError(
            f"unknown {what} {code!r}: use an ISO 3166-1 alpha-3 country code (USA, IRN, SYR ...) "
            f"or one of {', '.join(vocab.international)}"
        )


def check_cameo(code: str) -> None:
    """ValueError unless ``code`` is a CAMEO code or the start of one (19, 190, 1951)."""
    if not (code.isdigit() and any(c.startswith(code) for c in vocabulary().cameo)):
        raise ValueError(
            f"unknown CAMEO code {code!r}: use a CAMEO code or its first digits, from 01 to 20 "
            "(19, 190, 1951; the codes are listed on the dashboard's glossary page)"
        )
