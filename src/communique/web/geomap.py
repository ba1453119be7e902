"""The map page: where events happened, as points on a world outline the app serves itself.

The outline is ``worldmap.svg`` of the PyPI package pygal_maps_world (no tile server, no
CDN: the page works offline). Its projection is measured once by
``scripts/build_map_projection.py`` into ``data/places/worldmap.json``; a point is placed
with it. Events are grouped by the place they happened at: one circle per place, its area
by the number of events, its colour the quad class most of them have, a click opening the
article of the latest one at its sentence (the evidence). Regions have no point: they are
counted beside the map, never drawn.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any

from communique.store.db import Connection
from communique.store.queries import Filters
from communique.web.data import doc_href

#: Radius of a place with one event, and how it grows with the square root of the count.
_R_ONE, _R_GROWTH, _R_MAX = 9.0, 7.0, 70.0
#: The package's outline has no colours of its own (pygal styles it from outside); an
#: <image> cannot be styled by the page, so the colours go into the file as it is served.
_OUTLINE_STYLE = b"<style>.country{fill:#dde4ea;stroke:#8a99a6;stroke-width:0.8}</style>"


@lru_cache(maxsize=1)
def world_svg() -> bytes:
    """The world outline the package ships, with its colours."""
    svg = (resources.files("pygal_maps_world") / "worldmap.svg").read_bytes()
    head_end = svg.index(b">", svg.index(b"<svg")) + 1
    return svg[:head_end] + _OUTLINE_STYLE + svg[head_end:]


@lru_cache(maxsize=1)
def _projection() -> dict[str, Any]:
    text = (resources.files("communique") / "data" / "places" / "worldmap.json").read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


def view_box() -> list[float]:
    return list(_projection()["view_box"])


def project(lat: float, lon: float) -> tuple[float, float]:
    """Where (lat, lon) falls on the outline, in the SVG's own units."""
    x0, a, b, c = _projection()["x"]
    y0, d, e, f = _projection()["y"]
    return x0 + lon * (a + b * lat**2 + c * lat**4), y0 + d * lat + e * lat**2 + f * lat**3


_POINTS_SQL = """
SELECT location_name AS name, location_country AS country, location_admin1 AS admin1,
    round(location_lat, 3) AS lat, round(location_lon, 3) AS lon, count(*) AS n,
    count(*) FILTER (WHERE quad_class = 1) AS q1, count(*) FILTER (WHERE quad_class = 2) AS q2,
    count(*) FILTER (WHERE quad_class = 3) AS q3, count(*) FILTER (WHERE quad_class = 4) AS q4,
    arg_max(doc_id, (date, doc_id, idx)) AS doc_id, arg_max(idx, (date, doc_id, idx)) AS idx
FROM events WHERE {where} AND location_lat IS NOT NULL AND location_lon IS NOT NULL
GROUP BY ALL ORDER BY n DESC, name
"""


def map_points(con: Connection, flt: Filters) -> list[dict[str, Any]]:
    """One point per place events happened at, largest first (drawn first, so small ones
    stay clickable on top)."""
    where, params = flt.where(default_statuses=("happened",))
    cursor = con.execute(_POINTS_SQL.format(where=where), params)
    names = [d[0] for d in cursor.description]
    points = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        x, y = project(row["lat"], row["lon"])
        quads = [row[f"q{q}"] for q in (1, 2, 3, 4)]
        quad = 1 + quads.index(max(quads)) if any(quads) else 0
        radius = min(_R_MAX, _R_ONE + _R_GROWTH * (math.sqrt(row["n"]) - 1))
        label = ", ".join(str(p) for p in (row["name"], row["admin1"], row["country"]) if p)
        points.append(
            {
                **row,
                "x": round(x, 1),
                "y": round(y, 1),
                "r": round(radius, 1),
                "quad": quad,
                "label": label,
                "href": doc_href(row["doc_id"], row["idx"]),
            }
        )
    return points


def unplaced_counts(con: Connection, flt: Filters) -> dict[str, int]:
    """Events placed only in a region (no point) and events with no place, for the legend."""
    where, params = flt.where(default_statuses=("happened",))
    regions, none = con.execute(
        f"SELECT count(*) FILTER (WHERE location_text IS NOT NULL AND location_lat IS NULL), "
        f"count(*) FILTER (WHERE location_text IS NULL) FROM events WHERE {where}",
        params,
    ).fetchone() or (0, 0)
    return {"regions": int(regions), "none": int(none)}
