"""``.parquet``: one document per row, the ``ReadOptions`` field names as columns.

Sources are ``path:ROW`` (0-based, as JSON list items). Rows are decoded a batch at a time from the row
groups that hold them, so memory is bounded by a batch. A file that pyarrow cannot open, without the text
column or without rows is one Problem. Not a text format: never sniffed, decoded or read through gzip
(pyarrow needs to seek). Split for parallel reading into row ranges.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, BinaryIO, cast

from communique.io.common import Item, Readable, ReadOptions, Span, problem, record_document
from communique.models import Problem

__all__ = ["BATCH", "FORMAT", "Parquet", "rows"]

BATCH = 256  # rows decoded at a time


class Parquet:
    """An Apache Parquet file of articles."""

    name = "parquet"
    extensions: tuple[str, ...] = (".parquet",)
    text = False
    line_based = False
    one_document = False

    def read(self, stream: Readable, source: str, options: ReadOptions) -> Iterator[Item]:
        # pyarrow seeks, which Readable does not promise: a binary format's stream is the file as opened
        with _articles(cast(BinaryIO, stream), source, options) as parquet:
            if isinstance(parquet, Problem):
                yield parquet
                return
            yield from _documents(parquet, source, options, 0, None)

    def split(
        self, path: str, source: str, options: ReadOptions, room: int, size: int
    ) -> Iterator[Span | Problem]:
        """Row ranges: ``room`` rows, then ``size`` at a time; a Problem if the file cannot be read."""
        with _articles(path, source, options) as parquet:
            if isinstance(parquet, Problem):
                yield parquet
                return
            total = parquet.metadata.num_rows
        row = 0
        while row < total:
            take = min(room, total - row)
            yield Span(self.name, row, row + take, records=take)
            row += take
            room = size

    def read_span(self, path: str, source: str, span: Span, options: ReadOptions) -> Iterator[Item]:
        import pyarrow.parquet as pq

        with pq.ParquetFile(path) as parquet:  # checked when the span was planned
            yield from _documents(parquet, source, options, span.start, span.stop)


FORMAT = Parquet()


@contextmanager
def _articles(file: str | BinaryIO, source: str, options: ReadOptions) -> Iterator[Any]:
    """The open ``ParquetFile``, or a Problem if it cannot be read as articles."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(file)
    except Exception as err:  # not Parquet, a damaged footer, unreadable ...
        yield problem(source, f"cannot read the Parquet file ({type(err).__name__}: {err})")
        return
    with parquet:
        names = parquet.metadata.schema.names
        if options.text_field not in names:
            listed = ", ".join(repr(name) for name in names[:10])
            yield problem(source, f"no {options.text_field!r} column with the article text ({listed})")
        elif parquet.metadata.num_rows == 0:
            yield problem(source, "the Parquet file has no rows")
        else:
            yield parquet


def _documents(
    parquet: Any, source: str, options: ReadOptions, start: int, stop: int | None
) -> Iterator[Item]:
    for number, record in rows(parquet, start, stop):
        yield record_document(record, f"{source}:{number}", f"row {number}: ", options)


def rows(
    parquet: Any, start: int = 0, stop: int | None = None, columns: Sequence[str] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows ``start``..``stop`` of an open ``pyarrow.parquet.ParquetFile`` with their numbers (0-based),
    decoded a batch at a time from the row groups that hold them."""
    end = sys.maxsize if stop is None else stop
    first = 0
    for group in range(parquet.metadata.num_row_groups):
        size = parquet.metadata.row_group(group).num_rows
        if first + size <= start:
            first += size
            continue
        if first >= end:
            return
        row = first
        for batch in parquet.iter_batches(batch_size=BATCH, row_groups=[group], columns=columns):
            if row + batch.num_rows <= start:
                row += batch.num_rows
                continue
            for record in batch.to_pylist():
                if start <= row < end:
                    yield row, record
                row += 1
            if row >= end:
                return
        first += size
