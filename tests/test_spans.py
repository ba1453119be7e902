"""SpanIndex answers exactly what the scans it replaced answered (issue 19)."""

from __future__ import annotations

import random

from communique.spans import SpanIndex


def test_span_index_agrees_with_a_scan_of_every_span() -> None:
    rng = random.Random(19)
    for _ in range(3000):
        spans = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, 50)
            spans.append((start, start + rng.randint(0, 10)))
        index = SpanIndex(spans)
        start = rng.randint(0, 60)
        end = start + rng.randint(0, 10)
        assert index.overlaps(start, end) == any(s < end and start < e for s, e in spans)
        assert index.contains(start, end) == any(s <= start and end <= e for s, e in spans)


def test_empty_index_has_nothing() -> None:
    assert not SpanIndex([]).overlaps(0, 10)
    assert not SpanIndex([]).contains(0, 0)
