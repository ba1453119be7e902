"""PLOVER 2.0 types and modes, CAMEO codes with Goldstein values and quad classes.

The tables in ``communique/data/ontology`` are generated from the reference by
``scripts/build_ontology.py``; this module only reads them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DATA = resources.files("communique") / "data" / "ontology"


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float | None
    quad_class: int | None
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None


@dataclass(frozen=True)
class Ontology:
    cameo: dict[str, CameoCode]
    types: dict[str, dict]
    contexts: tuple[str, ...]
    sectors: dict[str, str]
    label_map_v05: dict[str, list[str]]

    def code(self, code: str | None) -> CameoCode | None:
        """The CAMEO code, or its nearest listed ancestor ('0421' -> '042' -> '04')."""
        while code:
            if code in self.cameo:
                return self.cameo[code]
            code = code[:-1]
        return None

    def default_cameo(self, plover_type: str, mode: str | None = None) -> str | None:
        info = self.types.get(plover_type)
        if info is None:
            return None
        if mode:
            mode = info.get("mode_aliases", {}).get(mode, mode) or mode
            if mode in info.get("mode_cameo", {}):
                return info["mode_cameo"][mode]
        return info.get("cameo")

    def quad_class(self, plover_type: str) -> int | None:
        info = self.types.get(plover_type)
        return info.get("quad_class") if info else None


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    cameo: dict[str, CameoCode] = {}
    with (DATA / "cameo.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            cameo[row["code"]] = CameoCode(
                code=row["code"],
                name=row["name"],
                goldstein=_float(row["goldstein"]),
                quad_class=int(row["quad_class"]) if row.get("quad_class") else None,
                plover_type=row.get("plover_type") or None,
                plover_mode=row.get("plover_mode") or None,
                plover_context=row.get("plover_context") or None,
            )
    plover = json.loads((DATA / "plover.json").read_text(encoding="utf-8"))
    contexts = plover.get("contexts", [])
    if contexts and isinstance(contexts[0], dict):
        contexts = [c["name"] for c in contexts]
    sectors = plover.get("sectors", {})
    if isinstance(sectors, list):
        sectors = {s["code"]: s.get("name", "") for s in sectors}
    label_map = {k: (v if isinstance(v, list) else [v]) for k, v in plover.get("label_map_v05", {}).items()}
    return Ontology(
        cameo=cameo,
        types=plover["types"],
        contexts=tuple(contexts),
        sectors=sectors,
        label_map_v05=label_map,
    )
