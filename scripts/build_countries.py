#!/usr/bin/env python3
"""Build ``src/communique/data/actors/countries.jsonl`` from pycountry + the CIA World Factbook.

One JSON line per country or territory (format: docs/knowledge.md)::

    {"iso3": "IRN", "name": "Iran", "aliases": [...], "adjectives": ["Iranian"],
     "demonyms": ["Iranian", "Iranians"], "capitals": ["Tehran"], "cities": ["Mashhad", ...],
     "seats": [...]}

``cities`` are further places that put an actor in the country ("Kharkiv officials" -> UKR): the
Factbook's "Major urban areas - population" (when the mirror has that field) and the cities listed by
hand in countries_extra.yaml (conflict towns, regional capitals).

``seats`` is a list of ``{"text": ..., "sectors": [...]}`` objects: metonyms for a part of
the state ("the Kremlin" -> GOV, "the Pentagon" -> MIL, "Capitol Hill" -> LEG).

Sources, merged in this order:

1. pycountry (the maintained ISO 3166 base): every ISO country, its name, official and common names;
2. the Factbook mirror (``--factbook DIR``, ``<region>/<fips>.json``, CC0): conventional long and short
   forms, former names, abbreviations, nationality noun/adjective, capital, major urban areas (the
   mirror in ../shared keeps only nationality from "People and Society", so today the cities all come
   from countries_extra.yaml).  Factbook files are named by FIPS 10-4 codes and carry no ISO codes:
   they are matched to ISO 3166 by name through pycountry, with the explicit ``FIPS_OVERRIDES`` table
   below for those names that do not match;
3. ``countries_extra.yaml`` (hand-curated): the short name news uses, abbreviations, adjectives,
   demonyms, capitals, cities and seats of power; it can also drop surface forms.

Lists are de-duplicated and sorted (capitals and cities keep their source order: the main capital
first, the largest city first), and records are sorted by ISO code, so the output is deterministic.
Run from anywhere::

    .venv/bin/python scripts/build_countries.py [--factbook ../shared/data/factbook] [--out FILE]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pycountry
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FACTBOOK = ROOT.parent / "shared" / "data" / "factbook"
ACTORS_DIR = ROOT / "src" / "communique" / "data" / "actors"
DEFAULT_OUT = ACTORS_DIR / "countries.jsonl"
DEFAULT_EXTRA = ACTORS_DIR / "countries_extra.yaml"

#: Factbook files (FIPS 10-4 names) whose names do not match pycountry, or match the wrong entry.
#: ``None`` = not a country or territory with an ISO code of its own: skipped.
FIPS_OVERRIDES: dict[str, str | None] = {
    "ax": None,  # Akrotiri (UK sovereign base area)
    "dx": None,  # Dhekelia (UK sovereign base area)
    "at": None,  # Ashmore and Cartier Islands (Australia)
    "cr": None,  # Coral Sea Islands (Australia)
    "ip": None,  # Clipperton Island (France)
    "pf": None,  # Paracel Islands (disputed)
    "pg": None,  # Spratly Islands (disputed)
    "ee": None,  # European Union: not a country (PLOVER code EUR, used in factbook.jsonl)
    "xx": None,  # World
    "oo": None,  # Southern Ocean
    "xo": None,  # Indian Ocean
    "xq": None,  # Arctic Ocean
    "zh": None,  # Atlantic Ocean
    "zn": None,  # Pacific Ocean
    "bm": "MMR",  # Burma
    "cg": "COD",  # DRC
    "gz": "PSE",  # Gaza Strip
    "we": "PSE",  # West Bank
    "kv": "XKX",  # Kosovo: no ISO code; XKX is the code in common use
    "jn": "SJM",  # Jan Mayen
    "sv": "SJM",  # Svalbard
    "bq": "UMI",  # Navassa Island
    "wq": "UMI",  # Wake Island
    "um": "UMI",  # US Pacific Island Wildlife Refuges
    "vq": "VIR",  # Virgin Islands (US)
    "fk": "FLK",  # Falkland Islands (Islas Malvinas)
    "vt": "VAT",  # Holy See (Vatican City)
    "rn": "MAF",  # Saint Martin
    "nn": "SXM",  # Sint Maarten
    "ck": "CCK",  # Cocos (Keeling) Islands
    "pc": "PCN",  # Pitcairn Islands
    "fs": "ATF",  # French Southern and Antarctic Lands
    "mc": "MAC",  # Macau
    "tu": "TUR",  # Turkey (pycountry: Türkiye)
}

#: Territories without a UN seat that PLOVER still treats as countries of their own.
SOVEREIGN_EXTRA = frozenset({"TWN", "XKX", "PSE"})

#: Common English words or names that must not become a country's capital alias.
CAPITAL_STOPLIST = frozenset(
    {"Douglas", "Hamilton", "Stanley", "Victoria", "The Valley", "The Settlement", "West Island", "Male"}
)

#: City names that must not place an actor in a country, whatever the source: ordinary English words
#: and given names or surnames ("Nice", "Reading", "Split", "Phoenix", "Milan", "Austin", "Gao" is a
#: common Chinese surname), places named after an institution that sits there rather than after the
#: country ("Geneva" for UN bodies, "Strasbourg" for the European Parliament and the ECHR, "The Hague"
#: for the ICC/ICJ), and names shared by well-known cities of several countries ("Hyderabad" IND/PAK,
#: "Cambridge" GBR/USA, "Valencia" ESP/VEN, "Cordoba" ARG/ESP, "Leon" MEX/ESP/NIC).  Names shared by
#: several countries are also dropped automatically (see ``resolve_cities``), and so are the capitals
#: of other countries ("Tripoli" stays LBY's capital, never a Lebanese city; "Santiago" is CHL's);
#: hand-listed cities in countries_extra.yaml are explicit choices and win over the Factbook.
# fmt: off
CITY_STOPLIST = frozenset({
    "Nice", "Reading", "Split", "Bath", "Mobile", "Phoenix", "Bar", "Of", "Van", "Batman", "Sale", "Deal",
    "Hull", "Derby", "Hope", "Kent", "Male", "Victoria", "Hamilton", "Douglas", "Stanley", "Kingston",
    "Halifax", "Windsor", "Richmond", "Cambridge", "Lincoln", "Jackson", "Columbus", "Austin", "Charlotte",
    "Orlando", "Cleveland", "Florence", "Nancy", "Milan", "Engels", "Orel", "Gao", "Jos", "Bor", "Aba",
    "Ede", "Ife", "Beni", "Geneva", "Strasbourg", "The Hague", "Hyderabad", "Valencia", "Cordoba",
    "Córdoba", "Leon", "León", "San Jose", "San José", "Georgetown", "Alexandria", "Anchorage", "Mercedes",
    "Concepcion", "Concepción", "Santa Cruz", "Merida", "Mérida", "Salamanca", "Toledo",
})
# fmt: on

#: Two-letter abbreviations are too ambiguous to keep, except these.
SHORT_ABBREVIATIONS = frozenset({"US", "UK", "NZ", "HK"})

FIELDS = ("aliases", "adjectives", "demonyms", "capitals")
#: Lower-case particles inside a city name ("Dar es Salaam", "Rio de Janeiro", "Frankfurt am Main").
# fmt: off
CITY_PARTICLES = frozenset({
    "de", "da", "do", "dos", "das", "del", "la", "es", "am", "an", "der", "sur", "of", "on", "upon", "y", "e"
})
# fmt: on


# ---------------------------------------------------------------------------- text helpers


def clean_html(text: str | None) -> str:
    """Unescape entities, turn ``<br>`` into newlines, drop other tags, normalise spaces."""
    if not text:
        return ""
    text = html.unescape(html.unescape(text))
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return text.strip()


def ascii_fold(text: str) -> str:
    """'Bogotá' -> 'Bogota', 'Türkiye' -> 'Turkiye'."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def fb_text(node: Any) -> str:
    """The cleaned text of a Factbook field (a dict with ``text`` or a bare string)."""
    if isinstance(node, dict):
        node = node.get("text")
    return clean_html(node) if isinstance(node, str) else ""


def drop_note(text: str) -> str:
    """Cut '...; note - ...' and '... note: ...' tails."""
    return re.split(r";?\s*\bnote\b\s*[-:]", text, maxsplit=1)[0].strip()


def split_top(text: str, seps: str = ",;") -> list[str]:
    """Split on separator characters that are not inside (), [] or {}."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def strip_parens(text: str) -> str:
    prev = None
    while prev != text:
        prev = text
        text = re.sub(r"\s*[(\[][^()\[\]]*[)\]]", "", text)
    return text.strip()


def uniq(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        item = re.sub(r"\s+", " ", item).strip(" ,;.") if not item.endswith(".") else item.strip(" ,;")
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def casefold_sorted(items: Iterable[str]) -> list[str]:
    return sorted(set(items), key=lambda s: (s.casefold(), s))


# ---------------------------------------------------------------------------- Factbook parsing


def factbook_files(factbook: Path) -> list[Path]:
    return sorted(p for p in factbook.glob("*/*.json") if p.parent.name != "meta")


def load_factbook(factbook: Path) -> dict[str, dict[str, Any]]:
    """FIPS code -> parsed JSON, for every country file."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in factbook_files(factbook)}


def country_name_forms(doc: dict[str, Any]) -> dict[str, str]:
    names = doc.get("Government", {}).get("Country name", {})
    return {key: fb_text(value) for key, value in names.items() if key != "etymology"}


def _name_variants(text: str) -> list[str]:
    """A Factbook name field -> usable names ('none' dropped, notes and parentheses stripped)."""
    text = drop_note(text)
    text = re.split(r";", text)[0]
    text = strip_parens(text)
    if not text or text.lower() in {"none", "na"}:
        return []
    return [text]


def _normalise_for_match(name: str) -> str:
    name = ascii_fold(html.unescape(name)).casefold()
    name = re.sub(r"^the\s+", "", name)
    name = re.sub(r"[^a-z0-9 ]+", " ", name)
    return re.sub(r"\s+", " ", name).strip()


def _pycountry_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_normalise_for_match(value), country.alpha_3)
    return index


def match_fips(docs: dict[str, dict[str, Any]]) -> tuple[dict[str, str | None], list[str]]:
    """FIPS -> ISO3 (None = skipped) and the list of FIPS codes that needed an override."""
    index = _pycountry_index()
    mapping: dict[str, str | None] = {}
    unmatched: list[str] = []
    for fips, doc in sorted(docs.items()):
        forms = country_name_forms(doc)
        auto: str | None = None
        for key in ("conventional short form", "conventional long form", "abbreviation"):
            for variant in _name_variants(forms.get(key, "")):
                auto = index.get(_normalise_for_match(variant))
                if auto:
                    break
            if auto:
                break
        if fips in FIPS_OVERRIDES:
            if auto != FIPS_OVERRIDES[fips]:
                unmatched.append(fips)
            mapping[fips] = FIPS_OVERRIDES[fips]
        else:
            if auto is None:
                unmatched.append(fips)
            mapping[fips] = auto
    return mapping, unmatched


def is_un_member(doc: dict[str, Any]) -> bool:
    text = fb_text(doc.get("Government", {}).get("International organization participation"))
    return bool(re.search(r"(?:^|, )UN(?:,|$| \()", text))


def parse_former(text: str) -> list[str]:
    text = drop_note(text)
    if re.search(r"\bis the former name\b", text):
        return []
    had_brackets = "[" in text
    text = strip_parens(text)
    out: list[str] = []
    for part in split_top(text, ",;"):
        pieces = part.split(" and ") if had_brackets else [part]
        out.extend(p.strip() for p in pieces)
    return [p for p in out if p and p[0].isupper()]


def parse_abbreviations(text: str) -> list[str]:
    text = drop_note(text)
    text = re.sub(r"\((?:French|English)\)", "", text)
    out: list[str] = []
    for part in re.split(r"\s+or\s+|/|,|;|\(|\)", text):
        part = part.strip()
        part = re.sub(r"^or\s+", "", part)
        if not part or part.lower() in {"none", "or"}:
            continue
        if len(part.replace(".", "")) <= 2 and part not in SHORT_ABBREVIATIONS:
            continue
        out.append(part)
    return out


def _expand_noun(token: str) -> list[str]:
    """'Iranian(s)' -> [Iranian, Iranians]; 'Frenchman(men)' -> [Frenchman, Frenchmen]."""
    token = token.strip()
    match = re.fullmatch(r"(.+?)\s*\((s|es|men|women)\)", token)
    if not match:
        return [token]
    stem, suffix = match.group(1), match.group(2)
    if suffix in {"s", "es"}:
        return [stem, stem + suffix]
    if stem.endswith("man") and suffix == "men":
        return [stem, stem[:-3] + "men"]
    if stem.endswith("woman") and suffix == "women":
        return [stem, stem[:-5] + "women"]
    return [stem]


def parse_nationality(text: str, nouns: bool) -> list[str]:
    text = drop_note(text)
    # drop descriptive parentheses: (singular), (plural), (US citizens), (colloquial) ...
    text = re.sub(
        r"\s*\((?:singular|plural|singular and plural|collective plural|colloquial|"
        r"US citizens|US nationals|or [^)]*)\)",
        lambda m: _keep_or(m.group(0)),
        text,
    )
    out: list[str] = []
    for part in re.split(r",|;|/|\bor\b", text):
        part = part.strip()
        if not part or part.lower() in {"none", "na"}:
            continue
        if nouns:
            out.extend(_expand_noun(part))
        else:
            out.append(strip_parens(part))
    return [o for o in out if re.search(r"[A-Z]", o)]


def _keep_or(paren: str) -> str:
    """'(or Taiwanese)' -> ', Taiwanese'; other descriptive parentheses vanish."""
    match = re.fullmatch(r"\s*\(or ([^)]*)\)", paren)
    return f", {match.group(1)}" if match else ""


def parse_capitals(text: str) -> list[str]:
    text = drop_note(text)
    if not text or not text[0].isupper():
        return []
    out: list[str] = []
    for chunk in split_top(text, ";"):
        # "Gitega (political capital), Bujumbura (commercial capital)": split after a parenthesis
        for piece in re.split(r"(?<=\)),\s*", chunk):
            main = strip_parens(piece)
            main = re.sub(r"\s+in [A-Z][a-z]+$", "", main)  # "Chisinau in Romanian"
            main = re.sub(r"\s+(?:is|are) the .*$", "", main)  # "Nay Pyi Taw is the administrative capital"
            if main and main[0].isupper():
                out.append(main)
            for paren in re.findall(r"\(([^()]*(?:\([^()]*\))?[^()]*)\)", piece):
                for alt in re.split(r",|/|;|\(|\)", paren):
                    alt = re.sub(r"^\s*aka\s+", "", alt.strip())
                    m = re.match(r"((?:[A-Z][\w'’.-]*)(?:\s+(?:de|la|of|[A-Z][\w'’.-]*))*)", alt)
                    if not m:
                        continue
                    name = m.group(1)
                    rest = alt[m.end() :].strip()
                    if rest and not re.match(r"(is the|in [A-Z])", rest):
                        continue
                    out.append(name)
    return [c for c in out if c not in CAPITAL_STOPLIST]


def title_city(name: str) -> str:
    """'NEW DELHI' -> 'New Delhi'; 'DAR ES SALAAM' -> 'Dar es Salaam'; "N'DJAMENA" -> "N'Djamena";
    'TEL AVIV-YAFO' -> 'Tel Aviv-Yafo'.  Names already in mixed case are kept as they are."""
    name = re.sub(r"\s+", " ", name).strip(" ,;")
    if any(c.islower() for c in name):
        return name
    out: list[str] = []
    for i, token in enumerate(name.split(" ")):
        if re.fullmatch(r"(?:[A-Z]\.)+,?", token):  # 'D.C.'
            out.append(token)
            continue
        if i and token.lower() in CITY_PARTICLES:
            out.append(token.lower())
            continue
        pieces = re.split(r"([-'’])", token)
        out.append("".join(p if p in {"-", "'", "’"} else p[:1].upper() + p[1:].lower() for p in pieces))
    return " ".join(out)


def parse_cities(text: str) -> list[str]:
    """The Factbook's 'Major urban areas - population' -> city names, largest first.

    '5.450 million SYDNEY, 5.235 million MELBOURNE, 482,000 CANBERRA (capital) (2023)'
    -> ['Sydney', 'Melbourne', 'Canberra'].  Variant names given in parentheses are kept
    ('1.291 million ASTANA (NUR-SULTAN) (capital)' -> ['Astana', 'Nur-Sultan']); '(capital)', years
    and notes are dropped."""
    text = drop_note(text)
    text = re.sub(r"\(\s*(?:19|20)\d\d\s*\)", " ", text)
    out: list[str] = []
    # every name follows a population figure: '5.450 million', '482,000'
    for piece in re.split(r"(?:^|[,;]\s*)\d[\d.,]*\s*(?:million|thousand|billion)?\s+", text):
        piece = piece.strip(" ,;")
        if not piece:
            continue
        main = strip_parens(piece).strip(" ,;")
        if main and main[:1].isupper():
            out.append(title_city(main))
        for paren in re.findall(r"\(([^()]*)\)", piece):
            for alt in re.split(r",|/|;|\bor\b|\baka\b", paren):
                alt = alt.strip()
                if alt and re.fullmatch(r"[A-Z][A-Z .'’-]*[A-Z.]", alt) and len(alt) > 2:
                    out.append(title_city(alt))
    return out


# ---------------------------------------------------------------------------- build


def _empty(iso3: str) -> dict[str, Any]:
    return {
        "iso3": iso3,
        "name": None,
        **{f: [] for f in FIELDS},
        "cities": [],
        "hand_cities": [],
        "seats": [],
    }


def pycountry_base() -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for country in pycountry.countries:
        rec = _empty(country.alpha_3)
        rec["fallback_name"] = getattr(country, "common_name", None) or country.name
        rec["aliases"] = [
            v for v in (getattr(country, a, None) for a in ("name", "official_name", "common_name")) if v
        ]
        records[country.alpha_3] = rec
    return records


def add_factbook(
    records: dict[str, dict[str, Any]], docs: dict[str, dict[str, Any]], mapping: dict[str, str | None]
) -> None:
    for fips, doc in sorted(docs.items()):
        iso3 = mapping.get(fips)
        if not iso3:
            continue
        rec = records.setdefault(iso3, _empty(iso3))
        forms = country_name_forms(doc)
        short = _name_variants(forms.get("conventional short form", ""))
        long_ = _name_variants(forms.get("conventional long form", ""))
        if rec["name"] is None and short:
            rec["name"] = split_top(short[0], ",")[0]
        for value in short:
            rec["aliases"].extend(split_top(value, ",") if iso3 in {"PSE", "UMI"} else [value])
        rec["aliases"].extend(long_)
        rec["aliases"].extend(parse_former(forms.get("former", "")))
        rec["aliases"].extend(parse_abbreviations(forms.get("abbreviation", "")))
        nat = doc.get("People and Society", {}).get("Nationality", {})
        rec["demonyms"].extend(parse_nationality(fb_text(nat.get("noun")), nouns=True))
        rec["adjectives"].extend(parse_nationality(fb_text(nat.get("adjective")), nouns=False))
        capital = doc.get("Government", {}).get("Capital", {})
        rec["capitals"].extend(parse_capitals(fb_text(capital.get("name"))))
        urban = doc.get("People and Society", {}).get("Major urban areas - population")
        rec["cities"].extend(parse_cities(fb_text(urban)))


def sovereign_codes(docs: dict[str, dict[str, Any]], mapping: dict[str, str | None]) -> set[str]:
    """ISO codes of states with a UN seat (or observer status) in the Factbook, plus PLOVER's extras."""
    codes = {mapping[f] for f, doc in docs.items() if mapping.get(f) and is_un_member(doc)}
    return {c for c in codes if c} | set(SOVEREIGN_EXTRA)


def resolve_conflicts(records: dict[str, dict[str, Any]], sovereign: set[str]) -> list[str]:
    """A surface form claimed by several countries stays with the one sovereign state among them,
    and is dropped everywhere when several sovereign states (or none) claim it.  Returns a log."""
    log: list[str] = []
    for field in FIELDS:
        owners: dict[str, set[str]] = defaultdict(set)
        for iso3, rec in records.items():
            for value in rec[field]:
                owners[value].add(iso3)
        for value, codes in sorted(owners.items()):
            if len(codes) < 2:
                continue
            named = {c for c in codes if value in (records[c]["name"], records[c].get("fallback_name"))}
            keep = named if len(named) == 1 else codes & sovereign
            winner = next(iter(keep)) if len(keep) == 1 else None
            for iso3 in codes:
                if iso3 != winner:
                    records[iso3][field] = [v for v in records[iso3][field] if v != value]
            log.append(f"{field}: {value!r} claimed by {sorted(codes)} -> {winner or 'dropped'}")
    return log


def add_extras(records: dict[str, dict[str, Any]], extra: dict[str, Any]) -> None:
    for iso3, spec in sorted(extra.items()):
        if iso3 not in records:
            if not spec.get("name"):
                raise SystemExit(f"countries_extra.yaml: {iso3} is not an ISO country and has no name")
            records[iso3] = _empty(iso3)
        rec = records[iso3]
        if spec.get("name"):
            if rec["name"] and rec["name"] != spec["name"]:
                rec["aliases"].append(rec["name"])
            rec["name"] = spec["name"]
        for field in FIELDS:
            rec[field].extend(spec.get(field) or [])
        rec["hand_cities"].extend(spec.get("cities") or [])
        for seat in spec.get("seats") or []:
            if isinstance(seat, str):
                seat = {"text": seat, "sectors": ["GOV"]}
            rec["seats"].append({"text": seat["text"], "sectors": list(seat.get("sectors") or ["GOV"])})
        drop = set(spec.get("drop") or [])
        for field in (*FIELDS, "cities", "hand_cities"):
            rec[field] = [v for v in rec[field] if v not in drop]


def _accented_names() -> dict[str, dict[str, str]]:
    """ISO3 -> {ASCII name (casefolded): the name with its diacritics}, from pycountry's subdivisions:
    restores 'São Paulo' and 'Bogotá' for the Factbook's upper-case ASCII 'SAO PAULO', 'BOGOTA'."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for sub in pycountry.subdivisions:
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is None:
            continue
        for name in re.split(r"\s*[/,]\s*", strip_parens(sub.name)):
            # 'São Paulo', 'Bogotá'; not romanisations such as 'Ḩajjah' or 'Dhamār'
            if ascii_fold(name) != name and all(ord(c) < 256 for c in name):
                out[country.alpha_3].setdefault(ascii_fold(name).casefold(), name)
    return out


def resolve_cities(records: dict[str, dict[str, Any]]) -> list[str]:
    """Settle each record's ``cities``: the Factbook's major urban areas, then the hand-listed ones,
    with their accented and ASCII spellings.  A city is dropped when it is a stoplisted word, when it
    names a country (any country's name, alias, adjective or demonym: "Kuwait", "Djibouti"), when it
    is the capital of another country, or, unless hand-listed for exactly one country, when several
    countries claim it.  Returns a log."""
    log: list[str] = []
    accented = _accented_names()
    country_forms: set[str] = set()
    for rec in records.values():
        forms = [rec["name"], rec.get("fallback_name"), *rec["aliases"], *rec["adjectives"], *rec["demonyms"]]
        country_forms.update(form for form in forms if form)
    capital_of: dict[str, set[str]] = defaultdict(set)
    for iso3, rec in records.items():
        for cap in rec["capitals"]:
            for form in (cap, ascii_fold(cap)):
                capital_of[form].add(iso3)
    candidates: dict[str, list[str]] = {}
    hand: dict[str, set[str]] = defaultdict(set)
    for iso3, rec in records.items():
        names: list[str] = []
        for city in rec["cities"]:  # the Factbook's: upper-case ASCII, diacritics restored where known
            city = re.sub(r"\s+", " ", city).strip()
            restored = accented.get(iso3, {}).get(city.casefold()) if ascii_fold(city) == city else None
            names.extend(v for v in (restored, city) if v)
        for city in rec["hand_cities"]:
            city = re.sub(r"\s+", " ", city).strip()
            names.extend((city, ascii_fold(city)))
        for city in rec["hand_cities"]:
            hand[city].add(iso3)
            hand[ascii_fold(city)].add(iso3)
        candidates[iso3] = uniq(names)
    owners: dict[str, set[str]] = defaultdict(set)
    for iso3, names in candidates.items():
        for city in names:
            owners[city].add(iso3)
    for iso3, names in sorted(candidates.items()):
        kept: list[str] = []
        for city in names:
            if city in CITY_STOPLIST or ascii_fold(city) in CITY_STOPLIST:
                reason = "stoplist"
            elif city in country_forms:
                reason = "a country name"
            elif city in capital_of and iso3 not in capital_of[city]:
                reason = f"capital of {sorted(capital_of[city])}"
            elif city in capital_of:
                continue  # already one of the country's capitals
            elif len(owners[city]) > 1 and hand.get(city) != {iso3}:
                reason = f"claimed by {sorted(owners[city])}"
            else:
                kept.append(city)
                continue
            log.append(f"cities: {city!r} dropped from {iso3} ({reason})")
        records[iso3]["cities"] = kept
    return log


def finalise(rec: dict[str, Any]) -> dict[str, Any]:
    name = rec["name"] or rec.get("fallback_name")
    capitals = uniq(rec["capitals"])
    aliases = [a for a in uniq(rec["aliases"]) if a not in capitals]
    # ASCII spellings of names with diacritics ("Türkiye" -> "Turkiye"), as news often drops them
    aliases += [ascii_fold(a) for a in [*aliases, name] if ascii_fold(a) != a]
    capitals += [
        ascii_fold(c) for c in capitals if ascii_fold(c) != c and ascii_fold(c) not in CAPITAL_STOPLIST
    ]
    seats: dict[str, dict[str, Any]] = {}
    for seat in rec["seats"]:
        seats.setdefault(seat["text"], seat)
    return {
        "iso3": rec["iso3"],
        "name": name,
        "aliases": casefold_sorted(a for a in uniq(aliases) if a != name),
        "adjectives": casefold_sorted(uniq(rec["adjectives"])),
        "demonyms": casefold_sorted(uniq(rec["demonyms"])),
        "capitals": uniq(capitals),
        "cities": uniq(rec["cities"]),
        "seats": [seats[k] for k in sorted(seats, key=lambda s: (s.casefold(), s))],
    }


def build(factbook: Path, extra_path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Build the records; also return a report (matching, conflicts) for the console."""
    records = pycountry_base()
    report: dict[str, Any] = {"factbook": False, "unmatched": [], "conflicts": [], "skipped": []}
    if factbook.is_dir():
        docs = load_factbook(factbook)
        mapping, unmatched = match_fips(docs)
        add_factbook(records, docs, mapping)
        report.update(
            factbook=True, unmatched=unmatched, skipped=sorted(f for f, iso in mapping.items() if iso is None)
        )
        report["conflicts"] = resolve_conflicts(records, sovereign_codes(docs, mapping))
    extra = yaml.safe_load(extra_path.read_text(encoding="utf-8")) or {}
    add_extras(records, extra)
    report["conflicts"] += resolve_cities(records)
    return [finalise(records[k]) for k in sorted(records)], report


def write_jsonl(rows: Iterable[dict[str, Any]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factbook", type=Path, default=DEFAULT_FACTBOOK, help="Factbook mirror folder")
    parser.add_argument("--extra", type=Path, default=DEFAULT_EXTRA, help="hand-curated YAML additions")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSONL file")
    parser.add_argument("--verbose", "-v", action="store_true", help="print the conflict log")
    args = parser.parse_args(argv)
    if not args.factbook.is_dir():
        print(f"Factbook not found at {args.factbook}: cannot build", file=sys.stderr)
        return 2
    rows, report = build(args.factbook, args.extra)
    write_jsonl(rows, args.out)
    print(f"wrote {len(rows)} countries to {args.out}")
    print(
        f"FIPS codes matched by override (automatic name match failed or was wrong): "
        f"{', '.join(report['unmatched']) or 'none'}"
    )
    print(f"FIPS codes skipped (no ISO code of their own): {', '.join(report['skipped'])}")
    if args.verbose:
        print("\n".join(report["conflicts"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
