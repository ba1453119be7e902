"""The event coder: triggers from the lexicon, actors from the dependency parse, status
from the words around the trigger, evidence as character spans.

For each sentence, one :class:`SentenceContext` (``context.py``) is built, and the stages
run over it in order:

1. ``triggers.find_triggers``: verbs and nouns (and multiword phrases) of the trigger
   lexicon; a light verb ("held talks") hands the event to its object noun; plus
   ``triggers.demands`` ("X said Y must ...");
2. ``triggers.compose``: triggers that govern one another ("agreed to meet" = AGREE [036]
   with the meeting intended; "threatened to strike" = THREATEN with the strike threatened);
3. ``arguments``: the source (subject, passive agent, possessive or nationality of a noun,
   "by" phrase) and target (object, with/against/on/to phrases), fanning out over
   coordinated actors, with fallbacks when the parse links none;
4. ``status.status``: negation, modality, governing cue verbs, conditions, allegation;
5. ``codes``: type changes by status and sentence, mode, CAMEO, Goldstein, quad class,
   contexts and confidence; ``arguments.reporter``: the quote and who reported it.

The coder itself holds only what it knows (:class:`CoderConfig`: rules, lexicon, ontology,
resolver); nothing of a sentence is kept on it between calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from communique.events import arguments, codes
from communique.events.config import CoderConfig
from communique.events.context import DocQuotes, SentenceContext, Trigger, sentence_context
from communique.events.grammar import subject_words
from communique.events.lexicon import Lexicon
from communique.events.mentions import MentionTable, coded, index_mentions, mentions_at
from communique.events.ontology import Ontology
from communique.events.phrases import argument_phrase, tokens_text, what_phrase
from communique.events.status import status
from communique.events.triggers import compose, demands, drop_idle, find_triggers
from communique.models import ActorMention, Event, EventStatus
from communique.models import Span as TextSpan
from communique.rules import load_rules
from communique.spans import doc_text
from communique.tokens import doc_words

# Kept importable from here, where they lived before the stages were modules.
__all__ = ["EventCoder", "Trigger", "index_mentions", "mentions_at"]


class EventCoder:
    """Code the events of a parsed, actor-resolved Doc."""

    def __init__(
        self, lexicon: Lexicon, ontology: Ontology, *, keep_uncoded: bool = False, resolver: Any = None
    ) -> None:
        # kept as attributes too: the trainable event model (events/model.py) reads onto and
        # keep_uncoded off the coder it is combined with
        self.resolver = resolver  # codes phrases that are no actor mention ('a court decision')
        self.lex = lexicon
        self.onto = ontology
        self.keep_uncoded = keep_uncoded
        self.config = CoderConfig.build(
            load_rules(), lexicon, ontology, resolver=resolver, keep_uncoded=keep_uncoded
        )

    def code(self, doc: Doc) -> list[Event]:
        mentions: list[ActorMention] = doc._.actors or []
        quotes = DocQuotes(doc._.quotes or [])
        by_token = MentionTable(index_mentions(doc, mentions))
        text = doc_text(doc)  # Doc.text and Span.text join the tokens on every call
        words = doc_words(doc)
        events: list[Event] = []
        for sent in doc.sents:
            events.extend(self._code_sentence(sentence_context(doc, sent, text, by_token, quotes, words)))
        return events

    def _code_sentence(self, ctx: SentenceContext) -> list[Event]:
        cfg = self.config
        triggers, speech_verbs = find_triggers(cfg, ctx, ctx.sent)
        # 'X said Y must ensure ...' is a demand even when what is demanded is no trigger
        triggers.extend(demands(cfg, speech_verbs, triggers))
        if not triggers:
            return []
        ctx = ctx.with_triggers(triggers, cfg.lex)
        compose(cfg, triggers)
        drop_idle(cfg, ctx, triggers)
        events: list[Event] = []
        for trig in triggers:
            if trig.dropped:
                continue
            trig.status = status(cfg, trig)
            events.extend(self._events_for(ctx, trig))
        _unlink(triggers)
        return events

    def _events_for(self, ctx: SentenceContext, trig: Trigger) -> list[Event]:
        """The records of one trigger: one per (source, target) pair."""
        cfg = self.config
        found = arguments.event_actors(cfg, ctx, trig)
        if found is None:
            return []
        sources, targets = found
        ev_type, ev_status, cameo = codes.recode(cfg, ctx, trig)
        if ev_type == "REJECT":
            sources, targets = arguments.refusal_actors(cfg, ctx, trig, sources, targets)
        pairs = self._kept(trig, arguments.pairs(cfg, trig, ev_type, ev_status, sources, targets))
        if not pairs:
            return []  # before the codes and phrases of records no one will read
        mode, cameo = codes.mode(cfg, ctx, trig, ev_type, cameo)
        goldstein, quad_class = codes.scale(cfg, ev_type, cameo)
        quote, reporter = arguments.reporter(cfg, ctx, trig)
        at = [t.i for t in trig.tokens]  # (one walk of the trigger's words, not two)
        first, last = min(at), max(at)
        coding = _Coding(
            type=ev_type,
            status=ev_status,
            mode=mode,
            cameo=cameo,
            goldstein=goldstein,
            quad_class=quad_class,
            contexts=codes.contexts(ctx, trig),
            trigger=tokens_text(ctx.doc, first, last),
            quote=quote,
            reporter=reporter,
        )
        return [self._record(ctx, trig, coding, source, target) for source, target in pairs]

    def _kept(self, trig: Trigger, pairs: list[arguments.Pair]) -> list[arguments.Pair]:
        """The (source, target) pairs that become records: those with a coded actor, unless
        uncoded records are kept. With no coded actor, an act of 'the neighbors' or 'both
        sides' (the document stage knows the two states they are) and 'the ceasefire' with
        no one named (an agreed act told again, whose parties the document stage finds in
        the agreement) are kept uncoded."""
        if self.keep_uncoded:
            return pairs
        coded_pairs = [(s, t) for s, t in pairs if coded(s) or coded(t)]
        if coded_pairs:
            return coded_pairs
        sides = subject_words(trig.token) in self.config.rules.two_sides
        return pairs if sides or _definite_noun(trig) else []

    def _record(
        self,
        ctx: SentenceContext,
        trig: Trigger,
        coding: _Coding,
        source: ActorMention | None,
        target: ActorMention | None,
    ) -> Event:
        cfg = self.config
        source_phrase = argument_phrase(trig, source, ctx.sent)
        if target is not None:
            target_phrase = argument_phrase(trig, target, ctx.sent, apart_from=source_phrase)
        else:  # what the event is done to, as the text says it
            target_phrase = what_phrase(cfg, ctx, trig)
        return Event(
            type=coding.type,
            mode=coding.mode,
            context=coding.contexts,
            cameo=coding.cameo,
            goldstein=coding.goldstein,
            quad_class=coding.quad_class,
            status=coding.status,
            source=source,
            target=target,
            source_phrase=source_phrase,
            target_phrase=target_phrase,
            trigger=coding.trigger,
            sentence=ctx.sentence,
            confidence=codes.confidence(cfg, trig, source, target, coding.status),
            reported_by=coding.reporter,
            quote=coding.quote,
            method="lexicon",
        )


@dataclass(frozen=True)
class _Coding:
    """What every record of one trigger shares: its codes, trigger words and reporter."""

    type: str
    status: EventStatus
    mode: str | None
    cameo: str | None
    goldstein: float | None
    quad_class: int | None
    contexts: list[str]
    trigger: TextSpan
    quote: int | None
    reporter: ActorMention | None


def _unlink(triggers: list[Trigger]) -> None:
    """Break the governor <-> governed references once the sentence is coded. The triggers hold
    the Doc's Tokens: left in a cycle they would keep the whole Doc (its arrays, every mention
    and record) alive after the caller drops it, until Python's cyclic collector found it."""
    for trig in triggers:
        trig.governor = None
        trig.governed = []


def _definite_noun(trig: Trigger) -> bool:
    """'the ceasefire': a noun trigger with the definite article."""
    return trig.is_noun and any(c.dep_ == "det" and c.lower_ == "the" for c in trig.token.children)
