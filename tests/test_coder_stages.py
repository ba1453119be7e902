"""The event coder's stages, each run on its own over one frozen sentence context."""

from __future__ import annotations

import dataclasses

import pytest

from communique.events import status as status_stage
from communique.events.coder import EventCoder
from communique.events.context import sentence_context
from communique.events.mentions import index_mentions
from communique.events.triggers import compose, find_triggers
from communique.models import EventStatus


def _context(sentence_pipeline, text):
    doc = sentence_pipeline.nlp(text)
    sent = next(iter(doc.sents))
    by_token = tuple(index_mentions(doc, doc._.actors or []))
    return doc, sentence_context(doc, sent, doc.text, by_token, tuple(doc._.quotes or []))


def _coder(sentence_pipeline) -> EventCoder:
    return sentence_pipeline.nlp.get_pipe("communique_events").coder


def test_the_context_is_frozen(sentence_pipeline):
    _, ctx = _context(sentence_pipeline, "Russia threatened to strike Ukrainian energy facilities.")
    assert {"threaten", "threatened", "strike"} <= ctx.words
    assert ctx.text_lower.startswith("russia threatened")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.words = frozenset()  # type: ignore[misc]


def test_a_context_with_its_triggers_keeps_every_other_field(sentence_pipeline):
    """``with_triggers`` names each field (dataclasses.replace was slower per sentence): a field
    added to the context and left out there would silently fall back to its default."""
    coder = _coder(sentence_pipeline)
    _, ctx = _context(sentence_pipeline, "Troops fired missiles at the refugee camp near the border.")
    triggers, _ = find_triggers(coder.config, ctx, ctx.sent)
    assert triggers
    after = ctx.with_triggers(triggers, coder.config.lex)
    set_here = {"trigger_tokens", "contexts"}
    for f in dataclasses.fields(ctx):
        if f.name not in set_here:
            assert getattr(after, f.name) is getattr(ctx, f.name), f.name
    assert after.trigger_tokens == frozenset(t.i for trig in triggers for t in trig.tokens)
    assert after.contexts == coder.config.lex.contexts_in(ctx.words)


def test_contexts_are_found_word_by_word(sentence_pipeline):
    """The keyword index gives what testing every context against the sentence gives, in the
    contexts' order, and follows a user's added context."""
    lexicon = _coder(sentence_pipeline).config.lex
    _, ctx = _context(sentence_pipeline, "Troops fired missiles at the refugee camp near the border.")
    expected = tuple(n for n, ws in lexicon.contexts.items() if not ctx.words.isdisjoint(ws))
    assert expected and lexicon.contexts_in(ctx.words) == expected
    lexicon.contexts["test_only_context"] = {"camp"}
    try:
        assert lexicon.contexts_in(ctx.words)[-1] == "test_only_context"
    finally:
        del lexicon.contexts["test_only_context"]
    assert "test_only_context" not in lexicon.contexts_in(ctx.words)


def test_triggers_compose_and_take_their_status(sentence_pipeline):
    cfg = _coder(sentence_pipeline).config
    _, ctx = _context(sentence_pipeline, "Russia threatened to strike Ukrainian energy facilities.")
    triggers, _speech = find_triggers(cfg, ctx, ctx.sent)
    compose(cfg, triggers)
    by_lemma = {t.token.lemma_: t for t in triggers}
    strike, threat = by_lemma["strike"], by_lemma["threaten"]
    assert strike.governor is threat and threat.type == "THREATEN"
    assert status_stage.status(cfg, strike) == EventStatus.threatened


def test_the_coder_keeps_no_sentence_state(sentence_pipeline):
    coder = _coder(sentence_pipeline)
    before = dict(vars(coder))
    sentence_pipeline.process_text("Azerbaijani troops did not attack Armenian positions on Sunday.")
    assert vars(coder) == before
    assert set(before) == {"resolver", "lex", "onto", "keep_uncoded", "config"}


def test_a_coded_doc_is_freed_when_dropped(sentence_pipeline):
    """A threat governs the sanction it threatens (governor <-> governed). Those links hold the
    Doc's Tokens: left in a cycle they would keep every coded Doc alive until Python's cyclic
    collector ran, so a long run would hold thousands of Docs and pay for large collections."""
    import gc
    import weakref

    gc.collect()
    gc.disable()
    try:
        for _ in range(2):  # (the first call of a session may take another path: warm caches)
            doc = sentence_pipeline.nlp("Russia threatened to impose sanctions on Ukraine.")
            assert "THREATEN" in [e.type for e in doc._.events]
            dropped = weakref.ref(doc)
            del doc
            assert dropped() is None  # freed at once, not by the cyclic collector
    finally:
        gc.enable()


def _parser_labels(sentence_pipeline) -> set[str]:
    return set(sentence_pipeline.nlp.get_pipe("parser").labels)


def test_children_outside_the_status_labels_tell_no_status(sentence_pipeline):
    """``_local_status`` passes by children whose label is not in ``_STATUS_DEPS`` without asking
    ``_child_status``: the set must hold every label ``_child_status`` reads a status from."""
    from communique.events.status import _STATUS_DEPS, _child_status

    cfg = _coder(sentence_pipeline).config
    doc = sentence_pipeline.nlp("They will not possibly strike if no allegedly planned talks fail.")
    for label in _parser_labels(sentence_pipeline) - _STATUS_DEPS:
        for child in doc:
            for noun in (False, True):
                assert _child_status(cfg, child, label, noun, False) is None, label


def test_children_outside_the_role_labels_get_no_role(sentence_pipeline):
    """``_verb_children`` passes by children whose label is not in ``_ROLE_DEPS`` without asking
    ``_verb_child``: the set must hold every label ``_verb_child`` gives a role."""
    from communique.events.arguments import _ROLE_DEPS, _verb_child

    cfg = _coder(sentence_pipeline).config
    doc, ctx = _context(sentence_pipeline, "Russian troops attacked Ukrainian positions near Kharkiv by night.")
    triggers, _ = find_triggers(cfg, ctx, ctx.sent)
    assert triggers
    preps = frozenset({"near", "by", "in", "on", "against"})
    for label in _parser_labels(sentence_pipeline) - _ROLE_DEPS:
        for child in doc:
            for passive in (False, True):
                role, found = _verb_child(cfg, ctx, triggers[0], child, label, preps, passive, False, False)
                assert role is None and not found, label
