"""Load test of the REST API: concurrent clients on /api/events of a big store, loopback only.

1. A store of --events synthetic events (default 100,000) is built with DuckDB SQL
   (bench_store.synthetic_store: range() and random(), no pipeline).
2. `communique serve` runs it in a subprocess on a free 127.0.0.1 port (one uvicorn
   worker, as a user would start it).
3. --clients concurrent clients (default 50; asyncio + httpx, keep-alive connections) ask
   /api/events with varied filters, sorts and offsets, back to back, for --duration
   seconds (default 20), after a short warm-up; then everything stops by itself.

Reported: requests, throughput, latency p50/p90/p99/max (seconds, from sending the
request to having read the whole answer) and errors (any status but 200, or a failed
request): the target is zero errors. The client and the server share the machine's CPUs,
so the figures are a lower bound on what a separate client would see.

Writes benchmarks/results/bench-web.json; exits 1 when a request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import COUNTRIES, STATUSES, TYPES, synthetic_store

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def queries(seed: int = 7) -> list[dict[str, object]]:
    """A mix of what the events table asks: filters, sorts, pages."""
    rng = random.Random(seed)
    top = COUNTRIES[:12]
    out: list[dict[str, object]] = []
    for _ in range(400):
        q: dict[str, object] = {"limit": rng.choice([25, 50, 100])}
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
        q["sort"] = rng.choice(["date", "date", "goldstein", "type", "confidence"])
        q["order"] = rng.choice(["asc", "desc"])
        q["offset"] = rng.choice([0, 0, 0, 50, 200, 1000])
        out.append(q)
    return out


async def client(
    url: str,
    mix: list[dict[str, object]],
    stop_at: float,
    seed: int,
    latencies: list[float],
    errors: list[str],
) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        while time.perf_counter() < stop_at:
            params = rng.choice(mix)
            started = time.perf_counter()
            try:
                response = await http.get("/api/events", params=params)
                await response.aread()
                took = time.perf_counter() - started
                if response.status_code != 200:
                    errors.append(f"{response.status_code}: {response.text[:200]}")
                else:
                    latencies.append(took)
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")


async def load(url: str, clients: int, duration: float, warmup: float) -> dict[str, object]:
    mix = queries()
    # warm-up: the same load, not counted
    await asyncio.gather(
        *(client(url, mix, time.perf_counter() + warmup, 1000 + i, [], []) for i in range(clients))
    )
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(client(url, mix, started + duration, i, latencies, errors) for i in range(clients))
    )
    wall = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float | None:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 4) if ordered else None

    return {
        "clients": clients,
        "seconds": round(wall, 2),
        "requests": len(latencies) + len(errors),
        "ok": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "requests_per_s": round((len(latencies) + len(errors)) / wall, 1),
        "latency_s": {
            "p50": pct(0.50),
            "p90": pct(0.90),
            "p99": pct(0.99),
            "max": round(ordered[-1], 4) if ordered else None,
            "mean": round(statistics.fmean(ordered), 4) if ordered else None,
        },
    }


def serve(db: Path, port: int) -> subprocess.Popen[bytes]:
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
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


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
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of measured load")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "bench-web.json"))
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    server = None
    try:
        db = folder / "events.duckdb"
        built = synthetic_store(db, args.events)
        print(f"store: {args.events:,} synthetic events in {built:.1f} s", flush=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = serve(db, port)
        wait_until_up(url, server)
        first = httpx.get(url + "/api/events", params={"limit": 1}, timeout=30).json()
        assert first["total"] == args.events, first.get("total")
        print(f"load: {args.clients} clients on {url}/api/events for {args.duration:g} s …", flush=True)
        result = asyncio.run(load(url, args.clients, args.duration, args.warmup))
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
        "events": args.events,
        "endpoint": "/api/events (filters, sorts, offsets varied)",
        "store_build_s": round(built, 2),
        **result,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    lat = result["latency_s"]
    print(
        f"{result['requests']} requests in {result['seconds']} s ({result['requests_per_s']}/s), "
        f"p50 {lat['p50']} s, p90 {lat['p90']} s, p99 {lat['p99']} s, max {lat['max']} s, "
        f"errors {result['errors']}"
    )
    print(f"written to {args.out}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
