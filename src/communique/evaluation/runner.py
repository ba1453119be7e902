"""Running an evaluation: load a split, run the pipeline over it, score, print, save.

The only place that touches the pipeline; loaders and scorers stay pure.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from communique.evaluation import datasets as ds
from communique.evaluation import geo, scoring
from communique.evaluation.report import format_report, write_json
from communique.evaluation.splits import SPLITS, polnear_heldout_names, select_split
from communique.io import read_inputs
from communique.models import Document, Problem

DATASETS = ("plover-gsr", "plv", "actor-resolution", "polnear", "re3d", "handwritten", "realnews", "geo")

#: Stop running the pipeline when its first this-many documents all fail (a broken install).
GIVE_UP_AFTER = 50


class Processor(Protocol):
    def process(self, documents: Iterable[Document | Problem]) -> Iterator[Any]: ...


# -- loading ------------------------------------------------------------------------------------
def dataset_path(name: str, path: str | Path | None, data_dir: str | Path) -> Path:
    """Where data set ``name`` lives: ``path`` when given, else ``data_dir/name`` (the
    project's own ``handwritten`` set ships with the package)."""
    if path:
        return Path(path)
    return ds.HANDWRITTEN_PATH if name == "handwritten" else Path(data_dir) / name


def load_items(name: str, path: str | Path, split: str = "dev", limit: int | None = None) -> list[Any]:
    """The gold items of ``split`` of data set ``name`` read from ``path``, at most ``limit``."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    path = Path(path)
    items: list[Any]
    if name == "plover-gsr":
        items = select_split(ds.load_plover_gsr(path), split, key=lambda it: it.text)
    elif name == "plv":
        items = select_split(ds.load_plv(path), split, key=lambda it: it.text)
    elif name == "handwritten":
        items = select_split(ds.load_handwritten(path), split, key=lambda it: it.text)
    elif name == "actor-resolution":
        items = select_split(ds.load_actor_cases(path), split, key=lambda it: it.id)
    elif name == "re3d":
        items = select_split(ds.load_re3d(path), split, key=lambda it: it.id)
    elif name == "polnear":
        items = load_polnear_split(path, split)
    elif name == "realnews":
        items = load_realnews_split(path, split)
    elif name == "geo":
        items = load_geo_split(path, split)
    else:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
    return items[:limit] if limit is not None and limit >= 0 else items


def load_polnear_split(root: str | Path, split: str) -> list[ds.PolnearArticle]:
    """dev: polnear/dev; heldout: 84 fixed articles of polnear/train; train: all of
    polnear/train; all: dev then train."""
    root = Path(root)
    if split == "dev":
        return ds.load_polnear(root / "dev")
    train_names = ds.polnear_article_names(root / "train")
    if split == "heldout":
        return ds.load_polnear(root / "train", names=polnear_heldout_names(train_names))
    if split == "train":
        return ds.load_polnear(root / "train")
    return ds.load_polnear(root / "dev") + ds.load_polnear(root / "train")


def load_realnews_split(root: str | Path, split: str) -> list[ds.RealnewsArticle]:
    """realnews is a development set as a whole (its held-out articles are kept elsewhere):
    dev, train and all are its 30 articles; heldout is refused rather than invented."""
    if split == "heldout":
        raise ValueError("realnews has no heldout split here: its held-out articles are not distributed")
    return ds.load_realnews(root)


def load_geo_split(root: str | Path, split: str) -> list[geo.GeoItem]:
    """The geo files are a development set as a whole (their held-out halves are kept
    elsewhere): dev, train and all are every item; heldout is refused rather than invented."""
    if split == "heldout":
        raise ValueError("geo has no heldout split here: its held-out halves are not distributed")
    items = geo.load_geo(root)
    if not items:
        raise ValueError(f"{root} holds none of the geo files ({geo.EVENT_FILE}, ...)")
    return items


# -- predicting ---------------------------------------------------------------------------------
def documents_for(name: str, items: Sequence[Any]) -> list[Document]:
    """The pipeline input for the items of a text data set (ids carry the item position)."""
    docs = []
    for i, it in enumerate(items):
        if name in ds.SENTENCE_EVENT_SETS:
            docs.append(Document(id=it.id, text=it.text, source=f"{name}:{i}", date=it.date))
        elif name == "plv":
            docs.append(Document(id=it.id, text=it.text, source=f"plv:{i}"))
        elif name == "polnear":
            docs.append(Document(id=it.id, text=it.text, source=f"polnear:{it.id}", date=it.date))
        elif name == "re3d":
            docs.append(Document(id=it.id, text=it.text, source=f"re3d:{it.source}", title=it.title))
        elif name == "realnews":
            docs.append(_article_document(it))
        else:
            raise ValueError(f"{name} is not scored through the pipeline")
    return docs


def _article_document(article: ds.RealnewsArticle) -> Document:
    """An article read as ``communique extract`` reads a file (front matter, offsets); a file
    the reader refuses fails loudly: the gold cannot be scored without its text."""
    item = next(iter(read_inputs([str(article.path)])))
    if isinstance(item, Problem):
        raise ValueError(f"{article.path}: {item.reason}")
    return item


def run_pipeline(processor: Processor, documents: Sequence[Document], label: str = "") -> list[Any]:
    """Results in input order (``Pipeline.process`` batches internally); empty texts -> None.

    When the first :data:`GIVE_UP_AFTER` documents all fail, the rest are not run and get
    the same Problem (scored as empty predictions)."""
    todo = [d for d in documents if d.text.strip()]
    results: dict[int, Any] = {}
    progress = _progress(len(todo), label)
    all_failed = True
    for n, (doc, item) in enumerate(zip(todo, processor.process(iter(todo)), strict=False), start=1):
        results[id(doc)] = item
        progress(1)
        all_failed = all_failed and isinstance(item, Problem)
        if all_failed and n >= GIVE_UP_AFTER:
            reason = item.reason
            for rest in todo[len(results) :]:
                results[id(rest)] = Problem(source=rest.source, reason=f"not run: {reason}", stage="analyse")
            break
    progress(0, done=True)
    return [results.get(id(d)) for d in documents]


def _progress(total: int, label: str) -> Callable[..., None]:
    """A bar with the items done of ``total``, the rate and the time left, on stderr when it is a
    terminal (as extract's and ingest's); nothing otherwise."""
    if not sys.stderr.isatty() or total < 20:
        return lambda n, done=False: None
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label or None, unit="doc", file=sys.stderr, dynamic_ncols=True)

    def step(n: int, done: bool = False) -> None:
        bar.update(n)
        if done:
            bar.close()

    return step


def resolve_cases(
    cases: Sequence[ds.ActorCase], resolver: Callable[[ds.ActorCase], dict[str, Any]]
) -> list[dict[str, Any]]:
    """resolve_actor over every case; a failure becomes ``{"error": reason}``."""
    out = []
    for case in cases:
        try:
            out.append(dict(resolver(case)))
        except Exception as exc:  # a report, not a gate: note it and go on
            out.append({"error": f"{type(exc).__name__}: {exc}"})
    return out


# -- one data set -------------------------------------------------------------------------------
def evaluate(
    name: str,
    items: Sequence[Any],
    *,
    processor: Processor | None = None,
    resolver: Callable[[ds.ActorCase], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Predict and score ``items``; returns ``{"metrics", "problems", "problem_reasons"}``."""
    if name == "actor-resolution":
        if resolver is None:
            raise ValueError("actor-resolution needs a resolver")
        predictions = resolve_cases(items, resolver)
        errors = [p["error"] for p in predictions if "error" in p]
        return {
            "metrics": scoring.score_actor_resolution(items, predictions),
            "problems": len(errors),
            "problem_reasons": errors[:10],
        }
    if processor is None:
        raise ValueError(f"{name} needs a pipeline")
    if name == "geo":
        # scored on the places stage's own output (the event-location sentences ask where
        # the event of a given verb happened), so it needs the spaCy pipeline itself
        geo.predict(_nlp_of(processor), items)
        return {"metrics": geo.score_geo(items), "problems": 0, "problem_reasons": []}
    results = run_pipeline(processor, documents_for(name, items), label=name)
    reasons = [r.reason for r in results if isinstance(r, Problem)]
    scorers: dict[str, Callable[[Sequence[Any], Sequence[Any]], dict[str, Any]]] = {
        "plover-gsr": scoring.score_plover_gsr,
        "handwritten": scoring.score_plover_gsr,
        "plv": scoring.score_plv,
        "polnear": scoring.score_polnear,
        "re3d": scoring.score_re3d,
        "realnews": scoring.score_realnews,
    }
    scorer = scorers[name]
    return {"metrics": scorer(items, results), "problems": len(reasons), "problem_reasons": reasons[:10]}


def _nlp_of(processor: Processor) -> Any:
    """The spaCy pipeline behind ``processor`` (a Pipeline, or the lazy one of the runner)."""
    if isinstance(processor, _Lazy):
        return processor.pipeline().nlp  # type: ignore[attr-defined]
    return processor.nlp  # type: ignore[attr-defined]


class PipelineLoadError(RuntimeError):
    """The pipeline could not be built: nothing can be scored through it."""


class _Lazy:
    """Build the pipeline on first use, once for every data set of ``all``; a failure to
    build it is remembered and raised again as :class:`PipelineLoadError`."""

    def __init__(self, factory: Callable[[], Processor]) -> None:
        self._factory = factory
        self._pipe: Processor | None = None
        self._error: str | None = None

    def process(self, documents: Iterable[Document | Problem]) -> Iterator[Any]:
        return self.pipeline().process(documents)

    def pipeline(self) -> Processor:
        """The pipeline, built now if it is not yet."""
        if self._error is not None:
            raise PipelineLoadError(self._error)
        if self._pipe is None:
            try:
                self._pipe = self._factory()
            except Exception as exc:
                if type(exc).__name__ == "ModelNotFoundError":
                    raise  # the CLI explains how to install the model
                self._error = f"{type(exc).__name__}: {exc}"
                raise PipelineLoadError(self._error) from exc
        return self._pipe


def run_one(
    name: str,
    path: Path,
    *,
    split: str,
    limit: int | None,
    results_dir: str | Path,
    settings: dict[str, Any],
    processor: Processor | None,
    resolver: Callable[[ds.ActorCase], dict[str, Any]] | None,
    out: Callable[[str], None] = print,
) -> dict[str, Any] | None:
    """Evaluate one data set, print its table and write its JSON; None when it is absent."""
    if not path.exists():
        out(f"skipped: {path} not found")
        return None
    started = time.perf_counter()
    try:
        items = load_items(name, path, split, limit)
    except ValueError as exc:  # a split the data set does not have, a malformed gold file
        out(f"skipped: {exc}")
        return None
    scored = evaluate(name, items, processor=processor, resolver=resolver)
    report = {
        "dataset": name,
        "split": split,
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {**settings, "split": split, "limit": limit, "data": str(path)},
        "n_items": len(items),
        "seconds": round(time.perf_counter() - started, 2),
        **scored,
    }
    written = write_json(report, results_dir, name, split)
    out(format_report(name, report))
    out(f"report: {written}\n")
    return report


# -- the CLI entry point ------------------------------------------------------------------------
def run_evaluation(
    name: str,
    path: str | None = None,
    data_dir: str = "../shared/data",
    split: str = "dev",
    limit: int | None = None,
    results_dir: str = "benchmarks/results",
    model: str | None = None,
    actors_files: Iterable[str] = (),
    event_model: str | None = None,
) -> int:
    """Score communique on data set ``name`` (or ``all`` of them) and report; returns the exit code.

    ``path`` overrides where the data set lives (with ``all``: the folder holding them all).
    A missing data folder is reported as skipped. The exit code is 0 whatever the scores:
    evaluation is a report, not a gate; 1 only when the pipeline cannot be loaded at all,
    2 for an unknown data set or split.
    """
    if name != "all" and name not in DATASETS:
        print(f"unknown data set {name!r}; choose one of all, {', '.join(DATASETS)}", file=sys.stderr)
        return 2
    if split not in SPLITS:
        print(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}", file=sys.stderr)
        return 2
    actors_files = tuple(str(p) for p in actors_files)
    from communique import __version__

    settings = {
        "model": model or "default",
        "actors_files": list(actors_files),
        "event_model": event_model,
        "communique": __version__,
    }

    def make_pipeline(keep_uncoded: bool) -> Processor:
        from communique.pipeline import Pipeline

        kwargs: dict[str, Any] = {
            "actors_files": actors_files,
            "event_model": event_model,
            "batch_size": 64,
            "keep_uncoded": keep_uncoded,
        }
        if model:
            kwargs["model"] = model
        pipe = Pipeline(**kwargs)
        pipe.nlp  # noqa: B018 - load now, so that a broken pipeline fails once, with its reason
        return pipe

    def resolver(case: ds.ActorCase) -> dict[str, Any]:
        from communique.actors import resolve_actor

        return resolve_actor(case.actor, context=case.context, date=case.date, actors_files=actors_files)

    # Event types are scored per sentence whatever the actors' coding (which is scored
    # separately), so events without a coded actor are kept: docs/evaluation.md. Whole
    # articles are scored on the records a user gets from `extract`, as they are.
    sentence_processor = _Lazy(lambda: make_pipeline(keep_uncoded=True))
    article_processor = _Lazy(lambda: make_pipeline(keep_uncoded=False))
    names = DATASETS if name == "all" else (name,)
    code = 0
    for one in names:
        if path and name == "all":
            where = dataset_path(one, None, path) if one == "handwritten" else Path(path) / one
        else:
            where = dataset_path(one, path, data_dir)
        try:
            run_one(
                one,
                where,
                split=split,
                limit=limit,
                results_dir=results_dir,
                settings=settings,
                processor=article_processor if one in ds.ARTICLE_SETS else sentence_processor,
                resolver=resolver,
            )
        except PipelineLoadError as exc:
            print(f"failed: {one}: the pipeline could not be loaded: {exc}", file=sys.stderr)
            code = 1
    return code
