"""Other languages (issue 21): a document the detector places in a language the pipeline lacks
is a clear Problem, never English rules run over it; short or unsure texts are analysed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from communique.language import detect, unsupported
from communique.models import Document, Problem, Result
from conftest import REPO

FRENCH = REPO / "tests" / "fixtures" / "lang" / "fr-article.txt"
ENGLISH = (
    "PARIS, Feb 16 (Example Wire) — French President Emmanuel Macron met Iranian Foreign Minister "
    "Abbas Araghchi in Paris on Monday to discuss Tehran's nuclear programme, the Elysee said."
)


def test_detect_and_decide():
    text = FRENCH.read_text(encoding="utf-8")
    assert detect(text)[0] == "fr"
    assert "language fr not supported" in (unsupported(text) or "")
    assert unsupported(ENGLISH) is None
    assert unsupported("Rubio a rencontré Lavrov.") is None  # too short to judge: analysed
    assert unsupported("§ 12.4 — 1,200 / 3,400 ±0.5 %% " * 10) is None  # no language at all


def test_pipeline_gives_a_problem_not_junk(pipeline):
    french = Document(id="fr", text=FRENCH.read_text(encoding="utf-8"), source="fr-article.txt")
    english = Document(id="en", text=ENGLISH, source="en.txt")
    out = list(pipeline.process([french, english]))
    assert isinstance(out[0], Problem) and "language fr not supported" in out[0].reason
    assert out[0].stage == "analyse" and out[0].source == "fr-article.txt"
    assert isinstance(out[1], Result) and out[1].events


def test_cli_extract_reports_the_language(tmp_path):
    exe = shutil.which("communique", path=str(Path(sys.executable).parent))
    if not exe:
        pytest.skip("the communique console script is not installed (make install)")
    done = subprocess.run(
        [exe, "extract", str(FRENCH), "-o", str(tmp_path / "out.jsonl")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert "language fr not supported" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == ""
