"""A big store made of real extracted records, written through the store's own ingest API.

Running the NLP pipeline over 200,000 events' worth of articles takes hours on a small machine, and a
store of random SQL rows (``bench_store.synthetic_store``) lacks what real records have: several
events and mentions per cluster, quotes, actor mentions, resolved places, long ``*_json`` columns.
So the bundled ``examples/`` are extracted once (the pipeline, about 10 s; cached as JSON lines next
to the store, or given with ``--records``) and their results are replicated until the store holds
the wanted number of events. Each copy ``k`` of a record gets

* a new id (``<id>#<k>``) and a unique text (the original plus a line naming the copy, after every
  offset, so spans stay valid and the content hash differs);
* a new date: a random day over two years (2024-06-01 + 0..729), so timelines and clusters spread;
* new actors: every country code in the record (actors, events, quotes, places) goes through a
  permutation of the country codes drawn for that copy, skewed so that a few dyads are big, and
  resolved names get one of 25 variants ('Marco Rubio', 'Marco Rubio 3' ...): top-actor lists
  and actor pages see many actors;
* a new URL on one of six outlets.

Then ``writer.write_results`` stores them in batches, as ``communique ingest`` would: the cluster
ids and every derived column come from the store's own code.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from communique.models import Result
from communique.store import Store
from communique.store.writer import write_results

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = [
    *("USA", "RUS", "CHN", "UKR", "IRN", "ISR", "GBR", "FRA", "DEU", "IND", "PAK", "TUR", "SAU", "JPN"),
    *("KOR", "PRK", "SYR", "LBN", "EGY", "NGA", "ZAF", "BRA", "MEX", "CAN", "AUS", "IDN", "PHL", "VNM"),
    *("THA", "MMR", "AFG", "IRQ", "YEM", "SDN", "SOM", "ETH", "KEN", "COD", "VEN", "COL"),
]
OUTLETS = ["example.org", "example.com", "example.net", "news.example", "wire.example", "daily.example"]
NAME_VARIANTS = 25
FIRST_DAY = date(2024, 6, 1)
DAYS = 730


def extract_examples(out: Path) -> Path:
    """The bundled examples extracted once (``communique extract``), as JSON lines."""
    if not out.is_file():
        exe = Path(sys.executable).parent / "communique"
        subprocess.run([str(exe), "extract", str(ROOT / "examples"), "-o", str(out)], check=True)
    return out


def _walk(value: Any, countries: dict[str, str], variant: int) -> Any:
    """``value`` with country codes mapped and resolved names varied (``country``, ``*_country``
    and ``name`` keys at any depth)."""
    if isinstance(value, list):
        return [_walk(v, countries, variant) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if isinstance(item, str) and (key == "country" or key.endswith("_country")):
            out[key] = countries.get(item, item)
        elif isinstance(item, str) and key == "name" and variant:
            out[key] = f"{item} {variant}"
        else:
            out[key] = _walk(item, countries, variant)
    return out


def replicate(templates: list[dict[str, Any]], n_events: int, *, seed: int = 42) -> list[Result]:
    """Copies of ``templates`` (extract records) until they hold at least ``n_events`` events."""
    rng = random.Random(seed)
    seen = sorted({c for t in templates for c in _codes(t)})
    results: list[Result] = []
    events = 0
    k = 0
    while events < n_events:
        # one permutation per copy of the whole corpus, skewed to the start of COUNTRIES
        mapping = {c: COUNTRIES[int(len(COUNTRIES) * rng.random() ** 2)] for c in seen}
        variant = rng.randrange(NAME_VARIANTS)
        for template in templates:
            if events >= n_events:
                break
            record = _walk(template, mapping, variant)
            doc_id = f"{template['id']}#{k}"
            record.update(
                id=doc_id,
                source=f"synthetic:{doc_id}",
                date=(FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat(),
                url=f"https://{rng.choice(OUTLETS)}/{k}/{template['id']}",
                text=(record.get("text") or "") + f"\n\n(copy {k})\n",
            )
            need = n_events - events
            if len(record["events"]) > need:  # exactly n_events: the last copy is cut short
                record["events"] = record["events"][:need]
                for quote in record.get("quotes", []):
                    quote["events"] = [i for i in quote.get("events", []) if i < need]
            results.append(Result.model_validate(record))
            events += len(record["events"])
        k += 1
    return results


def _codes(value: Any) -> set[str]:
    if isinstance(value, list):
        return {c for v in value for c in _codes(v)}
    if not isinstance(value, dict):
        return set()
    found = set()
    for key, item in value.items():
        if isinstance(item, str) and (key == "country" or key.endswith("_country")):
            found.add(item)
        else:
            found |= _codes(item)
    return found


def build(db: Path, n_events: int, *, records: Path | None = None, batch: int = 500) -> dict[str, Any]:
    """Write a store of ``n_events`` events at ``db`` (which must not exist); returns what it did."""
    started = time.perf_counter()
    source = records or extract_examples(db.with_name("examples-extract.jsonl"))
    templates = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = replicate(templates, n_events)
    made = time.perf_counter() - started
    store = Store(db)
    stored = 0
    for i in range(0, len(results), batch):
        stored += write_results(store, results[i : i + batch]).stored
    with store.write() as con:
        con.execute("CHECKPOINT")
    return {
        "documents": stored,
        "events": sum(len(r.events) for r in results),
        "templates": len(templates),
        "replicate_s": round(made, 1),
        "build_s": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db", type=Path)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--records", type=Path, help="extract JSON lines to replicate (default: examples/)")
    args = parser.parse_args()
    if args.db.exists():
        raise SystemExit(f"{args.db} exists")
    print(build(args.db, args.events, records=args.records))
