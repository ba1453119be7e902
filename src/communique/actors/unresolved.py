"""Which actor strings does the knowledge not code, or code only by inference from the
words around them? A curator's to-do list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from communique.actors.knowledge import fold
from communique.io import read_inputs, read_results
from communique.models import ActorMention, Problem, Result

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


#: Provenance of a name the knowledge lacks read as a known one: a misspelling, a town's name.
_READ_AS = ("spelling:", "town:")


def inferred(mention: ActorMention) -> bool:
    """Coded from the words around a name the knowledge lacks (resolver provenance 'inferred'),
    or a name it lacks read as a misspelt known one or a town (docs/knowledge.md)."""
    parts = (mention.matched or "").split(";")
    return parts[0] == "inferred" or _read_as(mention)


def _read_as(mention: ActorMention) -> bool:
    return any(part.startswith(_READ_AS) for part in (mention.matched or "").split(";"))


def count_unresolved(results: Iterable[Result], top: int = 30) -> list[dict[str, Any]]:
    """The most frequent mentions nothing codes, and those coded only by inference (with the
    codes inferred and how, for a curator to confirm into an actor file)."""
    counts: Counter[str] = Counter()
    rows: dict[str, dict[str, Any]] = {}
    for result in results:
        text = result.text or ""
        for mention in result.actors:
            guessed = inferred(mention)
            uncoded = not (mention.country or mention.sectors) and mention.kind not in _SKIP_KINDS
            # a person by the name inferred; a misspelling or town by what the text wrote
            named = guessed and not _read_as(mention)
            key = fold(mention.name or mention.text) if named else fold(mention.text)
            if not key or not (guessed or uncoded):
                continue
            counts[key] += 1
            row = rows.setdefault(key, _row(mention, guessed))
            if len(row["examples"]) < 3:
                left = max(0, mention.start - 40)
                snippet = text[left : mention.end + 40].replace("\n", " ") if text else ""
                row["examples"].append(f"{result.id}: ...{snippet}..." if snippet else result.id)
    return [{**rows[key], "count": n} for key, n in counts.most_common(top)]


def _row(mention: ActorMention, guessed: bool) -> dict[str, Any]:
    named = guessed and not _read_as(mention)
    row: dict[str, Any] = {"text": mention.name or mention.text if named else mention.text, "examples": []}
    if guessed:
        how = [part for part in (mention.matched or "").split(";") if part and part != "inferred"]
        row["inferred"] = {"country": mention.country, "sectors": list(mention.sectors), "how": how}
    return row
