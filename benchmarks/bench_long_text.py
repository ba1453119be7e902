"""Cost of one long document without full stops (issue 19): the pipeline against spaCy's own parse.

Texts of 1k, 2k and 4k words with no sentence-final punctuation, of three kinds: place and actor names
(a ticker or table scraped as one 'sentence'), plain words, and emoji. A ratio that grows with the size
means a stage is super-linear. Run: ``python benchmarks/bench_long_text.py [WORDS ...]``.
"""

from __future__ import annotations

import random
import sys
import time

from communique.models import Document
from communique.pipeline import Pipeline

VOCABULARIES = {  # words separated by spaces
    "names": "Paris London Berlin Moscow stocks oil gold Russia France China Kyiv police army president "
    "minister protest talks market shares up down",
    "words": "the a people said they would go to market and see more of new old big small house car water "
    "food work time day",
    "emoji": "😀 🔥 🇫🇷 👍 Paris",
}


def text_of(kind: str, words: int) -> str:
    rng = random.Random(words)  # the same text on every run
    vocabulary = VOCABULARIES[kind].split()
    return " ".join(rng.choice(vocabulary) for _ in range(words)) + "\n"


def seconds(run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - start


def main(sizes: list[int]) -> None:
    pipe = Pipeline()
    nlp = pipe.nlp
    ours = [name for name in nlp.pipe_names if name.startswith("communique_")]  # spaCy's parse alone
    pipe.process_text("A short text to load everything.")
    print(f"{'kind':<6} {'words':>6} {'spaCy s':>8} {'all s':>7} {'ratio':>6} {'longest sentence':>17}")
    for kind in VOCABULARIES:
        for words in sizes:
            text = text_of(kind, words)
            with nlp.select_pipes(disable=ours):
                parse = seconds(lambda text=text: nlp(text))
            document = Document(id="bench", text=text, source="bench")
            total = seconds(lambda document=document: pipe.process_batch([document]))
            longest = max(len(sentence) for sentence in nlp(text).sents)
            print(f"{kind:<6} {words:>6} {parse:>8.2f} {total:>7.2f} {total / parse:>6.1f} {longest:>17}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 2000, 4000])
