"""`communique eval geo`: the scoring rules on made-up items, then the real data when present."""

from __future__ import annotations

import pytest

from communique.evaluation.geo import (
    GeoItem,
    load_geo,
    predict,
    score_event_locations,
    score_geo,
    score_toponyms,
)
from communique.evaluation.runner import load_items
from communique.models import Place
from conftest import SHARED, need_shared

GEO = SHARED / "data" / "geo"


def _gold(text: str, start: int, end: int, gid: str, lat: float, lon: float) -> dict:
    return {"text": text, "start": start, "end": end, "geonameid": gid, "lat": lat, "lon": lon}


def test_toponyms_half_overlap_and_161_km():
    text = "Fighting in Aleppo, Syria and in Homs."
    gold = {
        "toponyms": [
            _gold("Aleppo", 12, 18, "170063", 36.2, 37.16),
            _gold("Syria", 20, 25, "163843", 35.0, 38.0),
            _gold("Homs", 33, 37, "169577", 34.73, 36.71),
        ]
    }
    predicted = [
        # the right id
        Place(text="Aleppo", start=12, end=18, geonames_id=170063, lat=36.2, lon=37.16),
        # no id, but within 161 km: right at 161 km, wrong by id
        Place(text="Syria", start=20, end=25, lat=35.5, lon=38.2),
        # 'in Homs' overlaps all of 'Homs': found; placed in Texas: wrong
        Place(text="in Homs", start=30, end=37, lat=31.0, lon=-99.0),
        # a span that is no gold toponym: a false positive
        Place(text="Fighting", start=0, end=8),
    ]
    item = GeoItem("trnews", "t1", text, gold, predicted_places=predicted)
    m = score_toponyms([item])
    assert (m["gold"], m["predicted"]) == (3, 4)
    assert m["recall"] == 1.0 and m["precision"] == 0.75
    assert m["acc_161km"] == round(2 / 3, 4) and m["geonames_id_accuracy"] == round(1 / 3, 4)


def test_a_prediction_covering_under_half_of_the_gold_finds_nothing():
    gold = {"toponyms": [_gold("Bethlehem", 0, 9, "1", 31.7, 35.2)]}
    item = GeoItem("lgl", "t", "Bethlehem", gold, predicted_places=[Place(text="Beth", start=0, end=4)])
    assert score_toponyms([item])["recall"] == 0.0


def test_event_location_accuracy_and_abstention():
    located = GeoItem(
        "event_location",
        "a",
        "x",
        {"trigger": {}, "locations": [{"start": 5, "end": 11}]},
        predicted_location=(5, 11),
    )
    missed = GeoItem(
        "event_location",
        "b",
        "x",
        {"trigger": {}, "locations": [{"start": 5, "end": 11}]},
        predicted_location=None,
    )
    abstained = GeoItem("event_location", "c", "x", {"trigger": {}, "locations": []}, predicted_location=None)
    guessed = GeoItem("event_location", "d", "x", {"trigger": {}, "locations": []}, predicted_location=(0, 3))
    m = score_event_locations([located, missed, abstained, guessed])
    assert m == {"located": 2, "accuracy": 0.5, "unlocated": 2, "abstention": 0.5}


def test_geo_has_no_heldout_half_here():
    need_shared(GEO)
    with pytest.raises(ValueError, match="heldout"):
        load_items("geo", GEO, "heldout")


@pytest.mark.shared
def test_geo_on_the_shared_data(pipeline):
    need_shared(GEO)
    items = load_geo(GEO)
    sample = [
        i for c in ("event_location", "trnews", "lgl") for i in [x for x in items if x.corpus == c][:25]
    ]
    predict(pipeline.nlp, sample)
    m = score_geo(sample)
    assert set(m) == {"event_location", "trnews", "lgl"}
    # well above chance on a small sample; the full figures are in the README
    assert m["event_location"]["accuracy"] >= 0.5
    assert m["trnews"]["f1"] >= 0.6 and m["trnews"]["acc_161km"] >= 0.6
    assert m["lgl"]["acc_161km"] >= 0.5
