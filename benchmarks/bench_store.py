"""Cost of the event store, in the same run as what it is compared with.

1. ingest against extract: the same corpus (the bundled examples, each copy made unique
   so that none is skipped as a duplicate), the same loaded pipeline; extract writes JSON
   lines to a file, ingest writes the store. Interleaved, best of --repeat, wall time
   and CPU time (the steadier on a shared machine).
   Target: ingest costs at most 10 % more than extract (ratio <= 1.10).
2. questions on a big store: --events synthetic events (default 1,000,000) made with
   DuckDB SQL (range() and random(), no pipeline), then `timeline --dyad USA-IRN --freq
   week` and a filtered `query events` (source, target, type, status, since, limit 50),
   each timed from opening the file to the answer. Target: within 1 s each.

Writes benchmarks/results/bench-store.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from communique.io import read_inputs
from communique.models import Document, Result
from communique.pipeline import Pipeline
from communique.store import Store, query_events, timeline
from communique.store.schema import cluster_id_sql, rebuild_clusters
from communique.store.writer import DEFAULT_BATCH, ingest, write_results

ROOT = Path(__file__).resolve().parent.parent

# (type, cameo, goldstein, quad class): one plausible code per PLOVER type.
TYPES = [
    ("AGREE", "030", 4.0, 1),
    ("CONSULT", "040", 1.0, 1),
    ("SUPPORT", "051", 3.4, 1),
    ("REQUEST", "020", 3.0, 1),
    ("CONCEDE", "080", 5.0, 2),
    ("COOPERATE", "061", 6.4, 2),
    ("AID", "070", 7.0, 2),
    ("RETREAT", "087", 9.0, 2),
    ("ACCUSE", "112", -2.0, 3),
    ("REJECT", "120", -4.0, 3),
    ("THREATEN", "130", -4.4, 3),
    ("PROTEST", "140", -6.5, 3),
    ("SANCTION", "163", -8.0, 4),
    ("MOBILIZE", "150", -7.2, 4),
    ("COERCE", "170", -7.0, 4),
    ("ASSAULT", "190", -10.0, 4),
]
# Frequent countries first: picked with a skew so that the big dyads are big.
COUNTRIES = [
    *("USA", "RUS", "CHN", "UKR", "IRN", "ISR", "GBR", "FRA", "DEU", "IND", "PAK", "TUR", "SAU", "JPN"),
    *("KOR", "PRK", "SYR", "LBN", "EGY", "NGA", "ZAF", "BRA", "MEX", "CAN", "AUS", "IDN", "PHL", "VNM"),
    *("THA", "MMR", "AFG", "IRQ", "YEM", "SDN", "SOM", "ETH", "KEN", "COD", "VEN", "COL"),
]
STATUSES = ["happened"] * 7 + ["intended", "threatened", "alleged"]
SECTORS = ["GOV", "MIL", "REB", "OPP", "BUS", "MED", "COP", "JUD"]
OUTLETS = ["example.org", "example.com", "example.net", "news.example", "wire.example", "daily.example"]


def synthetic_store(path: Path, n_events: int, *, seed: float = 0.42) -> float:
    """A store of ``n_events`` random events (10 per document) over two years; returns seconds."""
    started = time.perf_counter()
    with Store(path).write():
        pass  # schema
    con = duckdb.connect(str(path))
    try:
        con.execute(f"SELECT setseed({seed})")
        n_docs = max(1, n_events // 10)
        con.execute(
            "CREATE TEMP TABLE t_types AS SELECT * FROM (VALUES "
            + ", ".join(f"({i}, '{t}', '{c}', {g}, {q})" for i, (t, c, g, q) in enumerate(TYPES))
            + ") v(k, type, cameo, goldstein, quad_class)"
        )
        countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
        statuses = "[" + ", ".join(f"'{s}'" for s in STATUSES) + "]"
        sectors = "[" + ", ".join(f"'{s}'" for s in SECTORS) + "]"
        outlets = "[" + ", ".join(f"'{o}'" for o in OUTLETS) + "]"
        con.execute("BEGIN")
        con.execute(f"""
INSERT INTO documents BY NAME
SELECT 'syn-' || i AS id, 'synthetic:' || i AS content_hash, 'synthetic' AS source,
    'Synthetic article ' || i AS title,
    DATE '2024-06-01' + CAST(floor(random() * 730) AS INTEGER) AS date,
    'https://' || o || '/article/' || i AS url, o AS outlet, NULL AS text,
    10 AS n_actors, 10 AS n_events, 0 AS n_quotes, '[]' AS entities_json, '[]' AS errors_json,
    now()::TIMESTAMP AS ingested_at
FROM (
    SELECT i, {outlets}[1 + CAST(floor(random() * {len(OUTLETS)}) AS INTEGER)] AS o
    FROM range({n_docs}) r(i)
)
""")
        # country index skewed towards the start of the list: floor(n * u^2)
        pick = f"{countries}[1 + CAST(floor({len(COUNTRIES)} * pow(random(), 2)) AS INTEGER)]"
        con.execute(f"""
CREATE TEMP TABLE t_raw AS
SELECT i, 'syn-' || (i // 10) AS doc_id, CAST(i % 10 AS INTEGER) AS idx,
    {pick} AS sc, {pick} AS tc,
    CAST(floor(random() * {len(TYPES)}) AS INTEGER) AS k,
    {statuses}[1 + CAST(floor(random() * {len(STATUSES)}) AS INTEGER)] AS status,
    {sectors}[1 + CAST(floor(random() * {len(SECTORS)}) AS INTEGER)] AS ss,
    {sectors}[1 + CAST(floor(random() * {len(SECTORS)}) AS INTEGER)] AS ts,
    0.5 + random() / 2 AS confidence
FROM range({n_events}) r(i)
""")
        con.execute(f"""
INSERT INTO events BY NAME
SELECT *, {cluster_id_sql(1)} AS cluster_id,
    to_json({{'type': type, 'mode': NULL, 'context': context, 'cameo': cameo, 'goldstein': goldstein,
              'quad_class': quad_class, 'status': status,
              'source': {{'text': source_text, 'start': 0, 'end': 5, 'country': source_country,
                         'sectors': source_sectors, 'name': source_name, 'role': NULL, 'entity': 0,
                         'kind': 'country', 'matched': NULL}},
              'target': {{'text': target_text, 'start': 10, 'end': 15, 'country': target_country,
                         'sectors': target_sectors, 'name': target_name, 'role': NULL, 'entity': 1,
                         'kind': 'country', 'matched': NULL}},
              'trigger': {{'text': trigger_text, 'start': 6, 'end': 9}},
              'sentence': {{'text': sentence_text, 'start': 0, 'end': 40}},
              'confidence': confidence, 'reported_by': NULL, 'quote': NULL, 'method': 'lexicon'}})::VARCHAR
        AS event_json
FROM (
    SELECT r.doc_id, r.idx, d.date, t.type, NULL AS mode, ['synthetic'] AS context, t.cameo, t.goldstein,
        CAST(t.quad_class AS TINYINT) AS quad_class, r.status,
        r.sc AS source_text, r.sc AS source_country, [r.ss] AS source_sectors, r.sc AS source_name,
        r.tc AS target_text, r.tc AS target_country, [r.ts] AS target_sectors, r.tc AS target_name,
        lower(t.type) AS trigger_text, 6 AS trigger_start, 9 AS trigger_end,
        r.sc || ' ' || lower(t.type) || ' ' || r.tc || '.' AS sentence_text, 0 AS sentence_start,
        40 AS sentence_end, r.idx = 0 AS in_lead, r.confidence, 'lexicon' AS method
    FROM t_raw r JOIN t_types t USING (k) JOIN documents d ON d.id = r.doc_id
)
""")
        rebuild_clusters(con)  # events written by SQL, not by the writer that keeps the clusters
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return time.perf_counter() - started


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """(first call, best of ``repeat``, last answer)."""
    times = []
    answer = None
    for _ in range(repeat):
        started = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - started)
    return times[0], min(times), answer


def corpus(n_docs: int, folder: Path) -> Path:
    """The examples repeated to ``n_docs`` documents, each made unique, as one JSONL file."""
    docs = [d for d in read_inputs([str(ROOT / "examples")]) if isinstance(d, Document)]
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(n_docs):
            d = docs[i % len(docs)]
            record = {
                "id": f"bench-{i}",
                "title": d.title,
                "date": d.date.isoformat() if d.date else None,
                "url": d.url,
                "text": d.text,
            }
            if i >= len(docs):
                record["text"] = d.text + f"\n\n(Copy {i}.)"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def bench_ingest(n_docs: int, repeat: int, batch_size: int, folder: Path) -> dict[str, object]:
    """Extract and ingest, interleaved, the same loaded pipeline; best wall and CPU time of each.

    CPU time (of this process, all its threads: DuckDB's too) is the fairer measure on a
    shared machine, where other processes make wall time jump; both are reported.
    """
    path = corpus(n_docs, folder)
    pipe = Pipeline(batch_size=32)
    pipe.process_text("Rubio met Lavrov in Geneva.")  # load and warm up
    write_results(folder / "warm.duckdb", [pipe.process_text("Rubio met Lavrov in Geneva.")])
    wall = {"extract": float("inf"), "ingest": float("inf")}
    cpu = {"extract": float("inf"), "ingest": float("inf")}
    for round_ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        with (folder / "out.jsonl").open("w", encoding="utf-8") as out:
            for item in pipe.process(read_inputs([str(path)])):
                if isinstance(item, Result):
                    out.write(item.model_dump_json(exclude_none=False) + "\n")
        wall["extract"] = min(wall["extract"], time.perf_counter() - started)
        cpu["extract"] = min(cpu["extract"], time.process_time() - cpu_started)
        db = folder / f"ingest-{round_}.duckdb"
        started, cpu_started = time.perf_counter(), time.process_time()
        report = ingest([str(path)], db, pipeline=pipe, batch_size=batch_size)
        wall["ingest"] = min(wall["ingest"], time.perf_counter() - started)
        cpu["ingest"] = min(cpu["ingest"], time.process_time() - cpu_started)
        assert report.stored == n_docs, report
    return {
        "documents": n_docs,
        "batch_size": batch_size,
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "ratio_wall": wall["ingest"] / wall["extract"],
        "ratio_cpu": cpu["ingest"] / cpu["extract"],
        "target_ratio": 1.10,
    }


def bench_questions(n_events: int, repeat: int, folder: Path) -> dict[str, object]:
    db = folder / "synthetic.duckdb"
    build = synthetic_store(db, n_events)
    store = Store(db)
    first_t, best_t, rows_t = timed(lambda: timeline(store, "USA-IRN", freq="week"), repeat)
    first_q, best_q, rows_q = timed(
        lambda: query_events(
            store,
            source="USA",
            target="IRN",
            types="CONSULT",
            statuses="happened",
            since="2025-01-01",
            limit=50,
        ),
        repeat,
    )
    first_e, best_e, rows_e = timed(lambda: timeline(store, "USA-IRN", freq="week", unit="events"), repeat)
    return {
        "events": n_events,
        "build_seconds": build,
        "file_mb": db.stat().st_size / 1e6,
        "timeline_week_clusters": {"first": first_t, "best": best_t, "periods": len(rows_t)},  # type: ignore[arg-type]
        "timeline_week_events": {"first": first_e, "best": best_e, "periods": len(rows_e)},  # type: ignore[arg-type]
        "query_events_filtered": {"first": first_q, "best": best_q, "rows": len(rows_q)},  # type: ignore[arg-type]
        "target_seconds": 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--docs", type=int, default=120, help="documents in the ingest corpus")
    parser.add_argument("--events", type=int, default=1_000_000, help="synthetic events for the questions")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH, help="ingest: documents per transaction"
    )
    parser.add_argument("--skip-ingest", action="store_true", help="only the questions on the big store")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "bench-store.json"))
    args = parser.parse_args()

    report: dict[str, object] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "duckdb": duckdb.__version__,
    }
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        folder = Path(tmp)
        questions = bench_questions(args.events, args.repeat, folder)
        report["questions"] = questions
        print(
            f"synthetic store: {args.events:,} events built in {questions['build_seconds']:.1f} s "
            f"({questions['file_mb']:.0f} MB)"
        )
        for name in ("timeline_week_clusters", "timeline_week_events", "query_events_filtered"):
            figures = questions[name]
            verdict = "ok" if figures["best"] <= 1.0 and figures["first"] <= 1.0 else "OVER 1 s"  # type: ignore[index]
            print(
                f"  {name:<24} first {figures['first']:.3f} s, best {figures['best']:.3f} s  {verdict}"  # type: ignore[index]
            )
        if not args.skip_ingest:
            ingest_figures = bench_ingest(args.docs, args.repeat, args.batch_size, folder)
            report["ingest"] = ingest_figures
            wall, cpu = ingest_figures["wall_seconds"], ingest_figures["cpu_seconds"]
            print(f"ingest vs extract, {args.docs} documents, best of {args.repeat}:")
            for name, figures in (("wall", wall), ("cpu", cpu)):
                ratio = figures["ingest"] / figures["extract"]  # type: ignore[index]
                print(
                    f"  {name:<5} extract {figures['extract']:.2f} s, ingest {figures['ingest']:.2f} s, "  # type: ignore[index]
                    f"ratio {ratio:.3f} ({'ok' if ratio <= 1.10 else 'OVER 1.10'})"
                )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
