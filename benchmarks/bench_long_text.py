"""Cost of one long document (issue 19): the pipeline against spaCy's own parse, time and peak memory.

Texts of 1k, 10k and 100k words of several kinds: plain words without any punctuation, the same words
with a full stop every 15 words ("punctuated"), and on request place and actor names (a ticker or table
scraped as one 'sentence'), emoji, and real news text ("article": the bundled examples/articles, one
after the other, repeated until the size is reached; 40,000 words make about 250 KB, a long report or
a scraped archive page). With --stages, the seconds of each component of the pipeline on each text
(spaCy's own and ours, run one after the other as the pipeline runs them, then the Result built).
A time ratio that grows with the size means a stage is super-linear. Peak memory is traced
(tracemalloc, in a pass of its own, not the timed one): the peak of spaCy's parse and of the whole
pipeline, in MB, and their ratio.

    python benchmarks/bench_long_text.py [WORDS ...] [--kinds words,punctuated,names,emoji,article]
        [--no-memory] [--stages]
    python benchmarks/bench_long_text.py 40000 --kinds article --no-memory --stages   # issue 19's case
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from communique.models import Document
from communique.pipeline import Pipeline

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


def text_of(kind: str, words: int) -> str:
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


def stage_seconds(pipe: Pipeline, document: Document) -> dict[str, float]:
    """Seconds of each component on ``document``, in pipeline order, and of building the Result."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    doc = pipe._prepare(document)
    times["make_doc"] = time.perf_counter() - start
    for name, proc in pipe.nlp.pipeline:
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


def main(sizes: list[int], kinds: list[str], memory: bool, stages: bool = False) -> None:
    pipe = Pipeline()
    nlp = pipe.nlp
    ours = [name for name in nlp.pipe_names if name.startswith("communique_")]  # spaCy's parse alone
    pipe.process_text("Paris is a short text to load everything, the gazetteer too.")
    print(
        f"{'kind':<11} {'words':>7} {'spaCy s':>8} {'all s':>7} {'ratio':>6} {'longest':>8}"
        + (f" {'spaCy MB':>9} {'all MB':>8} {'ratio':>6}" if memory else "")
    )
    for kind in kinds:
        for words in sizes:
            text = text_of(kind, words)

            def parse(text: str = text) -> object:
                with nlp.select_pipes(disable=ours):
                    return nlp(text)

            document = Document(id="bench", text=text, source="bench")

            def everything(document: Document = document) -> object:
                return pipe.process_batch([document])

            parse_s, total_s = seconds(parse), seconds(everything)
            longest = max(len(sentence) for sentence in nlp(text).sents)
            ratio = total_s / parse_s
            line = f"{kind:<11} {words:>7} {parse_s:>8.2f} {total_s:>7.2f} {ratio:>6.1f} {longest:>8}"
            if memory:
                parse_mb, total_mb = peak_mb(parse), peak_mb(everything)
                line += f" {parse_mb:>9.0f} {total_mb:>8.0f} {total_mb / parse_mb:>6.1f}"
            print(line, flush=True)
            if stages:
                print_stages(stage_seconds(pipe, document))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000, 100_000])
    parser.add_argument(
        "--kinds",
        default="words,punctuated",
        help=f"of {', '.join(['punctuated', 'article', *VOCABULARIES])}",
    )
    parser.add_argument("--no-memory", action="store_true", help="time only (tracing memory is slow)")
    parser.add_argument("--stages", action="store_true", help="seconds of each component too")
    args = parser.parse_args()
    main(args.sizes, args.kinds.split(","), not args.no_memory, args.stages)
