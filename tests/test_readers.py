"""Tests for communique.io: formats, ids and sources, dates, bad input and bounded memory."""

from __future__ import annotations

import builtins
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from communique.io import KNOWN_EXTENSIONS, ReadOptions, normalise_date, read_inputs
from communique.models import Document, Problem

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
TODAY = date.today()


def read(*inputs: str | Path, **options: object) -> list[Document | Problem]:
    return list(read_inputs([str(path) for path in inputs], ReadOptions(**options)))  # type: ignore[arg-type]


def only_document(*inputs: str | Path, **options: object) -> Document:
    items = read(*inputs, **options)
    assert len(items) == 1, items
    assert isinstance(items[0], Document), items[0]
    return items[0]


def only_problem(*inputs: str | Path, **options: object) -> Problem:
    items = read(*inputs, **options)
    assert len(items) == 1, items
    assert isinstance(items[0], Problem), items[0]
    assert items[0].stage == "read"
    return items[0]


def documents(items: list[Document | Problem]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def problems(items: list[Document | Problem]) -> list[Problem]:
    return [item for item in items if isinstance(item, Problem)]


def sha1_id(text: str) -> str:
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def gzipped(source: Path, target: Path) -> Path:
    with source.open("rb") as raw, gzip.open(target, "wb") as packed:
        shutil.copyfileobj(raw, packed)
    return target


# --- plain text -----------------------------------------------------------------------------------------


def test_plain_text_gets_a_content_id_and_verbatim_text() -> None:
    path = FIXTURES / "plain.txt"
    doc = only_document(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.id == sha1_id(doc.text)
    assert doc.source == str(path)
    assert (doc.title, doc.date, doc.url, doc.meta) == (None, None, None, {})


def test_front_matter_gives_metadata_and_is_removed() -> None:
    doc = only_document(FIXTURES / "front_matter.txt")
    assert doc.id == "ft-001"
    assert doc.title == "UN envoy visits Kabul"
    assert doc.date == date(2026, 2, 3)
    assert doc.url == "https://news.example.org/un-envoy-kabul"
    assert doc.meta == {"section": "world"}
    assert (
        doc.text == "The United Nations envoy arrived in Kabul on Monday for talks with Taliban officials.\n"
    )


def test_unclosed_front_matter_is_ordinary_text(tmp_path: Path) -> None:
    text = "---\ntitle: Not front matter\nThe text goes on without a closing line.\n"
    doc = only_document(write(tmp_path / "a.txt", text))
    assert doc.text == text
    assert doc.title is None


def test_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    doc = only_document(write(tmp_path / "bom.txt", b"\xef\xbb\xbf---\ntitle: T\n---\nBody text."))
    assert doc.text == "Body text."
    assert doc.title == "T"


def test_other_encoding_is_configurable(tmp_path: Path) -> None:
    path = write(tmp_path / "latin.txt", "Ministre des Affaires étrangères.".encode("latin-1"))
    assert only_document(path, encoding="latin-1").text == "Ministre des Affaires étrangères."


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read_with_or_without_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    text = "---\ntitle: T\n---\nLe ministre a rencontré son homologue à Genève."
    doc = only_document(write(tmp_path / "a.txt", text.encode(codec)))
    assert (doc.text, doc.title) == ("Le ministre a rencontré son homologue à Genève.", "T")
    lines = "".join(json.dumps({"id": f"r{i}", "text": f"Talks in round {i}."}) + "\n" for i in (1, 2))
    path = write(tmp_path / "b.jsonl", lines.encode(codec))
    items = read(path)
    assert [(d.id, d.text, d.source) for d in documents(items)] == [
        ("r1", "Talks in round 1.", f"{path}:1"),
        ("r2", "Talks in round 2.", f"{path}:2"),
    ]
    gz = write(tmp_path / "c.jsonl.gz", gzip.compress(lines.encode(codec)))
    assert [d.id for d in documents(read(gz))] == ["r1", "r2"]
    # Not cut into spans at newline bytes (Dask): read whole, as read_file reads it.
    from communique.io.inputs import split_file

    assert split_file(str(path), str(path), ReadOptions(), 2, path.stat().st_size) is None


def test_utf16_cut_in_the_middle_of_a_character_keeps_what_came_before(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"r{i}", "text": f"Talks in round {i}."}) + "\n" for i in (1, 2))
    items = read(write(tmp_path / "a.jsonl", lines.encode("utf-16-le") + b"{"))
    assert [d.id for d in documents(items)] == ["r1", "r2"]
    assert isinstance(items[-1], Problem) and "not valid UTF-16-LE text" in items[-1].reason


def test_binary_with_nul_bytes_is_not_taken_for_utf16(tmp_path: Path) -> None:
    from communique.io.inputs import utf16_codec

    assert utf16_codec("Plain text".encode("utf-16-le")) == "utf-16-le"
    assert utf16_codec("Plain text".encode("utf-16-be")) == "utf-16-be"
    assert utf16_codec(b"\x00" * 64) is None  # NUL in every byte: no text
    assert utf16_codec(bytes(range(256))) is None
    assert utf16_codec("Текст по-русски".encode("utf-16-le")) is None  # no NUL byte: read as UTF-8
    problem = only_problem(write(tmp_path / "a.txt", b"text with a NUL \x00 byte" * 4))
    assert problem.reason == "binary content, not text"


def test_unknown_extension_read_as_text_if_it_is_text(tmp_path: Path) -> None:
    doc = only_document(write(tmp_path / "wire.story", "Ships collided off Singapore."))
    assert doc.text == "Ships collided off Singapore."


def test_unknown_extension_with_binary_content_is_a_problem(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20))
    assert "binary" in problem.reason


def test_unknown_extension_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path / "notes.dat", "Zürich talks".encode("latin-1")))
    assert "unknown file type" in problem.reason
    assert "byte offset 1" in problem.reason


# --- HTML -----------------------------------------------------------------------------------------------


def test_html_main_text_and_metadata() -> None:
    doc = only_document(FIXTURES / "article.html")
    assert doc.title == "Germany and France agree on Ukraine aid"
    assert doc.date == date(2026, 2, 3)
    assert doc.url == "https://news.example.org/world/germany-france-ukraine-aid"
    assert "Emmanuel Macron in Paris" in doc.text
    assert "Sport" not in doc.text  # navigation is boilerplate
    assert doc.id == sha1_id(doc.text)
    assert doc.meta.get("author") == "Jane Reporter"


def test_html_without_a_date_never_gets_today_or_a_guess() -> None:
    # The page has a copyright year and "a few hours ago": neither is a publication date.
    doc = only_document(FIXTURES / "undated.html")
    assert "Negotiators from both sides" in doc.text
    assert doc.date is None
    assert doc.date != TODAY


def test_html_without_a_date_uses_the_fallback_date() -> None:
    assert only_document(FIXTURES / "undated.html", date="2025-12-31").date == date(2025, 12, 31)


def test_html_date_from_markup_wins_over_fallback() -> None:
    assert only_document(FIXTURES / "article.html", date="2025-12-31").date == date(2026, 2, 3)


def test_html_without_main_text_is_a_problem() -> None:
    problem = only_problem(FIXTURES / "boilerplate.html")
    assert problem.reason == "no main text could be extracted from the HTML"


def test_html_fragment_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "frag.html", "<p>Chad closed its border with Sudan on Sunday.</p>")
    assert only_document(path).text == "Chad closed its border with Sudan on Sunday."


def test_html_declared_charset_is_honoured(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"></head><body><article><p>Le ministre a parlé à Zürich '
        "lundi matin avec ses homologues européens.</p></article></body></html>"
    )
    doc = only_document(write(tmp_path / "latin.html", page.encode("latin-1")))
    assert "parlé à Zürich" in doc.text


def test_htm_extension_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "PAGE.HTM"
    shutil.copy(FIXTURES / "article.html", path)
    assert only_document(path).date == date(2026, 2, 3)


# --- JSON lines -----------------------------------------------------------------------------------------


def test_jsonl_records_ids_sources_dates_and_meta() -> None:
    path = FIXTURES / "articles.jsonl"
    items = read(path)
    assert all(isinstance(item, Document) for item in items)
    first, second, third = documents(items)
    assert first.id == "a1"
    assert first.source == f"{path}:1"
    assert first.title == "Talks in Doha"
    assert first.date == date(2026, 2, 3)
    assert first.url == "https://news.example.org/a1"
    assert first.meta == {"lang": "en", "tags": ["mideast", "diplomacy"]}
    # line 2 is blank: skipped, and the line numbers stay physical
    assert second.source == f"{path}:3"
    assert second.id == "42"  # stringified
    assert second.date == date(2026, 2, 3)
    assert third.id == sha1_id(third.text)
    assert third.date is None
    assert third.meta == {"date": "sometime last week"}  # an unparsed date is kept, verbatim


def test_ndjson_extension(tmp_path: Path) -> None:
    doc = only_document(write(tmp_path / "a.ndjson", '{"text": "One."}\n'))
    assert doc.source == f"{tmp_path / 'a.ndjson'}:1"


def test_jsonl_malformed_line_reports_line_and_json_error(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"text": "Good."}\n{"text": "Bad" "x": 1}\n{"text": "Also good."}\n')
    items = read(path)
    assert [type(item) for item in items] == [Document, Problem, Document]
    problem = items[1]
    assert problem.source == f"{path}:2"
    assert problem.reason == "line 2: not valid JSON (Expecting ',' delimiter at column 16)"


def test_jsonl_line_that_is_not_an_object(tmp_path: Path) -> None:
    items = read(write(tmp_path / "a.jsonl", '["a list"]\n"a string"\n'))
    assert [item.reason for item in problems(items)] == [
        "line 1: expected a JSON object, found a list",
        "line 2: expected a JSON object, found a string",
    ]


def test_record_without_text_field_names_the_expected_field(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path / "a.jsonl", '{"body": "Text here.", "id": "x"}\n'))
    assert problem.reason == "line 1: no 'text' field with the article text (fields: 'body', 'id')"


def test_record_with_empty_or_non_string_text(tmp_path: Path) -> None:
    items = read(write(tmp_path / "a.jsonl", '{"text": "   \\n "}\n{"text": 5}\n{"text": null}\n'))
    assert [item.reason for item in problems(items)] == [
        "line 1: the 'text' field is empty",
        "line 2: the 'text' field is a number, not a string",
        "line 3: the 'text' field is null, not a string",
    ]


def test_empty_id_falls_back_to_content_hash(tmp_path: Path) -> None:
    doc = only_document(write(tmp_path / "a.jsonl", '{"id": "  ", "text": "Body."}\n'))
    assert doc.id == sha1_id("Body.")


def test_jsonl_invalid_utf8_line_is_reported_with_byte_offset(tmp_path: Path) -> None:
    content = b'{"text": "First."}\n{"text": "Caf\xe9"}\n{"text": "Third."}\n'
    items = read(write(tmp_path / "a.jsonl", content))
    assert [type(item) for item in items] == [Document, Problem, Document]
    offset = content.index(b"\xe9")
    assert items[1].reason == f"line 2: not valid utf-8 text: cannot decode byte 0xe9 at byte offset {offset}"


def test_jsonl_oversized_line_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    big = json.dumps({"text": "x" * 5000})
    path = write(tmp_path / "a.jsonl", f'{{"text": "Small."}}\n{big}\n{{"text": "After."}}\n')
    items = read(path, max_bytes=1000)
    assert [type(item) for item in items] == [Document, Problem, Document]
    assert items[1].source == f"{path}:2"
    assert "larger than the 1,000 byte limit" in items[1].reason
    assert items[2].text == "After."


def test_jsonl_with_only_blank_lines(tmp_path: Path) -> None:
    assert "no records" in only_problem(write(tmp_path / "a.jsonl", "\n  \n\n")).reason


def test_configurable_record_field_names(tmp_path: Path) -> None:
    record = {"doc": 7, "body": "Text.", "headline": "H", "published": "2026-02-01", "link": "u", "text": "t"}
    path = write(tmp_path / "a.jsonl", json.dumps(record) + "\n")
    options = {"id_field": "doc", "text_field": "body", "title_field": "headline"}
    doc = only_document(path, **options, date_field="published", url_field="link")
    assert (doc.id, doc.text, doc.title, doc.date, doc.url) == ("7", "Text.", "H", date(2026, 2, 1), "u")
    assert doc.meta == {"text": "t"}


# --- JSON -----------------------------------------------------------------------------------------------


def test_json_list_sources_are_zero_based_indexes() -> None:
    path = FIXTURES / "articles.json"
    first, second = read(path)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert (first.id, first.source, first.date, first.meta) == (
        "j1",
        f"{path}:0",
        date(2026, 1, 30),
        {"outlet": "Wire"},
    )
    assert (second.id, second.source) == ("j2", f"{path}:1")


def test_json_single_object(tmp_path: Path) -> None:
    path = write(tmp_path / "one.json", '{"id": "o1", "text": "One object."}')
    doc = only_document(path)
    assert (doc.id, doc.source, doc.text) == ("o1", str(path), "One object.")


def test_json_list_item_that_is_not_an_object_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", '[{"text": "A."}, 3, {"text": "B."}]')
    items = read(path)
    assert [type(item) for item in items] == [Document, Problem, Document]
    assert items[1].source == f"{path}:1"
    assert items[1].reason == "item 1: expected a JSON object, found a number"


def test_json_syntax_error_stops_the_file_keeping_earlier_items(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", '[\n{"text": "A."},\n{"text": "B." "id": 1}\n]')
    items = read(path)
    assert [type(item) for item in items] == [Document, Problem]
    assert items[1].reason == "item 1: not valid JSON (Expecting ',' delimiter at line 3); stopped reading"


def test_json_truncated_list(tmp_path: Path) -> None:
    items = read(write(tmp_path / "a.json", '[{"text": "A."}, '))
    assert [type(item) for item in items] == [Document, Problem]
    assert "no closing ']'" in items[1].reason


def test_json_empty_list_and_scalar_top_level(tmp_path: Path) -> None:
    assert only_problem(write(tmp_path / "a.json", " [ ] ")).reason == "the JSON list is empty"
    problem = only_problem(write(tmp_path / "b.json", '"just a string"'))
    assert problem.reason == "expected a JSON list of objects or one object, found '\"'"


def test_json_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    content = b'[{"text": "A."}, {"text": "\xff"}]'
    items = read(write(tmp_path / "a.json", content))
    assert isinstance(items[-1], Problem)
    offset = content.index(b"\xff")
    assert f"cannot decode byte 0xff at byte offset {offset}" in items[-1].reason


def test_json_list_streams_across_read_boundaries(tmp_path: Path) -> None:
    # Many items, multi-byte characters and numbers, so items and characters straddle the 64 KiB reads.
    records = [
        {"id": i, "text": f"Événement numéro {i} à Genève. " * (i % 7 + 1), "n": i * 1.5} for i in range(3000)
    ]
    path = write(tmp_path / "big.json", json.dumps(records, ensure_ascii=False, indent=1))
    items = read(path)
    assert all(isinstance(item, Document) for item in items)
    assert [doc.text for doc in documents(items)] == [record["text"] for record in records]
    assert documents(items)[-1].meta == {"n": 2999 * 1.5}


def test_json_item_larger_than_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps([{"text": "ok"}, {"text": "y" * 300_000}]))
    items = read(path, max_bytes=100_000)
    assert [type(item) for item in items] == [Document, Problem]
    assert "larger than the 100,000 byte limit" in items[1].reason


# --- CSV ------------------------------------------------------------------------------------------------


def test_csv_rows_sources_are_physical_line_numbers() -> None:
    path = FIXTURES / "articles.csv"
    first, second, third = read(path)
    assert isinstance(first, Document) and isinstance(second, Document) and isinstance(third, Document)
    assert (first.id, first.source, first.title, first.date) == (
        "c1",
        f"{path}:2",
        "Strike in Lagos",
        date(2026, 2, 1),
    )
    assert first.url == "https://news.example.org/c1"
    assert first.meta == {"section": "business"}
    assert second.source == f"{path}:3"
    assert second.text == "Leaders met in Addis Ababa.\nThe African Union hosted the summit."
    assert second.date == date(2026, 2, 3)
    assert second.url is None  # an empty cell is no value
    assert third.source == f"{path}:5"  # the quoted field above spans two lines
    assert (third.id, third.title, third.date) == ("c3", None, None)


def test_csv_configurable_field_names() -> None:
    options = {"id_field": "doc_id", "text_field": "body", "title_field": "headline"}
    doc = only_document(FIXTURES / "custom_fields.csv", **options, date_field="published", url_field="link")
    assert (doc.id, doc.title, doc.date, doc.url) == ("x1", "Rubio in Panama", date(2026, 2, 2), doc.url)
    assert doc.url == "https://news.example.org/x1"
    assert doc.text == "US Secretary of State Marco Rubio visited Panama."
    assert doc.meta == {}


def test_csv_without_the_text_column() -> None:
    problem = only_problem(FIXTURES / "custom_fields.csv")
    assert problem.reason.startswith("no 'text' column with the article text in the header")


def test_csv_row_with_wrong_number_of_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "id,text\n1,Fine.\n2,Too,many\n3\n4,Fine too.\n")
    items = read(path)
    assert [type(item) for item in items] == [Document, Problem, Problem, Document]
    assert items[1].source == f"{path}:3"
    assert items[1].reason == "line 3: expected 2 fields as in the header, found 3"
    assert items[2].reason == "line 4: expected 2 fields as in the header, found 1"


def test_csv_field_longer_than_the_csv_module_default(tmp_path: Path) -> None:
    text = "Long article. " * 20_000  # 280 kB, over csv's default 128 KiB field limit
    doc = only_document(write(tmp_path / "a.csv", f'id,text\n1,"{text}"\n'))
    assert doc.text == text


def test_csv_row_larger_than_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", f"id,text\n1,Small.\n2,{'z' * 5000}\n")
    items = read(path, max_bytes=1000)
    assert [type(item) for item in items] == [Document, Problem]
    assert items[1].source == f"{path}:3"
    assert "larger than the 1,000 byte limit" in items[1].reason


def test_csv_invalid_utf8_row_is_skipped(tmp_path: Path) -> None:
    content = b"id,text\n1,Good.\n2,Caf\xe9 bad.\n3,Good again.\n"
    path = write(tmp_path / "a.csv", content)
    items = read(path)
    assert [type(item) for item in items] == [Document, Problem, Document]
    assert items[1].source == f"{path}:3"
    offset = content.index(b"\xe9")
    assert f"byte offset {offset}" in items[1].reason


def test_csv_header_only(tmp_path: Path) -> None:
    assert only_problem(write(tmp_path / "a.csv", "id,text\n")).reason == "no data rows after the header"


# --- gzip -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "count"),
    [("plain.txt", 1), ("article.html", 1), ("articles.jsonl", 3), ("articles.json", 2), ("articles.csv", 3)],
)
def test_gzip_of_each_format(tmp_path: Path, fixture: str, count: int) -> None:
    packed = gzipped(FIXTURES / fixture, tmp_path / (fixture + ".gz"))
    plain = read(FIXTURES / fixture)
    items = read(packed)
    assert len(items) == count
    assert all(isinstance(item, Document) for item in items)
    assert [doc.text for doc in documents(items)] == [doc.text for doc in documents(plain)]
    assert items[0].source.startswith(str(packed))


def test_gzip_extension_is_case_insensitive(tmp_path: Path) -> None:
    packed = gzipped(FIXTURES / "articles.jsonl", tmp_path / "A.JSONL.GZ")
    assert len(documents(read(packed))) == 3


def test_truncated_gzip_keeps_what_was_read_and_reports(tmp_path: Path) -> None:
    lines = "".join(
        json.dumps({"id": i, "text": f"Article {i}: " + os.urandom(200).hex()}) + "\n" for i in range(2000)
    )
    packed = tmp_path / "a.jsonl.gz"
    packed.write_bytes(gzip.compress(lines.encode()))
    data = packed.read_bytes()
    packed.write_bytes(data[: len(data) // 2])
    items = read(packed)
    assert isinstance(items[-1], Problem)
    assert "truncated or corrupt" in items[-1].reason
    read_back = documents(items)
    assert 100 < len(read_back) < 2000
    assert [doc.id for doc in read_back] == [str(i) for i in range(len(read_back))]


def test_gzip_with_unknown_inner_extension(tmp_path: Path) -> None:
    assert only_document(write(tmp_path / "wire.gz", gzip.compress(b"Plain text."))).text == "Plain text."
    tar = write(tmp_path / "bundle.tar.gz", gzip.compress(b"a.txt\x00\x00\x00\x00" + bytes(500)))
    assert only_problem(tar).reason == "binary content, not text"


def test_corrupt_gzip_is_a_problem(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path / "a.txt.gz", b"this is not gzip data at all"))
    assert "truncated or corrupt" in problem.reason


# --- directories ----------------------------------------------------------------------------------------


def test_directory_recursion_is_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", "Second.")
    write(root / "a.txt", "First.")
    write(root / "sub" / "c.jsonl", '{"text": "Third."}\n')
    write(root / "sub" / "deeper" / "d.csv.gz", gzip.compress(b"text\nFourth.\n"))
    write(root / "z.txt", "Fifth.")
    write(root / ".hidden.txt", "Hidden.")
    write(root / ".git" / "e.txt", "Hidden dir.")
    write(root / "notes.md", "Unknown extension.")
    write(root / "image.bin", b"\x00\x01")
    items = read(root)
    assert [item.text for item in documents(items)] == ["First.", "Second.", "Third.", "Fourth.", "Fifth."]
    assert not problems(items)
    assert [item.source for item in items] == [
        str(root / "a.txt"),
        str(root / "b.txt"),
        f"{root / 'sub' / 'c.jsonl'}:1",
        f"{root / 'sub' / 'deeper' / 'd.csv.gz'}:2",
        str(root / "z.txt"),
    ]


def test_directory_with_nothing_readable(tmp_path: Path) -> None:
    write(tmp_path / "d" / "notes.md", "No known extension.")
    write(tmp_path / "d" / ".hidden.txt", "Hidden.")
    problem = only_problem(tmp_path / "d")
    assert problem.source == str(tmp_path / "d")
    assert problem.reason.startswith("the directory has no readable files")


def test_known_extensions() -> None:
    assert {".txt", ".html", ".htm", ".jsonl", ".ndjson", ".json", ".csv"} == KNOWN_EXTENSIONS


# --- standard input -------------------------------------------------------------------------------------


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.StringIO('\n  {"id": "s1", "text": "One."}\n{"text": "Two."}\nnot json\n')
    )
    items = read("-")
    assert [type(item) for item in items] == [Document, Document, Problem]
    assert [item.source for item in items] == ["-:2", "-:3", "-:4"]
    assert items[0].id == "s1"


def test_stdin_plain_text_is_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\nThe parliament of Ghana passed the bill.\n{not json}\nSecond paragraph.\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    doc = only_document("-", date="2026-01-05")
    assert (doc.text, doc.source, doc.date) == (text, "-", date(2026, 1, 5))


def test_stdin_binary_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b'\xef\xbb\xbf{"text": "Caf\xc3\xa9."}\n'), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert only_document("-").text == "Café."


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("  \n\n"))
    assert only_problem("-").reason == "standard input is empty"


# --- bad input ------------------------------------------------------------------------------------------


def test_file_not_found_and_reading_goes_on(tmp_path: Path) -> None:
    items = read(tmp_path / "missing.txt", FIXTURES / "plain.txt")
    assert isinstance(items[0], Problem)
    assert (items[0].source, items[0].reason) == (str(tmp_path / "missing.txt"), "file not found")
    assert isinstance(items[1], Document)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt", "Classified.")
    path.chmod(0)
    if os.access(path, os.R_OK):  # running as root: permissions are not enforced, so simulate
        real_open = builtins.open

        def guarded_open(file: object, *args: object, **kwargs: object) -> object:
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(builtins, "open", guarded_open)
    try:
        assert only_problem(path).reason == "permission denied"
    finally:
        path.chmod(0o644)


def test_empty_file(tmp_path: Path) -> None:
    for name in ("a.txt", "a.jsonl", "a.json", "a.csv", "a.html"):
        assert only_problem(write(tmp_path / name, b"")).reason == "the file is empty"


def test_whitespace_only_text(tmp_path: Path) -> None:
    assert only_problem(write(tmp_path / "a.txt", " \n\t\n")).reason == "the text is empty"
    assert only_problem(write(tmp_path / "b.txt", "---\ntitle: T\n---\n\n")).reason == "the text is empty"


@pytest.mark.parametrize("content", [b"text with a NUL \x00 byte", bytes(range(1, 32)) * 10 + b"some text"])
def test_binary_content(tmp_path: Path, content: bytes) -> None:
    assert only_problem(write(tmp_path / "a.txt", content)).reason == "binary content, not text"
    # Line-based formats check line by line, so that one binary record costs no other.
    jsonl = read(write(tmp_path / "a.jsonl", content))
    assert jsonl and all(isinstance(p, Problem) and "binary content, not text" in p.reason for p in jsonl)
    assert (
        only_problem(write(tmp_path / "a.csv", content)).reason
        == "line 1: binary content, not text; row skipped"
    )


def test_a_binary_csv_row_costs_that_row_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", b"id,text\n1,Good one.\n2,Bad \x00 row.\n3,Good two.\n")
    items = read(path)
    assert [item.id for item in documents(items)] == ["1", "3"]
    assert [(p.source, p.reason) for p in items if isinstance(p, Problem)] == [
        (f"{path}:3", "line 3: binary content, not text; row skipped")
    ]


def test_invalid_utf8_text_names_the_byte_offset(tmp_path: Path) -> None:
    content = "Déclaration du ministre: ".encode() + b"\x92quote\x92"
    problem = only_problem(write(tmp_path / "a.txt", content))
    assert (
        problem.reason == f"not valid utf-8 text: cannot decode byte 0x92 at byte offset {len(content) - 7}"
    )


def test_document_larger_than_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "w" * 2001)
    assert (
        only_problem(path, max_bytes=2000).reason
        == "the document is larger than the 2,000 byte limit (max_bytes)"
    )
    assert only_document(path, max_bytes=2001).text == "w" * 2001


def test_row_formats_need_an_ascii_compatible_encoding(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"text": "x"}\n'.encode("utf-16"))
    assert "not ASCII-compatible" in only_problem(path, encoding="utf-16").reason


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="not a date"):
        ReadOptions(date="yesterday")
    with pytest.raises(ValueError, match="unknown encoding"):
        ReadOptions(encoding="no-such-codec")
    with pytest.raises(ValueError, match="max_bytes"):
        ReadOptions(max_bytes=0)


# --- dates ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-02-03T08:15:00Z", date(2026, 2, 3)),
        ("2026-02-03T23:30:00-05:00", date(2026, 2, 3)),  # the date as printed, not shifted to UTC
        ("2026-02-03", date(2026, 2, 3)),
        ("2026-02-03 08:15 UTC", date(2026, 2, 3)),
        ("3 February 2026", date(2026, 2, 3)),
        ("Feb 3, 2026", date(2026, 2, 3)),
        ("February 3, 2026", date(2026, 2, 3)),
        ("Feb. 3rd, 2026", date(2026, 2, 3)),
        ("Tuesday, 3 February 2026", date(2026, 2, 3)),
        ("Tue, 03 Feb 2026 08:15:00 GMT", date(2026, 2, 3)),
        ("2026/02/03", date(2026, 2, 3)),
        (" 2026-02-03 ", date(2026, 2, 3)),
        ("2026-02-30", None),
        ("2026", None),
        ("today", None),
        ("", None),
        (None, None),
        (20260203, None),
    ],
)
def test_normalise_date(raw: object, expected: date | None) -> None:
    assert normalise_date(raw) == expected


def test_dates_are_parsed_once_and_written_as_iso_text() -> None:
    assert ReadOptions(date="3 February 2026").date == date(2026, 2, 3)
    doc = Document(id="a", text="t", source="s", date="2026-02-10")  # the Python API takes ISO text too
    assert doc.date == date(2026, 2, 10)
    assert json.loads(doc.model_dump_json())["date"] == "2026-02-10"


def test_fallback_date_only_when_the_input_gives_none(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.jsonl",
        '{"text": "A.", "date": "2026-01-01"}\n{"text": "B."}\n{"text": "C.", "date": "soon"}\n',
    )
    assert [doc.date for doc in documents(read(path, date="3 February 2026"))] == [
        date(2026, 1, 1),
        date(2026, 2, 3),
        date(2026, 2, 3),
    ]


def test_no_document_ever_gets_todays_date_by_default(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Undated text.")
    write(tmp_path / "b.jsonl", '{"text": "Undated record."}\n')
    shutil.copy(FIXTURES / "undated.html", tmp_path / "c.html")
    items = read(tmp_path)
    assert len(documents(items)) == 3
    assert all(doc.date is None for doc in documents(items))


# --- bounded memory -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    line = json.dumps({"text": "Officials met in Vienna to discuss the nuclear programme. " * 80}) + "\n"
    with path.open("w", encoding="utf-8") as out:
        for i in range(50_000_000 // len(line) + 1):
            out.write(f'{{"id": "{i}", ' + line[1:])
    assert path.stat().st_size > 50_000_000
    return path


def test_large_jsonl_is_read_lazily(big_jsonl: Path) -> None:
    tracemalloc.start()
    try:
        items = read_inputs([str(big_jsonl)])
        first = next(items)
        _, peak = tracemalloc.get_traced_memory()
        items.close()
    finally:
        tracemalloc.stop()
    assert isinstance(first, Document) and first.id == "0"
    assert peak < 2_000_000


def test_large_jsonl_streams_in_bounded_memory(big_jsonl: Path) -> None:
    count = 0
    tracemalloc.start()
    try:
        for item in read_inputs([str(big_jsonl)]):
            assert isinstance(item, Document)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count > 10_000
    assert peak < 20_000_000


def test_large_json_list_is_read_lazily(tmp_path: Path) -> None:
    item = json.dumps({"text": "Delegates gathered in Brussels for the summit. " * 100})
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as out:
        out.write("[" + ",\n".join([item] * 6000) + "]")  # about 28 MB
    tracemalloc.start()
    try:
        items = read_inputs([str(path)])
        first = next(items)
        _, peak = tracemalloc.get_traced_memory()
        items.close()
    finally:
        tracemalloc.stop()
    assert isinstance(first, Document) and first.source == f"{path}:0"
    assert peak < 2_000_000
