"""Input readers: turn files, directories and standard input into ``Document`` records.

``read_inputs`` yields a ``Document`` per article, or a ``Problem`` (stage ``read``) for anything it cannot
read; bad input never raises and never stops the batch.

Formats, chosen by extension (case-insensitive):

* ``.txt`` – one document; an optional front matter block at the very start (a ``---`` line, ``key: value``
  lines, a ``---`` line) gives id/title/date/url (other keys go to ``meta``) and is removed from the text.
* ``.html``/``.htm`` – main text, title, date and URL extracted offline by trafilatura.
* ``.jsonl``/``.ndjson`` – one JSON object per line; ``.json`` – a list of objects, or one object.
* ``.csv`` – a header row, then one document per row.
* ``.gz`` of any of these, decompressed on the fly (``a.jsonl.gz`` is read as JSONL).
* A directory is read recursively in sorted order; only files with a known extension are read, hidden
  files and directories are skipped and symlinked directories are not followed.
* ``-`` is standard input: JSONL if its first non-space character is ``{``, else one plain-text document.
* Any other extension is read as plain text if it is text in the configured encoding, else a ``Problem``.

Policies:

* Memory is bounded by the size of one record, not of the file: JSONL and CSV are read line by line, a JSON
  list item by item, and no single document may exceed ``ReadOptions.max_bytes`` (it becomes a Problem).
* Encoding is strict: bytes are decoded with ``ReadOptions.encoding`` (a UTF-8 byte order mark is dropped)
  and text that does not decode is a Problem naming the byte offset – nothing is guessed or silently
  replaced. In JSONL and CSV only the offending line or row is skipped. HTML pages are the exception: they
  declare their own charset, which trafilatura honours. JSONL and CSV need an ASCII-compatible encoding.
* Sources: the path as given; ``path:LINE`` for JSONL (1-based line number), ``path:LINE`` for CSV (the
  line on which the row starts; the header is line 1), ``path:INDEX`` for JSON list items (0-based);
  ``-`` for standard input.
* Ids: the record's id field when present and non-empty, else ``sha1:`` + 16 hex digits of the SHA-1 of the
  UTF-8 text.
* Dates are normalised to ``YYYY-MM-DD``; a value that cannot be parsed is kept verbatim in ``meta`` and
  ``ReadOptions.date`` is used instead. Nothing here reads the clock, so a document never gets today's date
  by default; htmldate (under trafilatura) uses today only as the latest acceptable date, and its
  free-text search, which guesses (e.g. 1 January of a copyright year), is off.
* A damaged stream stops its file with a Problem after what was already read: a truncated or corrupt
  ``.gz``, a JSON syntax error or an over-long item in a ``.json`` list (no safe place to resume), a CSV
  parse error or an over-long CSV row. A bad JSONL line, CSV row or JSON list item is skipped.
* Text is kept verbatim (evidence offsets point into it); only front matter and a byte order mark are
  removed.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import itertools
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

from communique.models import Document, Problem

__all__ = ["DEFAULT_OPTIONS", "KNOWN_EXTENSIONS", "ReadOptions", "normalise_date", "read_inputs"]

Item = Document | Problem

_FORMATS = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
}
KNOWN_EXTENSIONS = frozenset(_FORMATS)

_CHUNK = 1 << 16  # read size for streaming
_SNIFF = 8192  # bytes looked at to recognise binary content
_BINARY_SHARE = 0.10  # share of control characters above which content is taken as binary
# Control bytes that do not occur in text (tab, LF, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])
_DATE_PARAMS = {
    # htmldate's free-text search falls back to guesses such as 1 January of a copyright year; news pages
    # carry their date in markup, so only markup, JSON-LD, <time> elements and the URL are used.
    "extensive_search": False,
    # the publication date, not the "last updated" one
    "original_date": True,
}


@dataclass(frozen=True)
class ReadOptions:
    """How to read the inputs: record field names, a fallback date and limits."""

    id_field: str = "id"
    text_field: str = "text"
    title_field: str = "title"
    date_field: str = "date"
    url_field: str = "url"
    date: str | None = None  # used when the input gives none (``--date``)
    max_bytes: int = 20_000_000  # a single document larger than this is a Problem
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {self.max_bytes}")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"unknown encoding: {self.encoding!r}") from None
        if self.date is not None and normalise_date(self.date) is None:
            raise ValueError(f"not a date: {self.date!r} (expected YYYY-MM-DD)")


DEFAULT_OPTIONS = ReadOptions()


def read_inputs(inputs: Iterable[str], options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    """Yield a Document per article in ``inputs`` (paths, directories or ``-``), or a Problem."""
    for given in inputs:
        if given == "-":
            yield from _read_stdin(options)
        else:
            yield from _read_path(given, options)


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


def normalise_date(value: object) -> str | None:
    """``YYYY-MM-DD`` for an ISO date/datetime, '3 February 2026', 'Feb 3, 2026' or RFC 2822; else None."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        # The date as printed, not converted to UTC: that is the day the outlet says it published.
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    match = _ISO_PREFIX.match(text)
    if match:  # e.g. "2026-02-03 08:15 UTC"
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    cleaned = _ABBREVIATION_DOT.sub("", _ORDINAL.sub("", _WEEKDAY.sub("", text)))
    cleaned = " ".join(cleaned.split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date().isoformat()  # RSS pubDate
    except (TypeError, ValueError, IndexError):
        return None


# --- documents ------------------------------------------------------------------------------------------


def _problem(source: str, reason: str) -> Problem:
    return Problem(source=source, reason=reason, stage="read")


def _content_id(text: str) -> str:
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


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


def _make_document(
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
    if not text.strip():
        return _problem(source, f"{where}the text is empty")
    size = len(text.encode("utf-8"))
    if size > options.max_bytes:
        return _problem(
            source, f"{where}the text is larger than the {options.max_bytes:,} byte limit ({size:,})"
        )
    meta = dict(meta or {})
    day = normalise_date(raw_date)
    if day is None:
        if _as_text(raw_date) is not None:
            meta[options.date_field] = raw_date  # kept verbatim so the unparsed date is not lost
        day = normalise_date(options.date)
    return Document(
        id=_as_text(doc_id) or _content_id(text),
        text=text,
        source=source,
        title=_as_text(title),
        date=day,
        url=_as_text(url),
        meta=meta,
    )


def _json_kind(value: object) -> str:
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


def _record_document(record: Mapping[str, Any], source: str, where: str, options: ReadOptions) -> Item:
    """A Document from a JSON object or CSV row; other fields go to ``meta`` verbatim."""
    field = options.text_field
    if field not in record:
        names = ", ".join(repr(name) for name in itertools.islice(record, 10)) or "none"
        return _problem(source, f"{where}no {field!r} field with the article text (fields: {names})")
    text = record[field]
    if not isinstance(text, str):
        return _problem(source, f"{where}the {field!r} field is {_json_kind(text)}, not a string")
    if not text.strip():
        return _problem(source, f"{where}the {field!r} field is empty")
    named = {field, options.id_field, options.title_field, options.date_field, options.url_field}
    return _make_document(
        text,
        source,
        options,
        doc_id=record.get(options.id_field),
        title=record.get(options.title_field),
        raw_date=record.get(options.date_field),
        url=record.get(options.url_field),
        meta={key: value for key, value in record.items() if key not in named},
        where=where,
    )


# --- bytes and text -------------------------------------------------------------------------------------


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...
    def readline(self, size: int = ..., /) -> bytes: ...


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def _ascii_compatible(encoding: str) -> bool:
    try:
        return '\n\r,"{}[]: '.encode(encoding) == b'\n\r,"{}[]: '
    except (UnicodeError, LookupError):
        return False


def _looks_binary(data: bytes, encoding: str) -> bool:
    if not _ascii_compatible(encoding):
        return False  # UTF-16 text is full of NUL bytes
    sample = data[:_SNIFF]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bool(sample) and controls / len(sample) > _BINARY_SHARE


def _decode(data: bytes, encoding: str, *, offset: int = 0, strip_bom: bool = True) -> tuple[str, str | None]:
    """The decoded text and None, or "" and the reason it does not decode (with the byte offset)."""
    if strip_bom and _is_utf8(encoding) and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        offset += len(codecs.BOM_UTF8)
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as err:
        return "", _undecodable(encoding, data[err.start : err.start + 1], offset + err.start)


def _undecodable(encoding: str, bad: bytes, offset: int) -> str:
    return f"not valid {encoding} text: cannot decode byte 0x{bad.hex()} at byte offset {offset}"


def _too_large(options: ReadOptions) -> str:
    return f"larger than the {options.max_bytes:,} byte limit (max_bytes)"


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based
    offset: int  # byte offset of the line in the (decompressed) stream
    data: bytes | None  # None: longer than the limit, and not kept
    size: int


def _iter_lines(stream: _Readable, limit: int) -> Iterator[_Line]:
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
                data = stream.readline(_CHUNK)
                if not data:
                    break
                size += len(data)
            yield _Line(number, offset, None, size)
        else:
            yield _Line(number, offset, data, size)
        offset += size


# --- paths, directories, files --------------------------------------------------------------------------


def _format_of(name: str) -> tuple[str | None, bool]:
    """The format of a file name (None if unknown) and whether it is gzip-compressed."""
    name = name.lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    return _FORMATS.get(os.path.splitext(name)[1]), compressed


def _is_known(name: str) -> bool:
    return _format_of(name)[0] is not None


def _read_path(given: str, options: ReadOptions) -> Iterator[Item]:
    try:
        is_dir = stat.S_ISDIR(os.stat(given).st_mode)
    except FileNotFoundError:
        yield _problem(given, "file not found")
        return
    except PermissionError:
        yield _problem(given, "permission denied")
        return
    except (OSError, ValueError) as err:  # ValueError: a path with a NUL character
        yield _problem(given, f"cannot access the path ({err})")
        return
    if is_dir:
        yield from _read_directory(given, options)
    else:
        yield from _read_file(given, given, options)


def _read_directory(given: str, options: ReadOptions) -> Iterator[Item]:
    walk_errors: list[OSError] = []
    found: list[tuple[tuple[str, ...], str]] = []
    # followlinks=False (the default) so a symlink loop cannot make the walk endless.
    for folder, dirnames, filenames in os.walk(given, onerror=walk_errors.append):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        relative = os.path.relpath(folder, given)
        parts = () if relative == os.curdir else tuple(relative.split(os.sep))
        for name in filenames:
            if not name.startswith(".") and _is_known(name):
                found.append(((*parts, name), os.path.join(folder, name)))
    for error in walk_errors:
        where = error.filename or given
        reason = (
            "permission denied" if isinstance(error, PermissionError) else f"cannot list ({error.strerror})"
        )
        yield _problem(str(where), reason)
    if not found:
        if not walk_errors:
            known = ", ".join(sorted(KNOWN_EXTENSIONS))
            yield _problem(
                given, f"the directory has no readable files (looked for {known}, and .gz of them)"
            )
        return
    for _, path in sorted(found):
        yield from _read_file(path, path, options)


def _read_file(path: str, source: str, options: ReadOptions) -> Iterator[Item]:
    kind, compressed = _format_of(os.path.basename(path))
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the with block below, also when abandoned
    except FileNotFoundError:
        yield _problem(source, "file not found")
        return
    except PermissionError:
        yield _problem(source, "permission denied")
        return
    except OSError as err:
        yield _problem(source, f"cannot open the file ({err.strerror or err})")
        return
    with raw:
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        try:
            yield from _read_stream(stream, source, kind, options)
        except (EOFError, zlib.error, gzip.BadGzipFile) as err:
            # Whatever was read before the damage has been yielded already.
            yield _problem(source, f"the compressed data is truncated or corrupt ({err}); stopped reading")
        except OSError as err:
            yield _problem(source, f"read error ({err}); stopped reading")
        except Exception as err:  # the contract is that bad input never raises
            yield _problem(source, f"unexpected error ({type(err).__name__}: {err}); stopped reading")
        finally:
            if stream is not raw:
                stream.close()


def _read_stream(stream: Any, source: str, kind: str | None, options: ReadOptions) -> Iterator[Item]:
    head = stream.peek(_SNIFF)[:_SNIFF]
    if not head:
        yield _problem(source, "the file is empty")
        return
    if _looks_binary(head, options.encoding):
        yield _problem(source, "binary content, not text")
        return
    if kind == "jsonl":
        yield from _read_jsonl(_iter_lines(stream, options.max_bytes), source, options)
    elif kind == "csv":
        yield from _read_csv(stream, source, options)
    elif kind == "json":
        yield from _read_json(stream, source, options)
    else:
        data = stream.read(options.max_bytes + 1)
        if len(data) > options.max_bytes:
            yield _problem(source, f"the document is {_too_large(options)}")
        elif _looks_binary(data, options.encoding):
            yield _problem(source, "binary content, not text")
        elif kind == "html":
            yield _html_document(data, source, options)
        else:
            yield _text_document(data, source, options, unknown=kind is None)


# --- standard input -------------------------------------------------------------------------------------


class _EncodedText:
    """A bytes view of a text stream that has no ``buffer`` (e.g. a StringIO standing in for stdin)."""

    def __init__(self, text: Any) -> None:
        self._text = text

    def readline(self, size: int = -1, /) -> bytes:
        return str(self._text.readline(size)).encode("utf-8")

    def read(self, size: int = -1, /) -> bytes:
        return str(self._text.read(size)).encode("utf-8")


def _first_byte(data: bytes) -> bytes:
    """The first byte that is not a byte order mark or white space (b"" if none)."""
    return data.removeprefix(codecs.BOM_UTF8).lstrip()[:1]


def _read_stdin(options: ReadOptions) -> Iterator[Item]:
    source = "-"
    if sys.stdin is None:
        yield _problem(source, "there is no standard input")
        return
    stream: _Readable | None = getattr(sys.stdin, "buffer", None)
    if stream is None:
        stream = _EncodedText(sys.stdin)
        options = replace(options, encoding="utf-8")  # the adapter above encodes as UTF-8
    try:
        lines = _iter_lines(stream, options.max_bytes)
        peeked: list[_Line] = []
        for line in lines:
            peeked.append(line)
            if line.data is None or _first_byte(line.data):
                break
        first = peeked[-1] if peeked else None
        if first is None or (first.data is not None and not _first_byte(first.data)):
            yield _problem(source, "standard input is empty")
        elif first.data is not None and _first_byte(first.data) == b"{":
            yield from _read_jsonl(itertools.chain(peeked, lines), source, options)
        elif first.data is None:
            yield _problem(source, f"the document is {_too_large(options)}")
        else:
            head = b"".join(line.data or b"" for line in peeked)
            data = head + stream.read(options.max_bytes + 1 - len(head))
            if len(data) > options.max_bytes:
                yield _problem(source, f"the document is {_too_large(options)}")
            elif _looks_binary(data, options.encoding):
                yield _problem(source, "binary content, not text")
            else:
                yield _text_document(data, source, options)
    except (OSError, ValueError) as err:  # ValueError: stdin already closed
        yield _problem(source, f"read error ({err}); stopped reading")


# --- plain text -----------------------------------------------------------------------------------------

_FRONT_MATTER_LINE = re.compile(r"([A-Za-z_][\w.-]*)\s*:\s*(.*)")
_FRONT_MATTER_MAX_LINES = 200  # a longer block is not front matter


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Front matter fields and the text without them; no front matter if the block is not well formed."""
    if not text.startswith("---"):
        return {}, text
    fields: dict[str, str] = {}
    pos = 0
    for number in range(_FRONT_MATTER_MAX_LINES):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end + 1
        line, pos = text[pos:end].strip(), end
        if number == 0:
            if line != "---":
                return {}, text
            continue
        if line == "---":
            return fields, text[pos:]
        if pos >= len(text):
            break  # never closed: an ordinary text that happens to start with "---"
        if not line or line.startswith("#"):
            continue
        match = _FRONT_MATTER_LINE.fullmatch(line)
        if match is None:
            break
        value = match[2].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        fields[match[1]] = value
    return {}, text


def _text_document(data: bytes, source: str, options: ReadOptions, *, unknown: bool = False) -> Item:
    text, error = _decode(data, options.encoding)
    if error is not None:
        prefix = "unknown file type and " if unknown else ""
        return _problem(source, prefix + error)
    fields, text = _split_front_matter(text)
    named = {options.id_field, options.title_field, options.date_field, options.url_field}
    return _make_document(
        text,
        source,
        options,
        doc_id=fields.get(options.id_field),
        title=fields.get(options.title_field),
        raw_date=fields.get(options.date_field),
        url=fields.get(options.url_field),
        meta={key: value for key, value in fields.items() if key not in named},
    )


# --- HTML -----------------------------------------------------------------------------------------------


_HTML_ROOT = re.compile(rb"<(?:html|body)[\s>]", re.IGNORECASE)


def _extract_html(data: bytes) -> Any:
    """trafilatura's extraction (None if it found nothing), or the exception it raised."""
    # Imported here: trafilatura is slow to import and only HTML needs it.
    import trafilatura

    try:
        # Bytes, so the page's own charset declaration is honoured. Given content (never a URL),
        # trafilatura and htmldate make no network requests.
        return trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as err:  # a parser failure on one page must not stop the batch
        return err


def _html_document(data: bytes, source: str, options: ReadOptions) -> Item:
    extracted = _extract_html(data)
    if extracted is None and not _HTML_ROOT.search(data[:_SNIFF]):
        # trafilatura rejects a bare fragment ("<p>...</p>") as not-quite-HTML; give it a document to parse.
        extracted = _extract_html(b"<html><body>" + data + b"</body></html>")
    if isinstance(extracted, Exception):
        return _problem(source, f"the HTML could not be parsed ({type(extracted).__name__}: {extracted})")
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        return _problem(source, "no main text could be extracted from the HTML")
    meta = {
        key: value
        for key in ("author", "sitename", "description")
        if (value := getattr(extracted, key, None))
    }
    return _make_document(
        text,
        source,
        options,
        title=getattr(extracted, "title", None),
        raw_date=getattr(extracted, "date", None),
        url=getattr(extracted, "url", None),
        meta=meta,
    )


# --- JSON lines -----------------------------------------------------------------------------------------


def _read_jsonl(lines: Iterable[_Line], source: str, options: ReadOptions) -> Iterator[Item]:
    if not _ascii_compatible(options.encoding):
        yield _problem(source, f"JSON lines cannot be read in {options.encoding} (not ASCII-compatible)")
        return
    records = 0
    for line in lines:
        where = f"line {line.number}: "
        here = f"{source}:{line.number}"
        if line.data is None:
            records += 1
            yield _problem(here, f"{where}{_too_large(options)} ({line.size:,} bytes); skipped")
            continue
        if not line.data.strip():
            continue  # blank lines separate nothing in JSONL; skipping them is harmless
        records += 1
        text, error = _decode(line.data, options.encoding, offset=line.offset, strip_bom=line.number == 1)
        if error is not None:
            yield _problem(here, where + error)
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            yield _problem(here, f"{where}not valid JSON ({err.msg} at column {err.colno})")
            continue
        except RecursionError:
            yield _problem(here, f"{where}not valid JSON (nested too deeply)")
            continue
        if not isinstance(value, dict):
            yield _problem(here, f"{where}expected a JSON object, found {_json_kind(value)}")
            continue
        yield _record_document(value, here, where, options)
    if records == 0:
        yield _problem(source, "no records: the input has only blank lines")


# --- CSV ------------------------------------------------------------------------------------------------


class _RowTooLarge(Exception):
    pass


class _CsvLines:
    """Decoded lines for ``csv.reader``, counting lines and bytes; decoding errors taint the current row."""

    def __init__(self, lines: Iterator[_Line], options: ReadOptions) -> None:
        self._lines = lines
        self._options = options
        self.consumed = 0  # number of the last line handed out
        self.row_bytes = 0  # bytes of the row being parsed, which may span lines
        self.errors: list[str] = []  # decoding errors in the row being parsed

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.consumed = line.number
        self.row_bytes += line.size
        if line.data is None or self.row_bytes > self._options.max_bytes:
            raise _RowTooLarge
        text, error = _decode(
            line.data, self._options.encoding, offset=line.offset, strip_bom=line.number == 1
        )
        if error is not None:
            self.errors.append(f"line {line.number}: {error}")
            # Replacement characters keep the CSV structure intact; the row itself is dropped.
            text = line.data.decode(self._options.encoding, "replace")
        return text

    def start_row(self) -> None:
        self.row_bytes = 0
        self.errors = []


def _read_csv(stream: _Readable, source: str, options: ReadOptions) -> Iterator[Item]:
    if not _ascii_compatible(options.encoding):
        yield _problem(source, f"CSV cannot be read in {options.encoding} (not ASCII-compatible)")
        return
    # The csv module refuses fields over 128 KiB by default; articles can be longer. The setting is
    # process-wide, so it is only ever raised. Our own row limit (max_bytes) bounds memory.
    if csv.field_size_limit() < options.max_bytes:
        csv.field_size_limit(options.max_bytes)
    lines = _CsvLines(_iter_lines(stream, options.max_bytes), options)
    reader = csv.reader(lines)
    header: list[str] | None = None
    rows = 0
    while True:
        start = lines.consumed + 1
        lines.start_row()
        here = f"{source}:{start}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except _RowTooLarge:
            yield _problem(here, f"line {start}: the row is {_too_large(options)}; stopped reading")
            return
        except csv.Error as err:
            yield _problem(here, f"line {start}: not valid CSV ({err}); stopped reading")
            return
        if lines.errors:
            for error in lines.errors:
                yield _problem(here, f"{error}; row skipped")
            if header is None:
                return  # without a header no row can be read
            continue
        if not row:
            continue  # a blank line
        if header is None:
            header = row
            if options.text_field not in header:
                names = ", ".join(repr(name) for name in header[:10])
                yield _problem(
                    source, f"no {options.text_field!r} column with the article text in the header ({names})"
                )
                return
            continue
        rows += 1
        where = f"line {start}: "
        if len(row) != len(header):
            yield _problem(here, f"{where}expected {len(header)} fields as in the header, found {len(row)}")
            continue
        yield _record_document(dict(zip(header, row, strict=True)), here, where, options)
    if header is None:
        yield _problem(source, "no header row: the file has only blank lines")
    elif rows == 0:
        yield _problem(source, "no data rows after the header")


# --- JSON -----------------------------------------------------------------------------------------------

_JSON_SPACE = re.compile(r"[^ \t\r\n]")
_DECODER = json.JSONDecoder()


class _BadBytes(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _JsonTooLarge(Exception):
    pass


class _JsonBuffer:
    """The decoded text of a stream, read on demand; consumed text is dropped so memory stays bounded."""

    def __init__(self, stream: _Readable, encoding: str) -> None:
        self._stream = stream
        self._encoding = encoding
        self._decoder = codecs.getincrementaldecoder(encoding)("strict")
        self._bytes_read = 0
        self._lines_dropped = 0
        self.text = ""
        self.pos = 0
        self.eof = False

    def fill(self, size: int) -> None:
        if self.pos:
            self._lines_dropped += self.text.count("\n", 0, self.pos)
            self.text = self.text[self.pos :]
            self.pos = 0
        chunk = self._stream.read(size)
        start = self._bytes_read
        self._bytes_read += len(chunk)
        if start == 0 and _is_utf8(self._encoding) and chunk.startswith(codecs.BOM_UTF8):
            chunk = chunk[len(codecs.BOM_UTF8) :]
            start = len(codecs.BOM_UTF8)
        pending = len(self._decoder.getstate()[0])  # bytes of a character split across reads
        try:
            self.text += self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            bad = err.object[err.start : err.start + 1]
            raise _BadBytes(_undecodable(self._encoding, bad, start - pending + err.start)) from None
        self.eof = not chunk

    def next_char(self) -> str:
        """Skip JSON whitespace; the next character, or "" at the end of the data."""
        while True:
            match = _JSON_SPACE.search(self.text, self.pos)
            if match:
                self.pos = match.start()
                return self.text[self.pos]
            self.pos = len(self.text)
            if self.eof:
                return ""
            self.fill(_CHUNK)

    def line(self, pos: int | None = None) -> int:
        """The 1-based line number of ``pos`` (default: the current position) in the whole file."""
        return self._lines_dropped + self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def value(self, limit: int) -> Any:
        """Decode the JSON value at the current position, reading more as needed."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                if self.eof:
                    raise
                held = len(self.text) - self.pos
                if held > limit:
                    raise _JsonTooLarge from None
                # Grow geometrically so a large item costs O(size) re-parsing in total, but hold no more
                # than just over the limit.
                self.fill(max(_CHUNK, min(held, limit + 1 - held)))
                continue
            if end == len(self.text) and not self.eof:
                self.fill(_CHUNK)  # a number at the end of the buffer may go on in the next read
                continue
            self.pos = end
            return value


def _read_json(stream: _Readable, source: str, options: ReadOptions) -> Iterator[Item]:
    buffer = _JsonBuffer(stream, options.encoding)
    try:
        first = buffer.next_char()
        if not first:
            yield _problem(source, "the file is empty")
        elif first == "{":
            yield from _read_json_object(buffer, source, options)
        elif first == "[":
            yield from _read_json_list(buffer, source, options)
        else:
            yield _problem(source, f"expected a JSON list of objects or one object, found {first!r}")
    except _BadBytes as err:
        yield _problem(source, f"{err.reason}; stopped reading")


def _read_json_object(buffer: _JsonBuffer, source: str, options: ReadOptions) -> Iterator[Item]:
    try:
        value = buffer.value(options.max_bytes)
    except json.JSONDecodeError as err:
        yield _problem(source, f"not valid JSON ({err.msg} at line {buffer.line(err.pos)})")
        return
    except _JsonTooLarge:
        yield _problem(source, f"the document is {_too_large(options)}")
        return
    except RecursionError:
        yield _problem(source, "not valid JSON (nested too deeply)")
        return
    yield _record_document(value, source, "", options)
    if buffer.next_char():
        yield _problem(source, f"extra data after the JSON object at line {buffer.line()}; ignored")


def _read_json_list(buffer: _JsonBuffer, source: str, options: ReadOptions) -> Iterator[Item]:
    buffer.pos += 1  # the "["
    if buffer.next_char() == "]":
        buffer.pos += 1
        yield _problem(source, "the JSON list is empty")
    else:
        for index in itertools.count():
            here, where = f"{source}:{index}", f"item {index}: "
            if not buffer.next_char():
                yield _problem(here, f"{where}the file ends inside the JSON list (no closing ']')")
                return
            line = buffer.line()
            try:
                value = buffer.value(options.max_bytes)
            except json.JSONDecodeError as err:
                reason = f"not valid JSON ({err.msg} at line {buffer.line(err.pos)}); stopped reading"
                yield _problem(here, where + reason)
                return
            except _JsonTooLarge:
                yield _problem(here, f"{where}{_too_large(options)} (starts at line {line}); stopped reading")
                return
            except RecursionError:
                yield _problem(here, f"{where}not valid JSON (nested too deeply); stopped reading")
                return
            if isinstance(value, dict):
                yield _record_document(value, here, where, options)
            else:
                yield _problem(here, f"{where}expected a JSON object, found {_json_kind(value)}")
            after = buffer.next_char()
            buffer.pos += 1
            if after == "]":
                break
            if after != ",":
                found = repr(after) if after else "the end of the file"
                yield _problem(here, f"{where}expected ',' or ']' after it, found {found}; stopped reading")
                return
    if buffer.next_char():
        yield _problem(source, f"extra data after the JSON list at line {buffer.line()}; ignored")
