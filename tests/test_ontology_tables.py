"""The committed ontology tables and event lexicons: shape, consistency, spot checks, rebuild."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "src" / "communique" / "data"
ONTOLOGY = DATA / "ontology"
LEXICON = DATA / "lang" / "en"  # the trigger, status and context words are English
SCRIPT = REPO / "scripts" / "build_ontology.py"
REFERENCE = REPO.parent / "shared" / "reference"
GSR = REPO.parent / "shared" / "data" / "plover-gsr" / "PLOVER_GSR_CAMEO.txt"

TYPES = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
TYPE_QUAD = dict.fromkeys(TYPES[:4], 1) | dict.fromkeys(TYPES[4:7], 2)
TYPE_QUAD |= dict.fromkeys(TYPES[7:11], 3) | dict.fromkeys(TYPES[11:], 4)
TSV_COLUMNS = [
    "code",
    "name",
    "goldstein",
    "quad_class",
    "root",
    "plover_type",
    "plover_mode",
    "plover_context",
]
TRIGGER_KEYS = {
    "type",
    "mode",
    "cameo",
    "verbs",
    "nouns",
    "objects",
    "not_objects",
    "context",
    "target_preps",
    "swap_roles",
    "object_actor",
    "needs_cue",
    "object_is_target",
    "no_clause",
}
STATUS_KINDS = {"verbs", "adjectives", "modals", "nouns", "particles"}
STATUSES = {"intended", "conditional", "threatened", "refused", "negated", "hypothetical", "alleged"}
# Modes no trigger sense carries, with the reason.
UNTRIGGERED_MODES: set[tuple[str, str]] = set()


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def cameo() -> dict[str, dict[str, str]]:
    with (ONTOLOGY / "cameo.tsv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        assert reader.fieldnames == TSV_COLUMNS
        return {row["code"]: row for row in reader}


@pytest.fixture(scope="module")
def plover() -> dict[str, Any]:
    return json.loads((ONTOLOGY / "plover.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def triggers() -> dict[str, Any]:
    return _yaml(LEXICON / "triggers.yaml")


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_ontology", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_ontology"] = module
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- cameo.tsv


def test_cameo_table_parses(cameo: dict[str, dict[str, str]], plover: dict[str, Any]) -> None:
    assert len(cameo) > 300
    for code, row in cameo.items():
        assert code.isdigit() and 2 <= len(code) <= 4, code
        assert row["root"] == code[:2]
        assert row["name"] and row["name"] == row["name"].strip()
        float(row["goldstein"])
        assert row["quad_class"] in {"1", "2", "3", "4"}
        if row["plover_type"]:
            assert row["plover_type"] in plover["types"], code
        if row["plover_mode"]:
            assert row["plover_mode"] in plover["types"][row["plover_type"]]["modes"], code
        for ctx in filter(None, row["plover_context"].split(";")):
            assert ctx in plover["contexts"], (code, ctx)


@pytest.mark.parametrize(
    ("code", "goldstein"),
    [("042", 1.9), ("043", 2.8), ("057", 8.0), ("0874", 10.0), ("016", -2.0), ("022", 3.2),
     ("164", -7.0), ("165", -6.5), ("173", -5.0), ("190", -10.0), ("195", -10.0), ("141", -6.5),
     ("1213", -4.0)],
)  # fmt: skip
def test_goldstein_is_gdelt(cameo: dict[str, dict[str, str]], code: str, goldstein: float) -> None:
    # GDELT's table is authoritative where cameo-codes.csv differs (016, 022, 164, 165);
    # 1213 is missing from GDELT and takes its parent's value.
    assert float(cameo[code]["goldstein"]) == goldstein


@pytest.mark.parametrize(
    ("code", "quad"),
    [("01", 1), ("0211", 1), ("036", 1), ("057", 1), ("061", 2), ("073", 2), ("0874", 2),
     ("090", 3), ("1056", 3), ("129", 3), ("138", 3), ("141", 4), ("154", 4), ("163", 4),
     ("173", 4), ("186", 4), ("2042", 4)],
)  # fmt: skip
def test_quad_class_by_root(cameo: dict[str, dict[str, str]], code: str, quad: int) -> None:
    assert int(cameo[code]["quad_class"]) == quad


@pytest.mark.parametrize(
    ("code", "ptype", "mode"),
    [("036", "AGREE", ""), ("041", "CONSULT", "phone"), ("042", "CONSULT", "visit"),
     ("043", "CONSULT", "visit"), ("044", "CONSULT", "third-party"), ("057", "SUPPORT", ""),
     ("0831", "CONCEDE", ""), ("0841", "RETREAT", "release"), ("0871", "RETREAT", "ceasefire"),
     ("091", "ACCUSE", "investigate"), ("1121", "ACCUSE", "allege"), ("125", "REJECT", "meet"),
     ("1322", "THREATEN", "restrict"), ("142", "PROTEST", "hunger"), ("163", "COERCE", "restrict"),
     ("1712", "ASSAULT", "destroy"), ("175", "ASSAULT", ""), ("186", "ASSAULT", "targeted"),
     ("195", "ASSAULT", "aerial"), ("202", "ASSAULT", "targeted"), ("203", "ASSAULT", ""),
     ("010", "", ""), ("0214", "", "")],
)  # fmt: skip
def test_plover_mapping(cameo: dict[str, dict[str, str]], code: str, ptype: str, mode: str) -> None:
    assert (cameo[code]["plover_type"], cameo[code]["plover_mode"]) == (ptype, mode)


def test_mapping_inherits_from_nearest_ancestor() -> None:
    module = _load_script()
    mapping = {"12": module.Mapping("REJECT", "", ()), "121": module.Mapping("REJECT", "assist", ())}
    assert module.inherited("1214", mapping).mode == "assist"
    assert module.inherited("122", mapping).type == "REJECT"
    assert module.inherited("122", mapping).mode == ""
    assert module.inherited("0214", mapping).type == ""


# ----------------------------------------------------------------------------- plover.json


def test_sixteen_types(plover: dict[str, Any], cameo: dict[str, dict[str, str]]) -> None:
    assert list(plover["types"]) == TYPES
    for name, info in plover["types"].items():
        assert info["quad_class"] == TYPE_QUAD[name], name
        assert cameo[info["cameo"]]["plover_type"] == name, name
        assert list(info["mode_cameo"]) == info["modes"], name
        for code in info["mode_cameo"].values():
            assert code in cameo, (name, code)
        for target in info["mode_aliases"].values():
            assert target is None or target in info["modes"], name


def test_plover_modes_and_defaults(plover: dict[str, Any]) -> None:
    types = plover["types"]
    assert types["CONSULT"]["modes"] == ["visit", "third-party", "multilateral", "phone"]
    assert types["CONSULT"]["cameo"] == "040"
    assert types["CONSULT"]["mode_cameo"]["visit"] == "042"
    assert types["CONSULT"]["mode_cameo"]["phone"] == "041"
    assert types["ASSAULT"]["mode_cameo"]["aerial"] == "195"
    assert types["ASSAULT"]["cameo"] == "190"
    assert "targeted" in types["ASSAULT"]["modes"]
    assert "vandalize" in types["PROTEST"]["modes"]
    for name in ("AGREE", "SUPPORT", "CONCEDE", "COOPERATE", "AID"):
        assert types[name]["modes"] == [], name


def test_contexts_sectors_and_label_map(plover: dict[str, Any]) -> None:
    contexts = plover["contexts"]
    assert len(contexts) == len(set(contexts)) >= 30
    for name in ("military", "cbrn", "economic", "human_security", "pro_democracy", "trafficking"):
        assert name in contexts
    sectors = {s["code"]: s["name"] for s in plover["sectors"]}
    assert sectors["GOV"] == "government"
    assert {"COP", "MIL", "REB", "CVL", "JRN", "OPP", "UAF"} <= set(sectors)
    assert all(len(code) == 3 and name for code, name in sectors.items())
    label_map = plover["label_map_v05"]
    assert label_map["DEMAND"] == ["REQUEST"]
    assert label_map["DISAPPROVE"] == ["ACCUSE"]
    assert label_map["INVESTIGATE"] == ["ACCUSE"]
    assert label_map["FIGHT"] == ["ASSAULT"]
    assert label_map["YIELD"] == ["CONCEDE", "RETREAT"]
    for name in TYPES:
        assert label_map[name] == [name]
    for targets in label_map.values():
        assert set(targets) <= set(TYPES)


def test_label_map_covers_gsr_event_names(plover: dict[str, Any]) -> None:
    if not GSR.exists():
        pytest.skip(f"{GSR} is absent: shared data lives outside the repository")
    records = json.loads(GSR.read_text(encoding="utf-8"))
    names = {r["event"] for r in records} - {"DOCUMENT"}
    assert names <= set(plover["label_map_v05"])


# ----------------------------------------------------------------------------- triggers.yaml


def _strings(values: Any) -> bool:
    return isinstance(values, list) and all(
        isinstance(v, str) and v and v == v.strip() and v == v.lower() for v in values
    )


def test_triggers_shape(triggers: dict[str, Any], plover: dict[str, Any]) -> None:
    assert _strings(triggers["light_verbs"])
    entries = triggers["triggers"]
    assert entries
    for entry in entries:
        where = (entry.get("type"), entry.get("mode"), entry.get("cameo"))
        assert set(entry) <= TRIGGER_KEYS, where
        assert entry["type"] in plover["types"], where
        if "mode" in entry:
            assert entry["mode"] in plover["types"][entry["type"]]["modes"], where
        assert isinstance(entry["cameo"], str), where
        assert entry.get("verbs") or entry.get("nouns"), where
        for key in ("verbs", "nouns", "objects", "target_preps", "context"):
            if key in entry:
                assert _strings(entry[key]), (where, key)
                repeated = [w for w, n in Counter(entry[key]).items() if n > 1]
                assert not repeated, (where, key, repeated)
        if "objects" in entry:
            assert entry["objects"], where
        for ctx in entry.get("context", []):
            assert ctx in plover["contexts"], (where, ctx)
        if "swap_roles" in entry:
            assert isinstance(entry["swap_roles"], bool), where


def test_trigger_cameo_codes_exist(triggers: dict[str, Any], cameo: dict[str, dict[str, str]]) -> None:
    for entry in triggers["triggers"] + triggers["mode_cues"]:
        assert entry["cameo"] in cameo, entry["cameo"]


def test_mode_cues(triggers: dict[str, Any], plover: dict[str, Any]) -> None:
    for cue in triggers["mode_cues"]:
        assert set(cue) == {"type", "mode", "cameo", "words"}
        assert cue["mode"] in plover["types"][cue["type"]]["modes"]
        assert _strings(cue["words"])


def test_trigger_coverage(triggers: dict[str, Any], plover: dict[str, Any]) -> None:
    entries = triggers["triggers"]
    lemmas = sum(len(e.get("verbs", [])) + len(e.get("nouns", [])) for e in entries)
    assert lemmas >= 600
    assert {e["type"] for e in entries} == set(TYPES)
    covered = {(e["type"], e.get("mode")) for e in entries}
    for name, info in plover["types"].items():
        for mode in info["modes"]:
            if (name, mode) not in UNTRIGGERED_MODES:
                assert (name, mode) in covered, (name, mode)


@pytest.mark.parametrize(
    ("lemma", "kind", "ptype"),
    [("meet", "verbs", "CONSULT"), ("visit", "verbs", "CONSULT"), ("condemn", "verbs", "ACCUSE"),
     ("airstrike", "nouns", "ASSAULT"), ("hunger strike", "nouns", "PROTEST"),
     ("arrest", "verbs", "COERCE"), ("deploy", "verbs", "MOBILIZE"), ("urge", "verbs", "REQUEST"),
     ("threaten", "verbs", "THREATEN"), ("reject", "verbs", "REJECT"), ("praise", "verbs", "SUPPORT"),
     ("pledge", "verbs", "AGREE"), ("withdrawal", "nouns", "RETREAT"), ("concession", "nouns", "CONCEDE"),
     ("cooperate", "verbs", "COOPERATE"), ("donate", "verbs", "AID"), ("expel", "verbs", "SANCTION")],
)  # fmt: skip
def test_core_triggers_present(triggers: dict[str, Any], lemma: str, kind: str, ptype: str) -> None:
    assert any(e["type"] == ptype and lemma in e.get(kind, []) for e in triggers["triggers"])


# ----------------------------------------------------------------------------- status / contexts


def test_status_cues() -> None:
    status = _yaml(LEXICON / "status.yaml")
    assert set(status) == STATUSES
    for name, kinds in status.items():
        assert set(kinds) == STATUS_KINDS, name
        for kind, values in kinds.items():
            assert _strings(values) or values == [], (name, kind)
    assert "not" in status["negated"]["particles"]
    assert "no" in status["negated"]["particles"]
    assert "if" in status["conditional"]["particles"]
    assert "allegedly" in status["alleged"]["particles"]


def test_context_cues(plover: dict[str, Any]) -> None:
    contexts = _yaml(LEXICON / "contexts.yaml")
    assert list(contexts) == plover["contexts"]
    for name, words in contexts.items():
        assert _strings(words) and words, name
    assert "uranium" in contexts["cbrn"]


# ----------------------------------------------------------------------------- rebuild


@pytest.mark.shared
def test_rebuild_matches_committed(tmp_path: Path) -> None:
    if not REFERENCE.is_dir():
        pytest.skip(f"{REFERENCE} is absent: the reference files live outside the repository")
    out = tmp_path / "ontology"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--reference", str(REFERENCE), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    for name in ("cameo.tsv", "plover.json"):
        assert (out / name).read_bytes() == (ONTOLOGY / name).read_bytes(), name


@pytest.mark.shared
def test_goldstein_matches_gdelt_everywhere(cameo: dict[str, dict[str, str]]) -> None:
    table = REFERENCE / "cameo-goldstein-gdelt.txt"
    if not table.exists():
        pytest.skip(f"{table} is absent: the reference files live outside the repository")
    lines = table.read_text(encoding="utf-8").splitlines()[1:]
    gdelt = dict(line.split("\t") for line in lines if line.strip())
    for code, value in gdelt.items():
        assert float(cameo[code]["goldstein"]) == float(value), code
