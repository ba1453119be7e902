"""Issue 19: one bad record never costs its neighbours.

Each case is a three-line JSONL file whose first and last lines are good documents, run through
`communique extract` as a user would; the bad middle line is one Problem at `path:2`, or a document.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.cli import cli
from communique.io import ReadOptions, read_inputs
from communique.io.common import MAX_ID_CHARS
from communique.models import Document, Problem

GOOD_FIRST = json.dumps({"id": "first", "text": "French President Emmanuel Macron visited Kyiv on Tuesday."})
GOOD_LAST = json.dumps({"id": "last", "text": "Protesters clashed with police in Paris on Friday."})

# The middle lines, as bytes: each is something the fuzzing of issue 19 found to lose good documents.
RAW_NUL = b'{"id": "nul", "text": "A raw NUL \x00 byte in the text."}'
SURROGATE_TEXT = b'{"id": "surrogate", "text": "A lone surrogate \\ud800 in the text."}'
SURROGATE_ID = b'{"id": "bad\\ud800id", "text": "A lone surrogate in the id."}'
SURROGATE_META = b'{"id": "meta", "text": "Fine text.", "tags": [{"name": "x\\udc00"}]}'
SURROGATE_KEY = b'{"id": "key", "text": "Fine text.", "x\\udc00": 1}'


def _three_lines(tmp_path: Path, middle: bytes) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(GOOD_FIRST.encode() + b"\n" + middle + b"\n" + GOOD_LAST.encode() + b"\n")
    return path


def _extract(tmp_path: Path, path: Path) -> tuple[list[dict], list[dict], str]:
    """The results, the problems and stderr of `communique extract PATH`."""
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(path), "-o", str(out), "--errors", str(errors)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output

    def lines(file: Path) -> list[dict]:
        return [json.loads(line) for line in file.read_text("utf-8").splitlines()] if file.exists() else []

    return lines(out), lines(errors), result.stderr


@pytest.mark.parametrize(
    ("middle", "reason"),
    [
        (RAW_NUL, "binary content"),
        (SURROGATE_TEXT, "the 'text' field holds a lone surrogate"),
        (SURROGATE_ID, "the 'id' field holds a lone surrogate"),
    ],
    ids=["raw-nul", "surrogate-in-text", "surrogate-in-id"],
)
def test_a_bad_record_is_one_problem_and_its_neighbours_are_read(
    tmp_path: Path, middle: bytes, reason: str
) -> None:
    path = _three_lines(tmp_path, middle)
    results, problems, stderr = _extract(tmp_path, path)
    assert [r["id"] for r in results] == ["first", "last"]
    assert len(problems) == 1, problems
    assert problems[0]["source"] == f"{path}:2"
    assert reason in problems[0]["reason"] and "line 2" in problems[0]["reason"]
    assert "stopped reading" not in stderr


def test_an_integer_beyond_pythons_limit_does_not_stop_the_file(tmp_path: Path) -> None:
    digits = "9" * 5000  # Python refuses to convert more than 4,300 digits to an int
    middle = f'{{"id": "big", "count": {digits}, "text": "A huge number in a field."}}'.encode()
    results, problems, _ = _extract(tmp_path, _three_lines(tmp_path, middle))
    # The record itself is good: the number is kept verbatim, as its digits, in meta.
    assert [r["id"] for r in results] == ["first", "big", "last"]
    assert problems == []
    big = [d for d in read_inputs([str(tmp_path / "batch.jsonl")]) if d.id == "big"]
    assert isinstance(big[0], Document) and big[0].meta["count"] == digits


@pytest.mark.parametrize("middle", [SURROGATE_META, SURROGATE_KEY], ids=["in-meta", "in-a-key"])
def test_a_lone_surrogate_anywhere_in_a_record_is_that_records_problem(tmp_path: Path, middle: bytes) -> None:
    items = list(read_inputs([str(_three_lines(tmp_path, middle))]))
    assert [type(item) for item in items] == [Document, Problem, Document]
    assert items[1].source.endswith(":2") and "lone surrogate" in items[1].reason


def test_ids_are_cleaned_to_one_printable_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "wire\n2026\t01\x00 ", "text": "Some text."}),
        json.dumps({"id": "\n\t", "text": "Some text."}),
        json.dumps({"id": "x" * (MAX_ID_CHARS + 1), "text": "Some text."}),
    ]
    path = tmp_path / "ids.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, blank, too_long = read_inputs([str(path)])
    assert isinstance(first, Document) and first.id == "wire 2026 01"
    assert isinstance(blank, Document) and blank.id.startswith("sha1:")  # nothing left: the content id
    assert isinstance(too_long, Problem) and "longer than" in too_long.reason


def test_a_binary_blob_named_jsonl_is_reported_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "blob.jsonl"
    path.write_bytes(b"\x00\x01\x02\x03\n\x00\xff\xfe\n")
    items = list(read_inputs([str(path)], ReadOptions()))
    assert [item.source for item in items] == [f"{path}:1", f"{path}:2"]
    assert all(isinstance(item, Problem) and "binary content" in item.reason for item in items)


# --- issue 19: no super-linear cost on long unpunctuated text -------------------------------------------


def test_a_long_unpunctuated_text_is_cut_into_sentences_of_at_most_the_cap() -> None:
    from communique.nlp import MAX_SENTENCE_TOKENS, load_nlp
    from communique.pipeline import Pipeline

    vocabulary = "police army Paris protest talks minister market shares Russia France the of and"
    words = vocabulary.split()
    text = " ".join(words[i % len(words)] for i in range(5000))  # no full stop anywhere
    doc = load_nlp()(text)
    lengths = [len(sentence) for sentence in doc.sents]
    assert max(lengths) <= MAX_SENTENCE_TOKENS
    assert sum(lengths) == len(doc) >= 5000
    result = Pipeline().process_text(text)
    assert result.text == text and result.actors  # still coded, offsets into the whole text


def test_the_cap_cuts_after_punctuation_near_it_and_keeps_short_sentences_whole() -> None:
    from communique.nlp import MAX_SENTENCE_TOKENS, load_nlp, sentence_cap

    nlp = load_nlp()
    short = sentence_cap(nlp.make_doc("Rubio met Lavrov in Geneva. " * 40))
    assert [t.i for t in short if t.is_sent_start] == [0]  # full stops reset the count: nothing cut
    comma_at = MAX_SENTENCE_TOKENS - 10
    words = ["word"] * (2 * MAX_SENTENCE_TOKENS)
    words[comma_at] = ","
    capped = sentence_cap(nlp.make_doc(" ".join(words)))
    starts = [t.i for t in capped if t.is_sent_start]
    assert starts[:2] == [0, comma_at + 1]  # after the comma, not in the middle of the words
    assert all(b - a <= MAX_SENTENCE_TOKENS for a, b in zip(starts, [*starts[1:], len(capped)], strict=True))
