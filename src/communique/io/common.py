"""What every input format shares: ``ReadOptions``, dates, building a ``Document``, decoding and lines.

The reading policies these helpers implement are listed in ``communique.io.inputs``.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import IO, Any, Protocol

from communique.models import Document, Problem, content_id

__all__ = [
    "CHUNK",
    "DEFAULT_OPTIONS",
    "JSON_DECODER",
    "MAX_ID_CHARS",
    "SNIFF",
    "Item",
    "Line",
    "ReadOptions",
    "Readable",
    "Span",
    "ascii_compatible",
    "decode",
    "fields_document",
    "is_utf8",
    "iter_lines",
    "json_kind",
    "lone_surrogate",
    "looks_binary",
    "make_document",
    "normalise_date",
    "problem",
    "read_document_bytes",
    "record_document",
    "span_lines",
    "too_large",
    "undecodable",
]

Item = Document | Problem

CHUNK = 1 << 16  # read size for streaming
SNIFF = 8192  # bytes looked at to recognise binary content
_BINARY_SHARE = 0.10  # share of control characters above which content is taken as binary
# Control bytes that do not occur in text (tab, LF, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])


@dataclass(frozen=True)
class ReadOptions:
    """How to read the inputs: record field names, a fallback date and limits."""

    id_field: str = "id"
    text_field: str = "text"
    title_field: str = "title"
    date_field: str = "date"
    url_field: str = "url"
    # Used when the input gives none (``--date``): any form ``normalise_date`` reads, kept as a ``date``.
    date: date | str | None = None
    max_bytes: int = 20_000_000  # a single document larger than this is a Problem
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {self.max_bytes}")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"unknown encoding: {self.encoding!r}") from None
        if self.date is not None:
            day = normalise_date(self.date)
            if day is None:
                raise ValueError(f"not a date: {self.date!r} (expected YYYY-MM-DD)")
            object.__setattr__(self, "date", day)  # parsed once here, not per document


DEFAULT_OPTIONS = ReadOptions()


# --- dates ----------------------------------------------------------------------------------------------

_ISO_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?![\d])")
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_ABBREVIATION_DOT = re.compile(r"(?<=[A-Za-z])\.")
_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B, %Y",
    "%d %b, %Y",
    "%Y/%m/%d",
)


def normalise_date(value: object) -> date | None:
    """The day of an ISO date/datetime, '3 February 2026', 'Feb 3, 2026' or RFC 2822; else None.

    Dates are parsed here, where documents are read; every later stage takes the ``date``.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        # The date as printed, not converted to UTC: that is the day the outlet says it published.
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    match = _ISO_PREFIX.match(text)
    if match:  # e.g. "2026-02-03 08:15 UTC"
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    cleaned = _ABBREVIATION_DOT.sub("", _ORDINAL.sub("", _WEEKDAY.sub("", text)))
    cleaned = " ".join(cleaned.split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date()  # RSS pubDate
    except (TypeError, ValueError, IndexError):
        return None


# --- documents ------------------------------------------------------------------------------------------


def problem(source: str, reason: str) -> Problem:
    """A Problem of the read stage."""
    return Problem(source=source, reason=reason, stage="read")


def _as_text(value: object) -> str | None:
    """A metadata value as a non-empty string, or None."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, int | float | bool):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text or None


# Ids end up in file names, URLs and store keys: they are kept to one line of bounded length.
MAX_ID_CHARS = 1000
_ID_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _document_id(value: object, text: str) -> tuple[str, str | None]:
    """The id of a document and None, or "" and why the given id is not usable.

    Control characters (NUL, newlines, tabs ...) are replaced by a space, so an id is one printable line.
    """
    given = _as_text(value)
    if given is None:
        return content_id(text), None
    cleaned = " ".join(_ID_CONTROLS.sub(" ", given).split())
    if not cleaned:
        return content_id(text), None
    if len(cleaned) > MAX_ID_CHARS:
        return "", f"the id is longer than {MAX_ID_CHARS:,} characters ({len(cleaned):,})"
    return cleaned, None


def lone_surrogate(value: object) -> str | None:
    """Where a string in a JSON-like value holds a lone surrogate ("\\ud800" decodes to one): such a string
    is not Unicode text and cannot be written out as UTF-8. The first found, as 'the 'key' field' and
    the character offset; None if there is none. Walked without recursion, so nesting costs no stack."""
    pending: list[tuple[str, object]] = [("", value)]
    while pending:
        key, item = pending.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                place = f"the {key!r} field" if key else "a field name"
                return f"{place} holds a lone surrogate ({found[0]!a}) at character {found.start()}"
        elif isinstance(item, dict):
            for name, child in item.items():
                pending.append(("", name))
                pending.append((key or str(name), child))
        elif isinstance(item, list):
            pending.extend((key, child) for child in item)
    return None


def make_document(
    text: str,
    source: str,
    options: ReadOptions,
    *,
    doc_id: object = None,
    title: object = None,
    raw_date: object = None,
    url: object = None,
    meta: dict[str, Any] | None = None,
    where: str = "",
) -> Item:
    """A Document, or a Problem when the text is empty or over the limit; ``where`` prefixes the reason."""
    if not text.strip():
        return problem(source, f"{where}the text is empty")
    size = len(text.encode("utf-8"))
    if size > options.max_bytes:
        return problem(
            source, f"{where}the text is larger than the {options.max_bytes:,} byte limit ({size:,})"
        )
    document_id, error = _document_id(doc_id, text)
    if error is not None:
        return problem(source, where + error)
    meta = dict(meta or {})
    day = normalise_date(raw_date)
    if day is None:
        if _as_text(raw_date) is not None:
            meta[options.date_field] = raw_date  # kept verbatim so the unparsed date is not lost
        day = normalise_date(options.date)  # already a date: ReadOptions parsed it
    return Document(
        id=document_id,
        text=text,
        source=source,
        title=_as_text(title),
        date=day,
        url=_as_text(url),
        meta=meta,
    )


def json_kind(value: object) -> str:
    """What a JSON value is, in words ("an object", "a list", "null" ...)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def record_document(record: Mapping[str, Any], source: str, where: str, options: ReadOptions) -> Item:
    """A Document from a JSON object, CSV row or Parquet row; other fields go to ``meta`` verbatim."""
    field = options.text_field
    surrogate = lone_surrogate(record)
    if surrogate is not None:
        return problem(source, f"{where}{surrogate}, not valid Unicode; skipped")
    if field not in record:
        names = ", ".join(repr(name) for name in itertools.islice(record, 10)) or "none"
        return problem(source, f"{where}no {field!r} field with the article text (fields: {names})")
    text = record[field]
    if not isinstance(text, str):
        return problem(source, f"{where}the {field!r} field is {json_kind(text)}, not a string")
    if not text.strip():
        return problem(source, f"{where}the {field!r} field is empty")
    return fields_document(text, record, source, options, where=where, text_field=field)


def fields_document(
    text: str,
    fields: Mapping[str, Any],
    source: str,
    options: ReadOptions,
    *,
    where: str = "",
    text_field: str | None = None,
) -> Item:
    """``make_document`` with id, title, date and url taken from ``fields`` (a record, or a text's
    front matter) under the names ``options`` gives; the other fields, but ``text_field``, go to
    ``meta`` verbatim."""
    named = {options.id_field, options.title_field, options.date_field, options.url_field}
    if text_field is not None:
        named.add(text_field)
    return make_document(
        text,
        source,
        options,
        doc_id=fields.get(options.id_field),
        title=fields.get(options.title_field),
        raw_date=fields.get(options.date_field),
        url=fields.get(options.url_field),
        meta={key: value for key, value in fields.items() if key not in named},
        where=where,
    )


# --- bytes and text -------------------------------------------------------------------------------------


class Readable(Protocol):
    """A binary stream as the formats read it."""

    def read(self, size: int = ..., /) -> bytes: ...
    def readline(self, size: int = ..., /) -> bytes: ...


def is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def ascii_compatible(encoding: str) -> bool:
    """Whether the encoding writes the characters that structure JSON lines and CSV as ASCII does."""
    try:
        return '\n\r,"{}[]: '.encode(encoding) == b'\n\r,"{}[]: '
    except (UnicodeError, LookupError):
        return False


def looks_binary(data: bytes, encoding: str) -> bool:
    """Whether the first bytes look like binary content rather than text in ``encoding``."""
    if not ascii_compatible(encoding):
        return False  # UTF-16 text is full of NUL bytes
    sample = data[:SNIFF]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bool(sample) and controls / len(sample) > _BINARY_SHARE


def _bounded_int(digits: str) -> int | str:
    """A JSON integer, or its digits verbatim when Python refuses to convert that many (over
    ``sys.get_int_max_str_digits()``, 4,300 by default): a record's odd number must not stop its file."""
    limit = sys.get_int_max_str_digits()
    if limit and len(digits.lstrip("-")) > limit:
        return digits
    return int(digits)


# Every JSON reader decodes with this: integers beyond Python's limit are kept as strings.
JSON_DECODER = json.JSONDecoder(parse_int=_bounded_int)


def decode(data: bytes, encoding: str, *, offset: int = 0, strip_bom: bool = True) -> tuple[str, str | None]:
    """The decoded text and None, or "" and the reason it does not decode (with the byte offset)."""
    if strip_bom and is_utf8(encoding) and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        offset += len(codecs.BOM_UTF8)
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as err:
        return "", undecodable(encoding, data[err.start : err.start + 1], offset + err.start)


def undecodable(encoding: str, bad: bytes, offset: int) -> str:
    return f"not valid {encoding} text: cannot decode byte 0x{bad.hex()} at byte offset {offset}"


def too_large(options: ReadOptions) -> str:
    return f"larger than the {options.max_bytes:,} byte limit (max_bytes)"


def read_document_bytes(stream: Readable, source: str, options: ReadOptions) -> bytes | Problem:
    """The whole stream, for a format that is one document per file; a Problem if too large or binary."""
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        return problem(source, f"the document is {too_large(options)}")
    if looks_binary(data, options.encoding):
        return problem(source, "binary content, not text")
    return data


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based
    offset: int  # byte offset of the line in the (decompressed) stream
    data: bytes | None  # None: longer than the limit, and not kept
    size: int


def iter_lines(stream: Readable, limit: int) -> Iterator[Line]:
    """The lines of a binary stream, each at most ``limit`` bytes held in memory."""
    number = offset = 0
    while True:
        data = stream.readline(limit + 1)
        if not data:
            return
        number += 1
        size = len(data)
        if size > limit and not data.endswith(b"\n"):
            # Skip the rest of an over-long line in small pieces rather than holding it.
            while not data.endswith(b"\n"):
                data = stream.readline(CHUNK)
                if not data:
                    break
                size += len(data)
            yield Line(number, offset, None, size)
        else:
            yield Line(number, offset, data, size)
        offset += size


# --- spans: the pieces a file is split into for parallel reading ------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of one file that can be read on its own (see ``Splittable`` in ``communique.io.formats``)."""

    format: str  # the name of the format that reads it
    start: int  # byte offset of the first line, or the first row (0-based)
    stop: int | None  # byte offset (row) where the next span starts; None: the end of the file
    line: int = 1  # line formats: the number of the line at ``start`` (1-based, as in sources)
    header: tuple[str, ...] = ()  # CSV: the header row
    records: int = 0  # documents in the span (for planning; not needed to read it)


def span_lines(handle: IO[bytes], span: Span, limit: int) -> Iterator[Line]:
    """The lines of a byte-range span, numbered and placed as in the whole file."""
    handle.seek(span.start)
    for line in iter_lines(handle, limit):
        offset = span.start + line.offset
        if span.stop is not None and offset >= span.stop:
            return
        yield Line(line.number + span.line - 1, offset, line.data, line.size)
