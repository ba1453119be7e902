#!/usr/bin/env python3
"""Build ``src/communique/data/actors/factbook.jsonl``: actor entries derived from the CIA World Factbook.

Reads the Factbook mirror (``--factbook DIR``, ``<region>/<fips>.json``, CC0) and writes one actor entry
per line in the format of docs/knowledge.md (``name, aliases, country, sectors, role, kind, start, end,
source``) with ``source: "factbook"``:

* chief of state, head of government (and the officials who represent an absent chief of state)
  with their titles and "since" dates -> ``[GOV]`` persons; former leaders named in the executive
  notes -> ``[ELI]`` persons;
* the legislature and its named chambers -> ``[LEG]``; the highest courts -> ``[JUD]``;
* political parties (with the abbreviations given, "... or PRI") -> ``[PTY]``, their leaders where
  given -> ``[PTY]`` persons;
* military and security forces -> ``[MIL]``; police, gendarmeries and interior-ministry forces ->
  ``[COP]``; intelligence services -> ``[SPY]``; pro-government militias -> ``[PRM]``;
* the groups of the "Terrorism" section -> ``[REB]`` (armed groups) or ``[CRM]`` (cartels and gangs),
  coded to the country they are from (``group_home`` in ``factbook_overrides.yaml``) or, for
  transnational groups, ``null``.

FIPS file names are mapped to ISO 3166 alpha-3 codes by ``build_countries.match_fips``; the country
table (``--countries``, the committed countries.jsonl by default) provides adjectives and the names
that must never become an actor's alias.  The output is sorted and deterministic::

    .venv/bin/python scripts/build_factbook.py [--factbook ../shared/data/factbook] [--out FILE]
"""

from __future__ import annotations

import argparse
import calendar
import importlib.util
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTORS_DIR = ROOT / "src" / "communique" / "data" / "actors"
DEFAULT_OUT = ACTORS_DIR / "factbook.jsonl"
DEFAULT_COUNTRIES = ACTORS_DIR / "countries.jsonl"
DEFAULT_OVERRIDES = Path(__file__).with_name("factbook_overrides.yaml")


def _load_build_countries() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_countries", Path(__file__).with_name("build_countries.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_countries", module)
    spec.loader.exec_module(module)
    return module


bc = _load_build_countries()
clean_html = bc.clean_html
fb_text = bc.fb_text
split_top = bc.split_top
strip_parens = bc.strip_parens
ascii_fold = bc.ascii_fold

# ---------------------------------------------------------------------------- vocabularies

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

#: Words that make up titles ("Supreme Leader", "Governor General", "Co-Vice President" ...).
# fmt: off
TITLE_WORDS = frozenset({
    "President", "Vice", "Co-Vice", "Prime", "Minister", "Ministers", "Premier", "Chancellor", "King",
    "Queen", "Emperor", "Empress", "Sultan", "Amir", "Emir", "Prince", "Princess", "Crown", "Grand", "Duke",
    "Duchess", "Co-prince", "Archbishop", "Pope", "Lord", "Governor", "Governor-General", "General",
    "Lieutenant", "Lieutenant-Governor", "Administrator", "Superior", "Commissioner", "High", "Chief",
    "Executive", "Secretary", "State", "Foreign", "Political", "Affairs", "Supreme", "Leader", "Transition",
    "Transitional", "Interim", "Acting", "Caretaker", "Chairperson", "Chairman", "Chair", "Chairwoman",
    "Presidency", "Council", "Cabinet", "Sovereign", "Commander-in-Chief", "Commander", "Armed", "Forces",
    "Presidential", "Leadership", "Mayor", "Island", "Captains", "Captain", "Regent", "Prefect",
    "Territorial", "Assembly", "Government", "Taoiseach", "Counselor", "Counsellor", "Commission",
    "Bailiff", "Deputy", "First", "Second", "Federal", "National", "Republic", "People's", "Pontifical",
    "Governorate", "Confederation", "Federation", "Commonwealth", "Presidium", "Yuan", "Taliban", "Mann",
    "Overall", "Heir", "Apparent", "Head", "Ruler", "Custodian", "Holy", "Mosques", "Ulu", "Safeguard",
    "Homeland", "Homeland's", "Union", "Directory"
})
# fmt: on

#: Honorifics and ranks: dropped from names; a military rank adds MIL to a person's sectors.
HONORIFICS = frozenset({"Dr.", "Sir", "Dame", "Ratu", "Sr.", "Mr.", "Mrs.", "Ms.", "Hon."})
# fmt: off
RANKS = frozenset({
    "Col.", "Gen.", "Capt.", "Lt.", "Maj.", "Brig.", "Adm.", "General", "Colonel", "Captain", "Marshal",
    "Air", "Vice-Marshal", "Field"
})
# fmt: on

#: Lower-case name particles ("bin", "al-", "da", "van" ...).
# fmt: off
PARTICLES = frozenset({
    "al", "el", "d", "bin", "bint", "ibn", "ibni", "de", "da", "das", "do", "dos", "del", "der", "van",
    "von", "la", "le", "di", "du", "y", "e", "i", "ben", "ould", "ag", "ter", "den"
})
# fmt: on

ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")

#: Hand-curated inputs (news spellings of leaders, organisation news names, home countries of groups,
#: stoplists) live in ``scripts/factbook_overrides.yaml``: data, not code (see the comments there).
OVERRIDES: dict[str, Any] = yaml.safe_load(DEFAULT_OVERRIDES.read_text(encoding="utf-8")) or {}

#: Names English news uses for some leaders, keyed by the name this script derives from the Factbook;
#: the derived name stays an alias.
NEWS_NAMES: dict[str, tuple[str, list[str]]] = {
    derived: (spec["name"], list(spec.get("aliases") or []))
    for derived, spec in (OVERRIDES.get("news_names") or {}).items()
}

#: Extra aliases (and optionally a news name) for organisations, keyed by (country, derived name).
ORG_NEWS_NAMES: dict[tuple[str | None, str], tuple[str | None, list[str]]] = {
    (spec.get("country"), spec["name"]): (spec.get("news_name"), list(spec.get("aliases") or []))
    for spec in OVERRIDES.get("org_news_names") or []
}

#: Home country of terrorist groups listed by several countries' files (None = transnational).
GROUP_HOME: dict[str, str | None] = dict(OVERRIDES.get("group_home") or {})

#: Spelling variants of group names across files, mapped to one key.
GROUP_SPELLINGS: dict[str, str] = dict(OVERRIDES.get("group_spellings") or {})

#: Groups whose names contain one of these fragments are criminal (CRM), not armed groups (REB).
CRIMINAL_GROUP = re.compile(
    "|".join(re.escape(f) for f in OVERRIDES.get("criminal_group") or []) or r"(?!)", re.I
)

#: Surface forms that are never an actor's alias (international organisations, generic words).
BLOCKED_ALIASES = frozenset(OVERRIDES.get("blocked_aliases") or [])

#: One-word aliases of people that are common English words or given names ("Friday", "Man", "Ali").
NAME_STOPLIST = frozenset(OVERRIDES.get("name_stoplist") or [])

#: Words of generic institution and force names ("National Assembly", "Air Force", "Supreme Court").
# fmt: off
GENERIC_WORDS = frozenset({
    "parliament", "national", "assembly", "congress", "senate", "house", "of", "representatives",
    "legislative", "council", "federal", "legislature", "supreme", "court", "constitutional", "high",
    "justice", "cassation", "appeal", "appeals", "the", "chamber", "deputies", "people's", "general",
    "consultative", "shura", "tribunal", "state", "republic", "grand", "great", "union", "administrative",
    "final", "judicial", "judicature", "superior", "and", "courts", "military", "royal", "ground", "land",
    "naval", "air", "force", "forces", "army", "navy", "defense", "defence", "aerospace", "special",
    "operations", "marine", "marines", "corps", "coast", "guard", "component", "command", "police",
    "gendarmerie", "cyber", "reserve", "reserves", "territorial", "space", "strategic", "missile", "troops",
    "internal", "security", "border", "militia", "wing", "service", "services", "presidential",
    "republican", "home", "regiment", "unit", "units", "public", "order", "rapid", "intervention", "civil",
    "protection", "fire", "brigade", "maritime", "riverine", "elements", "mobile", "volunteer",
    "volunteers", "division", "directorate", "emergency", "response", "counterterrorism", "intelligence",
    "health", "engineering", "logistics", "support", "infantry", "aviation", "self-defense", "self-defence",
    "airborne", "rocket", "information", "electronic", "systems", "unmanned", "assault", "specialized",
    "arm", "medical", "components", "commands", "cyberspace", "joint", "immigration", "customs"
})
# fmt: on

# ---------------------------------------------------------------------------- entries


@dataclass
class Entry:
    name: str
    country: str | None
    sectors: list[str]
    kind: str
    role: str | None = None
    start: str | None = None
    end: str | None = None
    aliases: list[str] = field(default_factory=list)
    key: str | None = None

    def add_aliases(self, items: Iterable[str]) -> None:
        for item in items:
            item = re.sub(r"\s+", " ", item).strip(" ,;:")
            if item and item not in self.aliases:
                self.aliases.append(item)


class Table:
    """Collects entries, merging those with the same (country, kind, name)."""

    def __init__(self, blocked: set[str]) -> None:
        self.entries: dict[tuple[str | None, str, str, str | None], Entry] = {}
        self.blocked = blocked

    def add(self, entry: Entry) -> Entry:
        key = (entry.country, entry.kind, entry.key or entry.name.casefold(), None)
        if entry.kind != "person":
            key = (entry.country, entry.kind, entry.name.casefold(), None)
        old = self.entries.get(key)
        if old is None:
            self.entries[key] = entry
            return entry
        old.add_aliases(entry.aliases)
        for sector in entry.sectors:
            if sector not in old.sectors:
                old.sectors.append(sector)
        old.start = old.start or entry.start
        return old

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for entry in self.entries.values():
            aliases = set()
            for alias in [*entry.aliases, entry.name]:
                for form in (alias, ascii_fold(alias)):
                    if form and form != entry.name and form not in self.blocked and len(form) > 1:
                        if entry.kind == "person" and form in NAME_STOPLIST:
                            continue
                        aliases.add(form)
            rows.append(
                {
                    "name": entry.name,
                    "aliases": sorted(aliases, key=lambda s: (s.casefold(), s)),
                    "country": entry.country,
                    "sectors": entry.sectors,
                    "role": entry.role,
                    "kind": entry.kind,
                    "start": entry.start,
                    "end": entry.end,
                    "source": "factbook",
                }
            )
        rows.sort(
            key=lambda r: (
                r["country"] or "~",
                r["kind"],
                r["name"].casefold(),
                r["name"],
                r["role"] or "",
                r["start"] or "",
                r["sectors"],
            )
        )
        return rows


# ---------------------------------------------------------------------------- helpers


def parse_date(text: str) -> str | None:
    """'4 June 1989' -> '1989-06-04'; 'April 2018' -> '2018-04-01'; '1997' -> '1997-01-01'."""
    text = text.strip().rstrip(".,")
    m = re.search(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", text)
    if m and m.group(2).lower() in MONTHS:
        return f"{int(m.group(3)):04d}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    m = re.search(r"([A-Za-z]+)\.?\s+(\d{1,2}),\s+(\d{4})", text)
    if m and m.group(1).lower() in MONTHS:
        return f"{int(m.group(3)):04d}-{MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    m = re.search(r"([A-Za-z]+)\s+(\d{4})", text)
    if m and m.group(1).lower() in MONTHS:
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}-01"
    m = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
    return f"{m.group(1)}-01-01" if m else None


def is_caps(token: str) -> bool:
    """True for a Factbook upper-case surname token: 'KHAMENEI', 'Hoseini-KHAMENEI', 'DÉBY', 'McDONALD'."""
    token = token.strip(",.;:\"'")
    if "." in token:  # initials "J.M."
        return False
    for part in re.split(r"[-'’]", token):
        core = re.sub(r"^(?:Mc|Mac)", "", part)
        letters = [c for c in core if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            return True
    return False


def title_part(part: str, first: bool) -> str:
    letters = [c for c in part if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters if c.isalpha() and c.lower() != c.upper()):
        m = re.fullmatch(r"(Mc|Mac)([A-Z]{2,})", part)
        return m.group(1) + m.group(2).capitalize() if m else part
    if ROMAN.fullmatch(part) and part and not first:
        return part
    if part.lower() in PARTICLES and not first:
        return part.lower()
    return part.capitalize()


def title_token(token: str, first: bool) -> str:
    """'Hoseini-KHAMENEI' -> 'Hoseini-Khamenei'; "O'BRIEN" -> "O'Brien"; 'BIN' -> 'bin' (inside a name)."""
    out: list[str] = []
    pieces = re.split(r"([-'’])", token)
    for i, piece in enumerate(pieces):
        if piece in {"-", "'", "’"}:
            out.append(piece)
            continue
        if i >= 2 and pieces[i - 1] in {"'", "’"} and len(pieces[i - 2]) > 1:
            # apostrophe inside a word ("MULI'AKA'AKA"): continue the word in lower case
            out.append(piece.lower() if is_caps(piece) else piece)
            continue
        out.append(title_part(piece, first and i == 0))
    return "".join(out)


def words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text.strip()) if w]


# ---------------------------------------------------------------------------- people


@dataclass
class Person:
    name: str
    role: str | None
    aliases: list[str]
    start: str | None
    end: str | None
    military: bool
    role_country_text: str


def _extract_parens(text: str) -> tuple[str, list[str]]:
    """Remove top-level parentheses and return (text without them, their contents)."""
    out: list[str] = []
    contents: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch == "(":
            if depth == 0:
                cur = []
            else:
                cur.append(ch)
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                contents.append("".join(cur).strip())
                out.append(" ")
            else:
                cur.append(ch)
        elif depth:
            cur.append(ch)
        else:
            out.append(ch)
    return re.sub(r"\s+", " ", "".join(out)).strip(), contents


def parse_person(segment: str, default_role: str | None, country_words: set[str]) -> Person | None:
    """One 'Title Given SURNAME (since date)' segment -> Person (None when no name is found)."""
    segment = segment.strip().strip(";,")
    prefix = ""
    m = re.match(r"^(.*?)\b(?:is|are)\s+represented by\s+", segment)
    if m:
        prefix, segment = m.group(1), segment[m.end() :]
    segment = re.sub(r"^(?:and\s+)?(?:is\s+)?represented by\s+", "", segment)
    segment = re.sub(r"^and\s+", "", segment)
    segment = segment.replace("[so-called] ", "")
    text, parens = _extract_parens(segment)
    start = end = None
    extra_aliases: list[str] = []
    military = False
    role_hint: str | None = None
    for paren in parens:
        since = re.search(r"\bsince\s+([^;,]+)", paren)
        period = re.search(r"for the period (.+?)\s+-\s+(.+)$", paren)
        if period:
            start, end = parse_date(period.group(1)), parse_date(period.group(2))
        elif since:
            start = start or parse_date(since.group(1))
            hint = re.match(r"([a-z][a-z ]+?)\s+since", paren)
            if hint:
                role_hint = hint.group(1)
        elif re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", paren):
            start = parse_date(paren)
        elif re.match(r"also spelled\s+", paren):
            extra_aliases.append(_proper(re.sub(r"^also spelled\s+", "", paren)))
        elif paren in RANKS or paren.rstrip(".") + "." in RANKS:
            military = True
        elif re.fullmatch(r"[A-Z][a-z]+", paren):
            extra_aliases.append(f"@nick:{paren}")
    text = re.sub(r"\bnote\s*-.*$", "", text).strip(" ;,")
    nickname = re.search(r"\"([^\"]+)\"", text)
    if nickname:
        extra_aliases.append(f"@nick:{nickname.group(1)}")
        text = text.replace(nickname.group(0), " ")
    suffix = ""
    m = re.search(r"(?<=[A-Z]{2}),?\s+(Jr\.|Sr\.|Jr)(?=\s|$)", text)
    if m:
        suffix = " Jr."
        text = (text[: m.start()] + text[m.end() :]).strip()
    text = re.sub(r",\s+RN\b.*$", "", text)  # "Commander Andrew WILLIAMS, RN, the officer commanding ..."
    toks = words(text)
    # the surname: the first upper-case token not followed by a title word (GNU Interim Prime Minister ...)
    idx = None
    for i, tok in enumerate(toks):
        if is_caps(tok):
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            if tok.isupper() and len(tok) <= 5 and nxt in TITLE_WORDS:
                continue  # an acronym in the title
            if tok in {"UK", "US", "EU", "UN"}:
                continue
            idx = i
            break
    if idx is None:
        return _parse_plain_name(toks, default_role, start, end)
    # upper-case run (the name the person is known by), with regnal numbers
    j = idx
    while j < len(toks) and (
        is_caps(toks[j])
        or (j > idx and ROMAN.fullmatch(toks[j].strip(",;")))
        or (toks[j].lower() in PARTICLES and j + 1 < len(toks) and is_caps(toks[j + 1]) and j > idx)
    ):
        j += 1
    caps_run = toks[idx:j]
    # trailing name tokens: up to a lower-case word that is not a particle
    k = j
    while k < len(toks):
        tok = toks[k]
        bare = tok.strip(",;")
        if not bare or bare.lower() in {"of", "is", "was", "and", "has", "the"}:
            break
        first_part = re.split(r"[-'’]", bare)[0]
        if bare[0].islower() and first_part.lower() not in PARTICLES:
            break
        k += 1
        if tok.endswith((",", ";")):
            break
    trailing = [title_token(t.strip(",;"), first=False) if is_caps(t) else t.strip(",;") for t in toks[j:k]]
    # given names: walk back from the surname over non-title words
    g = idx
    while g > 0:
        prev = toks[g - 1]
        if prev.endswith(","):
            break
        if prev in TITLE_WORDS or prev.lower() in {"of", "the", "and", "for"}:
            break
        if prev in country_words:
            b = g - 1
            while b > 0 and toks[b - 1] in country_words:
                b -= 1
            if b > 0 and toks[b - 1].lower() in {"of", "the"}:
                break
        if prev in HONORIFICS or prev in RANKS:
            break
        if prev[:1].islower() and re.split(r"[-'’]", prev)[0].lower() not in PARTICLES:
            break
        g -= 1
    given = toks[g:idx]
    head = toks[:g]
    # ranks/honorifics at the end of the title belong to the person, not the role
    while head and (head[-1] in HONORIFICS or head[-1] in RANKS):
        if head[-1] == "General" and len(head) > 1 and head[-2] == "Governor":
            break
        if head[-1] in RANKS and not any(t.startswith("Governor") for t in head):
            military = True
        head.pop()
    while head and head[0][:1].islower():
        head.pop(0)
    role = " ".join(head).strip(" ,;") or None
    if role and re.fullmatch(r"(?:and|the|of)", role):
        role = None
    if role is None:
        role = role_hint.capitalize() if role_hint else default_role
    given_clean = [t for t in given if t not in HONORIFICS]
    caps_names = [title_token(t.strip(",;"), first=(n == 0)) for n, t in enumerate(caps_run)]
    known_as = " ".join(caps_names)
    # the upper-case parts alone: 'Hoseini-KHAMENEI' -> 'Khamenei'; a particle before them: 'Le COCQ'
    short_parts = [title_token(p, first=True) for p in re.split(r"-", caps_run[0]) if is_caps(p)]
    short = (
        " ".join([*short_parts, *caps_names[1:]])
        if short_parts
        and len(caps_run[0].split("-")) > 1
        and not all(is_caps(p) for p in caps_run[0].split("-"))
        else None
    )
    if given and given[-1].lower() in PARTICLES:
        known_as = f"{given[-1]} {known_as}"
        caps_names = [given[-1], *caps_names]
        given = given[:-1]
        given_clean = [t for t in given if t not in HONORIFICS]
    full = " ".join([*given_clean, *caps_names, *trailing]).strip() + suffix
    canonical = full
    if (
        given_clean
        and trailing
        and trailing[0][:1].isupper()
        and trailing[0].split("-")[0].lower() not in PARTICLES
    ):
        canonical = " ".join([*given_clean, *caps_names]) + suffix  # "Claudia SHEINBAUM Pardo"
    aliases = [full, canonical]
    regnal = bool(caps_run) and ROMAN.fullmatch(caps_run[-1]) is not None and len(caps_run) > 1
    if not regnal:
        aliases.append(known_as)
    if short:
        aliases.append(short)
    plain_given = [t for t in given_clean if not re.fullmatch(r"(?:[A-Z]\.)+", t)]
    if plain_given:
        aliases.append(" ".join([*plain_given, *caps_names]) + suffix)
        aliases.append(f"{plain_given[0]} {known_as}")
        aliases.append(f"{plain_given[-1]} {known_as}")
        if short:
            aliases.append(f"{plain_given[0]} {short}")
    for alias in extra_aliases:
        if alias.startswith("@nick:"):
            nick = alias[6:].strip()
            nick = (
                nick[0].upper() + nick[1:].lower()
                if nick.isupper() or re.search(r"[a-z][A-Z]", nick)
                else nick
            )
            aliases.append(f"{nick} {known_as}")
        else:
            aliases.append(alias)
    if role and re.match(
        r"(King|Queen|Emperor|Sultan|Amir|Emir|Pope|Prince|Grand Duke|Crown Prince)\b", role
    ):
        title = re.match(r"(King|Queen|Emperor|Sultan|Amir|Emir|Pope|Prince|Grand Duke|Crown Prince)", role)
        assert title
        aliases.append(f"{title.group(1)} {known_as}")
        if regnal:
            aliases.append(f"{title.group(1)} {' '.join(caps_names[:-1])}")
    return Person(canonical, role, aliases, start, end, military, prefix)


def _proper(text: str) -> str:
    return " ".join(title_token(t, first=(i == 0)) for i, t in enumerate(words(text)))


def _parse_plain_name(
    toks: list[str], default_role: str | None, start: str | None, end: str | None
) -> Person | None:
    """A name without an upper-case surname ('Ahmad al-Shara''): accepted only when it looks like one."""
    name_toks = [t for t in toks if t not in HONORIFICS]
    if not 2 <= len(name_toks) <= 4:
        return None
    if any(t in TITLE_WORDS for t in name_toks):
        return None
    if not all(t[:1].isupper() or t.split("-")[0].lower() in PARTICLES for t in name_toks):
        return None
    name = " ".join(name_toks)
    return Person(name, default_role, [name, name_toks[-1]], start, end, False, "")


def split_people(text: str) -> list[str]:
    """Split an executive field into one segment per person."""
    text = re.sub(r";\s*also spelled\s+([^(;]+)", r" (also spelled \1)", text)
    text = re.sub(r",\s*(represented by)", r"; \1", text)
    text = re.sub(r";\s*also referred to as [^(;]+", " ", text)
    segments: list[str] = []
    for part in split_top(text, ";"):
        # "Captains Regent Matteo ROSSI and Lorenzo BUGLI": split on 'and' after a complete name
        pieces = re.split(r"\s+and\s+(?=(?:[A-Z][\w.'-]*\s+){0,3}[A-Z]{2,})", part)
        buf = ""
        for piece in pieces:
            candidate = f"{buf} and {piece}" if buf else piece
            if any(is_caps(t) for t in words(strip_parens(candidate))):
                segments.append(candidate)
                buf = ""
            else:
                buf = candidate
        if buf:
            segments.append(buf)
    return segments


# ---------------------------------------------------------------------------- organisations


def org_names(text: str) -> tuple[str, list[str]]:
    """'Islamic Revolutionary Guard Corps (IRGC or Sepah)' -> (name, aliases).  Lower-case parentheses
    (descriptions: 'includes marines', 'consists of ...') are dropped; 'aka X' and capitalised ones
    (local names, acronyms) become aliases; 'X or Y' gives alias Y.  A parenthesis inside a name is a
    variant: 'Labor (Labour) Party' -> alias 'Labour Party'; 'Burma (People's) Police Force' -> alias
    "Burma People's Police Force"."""
    text = text.strip().strip(" ;,:").replace(")(", ") (")
    aliases: list[str] = []
    inner = re.search(r"(\S+) \(((?:or )?[^()]+)\) (?=[A-Z])", text)
    if inner:
        word, content = inner.group(1), inner.group(2)
        before, after = text[: inner.start()], text[inner.end() :]
        rest = strip_parens(after)
        if content.startswith("or "):
            aliases.append(f"{before}{content[3:]} {rest}")
        elif " " not in content and content[:1] == word[:1]:
            aliases.append(f"{before}{content} {rest}")
        elif content[:1].isupper():
            aliases.append(f"{before}{word} {content} {rest}")
        text = f"{before}{word} {after}"
    main, parens = _extract_parens(text)
    for paren in parens:
        aliases.extend(_paren_aliases(paren))
    main = main.strip(" ;,:-").replace('"', "").replace(")", "").strip()
    parts = [p.strip() for p in re.split(r"\s+or\s+", main) if p.strip()]
    if not parts:
        return "", []
    name = parts[0]
    aliases.extend(parts[1:])
    return name, aliases


ACRONYM = re.compile(r"[A-Z][A-Za-z0-9.+&-]{0,11}")


def _paren_aliases(paren: str) -> list[str]:
    paren = paren.strip()
    if not paren:
        return []
    out: list[str] = []
    for piece in re.split(r";", paren):
        piece = re.split(r",\s*(?=[a-z])(?!the |or |and )", piece.strip())[0].strip()  # "PLAN, includes ..."
        if not piece:
            continue
        aka = re.match(r"(?:aka|also known as|formerly(?: known as)?|formerly the)\s+(.*)", piece)
        if aka:
            piece = aka.group(1)
        elif piece[:1].islower() or re.match(r"(?:see|note)\b", piece):
            continue
        piece = strip_parens(piece).replace("[", "").replace("]", "")
        commas = [c.strip() for c in piece.split(",")]
        if (
            " or " in piece
            or (
                len(commas) > 1
                and sum(c.isupper() for c in commas[-1]) >= 2
                and ACRONYM.fullmatch(commas[-1])
            )
            or all(ACRONYM.fullmatch(c) for c in commas)
        ):
            subs = [x.strip() for x in re.split(r",|\s+or\s+|/(?=[A-Z])", piece) if x.strip()]
        else:
            if any(c[:1].islower() for c in commas):
                continue
            subs = [piece.strip()]
        subs = [re.sub(r"^(?:(?:aka|or|the)\s+)+", "", x) for x in subs]
        if any(x[:1].islower() and not x.startswith(("al-", "la ", "l'", "le ", "el ")) for x in subs):
            continue
        if any(re.fullmatch(r"\d{4}", x) for x in subs):
            continue
        out.extend(x for x in subs if len(x) <= 80)
    return out


def is_generic(name: str) -> bool:
    toks = [t.lower().strip(",.()") for t in words(name)]
    return bool(toks) and all(t in GENERIC_WORDS for t in toks)


#: Words that end the name of a court and start prose ("Supreme Court consists of ...").
# fmt: off
PROSE_WORDS = frozenset({
    "consists", "consist", "includes", "include", "is", "are", "was", "has", "have", "decides", "serves",
    "deals", "sits", "normally", "organized", "which", "with", "heard", "resides", "calls", "-", "--"
})
# fmt: on

#: Interior-type ministries: the forces under them are police (COP) unless they are intelligence.
INTERIOR = re.compile(
    r"interior|home affairs|internal affairs|public security|internal security|"
    r"homeland security|police|security and|justice|national security|of security|"
    r"territorial administration|public order|government\b|ministry of security|"
    r"social security|internal administration",
    re.I,
)
SPY_WORDS = re.compile(
    r"intelligence|state security|security service|secret service|mukhabarat|mabahith|"
    r"counterintelligence|national security agency|security services|"
    r"committee for national security|committee on national security|KNB|FSB|"
    r"directorate of intelligence|preventive security",
    re.I,
)
COP_WORDS = re.compile(
    r"police|gendarm|carabin|constabulary|guardia civil|civil guard|marechaussee|"
    r"law enforcement|public security|internal troops|border guard|border police|"
    r"border service|border troops|frontier|rangers|internal security|security forces "
    r"command|facilities (?:protection|security)|emergency (?:forces|response)|"
    r"\bguard of the republic|public order|nomadic guard|civil defense|rapid action|surete nationale|"
    r"sûreté nationale|delegation for national security|immigration",
    re.I,
)
PRM_WORDS = re.compile(
    r"paramilitary|militia|popular mobilization|volunteer|defense league|"
    r"home guard|homeland defense|self-defense militia|auxiliary forces|ansars|"
    r"village defense|popular committee",
    re.I,
)


def force_sectors(name: str, desc: str, head: str) -> list[str]:
    own = f"{name} {desc}"
    under_interior = bool(head) and bool(INTERIOR.search(head)) and not re.search(r"defen[cs]e", head, re.I)
    if re.search(r"intelligence", own, re.I) or SPY_WORDS.search(name):
        return ["SPY"]
    if re.search(r"national guard", name, re.I):
        return ["COP", "MIL"] if under_interior else ["MIL", "COP"]
    if COP_WORDS.search(own) and not re.search(r"military police", own, re.I):
        return (
            ["COP", "MIL"]
            if re.search(r"gendarm|carabin|marechaussee", own, re.I) and not under_interior
            else ["COP"]
        )
    if re.search(r"military police", own, re.I):
        return ["MIL", "COP"]
    if PRM_WORDS.search(own):
        return ["PRM"]
    if under_interior:
        return ["COP"]
    if SPY_WORDS.search(head or ""):
        return ["SPY"]
    return ["MIL"]


def ministry_sectors(head: str) -> list[str] | None:
    if not re.match(
        r"(?:the\s+)?(?:[A-Z][\w'’.]*\s+)*(?:Ministry|Secretariat|Department|Committee|State Security|"
        r"Office|Presidency)",
        head,
    ):
        return None
    if re.search(r"intelligence|state security|national security|committee", head, re.I):
        return (
            ["SPY", "GOV"]
            if re.search(r"intelligence|state security|committee", head, re.I)
            else ["GOV", "COP"]
        )
    if re.search(r"defen[cs]e|navy|national guard", head, re.I):
        return ["GOV", "MIL"]
    if INTERIOR.search(head):
        return ["GOV", "COP"]
    return ["GOV"]


# ---------------------------------------------------------------------------- builder


class Builder:
    def __init__(self, countries: list[dict[str, Any]]) -> None:
        self.countries = {c["iso3"]: c for c in countries}
        blocked = set(BLOCKED_ALIASES)
        self.country_words: set[str] = set()
        self.country_forms: list[tuple[str, str]] = []
        for c in countries:
            forms = [c["name"], *c["aliases"], *c["adjectives"], *c["capitals"]]
            blocked.update(forms)
            blocked.update(c["demonyms"])
            for form in [c["name"], *c["aliases"], *c["adjectives"]]:
                if len(form) > 2 and form[:1].isupper():
                    self.country_forms.append((form, c["iso3"]))
                    self.country_words.update(w for w in words(form) if w[:1].isupper())
        self.country_forms.sort(key=lambda fc: -len(fc[0]))
        self.table = Table(blocked)
        self.log: list[str] = []
        self.represented: set[str] = set()  # entities whose chief of state is represented by someone

    # -- helpers
    def adjectives(self, iso3: str | None) -> list[str]:
        """The country's adjectives, the most usual first ('Iranian'; 'American' before 'US')."""
        if not iso3 or iso3 not in self.countries:
            return []
        country = self.countries[iso3]
        name = country["name"]

        def rank(adj: str) -> tuple[int, int, str]:
            common = 0
            for a, b in zip(adj, name, strict=False):
                if a != b:
                    break
                common += 1
            return (0 if re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", adj) else 1, -common, adj)

        adjectives = sorted((a for a in country["adjectives"] if a[:1].isupper()), key=rank)
        return adjectives or [name]

    def adjective(self, iso3: str | None) -> str | None:
        adjectives = self.adjectives(iso3)
        return adjectives[0] if adjectives else None

    def country_in(self, text: str) -> str | None:
        best: tuple[int, int, str] | None = None
        for form, iso3 in self.country_forms:
            m = re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text)
            if m and (best is None or (m.start(), -len(form)) < (best[0], best[1])):
                best = (m.start(), -len(form), iso3)
        return best[2] if best else None

    def org(
        self,
        name: str,
        aliases: list[str],
        country: str | None,
        sectors: list[str],
        kind: str = "organization",
        role: str | None = None,
    ) -> Entry | None:
        name = re.sub(r"\s+", " ", name).strip(" ,;:-–")
        name = re.sub(r"^(?:the|The)\s+(?=[A-Z])", "", name) if not name.startswith("The Left") else name
        if not name or len(name) < 2 or name.casefold() in {"none", "other"}:
            return None
        if _is_prose(name):
            return None
        key = (country, name)
        if key in ORG_NEWS_NAMES:
            news, extra = ORG_NEWS_NAMES[key]
            aliases = [*aliases, *extra, name]
            name = news or name
        adjectives = self.adjectives(country)[:4]
        fixed: list[str] = []
        for alias in aliases:
            if is_generic(alias):  # "Land Forces" alone would match any country's
                fixed.extend(f"{a} {alias}" for a in adjectives)
            else:
                fixed.append(alias)
        aliases = fixed
        if is_generic(name):
            aliases = [*aliases, *(f"{a} {name}" for a in adjectives)]
        entry = Entry(name, country, list(sectors), kind, role)
        entry.add_aliases(a for a in aliases if a and a != name)
        return self.table.add(entry)

    def person(self, person: Person, country: str | None, sectors: list[str]) -> Entry:
        name, extra = NEWS_NAMES.get(person.name, (person.name, []))
        if person.military and "MIL" not in sectors:
            sectors = [*sectors, "MIL"]
        if (
            person.role
            and re.search(r"Commander|Armed Forces|Military", person.role)
            and "MIL" not in sectors
        ):
            sectors = [*sectors, "MIL"]
        entry = Entry(name, country, list(sectors), "person", person.role, person.start, person.end)
        toks = [t for t in words(ascii_fold(name).casefold()) if not ROMAN.fullmatch(t.upper())]
        entry.key = f"{toks[0][:1]}|{toks[-1]}" if toks else None
        entry.add_aliases([*person.aliases, *extra, person.name])
        return self.table.add(entry)

    # -- sections
    def executive(
        self, iso3: str, doc: dict[str, Any], people: dict[str, list[tuple[str, Person, bool]]]
    ) -> None:
        branch = doc.get("Government", {}).get("Executive branch", {})
        current_surnames: set[str] = set()
        for key, default_role in (
            ("chief of state", "Chief of State"),
            ("head of government", "Head of Government"),
            ("state counsellor", "State Counsellor"),
        ):
            text = fb_text(branch.get(key))
            if not text:
                continue
            arrested = re.search(r"under arrest since ([^;)]+)", text)
            text = re.split(r";?\s*\bnote\b\s*[-:]", text)[0]
            formers = re.split(r";\s*(?=former\b)", text)
            text = formers[0]
            for extra in formers[1:]:
                self.former(iso3, extra)
            role: str | None = None
            found: list[Person] = []
            for segment in split_people(text):
                represented = "represented by" in segment
                seg_default = (
                    "Representative of the Chief of State" if represented else (role or default_role)
                )
                person = parse_person(segment, seg_default, self.country_words)
                if person is None:
                    continue
                if person.role and not represented:
                    role = person.role
                current_surnames.update(words(person.name)[-1:])
                if arrested:  # "State Counselor AUNG SAN SUU KYI (...); note - under arrest since ..."
                    person.role = f"former {person.role}"
                    person.end = parse_date(arrested.group(1))
                    self.person(person, iso3, ["ELI"])
                    continue
                people[person.name].append((iso3, person, represented))
                found.append(person)
            # "Captains Regent Matteo ROSSI and Lorenzo BUGLI (for the period ...)": the dates are shared
            for this, nxt in itertools.pairwise(found):
                if this.start is None and this.role == nxt.role:
                    this.start, this.end = nxt.start, nxt.end
        note = fb_text(branch.get("note"))
        if note:
            self.former(iso3, note, skip=current_surnames)

    def former(self, iso3: str, text: str, skip: Iterable[str] = ()) -> None:
        """Former leaders named in executive notes ('former President Bashar al-ASAD') -> ELI."""
        skip = set(skip)
        pattern = re.compile(
            r"(?:former|deposed|ousted|late)[ -]+((?:[A-Z][\w-]*\s+|(?:prime|vice)\s+)?"
            r"(?:[Pp]resident|[Pp]rime [Mm]inister|[Pp]remier|[Kk]ing|[Qq]ueen|[Cc]hancellor|[Ll]eader)\s+"
            r"(?:[A-Z][\w'.-]*\s+){0,3}(?:[a-z]+-)?[A-Z]{2,}[\w'-]*(?:\s+[A-Z][\w'-]*)?)"
            r"|(?:death of|abdication of)\s+((?:President|King|Queen|Prime Minister)\s+"
            r"(?:[A-Z][\w'.-]*\s+){0,3}[A-Z]{2,}[\w'-]*)"
            r"|((?:Queen|King)\s+[A-Z]{2,}(?:\s+[IVX]+)?)\s+abdicated"
        )
        name_re = r"(?:[A-Z][\w'.-]*\s+){0,3}(?:[a-z]+-)?[A-Z]{2,}[\w'-]*(?:\s+[A-Z][a-z][\w'-]*)?"
        for m in re.finditer(rf"removed ({name_re}) from (?:his|her) position", text):
            person = parse_person(m.group(1), "former leader", self.country_words)
            if person and words(person.name)[-1] not in skip:
                person.start = person.end = None
                self.person(person, iso3, ["ELI"])
        for m in re.finditer(
            rf"(?:in ([A-Z][a-z]+ \d{{4}}), )?({name_re}) was elected (general secretary of the "
            r"[^;,]*?Party[^;,]*?)(?=[;,.]|$|, the)",
            text,
        ):
            person = parse_person(m.group(2), None, self.country_words)
            if person and words(person.name)[-1] not in skip:
                person.role = m.group(3)[0].upper() + m.group(3)[1:]
                person.start = parse_date(m.group(1)) if m.group(1) else None
                self.person(person, iso3, ["GOV", "PTY"])
        for m in pattern.finditer(text):
            chunk = next(g for g in m.groups() if g)
            chunk = re.sub(r"^(?:[Pp]resident|[Pp]rime [Mm]inister)", lambda x: x.group(0).title(), chunk)
            person = parse_person(chunk, None, self.country_words)
            if person is None or words(person.name)[-1] in skip:
                continue
            role = person.role
            person.role = f"former {role}" if role else "former leader"
            person.start = person.end = None
            self.person(person, iso3, ["ELI"])

    def assign_people(
        self, people: dict[str, list[tuple[str, Person, bool]]], sovereign: set[str], un_members: set[str]
    ) -> None:
        """One entry per person: a head of state who appears in several files (King Charles III in every
        realm, the French president in French territories) belongs to the state not represented by
        someone else; representatives belong to the state named in their title, else to their file."""
        for name, occurrences in sorted(people.items()):
            direct = [(iso3, p) for iso3, p, represented in occurrences if not represented]
            for iso3, p, represented in occurrences:
                if represented:
                    country = self.country_in(p.role or "") or self.country_in(p.role_country_text) or iso3
                    self.person(p, country, ["GOV"])
            if not direct:
                continue
            if len({iso3 for iso3, _ in direct}) == 1:
                for iso3, p in direct:
                    self.person(p, iso3, ["GOV"])
                continue
            # the person heads several entities: pick the sovereign one, preferring one not represented
            countries = sorted({iso3 for iso3, _ in direct})
            ranked = sorted(
                countries, key=lambda c: (c not in un_members, c not in sovereign, c in self.represented, c)
            )
            home = ranked[0]
            for iso3, p in direct:
                if iso3 == home:
                    self.person(p, home, ["GOV"])
            self.log.append(f"person {name!r} in {countries} -> {home}")

    def legislature(self, iso3: str, doc: dict[str, Any]) -> None:
        branch = doc.get("Government", {}).get("Legislative branch", {})
        for key in ("legislature name", "chamber name"):
            text = fb_text(branch.get(key))
            if not text:
                continue
            text = text.replace("Legislative Council or LegCo", "Legislative Council (LegCo)")
            for part in re.split(r"\s+and the\s+", text):
                main, parens = _extract_parens(part)
                alts = [a.strip() for a in re.split(r"\s+-\s+", main) if a.strip()]
                if not alts:
                    continue
                name, aliases = org_names(alts[0] + "".join(f" ({p})" for p in parens))
                aliases += alts[1:]
                for paren in parens:
                    aliases.extend(a.strip() for a in re.split(r"\s+-\s+", paren) if a.strip()[:1].isupper())
                self.org(name, aliases, iso3, ["LEG"])

    def courts(self, iso3: str, doc: dict[str, Any]) -> None:
        text = fb_text(doc.get("Government", {}).get("Judicial branch", {}).get("highest court(s)"))
        if not text:
            return
        for part in split_top(text, ";"):
            if part[:1].islower():
                part = strip_parens(part)
                for m in re.finditer(
                    r"\b((?:[A-Z][\w'’-]*\s+)+(?:Court|Tribunal)(?:\s+of(?:\s+the)?(?:\s+[A-Z][\w'’-]*)+)?)"
                    r"(?:\s*\(([A-Z]{2,6})\))?",
                    part,
                ):
                    if re.search(r"Privy Council|Caribbean Court", m.group(1)):
                        continue
                    self.org(m.group(1), [m.group(2)] if m.group(2) else [], iso3, ["JUD"])
                continue
            main, parens = _extract_parens(part)
            toks = words(main)
            keep: list[str] = []
            for tok in toks:
                if tok.strip(',"').lower() in PROSE_WORDS:
                    break
                keep.append(tok)
            while keep and keep[-1].lower() in {"and", "or", "of", "the"}:
                keep.pop()
            main = " ".join(keep).strip(" ,")
            for court in re.split(
                r"\s+and the\s+|,\s+(?=(?:\S+\s+){0,3}(?:Court|Tribunal|Council)\b)|\s+includes\s+", main
            ):
                court = re.sub(r"^[A-Z][\w ]*'s\s+", "", court)
                name, aliases = org_names(court)
                if (
                    "," in name and aliases and "," not in aliases[-1]
                ):  # "Joint Court of Justice of Aruba, ..."
                    name, aliases = aliases[-1], [*aliases[:-1], name]
                aliases += [p for p in parens if re.fullmatch(r"[A-Z]{2,6}", p)]
                if re.search(r"Court|Tribunal|Council|Curia|Raad|Hof|Judicature|Cassation", name):
                    self.org(name, aliases, iso3, ["JUD"])

    def parties(self, iso3: str, doc: dict[str, Any]) -> None:
        raw = doc.get("Government", {}).get("Political parties", {})
        text = fb_text(raw)
        if not text:
            return
        lines: list[str] = []
        for line in text.split("\n"):  # a parenthesis may run over several lines
            if lines and lines[-1].count("(") > lines[-1].count(")"):
                lines[-1] += " " + line
            else:
                lines.append(line)
        for line in lines:
            line = re.sub(r"\s+", " ", line).strip()
            if not line or line[:1].islower() or (line.endswith(":") and len(words(line)) <= 4):
                continue
            if re.match(r"(?:none|no |other|note|there are)", line, re.I):
                continue
            line = re.split(r";\s*(?:note|coalition|includes|formerly)?", line)[0].rstrip(":").strip()
            line = re.sub(r"^Coalition of [^-–]+[-–]\s+", "", line)
            line = re.sub(r"\s+-\s+also known as (?:the )?(.+)$", r" (aka \1)", line)
            pieces = (
                [line]
                if "(" in line
                else re.split(r",\s+(?=(?:[A-Z][\w'’-]*\s+){1,5}(?:Party|Front|Movement|Alliance)\b)", line)
            )
            if len(pieces) > 1:
                for piece in pieces:
                    self.org(strip_parens(piece), [], iso3, ["PTY"])
                continue
            leaders = re.findall(r"\[([^\]]+)\]", line)
            line = re.sub(r"\[[^\]]*\]", " ", line).strip()
            main, parens = _extract_parens(line)
            main = re.sub(r"\s+coalition$", "", main)
            # "Labor (Labour) Party": a one-word parenthesis inside the name is a spelling variant
            variant = re.search(r"(\b[A-Z][\w'-]*) \(([A-Z][\w'-]*)\)(?= [A-Z\w])", line)
            name, aliases = org_names(main)
            for paren in parens:
                aliases.extend(_paren_aliases(paren))
            if variant:
                aliases.append(name.replace(variant.group(1), variant.group(2), 1))
                aliases = [a for a in aliases if a != variant.group(2)]
            if len(words(name)) > 14 or not name:
                continue
            entry = self.org(
                name,
                [a for a in aliases if a not in {"Northern Ireland", "Scotland", "Wales"}],
                iso3,
                ["PTY"],
            )
            for leader in leaders:
                for seg in re.split(r",|\band\b", leader):
                    person = parse_person(seg, "party leader", self.country_words)
                    if person and entry:
                        person.role = f"leader of the {entry.name}"
                        self.person(person, iso3, ["PTY"])

    def forces(self, iso3: str, doc: dict[str, Any], non_state: bool = False) -> None:
        """Military and security forces.  ``non_state``: the forces of a non-state authority (the Gaza
        Strip file lists HAMAS's) are coded REB."""
        section = doc.get("Military and Security", {}).get("Military and security forces", {})
        text = fb_text(section)
        notes = fb_text(section.get("note")) if isinstance(section, dict) else ""
        if not text:
            return
        text = re.sub(r"\s*\((?:19|20)\d{0,2}\)\s*$", "", text)
        self._forces: dict[str, Entry] = {}
        self._non_state = non_state
        created: list[Entry] = []
        for segment in text.split("\n"):
            segment = segment.strip()
            if not segment:
                continue
            if (
                segment[:1].islower()
                or re.match(r"(?:no regular|no military|per the|PA forces)", segment)
                or re.search(
                    r"\b(?:is|are|has|have|maintains|operates|reports|serves|provides|was|were)\b",
                    strip_parens(segment),
                )
            ):
                created += self._prose_forces(iso3, segment)
                continue
            head = ""
            for clause in split_top(segment, ";"):
                if clause[:1].islower():
                    created += self._prose_forces(iso3, clause)
                    continue
                colon = _top_colon(clause)
                if colon is not None:
                    head, items_text = clause[:colon].strip(), clause[colon + 1 :].strip()
                    created += self._force_head(iso3, head)
                else:
                    items_text = clause
                for item in split_top(items_text, ","):
                    item = re.sub(r"^(?:and|the)\s+", "", item.strip())
                    if not item or item[:1].islower():
                        continue
                    created += self._force_item(iso3, item, head)
        # acronyms given only in the notes: "the Border Security Force (BSF) is responsible ..."
        for entry in created:
            for m in re.finditer(rf"{re.escape(entry.name)} \(([A-Z][A-Za-z-]{{1,9}})\)", notes):
                entry.add_aliases([m.group(1)])

    def _force(self, iso3: str, name: str, aliases: list[str], sectors: list[str]) -> Entry | None:
        """Add a force, or return the one of this country already known by that name or alias."""
        if re.search(r"\bFire\b|Firefight|Sapeurs|Fire and Rescue", name):
            return None
        for form in [name, *aliases]:
            if form in self._forces:
                self._forces[form].add_aliases([a for a in [name, *aliases] if a != self._forces[form].name])
                return self._forces[form]
        if self._non_state:
            sectors = ["REB"]
        entry = self.org(name, aliases, iso3, sectors)
        if entry:
            for form in [entry.name, *entry.aliases]:
                self._forces.setdefault(form, entry)
        return entry

    def _force_head(self, iso3: str, head: str) -> list[Entry]:
        name, aliases = org_names(head)
        if not name or name[:1].islower():
            return []
        if name in self._forces:
            return []
        sectors = ministry_sectors(name)
        if sectors is None:
            if not re.search(
                r"Force|Army|Navy|Police|Guard|Corps|Military|Defen[cs]e|Security|Intelligence|"
                r"Gendarmerie|Troops",
                name,
            ) or re.search(r"forces under|other security", name, re.I):
                return []
            sectors = force_sectors(name, "", "")
        entry = self._force(iso3, name, aliases, sectors)
        return [entry] if entry else []

    def _force_item(self, iso3: str, item: str, head: str) -> list[Entry]:
        main, parens = _extract_parens(item)
        # "Air Defense forces organized into ...": the name ends at the first lower-case word
        toks = words(main)
        cut = next(
            (
                i
                for i, t in enumerate(toks)
                if t[:1].islower() and t not in {"of", "the", "and", "for", "de", "la", "del", "du", "des"}
            ),
            None,
        )
        if cut is not None:
            item = " ".join(toks[:cut]) + "".join(f" ({p})" for p in parens)
        desc = " ".join(p for p in parens if p[:1].islower())
        name, aliases = org_names(item)
        name = re.sub(r"^the\s+", "", name).strip()
        if not name or name[:1].islower() or len(words(name)) > 12:
            return []
        head_name, head_aliases = org_names(head) if head else ("", [])
        sectors = force_sectors(name, desc, head_name)
        if is_generic(name):
            acronym = next(
                (a for a in [head_name, *head_aliases] if re.fullmatch(r"[A-Z][A-Z0-9-]{1,8}", a)), None
            )
            national = (
                not head_name
                or bool(ministry_sectors(head_name))
                or bool(re.search(r"Armed Forces|Defen[cs]e Force|Military|National Army", head_name))
            )
            adjectives = self.adjectives(iso3)
            if acronym and not national:
                name = f"{acronym} {name}"  # "IRGC Navy"
            elif adjectives:
                aliases = [*aliases, *(f"{a} {name}" for a in adjectives[1:])]
                name = f"{adjectives[0]} {name}"  # "Iranian Navy"
        created = []
        entry = self._force(iso3, name, aliases, sectors)
        if entry:
            created.append(entry)
        # "(includes US Marine Corps or USMC)": named sub-units
        for paren in parens:
            m = re.match(r"includes\s+(.*)", paren)
            if not m:
                continue
            for sub in split_top(m.group(1), ","):
                sub = re.sub(r"^(?:and|the)\s+", "", sub.strip())
                if sub[:1].isupper() and not is_generic(strip_parens(sub).split(" or ")[0]):
                    sub_name, sub_aliases = org_names(sub)
                    if sub_name and len(words(sub_name)) <= 8:
                        sub_entry = self._force(
                            iso3, sub_name, sub_aliases, force_sectors(sub_name, "", head_name)
                        )
                        if sub_entry:
                            created.append(sub_entry)
        return created

    def _prose_forces(self, iso3: str, text: str) -> list[Entry]:
        """Named forces in a sentence ('the Mauritius Police Force (MPF) under the Ministry of ...')."""
        created = []
        keyword = (
            r"(?:Forces|Force|Army|Navy|Police|Guard|Gendarmerie|Corps|Service|Services|Militia|Brigades|"
            r"Command|Troops|Constabulary|Regiment|Agency|Organization|Directorate|Department|Bureau)\b"
        )
        pattern = re.compile(
            rf"((?:[A-Z][\w'’.-]*\s+)(?:(?:of|the|and|for|de|la|du|des|della|al-[\w-]+)\s+|[A-Z][\w'’.-]*\s+)*?"
            rf"{keyword}(?:\s+{keyword})*(?:\s+of(?:\s+the)?(?:\s+[A-Z][\w'’-]*)+)?)(?:\s*\(([^()]*)\))?"
        )
        for m in pattern.finditer(text):
            for part in re.split(r"\s+and the\s+", m.group(1)):
                name = re.sub(r"^(?:The|A|An|PA)\s+", "", part).strip()
                if is_generic(name) or name.startswith(("Ministry", "No ")):
                    continue
                aliases = (
                    _paren_aliases(m.group(2))
                    if m.group(2) and part == m.group(1).split(" and the ")[-1]
                    else []
                )
                entry = self._force(iso3, name, aliases, force_sectors(name, m.group(2) or "", ""))
                if entry:
                    created.append(entry)
        return created

    def terrorism(self, docs: dict[str, dict[str, Any]], mapping: dict[str, str | None]) -> None:
        listed: dict[str, dict[str, Any]] = {}
        for fips, doc in sorted(docs.items()):
            iso3 = mapping.get(fips)
            text = fb_text(doc.get("Terrorism", {}).get("Terrorist group(s)"))
            if not text or _is_prose(text):
                continue
            for raw in split_top(text, ";"):
                raw = raw.strip()
                if re.search(r"\b(?:such as|have|has|operated|operate|are|is)\b", raw):
                    continue
                pieces = split_top(raw, ",") if raw.count(",") and "(" not in raw.split(",")[0] else [raw]
                for piece in pieces:
                    if _is_prose(piece) or len(words(piece)) > 20:
                        continue
                    self._collect_group(piece, iso3, listed)
        for key, info in sorted(listed.items()):
            homes = sorted(c for c in info["countries"] if c)
            if key in GROUP_HOME:
                home = GROUP_HOME[key]
            elif len(homes) == 1:
                home = homes[0]
            else:
                home = self.country_in(key)
                self.log.append(f"group {key!r} listed by {homes} -> {home}")
            name = key
            if key == "Islamic Revolutionary Guard Corps":
                self.org("Qods Force", [], "IRN", ["MIL"])
                continue
            if name != "Islamic State of Iraq and ash-Sham":
                info["aliases"].discard("ISIS")
            sectors = ["CRM"] if CRIMINAL_GROUP.search(" ".join([name, *info["aliases"]])) else ["REB"]
            self.org(name, sorted(info["aliases"]), home, sectors, kind="group")

    def _collect_group(self, piece: str, iso3: str | None, listed: dict[str, dict[str, Any]]) -> None:
        piece = piece.replace("’", "'").strip()
        name, aliases = org_names(piece)
        name = name.replace("’", "'")
        name = re.sub(r"\s+[–—-]\s+|\s*[–—]\s*", " - ", name)
        name = re.sub(r"ash-Sham-(?=[A-Z])", "ash-Sham - ", name)
        name = re.sub(r"\s*/\s*Qods Force$", "", name)
        name = re.sub(r"\s+in\s+the\s+Philippines$", "", name)
        name = GROUP_SPELLINGS.get(name, name)
        if name == "Jama" or not name:
            return
        name = next((known for known in listed if known.casefold() == name.casefold()), name)
        info = listed.setdefault(name, {"countries": set(), "aliases": set()})
        info["countries"].add(iso3)
        info["aliases"].update(a for a in aliases if a not in {"aka"})

    def european_union(self, doc: dict[str, Any]) -> None:
        gov = doc.get("Government", {})
        text = fb_text(gov.get("Executive branch"))
        institution = None
        for line in text.split("\n"):
            m = re.match(r"(European Council|Council of the European Union|European Commission)\s*-", line)
            if m:
                institution = m.group(1)
                self.org(institution, [], "EUR", ["GOV"])
            m = re.match(r"president:\s*([A-Z][^(]+?)\s*\(since ([^)]+)\)", line)
            if m and institution:
                name = m.group(1).strip()
                person = Person(
                    name,
                    f"President of the {institution}",
                    [name, words(name)[-1] if " von der " not in name else "von der Leyen"],
                    parse_date(m.group(2)),
                    None,
                    False,
                    "",
                )
                self.person(person, "EUR", ["GOV"])
        legislature = gov.get("Legislative branch", {})
        self.org("European Parliament", ["EP"], "EUR", ["LEG"])
        self.org("Council of the European Union", ["Council of the EU", "EU Council"], "EUR", ["GOV", "LEG"])
        for m in re.finditer(r"President, ([A-Z][\w]+ [A-Z]{2,}[\w]*)", fb_text(legislature.get("note"))):
            person = parse_person(m.group(1), "President of the European Parliament", self.country_words)
            if person:
                self.person(person, "EUR", ["LEG"])
        courts = fb_text(gov.get("Judicial branch", {}).get("highest court(s)"))
        if "Court of Justice of the European Union" in courts:
            self.org(
                "Court of Justice of the European Union",
                ["CJEU", "European Court of Justice", "ECJ"],
                "EUR",
                ["JUD"],
            )
        for line in fb_text(gov.get("Political parties")).split("\n"):
            name, aliases = org_names(line.replace("&", "&"))
            if name:
                self.org(name, aliases, "EUR", ["PTY"])


def _is_prose(text: str) -> bool:
    """Starts with a lower-case word (but not an Arabic article: 'al-Qa'ida')."""
    return text[:1].islower() and not re.match(r"(?:al|el|an|ad|as|at|ash)-", text)


def _top_colon(text: str) -> int | None:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ":" and depth == 0:
            return i
    return None


def load_countries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build(factbook: Path, countries_path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    docs = bc.load_factbook(factbook)
    mapping, _ = bc.match_fips(docs)
    countries = load_countries(countries_path)
    builder = Builder(countries)
    sovereign = bc.sovereign_codes(docs, mapping)
    un_members = {mapping[f] for f, d in docs.items() if mapping.get(f) and bc.is_un_member(d)}
    people: dict[str, list[tuple[str, Person, bool]]] = defaultdict(list)
    for fips, doc in sorted(docs.items()):
        iso3 = mapping.get(fips)
        if fips == "ee":
            builder.european_union(doc)
            continue
        if not iso3:
            continue
        chief = fb_text(doc.get("Government", {}).get("Executive branch", {}).get("chief of state"))
        if "represented by" in chief:
            builder.represented.add(iso3)
        builder.executive(iso3, doc, people)
        builder.legislature(iso3, doc)
        builder.courts(iso3, doc)
        builder.parties(iso3, doc)
        builder.forces(iso3, doc, non_state=fips == "gz")
    builder.assign_people(people, sovereign, un_members)
    builder.terrorism(docs, mapping)
    return builder.table.rows(), builder.log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factbook", type=Path, default=bc.DEFAULT_FACTBOOK, help="Factbook mirror folder")
    parser.add_argument("--countries", type=Path, default=DEFAULT_COUNTRIES, help="countries.jsonl to use")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSONL file")
    parser.add_argument("--verbose", "-v", action="store_true", help="print the assignment log")
    args = parser.parse_args(argv)
    if not args.factbook.is_dir():
        print(f"Factbook not found at {args.factbook}: cannot build", file=sys.stderr)
        return 2
    rows, log = build(args.factbook, args.countries)
    bc.write_jsonl(rows, args.out)
    counts = Counter(r["sectors"][0] for r in rows)
    print(
        f"wrote {len(rows)} entries to {args.out}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    if args.verbose:
        print("\n".join(log))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
