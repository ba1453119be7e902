"""What the stages of the event coder share about one sentence.

:class:`SentenceContext` is built once per sentence and frozen: every stage reads the same
Doc, sentence, words and mention index from it instead of from state kept on the coder, so
a stage can be read (and called) on its own. :class:`Trigger` is the one thing the stages
do change: composition links triggers and drops some, the status stage sets their status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from communique.events.lexicon import Lexicon, Sense
from communique.models import ActorMention, EventStatus, Quote
from communique.models import Span as TextSpan
from communique.spans import FirstCovering


@dataclass
class Trigger:
    token: Token  # the head token of the trigger
    sense: Sense
    tokens: list[Token]  # all tokens of the trigger phrase
    light: Token | None = None  # the light verb carrying a nominal trigger
    governor: Trigger | None = None
    governed: list[Trigger] = field(default_factory=list)
    status: EventStatus = EventStatus.happened
    cameo: str | None = None
    type: str = ""
    dropped: bool = False
    refusal: bool = False  # a refusal verb: its own negation is part of the trigger
    nominal_of: Token | None = None  # 'the release of Temer': the verb's object, after 'of'
    demand: Token | None = None  # for 'said Y must ...': the clause demanded
    # read by every stage, many times per trigger: Token.pos_ looks its string up on each read
    is_noun: bool = field(init=False)

    def __post_init__(self) -> None:
        self.is_noun = self.token.pos_ in ("NOUN", "PROPN")


class DocQuotes(tuple[Quote, ...]):
    """A document's quotes, in order, with the first that covers a character found in logarithmic
    time (a scan of them all for every trigger was quadratic in a long document: issue 19)."""

    _covering: FirstCovering | None = None

    def covering(self, char: int) -> int | None:
        """The index of the first quote whose quoted words cover ``char`` (``Quote.covers``)."""
        if self._covering is None:
            self._covering = FirstCovering([(p.start, p.end) for p in q.parts()] for q in self)
        return self._covering.first(char)


@dataclass(frozen=True, eq=False)
class DocWords:
    """Every token's lower-case lemma, lower-case form and character offset, read once per Doc
    as plain strings: a Token object is made on every access, and scanning each sentence's
    words through them was the largest single cost of event coding."""

    lemmas: list[str]
    lowers: list[str]
    idx: list[int]

    @classmethod
    def of(cls, doc: Doc) -> DocWords:
        if not len(doc):
            return cls([], [], [])
        lemmas, lowers, idx = doc.to_array(["LEMMA", "LOWER", "IDX"]).T.tolist()
        if len(_STRINGS) > _MAX_STRINGS:
            _STRINGS.clear()
        strings = doc.vocab.strings
        for h in set(lemmas).union(lowers).difference(_STRINGS):
            _STRINGS[h] = strings[h].lower()
        return cls([_STRINGS[h] for h in lemmas], [_STRINGS[h] for h in lowers], idx)


#: string hash -> the lower-cased string, shared by all Docs (a hash names one string in every
#: vocabulary); cleared when it grows past the bound, so a long run cannot fill memory.
_STRINGS: dict[int, str] = {}
_MAX_STRINGS = 1_000_000


@dataclass(frozen=True, eq=False)
class SentenceContext:
    """One sentence as every stage sees it. ``trigger_tokens`` and ``contexts`` are known
    only once the sentence's triggers are: :meth:`with_triggers` gives the context the
    stages after trigger finding read."""

    doc: Doc
    sent: Span
    doc_text: str  # Doc.text joins the tokens on every call: read once per Doc
    sentence: TextSpan  # the sentence as the events' evidence
    text_lower: str  # for multiword cues ('blue helmets'), matched in the text
    words: frozenset[str]  # lemmas and lower-case forms of the sentence's words
    by_token: Sequence[ActorMention | None]  # token index -> the actor mention covering it
    quotes: Sequence[Quote]
    doc_words: DocWords
    # every word of a trigger ('stopped work'): none of them is what an event is done to
    trigger_tokens: frozenset[int] = frozenset()
    # the PLOVER contexts whose keywords the sentence has
    contexts: tuple[str, ...] = ()

    def with_triggers(self, triggers: Sequence[Trigger], lexicon: Lexicon) -> SentenceContext:
        return replace(
            self,
            trigger_tokens=frozenset(t.i for trig in triggers for t in trig.tokens),
            contexts=lexicon.contexts_in(self.words),
        )


def sentence_context(
    doc: Doc,
    sent: Span,
    doc_text: str,
    by_token: Sequence[ActorMention | None],
    quotes: Sequence[Quote],
    doc_words: DocWords | None = None,
) -> SentenceContext:
    """The context of one sentence; ``doc_words`` is read once per Doc by a caller that codes
    every sentence of it."""
    if doc_words is None:
        doc_words = DocWords.of(doc)
    start, end = sent.start_char, sent.end_char
    first, last = sent.start, sent.end
    text = doc_text[start:end]
    return SentenceContext(
        doc=doc,
        sent=sent,
        doc_text=doc_text,
        sentence=TextSpan(text=text, start=start, end=end),
        text_lower=text.lower(),
        words=frozenset(doc_words.lemmas[first:last]).union(doc_words.lowers[first:last]),
        by_token=by_token,
        quotes=quotes,
        doc_words=doc_words,
    )
