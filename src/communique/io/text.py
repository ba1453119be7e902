"""``.txt``: one document per file, with optional front matter; also files of unknown type.

A front matter block at the very start (a ``---`` line, ``key: value`` lines, a ``---`` line) gives
id/title/date/url (other keys go to ``meta``) and is removed from the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from communique.io.common import (
    Item,
    Readable,
    ReadOptions,
    decode,
    fields_document,
    problem,
    read_document_bytes,
)
from communique.models import Problem, normalise_text

__all__ = ["FORMAT", "UNKNOWN", "PlainText", "text_document"]

_FRONT_MATTER_LINE = re.compile(r"([A-Za-z_][\w.-]*)\s*:\s*(.*)")
_FRONT_MATTER_MAX_LINES = 200  # a longer block is not front matter


class PlainText:
    """Plain text, one document per file."""

    name = "text"
    extensions: tuple[str, ...] = (".txt",)
    text = True
    line_based = False
    one_document = True

    def __init__(self, *, unknown: bool = False) -> None:
        self.unknown = unknown  # reading a file of unknown type as text: a decoding error says so

    def read(self, stream: Readable, source: str, options: ReadOptions) -> Iterator[Item]:
        data = read_document_bytes(stream, source, options)
        yield (
            data if isinstance(data, Problem) else text_document(data, source, options, unknown=self.unknown)
        )


FORMAT = PlainText()
UNKNOWN = PlainText(unknown=True)


def text_document(data: bytes, source: str, options: ReadOptions, *, unknown: bool = False) -> Item:
    """The document in ``data``: decoded, its front matter read and removed."""
    text, error = decode(data, options.encoding)
    if error is not None:
        prefix = "unknown file type and " if unknown else ""
        return problem(source, prefix + error)
    # line endings normalised before the front matter is looked for ('---' CR 'title: ...')
    fields, text = _split_front_matter(normalise_text(text))
    # A front matter 'text' key is not the text (the body is): it stays in meta.
    return fields_document(text, fields, source, options)


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
