"""Time series of a dyad, and alerts when its conflict departs from its own baseline.

``timeline``: per period (day, week, month, quarter, year; weeks start on Monday) the
number of events, the number per quad class (q1 verbal cooperation, q2 material
cooperation, q3 verbal conflict, q4 material conflict), the sum and the mean of their
Goldstein values. Periods without events are listed with zeros, from the first period
with an event to the last. ``unit='clusters'`` (the default) counts each event cluster
once, however many articles report it; ``unit='events'`` counts every coded mention.

``alerts``: the conflict score of a dyad in a period is the sum of -Goldstein over its
conflict events (quad class 3 or 4; an event without a Goldstein value counts 1), so a
period of heavier or more numerous hostile events scores higher. Its baseline is the
``window`` periods before it (zeros included, counted from the dyad's first event):
mean m and population standard deviation s. The period's z-score is
(score - m) / max(s, 1); a period is an alert when |z| >= ``threshold`` and at least
``min_periods`` baseline periods exist. ``direction='up'`` keeps escalations, ``'down'``
de-escalations, ``'both'`` either. The floor of 1 on s keeps a flat baseline (all zeros)
from turning a single minor event into an alert: it takes a score ``threshold`` above the
baseline mean.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from communique.store.db import Connection, Store, reading
from communique.store.queries import HAPPENED, Filters, fetch_rows, iso_row

StoreLike = Store | str | Path | Connection
FREQUENCIES = {
    "day": "INTERVAL 1 DAY",
    "week": "INTERVAL 7 DAY",
    "month": "INTERVAL 1 MONTH",
    "quarter": "INTERVAL 3 MONTH",
    "year": "INTERVAL 1 YEAR",
}
UNITS = ("clusters", "events")


def _check(freq: str, unit: str) -> None:
    if freq not in FREQUENCIES:
        raise ValueError(f"freq is one of {', '.join(FREQUENCIES)}, not {freq!r}")
    if unit not in UNITS:
        raise ValueError(f"unit is 'clusters' or 'events', not {unit!r}")


def _units_sql(where: str, unit: str, extra: str = "") -> str:
    """Dated events (or clusters, at their first mention) matching ``where``."""
    cols = f"date, quad_class, goldstein{extra}"
    base = f"SELECT cluster_id, doc_id, idx, {cols} FROM events WHERE {where} AND date IS NOT NULL"
    if unit == "events":
        return f"SELECT {cols} FROM ({base})"
    picks = ", ".join(f"arg_min({c.strip()}, (date, doc_id, idx)) AS {c.strip()}" for c in cols.split(","))
    return f"SELECT {picks} FROM ({base}) GROUP BY cluster_id"


def undated(
    db: StoreLike,
    dyad: str | None = None,
    *,
    filters: Filters | None = None,
    default_statuses: tuple[str, ...] = HAPPENED,
    **filter_args: Any,
) -> dict[str, int]:
    """The events a date-based question (timeline, alerts, plot, a --since/--until filter)
    leaves out because their document has no date: ``{"events": n, "documents": m}`` among
    those the filters (but their dates) match, of ``default_statuses`` (what happened; ``()``
    for every status) unless ``statuses`` says otherwise."""
    flt = replace(Filters.make(filters, **filter_args).with_dyad(dyad), since=None, until=None)
    where, params = flt.where(default_statuses)
    sql = f"SELECT count(*), count(DISTINCT doc_id) FROM events WHERE {where} AND date IS NULL"
    with reading(db) as con:
        events, documents = con.execute(sql, params).fetchall()[0]
    return {"events": int(events), "documents": int(documents)}


def undated_note(counts: dict[str, int], left_out: str) -> str | None:
    """A line saying what ``undated`` counted, where it is ``left_out`` ('left out of the
    timeline') and how to date it; None when nothing is left out."""
    if not counts["events"]:
        return None
    docs = counts["documents"]
    return (
        f"{counts['events']} matching event(s) of {docs} undated document(s) {left_out}: "
        "give their date with `ingest --date YYYY-MM-DD`, a date field (JSONL/CSV) or `date:` front "
        "matter, and ingest them again with --replace"
    )


def timeline(
    db: StoreLike,
    dyad: str | None = None,
    *,
    freq: str = "week",
    unit: str = "clusters",
    filters: Filters | None = None,
    **filter_args: Any,
) -> list[dict[str, Any]]:
    """Counts per period for ``dyad`` ('USA-IRN', directed unless ``undirected=True``) or,
    without one, for every event matching the filters. Only events that happened count,
    unless ``statuses`` says otherwise."""
    _check(freq, unit)
    flt = Filters.make(filters, **filter_args).with_dyad(dyad)
    where, params = flt.where(HAPPENED)
    step = FREQUENCIES[freq]
    sql = f"""
WITH units AS ({_units_sql(where, unit)}),
per AS (
    SELECT date_trunc('{freq}', date)::DATE AS period,
        count(*) AS events,
        count(*) FILTER (WHERE quad_class = 1) AS q1,
        count(*) FILTER (WHERE quad_class = 2) AS q2,
        count(*) FILTER (WHERE quad_class = 3) AS q3,
        count(*) FILTER (WHERE quad_class = 4) AS q4,
        sum(goldstein) AS goldstein_sum,
        avg(goldstein) AS goldstein_mean
    FROM units GROUP BY 1
),
grid AS (
    SELECT unnest(generate_series(min(period)::TIMESTAMP, max(period)::TIMESTAMP, {step}))::DATE AS period
    FROM per
)
SELECT grid.period,
    coalesce(events, 0) AS events,
    coalesce(q1, 0) AS q1, coalesce(q2, 0) AS q2, coalesce(q3, 0) AS q3, coalesce(q4, 0) AS q4,
    round(coalesce(goldstein_sum, 0), 3) AS goldstein_sum,
    round(goldstein_mean, 3) AS goldstein_mean
FROM grid LEFT JOIN per USING (period)
ORDER BY grid.period"""
    with reading(db) as con:
        return [iso_row(r) for r in fetch_rows(con, sql, params)]


def alerts(
    db: StoreLike,
    dyad: str | None = None,
    *,
    freq: str = "week",
    window: int = 8,
    threshold: float = 3.0,
    min_periods: int = 4,
    direction: str = "both",
    unit: str = "clusters",
    limit: int | None = 100,
    filters: Filters | None = None,
    **filter_args: Any,
) -> list[dict[str, Any]]:
    """Periods where a dyad's conflict score departs from its own rolling baseline (see the
    module docstring), strongest first. Without ``dyad``, every country dyad is scanned."""
    _check(freq, unit)
    if window < 1:
        raise ValueError("the baseline window must be at least one period")
    if not 1 <= min_periods <= window:
        raise ValueError("min_periods must be between 1 and the window")
    if direction not in ("up", "down", "both"):
        raise ValueError("direction is 'up', 'down' or 'both'")
    flt = Filters.make(filters, **filter_args).with_dyad(dyad)
    where, params = flt.where(HAPPENED)
    if flt.undirected:
        pair = (
            "least(source_country, target_country) AS source, "
            "greatest(source_country, target_country) AS target"
        )
    else:
        pair = "source_country AS source, target_country AS target"
    where += " AND source_country IS NOT NULL AND target_country IS NOT NULL"
    base = (
        f"SELECT cluster_id, doc_id, idx, date, quad_class, goldstein, {pair} FROM events "
        f"WHERE {where} AND date IS NOT NULL"
    )
    if unit == "events":
        units = f"SELECT source, target, date, quad_class, goldstein FROM ({base})"
    else:
        units = (
            "SELECT any_value(source) AS source, any_value(target) AS target, min(date) AS date, "
            "arg_min(quad_class, (date, doc_id, idx)) AS quad_class, "
            "arg_min(goldstein, (date, doc_id, idx)) AS goldstein "
            f"FROM ({base}) GROUP BY cluster_id"
        )
    keep = {"up": "z >= $threshold", "down": "z <= -$threshold", "both": "abs(z) >= $threshold"}[direction]
    params.update(threshold=float(threshold), min_periods=int(min_periods))
    sql = f"""
WITH units AS ({units}),
per AS (
    SELECT source, target, date_trunc('{freq}', date)::DATE AS period,
        count(*) AS events,
        count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict_events,
        sum(CASE WHEN quad_class IN (3, 4) THEN greatest(coalesce(-goldstein, 1), 0) ELSE 0 END) AS score
    FROM units GROUP BY ALL
),
last AS (SELECT max(period) AS last FROM per),
firsts AS (SELECT source, target, min(period) AS first FROM per GROUP BY ALL),
grid AS (
    SELECT source, target,
        unnest(generate_series(first::TIMESTAMP, last::TIMESTAMP, {FREQUENCIES[freq]}))::DATE AS period
    FROM firsts, last
),
series AS (
    SELECT grid.source, grid.target, grid.period,
        coalesce(per.events, 0) AS events,
        coalesce(per.conflict_events, 0) AS conflict_events,
        coalesce(per.score, 0) AS score
    FROM grid LEFT JOIN per USING (source, target, period)
),
scored AS (
    SELECT *,
        avg(score) OVER w AS baseline_mean,
        stddev_pop(score) OVER w AS baseline_std,
        count(*) OVER w AS baseline_periods
    FROM series
    WINDOW w AS (PARTITION BY source, target ORDER BY period
                 ROWS BETWEEN {int(window)} PRECEDING AND 1 PRECEDING)
),
z AS (
    SELECT *, (score - baseline_mean) / greatest(baseline_std, 1.0) AS z FROM scored
    WHERE baseline_periods >= $min_periods
)
SELECT source, target, period, events, conflict_events,
    round(score, 3) AS score, round(baseline_mean, 3) AS baseline_mean,
    round(baseline_std, 3) AS baseline_std, baseline_periods, round(z, 3) AS z,
    CASE WHEN z > 0 THEN 'up' ELSE 'down' END AS direction
FROM z WHERE {keep}
ORDER BY abs(z) DESC, period, source, target"""
    if limit is not None:
        sql += " LIMIT $limit"
        params["limit"] = int(limit)
    with reading(db) as con:
        return [iso_row(r) for r in fetch_rows(con, sql, params)]
