"""Progress on the long jobs: a bar with the total and the time left on a terminal, nothing
when stderr is not one (a pipe, a log)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from communique.cli.progress import count_documents
from conftest import EXAMPLES
from test_store import corpus


def test_the_total_is_counted_before_the_job(tmp_path):
    (tmp_path / "a.txt").write_text("One article.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n{"text": "z"}', encoding="utf-8")
    (tmp_path / "c.csv").write_text("id,text\n1,a\n2,b\n", encoding="utf-8")
    assert count_documents([str(tmp_path)]) == 1 + 3 + 2
    assert count_documents([str(EXAMPLES / "articles")]) == len(list((EXAMPLES / "articles").glob("*.txt")))
    (tmp_path / "d.json").write_text('[{"text": "x"}]', encoding="utf-8")
    assert count_documents([str(tmp_path)]) is None  # a JSON list: counted only by reading it
    assert count_documents(["-"]) is None


def ingest(tmp_path: Path, *, terminal: bool) -> str:
    """stderr of `communique ingest` on six results, through a pseudo-terminal or a pipe."""
    lines = tmp_path / "out.jsonl"
    lines.write_text("".join(r.model_dump_json() + "\n" for r in corpus()), encoding="utf-8")
    return run(["ingest", str(lines), "--db", str(tmp_path / "s.duckdb")], terminal=terminal)


def run(args: list[str], *, terminal: bool) -> str:
    """stderr of a communique command, through a pseudo-terminal or a pipe."""
    command = [str(Path(sys.executable).parent / "communique"), *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stderr
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=120) == 0
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_ingest_shows_progress_with_total_on_a_terminal_only(tmp_path):
    shown = ingest(tmp_path / "tty", terminal=True) if (tmp_path / "tty").mkdir() is None else ""
    assert "6/6" in shown and "doc" in shown  # done of total, with tqdm's rate and time left
    piped = ingest(tmp_path / "pipe", terminal=False) if (tmp_path / "pipe").mkdir() is None else ""
    assert "6 documents stored" in piped and "6/6" not in piped and "\r" not in piped


def test_export_shows_progress_with_total_on_a_terminal_only(tmp_path):
    ingest(tmp_path, terminal=False)
    store = str(tmp_path / "s.duckdb")
    shown = run(["export", "--db", store, "--format", "csv", "-o", str(tmp_path / "a.csv")], terminal=True)
    rows = len((tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert rows > 0 and f"{rows}/{rows}" in shown and "event" in shown, shown
    piped = run(["export", "--db", store, "--format", "csv", "-o", str(tmp_path / "b.csv")], terminal=False)
    assert f"{rows} records written" in piped and "\r" not in piped
