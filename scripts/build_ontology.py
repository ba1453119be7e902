#!/usr/bin/env python3
"""Build the ontology tables ``cameo.tsv`` and ``plover.json`` from the reference files.

Inputs (all in ``--reference``, read-only):

* ``cameo-codes.csv``           CAMEO codes and their short names.
* ``cameo-goldstein-gdelt.txt`` GDELT's Goldstein values (authoritative for ``goldstein``).
* ``cameo-to-plover-2021.txt``  the official CAMEO -> PLOVER mapping (type, mode, context).
* ``PLOVER_MANUAL.tex``         PLOVER 2.0: event types, their modes and quad categories,
                                the general contexts and the sector codes.

Outputs (in ``--out``): ``cameo.tsv`` and ``plover.json``. The output is deterministic: the
same reference files always give byte-identical tables.

Normalisation of the 2021 mapping (documented here, applied in ``normalise_row``):

* whitespace around fields is stripped; several contexts are separated by ``;``;
* modes that PLOVER 2.0 renamed or dropped are rewritten with ``MODE_ALIASES`` (per type);
* context names not in the manual are rewritten with ``CONTEXT_ALIASES``;
* three rows are corrected in ``ROW_FIXES`` (a column shift and two modes the manual renamed);
* the event *type* of every row is kept exactly as the mapping gives it (e.g. 163 stays COERCE).

Codes the mapping does not list inherit type/mode/context from their nearest listed ancestor
(``0214`` -> ``021`` -> ``02``); codes of the dropped CAMEO roots 01 and 02 stay empty.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

TYPES: tuple[str, ...] = (
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
)

QUAD_NAMES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

# Mode names used by the 2021 mapping, the structured codebook or PLOVER 0.5 (the GSR file) that
# PLOVER 2.0 renamed or dropped. ``None`` means "no 2.0 mode".
MODE_ALIASES: dict[str, dict[str, str | None]] = {
    "CONSULT": {"host": "visit"},
    "RETREAT": {"ease": None, "return": None},
    "THREATEN": {
        "ban": "restrict",
        "political": "restrict",
        "rights": "restrict",
        "curfew": "restrict",
        "martial-law": "restrict",
    },
    "PROTEST": {
        "demo-org": "demo",
        "demo-spon": "demo",
        "riot-spon": "riot",
        "strike-gen": "strike",
        "strike-hun": "hunger",
    },
    "COERCE": {"ban": "restrict", "confiscate": "seize", "detain": "arrest", "destroy": "seize"},
    "ASSAULT": {
        "assassinate": "targeted",
        "execute": "targeted",
        "massacre": "targeted",
        "cleansing": None,
        "other": None,
    },
}

# Context names of the 2021 mapping that are not among the manual's general contexts.
CONTEXT_ALIASES: dict[str, str] = {
    "democracy": "pro_democracy",
    "humanitarian": "human_security",
}

# Row-level corrections: code -> (type, mode, contexts).
ROW_FIXES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # 175 "Use tactics of violent repression": the mapping has its columns shifted
    # (mode "pro_autocracy", context "military"); violent repression is the manual's
    # "repression" context, with no specific mode.
    "175": ("ASSAULT", "", ("repression",)),
    # 195 "Employ aerial weapons": the 2.0 manual has a dedicated "aerial" mode.
    "195": ("ASSAULT", "aerial", ("military",)),
    # 1712 "Destroy property": mapped to ASSAULT with the COERCE mode "seize"; 2.0 has "destroy".
    "1712": ("ASSAULT", "destroy", ("human_security",)),
}

# Default CAMEO code of each type when no mode is known (the code must map to that type).
TYPE_DEFAULT_CAMEO: dict[str, str] = {
    "AGREE": "030",
    "CONSULT": "040",
    "SUPPORT": "050",
    "CONCEDE": "080",
    "COOPERATE": "060",
    "AID": "070",
    "RETREAT": "084",
    "REQUEST": "100",
    "ACCUSE": "110",
    "REJECT": "120",
    "THREATEN": "130",
    "PROTEST": "140",
    "SANCTION": "160",
    "MOBILIZE": "150",
    "COERCE": "170",
    "ASSAULT": "190",
}

# Default CAMEO code of each (type, mode). Where CAMEO has a code for the mode in another root
# (resign -> 0831, convict -> 116) that code is used: it carries the right Goldstein value.
MODE_DEFAULT_CAMEO: dict[str, dict[str, str]] = {
    "CONSULT": {"visit": "042", "third-party": "044", "multilateral": "040", "phone": "041"},
    "RETREAT": {
        "withdraw": "0874",
        "release": "0841",
        "disarm": "0873",
        "ceasefire": "0871",
        "access": "086",
        "resign": "0831",
    },
    "REQUEST": {"assist": "101", "change": "104", "yield": "105", "meet": "106"},
    "ACCUSE": {"disapprove": "110", "investigate": "090", "allege": "112"},
    "REJECT": {"assist": "121", "change": "123", "yield": "124", "meet": "125"},
    "THREATEN": {
        "restrict": "1312",
        "arrest": "132",
        "relations": "1313",
        "expel": "136",
        "territory": "1382",
        "violence": "138",
    },
    "PROTEST": {
        "demo": "141",
        "riot": "145",
        "strike": "143",
        "hunger": "142",
        "boycott": "143",
        "obstruct": "144",
        "vandalize": "145",
    },
    "SANCTION": {"convict": "116", "expel": "166", "withdraw": "161", "discontinue": "162"},
    "MOBILIZE": {"troops": "154", "weapons": "150", "police": "153", "militia": "154"},
    "COERCE": {
        "seize": "171",
        "restrict": "172",
        "censor": "1721",
        "curfew": "1723",
        "martial-law": "1724",
        "arrest": "173",
        "deport": "174",
        "withhold": "170",
        "misinformation": "170",
        "cyber": "170",
    },
    "ASSAULT": {
        "abduct": "181",
        "beat": "182",
        "torture": "1822",
        "sexual": "1821",
        "targeted": "186",
        "destroy": "1712",
        "primitive": "180",
        "firearms": "193",
        "explosives": "183",
        "suicide-attack": "1831",
        "aerial": "195",
        "drone": "195",
        "heavy-weapons": "194",
        "crowd-control": "175",
        "unconventional": "204",
    },
}

# One short name per sector code (the codes themselves are read from the manual).
SECTOR_NAMES: dict[str, str] = {
    "COP": "police",
    "GOV": "government",
    "JUD": "judiciary",
    "LEG": "legislature",
    "MIL": "military",
    "PRM": "paramilitary",
    "PTY": "political party",
    "REB": "rebels",
    "SPY": "intelligence",
    "UAF": "unidentified armed forces",
    "UNK": "unidentified actor",
    "AGR": "agriculture",
    "BUS": "business",
    "CRM": "criminals",
    "CVL": "civilians",
    "EDU": "education",
    "ELI": "former officials",
    "JRN": "media",
    "LAB": "labour",
    "MED": "health",
    "REF": "refugees",
    "OPP": "opposition",
    "PRE": "partially recognized entity",
    "REL": "religion",
    "SOC": "civil society",
}

# PLOVER 0.5 (GSR file, PLV data) event names -> PLOVER 2.0 types. The 0.5 names were taken
# from the "event" field of PLOVER_GSR_CAMEO.txt plus YIELD, which PLOVER 0.5 used before it
# was split into CONCEDE and RETREAT. Every 2.0 type maps to itself.
LABEL_MAP_05: dict[str, list[str]] = {
    **{t: [t] for t in TYPES},
    "DEMAND": ["REQUEST"],
    "DISAPPROVE": ["ACCUSE"],
    "INVESTIGATE": ["ACCUSE"],
    "FIGHT": ["ASSAULT"],
    "YIELD": ["CONCEDE", "RETREAT"],
}

ROOT_QUAD: dict[str, int] = {
    **{f"{i:02d}": 1 for i in range(1, 6)},
    **{f"{i:02d}": 2 for i in range(6, 9)},
    **{f"{i:02d}": 3 for i in range(9, 14)},
    **{f"{i:02d}": 4 for i in range(14, 21)},
}

TSV_COLUMNS = (
    "code",
    "name",
    "goldstein",
    "quad_class",
    "root",
    "plover_type",
    "plover_mode",
    "plover_context",
)


class BuildError(RuntimeError):
    """The reference files do not have the expected shape."""


@dataclass(frozen=True)
class Mapping:
    type: str
    mode: str
    contexts: tuple[str, ...]


@dataclass(frozen=True)
class Manual:
    modes: dict[str, list[str]]
    quads: dict[str, int]
    contexts: list[str]
    sectors: list[str]
    international: list[tuple[str, str]]


# --------------------------------------------------------------------------- readers


def code_key(code: str) -> tuple[int, str]:
    """Sort CAMEO codes in the usual order: 01, 010, 011, ..., 02, 020, 0211, ..."""
    return (int(code[:2]), code)


def read_cameo_names(path: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["code"].strip()
            name = " ".join(row["name"].split())
            if not re.fullmatch(r"\d{2,4}", code) or not name:
                raise BuildError(f"{path.name}: bad row {row!r}")
            names[code] = name[0].upper() + name[1:]
    return names


def read_goldstein(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith("CAMEOEVENTCODE"):
        raise BuildError(f"{path.name}: missing header")
    for line in lines[1:]:
        if not line.strip():
            continue
        code, value = line.split("\t")
        values[code.strip()] = f"{float(value):.1f}"
    return values


def read_mapping(path: Path) -> dict[str, Mapping]:
    """Parse ``CODE: TYPE, mode, context # comment`` lines; the first line for a code wins."""
    rows: dict[str, Mapping] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        match = re.fullmatch(r"(\d{2,4}):\s*(.*)", line)
        if not match:
            continue
        code, rest = match.groups()
        fields = [f.strip() for f in rest.split(",")]
        fields += [""] * (3 - len(fields))
        if len(fields) > 3:
            raise BuildError(f"{path.name}: too many fields in {raw!r}")
        ptype, mode, context = fields
        contexts = tuple(c.strip() for c in context.split(";") if c.strip())
        rows.setdefault(code, Mapping(ptype, mode, contexts))
    return rows


def _section_bodies(tex: str) -> dict[str, str]:
    """Body text of every ``\\section{NAME}`` of the manual, keyed by NAME."""
    parts = re.split(r"\\section\{([^}]*)\}", tex)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _table_names(body: str) -> list[str]:
    """First-column entries of the ``Name & Content`` table in a section body."""
    match = re.search(r"Name\s*&\s*Content\s*\\\\(.*?)\\end\{tabular\}", body, re.S)
    if not match:
        return []
    names: list[str] = []
    for line in match.group(1).splitlines():
        line = line.strip()
        if not line or line.startswith("%") or line.startswith("\\hline") or "&" not in line:
            continue
        name = line.split("&", 1)[0].strip()
        if name:
            names.append(name)
    return names


def read_manual(path: Path) -> Manual:
    tex = path.read_text(encoding="utf-8")
    sections = _section_bodies(tex)
    modes: dict[str, list[str]] = {}
    quads: dict[str, int] = {}
    quad_by_name = {name.upper(): num for num, name in QUAD_NAMES.items()}
    for ptype in TYPES:
        body = sections.get(ptype)
        if body is None:
            raise BuildError(f"manual: no section for {ptype}")
        modes[ptype] = _table_names(body)
        qmatch = re.search(r"\\subsection\{Quad category:\s*([A-Z ]+)\}", body)
        if not qmatch:
            raise BuildError(f"manual: no quad category for {ptype}")
        quads[ptype] = quad_by_name[qmatch.group(1).strip()]

    ctx_match = re.search(r"\\label\{tab:general-contexts\}(.*?)\\end\{longtable\}", tex, re.S)
    if not ctx_match:
        raise BuildError("manual: general contexts table not found")
    contexts: list[str] = []
    for line in ctx_match.group(1).splitlines():
        line = line.strip()
        if "&" not in line or line.startswith(("%", "\\hline", "Name")):
            continue
        cell = line.split("&", 1)[0].strip()
        link = re.fullmatch(r"\\hyperref\[[^\]]*\]\{(.*)\}", cell)
        name = (link.group(1) if link else cell).replace("\\_", "_").strip()
        if re.fullmatch(r"[a-z_]+", name):
            contexts.append(name)

    sec_match = re.search(r"\\label\{tab:roles\}(.*?)\\end\{longtable\}", tex, re.S)
    if not sec_match:
        raise BuildError("manual: sector code table not found")
    sectors = re.findall(r"^\s*([A-Z]{3})\s*&", sec_match.group(1), re.M)

    ngo_match = re.search(r"Code & Name \\\\(.*?)\\end\{tabular\}", tex, re.S)
    international: list[tuple[str, str]] = []
    if ngo_match:
        for code, name in re.findall(r"^\s*([A-Z]{3})\s*&\s*(.*?)\s*\\\\", ngo_match.group(1), re.M):
            international.append((code, name))
    return Manual(modes, quads, contexts, sectors, international)


# --------------------------------------------------------------------------- building


def normalise_row(code: str, row: Mapping, manual: Manual) -> Mapping:
    if code in ROW_FIXES:
        ptype, mode, contexts = ROW_FIXES[code]
        return Mapping(ptype, mode, contexts)
    mode = row.mode
    aliases = MODE_ALIASES.get(row.type, {})
    if mode in aliases:
        mode = aliases[mode] or ""
    contexts = tuple(dict.fromkeys(CONTEXT_ALIASES.get(c, c) for c in row.contexts))
    if row.type and row.type not in TYPES:
        raise BuildError(f"mapping {code}: unknown type {row.type!r}")
    if mode and mode not in manual.modes[row.type]:
        raise BuildError(f"mapping {code}: {row.type} has no mode {mode!r}; add it to MODE_ALIASES")
    for ctx in contexts:
        if ctx not in manual.contexts:
            raise BuildError(f"mapping {code}: unknown context {ctx!r}; add it to CONTEXT_ALIASES")
    return Mapping(row.type, mode, contexts)


def inherited(code: str, mapping: dict[str, Mapping]) -> Mapping:
    """The mapping row of ``code`` or of its nearest listed ancestor."""
    for length in range(len(code), 1, -1):
        row = mapping.get(code[:length])
        if row is not None:
            return row
    return Mapping("", "", ())


def goldstein_of(code: str, goldstein: dict[str, str], names: dict[str, str]) -> str:
    """GDELT value of ``code``, else of its nearest ancestor (e.g. 1213 is absent from GDELT)."""
    for length in range(len(code), 1, -1):
        if code[:length] in goldstein:
            return goldstein[code[:length]]
    raise BuildError(f"no Goldstein value for {code} ({names.get(code)})")


def build_cameo_rows(reference: Path, manual: Manual) -> list[dict[str, str]]:
    names = read_cameo_names(reference / "cameo-codes.csv")
    goldstein = read_goldstein(reference / "cameo-goldstein-gdelt.txt")
    raw = read_mapping(reference / "cameo-to-plover-2021.txt")
    mapping = {code: normalise_row(code, row, manual) for code, row in raw.items()}
    rows: list[dict[str, str]] = []
    for code in sorted(set(names) | set(goldstein), key=code_key):
        if code not in names:
            raise BuildError(f"GDELT code {code} has no CAMEO name")
        row = inherited(code, mapping)
        rows.append(
            {
                "code": code,
                "name": names[code],
                "goldstein": goldstein_of(code, goldstein, names),
                "quad_class": str(ROOT_QUAD[code[:2]]),
                "root": code[:2],
                "plover_type": row.type,
                "plover_mode": row.mode,
                "plover_context": ";".join(row.contexts),
            }
        )
    return rows


def build_plover(manual: Manual, cameo: dict[str, dict[str, str]]) -> dict[str, object]:
    types: dict[str, object] = {}
    for ptype in TYPES:
        default = TYPE_DEFAULT_CAMEO[ptype]
        if cameo.get(default, {}).get("plover_type") != ptype:
            raise BuildError(f"default CAMEO {default} of {ptype} does not map to {ptype}")
        modes = manual.modes[ptype]
        mode_cameo = MODE_DEFAULT_CAMEO.get(ptype, {})
        if sorted(mode_cameo) != sorted(modes):
            raise BuildError(f"{ptype}: MODE_DEFAULT_CAMEO {sorted(mode_cameo)} != manual modes {modes}")
        for mode, code in mode_cameo.items():
            if code not in cameo:
                raise BuildError(f"{ptype}/{mode}: unknown CAMEO code {code}")
        aliases = MODE_ALIASES.get(ptype, {})
        types[ptype] = {
            "quad_class": manual.quads[ptype],
            "cameo": default,
            "modes": modes,
            "mode_cameo": {mode: mode_cameo[mode] for mode in modes},
            "mode_aliases": {old: aliases[old] for old in sorted(aliases)},
        }
    missing = set(SECTOR_NAMES) ^ set(manual.sectors)
    if missing:
        raise BuildError(f"sector codes differ between the manual and SECTOR_NAMES: {sorted(missing)}")
    return {
        "version": "2.0",
        "generated_by": "scripts/build_ontology.py",
        "quad_classes": {str(k): v for k, v in QUAD_NAMES.items()},
        "types": types,
        "contexts": manual.contexts,
        "sectors": [{"code": code, "name": SECTOR_NAMES[code]} for code in manual.sectors],
        "international_entities": [{"code": c, "name": n} for c, n in manual.international],
        "label_map_v05": LABEL_MAP_05,
    }


def render_tsv(rows: list[dict[str, str]]) -> str:
    lines = ["\t".join(TSV_COLUMNS)]
    for row in rows:
        values = [row[col] for col in TSV_COLUMNS]
        if any("\t" in v or "\n" in v for v in values):
            raise BuildError(f"tab or newline in {values!r}")
        lines.append("\t".join(values))
    return "\n".join(lines) + "\n"


def build(reference: Path, out: Path) -> tuple[Path, Path]:
    manual = read_manual(reference / "PLOVER_MANUAL.tex")
    rows = build_cameo_rows(reference, manual)
    plover = build_plover(manual, {row["code"]: row for row in rows})
    out.mkdir(parents=True, exist_ok=True)
    tsv_path = out / "cameo.tsv"
    json_path = out / "plover.json"
    tsv_path.write_text(render_tsv(rows), encoding="utf-8")
    json_path.write_text(json.dumps(plover, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return tsv_path, json_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reference",
        type=Path,
        default=REPO_ROOT.parent / "shared" / "reference",
        help="folder with the reference files (default: ../shared/reference)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / "src" / "communique" / "data" / "ontology",
        help="output folder (default: src/communique/data/ontology)",
    )
    args = parser.parse_args(argv)
    if not args.reference.is_dir():
        print(f"reference folder not found: {args.reference}", file=sys.stderr)
        return 2
    try:
        paths = build(args.reference, args.out)
    except BuildError as exc:
        print(f"build_ontology: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
