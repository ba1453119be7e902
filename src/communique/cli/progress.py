"""Progress bars for the long jobs (extract, ingest, export, eval): documents done of the total, rate and
time left, on stderr when it is a terminal; nothing at all otherwise (a pipe, a log file, a
test), so no output that scripts read ever holds a bar.

The total is counted before the job starts, cheaply and only for a terminal: one per text
or HTML file, one per non-empty line of a JSONL file, one per line after the header of a
CSV file (a row spread over several lines counts more than once: the bar may stop short
of its end). A JSON list, a compressed file or standard input has no total known in
advance: the bar then counts without one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass


def count_documents(inputs: Iterable[str]) -> int | None:
    """How many documents ``inputs`` hold, counted as the module docstring says; None when
    one of them cannot be counted without reading it whole."""
    from communique.io.formats import format_of
    from communique.io.inputs import list_files

    total = 0
    for given in inputs:
        if given == "-":
            return None
        for path in list_files(given):
            if not isinstance(path, str):
                continue  # a problem: no document
            fmt, compressed = format_of(path)
            if fmt is None:
                total += 1  # read as plain text
            elif compressed or fmt.name in ("json", "parquet"):
                return None
            elif fmt.one_document:
                total += 1
            else:
                lines = _lines(path)
                total += max(0, lines - 1) if fmt.name == "csv" else lines
    return total


def _lines(path: str) -> int:
    """The non-empty lines of a file."""
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.strip())


@contextmanager
def progress(inputs: Iterable[str], *, quiet: bool = False, unit: str = "doc") -> Iterator[Any]:
    """A bar with total and time left on a terminal (``bar.update(n)`` per document done);
    one that draws nothing when ``quiet`` or when stderr is no terminal."""
    if quiet or not sys.stderr.isatty():
        yield _NoBar()
        return
    from tqdm import tqdm

    try:
        total = count_documents(inputs)
    except OSError:  # unreadable here: the job reports it for its document; no total
        total = None
    with tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, smoothing=0.1) as bar:
        yield bar


@contextmanager
def counting(total: Callable[[], int | None], *, unit: str) -> Iterator[Any]:
    """A bar over ``total()`` rows (asked only on a terminal), for jobs over a store or a
    data set rather than input files; draws nothing when stderr is no terminal."""
    if not sys.stderr.isatty():
        yield _NoBar()
        return
    from tqdm import tqdm

    with tqdm(total=total(), unit=unit, file=sys.stderr, dynamic_ncols=True, smoothing=0.1) as bar:
        yield bar
