"""Questions about a fixed set of character spans, each in logarithmic time.

The stages asked "does this mention overlap (or lie inside) any of those spans?" with a scan of
every span, once per mention: on a long text (issue 19: 40,000 words of news, thousands of
entities and places) that is quadratic, and it was most of the places stage's 8 s. The spans
are sorted by start once, with the running maximum of their ends: the spans that start before
a point are a prefix, and the farthest any of them reaches answers both questions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Any

#: Where ``doc_text`` keeps a Doc's text in ``Doc.user_data``: (number of tokens, text).
TEXT_KEY = "communique_text"


def doc_text(doc: Any) -> str:
    """A spaCy Doc's text, built once per Doc (``Doc.text`` joins every token each time it is read,
    and every stage reads it): kept in ``doc.user_data``, where ``Pipeline`` puts the document's own
    text when it makes the Doc."""
    cached = doc.user_data.get(TEXT_KEY)
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), doc.text)
        doc.user_data[TEXT_KEY] = cached
    return str(cached[1])


class SpanIndex:
    """Half-open spans ``(start, end)``; answers the same as ``any(...)`` over all of them."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._reach: list[int] = []  # the largest end among the spans up to each position
        farthest = -1
        for _, end in ordered:
            farthest = max(farthest, end)
            self._reach.append(farthest)

    def _reach_before(self, count: int) -> int:
        return self._reach[count - 1] if count else -1

    def overlaps(self, start: int, end: int) -> bool:
        """Some span has ``s < end and start < e``."""
        return self._reach_before(bisect_left(self._starts, end)) > start

    def contains(self, start: int, end: int) -> bool:
        """Some span has ``s <= start and end <= e``."""
        return self._reach_before(bisect_right(self._starts, start)) >= end


class FirstCovering:
    """Which group of spans first covers a character: each group (a quote's pieces, say) is a list of
    half-open spans, and ``first(char)`` answers as a scan of the groups in order would, with the
    index of the first group that has a span with ``start <= char < end``. The spans are sorted by
    start with the running maximum of their ends: only spans that start before ``char`` and are not
    all passed by it are looked at, one or two where the spans do not overlap."""

    __slots__ = ("_ends", "_groups", "_reach", "_starts")

    def __init__(self, groups: Iterable[Iterable[tuple[int, int]]]) -> None:
        ordered = sorted((start, end, k) for k, spans in enumerate(groups) for start, end in spans)
        self._starts = [start for start, _, _ in ordered]
        self._ends = [end for _, end, _ in ordered]
        self._groups = [k for _, _, k in ordered]
        self._reach: list[int] = []
        farthest = -1
        for end in self._ends:
            farthest = max(farthest, end)
            self._reach.append(farthest)

    def first(self, char: int) -> int | None:
        found: int | None = None
        k = bisect_right(self._starts, char) - 1
        while k >= 0 and self._reach[k] > char:
            if self._ends[k] > char and (found is None or self._groups[k] < found):
                found = self._groups[k]
            k -= 1
        return found
