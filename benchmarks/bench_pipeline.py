"""Speed of the whole pipeline against bare spaCy, in the same run.

The corpus is the bundled examples repeated to --docs documents. Each configuration is
timed --repeat times, interleaved, and the best time kept (the machines are noisy:
compare ratios, not seconds). Stages are measured by enabling communique's components
one by one on the same loaded pipeline:

  bare     the model's own components (tok2vec, tagger, parser, ner, ...)
  actors   + entity ruler + actor resolution            (issue target: <= +10 %)
  quotes   + quote extraction                            (target: <= +10 % of bare)
  events   + event coding                                (target: coding <= +15 %)
  records  + document-level records                     (coding in all <= +25 %)
  places   + toponym resolution and event locations = the whole pipeline (<= +5 %)

A second measure, steadier on a busy machine: in each round bare spaCy parses the corpus
and then each stage's components run alone on those Docs; the best times give each stage as
a share of the parse. The end-to-end differences above subtract two noisy timings; this one
times the stage itself, next to its baseline.

A third, end to end but paired: the corpus is cut into slices of a batch, and on each slice
bare spaCy, the coding stages (actors + quotes + events) and the whole pipeline run one after
the other, in an order that turns from slice to slice; each round sums each configuration
over the slices, and the median of the rounds' ratios is reported. A slow patch of the
machine then weighs on all three alike, where the best-of times above can each catch a
different one (their end-to-end shares move by several points from run to run).

Writes benchmarks/results/bench-pipeline.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from communique.io import read_inputs
from communique.models import Document
from communique.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
STAGES = {
    "bare": [],
    "actors": ["communique_entity_ruler", "communique_actors"],
    "quotes": ["communique_entity_ruler", "communique_actors", "communique_quotes"],
    "events": ["communique_entity_ruler", "communique_actors", "communique_quotes", "communique_events"],
    "records": [
        "communique_entity_ruler",
        "communique_actors",
        "communique_quotes",
        "communique_events",
        "communique_records",
    ],
    "places": [
        "communique_entity_ruler",
        "communique_actors",
        "communique_quotes",
        "communique_events",
        "communique_records",
        "communique_places",
    ],
}


def corpus(n_docs: int) -> list[Document]:
    docs = [d for d in read_inputs([str(ROOT / "examples")]) if isinstance(d, Document)]
    if not docs:
        raise SystemExit("no example documents found in examples/")
    return [docs[i % len(docs)] for i in range(n_docs)]


def time_stage(pipe: Pipeline, docs: list[Document], enabled: list[str], batch_size: int) -> float:
    nlp = pipe.nlp
    ours = [name for name in nlp.pipe_names if name.startswith("communique_")]
    disable = [name for name in ours if name not in enabled]
    started = time.perf_counter()
    with nlp.select_pipes(disable=disable):
        for _ in nlp.pipe((pipe._prepare(d) for d in docs), batch_size=batch_size):
            pass
    return time.perf_counter() - started


#: The components of each stage, run alone on parsed Docs (in pipeline order).
COMPONENTS = {
    "actors": ["communique_entity_ruler", "communique_actors"],
    "quotes": ["communique_quotes"],
    "events": ["communique_events"],
    "records": ["communique_records"],
    "places": ["communique_places"],
}


def time_components(pipe: Pipeline, docs: list[Document], repeat: int, batch_size: int) -> dict[str, float]:
    """Best time of bare spaCy's parse and of each stage's components run on those parsed
    Docs, measured together in every round so that both see the same machine."""
    nlp = pipe.nlp
    ours = [name for name in nlp.pipe_names if name.startswith("communique_")]
    best = {stage: float("inf") for stage in ("bare", *COMPONENTS)}
    for _ in range(repeat):
        started = time.perf_counter()
        with nlp.select_pipes(disable=ours):
            parsed = list(nlp.pipe((pipe._prepare(d) for d in docs), batch_size=batch_size))
        best["bare"] = min(best["bare"], time.perf_counter() - started)
        for stage, names in COMPONENTS.items():
            components = [nlp.get_pipe(name) for name in names]
            started = time.perf_counter()
            for doc in parsed:
                for component in components:
                    component(doc)
            best[stage] = min(best[stage], time.perf_counter() - started)
    return best


#: The configurations of the paired measure: the baseline, the coding the issue bounds, all.
PAIRED = {"bare": "bare", "coding": "events", "whole": "places"}


def time_paired(pipe: Pipeline, docs: list[Document], rounds: int, batch_size: int) -> dict[str, list[float]]:
    """Per configuration of PAIRED, its time on the whole corpus in each round, timed slice by
    slice with the configurations in turn (the order rotating, so none always runs first)."""
    names = list(PAIRED)
    slices = [docs[i : i + batch_size] for i in range(0, len(docs), batch_size)]
    totals = {name: [0.0] * rounds for name in names}
    for r in range(rounds):
        for k, part in enumerate(slices):
            turn = (k + r) % len(names)
            for name in names[turn:] + names[:turn]:
                totals[name][r] += time_stage(pipe, part, STAGES[PAIRED[name]], batch_size)
    return totals


def paired_shares(totals: dict[str, list[float]]) -> dict[str, float]:
    """Each configuration's added time as a share of bare spaCy's: the median over rounds."""
    bare = totals["bare"]
    return {
        name: statistics.median(t / b - 1 for t, b in zip(times, bare, strict=True))
        for name, times in totals.items()
        if name != "bare"
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--docs", type=int, default=300, help="documents in the corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "bench-pipeline.json"))
    args = parser.parse_args()

    docs = corpus(args.docs)
    words = sum(len(d.text.split()) for d in docs)
    pipe = Pipeline(batch_size=args.batch_size)
    time_stage(pipe, docs[:20], STAGES["places"], args.batch_size)  # warm up: load, gazetteer, caches
    best = {name: float("inf") for name in STAGES}
    for _ in range(args.repeat):
        for name, enabled in STAGES.items():
            best[name] = min(best[name], time_stage(pipe, docs, enabled, args.batch_size))

    alone = time_components(pipe, docs, args.repeat, args.batch_size)
    paired = time_paired(pipe, docs, args.repeat, args.batch_size)
    bare = best["bare"]
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "documents": len(docs),
        "words": words,
        "seconds": best,
        "docs_per_s": {k: len(docs) / v for k, v in best.items()},
        "words_per_s": {k: words / v for k, v in best.items()},
        "ratio_to_bare": {k: v / bare for k, v in best.items()},
        "stage_overhead": {
            "actors": (best["actors"] - bare) / bare,
            "quotes": (best["quotes"] - best["actors"]) / bare,
            "events": (best["events"] - best["quotes"]) / bare,
            "records": (best["records"] - best["events"]) / bare,
            "places": (best["places"] - best["records"]) / bare,
        },
        "stage_alone_seconds": alone,
        "stage_alone_share": {stage: alone[stage] / alone["bare"] for stage in COMPONENTS},
        "paired_seconds": paired,
        "paired_added": paired_shares(paired),
    }
    print(f"corpus: {len(docs)} documents, {words} words (examples/ repeated); best of {args.repeat}")
    print(f"{'configuration':<16}{'docs/s':>10}{'words/s':>12}{'x bare':>10}")
    for name in STAGES:
        print(
            f"{name:<16}{report['docs_per_s'][name]:>10.1f}{report['words_per_s'][name]:>12.0f}"
            f"{report['ratio_to_bare'][name]:>10.3f}"
        )
    print("added time per stage, as a share of bare spaCy:")
    for stage, share in report["stage_overhead"].items():
        print(f"  {stage:<8}{share:+.1%}")
    print("each stage alone on the parsed Docs, as a share of bare spaCy:")
    for stage, share in report["stage_alone_share"].items():
        print(f"  {stage:<8}{share:+.1%}")
    print(f"paired, slice by slice (median of {args.repeat} rounds), as a share of bare spaCy:")
    print(f"  coding (actors + quotes + events) {report['paired_added']['coding']:+.1%}")
    print(f"  whole pipeline                    {report['paired_added']['whole']:+.1%}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
