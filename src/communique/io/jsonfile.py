"""``.json``: a list of objects, or one object, read item by item.

Sources are ``path:INDEX`` for list items (0-based), the path for a single object. A bad item is skipped;
a syntax error or an over-long item stops the file (there is no safe place to resume).
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from communique.io.common import (
    CHUNK,
    JSON_DECODER,
    Item,
    Readable,
    ReadOptions,
    is_utf8,
    json_kind,
    problem,
    record_document,
    too_large,
    undecodable,
)

__all__ = ["FORMAT", "JsonFile"]

_JSON_SPACE = re.compile(r"[^ \t\r\n]")
_DECODER = JSON_DECODER  # big integers kept as strings


class JsonFile:
    """A JSON document: a list of objects or one object."""

    name = "json"
    extensions: tuple[str, ...] = (".json",)
    text = True
    line_based = False
    one_document = False

    def read(self, stream: Readable, source: str, options: ReadOptions) -> Iterator[Item]:
        buffer = _JsonBuffer(stream, options.encoding)
        try:
            first = buffer.next_char()
            if not first:
                yield problem(source, "the file is empty")
            elif first == "{":
                yield from _read_object(buffer, source, options)
            elif first == "[":
                yield from _read_list(buffer, source, options)
            else:
                yield problem(source, f"expected a JSON list of objects or one object, found {first!r}")
        except _BadBytes as err:
            yield problem(source, f"{err.reason}; stopped reading")


FORMAT = JsonFile()


class _BadBytes(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _JsonTooLarge(Exception):
    pass


class _JsonBuffer:
    """The decoded text of a stream, read on demand; consumed text is dropped so memory stays bounded."""

    def __init__(self, stream: Readable, encoding: str) -> None:
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
        if start == 0 and is_utf8(self._encoding) and chunk.startswith(codecs.BOM_UTF8):
            chunk = chunk[len(codecs.BOM_UTF8) :]
            start = len(codecs.BOM_UTF8)
        pending = len(self._decoder.getstate()[0])  # bytes of a character split across reads
        try:
            self.text += self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            bad = err.object[err.start : err.start + 1]
            raise _BadBytes(undecodable(self._encoding, bad, start - pending + err.start)) from None
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
            self.fill(CHUNK)

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
                self.fill(max(CHUNK, min(held, limit + 1 - held)))
                continue
            if end == len(self.text) and not self.eof:
                self.fill(CHUNK)  # a number at the end of the buffer may go on in the next read
                continue
            self.pos = end
            return value


def _read_object(buffer: _JsonBuffer, source: str, options: ReadOptions) -> Iterator[Item]:
    try:
        value = buffer.value(options.max_bytes)
    except json.JSONDecodeError as err:
        yield problem(source, f"not valid JSON ({err.msg} at line {buffer.line(err.pos)})")
        return
    except _JsonTooLarge:
        yield problem(source, f"the document is {too_large(options)}")
        return
    except RecursionError:
        yield problem(source, "not valid JSON (nested too deeply)")
        return
    yield record_document(value, source, "", options)
    if buffer.next_char():
        yield problem(source, f"extra data after the JSON object at line {buffer.line()}; ignored")


def _read_list(buffer: _JsonBuffer, source: str, options: ReadOptions) -> Iterator[Item]:
    buffer.pos += 1  # the "["
    if buffer.next_char() == "]":
        buffer.pos += 1
        yield problem(source, "the JSON list is empty")
    else:
        for index in itertools.count():
            here, where = f"{source}:{index}", f"item {index}: "
            if not buffer.next_char():
                yield problem(here, f"{where}the file ends inside the JSON list (no closing ']')")
                return
            line = buffer.line()
            try:
                value = buffer.value(options.max_bytes)
            except json.JSONDecodeError as err:
                reason = f"not valid JSON ({err.msg} at line {buffer.line(err.pos)}); stopped reading"
                yield problem(here, where + reason)
                return
            except _JsonTooLarge:
                yield problem(here, f"{where}{too_large(options)} (starts at line {line}); stopped reading")
                return
            except RecursionError:
                yield problem(here, f"{where}not valid JSON (nested too deeply); stopped reading")
                return
            if isinstance(value, dict):
                yield record_document(value, here, where, options)
            else:
                yield problem(here, f"{where}expected a JSON object, found {json_kind(value)}")
            after = buffer.next_char()
            buffer.pos += 1
            if after == "]":
                break
            if after != ",":
                found = repr(after) if after else "the end of the file"
                yield problem(here, f"{where}expected ',' or ']' after it, found {found}; stopped reading")
                return
    if buffer.next_char():
        yield problem(source, f"extra data after the JSON list at line {buffer.line()}; ignored")
