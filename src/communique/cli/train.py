"""`train events`: fit the sentence-level event model that the coder combines with its lexicon."""

from __future__ import annotations

import json
import time

import click

from communique.cli.common import DEFAULT_MODEL, load_or_exit
from communique.settings import PipelineSettings


@click.group()
def train() -> None:
    """Train models that the coder combines with its lexicon."""


@train.command("events")
@click.option(
    "--data",
    "data_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with columns text,label (PLOVER types; PLOVER 0.5 names and YIELD accepted).",
)
@click.option(
    "-o",
    "--output",
    default="event-model",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the model into (use it with --event-model).",
)
@click.option(
    "--cv",
    "folds",
    default=0,
    type=click.IntRange(0, 20),
    help="Also report k-fold cross-validated macro-F1 (e.g. --cv 5).",
)
@click.option(
    "--threshold",
    default=0.3,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Model probability needed to override the lexicon.",
)
@click.option(
    "--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline for the lexicon features."
)
def train_events(data_path: str, output: str, folds: int, threshold: float, model: str) -> None:
    """Fit a sentence-level event model on a labelled CSV (CPU, minutes at most).

    \b
    Example:
      communique train events --data labelled.csv --cv 5 -o my-model
      communique extract news/ --event-model my-model
    """
    from communique.events.model import cross_validate, prepare, read_training_csv
    from communique.events.model import train as fit
    from communique.pipeline import Pipeline

    try:
        texts, labels = read_training_csv(data_path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc
    started = time.perf_counter()
    pipe = Pipeline.from_settings(PipelineSettings(model=model, keep_uncoded=True, quotes=False))
    load_or_exit(pipe)
    data = prepare(texts, labels, pipe)
    click.echo(
        f"communique: {len(texts)} rows, {len(set(labels))} labels; lexicon features in "
        f"{time.perf_counter() - started:.1f} s",
        err=True,
    )
    if folds:
        report = cross_validate(data, folds=folds)
        click.echo(json.dumps(report, indent=2))
    event_model = fit(data, source=str(data_path), threshold=threshold)
    event_model.save(output)
    click.echo(f"communique: model written to {output} ({time.perf_counter() - started:.1f} s)", err=True)
