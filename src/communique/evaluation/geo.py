"""The ``geo`` data set (``../shared/data/geo``): where events happened, and toponyms.

Three files, each read as JSON lines of ``{"id", "text", "date", "gold"}``:

* ``event_location_dev.jsonl``: one sentence, its event's verb (``gold.trigger``) and the
  spans of the place where that event happened (``gold.locations``, empty when the sentence
  does not say). Scored by asking the places stage where the event of that verb happened:
  accuracy over the sentences that name its place, correct abstention over the others.
* ``trnews_dev.jsonl``, ``lgl.jsonl``: articles with every toponym resolved to GeoNames.
  Scored on ``Result.places``: precision/recall/F1 of the spans (a gold span is found when a
  place overlaps half of it), then of the found ones with a gold entry: accuracy@161 km (the
  GeoNames id matches or the point lies within 161 km), GeoNames-id accuracy, median km.

The files are the development set as a whole (their held-out halves are kept elsewhere).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from communique.evaluation.spans import span_matches
from communique.models import Place
from communique.places.component import location_candidates
from communique.places.gazetteer import distance_km
from communique.places.location import MIN_LEVEL, choose_location

EVENT_FILE = "event_location_dev.jsonl"
TOPONYM_FILES = {"trnews": "trnews_dev.jsonl", "lgl": "lgl.jsonl"}
#: The geoparsing literature's tolerance: 100 miles.
TOLERANCE_KM = 161.0
#: The stages the geo scores need: the parse, the actors (their countries) and the places.
_NOT_NEEDED = ("communique_quotes", "communique_events", "communique_records")


@dataclass
class GeoItem:
    """One sentence or article of the geo data set, with its gold."""

    corpus: str  # 'event_location', 'trnews', 'lgl'
    id: str
    text: str
    gold: dict[str, Any]
    predicted_places: list[Place] = field(default_factory=list)
    predicted_location: tuple[int, int] | None = None


def load_geo(root: str | Path) -> list[GeoItem]:
    """Every item of the geo folder (files that are absent are left out)."""
    root = Path(root)
    items = []
    for corpus, name in (("event_location", EVENT_FILE), *TOPONYM_FILES.items()):
        path = root / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").split("\n"):  # not splitlines: texts hold U+2028
            if line.strip():
                row = json.loads(line)
                items.append(GeoItem(corpus, row["id"], row["text"], row["gold"]))
    return items


def predict(
    nlp: Language, items: Sequence[GeoItem], batch_size: int = 64, min_level: int = MIN_LEVEL
) -> None:
    """Fill each item's predictions from the places stage of ``nlp`` (the communique pipeline)."""
    disable = [n for n in _NOT_NEEDED if n in nlp.pipe_names]
    with nlp.select_pipes(disable=disable):
        for item, doc in zip(items, nlp.pipe((i.text for i in items), batch_size=batch_size), strict=True):
            places: list[Place] = doc._.places or []
            item.predicted_places = places
            if item.corpus == "event_location":
                trigger = item.gold["trigger"]
                where = location_candidates(doc, places)
                index = choose_location(doc, (trigger["start"], trigger["end"]), where, min_level)
                item.predicted_location = None if index is None else (where[index].start, where[index].end)


def score_geo(items: Sequence[GeoItem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    events = [i for i in items if i.corpus == "event_location"]
    if events:
        out["event_location"] = score_event_locations(events)
    for corpus in TOPONYM_FILES:
        chosen = [i for i in items if i.corpus == corpus]
        if chosen:
            out[corpus] = score_toponyms(chosen)
    return out


def score_event_locations(items: Iterable[GeoItem]) -> dict[str, Any]:
    located = correct = unlocated = abstained = 0
    for item in items:
        golds = [(g["start"], g["end"]) for g in item.gold["locations"]]
        if golds:
            located += 1
            pred = item.predicted_location
            correct += pred is not None and any(span_matches(pred, g) for g in golds)
        else:
            unlocated += 1
            abstained += item.predicted_location is None
    return {
        "located": located,
        "accuracy": round(correct / located, 4) if located else None,
        "unlocated": unlocated,
        "abstention": round(abstained / unlocated, 4) if unlocated else None,
    }


def _right(place: Place, gold: dict[str, Any]) -> tuple[bool, bool, float | None]:
    """(right at 161 km, right GeoNames id, distance in km or None)."""
    same_id = place.geonames_id is not None and str(place.geonames_id) == str(gold.get("geonameid"))
    km = None
    if place.lat is not None and place.lon is not None and gold.get("lat") is not None:
        km = distance_km((place.lat, place.lon), (float(gold["lat"]), float(gold["lon"])))
    return same_id or (km is not None and km <= TOLERANCE_KM), same_id, km


def score_toponyms(items: Iterable[GeoItem]) -> dict[str, Any]:
    gold_n = pred_n = found = pred_matched = resolvable = right = right_id = 0
    kms: list[float] = []
    for item in items:
        golds = item.gold["toponyms"]
        spans = [(p.start, p.end) for p in item.predicted_places]
        gold_n += len(golds)
        pred_n += len(spans)
        pred_matched += sum(any(span_matches(s, (g["start"], g["end"])) for g in golds) for s in spans)
        for gold in golds:
            match = next(
                (
                    p
                    for p in item.predicted_places
                    if span_matches((p.start, p.end), (gold["start"], gold["end"]))
                ),
                None,
            )
            if match is None:
                continue
            found += 1
            if gold.get("geonameid") is None:
                continue
            resolvable += 1
            ok, ok_id, km = _right(match, gold)
            right += ok
            right_id += ok_id
            if km is not None:
                kms.append(km)
    precision = pred_matched / pred_n if pred_n else 0.0
    recall = found / gold_n if gold_n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold": gold_n,
        "predicted": pred_n,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "resolvable_found": resolvable,
        "acc_161km": round(right / resolvable, 4) if resolvable else None,
        "geonames_id_accuracy": round(right_id / resolvable, 4) if resolvable else None,
        "median_km": round(statistics.median(kms), 1) if kms else None,
    }


def format_geo(m: dict[str, Any]) -> list[str]:
    out = []
    if "event_location" in m:
        e = m["event_location"]
        out.append(
            f"event location: accuracy {e['accuracy']:.3f} over {e['located']} sentences that name "
            f"its place; correct abstention {e['abstention']:.3f} over {e['unlocated']} that do not"
        )
    for corpus in TOPONYM_FILES:
        if corpus in m:
            t = m[corpus]
            acc = "-" if t["acc_161km"] is None else f"{t['acc_161km']:.3f}"
            ids = "-" if t["geonames_id_accuracy"] is None else f"{t['geonames_id_accuracy']:.3f}"
            out.append(
                f"{corpus:<7} toponyms P {t['precision']:.3f} R {t['recall']:.3f} F1 {t['f1']:.3f} "
                f"(gold {t['gold']}, predicted {t['predicted']}); of {t['resolvable_found']} found: "
                f"acc@161km {acc}, GeoNames id {ids}, median {t['median_km']} km"
            )
    return out
