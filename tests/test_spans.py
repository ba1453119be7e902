"""SpanIndex and FirstCovering answer exactly what the scans they replaced answered (issue 19)."""

from __future__ import annotations

import random

from communique.events.context import DocQuotes
from communique.models import Quote, Span
from communique.spans import FirstCovering, SpanIndex


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


def test_first_covering_agrees_with_a_scan_of_the_groups_in_order() -> None:
    rng = random.Random(16)
    for _ in range(3000):
        groups = []
        for _ in range(rng.randint(0, 6)):
            spans = []
            for _ in range(rng.randint(0, 3)):
                start = rng.randint(0, 50)
                spans.append((start, start + rng.randint(0, 12)))
            groups.append(spans)
        index = FirstCovering(groups)
        char = rng.randint(0, 65)
        expected = next((k for k, spans in enumerate(groups) if any(s <= char < e for s, e in spans)), None)
        assert index.first(char) == expected


def test_doc_quotes_find_the_quote_that_covers_a_character_as_quote_covers_does() -> None:
    def quote(*parts: tuple[int, int]) -> Quote:
        pieces = [Span(text="x" * (e - s), start=s, end=e) for s, e in parts]
        content = Span(text="x", start=parts[0][0], end=parts[-1][1])
        return Quote(
            kind="direct", start=parts[0][0], end=parts[-1][1], content=content, content_parts=pieces
        )

    quotes = DocQuotes([quote((10, 20), (30, 40)), quote((50, 60)), quote((15, 55))])
    for char in range(70):
        expected = next((k for k, q in enumerate(quotes) if q.covers(char)), None)
        assert quotes.covering(char) == expected
    assert quotes.covering(25) == 2  # in the first quote's interruption, inside the third
    assert len(quotes) == 3 and quotes[1].content.start == 50
