"""The codes the dashboard shows, explained: the glossary page and the tooltips on codes,
both generated from the ontology tables (``data/ontology``: PLOVER types, modes, contexts,
sectors, international actors; CAMEO codes with their Goldstein values and quad classes),
so a code the coder can write is never one the page cannot explain.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from communique.events.ontology import load_ontology
from communique.models import EventStatus

QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
STATUS_NOTES = {
    EventStatus.happened: "the text asserts it took place (the only status counts count by default)",
    EventStatus.intended: "planned, promised or agreed, not yet done",
    EventStatus.conditional: "to happen if something else does",
    EventStatus.threatened: "threatened by the actor",
    EventStatus.refused: "the actor refused or declined to do it",
    EventStatus.negated: "the text says it did not happen",
    EventStatus.hypothetical: "considered, possible, asked about",
    EventStatus.alleged: "claimed by someone, not established by the text",
}


@lru_cache(maxsize=1)
def glossary() -> dict[str, Any]:
    """Every code the pages show, by kind, each with what it means."""
    ontology = load_ontology()
    plover = json.loads(
        (resources.files("communique") / "data" / "ontology" / "plover.json").read_text("utf-8")
    )
    types = [
        {
            "code": name,
            "quad": info.get("quad_class"),
            "cameo": info.get("cameo"),
            "cameo_name": _cameo_name(info.get("cameo")),
            "modes": [
                {"code": mode, "cameo": info.get("mode_cameo", {}).get(mode)}
                for mode in info.get("modes", ())
            ],
        }
        for name, info in ontology.types.items()
    ]
    cameo = [
        {
            "code": c.code,
            "name": c.name,
            "goldstein": c.goldstein,
            "quad": c.quad_class,
            "root": len(c.code) == 2,
            "plover": c.plover_type,
        }
        for c in sorted(ontology.cameo.values(), key=lambda c: c.code)
    ]
    return {
        "types": types,
        "quads": [{"code": f"Q{q}", "number": q, "name": name} for q, name in QUAD_NAMES.items()],
        "statuses": [{"code": s.value, "name": STATUS_NOTES[s]} for s in EventStatus],
        "contexts": list(ontology.contexts),
        "sectors": [{"code": code, "name": name} for code, name in ontology.sectors.items()],
        "international": [
            {"code": e["code"], "name": e.get("name", "")} for e in plover.get("international_entities", ())
        ],
        "cameo": cameo,
    }


def _cameo_name(code: str | None) -> str | None:
    found = load_ontology().code(code)
    return found.name if found else None


@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    """Tooltip text by code (sectors, international actors, PLOVER types, quad classes)."""
    g = glossary()
    titles = {s["code"]: f"{s['code']}: {s['name']} (sector)" for s in g["sectors"]}
    titles.update((e["code"], f"{e['code']}: {e['name']}") for e in g["international"])
    titles.update(
        (t["code"], f"{t['code']}: PLOVER event type, {QUAD_NAMES.get(t['quad'], '')}") for t in g["types"]
    )
    titles.update((q["code"], f"{q['code']}: {q['name']}") for q in g["quads"])
    return titles


def explain_code(code: str | None) -> str:
    """A tooltip for an actor code as the pages write it ('RUS MIL/GOV', 'UAF', 'IGO'): what
    each part means; empty for a country code (the name is beside it)."""
    titles = _titles()
    parts = [titles[p] for p in str(code or "").replace("/", " ").split() if p in titles]
    return "; ".join(parts)


def explain_cameo(code: str | None) -> str:
    """A tooltip for a CAMEO code: its name, Goldstein value and quad class."""
    found = load_ontology().code(code)
    if found is None:
        return ""
    bits = [f"CAMEO {code}: {found.name}"]
    if found.goldstein is not None:
        bits.append(f"Goldstein {found.goldstein:+g}")
    if found.quad_class:
        bits.append(QUAD_NAMES[found.quad_class])
    return ", ".join(bits)


def explain_mode(event_type: str | None, mode: str | None) -> str:
    """A tooltip for a mode: which type it refines and the CAMEO code it maps to."""
    if not mode:
        return ""
    info = load_ontology().types.get(event_type or "", {})
    cameo = info.get("mode_cameo", {}).get(mode)
    text = f"{mode}: a mode of {event_type}"
    return text + (f" (CAMEO {cameo}: {_cameo_name(cameo)})" if cameo else "")


def explain_status(status: str | None) -> str:
    """A tooltip for an event status: what the text says of the event."""
    try:
        return f"{status}: {STATUS_NOTES[EventStatus(str(status))]}"
    except ValueError:
        return ""
