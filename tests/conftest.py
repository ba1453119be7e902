"""Shared fixtures: one spaCy pipeline per test session, paths to ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "article.txt"
EXAMPLES = REPO / "examples"


def need_shared(path: Path) -> None:
    """Skip, saying why, when the shared evaluation material is not on this machine."""
    if not path.exists():
        pytest.skip(f"{path} is absent: shared data lives outside the repository (see ../shared/README.md)")


@pytest.fixture(scope="session")
def pipeline():
    from communique.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def sentence_pipeline():
    """The pipeline without the document stage: what the sentence coders alone say (each
    reading of a sentence, both directions of a mutual act), for the coders' own tests."""
    from communique.pipeline import Pipeline

    pipe = Pipeline()
    pipe.nlp.disable_pipe("communique_records")
    return pipe


@pytest.fixture(scope="session")
def seed_result(pipeline):
    need_shared(SEED)
    return pipeline.process_text(SEED.read_text(encoding="utf-8"), id="seed", date="2026-02-10")


# -- browser tests (pytest-playwright) -------------------------------------------------------
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium, never a downloaded browser
    (`playwright install` needs the network); without it the browser tests skip."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: `make browser` installs Debian's chromium; browser tests skipped"
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_FLAGS}
