"""Cost of one long document (issue 19): the pipeline against spaCy's own parse, time and peak memory.

Texts of 1k, 10k and 100k words, and one of the size limit (1,000,000 characters, "limit"), of several
kinds: plain words without any punctuation, the same words
with a full stop every 15 words ("punctuated"), and on request place and actor names (a ticker or table
scraped as one 'sentence'), emoji, and real news text ("article": the bundled examples/articles, one
after the other, repeated until the size is reached; 40,000 words make about 250 KB, a long report or
a scraped archive page). With --stages, the seconds of each component of the pipeline on each text
(spaCy's own and ours, run one after the other as the pipeline runs them, then the Result built).
A time ratio that grows with the size means a stage is super-linear.

Peak memory is measured in a fresh process for each text, once for spaCy's parse and once for the
pipeline, after the pipeline and its data (gazetteer, knowledge) are loaded: "base MB" is the process's
resident memory then (the same for every text), "+spaCy" and "+all" what the document added to the peak
resident memory (VmHWM) of spaCy's parse of the whole text and of the pipeline, their ratio, and "peak MB"
the pipeline's peak resident memory all told. A document longer than the pipeline's ``chunk_chars`` is
parsed in pieces (communique.pieces); ``--chunk-chars`` changes that (a size over the limit: parsed
whole, as before pieces). With --traced, Python's traced peak (tracemalloc, in a pass of its own) too.

    python benchmarks/bench_long_text.py [SIZE ...] [--kinds words,punctuated,names,emoji,article]
        [--no-memory] [--traced] [--stages] [--chunk-chars N]
    python benchmarks/bench_long_text.py 40000 --kinds article --no-memory --stages   # issue 19's case
    python benchmarks/bench_long_text.py limit --kinds words       # the largest document, 1M characters

SIZE is a number of words, or "limit": a text of exactly the size limit (--max-doc-chars's default).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from communique.guard import Deadline
from communique.models import Document
from communique.pieces import document_stages_start, parse_in_pieces
from communique.pipeline import Pipeline
from communique.settings import DEFAULT_CHUNK_CHARS, DEFAULT_MAX_DOC_CHARS

VOCABULARIES = {  # words separated by spaces
    "names": "Paris London Berlin Moscow stocks oil gold Russia France China Kyiv police army president "
    "minister protest talks market shares up down",
    "words": "the a people said they would go to market and see more of new old big small house car water "
    "food work time day",
    "emoji": "😀 🔥 🇫🇷 👍 Paris",
}
PUNCTUATED_EVERY = 15  # words per sentence of the "punctuated" kind
ARTICLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


def article_text(words: int) -> str:
    """The example articles, in name order, repeated until ``words`` words; cut after a paragraph."""
    articles = [p.read_text(encoding="utf-8").strip() for p in sorted(ARTICLES.glob("*.txt"))]
    paragraphs = [par for article in articles for par in article.split("\n\n") if par.strip()]
    out: list[str] = []
    count = 0
    while count < words:
        for paragraph in paragraphs:
            out.append(paragraph)
            count += len(paragraph.split())
            if count >= words:
                break
    return "\n\n".join(out) + "\n"


def text_of(kind: str, size: int | str) -> str:
    """The text of ``kind`` of ``size`` words, or of exactly the size limit ("limit"), cut at a space."""
    if size == "limit":
        text = text_of(kind, DEFAULT_MAX_DOC_CHARS // 3)  # words of 3+ characters with their spaces
        return text[: text.rindex(" ", 0, DEFAULT_MAX_DOC_CHARS - 1)] + "\n"
    words = int(size)
    if kind == "article":
        return article_text(words)
    rng = random.Random(words)  # the same text on every run
    vocabulary = VOCABULARIES["words" if kind == "punctuated" else kind].split()
    chosen = [rng.choice(vocabulary) for _ in range(words)]
    if kind == "punctuated":
        chosen = [w + ("." if (i + 1) % PUNCTUATED_EVERY == 0 else "") for i, w in enumerate(chosen)]
    return " ".join(chosen) + "\n"


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def peak_mb(run: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def resident_mb() -> dict[str, float]:
    """This process's resident memory now (VmRSS) and at its peak so far (VmHWM), in MB (Linux)."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
    return found


def analyse(pipe: Pipeline, document: Document) -> object:
    """What ``process_batch`` does with one document, keeping the Doc (its sentences are counted)."""
    doc = pipe._analyse([pipe._prepare(document)], Deadline(None))[0]
    pipe._to_result(document, doc)
    return doc


def load(chunk_chars: int) -> tuple[Pipeline, Callable[[str], object]]:
    """The pipeline, loaded with its data, and spaCy's parse alone (the same model without our stages)."""
    pipe = Pipeline(chunk_chars=chunk_chars)
    nlp = pipe.nlp
    ours = [name for name in nlp.pipe_names if name.startswith("communique_")]
    pipe.process_text("Paris is a short text to load everything, the gazetteer too.")

    def parse(text: str) -> object:
        with nlp.select_pipes(disable=ours):
            return nlp(text)

    return pipe, parse


def child(what: str, kind: str, size: str, chunk_chars: int) -> None:
    """One measurement in this fresh process: print the resident memory before and at the peak."""
    pipe, parse = load(chunk_chars)
    text = text_of(kind, size)
    before = resident_mb()
    if what == "parse":
        parse(text)
    else:
        analyse(pipe, Document(id="bench", text=text, source="bench"))
    print(json.dumps({"base": before["VmRSS"], "peak": resident_mb()["VmHWM"]}))


def peak_rss(what: str, kind: str, size: int | str, chunk_chars: int) -> dict[str, float]:
    """The resident memory of a fresh process before and at the peak of ``what`` on the text."""
    command = [sys.executable, __file__, "--child", what, "--kinds", kind, str(size)]
    out = subprocess.run(
        [*command, "--chunk-chars", str(chunk_chars)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def stage_seconds(pipe: Pipeline, document: Document) -> dict[str, float]:
    """Seconds of each component on ``document``, in pipeline order, and of building the Result; a
    document parsed in pieces has one entry for everything before the stages that see it whole."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    doc = pipe._prepare(document)
    times["make_doc"] = time.perf_counter() - start
    pipeline = pipe.nlp.pipeline
    if len(document.text) > pipe.settings.chunk_chars:
        whole_from = document_stages_start(pipeline)
        start = time.perf_counter()
        doc = parse_in_pieces(doc, pipeline[:whole_from], pipe.settings.chunk_chars)
        times["parsed in pieces"] = time.perf_counter() - start
        pipeline = pipeline[whole_from:]
    for name, proc in pipeline:
        start = time.perf_counter()
        doc = proc(doc)
        times[name] = time.perf_counter() - start
    start = time.perf_counter()
    pipe._to_result(document, doc)
    times["result"] = time.perf_counter() - start
    return times


def print_stages(times: dict[str, float]) -> None:
    ours = sum(t for name, t in times.items() if name.startswith("communique_") or name == "result")
    spacy = sum(t for name, t in times.items() if not (name.startswith("communique_") or name == "result"))
    for name, took in times.items():
        print(f"    {name:<28} {took:>7.2f} s")
    print(f"    {'spaCy components':<28} {spacy:>7.2f} s")
    print(f"    {'ours (communique_*, result)':<28} {ours:>7.2f} s   ratio {ours / spacy:.2f}")


def main(
    sizes: list[int | str],
    kinds: list[str],
    memory: bool,
    stages: bool = False,
    traced: bool = False,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
) -> None:
    pipe, parse = load(chunk_chars)
    print(
        f"{'kind':<11} {'words':>7} {'chars':>9} {'spaCy s':>8} {'all s':>7} {'ratio':>6} {'longest':>8}"
        + (f" {'base MB':>8} {'+spaCy':>7} {'+all':>6} {'ratio':>6} {'peak MB':>8}" if memory else "")
        + (f" {'tr.spaCy':>9} {'tr.all':>7} {'ratio':>6}" if traced else "")
    )
    for kind in kinds:
        for size in sizes:
            text = text_of(kind, size)
            document = Document(id="bench", text=text, source="bench")
            parse_s = seconds(lambda text=text: parse(text))
            start = time.perf_counter()
            doc = analyse(pipe, document)
            total_s = time.perf_counter() - start
            longest = max(len(sentence) for sentence in doc.sents)  # type: ignore[attr-defined]
            del doc
            line = (
                f"{kind:<11} {len(text.split()):>7} {len(text):>9} {parse_s:>8.2f} {total_s:>7.2f} "
                f"{total_s / parse_s:>6.1f} {longest:>8}"
            )
            if memory:
                spacy_rss = peak_rss("parse", kind, size, chunk_chars)
                ours_rss = peak_rss("all", kind, size, chunk_chars)
                added_spacy = spacy_rss["peak"] - spacy_rss["base"]
                added = ours_rss["peak"] - ours_rss["base"]
                line += (
                    f" {ours_rss['base']:>8.0f} {added_spacy:>7.0f} {added:>6.0f}"
                    f" {added / max(added_spacy, 1.0):>6.2f} {ours_rss['peak']:>8.0f}"
                )
            if traced:
                parse_mb = peak_mb(lambda text=text: parse(text))
                total_mb = peak_mb(lambda document=document: pipe.process_batch([document]))
                line += f" {parse_mb:>9.0f} {total_mb:>7.0f} {total_mb / parse_mb:>6.1f}"
            print(line, flush=True)
            if stages:
                print_stages(stage_seconds(pipe, document))


def size_of(value: str) -> int | str:
    return value if value == "limit" else int(value)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=size_of, default=[1000, 10_000, 100_000, "limit"])
    parser.add_argument(
        "--kinds",
        default="words,punctuated",
        help=f"of {', '.join(['punctuated', 'article', *VOCABULARIES])}",
    )
    parser.add_argument("--no-memory", action="store_true", help="time only (no process per text)")
    parser.add_argument("--traced", action="store_true", help="Python's traced peak memory too (slow)")
    parser.add_argument("--stages", action="store_true", help="seconds of each component too")
    parser.add_argument(
        "--chunk-chars",
        type=int,
        default=DEFAULT_CHUNK_CHARS,
        help="the pipeline's piece size (more than the limit: documents parsed whole)",
    )
    parser.add_argument("--child", choices=["parse", "all"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.kinds, str(args.sizes[0]), args.chunk_chars)
    else:
        main(
            args.sizes, args.kinds.split(","), not args.no_memory, args.stages, args.traced, args.chunk_chars
        )
