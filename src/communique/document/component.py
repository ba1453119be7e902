"""spaCy component of the document stage: rewrites ``doc._.events`` as document records."""

from __future__ import annotations

from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc

from communique.actors.knowledge import fold_key
from communique.document.context import build_context
from communique.document.records import (
    RecordRules,
    agreed_acts_told_again,
    agreement_contents,
    amounts_are_no_actors,
    apply_mentions,
    courts_are_no_targets,
    denials_answer_accusers,
    drop_contents,
    drop_demanded,
    drop_non_political,
    drop_set_phrases,
    fights_have_two_sides,
    halts_aim_at_the_halted,
    implied_agents,
    implied_targets,
    merge_mentions,
    own_envoys_are_no_targets,
    own_weapons_are_no_targets,
    passive,
    place_generic_actors,
    places_as_locations,
    populations_as_targets,
    protests_at_governments,
    recode_namesakes,
    retaliations_answer_attacks,
    sides_are_the_two_states,
    speakers_as_actors,
    stopped_fights,
    targets_from_phrases,
    triggers_are_no_actors,
    victims_are_no_sources,
    weapons_are_no_sources,
)
from communique.events.lexicon import load_lexicon
from communique.lang import LANGUAGE, language_data
from communique.models import ActorMention, Event
from communique.yamlfiles import load_yaml

RULES = resources.files("communique") / "data" / "document" / "records.yaml"


@Language.factory("communique_records", default_config={"actors_files": [], "keep_uncoded": False})
def make_records_component(
    nlp: Language, name: str, actors_files: list[str], keep_uncoded: bool
) -> RecordsComponent:
    return RecordsComponent(actors_files=actors_files, keep_uncoded=keep_uncoded)


class RecordsComponent:
    def __init__(self, actors_files: list[str] | None = None, keep_uncoded: bool = False) -> None:
        self.keep_uncoded = keep_uncoded  # the sentence benchmarks score events with no actor too
        from communique.actors import ActorResolver, load_knowledge

        self.resolver = ActorResolver(load_knowledge(tuple(actors_files or ())))
        self.trigger_nouns = frozenset(load_lexicon().nouns)
        self.rules = RecordRules.model_validate(load_yaml(RULES.read_text(encoding="utf-8")))
        self.exchanges = language_data(LANGUAGE, "rules").words("exchange_nouns")

    def _is_role(self, word: str) -> bool:
        return self.resolver.kb.roles.get(fold_key(word)) is not None

    def __call__(self, doc: Doc) -> Doc:
        events = doc._.events
        if not events:
            return doc
        mentions: list[ActorMention] = doc._.actors or []
        ctx = build_context(doc, mentions, self.resolver.country_code)
        recoded = recode_namesakes(mentions, ctx, self._is_role)
        if recoded:
            mentions = [recoded.get((m.start, m.end), m) for m in mentions]
            doc._.actors = mentions
            events = apply_mentions(events, recoded)
        of_focus = [m for m in mentions if m.country == ctx.country and m.kind != "pronoun"]
        focus = next((m for m in of_focus if m.kind == "country"), of_focus[0] if of_focus else None)
        events = drop_set_phrases(events, doc.text)
        events = triggers_are_no_actors(events, doc, self.trigger_nouns)
        events = agreed_acts_told_again(events, doc, self.rules)
        events = drop_contents(events, doc, self.rules)
        events = drop_demanded(events, doc, self.rules)
        events = weapons_are_no_sources(events)
        events = agreement_contents(events, doc, self.rules)
        events = speakers_as_actors(events, self.rules)
        events = amounts_are_no_actors(events, doc)
        events = victims_are_no_sources(events, doc, self.rules)
        events = places_as_locations(events, self.rules)
        events = drop_non_political(events, doc, self.rules)
        events = place_generic_actors(events, ctx, self.rules)
        events = implied_agents(events, doc, self.rules)
        events = denials_answer_accusers(events, self.rules)
        events = retaliations_answer_attacks(events, doc, self.rules)
        events = populations_as_targets(events, ctx, self.rules)
        events = protests_at_governments(events, ctx, self.rules)
        events = targets_from_phrases(events, mentions, doc, self.rules)
        events = own_envoys_are_no_targets(events, self.rules, ctx, mentions)
        events = courts_are_no_targets(events, self.rules, ctx, mentions)
        events = sides_are_the_two_states(events, doc, ctx, mentions)
        events = stopped_fights(events, doc, self.rules)
        events = fights_have_two_sides(events, doc, ctx, mentions)
        events = halts_aim_at_the_halted(events, doc, self.rules, ctx, mentions)
        events = implied_targets(events, ctx, focus)
        events = own_weapons_are_no_targets(events)  # after every rule that fills targets
        actor_tokens = _actor_tokens(doc, mentions)
        records = merge_mentions(
            events,
            lambda e: _lemma(doc, e),
            self.rules.addressed_types,
            lambda e: _refers_back(doc, e, actor_tokens),
            self.exchanges,
            self.rules,
        )
        if not self.keep_uncoded:
            # a record needs who did it, as event data codes (ICEWS, PETRARCH): 'the missile
            # presented a threat' names nobody; an act whose doer the coder missed is no
            # record. One told in the passive has what the text says ('Bolsonaro is accused').
            records = [r for r in records if r.source is not None or _done_to(doc, r)]
        doc._.events = records
        return doc


_DEFINITE = language_data(LANGUAGE, "document").words("definite_articles")


def _done_to(doc: Doc, record: Event) -> bool:
    """A record with a target, told in the passive with its doer left unsaid."""
    if record.target is None:
        return False
    words = doc.char_span(record.trigger.start, record.trigger.end, alignment_mode="expand")
    return words is not None and passive(words.root)


def _lemma(doc: Doc, event: Event) -> str:
    """The lemma of the word that heads ``event``'s trigger: 'arrested' and 'arrest' are one."""
    words = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    return words.root.lemma_.lower() if words is not None else event.trigger.text.lower()


def _actor_tokens(doc: Doc, mentions: list[ActorMention]) -> set[int]:
    out: set[int] = set()
    for m in mentions:
        words = doc.char_span(m.start, m.end, alignment_mode="expand")
        if words is not None:
            out.update(range(words.start, words.end))
    return out


def _refers_back(doc: Doc, event: Event, actor_tokens: set[int]) -> bool:
    """'were present at Friday's talks', 'chairing the talks': an event noun made definite
    (by 'the' or a date's possessive) that names no participant of its own is the event the
    article told before."""
    words = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    if words is None or words.root.pos_ != "NOUN":
        return False
    head = words.root
    definite = any(
        (c.dep_ == "det" and c.lower_ in _DEFINITE) or (c.dep_ == "poss" and c.ent_type_ in ("DATE", "TIME"))
        for c in head.children
    )
    return definite and not any(t.i in actor_tokens for t in head.subtree if t.i != head.i)
