"""A fast sample of the fuzz suite (tests/fuzz.py; the full run is `make fuzz`): a few inputs of every
family, each bad input between good documents, read as the CLI reads them; the families whose damage
reaches the text are also analysed. No exception, no good document lost, every problem located."""

from __future__ import annotations

import pytest

from fuzz import ANALYSED, FAMILIES, run_family


def test_there_are_the_issues_families() -> None:
    assert len(FAMILIES) >= 21 and set(FAMILIES) >= ANALYSED


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_fuzz_sample(family: str, pipeline) -> None:
    report = run_family(family, per_family=3, analyse=1, seed=7, pipeline=pipeline)
    assert report.inputs == 3
    assert (report.tracebacks, report.lost, report.unlocated) == (0, 0, 0), report.examples
