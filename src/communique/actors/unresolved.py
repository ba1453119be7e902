"""Which actor strings does the knowledge not code? A curator's to-do list."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from communique.actors.knowledge import fold
from communique.io import read_inputs, read_results
from communique.models import Problem, Result

_SKIP_KINDS = frozenset({"pronoun", "place", "phrase"})  # places locate, they do not act


def iter_results(
    inputs: Iterable[str],
    *,
    results: bool,
    model: str,
    actors_files: Iterable[str],
    read_options: Any,
) -> Iterator[Result | Problem]:
    """Results from extract output files (``results=True``; a line that is not a result is a Problem)
    or by running the pipeline (documents it cannot read or analyse are left out)."""
    if results:
        for path in inputs:
            yield from read_results(path)
        return
    from communique.pipeline import Pipeline

    pipe = Pipeline(model, actors_files=actors_files, events=False, quotes=False)
    for item in pipe.process(read_inputs(inputs, read_options)):
        if isinstance(item, Result):
            yield item


def count_unresolved(results: Iterable[Result], top: int = 30) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    examples: dict[str, list[str]] = defaultdict(list)
    for result in results:
        text = result.text or ""
        for mention in result.actors:
            if mention.country or mention.sectors or mention.kind in _SKIP_KINDS:
                continue
            key = fold(mention.text)
            if not key:
                continue
            counts[key] += 1
            surface.setdefault(key, mention.text)
            if len(examples[key]) < 3:
                left = max(0, mention.start - 40)
                snippet = text[left : mention.end + 40].replace("\n", " ") if text else ""
                examples[key].append(f"{result.id}: ...{snippet}..." if snippet else result.id)
    return [
        {"text": surface[key], "count": n, "examples": examples[key]} for key, n in counts.most_common(top)
    ]
