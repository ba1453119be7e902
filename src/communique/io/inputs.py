"""Reading inputs: files, folders and standard input into ``Document`` records, whatever their format.

``read_inputs`` yields a ``Document`` per article, or a ``Problem`` (stage ``read``) for anything it cannot
read; bad input never raises and never stops the batch.

Formats, chosen by extension (case-insensitive; one module each, registered in ``communique.io.formats``):

* ``.txt`` – one document; an optional front matter block gives id/title/date/url (``text``).
* ``.html``/``.htm`` – main text, title, date and URL extracted offline by trafilatura (``html``).
* ``.jsonl``/``.ndjson`` – one JSON object per line (``jsonl``); ``.json`` – a list of objects, or one
  object (``jsonfile``).
* ``.csv`` – a header row, then one document per row (``csvfile``).
* ``.gz`` of any of these, decompressed on the fly (``a.jsonl.gz`` is read as JSONL).
* ``.parquet`` – one document per row (``parquet``), only where a caller asks for it (``FORMATS``).
* A directory is read recursively in sorted order; only files with a known extension are read, hidden
  files and directories are skipped and symlinked directories are not followed.
* ``-`` is standard input: JSONL if its first non-space character is ``{``, else one plain-text document.
* Any other extension is read as plain text if it is text in the configured encoding, else a ``Problem``.

Policies:

* Memory is bounded by the size of one record, not of the file: JSONL and CSV are read line by line, a JSON
  list item by item, Parquet a batch of rows at a time, and no single document may exceed
  ``ReadOptions.max_bytes`` (it becomes a Problem).
* Encoding is strict: bytes are decoded with ``ReadOptions.encoding`` (a UTF-8 byte order mark is dropped)
  and text that does not decode is a Problem naming the byte offset – nothing is silently replaced. In
  JSONL and CSV only the offending line or row is skipped. HTML pages are the exception: they declare
  their own charset, which trafilatura honours. JSONL and CSV need an ASCII-compatible encoding. One
  encoding is recognised: with the default UTF-8, a file in UTF-16 (a UTF-16 byte order mark, or without
  one, text whose every other byte is NUL, as English and other Latin-script text in UTF-16 is) is read
  as UTF-16, whatever its format (``utf16_codec``).
* Text is normalised once, as the ``Document`` is made (``models.normalise_text``): line breaks become LF
  (CRLF and a lone CR alike) and Unicode is composed (NFC), so one article gives the same records, ids
  and offsets whether it comes from a Windows file, a JSON field, the paste page or the API.
* Sources: the path as given; ``path:LINE`` for JSONL (1-based line number), ``path:LINE`` for CSV (the
  line on which the row starts; the header is line 1), ``path:INDEX`` for JSON list items and ``path:ROW``
  for Parquet rows (0-based); ``-`` for standard input.
* Ids: the record's id field when present and non-empty, else ``sha1:`` + 16 hex digits of the SHA-1 of the
  normalised UTF-8 text. Control characters in a given id (NUL, newline, tab ...) become spaces, runs of
  white space one; an id over ``MAX_ID_CHARS`` (1,000) characters is a Problem for its record.
* Records are recovered one by one: a string with a lone surrogate (``"\\ud800"`` in JSON, which is not
  Unicode) anywhere in a record is a Problem for that record; a JSON integer beyond Python's limit on
  digits (4,300) is kept as its digits, a string.
* Dates are normalised to ``YYYY-MM-DD``; a value that cannot be parsed is kept verbatim in ``meta`` and
  ``ReadOptions.date`` is used instead. Nothing here reads the clock, so a document never gets today's date
  by default; htmldate (under trafilatura) uses today only as the latest acceptable date, and its
  free-text search, which guesses (e.g. 1 January of a copyright year), is off.
* Binary content: a file of a one-document format (text, HTML, JSON) whose first bytes look binary (a NUL
  byte, many control bytes) is a Problem. JSONL and CSV are checked line by line instead, so a NUL byte in
  one record costs that record alone.
* A damaged stream stops its file with a Problem after what was already read: a truncated or corrupt
  ``.gz`` (the complete members before it are read), a JSON syntax error or an over-long item in a
  ``.json`` list (no safe place to resume). A bad JSONL line, CSV row or JSON list item is skipped; so is
  a CSV row that cannot be parsed (not valid CSV, over-long, a quote left open): parsing resumes on the
  line after its first.
* Text is kept verbatim (evidence offsets point into it); only front matter and a byte order mark are
  removed.

Files can also be read in spans (``split_file``, ``read_span``): the Dask engine reads each partition so,
and gets exactly the items ``read_file`` gives for the same stretch of the file.
"""

from __future__ import annotations

import codecs
import gzip
import io
import itertools
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from communique.io import jsonl, text
from communique.io.common import (
    DEFAULT_OPTIONS,
    SNIFF,
    Item,
    Line,
    Readable,
    ReadOptions,
    Span,
    ascii_compatible,
    is_utf8,
    iter_lines,
    looks_binary,
    problem,
    too_large,
)
from communique.io.formats import DEFAULT_FORMATS, Format, Formats, Splittable, format_named, format_of
from communique.models import Problem


def is_url(given: str) -> bool:
    return given.lower().startswith(("http://", "https://"))


__all__ = ["list_files", "read_file", "read_inputs", "read_span", "split_file"]


def read_inputs(
    inputs: Iterable[str], options: ReadOptions = DEFAULT_OPTIONS, formats: Formats = DEFAULT_FORMATS
) -> Iterator[Item]:
    """Yield a Document per article in ``inputs`` (paths, directories, ``-``, or http(s) URLs of
    pages and RSS/Atom feeds: ``communique.io.web``), or a Problem."""
    for given in inputs:
        if given == "-":
            yield from _read_stdin(options)
            continue
        if is_url(given):
            from communique.io.web import read_url

            yield from read_url(given, options)
            continue
        for found in list_files(given, formats):
            if isinstance(found, str):
                yield from read_file(found, found, options, formats)
            else:
                yield found


# --- paths and directories ------------------------------------------------------------------------------


def list_files(given: str, formats: Formats = DEFAULT_FORMATS) -> Iterator[str | Problem]:
    """The files to read for a path: itself, or a directory's files of ``formats`` in sorted order; a
    Problem for what cannot be listed."""
    try:
        is_dir = stat.S_ISDIR(os.stat(given).st_mode)
    except FileNotFoundError:
        yield problem(given, "file not found")
        return
    except PermissionError:
        yield problem(given, "permission denied")
        return
    except (OSError, ValueError) as err:  # ValueError: a path with a NUL character
        yield problem(given, f"cannot access the path ({err})")
        return
    if is_dir:
        yield from _list_directory(given, formats)
    else:
        yield given


def _list_directory(given: str, formats: Formats) -> Iterator[str | Problem]:
    walk_errors: list[OSError] = []
    found: list[tuple[tuple[str, ...], str]] = []
    # followlinks=False (the default) so a symlink loop cannot make the walk endless.
    for folder, dirnames, filenames in os.walk(given, onerror=walk_errors.append):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        relative = os.path.relpath(folder, given)
        parts = () if relative == os.curdir else tuple(relative.split(os.sep))
        for name in filenames:
            if not name.startswith(".") and format_of(name, formats)[0] is not None:
                found.append(((*parts, name), os.path.join(folder, name)))
    for error in walk_errors:
        where = error.filename or given
        reason = (
            "permission denied" if isinstance(error, PermissionError) else f"cannot list ({error.strerror})"
        )
        yield problem(str(where), reason)
    if not found:
        if not walk_errors:
            known = ", ".join(sorted(formats))
            yield problem(given, f"the directory has no readable files (looked for {known}, and .gz of them)")
        return
    for _, path in sorted(found):
        yield path


# --- files ----------------------------------------------------------------------------------------------


def read_file(
    path: str, source: str, options: ReadOptions, formats: Formats = DEFAULT_FORMATS
) -> Iterator[Item]:
    """The items of one file, in the format its name gives (plain text if unknown); ``source`` names it."""
    fmt, compressed = format_of(os.path.basename(path), formats)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the with block below, also when abandoned
    except FileNotFoundError:
        yield problem(source, "file not found")
        return
    except PermissionError:
        yield problem(source, "permission denied")
        return
    except OSError as err:
        yield problem(source, f"cannot open the file ({err.strerror or err})")
        return
    with raw:
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        try:
            yield from _read_stream(stream, source, fmt or text.UNKNOWN, options)
        except (EOFError, zlib.error, gzip.BadGzipFile) as err:
            # Whatever was read before the damage has been yielded already.
            yield problem(source, f"the compressed data is truncated or corrupt ({err}); stopped reading")
        except OSError as err:
            yield problem(source, f"read error ({err}); stopped reading")
        except Exception as err:  # the contract is that bad input never raises
            yield problem(source, f"unexpected error ({type(err).__name__}: {err}); stopped reading")
        finally:
            if stream is not raw:
                stream.close()


def utf16_codec(head: bytes) -> str | None:
    """The UTF-16 codec that text starting with ``head`` is written in, or None: "utf-16" after a UTF-16
    byte order mark; without one, "utf-16-le" ("-be") when at least half of the odd (even) bytes are NUL
    and almost none of the others, as in Latin-script text (binary data with NUL bytes is rarely so
    regular, and what is still becomes text that the format's own checks report)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[: len(head) // 2 * 2]
    if len(sample) < 8:
        return None
    low, high = sample[0::2].count(0) / (len(sample) / 2), sample[1::2].count(0) / (len(sample) / 2)
    if high >= 0.5 and low <= 0.02:
        return "utf-16-le"
    if low >= 0.5 and high <= 0.02:
        return "utf-16-be"
    return None


def _utf16_of(head: bytes, options: ReadOptions) -> str | None:
    """The UTF-16 codec of a file read with the default encoding, or None (``utf16_codec``)."""
    return utf16_codec(head) if is_utf8(options.encoding) else None


def _read_stream(stream: Any, source: str, fmt: Format, options: ReadOptions) -> Iterator[Item]:
    if fmt.text:
        head = stream.peek(SNIFF)[:SNIFF]
        if not head:
            yield problem(source, "the file is empty")
            return
        codec = _utf16_of(head, options)
        if codec is not None:
            # Read as UTF-8 from here on; the format's own checks (binary, size) see the UTF-8 bytes.
            text_stream = io.TextIOWrapper(stream, encoding=codec, errors="strict", newline="")
            try:
                yield from fmt.read(_EncodedText(text_stream), source, options)
            except UnicodeDecodeError as err:
                yield problem(source, f"not valid {codec.upper()} text ({err.reason}); stopped reading")
            finally:
                text_stream.detach()  # the file is closed by its opener
            return
        if not fmt.line_based and looks_binary(head, options.encoding):
            yield problem(source, "binary content, not text")
            return
    yield from fmt.read(stream, source, options)


# --- spans: a file in pieces that are read independently ----------------------------------------------


def split_file(
    path: str, source: str, options: ReadOptions, room: int, size: int, formats: Formats = DEFAULT_FORMATS
) -> Iterator[Span | Problem] | None:
    """The spans of a file (see ``Splittable.split``), or None if it is to be read whole with ``read_file``:
    its format cannot be split, it is compressed, or it fails the first checks (``read_file`` reports it).
    Spans that turn out to be none mean the file holds nothing but what ``read_file`` reports as wrong."""
    fmt, compressed = format_of(os.path.basename(source), formats)
    if compressed or not isinstance(fmt, Splittable):
        return None
    if fmt.text and not _passes_first_checks(path, fmt, options):
        return None
    return fmt.split(path, source, options, room, size)


def _passes_first_checks(path: str, fmt: Format, options: ReadOptions) -> bool:
    """Whether a text file is non-empty, not binary (as ``_read_stream`` checks it) and in an encoding
    that can be cut at line starts."""
    if not ascii_compatible(options.encoding):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF)
    except OSError:
        return False
    if _utf16_of(head, options) is not None:
        return False  # UTF-16 lines cannot be cut at newline bytes: read whole, transcoded
    return bool(head) and (fmt.line_based or not looks_binary(head, options.encoding))


def read_span(path: str, source: str, span: Span, options: ReadOptions) -> Iterator[Item]:
    """The items of one span of a file; as everywhere, a read error stops it with a Problem, never raises."""
    fmt = format_named(span.format)
    if not isinstance(fmt, Splittable):
        raise ValueError(f"no format reads spans of kind {span.format!r}")
    try:
        yield from fmt.read_span(path, source, span, options)
    except FileNotFoundError:
        yield problem(source, "file not found")
    except PermissionError:
        yield problem(source, "permission denied")
    except Exception as err:
        yield problem(source, f"read error ({type(err).__name__}: {err}); stopped reading")


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
        yield problem(source, "there is no standard input")
        return
    stream: Readable | None = getattr(sys.stdin, "buffer", None)
    if stream is None:
        stream = _EncodedText(sys.stdin)
        options = replace(options, encoding="utf-8")  # the adapter above encodes as UTF-8
    try:
        lines = iter_lines(stream, options.max_bytes)
        peeked: list[Line] = []
        for line in lines:
            peeked.append(line)
            if line.data is None or _first_byte(line.data):
                break
        first = peeked[-1] if peeked else None
        if first is None or (first.data is not None and not _first_byte(first.data)):
            yield problem(source, "standard input is empty")
        elif first.data is not None and _first_byte(first.data) == b"{":
            yield from jsonl.read_lines(itertools.chain(peeked, lines), source, options)
        elif first.data is None:
            yield problem(source, f"the document is {too_large(options)}")
        else:
            head = b"".join(line.data or b"" for line in peeked)
            data = head + stream.read(options.max_bytes + 1 - len(head))
            if len(data) > options.max_bytes:
                yield problem(source, f"the document is {too_large(options)}")
            elif looks_binary(data, options.encoding):
                yield problem(source, "binary content, not text")
            else:
                yield text.text_document(data, source, options)
    except (OSError, ValueError) as err:  # ValueError: stdin already closed
        yield problem(source, f"read error ({err}); stopped reading")
