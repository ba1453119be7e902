"""Evaluation harness: score communique against the gold data sets in ../shared/data.

``communique eval NAME`` calls :func:`run_evaluation`. The package keeps three concerns
apart so each can be tested alone:

* :mod:`~communique.evaluation.datasets` reads each gold format into plain records;
* :mod:`~communique.evaluation.splits` makes the deterministic dev / heldout splits;
* :mod:`~communique.evaluation.scoring` scores predictions (``Result`` objects) against them;
* :mod:`~communique.evaluation.report` prints tables and writes the JSON report;
* :mod:`~communique.evaluation.runner` runs the pipeline and ties it together.

The rules are documented in docs/evaluation.md.
"""

from __future__ import annotations

from communique.evaluation.runner import DATASETS, evaluate, load_items, run_evaluation

__all__ = ["DATASETS", "evaluate", "load_items", "run_evaluation"]
