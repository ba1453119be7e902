"""Result files: the JSON lines `communique extract` writes (one ``Result`` per line) and the Dask engine's
partitioned output. One reader and one writer, with one error policy.

Reading (``read_results``): a file of result lines (``.gz`` too), a Parquet file of results (a ``result``
column holding each result as JSON, as the Dask engine writes, or the fields of a result as columns), a
Dask output folder (its ``part-N`` files, in input order) or ``-`` for standard input. A bad line (row) is a
Problem with ``path:LINE`` (``path:ROW``, 0-based) and a plain reason, and the rest of the file goes on;
blank lines are skipped. A file that cannot be opened, or that stops being readable, is one Problem.

Writing: ``write_result`` writes the line `extract` writes; ``open_result_file`` a file of such lines, or a
Parquet file with one row per document (the Dask engine's partitions).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Any, Protocol

from pydantic import ValidationError

from communique.io.common import problem
from communique.io.parquet import rows
from communique.models import Problem, Result

__all__ = [
    "RESULT_FORMATS",
    "ResultFile",
    "is_result_file",
    "open_result_file",
    "parquet_schema",
    "read_results",
    "write_result",
]

RESULT_FORMATS = ("parquet", "jsonl")
_PART = re.compile(r"part-(\d+)\.(?:jsonl|parquet)")  # a Dask partition file
_RESULT_FIELDS = frozenset({"id", "actors", "events"})  # a record with these is a result, not an article
_JSONL_NAMES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_COLUMNS = ("id", "source", "title", "date", "url")
_COUNTS = ("n_actors", "n_entities", "n_events", "n_quotes")
_ROW_GROUP = 256  # rows buffered before a Parquet row group is written: bounds the writer's memory


# --- reading --------------------------------------------------------------------------------------------


def read_results(path: str) -> Iterator[Result | Problem]:
    """The results in a result file, a Dask output folder or standard input (``-``), in order."""
    if path == "-":
        # Bytes where there are (pydantic reads UTF-8 itself); a text stream without a buffer gives str.
        yield from _read_lines(getattr(sys.stdin, "buffer", sys.stdin), path)
    elif os.path.isdir(path):
        for part in _parts(path):
            yield from read_results(part)
    elif path.lower().endswith(".parquet"):
        yield from _read_parquet(path)
    else:
        try:
            handle = _open(path)
        except OSError as exc:
            yield problem(path, f"cannot open: {exc}")
            return
        with handle:
            yield from _read_lines(handle, path)


def _open(path: str, mode: str = "rb") -> IO[Any]:
    """A result file, decompressed if its name ends in ``.gz``; ``mode`` "rt" reads it as UTF-8 text."""
    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    return opener(path, mode, encoding="utf-8" if mode == "rt" else None)


def _parts(folder: str) -> list[str]:
    """The partition files of a Dask output folder, in partition order (= input order)."""
    numbered = [(int(match[1]), name) for name in os.listdir(folder) if (match := _PART.fullmatch(name))]
    return [os.path.join(folder, name) for _, name in sorted(numbered)]


def _read_lines(lines: Iterable[bytes | str], source: str) -> Iterator[Result | Problem]:
    number = 0
    try:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield _from_json(line, f"{source}:{number}")
    except (OSError, EOFError, zlib.error) as exc:  # a damaged .gz, a failing disk ...
        yield problem(f"{source}:{number + 1}", f"cannot read further: {exc}")


def _read_parquet(path: str) -> Iterator[Result | Problem]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as parquet:
            if "result" in parquet.schema_arrow.names:  # the Dask engine's: each result whole, as JSON
                for number, row in rows(parquet, columns=["result"]):
                    yield _from_json(row["result"], f"{path}:{number}")
            else:
                for number, row in rows(parquet):
                    yield _from_columns(row, f"{path}:{number}")
    except (OSError, pa.ArrowException) as exc:
        yield problem(path, f"cannot read the Parquet file: {exc}")


def _from_json(data: Any, source: str) -> Result | Problem:
    try:
        return Result.model_validate_json(data)
    except ValidationError as exc:
        return problem(source, _why(exc))


def _from_columns(row: dict[str, Any], source: str) -> Result | Problem:
    try:
        return Result.model_validate(_drop_nulls(row))
    except ValidationError as exc:
        return problem(source, _why(exc))


def _why(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "line"
    return f"not a result line ({where}: {first.get('msg')})"


def _drop_nulls(value: Any) -> Any:
    # Parquet gives every struct field of every row; an absent optional field must read as absent.
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def is_result_file(path: str) -> bool:
    """Whether a file holds results rather than articles: Parquet with the columns of a result (or a
    ``result`` column), or JSON lines whose first record has ``id``, ``actors`` and ``events``."""
    name = path.lower()
    if name.endswith(".parquet"):
        try:
            import pyarrow.parquet as pq

            names = set(pq.ParquetFile(path).schema_arrow.names)
        except Exception:
            return False  # not Parquet at all: the reader reports it
        return names >= _RESULT_FIELDS or {"id", "result"} <= names
    if name.endswith(_JSONL_NAMES):
        try:
            with _open(path, "rt") as handle:
                for line in handle:
                    if line.strip():
                        record = json.loads(line)
                        return isinstance(record, dict) and set(record) >= _RESULT_FIELDS
        except (OSError, ValueError, EOFError, zlib.error):
            pass
    return False


# --- writing --------------------------------------------------------------------------------------------


def write_result(out: IO[str], result: Result) -> None:
    """Write ``result`` as one line of `communique extract` output (every field, nulls included)."""
    out.write(result.model_dump_json(exclude_none=False) + "\n")


class ResultFile(Protocol):
    def write(self, result: Result) -> None: ...
    def close(self) -> None: ...


def open_result_file(path: str, fmt: str) -> ResultFile:
    """A new file of results: ``jsonl`` (the lines of `extract`) or ``parquet`` (one row per document)."""
    if fmt == "jsonl":
        return _JsonlFile(path)
    if fmt == "parquet":
        return _ParquetFile(path)
    raise ValueError(f"unknown result format {fmt!r} (choose from {', '.join(RESULT_FORMATS)})")


def parquet_schema() -> Any:
    """One row per document: its metadata, counts, and the full result line as JSON in ``result``."""
    import pyarrow as pa

    return pa.schema(
        [(name, pa.string()) for name in _COLUMNS]
        + [(name, pa.int32()) for name in _COUNTS]
        + [("result", pa.large_string())]
    )


class _JsonlFile:
    def __init__(self, path: str) -> None:
        self._handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def write(self, result: Result) -> None:
        write_result(self._handle, result)

    def close(self) -> None:
        self._handle.close()


class _ParquetFile:
    def __init__(self, path: str) -> None:
        import pyarrow.parquet as pq

        self._schema = parquet_schema()
        self._writer = pq.ParquetWriter(path, self._schema, compression="zstd")
        self._rows: dict[str, list[Any]] = {name: [] for name in self._schema.names}

    def write(self, result: Result) -> None:
        columns = self._rows
        metadata = result.model_dump(mode="json", include=set(_COLUMNS))  # text, as the date is in JSON
        for name in _COLUMNS:
            columns[name].append(metadata[name])
        columns["n_actors"].append(len(result.actors))
        columns["n_entities"].append(len(result.entities))
        columns["n_events"].append(len(result.events))
        columns["n_quotes"].append(len(result.quotes))
        columns["result"].append(result.model_dump_json(exclude_none=False))
        if len(columns["id"]) >= _ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows["id"]:
            self._writer.write_table(pa.Table.from_pydict(self._rows, schema=self._schema))
            self._rows = {name: [] for name in self._schema.names}

    def close(self) -> None:
        self._flush()
        self._writer.close()
