"""Actor knowledge: countries, places, named actors and roles, loaded from data files.

Everything the resolver knows is in ``communique/data/actors/`` (see docs/knowledge.md),
the role words of ``communique/data/lang/en/roles.yaml`` and pycountry's subdivisions as
places. Users add or override entries with their
own YAML/JSONL files (``--actors FILE``); a user entry for a name replaces the shipped
ones for that name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from communique.lang import LANGUAGE, language_data, language_file
from communique.yamlfiles import load_yaml

DATA = resources.files("communique") / "data" / "actors"

# The English words of the knowledge (what each is for: data/lang/en/actors.yaml).
_WORDS = language_data(LANGUAGE, "actors")
DETERMINERS = _WORDS.words("determiners")  # never carry identity: stripped before lookup
_PLURAL_ENDINGS = _WORDS.word_list("plural_endings")
_SINGULAR_ENDINGS = _WORDS.word_list("singular_endings")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "–": "-", "—": "-"})
_NON_WORD = re.compile(r"[^\w'&\- ]+")
_SPACES = re.compile(r"\s+")
_BARE_APOSTROPHE = re.compile(r"'(?![a-z0-9])")
_POSSESSIVE_IN_NAME = re.compile(r"['’]s\b")
_USABLE_ALIAS = re.compile(r"^[\w][\w .,'’&()\-/]*$")
_PIECES = re.compile(r"[ \-]")  # a fold key's words, cut at hyphens as the tokenizer may cut them


@lru_cache(maxsize=131072)
def fold(text: str) -> str:
    """Lower-case, strip accents and dots, unify quotes: 'Zelenskyy', 'U.S.' match 'zelenskyy', 'us'."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace(".", "")
    text = _NON_WORD.sub(" ", text.lower())
    # a possessive apostrophe after the word ("Workers' Party", tokenized "Workers ' Party")
    # is dropped, so both spellings and both tokenizations share one key
    text = _BARE_APOSTROPHE.sub("", text)
    return _SPACES.sub(" ", text).strip()


#: Codes an actor can carry that name no state: PLOVER's international and transnational
#: actors. What they code places nothing in a country.
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "MNC", "IMG"})


def is_state_code(code: str | None) -> bool:
    """An ISO 3166-1 alpha-3 country code, not an international actor's code."""
    return code is not None and len(code) == 3 and code not in NON_STATE_CODES


@lru_cache(maxsize=131072)
def fold_key(text: str) -> str:
    """fold() without a leading determiner: 'the Kremlin' and 'Kremlin' share a key."""
    key = fold(text)
    head, _, rest = key.partition(" ")
    return rest if head in DETERMINERS and rest else key


@dataclass(frozen=True)
class ActorEntry:
    """A named actor as written in a knowledge file."""

    name: str
    country: str | None
    sectors: tuple[str, ...]
    role: str | None = None
    kind: str = "organization"
    start: str | None = None
    end: str | None = None
    source: str = "curated"
    aliases: tuple[str, ...] = ()

    def valid_on(self, date: str | None) -> bool:
        if date is None:
            return True
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(frozen=True)
class PlaceHit:
    """A term that places an actor in a country: a name, adjective, capital, seat or region."""

    country: str | None
    how: str  # name | alias | adjective | demonym | capital | seat | place | region
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    """A title or common noun that gives an actor its sector ('foreign minister' -> GOV)."""

    role: str
    sectors: tuple[str, ...]
    person: bool
    plural: bool = False
    kind: str | None = None  # 'place' for places and facilities
    unplaced: str | None = None  # the code when nothing places it ('a rights group' -> NGO)
    speaks_for: bool = False  # 'a spokeswoman FOR the embassy' takes the embassy's country
    placed_sectors: tuple[str, ...] = ()  # a place noun the text places ('Syrian island' -> UNK)
    local: bool = False  # an office of a place: a town's name before it is its place ('Kursk governor')


def key_pieces(key: str) -> list[str]:
    """A fold key cut into words and at hyphens: 'secretary-general' is 'secretary', 'general'
    (the tokenizer may cut it so too)."""
    return _PIECES.split(key)


@lru_cache(maxsize=65536)
def last_piece(word: str) -> str:
    """The last piece of a word's fold key ('' when the fold leaves none)."""
    return key_pieces(fold_key(word))[-1]


@dataclass
class Knowledge:
    """Indexed knowledge. Keys are ``fold_key`` forms."""

    entries: dict[str, list[ActorEntry]] = field(default_factory=lambda: defaultdict(list))
    places: dict[str, PlaceHit] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)  # iso3 -> short name
    place_surfaces: dict[str, str] = field(default_factory=dict)  # 'Golan Heights' -> LOC
    # Keys known only as all-caps acronyms: 'SAD' must not match 'Novi Sad'.
    acronyms: dict[str, bool] = field(default_factory=dict)
    max_words: int = 1
    # Spelling-variant indexes, built on first use and dropped whenever the knowledge changes.
    _near_entities: SpellingIndex | None = field(default=None, repr=False)
    _near_places: SpellingIndex | None = field(default=None, repr=False)
    _towns: dict[str, str] | None = field(
        default=None, repr=False
    )  # data/actors/towns.tsv, read on first use
    # The last pieces of the role keys, with the size of the roles table they were read from
    # (a plain dict that loaders, and users' code, add to).
    _role_lasts: tuple[int, frozenset[str]] | None = field(default=None, repr=False)

    def last_role_pieces(self) -> frozenset[str]:
        """The last piece of every role key: a noun chunk that ends in none is no role."""
        if self._role_lasts is None or self._role_lasts[0] != len(self.roles):
            self._role_lasts = (len(self.roles), frozenset(key_pieces(k)[-1] for k in self.roles))
        return self._role_lasts[1]

    def lookup_place(self, text: str) -> PlaceHit | None:
        return self.places.get(fold_key(text))

    def lookup_role(self, text: str) -> Role | None:
        return self.roles.get(fold_key(text))

    def _note_length(self, key: str) -> None:
        self.max_words = max(self.max_words, key.count(" ") + 1)
        self._near_entities = self._near_places = None
        self._role_lasts = None

    def near_entities(self, text: str) -> list[ActorEntry]:
        """The organisations, groups and outlets one spelling slip away from ``text``
        ('Ahlu Sunnah Waljama' for 'Ahlu Sunnah Wa-Jama'): docs/knowledge.md, "Spelling
        variants". People are never matched so: two people's names often differ by a letter."""
        if len(compact(fold_key(text))) < NEAR_ENTITY_MIN:
            return []
        if self._near_entities is None:
            self._near_entities = SpellingIndex(
                (k for k, es in self.entries.items() if all(e.kind != "person" for e in es)), NEAR_ENTITY_MIN
            )
        found: list[ActorEntry] = []
        for key in self._near_entities.near(fold_key(text)):
            found += [e for e in self.entries.get(key, ()) if e not in found and e.kind != "person"]
        return found

    def near_place(self, text: str) -> tuple[str, PlaceHit] | None:
        """The country name, adjective, capital or city one spelling slip away from ``text``
        ('Dehli' for 'Delhi', 'Ukranian' for 'Ukrainian'), with the form it was taken for;
        None when there is none or the near forms place different countries."""
        if len(compact(fold_key(text))) < NEAR_PLACE_MIN:
            return None
        if self._near_places is None:
            surfaces = (fold_key(term) for term in self.place_surfaces)
            self._near_places = SpellingIndex(
                (
                    k
                    for k in surfaces
                    if (hit := self.places.get(k)) and hit.country and hit.how in NEAR_PLACE_KINDS
                ),
                NEAR_PLACE_MIN,
            )
        keys = self._near_places.near(fold_key(text))
        hits = {self.places[k] for k in keys}
        if len({h.country for h in hits}) != 1:
            return None
        key = min(keys)
        return key, self.places[key]

    def town(self, text: str) -> str | None:
        """The country of a town named ``text`` (``towns.tsv``: docs/knowledge.md, "Towns")."""
        if self._towns is None:
            self._towns = {}
            path = _shipped("towns.tsv")
            for line in path.read_text(encoding="utf-8").splitlines() if path is not None else ():
                name, _, country = line.partition("\t")
                if country and not name.startswith("#"):
                    self._towns[fold_key(name)] = country.strip()
        return self._towns.get(fold_key(text))

    def add_entry(self, entry: ActorEntry) -> None:
        for surface in {entry.name, *entry.aliases}:
            if not _USABLE_ALIAS.match(surface):
                continue  # '+EU' (Italy's More Europe) would turn every 'EU' into a party
            key = fold_key(surface)
            if not key:
                continue
            # The resolver reads "People's" as 'People' + possessive: the name is also indexed
            # without it ('people liberation army'); a one-word rest ('McDonald') is a surname.
            bare = fold_key(_POSSESSIVE_IN_NAME.sub("", surface))
            for k in {key, bare} if " " in bare else {key}:
                if entry not in self.entries[k]:
                    self.entries[k].append(entry)
                    self._note_length(k)
            # A key is an acronym only when every spelling of it is one ('SAD', not 'DfID').
            self.acronyms[key] = self.acronyms.get(key, True) and surface.isupper() and " " not in surface

    def remove_entries(self, doomed: Iterable[ActorEntry]) -> None:
        """Forget entries under every surface form they were indexed by."""
        gone = set(doomed)
        for entry in gone:
            surfaces = {entry.name, *entry.aliases}
            keys = {fold_key(s) for s in surfaces} | {
                fold_key(_POSSESSIVE_IN_NAME.sub("", s)) for s in surfaces
            }
            self._near_entities = None
            self._role_lasts = None
            for key in keys:
                kept = [e for e in self.entries.get(key, ()) if e not in gone]
                if kept:
                    self.entries[key] = kept
                else:
                    self.entries.pop(key, None)

    def add_place(self, term: str, hit: PlaceHit, *, override: bool = False, surface: bool = True) -> None:
        key = fold_key(term)
        if not key:
            return
        if surface and term[:1].isupper():
            # Kept as written for the entity ruler ('Golan Heights' must beat a surname 'Golan').
            self.place_surfaces[term.removeprefix("the ").strip()] = "LOC" if hit.how == "region" else "GPE"
        if override or key not in self.places:
            self.places[key] = hit
            self._note_length(key)

    def add_role(self, term: str, role: Role) -> None:
        key = fold_key(term)
        if key:
            self.roles[key] = role
            self._note_length(key)


#: Spelling variants (docs/knowledge.md): a name the knowledge lacks that is one slip (a letter
#: added, dropped, changed, or two letters swapped) from a known organisation of at least
#: NEAR_ENTITY_MIN letters, or from a known place of at least NEAR_PLACE_MIN letters, is taken for it.
NEAR_ENTITY_MIN = 8
NEAR_PLACE_MIN = 5
#: The places a misspelling may stand for: countries, their adjectives, capitals and cities
#: (not the provinces of pycountry's long list, whose short names are many people's surnames).
NEAR_PLACE_KINDS = frozenset({"name", "alias", "adjective", "demonym", "capital", "place"})
_COMPACT = re.compile(r"[\s\-']+")


def compact(key: str) -> str:
    """A folded key without spaces, hyphens and apostrophes: 'wa-jama' and 'wa jama' agree."""
    return _COMPACT.sub("", key)


def one_slip(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one edit: a letter inserted, deleted or
    replaced, or two neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])
    return a[i + 1 :] == b[i:] if len(a) > len(b) else a[i:] == b[i + 1 :]


class SpellingIndex:
    """Known keys by the halves of their compact form. One slip leaves either the first or the
    last ``(n - 1) // 2`` letters of an ``n``-letter form as they were, so each form is filed
    under both and a query looks up its own halves for forms one letter shorter, as long and
    one longer; the few candidates are then checked with :func:`one_slip`."""

    def __init__(self, keys: Iterable[str], min_len: int) -> None:
        self.forms: dict[str, list[str]] = defaultdict(list)  # compact form -> keys
        self.halves: dict[tuple[bool, int, str], list[str]] = defaultdict(list)
        for key in keys:
            form = compact(key)
            if len(form) < min_len:
                continue
            if not self.forms[form]:
                half = (len(form) - 1) // 2
                self.halves[(True, len(form), form[:half])].append(form)
                self.halves[(False, len(form), form[-half:])].append(form)
            if key not in self.forms[form]:
                self.forms[form].append(key)

    def near(self, key: str) -> list[str]:
        """Known keys one slip from ``key``, or written as ``key`` but for spaces and hyphens
        ('Waljama' for 'Wal Jama')."""
        query = compact(key)
        if query in self.forms:
            return [k for k in self.forms[query] if k != key]
        found: list[str] = []
        for length in (len(query) - 1, len(query), len(query) + 1):
            half = (length - 1) // 2
            if half < 1:
                continue
            for form in (
                *self.halves.get((True, length, query[:half]), ()),
                *self.halves.get((False, length, query[-half:]), ()),
            ):
                if one_slip(query, form):
                    found += [k for k in self.forms[form] if k not in found]
        return found


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value if v not in (None, ""))


def _date(value: Any) -> str | None:
    return None if value in (None, "") else str(value)[:10]


def entry_from_dict(raw: dict[str, Any], default_source: str) -> ActorEntry:
    if not raw.get("name"):
        raise ValueError(f"actor entry without a name: {raw!r}")
    country = raw.get("country") or None
    return ActorEntry(
        name=str(raw["name"]),
        country=str(country).upper() if country else None,
        sectors=tuple(s.upper() for s in _as_tuple(raw.get("sectors"))),
        role=raw.get("role") or None,
        kind=str(raw.get("kind") or "organization"),
        start=_date(raw.get("start")),
        end=_date(raw.get("end")),
        source=str(raw.get("source") or default_source),
        aliases=_as_tuple(raw.get("aliases")),
    )


def read_records(path: Path | Any) -> Iterator[dict[str, Any]]:
    """Records of a YAML (list, or a mapping with one list) or JSONL knowledge file."""
    name = str(getattr(path, "name", path))
    text = path.read_text(encoding="utf-8")
    if name.endswith((".jsonl", ".ndjson")):
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{name}:{number}: not valid JSON ({exc.msg})") from exc
        return
    data = load_yaml(text)
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = [item for lst in lists for item in lst]
    if not isinstance(data, list):
        raise ValueError(f"{name}: expected a list of entries")
    yield from (d for d in data if isinstance(d, dict))


# Files of data/actors that are not lists of actor entries.
_NOT_ENTRIES = frozenset({"countries.jsonl", "countries_extra.yaml", "regions.yaml"})


def _shipped(name: str) -> Any | None:
    path = DATA / name
    return path if path.is_file() else None


def _load_countries(kb: Knowledge) -> None:
    path = _shipped("countries.jsonl")
    if path is None:
        return
    for rec in read_records(path):
        iso3 = rec["iso3"]
        kb.country_names[iso3] = rec.get("name") or iso3
        # Specific kinds first so that a name beats a place of the same spelling.
        kb.add_place(rec.get("name", ""), PlaceHit(iso3, "name"), override=True)
        for alias in rec.get("aliases") or ():
            kb.add_place(alias, PlaceHit(iso3, "alias"), override=True)
        for adj in rec.get("adjectives") or ():
            kb.add_place(adj, PlaceHit(iso3, "adjective"))
        for dem in rec.get("demonyms") or ():
            kb.add_place(dem, PlaceHit(iso3, "demonym"))
        for cap in rec.get("capitals") or ():
            kb.add_place(cap, PlaceHit(iso3, "capital", ("GOV",)))
        for seat in rec.get("seats") or ():
            if isinstance(seat, str):
                seat = {"text": seat, "sectors": ["GOV"]}
            kb.add_place(seat["text"], PlaceHit(iso3, "seat", _as_tuple(seat.get("sectors")) or ("GOV",)))
        for city in rec.get("cities") or ():
            kb.add_place(city, PlaceHit(iso3, "place"))


def _load_regions(kb: Knowledge) -> None:
    """Regions place nobody; territories place their actors; disputed entities add PRE."""
    path = _shipped("regions.yaml")
    if path is None:
        return
    for rec in read_records(path):
        country = rec.get("country") or None
        hit = PlaceHit(country, "region" if country is None else "place", _as_tuple(rec.get("sectors")))
        for term in (rec["name"], *_as_tuple(rec.get("aliases"))):
            kb.add_place(term, hit, override=True)


_SUBDIVISION_SUFFIX = re.compile(
    r" (shi|sheng|zizhiqu|province|oblast|oblast'|kray|krai|region|governorate|state|district|prefecture"
    r"|county|municipality|department|do|si|gun|ken|to|fu)$"
)


def _load_subdivisions(kb: Knowledge) -> None:
    """Provinces, states and regions from pycountry place an actor in its country."""
    import pycountry

    seen: dict[str, set[str]] = defaultdict(set)
    for sub in pycountry.subdivisions:
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is None:
            continue
        for name in re.split(r"\s*[/,]\s*", sub.name):
            key = fold_key(re.sub(r"\s*\(.*?\)", "", name))
            # 'Shanghai Shi', 'Sichuan Sheng', 'Moskovskaya oblast': news says 'Shanghai'.
            short = _SUBDIVISION_SUFFIX.sub("", key)
            for k in {key, short}:
                if len(k) > 2:
                    seen[k].add(country.alpha_3)
    for key, countries in seen.items():
        # A name shared by provinces of two countries places nobody.
        if len(countries) == 1 and key not in kb.places:
            kb.add_place(key, PlaceHit(next(iter(countries)), "place"), surface=False)


def _load_roles(kb: Knowledge) -> None:
    for rec in read_records(language_file(LANGUAGE, "roles.yaml")):
        sectors = tuple(s.upper() for s in _as_tuple(rec.get("sectors")))
        role_name = rec.get("role") or (rec.get("terms") or [""])[0]
        person = bool(rec.get("person", True))
        kind = rec.get("kind") or None
        unplaced = rec.get("unplaced_country") or None
        speaks_for = bool(rec.get("speaks_for", False))
        placed = tuple(s.upper() for s in _as_tuple(rec.get("sectors_when_placed")))
        local = bool(rec.get("local", False))
        for term in _as_tuple(rec.get("terms")):
            # 'farmers', 'troops': a group, never a named person.
            plural = term.endswith(_PLURAL_ENDINGS) and not term.endswith(_SINGULAR_ENDINGS)
            role = Role(role_name, sectors, person, plural, kind, unplaced, speaks_for, placed, local)
            kb.add_role(term, role)


def _load_entry_file(kb: Knowledge, path: Any, source: str) -> None:
    for rec in read_records(path):
        kb.add_entry(entry_from_dict(rec, source))


def load_knowledge(extra_files: Iterable[str | Path] = ()) -> Knowledge:
    """Build the knowledge base from the shipped files plus the user's ``extra_files``."""
    return _load_cached(tuple(str(p) for p in extra_files))


@lru_cache(maxsize=8)
def _load_cached(extra_files: tuple[str, ...]) -> Knowledge:
    kb = Knowledge()
    _load_countries(kb)
    # Every other file in data/actors is a list of actor entries (docs/knowledge.md).
    for path in sorted(DATA.iterdir(), key=lambda p: p.name):
        if path.name in _NOT_ENTRIES or not path.name.endswith((".yaml", ".yml", ".jsonl")):
            continue
        _load_entry_file(kb, path, "factbook" if path.name.startswith("factbook") else "curated")
    _load_roles(kb)
    _load_regions(kb)
    _load_subdivisions(kb)
    for extra in extra_files:
        _apply_user_file(kb, Path(extra))
    return kb


def _apply_user_file(kb: Knowledge, path: Path) -> None:
    """User entries replace shipped entries of the same name (override), else add; an entry
    with ``suppress: true`` removes the shipped entries it names and adds nothing.

    The file is a list of actor entries (YAML or JSONL), or a YAML mapping with the lists
    ``actors`` and ``roles`` (what ``communique actors import-petrarch`` writes)."""
    if not path.is_file():
        raise FileNotFoundError(f"actor file not found: {path}")
    records = list(read_records(path)) if path.suffix.lower() not in (".yaml", ".yml") else None
    roles: list[dict[str, Any]] = []
    if records is None:
        data = load_yaml(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and ("actors" in data or "roles" in data):
            records = [r for r in data.get("actors") or [] if isinstance(r, dict)]
            roles = [r for r in data.get("roles") or [] if isinstance(r, dict)]
        else:
            records = list(read_records(path))
    for rec in roles:
        sectors = tuple(s.upper() for s in _as_tuple(rec.get("sectors")))
        for term in _as_tuple(rec.get("terms")):
            kb.add_role(
                term,
                Role(role=rec.get("role") or term, sectors=sectors, person=bool(rec.get("person", True))),
            )
    suppressed = [rec for rec in records if rec.get("suppress")]
    for rec in suppressed:
        kb.remove_entries(_named(kb, rec))
    user = [entry_from_dict(rec, "user") for rec in records if not rec.get("suppress")]
    # A user entry corrects the shipped actor of its name: the shipped entries go from every
    # surface they had, so 'Borisov' alone no longer finds the entry that 'Boyko Borisov' replaced.
    kb.remove_entries(
        [e for entry in user for e in _named(kb, {"name": entry.name, "aliases": entry.aliases})]
    )
    for entry in user:
        kb.add_entry(entry)


def _named(kb: Knowledge, rec: dict[str, Any]) -> list[ActorEntry]:
    """The shipped entries a user record names by its name or aliases (of its ``country``
    only, when it gives one: suppressing the Dominican 'PRI' keeps the Mexican one)."""
    if not rec.get("name"):
        raise ValueError(f"actor entry without a name: {rec!r}")
    country = str(rec["country"]).upper() if rec.get("country") else None
    found: list[ActorEntry] = []
    for surface in (rec["name"], *_as_tuple(rec.get("aliases"))):
        for entry in kb.entries.get(fold_key(surface), ()):
            if (
                entry.source != "user"
                and (country is None or entry.country == country)
                and entry not in found
            ):
                found.append(entry)
    return found


_ACROSS_BORDERS = language_data(LANGUAGE, "actors").words("unplaced_modifiers")


def placeable(text: str) -> bool:
    """Whether a generic actor may take the country of where it is told: 'police' may, 'the
    international community' and 'foreign ambassadors' may not."""
    return _ACROSS_BORDERS.isdisjoint(text.lower().split())
