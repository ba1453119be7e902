"""Convert PETRARCH/TABARI dictionaries into communique's knowledge format.

Two kinds of file:

* ``.actors`` dictionaries: a name line ``NAME_ [CODE]`` or with dated codes
  ``NAME_ [USAGOV 010120-050120] [IGOUNO >050501]``, then ``+ALIAS`` lines. A code is a
  3-letter country (or ``IGO``) followed by 3-letter sector codes; dates are ``YYMMDD``,
  ``>D`` from D, ``<D`` until D, ``D-D`` a range. Each dated code becomes one entry with
  ``start``/``end``, so the same name codes differently on different dates.
* agents dictionaries: ``FARMER [~AGR]`` lines (``!PERSON!`` macros expanded) become
  role entries: common nouns that give a sector.

The output is a YAML mapping ``{actors: [...], roles: [...]}`` usable with ``--actors``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from communique.lang import LANGUAGE, language_data

_CODE = re.compile(r"\[([^\]]*)\]")
_MACRO = re.compile(r"^!(\w+)!\s*=\s*(.+)$")
# CAMEO's international codes that PLOVER keeps as countries of their own.
_IGO_COUNTRY = {"UNO": "UNO", "EUR": "EUR"}
# A bare sector after a dated code ('[IGOUNO 820101-911231] [ELI]') continues the same actor.
_SECTOR_ONLY = frozenset({"ELI", "GOV", "MIL", "OPP", "REB", "LEG", "JUD", "PTY", "COP", "SPY", "CVL", "BUS"})
# Words of a name kept in lower case ('Bank of England'): data/lang/en/actors.yaml.
_SMALL_WORDS = language_data(LANGUAGE, "actors").words("name_small_words")


@dataclass
class ImportReport:
    actors: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # 'line N: reason'


def _date(raw: str) -> str | None:
    raw = raw.strip()
    if not re.fullmatch(r"\d{6}", raw):
        return None
    yy, mm, dd = int(raw[:2]), raw[2:4], raw[4:6]
    year = 1900 + yy if yy >= 30 else 2000 + yy  # TABARI's two-digit years span 1930-2029
    return f"{year}-{mm}-{dd}"


def _name(raw: str) -> str:
    words = raw.replace("_", " ").split()
    out = []
    for i, word in enumerate(words):
        low = word.lower()
        if i and low in _SMALL_WORDS:
            out.append(low)
        elif "." in word or len(word) <= 3 or (len(word) <= 4 and not re.search(r"[AEIOU]", word)):
            out.append(word)  # U.N., NATO-like acronyms stay as written
        else:
            out.append("-".join(part.capitalize() for part in low.split("-")))
    return " ".join(out)


def parse_code(code: str) -> tuple[str | None, list[str], str | None, str | None]:
    """'USAGOV 010120-050120' -> ('USA', ['GOV'], '2001-01-20', '2005-01-20')."""
    parts = code.split()
    if not parts or parts[0] in ("---", ""):
        return None, [], None, None
    body, when = parts[0].lstrip("~"), " ".join(parts[1:])
    start = end = None
    if when.startswith(">"):
        start = _date(when[1:])
    elif when.startswith("<"):
        end = _date(when[1:])
    elif "-" in when:
        a, _, b = when.partition("-")
        start, end = _date(a), _date(b)
    chunks = [body[i : i + 3] for i in range(0, len(body), 3)]
    if code.lstrip().startswith("~"):
        return None, chunks, start, end  # an agent code: sectors only
    country = chunks[0] if chunks else None
    sectors = chunks[1:]
    if country == "IGO":
        country = _IGO_COUNTRY.get(sectors[0], "IGO") if sectors else "IGO"
        if sectors and sectors[0] in _IGO_COUNTRY:
            sectors = sectors[1:]
    return country, sectors, start, end


def import_actors(lines: Iterable[str], source: str = "petrarch") -> ImportReport:
    """Parse an .actors dictionary (name lines, '+' alias lines, '#' comments)."""
    report = ImportReport()
    current: list[dict[str, Any]] = []
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("+"):
            alias = _name(line[1:].strip())
            for entry in current:
                if alias and alias != entry["name"] and alias not in entry["aliases"]:
                    entry["aliases"].append(alias)
            continue
        name_part = _CODE.split(line, maxsplit=1)[0].strip()
        codes = _CODE.findall(line)
        if not name_part:
            report.skipped.append(f"line {number}: no name")
            continue
        current = []
        for code in codes or []:
            country, sectors, start, end = parse_code(code)
            if country in _SECTOR_ONLY and not sectors and current:
                previous = current[-1]
                country, sectors, start = previous["country"], [country], previous["end"]
            if country is None and not sectors:
                continue
            current.append(
                {
                    "name": _name(name_part),
                    "aliases": [],
                    "country": country,
                    "sectors": sectors,
                    "kind": "organization",
                    "start": start,
                    "end": end,
                    "source": source,
                }
            )
        if not codes:
            # Names without codes inherit nothing: they are listed for completeness upstream.
            report.skipped.append(f"line {number}: {name_part!r} has no code")
        report.actors.extend(current)
    return report


def import_agents(lines: Iterable[str]) -> ImportReport:
    """Parse an agents dictionary into role entries."""
    report = ImportReport()
    macros: dict[str, list[str]] = {}
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        macro = _MACRO.match(line)
        if macro:
            macros[macro.group(1)] = [w.strip() for w in macro.group(2).split(",")]
            continue
        codes = _CODE.findall(line)
        term = _CODE.split(line, maxsplit=1)[0].strip()
        if not codes or not term:
            report.skipped.append(f"line {number}: not 'TERM [~SECTOR]'")
            continue
        _, sectors, _, _ = parse_code(codes[0])
        for expanded in _expand(term, macros):
            report.roles.append(
                {"terms": [expanded.replace("_", " ").strip().lower()], "sectors": sectors, "person": True}
            )
    return report


def _expand(term: str, macros: dict[str, list[str]]) -> Iterator[str]:
    match = re.search(r"!(\w+)!", term)
    if not match or match.group(1) not in macros:
        yield term.replace("!", "")
        return
    for word in macros[match.group(1)]:
        yield from _expand(term[: match.start()] + word + term[match.end() :], macros)


def import_file(path: str) -> ImportReport:
    """Either kind of dictionary, told apart by its lines ('[~' marks agents)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = handle.readlines()
    agents = sum(1 for line in lines if "[~" in line)
    coded = sum(1 for line in lines if "[" in line and "[~" not in line)
    return import_agents(lines) if agents > coded else import_actors(lines)
