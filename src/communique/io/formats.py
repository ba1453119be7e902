"""The input formats: what a format is (``Format``, ``Splittable``) and the registry by extension.

A new input format is one module with a class that has the attributes and methods of ``Format`` (and of
``Splittable`` if its files can be split for parallel reading), plus one ``register`` line below.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Protocol, runtime_checkable

from communique.io import csvfile, html, jsonfile, jsonl, parquet, text
from communique.io.common import Item, Readable, ReadOptions, Span
from communique.models import Problem

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "KNOWN_EXTENSIONS",
    "Format",
    "Formats",
    "Splittable",
    "format_named",
    "format_of",
    "register",
]


class Format(Protocol):
    """Reads one kind of file into Documents, and Problems for what it cannot read. An exception that
    escapes (a read error) ends the file with a Problem in ``read_file`` and ``read_span``."""

    name: str  # short and unique: "jsonl", "csv" ...
    extensions: tuple[str, ...]  # lower case, with the dot
    # A text format may be gzip-compressed, and its file is checked for emptiness and binary content
    # before ``read`` sees it; a binary one (Parquet) is read from the file as it is.
    text: bool
    # A line-based format (JSONL, CSV) checks each record for binary content itself: one bad record must
    # not cost the file its good ones, so the whole-file binary check is skipped for it.
    line_based: bool
    one_document: bool  # a file is one document (a planning estimate)

    def read(self, stream: Readable, source: str, options: ReadOptions) -> Iterator[Item]:
        """The items of the file open as ``stream``; ``source`` names it in their sources."""
        ...


@runtime_checkable
class Splittable(Format, Protocol):
    """A format whose files can be cut into spans that are read independently (a Dask partition each)."""

    def split(
        self, path: str, source: str, options: ReadOptions, room: int, size: int
    ) -> Iterator[Span | Problem]:
        """Spans of the file, in order: the first of at most ``room`` records, the others of at most
        ``size``; a Problem instead if the file cannot be read at all; nothing if it is to be read whole
        (``read`` then reports what is wrong with it). Memory is bounded by one record."""
        ...

    def read_span(self, path: str, source: str, span: Span, options: ReadOptions) -> Iterator[Item]:
        """The items of one span, exactly as ``read`` gives them for that stretch of the file."""
        ...


Formats = Mapping[str, Format]  # by extension

FORMATS: dict[str, Format] = {}  # every registered format
DEFAULT_FORMATS: dict[str, Format] = {}  # what is read unless a caller asks for more
_BY_NAME: dict[str, Format] = {}


def register(fmt: Format, *, default: bool = True) -> None:
    """Read files with ``fmt``'s extensions with it (by default, or only where a caller asks for it)."""
    _BY_NAME[fmt.name] = fmt
    for extension in fmt.extensions:
        FORMATS[extension] = fmt
        if default:
            DEFAULT_FORMATS[extension] = fmt


register(text.FORMAT)
register(html.FORMAT)
register(jsonl.FORMAT)
register(jsonfile.FORMAT)
register(csvfile.FORMAT)
# Parquet articles are read where asked for (`ingest` of a named file, the Dask engine); `extract` and
# folders given to `ingest` never read them, and still do not.
register(parquet.FORMAT, default=False)

KNOWN_EXTENSIONS = frozenset(DEFAULT_FORMATS)


def format_of(name: str, formats: Formats = DEFAULT_FORMATS) -> tuple[Format | None, bool]:
    """The format of a file name (None if unknown) and whether it is gzip-compressed."""
    name = name.lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    fmt = formats.get(os.path.splitext(name)[1])
    if fmt is not None and compressed and not fmt.text:
        return None, compressed  # only text is read through gzip
    return fmt, compressed


def format_named(name: str) -> Format | None:
    """The registered format called ``name``, if any."""
    return _BY_NAME.get(name)
