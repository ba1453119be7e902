"""``.jsonl``/``.ndjson``: one JSON object per line, read line by line.

Sources are ``path:LINE`` (1-based). A bad line (not JSON, not an object, no text, over the limit,
undecodable, binary, a lone surrogate) is a Problem and skipped, and reading goes on with the next line;
blank lines are skipped. Needs an ASCII-compatible encoding. Split for parallel reading at line starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from communique.io.common import (
    JSON_DECODER,
    Item,
    Line,
    Readable,
    ReadOptions,
    Span,
    ascii_compatible,
    decode,
    iter_lines,
    json_kind,
    looks_binary,
    problem,
    record_document,
    span_lines,
    too_large,
)

__all__ = ["FORMAT", "JsonLines", "read_lines"]


class JsonLines:
    """JSON lines, one document per line."""

    name = "jsonl"
    extensions: tuple[str, ...] = (".jsonl", ".ndjson")
    text = True
    line_based = True
    one_document = False

    def read(self, stream: Readable, source: str, options: ReadOptions) -> Iterator[Item]:
        yield from read_lines(iter_lines(stream, options.max_bytes), source, options)

    def split(self, path: str, source: str, options: ReadOptions, room: int, size: int) -> Iterator[Span]:
        """Cut at line starts, after ``room`` records then every ``size`` (blank lines do not count); the
        spans are handed out as they are found. Nothing if the file has only blank lines."""
        start, line_number, records = 0, 1, 0
        with open(path, "rb") as handle:
            for line in iter_lines(handle, options.max_bytes):
                if line.data is not None and not line.data.strip():
                    continue
                if records >= room:
                    yield Span(self.name, start, line.offset, line_number, records=records)
                    start, line_number, records, room = line.offset, line.number, 0, size
                records += 1
        if records:
            yield Span(self.name, start, None, line_number, records=records)

    def read_span(self, path: str, source: str, span: Span, options: ReadOptions) -> Iterator[Item]:
        with open(path, "rb") as handle:
            # Each span holds at least one record, so the file-level "no records" never applies.
            yield from read_lines(span_lines(handle, span, options.max_bytes), source, options)


FORMAT = JsonLines()


def read_lines(lines: Iterable[Line], source: str, options: ReadOptions) -> Iterator[Item]:
    """A Document or Problem per non-blank line; a Problem if there is none."""
    if not ascii_compatible(options.encoding):
        yield problem(source, f"JSON lines cannot be read in {options.encoding} (not ASCII-compatible)")
        return
    records = 0
    for line in lines:
        where = f"line {line.number}: "
        here = f"{source}:{line.number}"
        if line.data is None:
            records += 1
            yield problem(here, f"{where}{too_large(options)} ({line.size:,} bytes); skipped")
            continue
        if not line.data.strip():
            continue  # blank lines separate nothing in JSONL; skipping them is harmless
        records += 1
        try:
            yield _line_item(line, line.data, here, where, options)
        except Exception as err:  # one record's surprise must not cost the records after it
            yield problem(here, f"{where}unexpected error ({type(err).__name__}: {err}); skipped")
    if records == 0:
        yield problem(source, "no records: the input has only blank lines")


def _line_item(line: Line, data: bytes, here: str, where: str, options: ReadOptions) -> Item:
    """The Document of one non-blank line, or the Problem that is this line alone."""
    if looks_binary(data, options.encoding):
        # A raw NUL or control bytes: the file's other lines may well be good (see ``Format.line_based``).
        return problem(here, f"{where}binary content, not text; skipped")
    text, error = decode(data, options.encoding, offset=line.offset, strip_bom=line.number == 1)
    if error is not None:
        return problem(here, where + error)
    try:
        value = JSON_DECODER.decode(text)
    except json.JSONDecodeError as err:
        return problem(here, f"{where}not valid JSON ({err.msg} at column {err.colno})")
    except RecursionError:
        return problem(here, f"{where}not valid JSON (nested too deeply)")
    if not isinstance(value, dict):
        return problem(here, f"{where}expected a JSON object, found {json_kind(value)}")
    return record_document(value, here, where, options)
