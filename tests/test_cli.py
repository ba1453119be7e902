"""The command line, exercised as a user does: files in, JSON lines and exit codes out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.cli import cli
from conftest import REPO

ARTICLE = (
    "---\ntitle: Talks in Geneva\ndate: 2026-01-12\n---\n"
    "GENEVA, Jan 12 (Example Wire) - Russian Foreign Minister Sergei Lavrov met US Secretary of State "
    'Marco Rubio in Geneva on Monday. "We had a frank exchange," Lavrov said.\n'
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_help_reads_well(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "eval", "version", "actors"):
        assert command in result.output
    extract_help = runner.invoke(cli, ["extract", "--help"])
    assert "--jobs" in extract_help.output and "--errors" in extract_help.output


def test_version(runner):
    result = runner.invoke(cli, ["version"])
    assert result.exit_code == 0
    assert "communique" in result.output and "spaCy" in result.output


def test_extract_writes_one_line_per_document(runner, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["extract", str(tmp_path / "a.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = _lines(out.read_text(encoding="utf-8"))
    assert len(lines) == 1
    line = lines[0]
    for key in ("id", "source", "title", "date", "url", "actors", "events", "quotes", "errors"):
        assert key in line
    assert line["date"] == "2026-01-12" and line["title"] == "Talks in Geneva"
    assert "1 documents, 0 failed" in result.stderr


def test_bad_input_is_reported_and_skipped(runner, tmp_path):
    good = {
        "id": "ok-1",
        "text": "French President Emmanuel Macron visited Kyiv on Tuesday.",
        "date": "2026-02-03",
    }
    lines = [json.dumps(good), "{not json", json.dumps({"id": "empty", "text": "   "}), json.dumps([1, 2])]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = runner.invoke(
        cli,
        [
            "extract",
            str(tmp_path / "batch.jsonl"),
            str(tmp_path / "binary.txt"),
            "-o",
            str(out),
            "--errors",
            str(errors),
        ],
    )
    assert result.exit_code == 1
    assert [r["id"] for r in _lines(out.read_text())] == ["ok-1"]
    problems = _lines(errors.read_text())
    sources = [p["source"] for p in problems]
    assert any(s.endswith("batch.jsonl:2") for s in sources)
    assert any(s.endswith("binary.txt") for s in sources)
    assert len(problems) == 4
    assert "skipped" in result.stderr


def test_missing_file_is_a_reported_failure(runner, tmp_path):
    result = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr


def test_usage_errors_exit_2(runner):
    assert runner.invoke(cli, ["extract"]).exit_code == 2
    assert runner.invoke(cli, ["extract", "x.txt", "--date", "yesterday"]).exit_code == 2
    assert runner.invoke(cli, ["eval", "no-such-set"]).exit_code == 2
    assert runner.invoke(cli, ["extract", "x.txt", "--model", "no_such_model"]).exit_code != 0


def test_unknown_model_is_a_clear_error(runner, tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path / "a.txt"), "--model", "no_such_model"])
    assert result.exit_code != 0
    assert "not installed" in result.output + (result.stderr or "")
    assert "Traceback" not in result.output


def test_date_option_fills_unknown_dates(runner, tmp_path):
    (tmp_path / "a.txt").write_text("Iran and Oman held talks in Muscat.", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path / "a.txt"), "--date", "2026-03-01", "-q"])
    assert _lines(result.stdout)[0]["date"] == "2026-03-01"
    result = runner.invoke(cli, ["extract", str(tmp_path / "a.txt"), "-q"])
    assert _lines(result.stdout)[0]["date"] is None  # never silently today


def test_stdin_and_show(runner, tmp_path):
    doc = json.dumps({"id": "s1", "text": "Japanese Prime Minister Sanae Takaichi visited Seoul."})
    result = runner.invoke(cli, ["extract", "-", "-q"], input=doc + "\n")
    assert result.exit_code == 0
    (tmp_path / "r.jsonl").write_text(result.stdout)
    shown = runner.invoke(cli, ["show", str(tmp_path / "r.jsonl")])
    assert shown.exit_code == 0 and "s1" in shown.output


def test_actors_resolve_text_and_batch(runner, tmp_path):
    result = runner.invoke(cli, ["actors", "resolve", "Chinese President Xi Jinping"])
    assert result.exit_code == 0
    answer = json.loads(result.output)
    assert answer["country"] == "CHN" and answer["sectors"][0] == "GOV"
    batch = tmp_path / "a.jsonl"
    batch.write_text(
        json.dumps({"actor": "the Kremlin"})
        + "\n"
        + "not json\n"
        + json.dumps({"actor": "Somali troops", "context": "", "date": ""})
        + "\n"
    )
    result = runner.invoke(cli, ["actors", "resolve", "--jsonl", str(batch)])
    out = _lines(result.stdout)
    assert [o["country"] for o in out] == ["RUS", "SOM"]
    assert result.exit_code == 1 and "line 2" in result.stderr


@pytest.mark.parametrize("text", ["", " ", "x" * 5000, "\u200b\u202e\ufeff", "🙂🙂", "\x00"])
def test_actors_resolve_odd_input_never_tracebacks(runner, text):
    result = runner.invoke(cli, ["actors", "resolve", text])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 0:
        json.loads(result.output)


def test_real_entry_point_runs(tmp_path):
    """The installed console script, as a user runs it."""
    exe = Path(sys.executable).parent / "communique"
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    proc = subprocess.run(
        [str(exe), "extract", str(tmp_path / "a.txt"), "-q"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["title"] == "Talks in Geneva"
