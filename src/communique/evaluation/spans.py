"""Character spans: the one overlap rule every scorer uses, and locating quoted strings.

A *gold* span may be discontinuous (brat: ``10 20;25 40``), so gold spans are lists of
``(start, end)`` fragments. A predicted span matches a gold span when the characters they
share are at least half of the gold span's characters (and at least one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

Fragment = tuple[int, int]


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (for word lists written as one string)."""
    return frozenset(text.split())


def as_fragments(span: Fragment | Sequence[Fragment]) -> list[Fragment]:
    """``(s, e)`` or ``[(s, e), ...]`` -> a list of fragments."""
    if len(span) == 2 and all(isinstance(x, int) for x in span):
        return [(int(span[0]), int(span[1]))]  # type: ignore[arg-type]
    return [(int(s), int(e)) for s, e in span]  # type: ignore[misc]


def span_length(gold: Fragment | Sequence[Fragment]) -> int:
    return sum(max(0, e - s) for s, e in as_fragments(gold))


def overlap_chars(pred: Fragment | Sequence[Fragment], gold: Fragment | Sequence[Fragment]) -> int:
    """How many characters the two spans share (fragments of one span must not overlap)."""
    total = 0
    for ps, pe in as_fragments(pred):
        for gs, ge in as_fragments(gold):
            total += max(0, min(pe, ge) - max(ps, gs))
    return total


def span_matches(pred: Fragment | Sequence[Fragment], gold: Fragment | Sequence[Fragment]) -> bool:
    """The match rule: ``pred`` covers at least half of ``gold``'s characters (at least one)."""
    shared = overlap_chars(pred, gold)
    return shared > 0 and 2 * shared >= span_length(gold)


def best_match(
    pred_spans: Iterable[Fragment | Sequence[Fragment]], gold: Fragment | Sequence[Fragment]
) -> int | None:
    """Index of the predicted span that matches ``gold`` with most shared characters, or None."""
    best: tuple[int, int] | None = None
    for i, pred in enumerate(pred_spans):
        if span_matches(pred, gold):
            shared = overlap_chars(pred, gold)
            if best is None or shared > best[0]:
                best = (shared, i)
    return None if best is None else best[1]


def locate(text: str, needle: str | None) -> Fragment | None:
    """Where ``needle`` first occurs in ``text`` as whole words ('Sudan' in 'refuge in Sudan',
    not inside 'South Sudanese'), exact case first; then anywhere; None if absent."""
    if not needle or not needle.strip():
        return None
    needle = needle.strip()
    body = re.escape(needle)
    left = r"(?<!\w)" if needle[0].isalnum() else ""
    right = r"(?!\w)" if needle[-1].isalnum() else ""
    whole = left + body + right
    for pattern, flags in ((whole, 0), (whole, re.IGNORECASE), (body, 0), (body, re.IGNORECASE)):
        m = re.search(pattern, text, flags=flags)
        if m:
            return (m.start(), m.end())
    return None
    needle = needle.strip()
    i = text.find(needle)
    if i >= 0:
        return (i, i + len(needle))
    m = re.search(re.escape(needle), text, flags=re.IGNORECASE)
    if m:
        return (m.start(), m.end())
    return None
