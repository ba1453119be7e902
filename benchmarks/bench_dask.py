"""The pipeline on a local Dask cluster: 2 workers against 1, and against ``Pipeline(jobs=2)``.

The corpus is the bundled examples repeated to --docs documents with unique ids, as one JSONL file in a
temporary folder (the distributed path splits it into byte ranges of --partition-size documents).
Three runs over the same corpus, each on fresh processes:

  jobs2      the single-machine path: Pipeline(jobs=2).process(read_inputs(...)), results discarded
  dask1      extract_distributed on a LocalCluster of 1 worker process (1 thread), Parquet output
  dask2      the same on 2 worker processes

Each configuration runs --repeat times, interleaved, and the best run is kept (the machine may be shared:
compare ratios). Throughput is given end to end (for Dask: the cluster start and the first run's model
loading plus the best run's processing) and, for Dask, for the processing alone (after every worker has
loaded the pipeline), which is what the 2-vs-1 target is about: 2 workers >= 1.7x one worker on a 2-core
machine. The peak resident memory (ru_maxrss) of every worker process is reported, and of the largest
pool process for jobs2, with CPU seconds per document (task threads, whole worker processes, pool
processes) to tell Dask's own overhead from contention.

--big also builds a ~1 GB JSONL file (--big-bytes), plans it (in a fresh process, whose peak memory is
reported) and runs --big-sample partitions spread over the whole file on the 2-worker cluster, to show
that a worker's memory does not depend on the size of the input. Processing all of it is out of reach
of a 2-core machine (hours); the report says how long it would take at the measured throughput.

Writes benchmarks/results/bench-dask.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from communique.io import read_inputs
from communique.models import Document

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def example_records() -> list[dict[str, Any]]:
    docs = [d for d in read_inputs([str(ROOT / "examples")]) if isinstance(d, Document)]
    if not docs:
        raise SystemExit("no example documents found in examples/")
    return [
        {
            "id": d.id,
            "title": d.title,
            "date": d.date.isoformat() if d.date else None,
            "url": d.url,
            "text": d.text,
        }
        for d in docs
    ]


def write_corpus(path: Path, n_docs: int | None = None, n_bytes: int | None = None) -> tuple[int, int]:
    """The examples repeated, with unique ids, until ``n_docs`` documents or ``n_bytes`` bytes."""
    templates = example_records()
    # Serialise each example once; only the id changes from copy to copy.
    bodies = [
        json.dumps({k: v for k, v in r.items() if k != "id"}, ensure_ascii=False)[1:] for r in templates
    ]
    count = size = 0
    with open(path, "w", encoding="utf-8") as out:
        while (n_docs is None or count < n_docs) and (n_bytes is None or size < n_bytes):
            i = count % len(templates)
            line = '{"id": ' + json.dumps(f"{templates[i]['id']}#{count}") + ", " + bodies[i] + "\n"
            out.write(line)
            size += len(line.encode("utf-8"))
            count += 1
    return count, size


def run_jobs2(corpus: Path, batch_size: int) -> dict[str, Any]:
    from communique.pipeline import Pipeline

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    first = None
    documents = events = 0
    for item in Pipeline(jobs=2, batch_size=batch_size).process(read_inputs([str(corpus)])):
        if first is None:
            first = time.perf_counter()
        documents += 1
        events += len(getattr(item, "events", []))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "documents": documents,
        "events": events,
        "seconds": seconds,
        "docs_per_s": documents / seconds,
        # the first results come once both pool processes have loaded the pipeline and analysed a batch
        "seconds_to_first_result": (first or started) - started,
        # CPU of the two pool processes, model loading included
        "cpu_seconds_processes": cpu,
        "docs_per_cpu_s": documents / cpu if cpu else float("nan"),
        "peak_rss_mb_largest_process": (
            after.ru_maxrss if after.ru_maxrss > before.ru_maxrss else float("nan")
        )
        / 1024,
    }


def _worker_peak_rss() -> float:
    """A worker's peak resident memory (ru_maxrss, KiB on Linux)."""
    import resource as res

    return res.getrusage(res.RUSAGE_SELF).ru_maxrss / 1024


def _worker_cpu() -> float:
    """A worker process's CPU seconds so far, all its threads (Dask's own included)."""
    import psutil

    times = psutil.Process().cpu_times()
    return times.user + times.system


def _worker_rss() -> float:
    """A worker's resident memory now."""
    import psutil

    return psutil.Process().memory_info().rss / MB


def start_cluster(stack: contextlib.ExitStack, workers: int) -> tuple[Any, Any, float]:
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    cluster = stack.enter_context(
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    )
    client = stack.enter_context(Client(cluster, set_as_default=False))
    _CLIENTS[id(cluster)] = client
    return cluster, client, time.perf_counter() - started


_CLIENTS: dict[int, Any] = {}


def cluster_client(cluster: Any) -> Any:
    return _CLIENTS[id(cluster)]


def run_dask(cluster: Any, corpus: Path, out: Path, partition_size: int, batch_size: int) -> dict[str, Any]:
    """One extract_distributed run on a running cluster (the first one loads the pipeline)."""
    from communique.distributed import extract_distributed

    client = cluster_client(cluster)
    cpu_before = client.run(_worker_cpu)
    summary = extract_distributed(
        [str(corpus)],
        str(out),
        scheduler=cluster.scheduler_address,
        partition_size=partition_size,
        pipeline_options={"batch_size": batch_size},
        progress=False,
    )
    cpu_after = client.run(_worker_cpu)
    worker_cpu = sum(cpu_after[w] - cpu_before[w] for w in cpu_after if w in cpu_before)
    processing = summary.seconds - summary.setup_seconds
    cpu = sum(part["cpu_seconds"] for part in summary.parts)
    workers = len(cluster.workers)
    return {
        "documents": summary.documents,
        "failed": summary.failed,
        "events": summary.events,
        "partitions": summary.partitions,
        "seconds": summary.seconds,
        "seconds_model_load": summary.setup_seconds,  # ~0 once the workers have the pipeline
        "seconds_processing": processing,
        "docs_per_s_processing": summary.documents / processing,
        "tasks_per_worker": _tasks_per_worker(summary.parts),
        # CPU time of the task threads. On a shared machine other processes take cores away: the busy
        # share (CPU seconds / (workers x wall seconds)) shows how much of the run's cores the tasks had.
        "cpu_seconds_tasks": cpu,
        "docs_per_cpu_s": summary.documents / cpu if cpu else float("nan"),
        "cpu_busy_share": cpu / (workers * processing),
        # CPU of the whole worker processes (model loading included in a first run)
        "cpu_seconds_workers": worker_cpu,
        "docs_per_cpu_s_workers": summary.documents / worker_cpu if worker_cpu else float("nan"),
    }


def _tasks_per_worker(parts: list[dict[str, Any]]) -> list[int]:
    counts: dict[int, int] = {}
    for part in parts:
        counts[part["pid"]] = counts.get(part["pid"], 0) + 1
    return sorted(counts.values())


# ru_maxrss survives fork and exec on Linux, so the planner's own growth is measured as current RSS
# (psutil) before and after planning, and its peak as the high-water mark after.
_PLAN_SCRIPT = """
import json, resource, sys, time
import psutil
from communique.distributed import plan_partitions
before = psutil.Process().memory_info().rss / 2**20
started = time.perf_counter()
parts = list(plan_partitions([sys.argv[1]], None, int(sys.argv[2])))
print(json.dumps({"seconds": time.perf_counter() - started, "partitions": len(parts),
                  "records": sum(p.records for p in parts), "rss_mb_before": before,
                  "rss_mb_after": psutil.Process().memory_info().rss / 2**20,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_big(folder: Path, args: argparse.Namespace, docs_per_s: float) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    from communique.distributed import plan_partitions, run_partition
    from communique.io import ReadOptions

    corpus = folder / "big.jsonl"
    started = time.perf_counter()
    count, size = write_corpus(corpus, n_bytes=args.big_bytes)
    generated = time.perf_counter() - started
    print(f"big: {size / MB:,.0f} MiB, {count:,} documents written in {generated:.0f} s", file=sys.stderr)
    planned = json.loads(
        subprocess.run(
            [sys.executable, "-c", _PLAN_SCRIPT, str(corpus), str(args.big_partition_size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    print(f"big: planned {planned}", file=sys.stderr)
    parts = list(plan_partitions([str(corpus)], None, args.big_partition_size))
    step = max(1, (len(parts) - 1) // max(1, args.big_sample - 1))
    sample = sorted({*parts[::step][: args.big_sample - 1], parts[-1]}, key=lambda p: p.index)
    out = folder / "big-out"
    out.mkdir()
    options = {"batch_size": args.batch_size}
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        baseline = client.run(_worker_rss)
        started = time.perf_counter()
        futures = [
            client.submit(run_partition, p, str(out), "parquet", options, ReadOptions(), pure=False)
            for p in sample
        ]
        results = client.gather(futures)
        seconds = time.perf_counter() - started
        peaks = client.run(_worker_peak_rss)
    return {
        "bytes": size,
        "documents": count,
        "seconds_to_generate": generated,
        "plan": planned,
        "partition_size": args.big_partition_size,
        "partitions_run": [
            {"index": p.index, "first_byte": p.segments[0].start, "documents": r["documents"]}
            for p, r in zip(sample, results, strict=True)
        ],
        "seconds_sample": seconds,
        "rss_mb_per_worker_before": sorted(round(v, 1) for v in baseline.values()),
        "peak_rss_mb_per_worker": sorted(round(v, 1) for v in peaks.values()),
        "hours_for_all_at_dask2_rate": count / docs_per_s / 3600,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000, help="documents in the corpus")
    parser.add_argument("--partition-size", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=2, help="Dask runs per cluster size (best kept)")
    parser.add_argument("--skip-jobs2", action="store_true", help="leave out the Pipeline(jobs=2) run")
    parser.add_argument("--big", action="store_true", help="also plan a ~1 GB JSONL and sample it")
    parser.add_argument("--big-bytes", type=int, default=1_000_000_000)
    parser.add_argument("--big-partition-size", type=int, default=500)
    parser.add_argument("--big-sample", type=int, default=4, help="partitions of the big file to run")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "bench-dask.json"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="communique-bench-dask-") as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        count, size = write_corpus(corpus, n_docs=args.docs)
        report: dict[str, Any] = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "documents": count,
            "bytes": size,
            "partition_size": args.partition_size,
            "batch_size": args.batch_size,
        }
        runs: dict[str, Any] = {}
        jobs2: list[dict[str, Any]] = []
        with contextlib.ExitStack() as stack:
            clusters = {workers: start_cluster(stack, workers) for workers in (1, 2)}
            repeats: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
            for n in range(args.repeat):  # interleaved, best kept: other work on the machine adds noise
                if not args.skip_jobs2:
                    jobs2.append(run_jobs2(corpus, args.batch_size))
                    print(f"jobs2 #{n + 1}: {jobs2[-1]}", file=sys.stderr)
                for workers, (cluster, _, _) in clusters.items():
                    run = run_dask(
                        cluster, corpus, folder / f"dask{workers}-{n}", args.partition_size, args.batch_size
                    )
                    repeats[workers].append(run)
                    print(f"dask{workers} #{n + 1}: {run}", file=sys.stderr)
            for workers, (_, client, cluster_seconds) in clusters.items():
                first = repeats[workers][0]
                best = max(repeats[workers], key=lambda r: r["docs_per_s_processing"])
                # end to end as a fresh run would be: cluster start, model loading (first run), processing
                total = cluster_seconds + first["seconds_model_load"] + best["seconds_processing"]
                runs[f"dask{workers}"] = {
                    "workers": workers,
                    "documents": first["documents"],
                    "events": first["events"],
                    "partitions": first["partitions"],
                    "seconds_total": total,
                    "seconds_cluster_start": cluster_seconds,
                    "seconds_model_load": first["seconds_model_load"],
                    "docs_per_s_total": first["documents"] / total,
                    # the best run's processing (after every worker has the pipeline)
                    "docs_per_s_processing": best["docs_per_s_processing"],
                    "docs_per_cpu_s": best["docs_per_cpu_s"],
                    "docs_per_cpu_s_workers": best["docs_per_cpu_s_workers"],
                    "cpu_busy_share": best["cpu_busy_share"],
                    "peak_rss_mb_per_worker": sorted(
                        round(v, 1) for v in client.run(_worker_peak_rss).values()
                    ),
                    "repeats": repeats[workers],
                }
        if jobs2:
            runs["jobs2"] = max(jobs2, key=lambda r: r["docs_per_s"]) | {"repeats": jobs2}
        report["runs"] = runs
        one, two = runs["dask1"], runs["dask2"]
        report["ratios"] = {
            "dask2_vs_dask1_processing": two["docs_per_s_processing"] / one["docs_per_s_processing"],
            "dask2_vs_dask1_total": two["docs_per_s_total"] / one["docs_per_s_total"],
            "dask2_vs_dask1_docs_per_cpu_s": two["docs_per_cpu_s"] / one["docs_per_cpu_s"],
        }
        if "jobs2" in runs:
            report["ratios"]["dask2_vs_jobs2_total"] = two["docs_per_s_total"] / runs["jobs2"]["docs_per_s"]
        report["target_dask2_vs_dask1"] = 1.7
        report["target_met"] = report["ratios"]["dask2_vs_dask1_processing"] >= 1.7
        if args.big:
            report["big"] = run_big(folder, args, two["docs_per_s_processing"])

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    ratios = report["ratios"]
    print(f"{count} documents ({size / MB:.1f} MiB), partitions of {args.partition_size}")
    if "jobs2" in runs:
        print(
            f"  Pipeline(jobs=2)  {runs['jobs2']['docs_per_s']:6.1f} docs/s end to end (best of {len(jobs2)})"
        )
    for name in ("dask1", "dask2"):
        run = runs[name]
        print(
            f"  Dask {run['workers']} worker(s)   {run['docs_per_s_total']:6.1f} docs/s end to end, "
            f"{run['docs_per_s_processing']:6.1f} docs/s processing (best of {len(run['repeats'])}, "
            f"tasks had {run['cpu_busy_share']:.0%} of their cores); "
            f"peak RSS per worker {run['peak_rss_mb_per_worker']} MB"
        )
    print(
        f"  2 workers / 1 worker: {ratios['dask2_vs_dask1_processing']:.2f}x processing "
        f"({ratios['dask2_vs_dask1_total']:.2f}x end to end; target 1.7x)"
    )
    if "dask2_vs_jobs2_total" in ratios:
        print(f"  Dask 2 workers / Pipeline(jobs=2): {ratios['dask2_vs_jobs2_total']:.2f}x end to end")
    if "big" in report:
        big = report["big"]
        print(
            f"  big: {big['bytes'] / MB:,.0f} MiB planned in {big['plan']['seconds']:.1f} s "
            f"({big['plan']['partitions']} partitions, "
            f"planner RSS {big['plan']['rss_mb_before']:.0f} -> {big['plan']['rss_mb_after']:.0f} MB); "
            f"{len(big['partitions_run'])} partitions across the file: peak RSS per worker "
            f"{big['peak_rss_mb_per_worker']} MB"
        )
    print(f"  -> {args.out}")


if __name__ == "__main__":
    main()
