"""The same pipeline on a Dask cluster: partitioned input in, partitioned output out.

``extract_distributed`` is what ``communique extract --engine dask`` calls (docs/distributed.md):

1. **Plan** (on the client, streaming): the inputs (files, directories, globs) become ``Partition``s of
   about ``partition_size`` documents. A partition is a list of ``Segment``s, each a *reference* to input,
   never the input itself: a byte range of a JSON lines file, a byte range of CSV rows (with the header),
   a row range of a Parquet file, or a whole file for formats that cannot be split (``.txt``, ``.html``,
   ``.json`` and anything gzip-compressed). Splitting a JSONL or CSV file takes one pass that holds one
   line (one row) at a time, so a file of any size is planned in bounded memory.
2. **Process** (on the workers): each partition is one Dask task. The task reads its own segments with
   ``communique.io`` (``read_span``, ``read_file``), runs the single-machine ``Pipeline`` (loaded once per
   worker process by ``PipelineLoader``, a WorkerPlugin, and cached by its options) and streams the results to
   ``part-NNNNN.parquet`` (or ``.jsonl``) in the output folder; ``Problem``s go to
   ``_errors/part-NNNNN.jsonl``. Only a small dict of counts travels back to the client.
3. **Commit**: a partition is written under a temporary dot-name and renamed into place when complete, so
   a task that Dask retries after its worker died leaves neither a half file nor a duplicate: every input
   document is in the output exactly once. Scheduling, retries and data movement are all Dask's.

Reading a partition gives exactly the items the single-machine reader gives for the same stretch of input
(same ids, sources ``path:LINE``, problems), so the output matches ``communique extract`` document for
document; read the parts in name order and the documents come in input order. The one difference:
Parquet input (``.parquet``) is read here, also in folders, row by row, with the ``ReadOptions`` field
names as columns (``communique.io.FORMATS``; ``extract`` reads ``DEFAULT_FORMATS``).
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import hashlib
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import IO, TYPE_CHECKING, Any

from distributed.diagnostics.plugin import WorkerPlugin

from communique.io import FORMATS as INPUT_FORMATS
from communique.io import (
    RESULT_FORMATS,
    ReadOptions,
    ResultFile,
    Span,
    format_of,
    list_files,
    open_result_file,
    parquet_schema,
    read_file,
    read_results,
    read_span,
    split_file,
)
from communique.models import Document, Problem, Result
from communique.settings import PipelineSettings

if TYPE_CHECKING:
    from distributed import Client

    from communique.pipeline import Pipeline

__all__ = [
    "FORMATS",
    "DistributedSummary",
    "Partition",
    "PipelineLoader",
    "Segment",
    "extract_distributed",
    "parquet_schema",
    "plan_partitions",
    "read_output",
    "read_partition",
    "run_partition",
    "write_partition",
]

FORMATS = RESULT_FORMATS  # of the output
ERRORS_DIR = "_errors"
SUMMARY_FILE = "_summary.json"
_CACHED_OPTION_SETS = 2  # distinct pipeline configurations a worker process keeps loaded
_NO_STDIN = "standard input ('-') cannot be read on a Dask cluster: write it to a file the workers can see"


# --- the plan ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A stretch of input that one task reads: a reference, never the data."""

    # "file" (whole, any format), "problem", or the format of a span of a file ("jsonl", "csv", "parquet")
    kind: str
    source: str  # the path as the single-machine reader names it (sources are ``source:LINE``)
    path: str = ""  # the absolute path the worker opens
    start: int = 0  # jsonl/csv: byte offset of the first line; parquet: first row (0-based)
    stop: int | None = None  # jsonl/csv: byte offset where the next segment starts; parquet: row; None: end
    line: int = 1  # jsonl/csv: the number of the line at ``start`` (1-based, as in sources)
    header: tuple[str, ...] = ()  # csv: the header row
    reason: str = ""  # problem: why the input could not be planned

    @property
    def span(self) -> Span:
        """The span of the file that a segment of a format's kind reads."""
        return Span(self.kind, self.start, self.stop, self.line, self.header)


@dataclass(frozen=True)
class Partition:
    """The unit of work: about ``partition_size`` documents from one or more segments, in input order."""

    index: int
    segments: tuple[Segment, ...]
    records: int  # documents expected (whole files are estimated)

    @property
    def name(self) -> str:
        return f"part-{self.index:06d}"


class _Planner:
    """Collects segments into partitions of ``size`` records."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.index = 0
        self.segments: list[Segment] = []
        self.count = 0

    @property
    def full(self) -> bool:
        return self.count >= self.size

    def add(self, segment: Segment, records: int) -> Iterator[Partition]:
        self.segments.append(segment)
        self.count += records
        if self.full:
            yield self.flush()

    def flush(self) -> Partition:
        partition = Partition(self.index, tuple(self.segments), self.count)
        self.index += 1
        self.segments = []
        self.count = 0
        return partition


def plan_partitions(
    inputs: Iterable[str], options: ReadOptions | None = None, partition_size: int = 500
) -> Iterator[Partition]:
    """Partitions of about ``partition_size`` documents over ``inputs`` (files, folders, globs), lazily.

    Memory is bounded by one line (one CSV row) whatever the size of the inputs; the data stays where it
    is. Standard input ('-') cannot be shared with a cluster and raises ValueError.
    """
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, not {partition_size}")
    options = options or ReadOptions()
    planner = _Planner(partition_size)
    for item in _expand(inputs):
        if isinstance(item, Problem):
            yield from planner.add(Segment("problem", item.source, reason=item.reason), 0)
        else:
            yield from _plan_file(planner, item, os.path.abspath(item), options)
    if planner.segments:
        yield planner.flush()


def _expand(inputs: Iterable[str]) -> Iterator[str | Problem]:
    """The files to read, named as the single-machine reader names them, or a Problem per bad input."""
    for given in inputs:
        if given == "-":
            raise ValueError(_NO_STDIN)
        if not os.path.lexists(given) and glob.has_magic(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield Problem(source=given, reason="no files match the pattern", stage="read")
            for match in matches:
                yield from list_files(match, INPUT_FORMATS)
        else:
            yield from list_files(given, INPUT_FORMATS)


def _plan_file(planner: _Planner, source: str, path: str, options: ReadOptions) -> Iterator[Partition]:
    room = planner.size - planner.count
    spans = split_file(path, source, options, room, planner.size, INPUT_FORMATS)
    if spans is None:
        # One document (text, HTML, unknown type), a file that cannot be split (JSON, gzip) or one the
        # reader rejects as a whole (empty, binary, unreadable): the whole file, read as on a single machine.
        fmt, _ = format_of(os.path.basename(source), INPUT_FORMATS)
        single = fmt is None or fmt.one_document
        yield from planner.add(Segment("file", source, path), 1 if single else max(room, 1))
        return
    found = False
    for span in spans:
        found = True
        if isinstance(span, Problem):
            yield from planner.add(Segment("problem", source, reason=span.reason), 0)
        else:
            segment = Segment(span.format, source, path, span.start, span.stop, span.line, span.header)
            yield from planner.add(segment, span.records)
    if not found:  # nothing to cut (a JSONL file of blank lines, a CSV file without rows ...)
        yield from planner.add(Segment("file", source, path), 1)  # the reader reports what is wrong


# --- reading a partition ------------------------------------------------------------------------------------


def read_partition(partition: Partition, options: ReadOptions | None = None) -> Iterator[Document | Problem]:
    """The documents (or problems) of one partition, in input order, streamed."""
    options = options or ReadOptions()
    for segment in partition.segments:
        if segment.kind == "problem":
            yield Problem(source=segment.source, reason=segment.reason, stage="read")
        elif segment.kind == "file":
            yield from read_file(segment.path, segment.source, options, INPUT_FORMATS)
        else:
            yield from read_span(segment.path, segment.source, segment.span, options)


# --- the worker side -------------------------------------------------------------------------------------

_POOL_LOCK = threading.Lock()
_POOL: dict[str, list[Pipeline]] = {}  # options key -> idle pipelines (one per concurrent task)


def _options_key(options: PipelineSettings) -> str:
    return json.dumps(asdict(options), sort_keys=True, default=list)


@contextlib.contextmanager
def _borrow(options: PipelineSettings) -> Iterator[Pipeline]:
    """A loaded pipeline for these options, for this task alone: loaded once per worker process (and per
    concurrent thread, as a spaCy pipeline is not shared between threads), then reused by later tasks."""
    key = _options_key(options)
    with _POOL_LOCK:
        idle = _POOL.pop(key, [])
        pipe = idle.pop() if idle else None
        _POOL[key] = idle  # re-inserted: most recently used last
        while len(_POOL) > _CACHED_OPTION_SETS:
            del _POOL[next(iter(_POOL))]
    if pipe is None:
        from communique.pipeline import Pipeline

        pipe = Pipeline.from_settings(replace(options, jobs=1))
        pipe.nlp  # noqa: B018 - load now
    try:
        yield pipe
    finally:
        with _POOL_LOCK:
            _POOL.setdefault(key, []).append(pipe)


def _preload(options: PipelineSettings) -> None:
    with _borrow(options):
        pass


class PipelineLoader(WorkerPlugin):
    """Loads the pipeline on every worker as it joins (and on a worker that replaces a dead one), off the
    worker's event loop, so the first partition does not pay for it and a model that cannot be loaded
    fails the run at once."""

    def __init__(self, options: PipelineSettings) -> None:
        self.options = options
        self.name = "communique-pipeline-" + hashlib.sha1(_options_key(options).encode()).hexdigest()[:12]

    async def setup(self, worker: Any) -> None:
        try:
            await asyncio.to_thread(_preload, self.options)
        except asyncio.CancelledError:  # the worker closes while loading (the run was interrupted):
            return  # nothing to report; a traceback in the log would suggest a failure


# --- writing a partition ---------------------------------------------------------------------------------


def _temporary(folder: str, name: str) -> str:
    # Dot names: ignored by Parquet dataset readers, and never mistaken for a finished part.
    return os.path.join(folder, f".{name}.{uuid.uuid4().hex}.tmp")


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def write_partition(
    items: Iterable[Result | Problem], partition: Partition, output_dir: str, fmt: str
) -> dict[str, Any]:
    """Stream ``items`` to the partition's files; each appears, complete, by an atomic rename (so a task
    that is run again replaces, never duplicates)."""
    errors_dir = os.path.join(output_dir, ERRORS_DIR)
    data_name = f"{partition.name}.{fmt}"
    data_path = os.path.join(output_dir, data_name)
    errors_path = os.path.join(errors_dir, f"{partition.name}.jsonl")
    data_tmp = _temporary(output_dir, data_name)
    errors_tmp = _temporary(errors_dir, f"{partition.name}.jsonl")
    stats: dict[str, Any] = {
        "partition": partition.index,
        "documents": 0,
        "failed": 0,
        "events": 0,
        "quotes": 0,
    }
    errors: IO[str] | None = None
    sink: ResultFile | None = None
    try:
        sink = open_result_file(data_tmp, fmt)
        for item in items:
            if isinstance(item, Problem):
                if errors is None:
                    os.makedirs(errors_dir, exist_ok=True)
                    errors = open(errors_tmp, "w", encoding="utf-8")  # noqa: SIM115 - closed below
                errors.write(item.model_dump_json() + "\n")
                stats["failed"] += 1
            else:
                sink.write(item)
                stats["documents"] += 1
                stats["events"] += len(item.events)
                stats["quotes"] += len(item.quotes)
        sink.close()
        sink = None
        if errors is not None:
            errors.close()
            errors = None
            os.replace(errors_tmp, errors_path)
        else:
            _remove(errors_path)
        os.replace(data_tmp, data_path)  # the data file last: it marks the partition as done
    finally:
        if sink is not None:
            with contextlib.suppress(Exception):
                sink.close()
        if errors is not None:
            errors.close()
        _remove(data_tmp)
        _remove(errors_tmp)
    stats["path"] = data_path
    stats["errors"] = errors_path if stats["failed"] else None
    return stats


def run_partition(
    partition: Partition,
    output_dir: str,
    fmt: str,
    pipeline_options: PipelineSettings,
    read_options: ReadOptions,
) -> dict[str, Any]:
    """The Dask task: read, analyse and write one partition; returns its counts (and nothing else)."""
    started, cpu = time.perf_counter(), time.thread_time()
    with _borrow(pipeline_options) as pipe:
        stats = write_partition(
            pipe.process(read_partition(partition, read_options)), partition, output_dir, fmt
        )
    stats["seconds"] = time.perf_counter() - started
    stats["cpu_seconds"] = time.thread_time() - cpu
    stats["pid"] = os.getpid()
    return stats


# --- the client side ------------------------------------------------------------------------------------


@dataclass
class DistributedSummary:
    """What a distributed run did, as the single-machine summary, plus where the output went."""

    documents: int  # results written
    failed: int  # problems (unreadable input, failed analysis), in the errors files
    events: int
    quotes: int
    seconds: float  # the whole run, cluster start and model loading included
    partitions: int
    output_dir: str
    errors_path: str | None  # the folder of per-partition errors files, None when nothing failed
    setup_seconds: float = 0.0  # cluster start and model loading
    parts: list[dict[str, Any]] = field(default_factory=list, repr=False)  # per-partition counts


def _clean(output_dir: str) -> None:
    """Remove the output of an earlier run (only our own file names), so no stale partition survives."""
    errors_dir = os.path.join(output_dir, ERRORS_DIR)
    for folder in (output_dir, errors_dir):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            ours = (name.startswith("part-") and name.endswith((".parquet", ".jsonl"))) or (
                name.startswith(".part-") and name.endswith(".tmp")
            )
            if ours or (folder == output_dir and name == SUMMARY_FILE):
                _remove(os.path.join(folder, name))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_output_folder(inputs: Iterable[str], output_dir: str) -> None:
    """ValueError when ``output_dir`` holds an input or lies inside an input folder: the run
    replaces the part files there, so it would delete (or read back) what it is asked to read."""
    out = os.path.realpath(output_dir)
    for given in inputs:
        paths = sorted(glob.glob(given, recursive=True)) if glob.has_magic(given) else [given]
        for path in paths:
            if not os.path.lexists(path):
                continue
            real = os.path.realpath(path)
            if _inside(real, out):
                raise ValueError(
                    f"the output folder {output_dir} holds the input {given}: the run would replace the "
                    "files it reads; give -o a new folder"
                )
            if os.path.isdir(real) and _inside(out, real):
                raise ValueError(
                    f"the output folder {output_dir} is inside the input folder {given}: the run would "
                    "read its own output (and replace earlier output that is input); give -o a folder "
                    "outside the inputs"
                )


def _absolute_if_path(value: Any) -> Any:
    if isinstance(value, str) and os.path.exists(value):
        return os.path.abspath(value)
    return value


def _worker_options(pipeline_options: PipelineSettings | Mapping[str, Any] | None) -> PipelineSettings:
    """The settings as the workers need them: local paths made absolute (workers may run elsewhere),
    ``jobs`` 1 (a worker is one process; add workers instead)."""
    options = PipelineSettings.of(pipeline_options)
    return replace(
        options,
        jobs=1,
        model=_absolute_if_path(options.model),
        event_model=_absolute_if_path(options.event_model),
        actors_files=tuple(_absolute_if_path(p) for p in options.actors_files),
    )


@contextlib.contextmanager
def _connect(
    scheduler: str | None, workers: int, threads_per_worker: int, memory_limit: str | None
) -> Iterator[Client]:
    from distributed import Client, LocalCluster

    if scheduler is None:
        with (
            _workers_deaf_to_ctrl_c(),
            LocalCluster(
                n_workers=workers,
                threads_per_worker=threads_per_worker,
                processes=True,
                memory_limit=memory_limit if memory_limit is not None else "auto",
                dashboard_address=":0",  # any free port: never "port 8787 is already in use"
            ) as cluster,
            Client(cluster, set_as_default=False) as client,
        ):
            yield client
    elif scheduler.endswith(".json") and os.path.isfile(scheduler):
        with Client(scheduler_file=scheduler, set_as_default=False) as client:
            yield client
    else:
        with Client(scheduler, set_as_default=False) as client:
            yield client


@contextlib.contextmanager
def _workers_deaf_to_ctrl_c() -> Iterator[None]:
    """Ctrl-C is for this process, which cancels the run and closes the cluster: the worker processes
    started meanwhile inherit ``communique.WORKER_ENV``, so that they ignore SIGINT (the terminal sends
    it to the whole process group) instead of each ending with a traceback of its own."""
    from communique import WORKER_ENV

    before = os.environ.get(WORKER_ENV)
    os.environ[WORKER_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(WORKER_ENV, None)
        else:
            os.environ[WORKER_ENV] = before


def extract_distributed(
    inputs: Sequence[str],
    output_dir: str,
    *,
    fmt: str = "parquet",
    scheduler: str | None = None,
    workers: int = 2,
    threads_per_worker: int = 1,
    pipeline_options: PipelineSettings | Mapping[str, Any] | None = None,
    read_options: ReadOptions | None = None,
    partition_size: int = 500,
    progress: bool = True,
    memory_limit: str | None = None,
) -> DistributedSummary:
    """Run the pipeline over ``inputs`` on a Dask cluster; write partitioned output into ``output_dir``.

    ``scheduler``: the address of a running scheduler (``tcp://host:8786``) or a scheduler file
    (``.json``); None starts a LocalCluster of ``workers`` processes with ``threads_per_worker`` threads
    (and ``memory_limit`` each) for this run. ``fmt``: ``parquet`` (one row per document, the result JSON
    in ``result``) or ``jsonl`` (the lines of ``communique extract``). The workers must see the input
    paths and ``output_dir`` (a shared file system on a multi-node cluster) and have communique and the
    spaCy model installed. Earlier output of ours in ``output_dir`` (part-*, _errors/part-*) is removed;
    an ``output_dir`` that holds an input or lies inside an input folder is refused (ValueError) before
    anything is touched.
    ``pipeline_options``: a ``PipelineSettings``, or its ``Pipeline(...)`` keyword arguments as a dict.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    if workers < 1 or threads_per_worker < 1:
        raise ValueError("workers and threads_per_worker must be at least 1")
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, not {partition_size}")
    if "-" in inputs:
        raise ValueError(_NO_STDIN)
    started = time.perf_counter()
    read_options = read_options or ReadOptions()
    options = _worker_options(pipeline_options)
    if os.path.exists(output_dir) and not os.path.isdir(output_dir):
        raise ValueError(f"{output_dir} is a file: --engine dask writes a folder of partitions")
    check_output_folder(inputs, output_dir)
    os.makedirs(output_dir, exist_ok=True)
    _clean(output_dir)
    target = os.path.abspath(output_dir)
    run = uuid.uuid4().hex[:8]
    parts: list[dict[str, Any]] = []
    with _connect(scheduler, workers, threads_per_worker, memory_limit) as client:
        from distributed import as_completed
        from distributed import progress as progress_bar

        loader = PipelineLoader(options)
        futures = []
        try:
            client.register_plugin(loader)  # every worker loads the pipeline now (and any that joins later)
            setup_seconds = time.perf_counter() - started
            for partition in plan_partitions(inputs, read_options, partition_size):
                futures.append(
                    client.submit(
                        run_partition,
                        partition,
                        target,
                        fmt,
                        options,
                        read_options,
                        key=f"communique-partition-{run}-{partition.index:06d}",
                        pure=False,
                    )
                )
            if progress and futures and sys.stderr.isatty():
                rpc = client.scheduler
                assert rpc is not None  # None only before the client has connected
                with contextlib.redirect_stdout(sys.stderr):
                    progress_bar(futures, notebook=False, scheduler=rpc.address, loop=client.loop)
            for _, stats in as_completed(futures, with_results=True, loop=client.loop):
                parts.append(stats)
        except BaseException:
            client.cancel(futures)
            raise
        finally:
            with contextlib.suppress(Exception):
                client.unregister_worker_plugin(loader.name)
    _clean_temporaries(target)
    parts.sort(key=lambda stats: stats["partition"])
    failed = sum(stats["failed"] for stats in parts)
    summary = DistributedSummary(
        documents=sum(stats["documents"] for stats in parts),
        failed=failed,
        events=sum(stats["events"] for stats in parts),
        quotes=sum(stats["quotes"] for stats in parts),
        seconds=time.perf_counter() - started,
        partitions=len(parts),
        output_dir=output_dir,
        errors_path=os.path.join(output_dir, ERRORS_DIR) if failed else None,
        setup_seconds=setup_seconds,
        parts=parts,
    )
    record = {k: v for k, v in asdict(summary).items() if k != "parts"} | {"format": fmt}
    with open(os.path.join(output_dir, SUMMARY_FILE), "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2)
        handle.write("\n")
    return summary


def _clean_temporaries(output_dir: str) -> None:
    """Temporary files of tasks whose worker died while writing (their partitions were run again)."""
    for folder in (output_dir, os.path.join(output_dir, ERRORS_DIR)):
        if os.path.isdir(folder):
            for name in os.listdir(folder):
                if name.startswith(".part-") and name.endswith(".tmp"):
                    _remove(os.path.join(folder, name))


def read_output(output_dir: str) -> Iterator[Result | Problem]:
    """The results of a distributed run, in input order (parts in name order), from either format; a line
    or row that cannot be read is a Problem (``communique.io.read_results``)."""
    yield from read_results(output_dir)
