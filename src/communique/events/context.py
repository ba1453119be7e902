"""What the stages of the event coder share about one sentence.

:class:`SentenceContext` is built once per sentence and frozen: every stage reads the same
Doc, sentence, words and mention index from it instead of from state kept on the coder, so
a stage can be read (and called) on its own. :class:`Trigger` is the one thing the stages
do change: composition links triggers and drops some, the status stage sets their status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from communique.events.lexicon import Lexicon, Sense
from communique.models import ActorMention, EventStatus, Quote
from communique.models import Span as TextSpan
from communique.spans import FirstCovering
from communique.tokens import DocWords, doc_words


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
    # the sources and targets the parse links to it (arguments.actors), kept once found: a
    # governor asks for those of the triggers it governs, which are asked again for their own
    linked: tuple[list[ActorMention], list[ActorMention]] | None = field(default=None, repr=False)
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
        # every field named: dataclasses.replace reads them all through fields() per sentence
        return SentenceContext(
            doc=self.doc,
            sent=self.sent,
            doc_text=self.doc_text,
            sentence=self.sentence,
            text_lower=self.text_lower,
            words=self.words,
            by_token=self.by_token,
            quotes=self.quotes,
            doc_words=self.doc_words,
            trigger_tokens=frozenset(t.i for trig in triggers for t in trig.tokens),
            contexts=lexicon.contexts_in(self.words),
        )


def sentence_context(
    doc: Doc,
    sent: Span,
    doc_text: str,
    by_token: Sequence[ActorMention | None],
    quotes: Sequence[Quote],
    words: DocWords | None = None,
) -> SentenceContext:
    """The context of one sentence; ``words``: the Doc's token table (``tokens.doc_words``)."""
    if words is None:
        words = doc_words(doc)
    start, end = sent.start_char, sent.end_char
    first, last = sent.start, sent.end
    text = doc_text[start:end]
    return SentenceContext(
        doc=doc,
        sent=sent,
        doc_text=doc_text,
        sentence=TextSpan(text=text, start=start, end=end),
        text_lower=text.lower(),
        words=frozenset(words.lemmas[first:last] + words.lowers[first:last]),  # (one set built, not two)
        by_token=by_token,
        quotes=quotes,
        doc_words=words,
    )
