"""Tests for communique.distributed: planning, partition reading, atomic output, and real Dask clusters
(a LocalCluster, a worker killed mid-run, and `dask scheduler` / `dask worker` processes on loopback)."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from communique.distributed import (
    DistributedSummary,
    Partition,
    extract_distributed,
    plan_partitions,
    read_output,
    read_partition,
    write_partition,
)
from communique.io import ReadOptions, read_inputs
from communique.models import Document, Problem, Result
from conftest import EXAMPLES

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
distributed = pytest.importorskip("distributed")


def dumps(items) -> list[dict]:
    return [item.model_dump() for item in items]


def same_as_reader(inputs: list[str], sizes=(1, 2, 3, 4, 1000), **options) -> list[Partition]:
    """Plan ``inputs`` at several partition sizes; reading the partitions gives the reader's items."""
    read_options = ReadOptions(**options)
    expected = dumps(read_inputs(inputs, read_options))
    for size in sizes:
        partitions = list(plan_partitions(inputs, read_options, size))
        assert [p.index for p in partitions] == list(range(len(partitions)))
        got = dumps(item for p in partitions for item in read_partition(p, read_options))
        assert got == expected, f"partition size {size}"
    return list(plan_partitions(inputs, read_options, sizes[0]))


# --- planning and reading: the same items as the single-machine reader ---------------------------------------


def test_plan_examples_folder_matches_reader():
    for size in (1, 2, 5, 7, 500):
        partitions = list(plan_partitions([str(EXAMPLES)], None, size))
        assert all(p.records <= size for p in partitions)
    partitions = same_as_reader([str(EXAMPLES)], sizes=(5, 1, 2, 7, 500))
    assert len(partitions) == 5  # 24 documents: 14 .txt, 5 .html, 5 JSONL lines


def test_plan_jsonl_cuts_at_lines_and_keeps_line_numbers(tmp_path):
    lines = [
        '\ufeff{"id": "a", "text": "Alpha met Beta."}',  # a byte order mark on line 1
        "",
        '{"id": "b", "text": "Gamma visited Delta.", "date": "3 February 2026"}',
        "not json",
        "[1, 2]",
        "   ",
        '{"id": "c", "body": "no text field"}',
        '{"id": "d", "text": "' + "x" * 400 + '"}',  # over max_bytes below
        '{"id": "e", "text": "Epsilon \\u00e9 accused Zeta."}\r',
        '{"text": "No id here."}',
        "",
        "",
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines) + '\n{"id": "f", "text": "no final newline"}', encoding="utf-8")
    partitions = same_as_reader([str(path)], max_bytes=300)
    segments = [s for p in partitions for s in p.segments]
    assert {s.kind for s in segments} == {"jsonl"}
    assert segments[0].line == 1 and segments[1].line == 3  # the cut skips the blank line 2
    sources = [item.source for item in read_partition(partitions[-1])]
    assert sources == [f"{path}:13"]


def test_plan_jsonl_whole_file_problems(tmp_path):
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n  \n", encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    same_as_reader([str(blank), str(empty), str(binary), str(tmp_path / "missing.jsonl")])


def test_plan_csv_cuts_at_row_starts(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(
        b"\n"  # a blank line before the header
        b"id,title,text\r\n"
        b'1,One,"Alpha met Beta."\r\n'
        b'2,Two,"A quoted, multi-line\nfield: Gamma\nvisited Delta."\r\n'
        b"\r\n"
        b"3,Three\r\n"  # too few fields
        b'4,Four,"bad byte \xff here"\r\n'
        b'5,Five,"Epsilon accused Zeta."\r\n'
        b'6,,"Eta thanked Theta."'  # no final newline
    )
    partitions = same_as_reader([str(path)])
    assert {s.kind for p in partitions for s in p.segments} == {"csv"}
    assert partitions[0].segments[0].header == ("id", "title", "text")
    sources = [item.source for p in partitions for item in read_partition(p)]
    assert sources == [f"{path}:{n}" for n in (3, 4, 8, 9, 10, 11)]


def test_plan_csv_stopping_errors_and_whole_file_cases(tmp_path):
    long_row = tmp_path / "long.csv"
    long_row.write_text("id,text\n1,short\n2," + "y" * 500 + "\n3,after\n", encoding="utf-8")
    no_rows = tmp_path / "header_only.csv"
    no_rows.write_text("id,text\n\n", encoding="utf-8")
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("id,body\n1,x\n", encoding="utf-8")
    bad_header = tmp_path / "bad_header.csv"
    bad_header.write_bytes(b"id,t\xffext\n1,x\n")
    same_as_reader([str(long_row), str(no_rows), str(no_text), str(bad_header)], max_bytes=200)


def test_unsplittable_files_are_whole_segments(tmp_path):
    records = [{"id": f"g{i}", "text": f"Document {i} text."} for i in range(5)]
    gz = tmp_path / "a.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records)
    listing = tmp_path / "b.json"
    listing.write_text(json.dumps(records), encoding="utf-8")
    partitions = same_as_reader([str(gz), str(listing)])
    assert [s.kind for p in partitions for s in p.segments] == ["file", "file"]


def test_globs_folders_and_missing_inputs(tmp_path):
    for name in ("b.jsonl", "a.jsonl", ".hidden.jsonl", "notes.md"):
        (tmp_path / name).write_text('{"text": "Iota met Kappa."}\n' * 3, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("Lambda visited Mu.", encoding="utf-8")
    same_as_reader([str(tmp_path), str(tmp_path / "missing.txt")])
    (tmp_path / "empty").mkdir()
    (empty,) = [item for p in plan_partitions([str(tmp_path / "empty")]) for item in read_partition(p)]
    assert "no readable files" in empty.reason and ".parquet" in empty.reason  # Parquet is read here too
    partitions = list(plan_partitions([str(tmp_path / "*.jsonl"), str(tmp_path / "*.nothing")], None, 100))
    sources = [item.source for p in partitions for item in read_partition(p)]
    assert sources == [f"{tmp_path}/a.jsonl:{n}" for n in (1, 2, 3)] + [
        f"{tmp_path}/b.jsonl:{n}" for n in (1, 2, 3)
    ] + [str(tmp_path / "*.nothing")]
    with pytest.raises(ValueError, match="standard input"):
        list(plan_partitions(["-"]))


def test_parquet_input_by_row_ranges(tmp_path):
    rows = [
        {"id": f"p{i}", "text": None if i == 4 else f"Nu {i} met Xi.", "date": "2026-02-0" + str(i % 9 + 1)}
        for i in range(10)
    ]
    path = tmp_path / "docs.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=3)
    for size in (1, 2, 4, 100):
        partitions = list(plan_partitions([str(path)], None, size))
        items = [item for p in partitions for item in read_partition(p)]
        assert [i.source for i in items] == [f"{path}:{n}" for n in range(10)]
        assert [i.id for i in items if isinstance(i, Document)] == [f"p{i}" for i in range(10) if i != 4]
        assert isinstance(items[4], Problem) and "null" in items[4].reason
        assert items[0].date == date(2026, 2, 1)
    wrong = tmp_path / "wrong.parquet"
    pq.write_table(pa.Table.from_pylist([{"body": "x"}]), wrong)
    fake = tmp_path / "fake.parquet"
    fake.write_text("not parquet", encoding="utf-8")
    items = [item for p in plan_partitions([str(wrong), str(fake)]) for item in read_partition(p)]
    assert [type(i) for i in items] == [Problem, Problem]
    assert "'text' column" in items[0].reason and "Parquet" in items[1].reason


def test_partitions_are_references_not_data(tmp_path):
    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": "Omicron met Pi. " * 200}) + "\n"
    path.write_text(line * 2000, encoding="utf-8")  # about 6.4 MB
    partitions = list(plan_partitions([str(path)], None, 100))
    assert len(partitions) == 20
    assert max(len(pickle.dumps(p)) for p in partitions) < 1000
    assert sum(1 for p in partitions for _ in read_partition(p)) == 2000


def fake_result(i: int) -> Result:
    return Result(id=f"r{i}", source=f"x.jsonl:{i}", text=f"text {i}")


def test_write_partition_is_atomic_and_idempotent(tmp_path):
    partition = Partition(3, (), 3)
    items = [fake_result(1), Problem(source="x.jsonl:2", reason="bad"), fake_result(3)]
    for fmt in ("parquet", "jsonl"):
        first = write_partition(items, partition, str(tmp_path), fmt)
        data = Path(first["path"]).read_bytes()
        second = write_partition(items, partition, str(tmp_path), fmt)
        assert Path(second["path"]).read_bytes() == data
        assert (first["documents"], first["failed"]) == (2, 1)
    assert sorted(os.listdir(tmp_path)) == ["_errors", "part-000003.jsonl", "part-000003.parquet"]
    assert os.listdir(tmp_path / "_errors") == ["part-000003.jsonl"]
    lines = (tmp_path / "part-000003.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines == [fake_result(1).model_dump_json(exclude_none=False), fake_result(3).model_dump_json()]
    table = pq.read_table(tmp_path / "part-000003.parquet")
    assert table.column_names == [
        "id",
        "source",
        "title",
        "date",
        "url",
        "n_actors",
        "n_entities",
        "n_events",
        "n_quotes",
        "result",
    ]
    assert table.column("id").to_pylist() == ["r1", "r3"]

    def dies_midway():
        yield fake_result(5)
        raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError):
        write_partition(dies_midway(), Partition(4, (), 1), str(tmp_path), "parquet")
    assert not any(name.startswith((".", "part-000004")) for name in os.listdir(tmp_path))
    # a clean run of the same partition drops the errors file an earlier attempt left
    write_partition([fake_result(1)], partition, str(tmp_path), "jsonl")
    assert os.listdir(tmp_path / "_errors") == []


def test_refuses_stdin_and_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="standard input"):
        extract_distributed(["-"], str(tmp_path))
    with pytest.raises(ValueError, match="format"):
        extract_distributed([str(EXAMPLES)], str(tmp_path), fmt="csv")


# --- on real clusters -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(pipeline) -> dict[str, Result]:
    """The single-process results over the examples, by id."""
    items = list(pipeline.process(read_inputs([str(EXAMPLES)])))
    assert all(isinstance(item, Result) for item in items)
    return {item.id: item for item in items}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DASK_CLI = Path(sys.executable).parent / "dask"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The loopback recipe of docs/distributed.md: `dask scheduler` and two `dask worker` processes (each
    with its nanny) on 127.0.0.1, or a LocalCluster of 2 processes when the `dask` command is missing.
    Yields (scheduler address, kind); every process is ended when the module is done."""
    if not DASK_CLI.exists():
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        ) as local:
            yield local.scheduler_address, "local"
        return
    folder = tmp_path_factory.mktemp("loopback")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    worker = [str(DASK_CLI), "worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1"]
    commands = [
        [str(DASK_CLI), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
        [*worker, "--local-directory", str(folder / "worker1"), "--dashboard-address", ":0"],
        [*worker, "--local-directory", str(folder / "worker2"), "--dashboard-address", ":0"],
    ]
    processes: list[tuple[subprocess.Popen, object]] = []
    try:
        for n, command in enumerate(commands):
            log = open(folder / f"{n}.log", "wb")  # noqa: SIM115 - closed below
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            processes.append((process, log))
        yield address, "dask-cli"  # still starting: the tests wait (meanwhile the reference is computed)
    finally:
        for process, _ in reversed(processes):  # the workers first, then the scheduler
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # the process group: the nanny and its worker
        for process, log in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()


def wait_for_workers(address: str, n: int = 2) -> None:
    from distributed import Client

    with Client(address, timeout="60s", set_as_default=False) as client:
        client.wait_for_workers(n, timeout=120)


def events_by_id(results) -> dict[str, str]:
    return {r.id: json.dumps([e.model_dump(mode="json") for e in r.events], sort_keys=True) for r in results}


def test_loopback_recipe_can_be_tested():
    if not DASK_CLI.exists():
        pytest.skip(
            f"the `dask` command is not installed next to {sys.executable} (pip install 'dask[distributed]'):"
            " the loopback recipe of docs/distributed.md is not tested, a LocalCluster stands in"
        )


@pytest.mark.slow
def test_same_events_as_single_process_on_two_workers(cluster, reference, tmp_path):
    """The tested recipe of docs/distributed.md: `dask scheduler`, two `dask worker`s on loopback, and
    extract_distributed(scheduler=...) over the examples: the same results as one process."""
    address, _ = cluster
    wait_for_workers(address)
    out = tmp_path / "out"
    summary = extract_distributed(
        [str(EXAMPLES)], str(out), scheduler=address, partition_size=5, progress=False
    )
    assert isinstance(summary, DistributedSummary)
    assert (summary.documents, summary.failed, summary.partitions) == (24, 0, 5)
    assert summary.errors_path is None
    assert len({p["pid"] for p in summary.parts}) == 2 and os.getpid() not in {
        p["pid"] for p in summary.parts
    }
    results = list(read_output(str(out)))
    assert [r.id for r in results] == list(reference)  # parts in name order = input order
    assert events_by_id(results) == events_by_id(reference.values())
    assert [r.model_dump_json() for r in results] == [r.model_dump_json() for r in reference.values()]
    assert summary.events == sum(len(r.events) for r in reference.values()) > 0
    assert summary.quotes == sum(len(r.quotes) for r in reference.values())
    table = pq.read_table(out)  # the folder is a Parquet dataset (_errors and _summary.json are ignored)
    assert table.num_rows == 24
    assert sum(table.column("n_events").to_pylist()) == summary.events
    assert json.loads((out / "_summary.json").read_text())["documents"] == 24


def test_cli_runs_again_into_its_output_folder(cluster, tmp_path):
    """`extract --engine dask -o FOLDER` twice: the second run replaces the first's parts."""
    from click.testing import CliRunner

    from communique.cli import cli

    address, _ = cluster
    wait_for_workers(address)
    out = tmp_path / "out"
    args = ["extract", str(EXAMPLES), "--engine", "dask", "--scheduler", address, "-o", str(out), "--quiet"]
    for _ in range(2):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    assert len(list(read_output(str(out)))) == 24
    # a folder is refused by the single-process path, with the reason
    result = CliRunner().invoke(cli, ["extract", str(EXAMPLES), "-o", str(out), "--quiet"])
    assert result.exit_code == 2 and "is a folder" in result.output


@pytest.mark.slow
def test_jsonl_output_and_errors_files(cluster, reference, tmp_path):
    wait_for_workers(cluster[0])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Rubio met Lavrov in Geneva."}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out"
    (out / "part-000042.jsonl").parent.mkdir()
    (out / "part-000042.jsonl").write_text("stale\n", encoding="utf-8")  # from an earlier run: removed
    summary = extract_distributed(
        [str(EXAMPLES / "wire.jsonl"), str(bad)],
        str(out),
        fmt="jsonl",
        scheduler=cluster[0],
        partition_size=3,
        progress=False,
    )
    assert (summary.documents, summary.failed, summary.partitions) == (6, 1, 3)
    assert not (out / "part-000042.jsonl").exists()
    lines = [
        line
        for name in sorted(os.listdir(out))
        if name.startswith("part-")
        for line in (out / name).read_text(encoding="utf-8").splitlines()
    ]
    wire = [r for r in reference.values() if r.source.startswith(str(EXAMPLES / "wire.jsonl"))]
    assert lines[:5] == [r.model_dump_json(exclude_none=False) for r in wire]
    assert json.loads(lines[5])["id"] == "ok"
    assert summary.errors_path == str(out / "_errors")
    errors = [
        json.loads(line)
        for name in sorted(os.listdir(out / "_errors"))
        for line in (out / "_errors" / name).read_text().splitlines()
    ]
    assert errors == [{"source": f"{bad}:2", "reason": errors[0]["reason"], "stage": "read"}]
    assert "not valid JSON" in errors[0]["reason"]


@pytest.mark.slow
def test_a_model_that_cannot_be_loaded_fails_the_run_at_once(cluster, tmp_path):
    wait_for_workers(cluster[0])
    with pytest.raises(Exception, match="is not installed") as failure:
        extract_distributed(
            [str(EXAMPLES / "wire.jsonl")],
            str(tmp_path / "out"),
            scheduler=cluster[0],
            pipeline_options={"model": "no_such_spacy_model"},
            progress=False,
        )
    assert type(failure.value).__name__ == "ModelNotFoundError"
    assert not [n for n in os.listdir(tmp_path / "out") if n.startswith("part-")]


def write_corpus(path: Path, copies: int) -> list[str]:
    """The examples repeated with unique ids, as JSONL; the ids in order."""
    docs = [d for d in read_inputs([str(EXAMPLES)]) if isinstance(d, Document)]
    ids = []
    with open(path, "w", encoding="utf-8") as out:
        for n in range(copies):
            for doc in docs:
                ids.append(f"{doc.id}#{n}")
                out.write(
                    json.dumps(
                        {"id": ids[-1], "text": doc.text, "date": doc.date.isoformat() if doc.date else None}
                    )
                    + "\n"
                )
    return ids


@pytest.mark.slow
def test_worker_killed_mid_run_every_document_once(cluster, tmp_path):
    from distributed import Client

    corpus = tmp_path / "corpus.jsonl"
    ids = write_corpus(corpus, 1)  # 24 documents in 12 partitions of 2
    out = tmp_path / "out"
    outcome: dict = {}

    def run():
        try:
            outcome["summary"] = extract_distributed(
                [str(corpus)],
                str(out),
                fmt="jsonl",
                scheduler=cluster[0],
                partition_size=2,
                progress=False,
            )
        except BaseException as err:  # reported below
            outcome["error"] = err

    def finished() -> set[str]:
        return {n for n in os.listdir(out) if n.startswith("part-")} if out.exists() else set()

    psutil = pytest.importorskip("psutil")
    wait_for_workers(cluster[0])
    with Client(cluster[0], set_as_default=False) as client:
        pids = client.run(os.getpid)  # worker address -> process id
        runner = threading.Thread(target=run, daemon=True)
        runner.start()
        deadline = time.monotonic() + 120
        killed = None
        while killed is None and time.monotonic() < deadline and runner.is_alive():
            busy = [address for address, keys in client.processing().items() if keys and address in pids]
            if finished() and busy:
                killed = pids[busy[0]]
                os.kill(killed, signal.SIGKILL)  # the worker dies in the middle of a partition
            time.sleep(0.02)
        assert killed is not None, "the run ended before a worker could be killed"
        with contextlib.suppress(psutil.NoSuchProcess):
            while psutil.Process(killed).status() != psutil.STATUS_ZOMBIE:
                time.sleep(0.01)
        done_at_kill = finished()
        runner.join(timeout=180)
    assert not runner.is_alive(), "the run did not finish"
    assert "error" not in outcome, outcome.get("error")
    summary = outcome["summary"]
    assert (summary.documents, summary.failed, summary.partitions) == (24, 0, 12)
    written = [
        json.loads(line)["id"]
        for name in sorted(os.listdir(out))
        if name.startswith("part-")
        for line in (out / name).read_text(encoding="utf-8").splitlines()
    ]
    assert written == ids  # every document exactly once, in order
    assert not [n for n in os.listdir(out) if n.startswith(".")]  # no temporary file left
    # the partitions not done when the worker died (its own included) were all done elsewhere
    late = [p for p in summary.parts if f"part-{p['partition']:06d}.jsonl" not in done_at_kill]
    assert late, "the run was over before the worker died"
    assert killed not in {p["pid"] for p in late}


@pytest.mark.slow
def test_default_local_cluster_same_events_no_processes_left(reference, tmp_path):
    """No scheduler: a LocalCluster is started for the run and closed after it."""
    psutil = pytest.importorskip("psutil")

    def children() -> set[int]:
        # multiprocessing's resource tracker stays for the life of this process, by design
        return {
            p.pid
            for p in psutil.Process().children(recursive=True)
            if "resource_tracker" not in " ".join(p.cmdline())
        }

    before = children()
    wire = str(EXAMPLES / "wire.jsonl")
    summary = extract_distributed([wire], str(tmp_path / "out"), workers=1, progress=False)
    assert (summary.documents, summary.failed, summary.partitions) == (5, 0, 1)
    results = list(read_output(str(tmp_path / "out")))
    expected = [r for r in reference.values() if r.source.startswith(wire)]
    assert events_by_id(results) == events_by_id(expected)
    assert [r.model_dump_json() for r in results] == [r.model_dump_json() for r in expected]
    deadline = time.monotonic() + 30
    while children() - before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not children() - before


# -- never an input lost; Ctrl-C as the local engine (issue 22) ----------------------------------------


def test_an_output_folder_that_holds_or_lies_in_the_inputs_is_refused(tmp_path):
    """Re-running on an earlier output (-o the same folder), an input inside -o, or -o inside an input
    folder: refused with the reason before anything is deleted or a cluster started."""
    from click.testing import CliRunner

    from communique.cli import cli

    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "part-000000.jsonl"
    earlier.write_text((EXAMPLES / "wire.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    before = earlier.read_bytes()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Rubio met Lavrov in Geneva.", encoding="utf-8")
    cases = [
        ([str(out)], str(out), "holds the input"),
        ([str(earlier)], str(out), "holds the input"),
        ([str(tmp_path / "out" / "*.jsonl")], str(out), "holds the input"),
        ([str(corpus)], str(corpus / "results"), "inside the input folder"),
    ]
    for inputs, target, needle in cases:
        result = CliRunner().invoke(cli, ["extract", *inputs, "--engine", "dask", "-o", target, "--quiet"])
        assert result.exit_code == 2 and needle in result.output, result.output
        assert "Traceback" not in result.output
        with pytest.raises(ValueError, match=needle):
            extract_distributed(inputs, target, progress=False)
    assert earlier.read_bytes() == before and sorted(os.listdir(out)) == ["part-000000.jsonl"]
    assert sorted(os.listdir(corpus)) == ["a.txt"]


@pytest.mark.slow
def test_ctrl_c_on_the_dask_engine_exits_130_without_tracebacks(tmp_path):
    """Ctrl-C in a terminal: SIGINT to the whole process group (the command and its cluster's workers)."""
    out = tmp_path / "out"
    command = [
        str(Path(sys.executable).parent / "communique"),
        *(
            "extract",
            str(EXAMPLES),
            "--engine",
            "dask",
            "--workers",
            "1",
            "-o",
            str(out),
            "--format",
            "jsonl",
        ),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while not out.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(3)  # the cluster starting or the run under way: either is interrupted alike
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    stderr = err.decode()
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr, stderr
