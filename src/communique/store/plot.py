"""Pictures of the store: a dyad's timeline as a PNG (or SVG/PDF, by the file's extension).

Uses matplotlib with the Agg backend: no display needed.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from communique.store.db import Connection, Store
from communique.store.queries import Filters
from communique.store.timeline import timeline

StoreLike = Store | str | Path | Connection
QUAD_LABELS = {
    "q1": ("verbal cooperation", "#6baed6"),
    "q2": ("material cooperation", "#2171b5"),
    "q3": ("verbal conflict", "#fd8d3c"),
    "q4": ("material conflict", "#cb181d"),
}


def goldstein_runs(rows: list[dict[str, Any]]) -> list[list[tuple[str, float]]]:
    """The mean Goldstein line as runs of consecutive periods that have events: a period
    without events has no mean, and the line breaks there rather than fall to 0 or join
    its neighbours across it."""
    runs: list[list[tuple[str, float]]] = []
    current: list[tuple[str, float]] = []
    for row in rows:
        mean = row.get("goldstein_mean")
        if mean is None or not row.get("events"):
            if current:
                runs.append(current)
            current = []
        else:
            current.append((row["period"], float(mean)))
    if current:
        runs.append(current)
    return runs


def plot_timeline(
    db: StoreLike,
    out: str | Path,
    dyad: str | None = None,
    *,
    freq: str = "week",
    unit: str = "clusters",
    title: str | None = None,
    filters: Filters | None = None,
    **filter_args: Any,
) -> list[dict[str, Any]]:
    """Draw ``timeline(...)``: stacked bars of events per quad class per period, and the
    mean Goldstein value as a line on a second axis, broken at periods without events
    (``goldstein_runs``). Returns the rows drawn."""
    rows = timeline(db, dyad, freq=freq, unit=unit, filters=filters, **filter_args)
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    flt = Filters.make(filters, **filter_args)
    label = dyad.replace("-", " → ", 1) if dyad else "all events"
    if flt.undirected and dyad:
        label = dyad.replace("-", " ↔ ", 1)
    fig, ax = plt.subplots(figsize=(10, 4.8), dpi=110)
    try:
        if rows:
            periods = [date.fromisoformat(r["period"]) for r in rows]
            width = {"day": 0.8, "week": 5.5, "month": 24, "quarter": 75, "year": 300}[freq]
            bottom = [0] * len(rows)
            for key, (name, colour) in QUAD_LABELS.items():
                heights = [r[key] for r in rows]
                ax.bar(
                    periods,  # type: ignore[arg-type]  # stubs omit dates; matplotlib's converters take them
                    heights,
                    width=width,
                    bottom=bottom,
                    label=name,
                    color=colour,
                    align="edge",
                )
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
            ax.set_ylabel(
                f"events per {freq} (each cluster once)"
                if unit == "clusters"
                else f"event mentions per {freq}"
            )
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
            line = ax.twinx()
            middle = timedelta(days=width / 2)
            for number, run in enumerate(goldstein_runs(rows)):
                line.plot(
                    [date.fromisoformat(p) + middle for p, _ in run],  # type: ignore[arg-type]  # dates
                    [m for _, m in run],
                    color="black",
                    marker="o",
                    markersize=3,
                    linewidth=1.2,
                    label="mean Goldstein" if number == 0 else None,
                )
            line.axhline(0, color="grey", linewidth=0.6, linestyle=":")
            line.set_ylim(-10.5, 10.5)
            line.set_ylabel("mean Goldstein (-10 conflict … +10 cooperation)")
            handles, labels = ax.get_legend_handles_labels()
            more, more_labels = line.get_legend_handles_labels()
            ax.legend(
                handles + more,
                labels + more_labels,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.1),
                ncol=5,
                fontsize=8,
                frameon=False,
            )
        else:
            ax.text(0.5, 0.5, "no dated events match", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(title or f"{label}: events per {freq}")
        fig.tight_layout()
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out)
    finally:
        plt.close(fig)
    return rows
