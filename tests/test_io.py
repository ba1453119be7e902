"""Tests for communique.io beyond the article readers (tests/test_readers.py): the format registry, and
result files, read and written in one place with one error policy."""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from communique.cli import cli
from communique.io import (
    DEFAULT_FORMATS,
    FORMATS,
    KNOWN_EXTENSIONS,
    ReadOptions,
    Splittable,
    format_of,
    open_result_file,
    read_inputs,
    read_results,
    register,
    write_result,
)
from communique.io import formats as registry
from communique.io.common import Item, Readable, read_document_bytes
from communique.models import ActorMention, Document, Problem, Result


def result(i: int) -> Result:
    text = f"Iran and Oman held talks, number {i}."
    return Result(
        id=f"r{i}",
        source=f"in.jsonl:{i}",
        date=date(2026, 1, 1 + i % 28) if i % 2 else None,
        text=text,
        actors=[ActorMention(text="Iran", start=0, end=4, country="IRN")],
    )


def lines(*results: Result) -> str:
    out = io.StringIO()
    for r in results:
        write_result(out, r)
    return out.getvalue()


# --- the registry ---------------------------------------------------------------------------------------


def test_every_registered_format_is_readable_by_its_extensions() -> None:
    for extension, fmt in FORMATS.items():
        assert extension in fmt.extensions and callable(fmt.read)
        assert format_of(f"a{extension.upper()}", FORMATS) == (fmt, False)
    assert {f.name for f in FORMATS.values() if isinstance(f, Splittable)} == {"jsonl", "csv", "parquet"}


def test_parquet_is_read_only_where_asked() -> None:
    assert ".parquet" in FORMATS and ".parquet" not in DEFAULT_FORMATS
    assert frozenset(DEFAULT_FORMATS) == KNOWN_EXTENSIONS
    assert format_of("a.parquet") == (None, False)
    assert format_of("a.parquet.gz", FORMATS) == (None, True)  # pyarrow cannot read through gzip
    assert format_of("a.jsonl.gz")[0] is FORMATS[".jsonl"]


@pytest.fixture
def restore_registry() -> Iterator[None]:
    saved = [dict(table) for table in (registry.FORMATS, registry.DEFAULT_FORMATS, registry._BY_NAME)]
    yield
    for table, copy in zip(
        (registry.FORMATS, registry.DEFAULT_FORMATS, registry._BY_NAME), saved, strict=True
    ):
        table.clear()
        table.update(copy)


class Shouting:
    """A toy format: the text upper-cased."""

    name = "shout"
    extensions = (".shout",)
    text = True
    line_based = False
    one_document = True

    def read(self, stream: Readable, source: str, options: ReadOptions) -> Iterator[Item]:
        data = read_document_bytes(stream, source, options)
        if isinstance(data, Problem):
            yield data
        else:
            yield Document(id="s", text=data.decode().upper(), source=source)


def test_a_new_format_is_one_class_and_one_registration(restore_registry: None, tmp_path: Path) -> None:
    (tmp_path / "a.shout").write_text("hello", encoding="utf-8")
    with gzip.open(tmp_path / "b.shout.gz", "wt") as handle:
        handle.write("there")
    register(Shouting())
    items = list(read_inputs([str(tmp_path)]))
    assert [(i.source, i.text) for i in items if isinstance(i, Document)] == [
        (str(tmp_path / "a.shout"), "HELLO"),
        (str(tmp_path / "b.shout.gz"), "THERE"),
    ]


# --- reading result files -------------------------------------------------------------------------------


def test_result_lines_bad_lines_are_problems_and_the_rest_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    good = lines(result(1), result(2)).splitlines()
    path.write_bytes(
        (good[0] + "\n\n   \nnot json\n[1]\n").encode()
        + b'{"id": "\xff", "source": "x"}\n'
        + (good[1] + "\n").encode()
    )
    items = list(read_results(str(path)))
    assert [type(i) for i in items] == [Result, Problem, Problem, Problem, Result]
    assert [i.source for i in items if isinstance(i, Problem)] == [f"{path}:{n}" for n in (4, 5, 6)]
    assert all(i.reason.startswith("not a result line (") for i in items if isinstance(i, Problem))
    assert items[-1] == result(2)


def test_result_files_that_cannot_be_read(tmp_path: Path) -> None:
    (missing,) = read_results(str(tmp_path / "missing.jsonl"))
    assert isinstance(missing, Problem) and missing.reason.startswith("cannot open: ")
    data = gzip.compress(lines(*(result(i) for i in range(50))).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = list(read_results(str(tmp_path / "cut.jsonl.gz")))
    assert isinstance(items[-1], Problem) and items[-1].reason.startswith("cannot read further")
    assert all(isinstance(i, Result) for i in items[:-1])
    (tmp_path / "fake.parquet").write_text("not parquet", encoding="utf-8")
    (fake,) = read_results(str(tmp_path / "fake.parquet"))
    assert isinstance(fake, Problem) and fake.reason.startswith("cannot read the Parquet file")


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_written_result_files_read_back(tmp_path: Path, fmt: str) -> None:
    written = [result(i) for i in range(300)]  # more than a Parquet row group
    sink = open_result_file(str(tmp_path / f"part.{fmt}"), fmt)
    for r in written:
        sink.write(r)
    sink.close()
    assert list(read_results(str(tmp_path / f"part.{fmt}"))) == written
    if fmt == "parquet":  # the metadata columns are text, the date as in JSON
        assert pq.read_table(tmp_path / "part.parquet").column("date").to_pylist()[:2] == [None, "2026-01-02"]


def test_results_parquet_with_result_columns(tmp_path: Path) -> None:
    written = [result(i) for i in range(3)]
    pq.write_table(pa.Table.from_pylist([r.model_dump(mode="json") for r in written]), tmp_path / "r.parquet")
    assert list(read_results(str(tmp_path / "r.parquet"))) == written


def test_a_dask_output_folder_is_read_in_partition_order(tmp_path: Path) -> None:
    for index in (10, 9):
        sink = open_result_file(str(tmp_path / f"part-{index:06d}.jsonl"), "jsonl")
        sink.write(result(index))
        sink.close()
    (tmp_path / ".part-000011.jsonl.1234.tmp").write_text(lines(result(11)), encoding="utf-8")
    (tmp_path / "_summary.json").write_text("{}", encoding="utf-8")
    assert [r.id for r in read_results(str(tmp_path))] == ["r9", "r10"]


def test_results_from_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines(result(1)) + "oops\n"))
    items = list(read_results("-"))
    assert items[0] == result(1) and isinstance(items[1], Problem) and items[1].source == "-:2"


def test_write_result_is_the_extract_line() -> None:
    assert lines(result(1)) == result(1).model_dump_json(exclude_none=False) + "\n"


# --- the commands that read result files ----------------------------------------------------------------


def test_show_and_unresolved_report_bad_lines_and_go_on(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("not json\n" + lines(result(1)), encoding="utf-8")
    shown = CliRunner().invoke(cli, ["show", str(path)])
    assert shown.exit_code == 1
    assert f"communique: skipped {path}:1: not a result line" in shown.stderr
    assert "r1" in shown.stdout
    counted = CliRunner().invoke(cli, ["actors", "unresolved", "--results", str(path)])
    assert counted.exit_code == 1 and f"skipped {path}:1" in counted.stderr
