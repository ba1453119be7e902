"""The README's store walk-through, run as a user runs it: every command succeeds and gives
what the README promises (rows, a chart, an export), not an empty answer."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from communique.cli import cli
from conftest import REPO, SEED, need_shared


def walkthrough() -> list[list[str]]:
    """The commands of the README's 'The store: ingest, ask, export' block."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"### The store: ingest, ask, export\s+```sh\n(.*?)```", text, re.S)
    assert block, "the README's store walk-through is gone"
    commands = [shlex.split(line, comments=True) for line in block[1].splitlines() if line.strip()]
    assert all(c[0] == "communique" for c in commands)
    return [c[1:] for c in commands]


def test_the_readme_store_walkthrough_produces_what_it_shows(tmp_path, monkeypatch):
    need_shared(SEED)
    monkeypatch.chdir(tmp_path)  # the store, the chart and the export land here
    inputs = {"examples/": str(REPO / "examples"), "../shared/seed/article.txt": str(SEED)}
    runner = CliRunner()
    outputs: dict[str, str] = {}
    for args in walkthrough():
        args = [inputs.get(a, a) for a in args]
        if args[0] not in ("ingest", "plot", "export"):
            args += ["--format", "jsonl"]
        res = runner.invoke(cli, args)
        assert res.exit_code == 0, f"{shlex.join(args)}: {res.output}"
        assert "undated" not in res.stderr, res.stderr  # nothing left out of the timeline
        outputs[" ".join(args[:2])] = res.stdout
    for name in ("query events", "dyads --db", "actors top", "quotes --db", "timeline --db"):
        (key,) = [k for k in outputs if k.startswith(name)]
        rows = [json.loads(line) for line in outputs[key].splitlines()]
        assert rows, f"{name} printed nothing"
    usa_irn = [json.loads(line) for line in outputs["timeline --db"].splitlines()]
    assert sum(r["events"] for r in usa_irn) >= 1
    assert Path("usa-irn.png").stat().st_size > 5000
    assert len(Path("events.tsv").read_text(encoding="utf-8").splitlines()) > 10
