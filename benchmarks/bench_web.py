"""Load test of the REST API: concurrent clients on every read endpoint of a big store, loopback only.

1. A store of --events events (default 200,000) made of real extracted records: the bundled
   examples extracted once and replicated with new ids, dates, actors and URLs through the store's
   own writer (``benchmarks/real_store.py`` says how; about 2 minutes). ``--db`` reuses a store
   already built (``python benchmarks/real_store.py PATH``); ``--synthetic`` builds random SQL
   rows instead (``bench_store.synthetic_store``, faster, but one mention per cluster).
2. `communique serve` runs it in a subprocess on a free 127.0.0.1 port (one uvicorn
   worker, as a user would start it).
3. For each number of clients in --clients (default 1 and 50), that many concurrent clients
   (asyncio + httpx, keep-alive connections) ask the API back to back for --duration seconds
   (default 30), after a short warm-up: a fixed mix of the dashboard's questions (events with
   varied filters, sorts and offsets; clusters, dyads, actors, timeline, alerts, documents,
   quotes, info, one actor, one dyad, one document; see ``queries``).

Reported per number of clients: requests, throughput, latency p50/p90/p99/max (seconds, from
sending the request to having read the whole answer), the same per endpoint, and errors (any
status but 200, or a failed request): the target is zero errors and p99 under 2 s for one client.
The clients and the server share the machine's CPUs, so the figures are a lower bound on what
separate clients would see.

Writes benchmarks/results/bench-web.json; exits 1 when a request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import duckdb
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_store
from bench_store import COUNTRIES, STATUSES, TYPES, synthetic_store

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def store_names(db: Path) -> dict[str, list[str]]:
    """Actors, dyads and documents the store has, for the detail endpoints of the mix."""
    con = duckdb.connect(str(db), read_only=True)
    try:

        def column(sql: str) -> list[str]:
            return [str(row[0]) for row in con.execute(sql).fetchall()]

        return {
            "names": column(
                "SELECT source_name FROM events WHERE source_name IS NOT NULL "
                "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 30"
            ),
            "dyads": column(
                "SELECT source_country || '-' || target_country FROM events WHERE source_country IS NOT NULL "
                "AND target_country IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 30"
            ),
            "docs": column("SELECT id FROM documents ORDER BY id LIMIT 200"),
        }
    finally:
        con.close()


def queries(names: dict[str, list[str]], seed: int = 7) -> list[tuple[str, dict[str, object]]]:
    """A mix of what the dashboard asks, as (path, parameters): the events table most, with
    filters, sorts and pages, then the other lists and pages."""
    rng = random.Random(seed)
    top = COUNTRIES[:12]
    out: list[tuple[str, dict[str, object]]] = []

    def filters(q: dict[str, object]) -> dict[str, object]:
        kind = rng.random()
        if kind < 0.3:
            q.update(source=rng.choice(top), target=rng.choice(top))
        elif kind < 0.5:
            q["actor"] = rng.choice(top)
        elif kind < 0.65:
            q["type"] = rng.choice(TYPES)[0]
        if rng.random() < 0.3:
            q["status"] = rng.choice(sorted(set(STATUSES)))
        if rng.random() < 0.3:
            q["since"] = f"2025-{rng.randint(1, 12):02d}-01"
        return q

    for _ in range(400):
        kind = rng.random()
        if kind < 0.40:
            q = filters({"limit": rng.choice([25, 50, 100])})
            q["sort"] = rng.choice(["date", "date", "goldstein", "type", "confidence"])
            q["order"] = rng.choice(["asc", "desc"])
            q["offset"] = rng.choice([0, 0, 0, 50, 200, 1000])
            out.append(("/api/events", q))
        elif kind < 0.55:
            q = filters({"limit": rng.choice([25, 50]), "offset": rng.choice([0, 0, 50, 500])})
            q["newest"] = rng.choice(["true", "false"])
            out.append(("/api/clusters", q))
        elif kind < 0.60:
            out.append(("/api/dyads", filters({"limit": 50})))
        elif kind < 0.65:
            out.append(("/api/actors", {"by": rng.choice(["name", "country"]), "limit": 20}))
        elif kind < 0.70:
            q = {"freq": rng.choice(["week", "month"])}
            if rng.random() < 0.5:
                q["dyad"] = rng.choice(names["dyads"])
            out.append(("/api/timeline", q))
        elif kind < 0.74:
            q = {"freq": "week"}
            if rng.random() < 0.5:
                q["dyad"] = rng.choice(names["dyads"])
            out.append(("/api/alerts", q))
        elif kind < 0.80:
            q = {"limit": 50, "offset": rng.choice([0, 50, 1000])}
            if rng.random() < 0.3:
                q["q"] = rng.choice(["iran", "russia", "talks", "sanctions"])
            out.append(("/api/documents", q))
        elif kind < 0.84:
            q = {"limit": 50, "newest": rng.choice(["true", "false"])}
            if rng.random() < 0.5:
                q["speaker"] = rng.choice(names["names"]).split()[0]
            out.append(("/api/quotes", q))
        elif kind < 0.87:
            out.append(("/api/info", {}))
        elif kind < 0.91:
            out.append(("/api/actors/" + quote(rng.choice(names["names"] + top), safe=""), {}))
        elif kind < 0.95:
            out.append(("/api/dyads/" + rng.choice(names["dyads"]), {}))
        else:
            out.append(("/api/documents/" + quote(rng.choice(names["docs"]), safe=":"), {}))
    return out


async def client(
    url: str,
    mix: list[tuple[str, dict[str, object]]],
    stop_at: float,
    seed: int,
    latencies: dict[str, list[float]],
    errors: list[str],
) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        while time.perf_counter() < stop_at:
            path, params = rng.choice(mix)
            endpoint = ENDPOINT.sub(r"/api/\1/{id}", path)
            started = time.perf_counter()
            try:
                response = await http.get(path, params=params)
                await response.aread()
                took = time.perf_counter() - started
                if response.status_code != 200:
                    errors.append(f"{path} {response.status_code}: {response.text[:200]}")
                else:
                    latencies.setdefault(endpoint, []).append(took)
            except httpx.HTTPError as exc:
                errors.append(f"{path} {type(exc).__name__}: {exc}")


ENDPOINT = re.compile(r"^/api/(actors|dyads|documents)/.+$")


def summary(latencies: list[float]) -> dict[str, float | int | None]:
    ordered = sorted(latencies)

    def pct(p: float) -> float | None:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 4) if ordered else None

    return {
        "n": len(ordered),
        "p50": pct(0.50),
        "p90": pct(0.90),
        "p99": pct(0.99),
        "max": round(ordered[-1], 4) if ordered else None,
        "mean": round(statistics.fmean(ordered), 4) if ordered else None,
    }


async def load(
    url: str, mix: list[tuple[str, dict[str, object]]], clients: int, duration: float, warmup: float
) -> dict[str, object]:
    # warm-up: the same load, not counted
    await asyncio.gather(
        *(client(url, mix, time.perf_counter() + warmup, 1000 + i, {}, []) for i in range(clients))
    )
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(client(url, mix, started + duration, i, latencies, errors) for i in range(clients))
    )
    wall = time.perf_counter() - started
    every = [t for times in latencies.values() for t in times]
    return {
        "clients": clients,
        "seconds": round(wall, 2),
        "requests": len(every) + len(errors),
        "ok": len(every),
        "errors": len(errors),
        "error_samples": errors[:5],
        "requests_per_s": round((len(every) + len(errors)) / wall, 1),
        "latency_s": summary(every),
        "by_endpoint": {name: summary(times) for name, times in sorted(latencies.items())},
    }


def serve(db: Path, port: int, code: Path | None = None) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).parent / "communique"
    command = (
        [str(exe)] if exe.exists() else [sys.executable, "-c", "from communique.cli import main; main()"]
    )
    command += [
        "serve",
        "--db",
        str(db),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    env = dict(os.environ)
    if code is not None:  # another checkout's package first on the path: figures before a change
        env["PYTHONPATH"] = str(code / "src")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"the server exited: {server.stderr.read().decode()[-2000:] if server.stderr else ''}"
            )
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="a store already built: used as it is, never written")
    parser.add_argument("--synthetic", action="store_true", help="random SQL rows, not real records")
    parser.add_argument("--clients", default="1,50", help="numbers of concurrent clients, one run each")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of measured load per run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument(
        "--code",
        type=Path,
        help="serve with the package of another checkout (its src/ first on the path), e.g. "
        "`git archive HEAD~3 src | tar -x -C /tmp/old` for the figures before a change",
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "bench-web.json"))
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    server = None
    runs = []
    built: dict[str, object] = {}
    try:
        if args.db:
            db = args.db
            built = {"store": str(db), "reused": True}
        elif args.synthetic:
            db = folder / "events.duckdb"
            built = {"store": "synthetic SQL rows", "build_s": round(synthetic_store(db, args.events), 1)}
        else:
            db = folder / "events.duckdb"
            built = {"store": "real records replicated (real_store.py)", **real_store.build(db, args.events)}
        print(f"store: {built}", flush=True)
        names = store_names(db)
        mix = queries(names)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = serve(db, port, args.code)
        wait_until_up(url, server)
        info = httpx.get(url + "/api/info", timeout=60).json()
        print(f"serving {info['events']:,} events, {info['event_clusters']:,} clusters", flush=True)
        for clients in (int(c) for c in args.clients.split(",")):
            print(f"load: {clients} client(s) on {url}/api for {args.duration:g} s …", flush=True)
            result = asyncio.run(load(url, mix, clients, args.duration, args.warmup))
            runs.append(result)
            lat = result["latency_s"]
            assert isinstance(lat, dict)
            print(
                f"  {result['requests']} requests ({result['requests_per_s']}/s), p50 {lat['p50']} s, "
                f"p90 {lat['p90']} s, p99 {lat['p99']} s, max {lat['max']} s, errors {result['errors']}"
            )
            by = result["by_endpoint"]
            assert isinstance(by, dict)
            for name, one in by.items():
                print(f"    {name:<22} n {one['n']:>6}  p50 {one['p50']:>8}  p99 {one['p99']:>8}")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(folder, ignore_errors=True)

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "events": info["events"],
        "clusters": info["event_clusters"],
        "documents": info["documents"],
        "store": built,
        "endpoints": "the dashboard's read API, mixed (bench_web.queries)",
        "runs": runs,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {args.out}")
    return 1 if any(run["errors"] for run in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
