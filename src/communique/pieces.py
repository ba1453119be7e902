"""Long documents parsed in pieces, so that memory stays bounded whatever a document's size (issue 19).

spaCy's parse of a document holds working memory in proportion to its length: the parser and the
entity recogniser compute their features for every token of the document at once, about 1.6 GB for a
text of 100,000 words. A document longer than ``chunk_chars`` characters is therefore cut into pieces
of at most that many characters, each cut made where a paragraph ends, else where a sentence or a line
ends, else between two words (``piece_starts``); spaCy's components (and communique's own per-sentence
ones: line breaks, the sentence cap, lemma fixes, the entity ruler) run on each piece alone, and the
pieces are joined back into one ``Doc`` of the whole text (``parse_in_pieces``). The coding stages that
need the whole document (actors and their coreference, quotes, events, the records with the document's
country and dateline, places) then run once on that ``Doc``, so every offset they report is an offset
into the original text, as for a document parsed whole.

A document of at most ``chunk_chars`` characters, which is every news article, is parsed whole as
before: nothing here changes its results. A cut is always a sentence boundary; the parse of the few
words on either side of a cut may differ from that of the whole text, as it would for two documents.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.tokens import Doc

from communique.settings import DEFAULT_CHUNK_CHARS

__all__ = [
    "DEFAULT_CHUNK_CHARS",
    "DOCUMENT_STAGES",
    "document_stages_start",
    "parse_in_pieces",
    "piece_starts",
]

#: The components that see a document whole; those before the first of them run on pieces.
DOCUMENT_STAGES = frozenset(
    {"communique_actors", "communique_quotes", "communique_events", "communique_records", "communique_places"}
)
_SENTENCE_ENDS = frozenset(".!?")


def document_stages_start(pipeline: list[tuple[str, Any]]) -> int:
    """The position of the first component of ``pipeline`` (``nlp.pipeline``) that sees a document whole:
    those before it run on pieces."""
    return next((k for k, (name, _) in enumerate(pipeline) if name in DOCUMENT_STAGES), len(pipeline))


_PARAGRAPH, _SENTENCE, _SPACE = 0, 1, 2


def _boundary(doc: Doc, i: int) -> int | None:
    """What ends before token ``i``: a paragraph, a sentence or line, a space; None: nothing (a cut
    there would split a word's punctuation from it)."""
    prev = doc[i - 1]
    if prev.is_space:
        newlines = prev.text.count("\n")
        return _PARAGRAPH if newlines >= 2 else _SENTENCE if newlines else _SPACE
    if prev.whitespace_:
        return _SENTENCE if prev.text in _SENTENCE_ENDS else _SPACE
    return None


def _best_cut(doc: Doc, start: int, last: int) -> int:
    """Where the piece that starts at token ``start`` ends, at the latest before token ``last``: the last
    paragraph end in the second half of that stretch, else its last sentence or line end there, else the
    last space anywhere in it, else ``last`` itself (a run of text with no space at all)."""
    half = start + (last - start) // 2
    sentence = space = None
    for i in range(last, start, -1):
        kind = _boundary(doc, i)
        if kind is None:
            continue
        if i > half:
            if kind == _PARAGRAPH:
                return i
            if kind == _SENTENCE and sentence is None:
                sentence = i
        if sentence is None and space is None:
            space = i
        if i <= half and (sentence is not None or space is not None):
            break
    return sentence or space or last


def piece_starts(doc: Doc, chunk_chars: int = DEFAULT_CHUNK_CHARS) -> list[int]:
    """The tokens where the pieces of ``doc`` start, the first at 0; every piece is at most
    ``chunk_chars`` characters long unless one token alone is longer."""
    size = len(doc.text)
    if len(doc) == 0 or size <= chunk_chars:
        return [0]
    starts_at = doc.to_array("IDX").tolist()  # the character offset of each token, increasing
    starts = [0]
    start = 0
    while size - starts_at[start] > chunk_chars:
        # The piece start..i-1 covers the characters up to token i's offset: i may be at most `last`.
        last = bisect_right(starts_at, starts_at[start] + chunk_chars) - 1
        cut = start + 1 if last <= start else _best_cut(doc, start, last)
        if cut >= len(doc):
            break
        starts.append(cut)
        start = cut
    return starts


def parse_in_pieces(
    doc: Doc,
    components: Iterable[tuple[str, Callable[[Doc], Doc]]],
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
    check: Callable[[str], object] | None = None,
) -> Doc:
    """``doc`` (tokenised, not yet parsed) run through ``components`` piece by piece and joined back:
    a new ``Doc`` of the same text, tokens and extension values (``doc._.doc_date`` ...). ``check(name)``
    is called before each component on each piece (the guard's deadline)."""
    components = list(components)
    starts = piece_starts(doc, chunk_chars)
    parsed: list[Doc] = []
    for start, end in zip(starts, [*starts[1:], len(doc)], strict=True):
        piece = doc[start:end].as_doc()
        for name, proc in components:
            if check is not None:
                check(name)
            piece = proc(piece)
        piece.tensor = numpy.zeros((0,), dtype="float32")  # no stage reads it; it is 96 floats a token
        parsed.append(piece)
    whole = Doc.from_docs(  # type: ignore[call-arg]  # spaCy's stub lacks ``exclude``
        parsed, ensure_whitespace=False, exclude=["tensor", "user_data"]
    )
    whole.user_data.update(doc.user_data)  # the document's extension values (date, context country)
    return whole
