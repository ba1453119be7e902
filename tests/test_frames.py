"""communique.open: the store as pandas DataFrames for notebooks."""

from __future__ import annotations

import pandas as pd
import pytest

import communique
from communique.store import StoreNotFound, write_results
from communique.store.columns import EVENTS
from test_web_api import mentions_result


def test_open_gives_flat_frames_with_real_dates(tmp_path):
    db = tmp_path / "s.duckdb"
    write_results(db, [mentions_result()])
    store = communique.open(db)
    events = store.events
    assert len(events) == 1
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert events["date"][0] == pd.Timestamp("2026-03-02")
    row = events.iloc[0]
    assert (row["type"], row["source_country"], row["target_name"]) == ("CONSULT", "USA", "Abbas Araghchi")
    assert list(row["source_sectors"]) == ["GOV"]
    # the columns are the stored ones, derived from the model; no nested JSON
    assert "event_json" not in events.columns
    assert {c.name for c in EVENTS.columns} - {"event_json"} <= set(events.columns)
    actors = store.actors
    assert set(actors["name"]) == {"Marco Rubio", "Abbas Araghchi"}
    assert store.quotes.empty
    docs = store.documents()
    assert "text" not in docs.columns and docs["title"][0] == "Rubio meets Araghchi"
    assert store.documents(text=True)["text"][0].startswith("Rubio met")
    # a notebook can group by month straight away
    assert events.groupby(events["date"].dt.to_period("M")).size().iloc[0] == 1


def test_open_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreNotFound, match="no store at"):
        communique.open(tmp_path / "none.duckdb")
