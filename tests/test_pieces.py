"""Long documents parsed in pieces (issue 19, communique.pieces): where the cuts fall, and that a
document parsed in pieces gets results whose offsets are offsets into its own text. A small
``chunk_chars`` keeps these fast; the memory this saves is measured by benchmarks/bench_long_text.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from communique.models import Document, Problem, Result
from communique.pieces import parse_in_pieces, piece_starts
from communique.pipeline import Pipeline

ARTICLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def pieces_of(doc, chunk_chars: int) -> list[str]:
    starts = piece_starts(doc, chunk_chars)
    return [doc[start:end].text_with_ws for start, end in zip(starts, [*starts[1:], len(doc)], strict=True)]


def test_a_short_document_is_one_piece(blank) -> None:
    doc = blank("One sentence. Another one.")
    assert piece_starts(doc, 1000) == [0]
    assert piece_starts(doc, len(doc.text)) == [0]


def test_pieces_cover_the_text_and_keep_under_the_size(blank) -> None:
    text = " ".join(f"word{i % 17}" + ("." if i % 9 == 8 else "") for i in range(3000))
    doc = blank(text)
    pieces = pieces_of(doc, 500)
    assert "".join(pieces) == text
    assert len(pieces) > 1
    assert all(len(piece) <= 500 for piece in pieces)
    # Sentence ends are in every stretch: each piece but the last ends after one.
    assert all(piece.rstrip().endswith(".") for piece in pieces[:-1])


def test_a_paragraph_end_is_preferred_to_a_later_sentence_end(blank) -> None:
    first = "A sentence of the first paragraph. " * 8  # 280 characters
    text = first.strip() + "\n\n" + "Then more words. " * 20
    pieces = pieces_of(blank(text), 400)
    assert pieces[0] == first.strip() + "\n\n"


def test_unpunctuated_text_is_cut_between_words(blank) -> None:
    text = " ".join(["alpha", "beta", "gamma"] * 400)
    pieces = pieces_of(blank(text), 300)
    assert "".join(pieces) == text
    assert all(piece.endswith(" ") for piece in pieces[:-1])
    assert all(len(piece) <= 300 for piece in pieces)


def test_a_token_longer_than_a_piece_is_a_piece_of_its_own(blank) -> None:
    text = "start " + "x" * 1000 + " end of it"
    pieces = pieces_of(blank(text), 100)
    assert "".join(pieces) == text
    assert "x" * 1000 + " " in pieces


def test_joined_pieces_have_the_text_tokens_and_extensions_of_the_document(pipeline) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))[:2])
    nlp = pipeline.nlp
    doc = nlp.make_doc(text)
    doc._.doc_date = "2026-02-01"
    whole = parse_in_pieces(doc, nlp.pipeline[:3], chunk_chars=1500)
    assert whole.text == text
    assert [(t.text, t.idx, t.whitespace_) for t in whole] == [(t.text, t.idx, t.whitespace_) for t in doc]
    assert whole._.doc_date == "2026-02-01"


def spans_of(result: Result) -> list[dict]:
    """Every span with a text and offsets anywhere in the result (events, quotes, actors, places)."""
    found: list[dict] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if {"text", "start", "end"} <= value.keys():
                found.append(value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(result.model_dump(exclude={"text"}))
    return found


def test_a_document_parsed_in_pieces_has_offsets_into_its_own_text(pipeline) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))[:3])
    pieced = Pipeline(chunk_chars=1000)
    pieced._nlp = pipeline.nlp  # the same models, loaded once
    result = pieced.process_batch([Document(id="long", text=text, source="test", date="2026-02-01")])[0]
    assert isinstance(result, Result)
    assert len(text) > 5 * 1000
    assert result.events and result.quotes and result.actors and result.places
    spans = spans_of(result)
    assert len(spans) > 100
    wrong = [s for s in spans if text[s["start"] : s["end"]] != s["text"]]
    assert not wrong
    # Whole or in pieces, the same articles tell much the same events.
    whole = pipeline.process_batch([Document(id="long", text=text, source="test", date="2026-02-01")])[0]
    assert isinstance(whole, Result)
    same = {(e.type, e.trigger.start) for e in result.events} & {
        (e.type, e.trigger.start) for e in whole.events
    }
    assert len(same) >= 0.8 * len(whole.events)


def test_a_document_under_the_piece_size_is_parsed_whole(pipeline) -> None:
    text = (ARTICLES / sorted(p.name for p in ARTICLES.glob("*.txt"))[0]).read_text(encoding="utf-8")
    same_size = Pipeline(chunk_chars=len(text))
    same_size._nlp = pipeline.nlp
    document = Document(id="one", text=text, source="test", date="2026-02-01")
    assert same_size.process_batch([document]) == pipeline.process_batch([document])


def test_the_guard_stops_a_document_parsed_in_pieces(pipeline) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))[:2])
    slow = Pipeline(chunk_chars=1000, doc_seconds=1e-9)
    slow._nlp = pipeline.nlp
    [problem] = slow.process_batch([Document(id="long", text=text, source="test")])
    assert "longer than the limit" in problem.reason


# -- the memory budget of the guard (issue 19) -------------------------------------------------
def test_the_memory_budget_stops_an_analysis_that_grows_past_it() -> None:
    from communique import guard

    if guard.resident_mb() is None:
        pytest.skip("resident memory is read from /proc (Linux)")
    deadline = guard.Deadline(None, memory_mb=20)
    deadline.check("start")  # nothing grown yet
    blob = b"x" * 100_000_000  # written, so resident
    with pytest.raises(guard.MemoryLimitExceeded, match="--doc-memory-mb"):
        deadline.check("parser")
    del blob
    guard.Deadline(None, memory_mb=0).check()  # 0: no budget


def test_a_document_over_the_memory_budget_is_a_problem_not_an_error(pipeline, monkeypatch) -> None:
    from itertools import count

    from communique import guard

    text = (ARTICLES / sorted(p.name for p in ARTICLES.glob("*.txt"))[0]).read_text(encoding="utf-8")
    calls = count()
    monkeypatch.setattr(guard, "resident_mb", lambda: 100.0 + 2_000 * next(calls))  # grows at every look
    hungry = Pipeline(doc_memory_mb=1_000)
    hungry._nlp = pipeline.nlp
    documents = [Document(id=name, text=text, source=name) for name in ("a", "b")]
    items = hungry.process_batch(documents)
    assert [item.source for item in items] == ["a", "b"]
    assert all(
        isinstance(item, Problem) and "more memory than the limit of 1000 MB" in item.reason for item in items
    )
    monkeypatch.setattr(guard, "resident_mb", lambda: 100.0)  # flat: within any budget
    assert all(isinstance(item, Result) for item in hungry.process_batch(documents))
