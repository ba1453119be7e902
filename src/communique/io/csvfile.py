"""``.csv``: a header row, then one document per row.

Sources are ``path:LINE``, the line on which the row starts (the header is line 1); rows may span lines.
A bad row (wrong number of fields, no text, undecodable, binary) is a Problem and skipped. Reading goes on
after a row that cannot be parsed too: one that is not valid CSV, larger than ``max_bytes`` (a huge field),
or that spans several lines with the wrong number of fields (a quote left open swallows the rows after it)
is a Problem for its first line, and parsing starts again on the line after that one, so the rows the
broken quote swallowed are read. Needs an ASCII-compatible encoding. Split for parallel reading at row
starts, found with the same parser.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from communique.io.common import (
    Item,
    Line,
    Readable,
    ReadOptions,
    Span,
    ascii_compatible,
    decode,
    iter_lines,
    looks_binary,
    problem,
    record_document,
    span_lines,
    too_large,
)

__all__ = ["FORMAT", "CsvFile"]


class CsvFile:
    """Comma-separated values with a header row."""

    name = "csv"
    extensions: tuple[str, ...] = (".csv",)
    text = True
    line_based = True
    one_document = False

    def read(self, stream: Readable, source: str, options: ReadOptions) -> Iterator[Item]:
        if not ascii_compatible(options.encoding):
            yield problem(source, f"CSV cannot be read in {options.encoding} (not ASCII-compatible)")
            return
        _raise_field_limit(options)
        yield from _read_rows(_CsvLines(iter_lines(stream, options.max_bytes), options), source, options)

    def split(self, path: str, source: str, options: ReadOptions, room: int, size: int) -> Iterator[Span]:
        """Cut at row starts, after ``room`` records then every ``size``. Nothing if the file has no header
        with the text column or no rows: read whole, the reader reports it."""
        _raise_field_limit(options)
        cuts: list[tuple[int, int | None, int, int]] = []  # start, stop, line, records
        header: list[str] | None = None
        start = line_number = records = rows = 0
        with open(path, "rb") as handle:
            lines = _CsvLines(iter_lines(handle, options.max_bytes), options)
            for row in _parse(lines, options):
                if row.errors:
                    if header is None:
                        break
                elif header is None:
                    header = row.fields
                    if options.text_field not in header:
                        break
                    lines.width = len(header)
                    start, line_number = lines.next_offset, lines.consumed + 1
                    continue
                else:
                    rows += 1
                if records >= room:
                    cuts.append((start, row.offset, line_number, records))
                    start, line_number, records, room = row.offset, row.line, 0, size
                records += 1
        if header is None or options.text_field not in header or rows == 0:
            return
        cuts.append((start, None, line_number, records))
        for first, stop, line, count in cuts:
            yield Span(self.name, first, stop, line, tuple(header), count)

    def read_span(self, path: str, source: str, span: Span, options: ReadOptions) -> Iterator[Item]:
        _raise_field_limit(options)
        with open(path, "rb") as handle:
            lines = _CsvLines(span_lines(handle, span, options.max_bytes), options)
            lines.consumed = span.line - 1
            lines.width = len(span.header)
            yield from _read_rows(lines, source, options, list(span.header))


FORMAT = CsvFile()


def _raise_field_limit(options: ReadOptions) -> None:
    # The csv module refuses fields over 128 KiB by default; articles can be longer. The setting is
    # process-wide, so it is only ever raised. Our own row limit (max_bytes) bounds memory.
    if csv.field_size_limit() < options.max_bytes:
        csv.field_size_limit(options.max_bytes)


class _RowTooLarge(Exception):
    pass


class _CsvLines:
    """Decoded lines for ``csv.reader``, counting lines and bytes; decoding errors taint the current row."""

    def __init__(self, lines: Iterator[Line], options: ReadOptions) -> None:
        self._lines = lines
        self._options = options
        self.consumed = 0  # number of the last line handed out
        self.next_offset = 0  # byte offset where the next line starts
        self.row_bytes = 0  # bytes of the row being parsed, which may span lines
        self.errors: list[str] = []  # decoding errors in the row being parsed
        self.row: list[Line] = []  # the lines of the row being parsed
        self.width: int | None = None  # fields in the header, once known
        self._again: deque[Line] = deque()  # lines to parse again after a broken row

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = self._again.popleft() if self._again else next(self._lines)
        self.row.append(line)
        self.next_offset = line.offset + line.size
        self.consumed = line.number
        self.row_bytes += line.size
        if line.data is None or self.row_bytes > self._options.max_bytes:
            raise _RowTooLarge
        text, error = decode(
            line.data, self._options.encoding, offset=line.offset, strip_bom=line.number == 1
        )
        if error is not None:
            self.errors.append(f"line {line.number}: {error}")
            # Replacement characters keep the CSV structure intact; the row itself is dropped.
            text = line.data.decode(self._options.encoding, "replace")
        if looks_binary(line.data, self._options.encoding):
            # Checked per line, not per file (see ``Format.line_based``): only this row is lost.
            self.errors.append(f"line {line.number}: binary content, not text")
            text = text.replace("\x00", "")
        return text

    def start_row(self) -> None:
        self.row_bytes = 0
        self.errors = []
        self.row = []

    def skip_first_line(self) -> None:
        """Give up the row being parsed but for its first line: the lines after it are parsed again."""
        if not self.row:
            return
        first, rest = self.row[0], self.row[1:]
        self._again.extendleft(reversed(rest))
        self.consumed = first.number
        self.next_offset = first.offset + first.size
        self.row = [first]


@dataclass(frozen=True, slots=True)
class _Row:
    line: int  # the line on which the row starts
    offset: int  # the byte offset at which it starts
    fields: list[str]
    errors: list[str]  # decoding errors: the row is to be skipped


def _parse(lines: _CsvLines, options: ReadOptions) -> Iterator[_Row]:
    """The rows of the lines, blank lines left out; a row that cannot be parsed is a row with an error,
    and parsing goes on at the line after its first (``_CsvLines.skip_first_line``)."""
    reader = csv.reader(lines)
    while True:
        line, offset = lines.consumed + 1, lines.next_offset
        lines.start_row()
        broken = None
        try:
            fields = next(reader)
        except StopIteration:
            return
        except _RowTooLarge:
            broken = f"the row is {too_large(options)}"
        except csv.Error as err:
            broken = f"not valid CSV ({err})"
        else:
            if lines.width is not None and fields and len(fields) != lines.width and len(lines.row) > 1:
                broken = (
                    f"expected {lines.width} fields as in the header, found {len(fields)} in a row of "
                    f"{len(lines.row)} lines (a quote left open?)"
                )
        if broken is not None:
            yield _Row(line, offset, [], [f"line {line}: {broken}"])
            lines.skip_first_line()
            reader = csv.reader(lines)  # a fresh parser: the old one is inside the broken row
            continue
        if lines.errors or fields:
            yield _Row(line, offset, fields, lines.errors)


def _read_rows(
    lines: _CsvLines, source: str, options: ReadOptions, header: list[str] | None = None
) -> Iterator[Item]:
    """A Document or Problem per row. ``header``: a span's, found by the plan; None: a whole file, whose
    first row is the header and which must have rows after it."""
    whole = header is None
    rows = 0
    for row in _parse(lines, options):
        here = f"{source}:{row.line}"
        if row.errors:
            for error in row.errors:
                yield problem(here, f"{error}; row skipped")
            if header is None:
                return  # without a header no row can be read
            continue
        if header is None:
            header = row.fields
            if options.text_field not in header:
                names = ", ".join(repr(name) for name in header[:10])
                yield problem(
                    source,
                    f"no {options.text_field!r} column with the article text in the header ({names})",
                )
                return
            lines.width = len(header)
            continue
        rows += 1
        where = f"line {row.line}: "
        if len(row.fields) != len(header):
            yield problem(
                here, f"{where}expected {len(header)} fields as in the header, found {len(row.fields)}"
            )
            continue
        yield record_document(dict(zip(header, row.fields, strict=True)), here, where, options)
    if whole and header is None:
        yield problem(source, "no header row: the file has only blank lines")
    elif whole and rows == 0:
        yield problem(source, "no data rows after the header")
