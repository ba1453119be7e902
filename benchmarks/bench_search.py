"""Search latency on a large store (issue 21).

Builds a synthetic store of --docs articles (each --events-per-doc events, every event's
sentence part of its article) with ``write_results``, no pipeline; builds the FTS5 index
(timed: the first search), then times --queries searches (one word, two words, a phrase, a
prefix, a rare name) from the call to the answer, and prints p50/p99. Writes
benchmarks/results/bench-search.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from communique.models import ActorMention, Event, Result, Span
from communique.store import write_results
from communique.store.search import search

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["USA", "RUS", "CHN", "UKR", "IRN", "ISR", "FRA", "DEU", "IND", "PAK", "TUR", "KEN", "NGA", "BRA"]
NAMES = {
    "USA": "Washington",
    "RUS": "Moscow",
    "CHN": "Beijing",
    "UKR": "Kyiv",
    "IRN": "Tehran",
    "ISR": "Israel",
    "FRA": "Paris",
    "DEU": "Berlin",
    "IND": "New Delhi",
    "PAK": "Islamabad",
    "TUR": "Ankara",
    "KEN": "Nairobi",
    "NGA": "Abuja",
    "BRA": "Brasilia",
}
VERBS = [
    ("met", "CONSULT"),
    ("condemned", "ACCUSE"),
    ("attacked", "ASSAULT"),
    ("sanctioned", "SANCTION"),
    ("praised", "SUPPORT"),
    ("threatened", "THREATEN"),
    ("signed an accord with", "AGREE"),
]
FILLER = [
    "officials",
    "said",
    "the",
    "talks",
    "on",
    "trade",
    "energy",
    "security",
    "grain",
    "shipments",
    "ceasefire",
    "border",
    "water",
    "drones",
    "elections",
    "migration",
    "refugees",
    "inflation",
    "pipeline",
    "nuclear",
    "inspectors",
    "embassy",
    "sanctions",
    "aid",
]


def article(i: int, events: int, rng: random.Random) -> Result:
    sentences, evs = [], []
    pos = 0
    for _ in range(events):
        a, b = rng.sample(COUNTRIES, 2)
        verb, kind = rng.choice(VERBS)
        tail = " ".join(rng.choices(FILLER, k=12))
        sentence = f"{NAMES[a]} {verb} {NAMES[b]} as {tail}."
        start = pos
        trigger_at = start + len(NAMES[a]) + 1
        evs.append(
            Event(
                type=kind,
                source=ActorMention(text=NAMES[a], start=start, end=start + len(NAMES[a]), country=a),
                target=None,
                trigger=Span(text=verb, start=trigger_at, end=trigger_at + len(verb)),
                sentence=Span(text=sentence, start=start, end=start + len(sentence)),
                confidence=0.8,
            )
        )
        sentences.append(sentence)
        pos += len(sentence) + 1
    text = " ".join(sentences) + f" Reported by correspondent{i}."
    return Result(
        id=f"doc-{i}",
        source=f"synthetic/{i}",
        title=f"Report {i}",
        date=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
        text=text,
        events=evs,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--events-per-doc", type=int, default=5)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", default=None, help="keep the store here (default: a temporary folder)")
    args = parser.parse_args()
    rng = random.Random(7)
    folder = Path(args.db).parent if args.db else Path(tempfile.mkdtemp())
    db = Path(args.db) if args.db else folder / "search.duckdb"
    began = time.perf_counter()
    for start in range(0, args.docs, 2_000):
        write_results(
            db, [article(i, args.events_per_doc, rng) for i in range(start, min(args.docs, start + 2_000))]
        )
    built = time.perf_counter() - began
    began = time.perf_counter()
    search(db, "ceasefire")
    indexed = time.perf_counter() - began
    words = ["ceasefire", "drones", "pipeline", "refugees", "Tehran", "Nairobi", "embassy"]
    queries = []
    for n in range(args.queries):
        kind = n % 5
        if kind == 0:
            queries.append(rng.choice(words))
        elif kind == 1:
            queries.append(" ".join(rng.sample(words, 2)))
        elif kind == 2:
            queries.append('"peace talks" OR "grain shipments"')
        elif kind == 3:
            queries.append("sanction*")
        else:
            queries.append(f"correspondent{rng.randrange(args.docs)}")
    times = []
    for q in queries:
        t = time.perf_counter()
        search(db, q, limit=20)
        times.append(time.perf_counter() - t)
    times.sort()
    p50 = statistics.median(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    result = {
        "docs": args.docs,
        "events": args.docs * args.events_per_doc,
        "store_mb": round(db.stat().st_size / 1e6, 1),
        "index_mb": round(Path(str(db) + ".search.sqlite").stat().st_size / 1e6, 1),
        "store_build_s": round(built, 1),
        "index_build_s": round(indexed, 1),
        "queries": len(times),
        "p50_ms": round(p50 * 1000, 1),
        "p99_ms": round(p99 * 1000, 1),
        "machine": platform.platform(),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench-search.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
