"""Charts as inline SVG, drawn on the server: no JavaScript, no external library.

``quad_chart``: per period, cooperation stacked above the axis (q1 verbal, q2 material)
and conflict below it (q3 verbal, q4 material), with the mean Goldstein value as a line
on its own scale (-10 to +10, right) and the alert periods marked. Every text in the
SVG is escaped; every bar has a tooltip (``<title>``) with its figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

QUADS = (
    ("q1", "verbal cooperation", "quad1"),
    ("q2", "material cooperation", "quad2"),
    ("q3", "verbal conflict", "quad3"),
    ("q4", "material conflict", "quad4"),
)

CSS = {key: css for key, _, css in QUADS}


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _ticks(top: int) -> list[int]:
    """A few round tick values from 0 to ``top``."""
    if top <= 0:
        return [0]
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000):
        if top / step <= 4:
            return list(range(0, top + 1, step))
    step = 10 ** len(str(top // 4))
    return list(range(0, top + 1, step))


def quad_chart(
    rows: Sequence[dict[str, Any]],
    *,
    title: str = "Cooperation and conflict",
    alerts: Iterable[str] = (),
    goldstein: bool = True,
    chart_id: str = "chart",
    width: int = 760,
    height: int = 280,
    link: Callable[[str], str] | None = None,
) -> Markup:
    """The timeline ``rows`` (``communique.store.timeline``'s) as an SVG element; with ``link``
    (period -> address), each bar opens the events of its period."""
    title_id = f"{chart_id}-title"
    if not rows:
        return Markup('<p class="empty">No dated events to draw.</p>')
    alert_periods = set(alerts)
    left, right, top_pad, bottom = 44, 44 if goldstein else 12, 28, 34
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    mid = top_pad + plot_h / 2
    coop = [r["q1"] + r["q2"] for r in rows]
    conf = [r["q3"] + r["q4"] for r in rows]
    top_count = max(1, *coop, *conf)
    ticks = _ticks(top_count)
    top_count = max(top_count, ticks[-1])
    half = plot_h / 2
    scale = half / top_count
    band = plot_w / len(rows)
    bar_w = max(1.0, min(band * 0.8, 56.0))
    out: list[str] = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    # grid and left axis: counts above (cooperation) and below (conflict) the middle line
    for t in ticks:
        for sign in (1, -1) if t else (1,):
            y = mid - sign * t * scale
            out.append(f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
            out.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{t}</text>')
    out.append(f'<line class="axis" x1="{left}" x2="{left + plot_w}" y1="{mid:.1f}" y2="{mid:.1f}"/>')
    out.append(f'<text class="axis-label" x="{left}" y="{top_pad - 10}">▲ cooperation</text>')
    out.append(f'<text class="axis-label" x="{left}" y="{height - 4}">▼ conflict</text>')
    # bars
    for i, row in enumerate(rows):
        x = left + i * band + (band - bar_w) / 2
        period = str(row["period"])
        tip = escape(
            f"{period}: {row['events']} events — "
            f"q1 {row['q1']}, q2 {row['q2']}, q3 {row['q3']}, q4 {row['q4']}"
            + (
                f"; mean Goldstein {_num(row['goldstein_mean'])}"
                if row.get("goldstein_mean") is not None
                else ""
            )
        )
        if link is not None:
            out.append(f'<a class="bar-link" href="{escape(link(period))}">')
        out.append(f'<g class="bar"><title>{tip}</title>')
        y = mid
        for key in ("q1", "q2"):
            h = row[key] * scale
            if h:
                y -= h
                out.append(
                    f'<rect class="{CSS[key]}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}"/>'
                )
        y = mid
        for key in ("q3", "q4"):
            h = row[key] * scale
            if h:
                out.append(
                    f'<rect class="{CSS[key]}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}"/>'
                )
                y += h
        # an invisible full-height target so that the tooltip shows anywhere in the column
        out.append(
            f'<rect class="hit" x="{left + i * band:.1f}" y="{top_pad}" '
            f'width="{band:.1f}" height="{plot_h}"/>'
        )
        out.append("</g>")
        if link is not None:
            out.append("</a>")
        if period in alert_periods:
            cx = left + (i + 0.5) * band
            out.append(
                f'<path class="alert-mark" d="M{cx - 5:.1f},{top_pad - 2} L{cx + 5:.1f},{top_pad - 2} '
                f'L{cx:.1f},{top_pad + 7}Z"><title>alert: {escape(period)}</title></path>'
            )
    # x labels: at most about eight
    every = max(1, round(len(rows) / 8))
    for i, row in enumerate(rows):
        if i % every == 0:
            cx = left + (i + 0.5) * band
            out.append(
                f'<text class="tick" x="{cx:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle">'
                f"{escape(str(row['period']))}</text>"
            )
    # Goldstein mean: a line on the right-hand scale, -10 .. +10
    if goldstein:
        for g in (-10, -5, 0, 5, 10):
            y = mid - g / 10 * half
            out.append(f'<text class="tick gold" x="{left + plot_w + 6}" y="{y + 4:.1f}">{g:+d}</text>')
        # one line per run of consecutive periods with events: no line across empty periods
        runs: list[list[tuple[float, float]]] = [[]]
        for i, r in enumerate(rows):
            if r.get("goldstein_mean") is None:
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append((left + (i + 0.5) * band, mid - float(r["goldstein_mean"]) / 10 * half))
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                out.append(f'<polyline class="goldstein" points="{path}"/>')
        points = [point for run in runs for point in run]
        for x, y in points:
            out.append(f'<circle class="goldstein-dot" cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>')
        out.append(
            f'<text class="axis-label gold" x="{left + plot_w}" y="{top_pad - 10}" text-anchor="end">'
            "Goldstein mean ●</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def legend(goldstein: bool = True) -> Markup:
    items = [f'<span class="key {css}"></span>{escape(name)}' for _, name, css in QUADS]
    if goldstein:
        items.append('<span class="key goldstein-key"></span>mean Goldstein (right scale)')
    items.append('<span class="key alert-key"></span>alert')
    return Markup('<p class="legend">' + "".join(f"<span>{i}</span>" for i in items) + "</p>")
