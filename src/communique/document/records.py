"""From event mentions to records: one record per real event, its actors placed.

Each rule is a pure function over the sentence coder's events (``component.py`` runs them
in order); together they:

* drop what is no event: set phrases, what another act is about or demands, the help a
  promise promises;
* drop what is no participant: trigger words, dates and amounts, victims as sources,
  weapons placed only by their sentence, places (which become ``location``);
* fill what the sentence left implicit: generic actors placed in a country, a state's
  agent of a passive act, a speaker's 'I', targets named inside an act's object or implied
  by the article's country;
* :func:`merge_mentions` makes the mentions that report one event (the trigger words of one
  clause, both directions of a mutual act, the same act retold later) one record whose
  ``mentions`` list every trigger and sentence that reports it.

Each inferred role lowers the event's confidence by :data:`PLACED_PENALTY` and says so in
its ``matched`` provenance.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Container, Sequence

from pydantic import BaseModel, ConfigDict, Field
from spacy.tokens import Doc, Token

from communique.actors.knowledge import is_state_code, placeable
from communique.document.context import DocumentContext
from communique.events.grammar import shares_passive, subject_words
from communique.lang import LANGUAGE, language_data
from communique.models import ActorMention, Event, EventMention, Span
from communique.spans import SpanIndex

_WORDS = language_data(LANGUAGE, "document")
_RULE_WORDS = language_data(LANGUAGE, "rules")

_FIRST_PERSON = language_data(LANGUAGE, "actors").words("first_person")  # 'we', 'I': a speaker's own act

#: Confidence an event loses when one of its actors was placed by the document, not the text.
PLACED_PENALTY = 0.1


class RecordRules(BaseModel):
    """data/document/records.yaml, typed: a key it does not know fails at load time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    content_types: frozenset[str] = Field(description="Acts whose object can be another act.")
    implied_state_agent: dict[str, str] = Field(
        description="Event type -> sector of its implied state agent."
    )
    agreement_types: frozenset[str] = Field(description="Types of acts that agree to another act.")
    promised_help: frozenset[str] = Field(description="Promised acts coded as the promise.")
    agreed_concessions: frozenset[str] = Field(description="Agreed acts coded as the act, intended.")
    place_targets_kept: frozenset[str] = Field(description="Types whose place target stands for its people.")
    victim_types: frozenset[str] = Field(description="Acts done to people: their sufferers are no source.")
    demand_types: frozenset[str] = Field(description="Acts whose demanded or threatened act is no record.")
    state_sectors: frozenset[str] = Field(description="Sectors that act for their country wherever they are.")
    population_modes: frozenset[str] = Field(description="Measures on a population: their implied target.")
    protested: dict[str, str] = Field(description="Type -> sector a crowd act names nobody is aimed at.")
    crowd_sectors: frozenset[str] = Field(description="Sectors of crowds.")
    business_sectors: frozenset[str] = Field(description="Sectors whose acts among themselves are business.")
    envoy_measures: frozenset[str] = Field(description="Measures on own envoys, aimed at their host.")
    court_cases: frozenset[str] = Field(description="Complaints an international court hears.")
    sending_types: frozenset[str] = Field(description="Acts that pledge, send or deploy forces.")
    sent_forces: frozenset[str] = Field(description="Sectors of the forces a state sends.")
    speaker_party_types: frozenset[str] = Field(description="Talks whose unnamed party is the speaker side.")
    venue_types: frozenset[str] = Field(description="Acts whose place is only where they were held.")
    answer_types: frozenset[str] = Field(description="Rejections that answer the last accuser.")
    implied_alone_types: frozenset[str] = Field(description="Implied agents only where no other actor is.")
    answered_types: frozenset[str] = Field(description="Acts against an actor that a rejection answers.")
    retort_types: frozenset[str] = Field(description="Acts on 'the ruling' that answer like a rejection.")
    addressed_types: frozenset[str] = Field(
        description="Acts addressed to someone: one clause's words aimed at two bodies are two acts."
    )
    halting: dict[str, frozenset[str]] = Field(description="Type -> modes of acts that halt a military act.")
    kinds_of_act: frozenset[str] = Field(description="Types whose modes are kinds of act, not means of one.")
    modes_apart: frozenset[str] = Field(description="Modes never retold by a mention of another mode.")


def _lowered(event: Event) -> float:
    """The confidence of ``event`` once a role of it is inferred, not read."""
    return max(0.0, round(event.confidence - PLACED_PENALTY, 4))


def is_generic(mention: ActorMention) -> bool:
    """An actor named by its role alone: sectors but no country, no name ('police', 'the
    authorities', 'protesters', 'the interior ministry'); never a pronoun."""
    unnamed = mention.name is None and mention.kind != "pronoun"
    return unnamed and mention.country is None and bool(mention.sectors)


def place(
    mention: ActorMention, ctx: DocumentContext, sentence_start: int, state_sectors: frozenset[str]
) -> ActorMention:
    """``mention`` with the country where it acts, when it is generic and the document tells;
    a state institution (``state_sectors``) is placed by the article, never by its sentence."""
    if not is_generic(mention) or not placeable(mention.text):
        return mention
    local = not (set(mention.sectors) & state_sectors)
    country, how = ctx.place_of(sentence_start, local=local)
    if country is None:
        return mention
    matched = f"{mention.matched};placed:{how}" if mention.matched else f"placed:{how}"
    return mention.model_copy(update={"country": country, "matched": matched})


def recode_namesakes(
    mentions: Sequence[ActorMention], ctx: DocumentContext, is_role: Callable[[str], bool]
) -> dict[tuple[int, int], ActorMention]:
    """'Congress' alone in an article about Peru is Peru's: a one-word institution name that
    the knowledge gave another country's entry (the US Congress) is the document country's
    own, when nothing else in the document is of that other country. Returns the recoded
    mentions by their (start, end)."""
    if ctx.country is None:
        return {}
    out = {}
    for m in mentions:
        words = m.text.lower().removeprefix("the ").split()
        if (
            len(words) == 1
            and m.name is not None
            and m.country is not None
            and is_state_code(m.country)
            and m.country != ctx.country
            and is_role(words[0])
            and all(x.text == m.text for x in mentions if x.country == m.country)
        ):
            update = {"country": ctx.country, "name": None, "matched": f"{m.matched};namesake:document"}
            out[(m.start, m.end)] = m.model_copy(update=update)
    return out


def apply_mentions(events: Sequence[Event], recoded: dict[tuple[int, int], ActorMention]) -> list[Event]:
    """``events`` with their actors replaced by the recoded mentions at the same place."""
    if not recoded:
        return list(events)

    def swap(m: ActorMention | None) -> ActorMention | None:
        return recoded.get((m.start, m.end), m) if m is not None else None

    return [e.model_copy(update={"source": swap(e.source), "target": swap(e.target)}) for e in events]


def map_actors(
    events: Sequence[Event], change: Callable[[ActorMention | None], ActorMention | None]
) -> list[Event]:
    """``events`` with ``change`` applied to each source and target (copied only if changed)."""
    out = []
    for event in events:
        source, target = change(event.source), change(event.target)
        if source is not event.source or target is not event.target:
            event = event.model_copy(update={"source": source, "target": target})
        out.append(event)
    return out


def place_generic_actors(events: Sequence[Event], ctx: DocumentContext, rules: RecordRules) -> list[Event]:
    out = []
    for event in events:
        start, sectors = event.sentence.start, rules.state_sectors
        source = place(event.source, ctx, start, sectors) if event.source else None
        target = place(event.target, ctx, start, sectors) if event.target else None
        if source is event.source and target is event.target:
            out.append(event)
            continue
        confidence = _lowered(event)
        out.append(event.model_copy(update={"source": source, "target": target, "confidence": confidence}))
    return out


def populations_as_targets(events: Sequence[Event], ctx: DocumentContext, rules: RecordRules) -> list[Event]:
    """'declared a state of emergency in Amhara', 'decreed a curfew throughout the country':
    a measure on an area is done to the people who live there, the civilians of the
    sentence's place, else of the acting state, else of the article's country."""
    out = []
    for event in events:
        if event.target is None and event.type == "COERCE" and event.mode in rules.population_modes:
            country, how = ctx.place_of(event.sentence.start)
            own = event.source.country if event.source is not None else None
            if how != "sentence" and own is not None and is_state_code(own):
                country, how = own, "source"
            if country is not None:
                people = ActorMention(
                    text=event.trigger.text,
                    start=event.trigger.start,
                    end=event.trigger.end,
                    country=country,
                    sectors=["CVL"],
                    kind="group",
                    matched=f"implied:population;placed:{how}",
                )
                event = event.model_copy(update={"target": people, "confidence": _lowered(event)})
        out.append(event)
    return out


def protests_at_governments(events: Sequence[Event], ctx: DocumentContext, rules: RecordRules) -> list[Event]:
    """'Strikers took to the streets of Buenos Aires': a crowd's protest that names nobody it
    is aimed at is aimed at the government of where it protests (the sentence's place, else
    the crowd's country; rules: protested). A convention, not a guess: the record keeps its
    confidence and says ``implied`` in the target's provenance."""
    out = []
    for event in events:
        sector = rules.protested.get(event.type)
        source = event.source
        if (
            sector is not None
            and event.target is None
            and source is not None
            and source.country is not None
            and set(source.sectors) & rules.crowd_sectors
        ):
            where = ctx.sentence_country.get(event.sentence.start)
            government = ActorMention(
                text=event.trigger.text,
                start=event.trigger.start,
                end=event.trigger.end,
                country=where or source.country,
                sectors=[sector],
                kind="group",
                matched=f"implied:{event.type}",
            )
            event = event.model_copy(update={"target": government})
        out.append(event)
    return out


# -- victims are no perpetrators -----------------------------------------------------------------
def victims_are_no_sources(events: Sequence[Event], doc: Doc, rules: RecordRules) -> list[Event]:
    """'Three people died in the attack and 27 others were wounded': who died or was hurt
    is no attacker, whatever verb the coder took its subject from."""
    victim_verbs = _WORDS.words("victim_verbs")
    out = []
    for event in events:
        source = event.source
        head = _root(doc, Span(text=source.text, start=source.start, end=source.end)) if source else None
        if (
            head is not None
            and event.type in rules.victim_types
            and (
                head.dep_ == "nsubjpass"
                or (head.dep_ == "nsubj" and head.head.lemma_.lower() in victim_verbs)
            )
            and not _controlled_act(_root(doc, event.trigger), head.head)
        ):
            event = event.model_copy(update={"source": None})
        elif head is not None and event.type in rules.victim_types and _victim_of(head):
            target = event.target or event.source  # 'soldiers were the subject of attacks'
            event = event.model_copy(update={"source": None, "target": target})
        out.append(event)
    return out


def _victim_of(subject: Token) -> bool:
    """'Soldiers were the subject of unprovoked attacks': the subject of 'be' whose
    complement is a word of suffering an act (document.yaml victim_nouns) with 'of'."""
    verb = subject.head
    if subject.dep_ != "nsubj" or verb.lemma_ != "be":
        return False
    victim_nouns = _WORDS.words("victim_nouns")
    return any(
        c.dep_ == "attr" and c.lemma_.lower() in victim_nouns and any(p.lower_ == "of" for p in c.children)
        for c in verb.children
    )


def _controlled_act(trigger: Token | None, verb: Token) -> bool:
    """The trigger is a verb of a clause the subject of ``verb`` does ('was arrested after
    attempting to storm the palace': the general stormed it)."""
    if trigger is None or trigger.pos_ != "VERB" or trigger.i == verb.i or passive(trigger):
        return False  # 'after being arrested, Mr Khan was flown': he is who was arrested
    node, controlled = trigger, False
    for _ in range(6):
        if node.dep_ not in ("xcomp", "pcomp", "advcl", "prep", "conj") or node.head.i == node.i:
            return False
        controlled = controlled or node.dep_ != "conj"  # a conjunct clause is its own
        node = node.head
        if node.i == verb.i:
            return controlled
    return False


# -- weapons, trigger words and set phrases are no participants or events ------------------------
def weapons_are_no_sources(events: Sequence[Event]) -> list[Event]:
    """'The missile flew over Japan and presented a threat': a weapon or vehicle does not
    act. One its own words place ('Russian drones struck Kyiv') stands for its owner, and
    one the coder placed where its attack happened for the unidentified attacker ('an
    explosive device outside Basra'), as event coders code them; one placed only by its
    sentence ('missile' -> Japan) does not."""
    out = []
    for event in events:
        source = event.source
        if (
            source is not None
            and source.kind != "unidentified"
            and _is_weapon(source)
            and not _placed_by_own_words(source)
        ):
            event = event.model_copy(update={"source": None})
        out.append(event)
    return out


def own_weapons_are_no_targets(events: Sequence[Event]) -> list[Event]:
    """'North Korea fired a ballistic missile': what a side fires is its own weapon, no
    target; 'shot down an Indian jet' (another side's) stands for its owner."""
    out = []
    for event in events:
        source, target = event.source, event.target
        if (
            source is not None
            and target is not None
            and _is_weapon(target)
            and (target.country is None or target.country == source.country)
        ):
            event = event.model_copy(update={"target": None})
        out.append(event)
    return out


def own_envoys_are_no_targets(
    events: Sequence[Event], rules: RecordRules, ctx: DocumentContext, mentions: Sequence[ActorMention]
) -> list[Event]:
    """'France would recall its ambassador': a measure on a state's own envoys is aimed at
    the state they serve in: the article's most prominent other state, by its first mention.
    'Kenya pledged 1,000 police officers', 'deployed its troops': a state's own forces it
    sends are what it sends, not whom it is aimed at (:func:`implied_targets` runs after)."""
    envoys = _WORDS.words("envoys")
    out = []
    for event in events:
        source, target = event.source, event.target
        if source is None or target is None or target.country != source.country:
            out.append(event)
            continue
        if event.type in rules.envoy_measures and _last_word(target) in envoys:
            hosted = _first_of(ctx.other_party(source.country), mentions)
            event = event.model_copy(update={"target": hosted, "confidence": _lowered(event)})
        elif event.type in rules.sending_types and set(target.sectors) & rules.sent_forces:
            event = event.model_copy(update={"target": None})
        out.append(event)
    return out


def fights_have_two_sides(
    events: Sequence[Event], doc: Doc, ctx: DocumentContext, mentions: Sequence[ActorMention]
) -> list[Event]:
    """'A cease-fire between Armenia and Azerbaijan held after two days of fighting that killed
    176 soldiers': a fight told with no side named was fought between the states its sentence
    names, or else the article's two most prominent states; one side named in the target
    ('killed Azerbaijani soldiers') leaves the other as the source."""
    words = _WORDS.words("fight_nouns")
    out = []
    for event in events:
        if event.source is None and _fight_word(doc, event, words) in words:
            sides = _two_states(event.sentence, ctx, mentions)
            fought = event.target.country if event.target is not None else None
            others = [m for m in sides if m.country != fought]
            if others and (fought is not None or len(others) > 1):
                target = event.target if fought is not None else others[1]
                update = {"source": others[0], "target": target, "confidence": _lowered(event)}
                event = event.model_copy(update=update)
        out.append(event)
    return out


def sides_are_the_two_states(
    events: Sequence[Event], doc: Doc, ctx: DocumentContext, mentions: Sequence[ActorMention]
) -> list[Event]:
    """'The neighbors also agreed to withdraw forces', 'the sides discussed trade': a subject
    that names the story's two parties without naming them is the two states its sentence
    names, else the article's two most prominent; the one acts on the other, as a mutual act
    (the actor stage codes no country for such words, so the act would have no source)."""
    words = _RULE_WORDS.words("two_sides")
    out = []
    for event in events:
        if event.source is None and _subject_words(doc, event) in words:
            sides = _two_states(event.sentence, ctx, mentions)
            if len(sides) == 2:
                target = event.target if event.target is not None else sides[1]
                update = {"source": sides[0], "target": target, "confidence": _lowered(event)}
                event = event.model_copy(update=update)
        out.append(event)
    return out


def _subject_words(doc: Doc, event: Event) -> str:
    node = _root(doc, event.trigger)
    return subject_words(node) if node is not None else ""


def _halted(events: Sequence[Event], doc: Doc, rules: RecordRules) -> dict[int, int]:
    """Index of each act that is the object of a halting act of its sentence ('halted its
    operation', 'to stop the fighting') -> index of the halting act."""
    roots = [_root(doc, e.trigger) for e in events]
    halts = {
        r.i: k
        for k, (r, e) in enumerate(zip(roots, events, strict=True))
        if r is not None and e.mode in rules.halting.get(e.type, ())
    }
    if not halts:
        return {}
    return {
        k: halts[r.head.i]
        for k, r in enumerate(roots)
        if r is not None and r.dep_ == "dobj" and r.head.i in halts and halts[r.head.i] != k
    }


def stopped_fights(events: Sequence[Event], doc: Doc, rules: RecordRules) -> list[Event]:
    """'A deal was brokered by Russian peacekeepers to stop the fighting': a two-sided fight
    that an act halts was not fought by whoever halts it (the parse gives the fight the
    halting verb's subject); with no side left, :func:`fights_have_two_sides` finds them."""
    halted = _halted(events, doc, rules)
    words = _WORDS.words("fight_nouns")
    out = list(events)
    for k, h in halted.items():
        fight, halt = events[k], events[h]
        fought = _fight_word(doc, fight, words) in words
        if fought and fight.source is not None and _same_actor(fight.source, halt.source):
            out[k] = fight.model_copy(update={"source": None, "target": None})
    return out


def halts_aim_at_the_halted(
    events: Sequence[Event],
    doc: Doc,
    rules: RecordRules,
    ctx: DocumentContext,
    mentions: Sequence[ActorMention],
) -> list[Event]:
    """'Azerbaijan halted its military operation in Nagorno-Karabakh': a halt that names no
    target is aimed at whom the halted act was aimed at, else at the other state of the story
    (a de-escalation is toward the opponent, not toward nobody)."""
    out = list(events)
    for k, h in _halted(events, doc, rules).items():
        halt, target = events[h], events[k].target
        if target is None and halt.source is not None and halt.source.country is not None:
            target = _first_of(ctx.other_party(halt.source.country), mentions)
        if halt.target is None and target is not None and not _same_actor(target, halt.source):
            out[h] = halt.model_copy(update={"target": target, "confidence": _lowered(halt)})
    return out


def _fight_word(doc: Doc, event: Event, words: Container[str]) -> str:
    """The trigger's own words, or the fight noun the act was told in ('fighting that killed',
    'two days of fighting that killed')."""
    root = _root(doc, event.trigger)
    if root is not None and root.dep_ == "relcl" and root.head.pos_ == "NOUN":
        noun = root.head
        told = [noun, *(o for p in noun.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj")]
        return next((t.lower_ for t in told if t.lower_ in words), noun.lower_)
    return event.trigger.text.lower()


def _two_states(sentence: Span, ctx: DocumentContext, mentions: Sequence[ActorMention]) -> list[ActorMention]:
    """The two sides of a fight or a deal no one is named for: the states its sentence names,
    the article's most prominent states after them ('Baku said a deal was reached to stop
    the fighting' is Azerbaijan's fight with the other state of the story)."""
    sides = _states_in(sentence, mentions)[:2]
    for country in ctx.ranked:
        if len(sides) == 2:
            break
        if all(m.country != country for m in sides) and (m := _first_of(country, mentions)) is not None:
            sides.append(m)
    return sides


def _states_in(sentence: Span, mentions: Sequence[ActorMention]) -> list[ActorMention]:
    """The first mention of each state the sentence names by its country's name, in order."""
    seen: dict[str, ActorMention] = {}
    for m in mentions:
        if sentence.start <= m.start < sentence.end and m.kind == "country" and is_state_code(m.country):
            seen.setdefault(m.country or "", m)
    return list(seen.values())


def courts_are_no_targets(
    events: Sequence[Event], rules: RecordRules, ctx: DocumentContext, mentions: Sequence[ActorMention]
) -> list[Event]:
    """'Mexico will appeal to the International Court of Justice': a complaint taken to an
    international court is aimed at the state complained of, the article's most prominent
    other state; the court is where it is heard."""
    out = []
    for event in events:
        source, target = event.source, event.target
        if (
            event.type in rules.court_cases
            and source is not None
            and target is not None
            and "JUD" in target.sectors
            and target.country is not None
            and not is_state_code(target.country)
        ):
            event = event.model_copy(update={"target": _first_of(ctx.other_party(source.country), mentions)})
        out.append(event)
    return out


def _first_of(country: str | None, mentions: Sequence[ActorMention]) -> ActorMention | None:
    """The article's first mention of ``country``, its name preferred, marked as implied."""
    of_it = [m for m in mentions if country is not None and m.country == country and m.kind != "pronoun"]
    named = next((m for m in of_it if m.kind == "country"), of_it[0] if of_it else None)
    return named.model_copy(update={"matched": f"{named.matched};implied:other-party"}) if named else None


def _last_word(mention: ActorMention) -> str:
    words = mention.text.lower().split()
    return words[-1] if words else ""


def _is_weapon(mention: ActorMention) -> bool:
    return _last_word(mention) in _WORDS.words("weapons")


def _only_located(mention: ActorMention) -> bool:
    """Coded only by where its sentence happens ('phrase;location:ARE')."""
    how = [part.split(":", 1)[0] for part in (mention.matched or "").split(";") if part]
    return mention.country is not None and set(how) <= {"phrase", "location"}


def _placed_by_own_words(mention: ActorMention) -> bool:
    return mention.country is not None and any(
        how in (mention.matched or "")
        for how in ("adjective:", "demonym:", "name:", "alias:", "location:", "curated:")
    )


def triggers_are_no_actors(events: Sequence[Event], doc: Doc, trigger_nouns: Container[str]) -> list[Event]:
    """'Kenya condemned the coup': the coup is an act, not whom the condemnation targets. A
    participant that is another event's trigger, an uncoded phrase headed by a trigger noun,
    or words the resolver could code as no actor at all, is no participant."""
    triggers = SpanIndex((e.trigger.start, e.trigger.end) for e in events)

    def actor(m: ActorMention | None) -> ActorMention | None:
        if m is None or m.kind == "unidentified":
            return m
        if triggers.contains(m.start, m.end):
            return None
        if m.kind == "phrase" and not m.sectors and _only_located(m) and not _is_weapon(m):
            # 'the nuclear-armed neighbours' placed where the sentence's talks were held
            return None
        if m.country is None and not m.sectors:
            if m.kind == "phrase":  # what the act is done to, as words: target_phrase has it
                return None
            head = _root(doc, Span(text=m.text, start=m.start, end=m.end))
            if head is not None and head.pos_ == "NOUN" and head.lemma_.lower() in trigger_nouns:
                return None
        return m

    return map_actors(events, actor)


def drop_set_phrases(events: Sequence[Event], text: str) -> list[Event]:
    """'did not respond to requests for comment' requests nothing."""
    phrases = _WORDS.word_list("non_events")
    out = []
    for event in events:
        start, end = event.trigger.start, event.trigger.end
        window = text[max(0, start - 40) : end + 40].lower()
        offset = start - max(0, start - 40)
        after = offset + end - start
        # inside the phrase, or the phrase right after the trigger ('speaking on condition of
        # anonymity' speaks to nobody)
        if not any(
            (at := window.find(p)) >= 0
            and (at <= offset < at + len(p) or (at >= after and not window[after:at].strip()))
            for p in phrases
        ):
            out.append(event)
    return out


# -- what is no political event -------------------------------------------------------------------
_SCORE = re.compile(r"\b\d{1,2}\s*[-–:]\s*\d{1,2}\b")


def drop_non_political(events: Sequence[Event], doc: Doc, rules: RecordRules) -> list[Event]:
    """Natural disasters and accidents ('the storm killed twelve'), sports results ('Brazil
    beat Argentina 2-1') and a company's own acts ('Ethiopian Airlines cancelled flights')
    are no political events."""
    return [e for e in events if not (_natural(e, doc) or _sports(e, doc) or _business(e, rules))]


def _natural(event: Event, doc: Doc) -> bool:
    source = event.source
    if source is not None and source.kind != "unidentified" and (source.country or source.sectors):
        return False  # an actor did it
    root = _root(doc, event.trigger)
    if root is None:
        return False
    doers = [c for c in root.children if c.dep_ in ("nsubj", "csubj")]
    doers += [
        o
        for c in root.children
        if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by")
        for o in c.children
        if o.dep_ == "pobj"
    ]
    return any(d.lemma_.lower() in _WORDS.words("natural_causes") for d in doers)


def _sports(event: Event, doc: Doc) -> bool:
    root = _root(doc, event.trigger)
    if root is None or root.lemma_.lower() not in _WORDS.words("sports_verbs"):
        return False
    sentence = doc.text[event.sentence.start : event.sentence.end]
    words = {t.lemma_.lower() for t in root.sent if t.pos_ in ("NOUN", "PROPN")}  # not 'a final campaign'
    return bool(_SCORE.search(sentence)) or bool(words & _WORDS.words("sports_words"))


def _business(event: Event, rules: RecordRules) -> bool:
    def business(m: ActorMention | None) -> bool:
        return m is not None and bool(m.sectors) and set(m.sectors) <= rules.business_sectors

    # between two businesses it may still be coded (plv: two stock exchanges agreeing to share
    # information is AGREE); on nobody it is the company's own affair
    return business(event.source) and event.target is None


# -- amounts and dates are no participants -------------------------------------------------------
#: spaCy entity labels of what is never an actor: when, how much, how many.
NOT_ACTORS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})


def amounts_are_no_actors(events: Sequence[Event], doc: Doc) -> list[Event]:
    """'imposed a curfew from 03.00 GMT', 'pledged $507 million': a date or an amount the
    parse hung in an actor's slot is no participant."""
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in NOT_ACTORS]

    def actor(mention: ActorMention | None) -> ActorMention | None:
        if mention is None or mention.kind == "unidentified":
            return mention
        inside = any(start <= mention.start and mention.end <= end for start, end in spans)
        # '03.00 GMT' (a number the parser joined to a word): uncoded and partly an amount;
        # '176 soldiers' keeps its sector and stays
        uncoded = mention.country is None and not mention.sectors
        touching = uncoded and any(start < mention.end and mention.start < end for start, end in spans)
        return None if inside or touching else mention

    return map_actors(events, actor)


# -- places are no participants -------------------------------------------------------------------
def places_as_locations(events: Sequence[Event], rules: RecordRules) -> list[Event]:
    """'withdrew their fighters from Goma': Goma is where the act happened, not whom it was
    done to; the place moves to ``location`` and the event has no target."""
    out = []
    for event in events:
        target = event.target
        if target is not None and target.kind == "place" and event.type not in rules.place_targets_kept:
            where = Span(text=target.text, start=target.start, end=target.end)
            event = event.model_copy(update={"target": None, "location": event.location or where})
        out.append(event)
    return out


# -- what is demanded ------------------------------------------------------------------------------
#: Dependencies by which a demanded act hangs under the demand ('urged X to leave', 'a call
#: for him to resign', 'ordered the troops to withdraw and stand down').
_DEMANDED = frozenset({"xcomp", "ccomp", "conj", "pcomp", "pobj", "prep", "advcl", "acl"})


def drop_demanded(events: Sequence[Event], doc: Doc, rules: RecordRules) -> list[Event]:
    """'calling for President Ruto to step down': the resignation is what the protesters
    demand (the REQUEST record), not an event of its own; so is what a threat threatens.
    Who is asked to act is the demand's target when the demand names none."""
    roots = [_root(doc, e.trigger) for e in events]
    demands = {
        r.i: n
        for n, (r, e) in enumerate(zip(roots, events, strict=True))
        if r is not None and e.type in rules.demand_types
    }
    asked: dict[int, ActorMention] = {}
    kept: list[int] = []
    for n, (event, root) in enumerate(zip(events, roots, strict=True)):
        verb = _clause_verb(root) if root is not None else None
        head = _demand_above(verb, demands) if verb is not None else None
        if head is None or event.type in rules.demand_types:
            kept.append(n)
        elif event.source is not None:
            asked.setdefault(demands[head], event.source)
    out = []
    for n in kept:
        event = events[n]
        if event.target is None and n in asked and not _same_actor(asked[n], event.source):
            event = event.model_copy(update={"target": asked[n]})
        out.append(event)
    return out


def _clause_verb(root: Token) -> Token | None:
    """The verb of the clause a trigger is told in: itself, or the verb its noun is the
    object of ('wants Israel to allow more aid': allow)."""
    node = root
    for _ in range(5):
        if node.pos_ == "VERB":
            return node
        if node.dep_ not in ("dobj", "pobj", "prep") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _demand_above(token: Token, demands: dict[int, int], steps: int = 4) -> int | None:
    """The token index of the demand ``token``'s clause hangs under, if any."""
    node = token
    for _ in range(steps):
        if node.dep_ not in _DEMANDED or node.head.i == node.i:
            return None
        node = node.head
        if node.i in demands:
            return node.i
    return None


# -- agreements ------------------------------------------------------------------------------------
def agreement_contents(events: Sequence[Event], doc: Doc, rules: RecordRules) -> list[Event]:
    """One record for an agreement and what it agrees to, the agreement: 'promised to send
    aid' is the promise (pledges of aid are AGREE); 'agreed to resign', 'agreed to lay down
    their arms' is an agreed future concession, the AGREE with the concession's status,
    intended: what the record promises has not happened yet."""
    roots = [_root(doc, e.trigger) for e in events]
    agreeing = {
        r.i: n
        for n, (r, e) in enumerate(zip(roots, events, strict=True))
        if r is not None and e.type in rules.agreement_types
    }
    dropped: set[int] = set()
    updated: dict[int, Event] = {}
    for n, (event, root) in enumerate(zip(events, roots, strict=True)):
        head = _agreed_under(root, agreeing) if root is not None else None
        if head is None:
            continue
        agreement = agreeing[head]
        if event.type in rules.promised_help:
            dropped.add(n)
            if root is not None and root.dep_ == "xcomp":  # the promised act itself: its recipient
                updated[agreement] = _with_roles_of(updated.get(agreement, events[agreement]), event)
        elif event.type in rules.agreed_concessions:
            dropped.add(n)
            agreed = _with_roles_of(updated.get(agreement, events[agreement]), event)
            updated[agreement] = agreed.model_copy(update={"status": event.status})
    return [updated.get(n, e) for n, e in enumerate(events) if n not in dropped]


def _agreed_under(root: Token, agreeing: Container[int]) -> int | None:
    """The agreement whose to-clause holds ``root``: 'agreed TO WITHDRAW', 'committing to
    provide the country with more MILITARY ASSISTANCE' (an object inside the clause)."""
    node = root
    for _ in range(3):
        if node.dep_ == "xcomp":
            return node.head.i if node.head.i in agreeing else None
        if node.dep_ not in ("dobj", "pobj", "prep"):
            return None
        node = node.head
    return None


def _with_roles_of(agreement: Event, content: Event) -> Event:
    """The agreement with the target and place of what it agrees to, where it names none
    ('agreed to send aid to Burundi' is a promise to Burundi)."""
    update: dict[str, object] = {}
    target = content.target
    if agreement.target is None and target is not None and not _same_actor(target, agreement.source):
        update["target"] = target
    if agreement.location is None and content.location is not None:
        update["location"] = content.location
    return agreement.model_copy(update=update) if update else agreement


# -- speakers and implied agents ------------------------------------------------------------------
def _as_speaker(mention: ActorMention | None, speaker: ActorMention | None) -> ActorMention | None:
    if mention is None or speaker is None or not speaker.country or mention.country:
        return mention
    if mention.kind != "pronoun" or mention.text.lower() not in _WORDS.words("first_person"):
        return mention
    codes = {k: getattr(speaker, k) for k in ("country", "sectors", "name", "role", "entity")}
    return mention.model_copy(update={**codes, "matched": f"{mention.matched};speaker"})


def speakers_as_actors(events: Sequence[Event], rules: RecordRules) -> list[Event]:
    """'I met with the president', said Zúñiga: a speaker's 'I', 'we', 'our' is the speaker;
    talks the speaker reports with one party left unnamed have the speaker's side as it."""
    out = []
    for event in events:
        speaker = event.reported_by
        source, target = (_as_speaker(m, speaker) for m in (event.source, event.target))
        if _speaker_party(event, speaker, rules):
            source = speaker
        if source is not event.source or target is not event.target:
            event = event.model_copy(update={"source": source, "target": target})
        out.append(event)
    return out


def _speaker_party(event: Event, speaker: ActorMention | None, rules: RecordRules) -> bool:
    if event.type not in rules.speaker_party_types or event.source is not None or event.target is None:
        return False
    return speaker is not None and speaker.country is not None and not _same_actor(speaker, event.target)


def passive(root: Token) -> bool:
    """The verb is told in the passive ('was arrested', 'soldiers killed in ...', 'was
    arrested and accused')."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in root.children) or shares_passive(root):
        return True
    return root.tag_ == "VBN" and root.dep_ == "acl"


def _owned_act(root: Token) -> bool:
    """'hours before his arrest': an act noun whose owner is what it was done to (the coder
    made the owner its target) is told as a passive is."""
    return root.pos_ == "NOUN" and any(c.dep_ == "poss" for c in root.children)


def implied_agents(events: Sequence[Event], doc: Doc, rules: RecordRules) -> list[Event]:
    """'Mr Khan was arrested', 'before his arrest': a state act told in the passive (or as
    its owner's) with no agent was done by
    the state of whom it was done to (its police, its courts: rules implied_state_agent);
    the agent's evidence is the act's words, its kind ``unidentified``."""
    out = []
    for event in events:
        sector = rules.implied_state_agent.get(event.type)
        target = event.target
        root = _root(doc, event.trigger)
        if (
            sector is not None
            and event.source is None
            and target is not None
            and is_state_code(target.country)
            and target.kind != "country"  # 'Israel was accused of war crimes': not by Israel
            and root is not None
            and (passive(root) or _owned_act(root))
            and not (event.type in rules.implied_alone_types and _others_named(doc, event))
        ):
            agent = ActorMention(
                text=event.trigger.text,
                start=event.trigger.start,
                end=event.trigger.end,
                country=target.country,
                sectors=[sector],
                kind="unidentified",
                matched=f"implied:{event.type}",
            )
            confidence = _lowered(event)
            event = event.model_copy(update={"source": agent, "confidence": confidence})
        out.append(event)
    return out


def _others_named(doc: Doc, event: Event) -> bool:
    """The event's sentence names an actor other than its target ('two soldiers held by the
    FARC were released': the FARC, not their state, may have freed them)."""
    sent = event.sentence
    return any(
        sent.start <= m.start < sent.end
        and m.country is not None
        and m.kind not in ("place", "pronoun")
        and not (event.target is not None and _same_actor(m, event.target))
        for m in doc._.actors or []
    )


# -- answers to accusations ------------------------------------------------------------------
def denials_answer_accusers(events: Sequence[Event], rules: RecordRules) -> list[Event]:
    """'He disputes the claims', 'Bolsonaro denied any wrongdoing': a rejection that names
    nobody answers whoever last accused, charged or sentenced its author in the article
    (rules answer_types, answered_types)."""
    out: list[Event] = []
    for event in events:
        source = event.source
        answers = event.type in rules.answer_types or (
            event.type in rules.retort_types and _definite(event.target_phrase)
        )
        if answers and event.target is None and source is not None:
            accuser = next(
                (
                    e.source
                    for e in reversed(out)
                    if e.type in rules.answered_types
                    and e.source is not None
                    and e.target is not None
                    and e.trigger.start < event.trigger.start
                    and _one_entity(e.target, source)
                ),
                None,
            )
            if accuser is not None:
                event = _answering(event, accuser)
        out.append(event)
    return out


def retaliations_answer_attacks(events: Sequence[Event], doc: Doc, rules: RecordRules) -> list[Event]:
    """'Pakistan retaliated, shooting down a fighter jet': an attack told as a retaliation
    (document.yaml retaliation_verbs) that names no target is aimed at whoever of another
    country last attacked or coerced its author's country in the article (rules victim_types)."""
    verbs = _WORDS.words("retaliation_verbs")
    out: list[Event] = []
    for event in events:
        source, root = event.source, _root(doc, event.trigger)
        if (
            event.type in rules.victim_types
            and event.target is None
            and source is not None
            and source.country is not None
            and root is not None
            and root.lemma_.lower() in verbs
        ):
            attacker = next(
                (
                    e.source
                    for e in reversed(out)
                    if e.type in rules.victim_types
                    and e.source is not None
                    and e.source.country not in (None, source.country)
                    and _country(e.target) == source.country
                    and e.trigger.start < event.trigger.start
                ),
                None,
            )
            if attacker is not None:
                event = _answering(event, attacker)
        out.append(event)
    return out


def _answering(event: Event, answered: ActorMention) -> Event:
    """The event aimed at whom it answers, marked so, at the confidence of an inferred target."""
    target = answered.model_copy(update={"matched": f"{answered.matched};answered"})
    return event.model_copy(update={"target": target, "confidence": _lowered(event)})


def _definite(phrase: Span | None) -> bool:
    """'the ruling', 'this decision': a phrase that refers to something told before."""
    first = phrase.text.split(maxsplit=1)[0].lower() if phrase is not None and phrase.text else ""
    return first in _DEFINITE


_DEFINITE = _WORDS.words("definite_articles")


def _one_entity(a: ActorMention, b: ActorMention) -> bool:
    return a.entity is not None and a.entity == b.entity


# -- targets named inside what an act is done to ------------------------------------------------
def targets_from_phrases(
    events: Sequence[Event], mentions: Sequence[ActorMention], doc: Doc, rules: RecordRules
) -> list[Event]:
    """'condemned an order issued by the Taliban', 'announced the dissolution of Congress':
    an act on another's act or body is aimed at the actor named inside what it is done to;
    a meeting is not aimed at where it was held ('held a meeting in Kuwait')."""
    out = []
    for event in events:
        phrase = event.target_phrase
        if event.target is None and phrase is not None:
            inside = [
                m
                for m in mentions
                if phrase.start <= m.start
                and m.end <= phrase.end
                and m.country is not None
                and m.kind not in ("place", "pronoun")
                and not _same_actor(m, event.source)
                and not (event.type in rules.venue_types and _located(doc, m))
            ]
            if inside:
                target = inside[0].model_copy(update={"matched": f"{inside[0].matched};inside:target_phrase"})
                event = event.model_copy(update={"target": target})
        out.append(event)
    return out


_LOCATION_PREPS = language_data(LANGUAGE, "rules").words("location_preps")


def _located(doc: Doc, mention: ActorMention) -> bool:
    """The mention is the object of a location preposition ('in Kuwait')."""
    words = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if words is None:
        return False
    head = words.root.head
    return words.root.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in _LOCATION_PREPS


def _same_actor(a: ActorMention, b: ActorMention | None) -> bool:
    if b is None:
        return False
    return (a.start, a.end) == (b.start, b.end) or (a.entity is not None and a.entity == b.entity)


# -- implied targets ---------------------------------------------------------------------------
def implied_targets(events: Sequence[Event], ctx: DocumentContext, focus: ActorMention | None) -> list[Event]:
    """An act whose sentence names no target is aimed at what the article is about ('donors
    pledged $3.8 billion' in a story on Syria): ``focus``, the first mention of the
    document's country, when the source is another country's and that country does not do
    the same act in the same sentence ('the United States pledged $507 million and Japan
    $100 million' is not Japan's pledge to the United States)."""
    if focus is None or ctx.country is None:
        return list(events)
    # who does the same act in the same sentence is not what that act is aimed at
    acting = {(e.sentence.start, e.type, e.source.country) for e in events if e.source is not None}
    out = []
    for event in events:
        source = event.source
        if (
            event.target is None
            and source is not None
            and source.country is not None
            and source.country != ctx.country
            and (event.sentence.start, event.type, ctx.country) not in acting
        ):
            target = focus.model_copy(update={"matched": f"{focus.matched};implied:document"})
            confidence = _lowered(event)
            event = event.model_copy(update={"target": target, "confidence": confidence})
        out.append(event)
    return out


# -- contents of other acts ----------------------------------------------------------------------
def _root(doc: Doc, span: Span) -> Token | None:
    words = doc.char_span(span.start, span.end, alignment_mode="expand")
    return words.root if words is not None else None


def _governor(token: Token, preps: frozenset[str]) -> Token | None:
    """The word a noun is the content of: 'agreed [to] a cease-fire', 'condemned the attack'."""
    if token.dep_ == "dobj":
        return token.head
    if token.dep_ == "pobj" and token.head.dep_ in ("prep", "dative") and token.head.lower_ in preps:
        return token.head.head
    return None


def drop_contents(events: Sequence[Event], doc: Doc, rules: RecordRules) -> list[Event]:
    """A noun event that is what another act of its sentence is about ('agreed on a
    cease-fire', 'called for a cease-fire', 'pledged the deployment of police', 'condemned
    the attack') is that act's content, not an event of its own: it has not happened, or
    it was told where it happened."""
    roots = [_root(doc, e.trigger) for e in events]
    acts = {
        r.i: e for r, e in zip(roots, events, strict=True) if r is not None and e.type in rules.content_types
    }
    out = []
    for event, root in zip(events, roots, strict=True):
        act = _content_of(root, acts)
        if act is not None and act is not event:
            continue
        out.append(event)
    return out


def _content_of(root: Token | None, acts: dict[int, Event]) -> Event | None:
    """The act (by its root token) that the noun ``root`` is the content of, if any."""
    if root is None or root.pos_ not in ("NOUN", "PROPN"):
        return None
    preps = _WORDS.words("content_preps")
    governor = _governor(root, preps)
    if governor is not None and governor.i not in acts and governor.pos_ == "NOUN":
        # 'welcomed the parties' commitment to the ceasefire': the content's content
        governor = _governor(governor, preps)
    return acts.get(governor.i) if governor is not None else None


def agreed_acts_told_again(events: Sequence[Event], doc: Doc, rules: RecordRules) -> list[Event]:
    """'The government and the ELN have agreed to a ceasefire' ... 'the ceasefire would come
    into effect on October 1': an act agreed to (the agreement's content, no record there)
    told again in a later sentence with no one named is the agreement's parties' act, the
    first toward the other (run before :func:`drop_contents`)."""
    roots = [_root(doc, e.trigger) for e in events]
    agreements = {
        r.i: e
        for r, e in zip(roots, events, strict=True)
        if r is not None and e.type in rules.agreement_types
    }
    agreed: dict[tuple[str, str], Event] = {}  # (type, lemma) -> the agreement
    out = []
    for event, root in zip(events, roots, strict=True):
        act = _content_of(root, agreements)
        if act is not None and root is not None:
            agreed.setdefault((event.type, root.lemma_.lower()), act)
        elif root is not None and event.source is None and event.target is None:
            agreement = agreed.get((event.type, root.lemma_.lower()))
            if agreement is not None and agreement.sentence.start < event.sentence.start:
                event = _by_parties(event, agreement, events)
        out.append(event)
    return out


def _by_parties(event: Event, agreement: Event, events: Sequence[Event]) -> Event:
    """The act done by the agreement's first party toward its other: its target, else the
    source of another reading of its word ('the government and the ELN have agreed')."""
    others = [
        e.source
        for e in events
        if e.trigger.start == agreement.trigger.start
        and e.source is not None
        and not _same_actor(e.source, agreement.source)
    ]
    target = agreement.target or (others[0] if others else None)
    update = {"source": agreement.source, "target": target, "confidence": _lowered(event)}
    return event.model_copy(update=update)


# -- merging -------------------------------------------------------------------------------------
def _country(mention: ActorMention | None) -> str | None:
    return mention.country if mention is not None else None


def _told_apart(a: Event, b: Event, addressed: Container[str]) -> bool:
    """Two words of an act addressed to someone, aimed at two different bodies of one country
    ('Arce called on the public ..., ordering the general ...'): two acts, not one told
    twice (rules addressed_types)."""
    if a.type not in addressed or a.trigger.start == b.trigger.start:
        return False
    x, y = a.target, b.target
    if x is None or y is None or not (x.sectors and y.sectors) or _same_actor(x, y):
        return False
    return not set(x.sectors) & set(y.sectors)


def _same_report(a: Event, b: Event) -> bool:
    """Two mentions of one event in one sentence: the same type by compatible sources
    ('strike' and 'killed' of one attack), or one trigger read for several actors: the two
    directions of a mutual act ('A and B clashed'), several actors doing one act ('France
    and Germany condemned': one record, its ``source_phrase`` naming them all, as event
    coders list them as alternatives of one record)."""
    if a.type != b.type or a.sentence.start != b.sentence.start:
        return False
    # 'broke into the Mexican embassy and arrested Jorge Glas': two acts on two targets
    return a.trigger.start == b.trigger.start or (
        _compatible(a.source, b.source)
        and _compatible(a.target, b.target)
        and not _two_bodies(a.source, b.source)  # 'decreed a curfew before his arrest by police'
    )


def _answered(a: Event, b: Event) -> bool:
    """Two words of one clause, each side's act at the other: 'A and B traded blame, with A
    accusing B and B's officials saying they answered A's attacks' are each side's
    accusation, two records, however the mutual word between them joins both sides."""
    if a.trigger.start == b.trigger.start:
        return False
    pairs = [(_country(a.source), _country(b.target)), (_country(a.target), _country(b.source))]
    return all(x is not None and x == y for x, y in pairs) and _country(a.source) != _country(a.target)


def _said_anew(event: Event, addressed: Container[str]) -> bool:
    """'"We urge the population ...," he said': an appeal, accusation or warning a speaker
    makes in the first person in a quote is that speaker's act as said there, no retelling of
    one the article told before (rules addressed_types)."""
    source = event.source
    return (
        event.type in addressed
        and event.quote is not None
        and source is not None
        and source.country is not None  # a speaker the quote stage knows
        and source.text.lower() in _FIRST_PERSON
    )


def _retold(first: Event, later: Event, words: Callable[[Event], str]) -> bool:
    """The event a record stands for told again in a later sentence: the same type and
    status, no role with two different participants and at least one with the same
    ('Azerbaijan halted its offensive' ... 'Baku said it had halted the operation'), or the
    same word with no participant coded ('a general has been arrested' ... 'as he was
    being arrested')."""
    if first.type != later.type or first.status != later.status:
        return False
    pairs = [(first.source, later.source), (first.target, later.target)]
    codes = [(_code(x), _code(y)) for x, y in pairs]
    compatible = all(x is None or y is None or _one_code(x, y) for x, y in codes)
    same = any(x is not None and x == y for x, y in codes)
    if not same and codes[0][1] is None and codes[1][1] is None:
        same = words(first) == words(later)
    if not same and words(first) == words(later):
        # 'China fired water cannons on Philippine vessels' ... 'the Chinese coast guard fired
        # water cannons on the Philippine coast guard': both sides' countries again, one word,
        # the later telling as detailed on each side or more ('the United States condemned the
        # Taliban-led government' ... 'the State Department also condemned Afghanistan' is not)
        filled = [(x, y) for x, y in codes if x is not None and y is not None]
        same = len(filled) == len(codes) and (
            all(not x[1] or x == y for x, y in filled) or all(not y[1] or x == y for x, y in filled)
        )
    return compatible and same and not any(_two_people(x, y) for x, y in pairs)


def _other_kind(first: Event, later: Event, words: Callable[[Event], str], rules: RecordRules) -> bool:
    """Two kinds of act of one type told by two words: 'his arrest' ... 'a motion of vacancy
    against him' (arrest, restrict) are two acts, however alike their participants (rules
    kinds_of_act: an airstrike that destroyed homes is one attack); so are a visit and the
    talks held during it (modes_apart), where one mode is unknown."""
    if first.mode == later.mode or words(first) == words(later):
        return False
    if first.mode and later.mode and first.type in rules.kinds_of_act:
        return True
    return _visit_apart(first, later, words, rules)


def _visit_apart(a: Event, b: Event, words: Callable[[Event], str], rules: RecordRules) -> bool:
    """One of two mentions a visit (rules modes_apart), the other not: even in one clause
    ('during the visit, the sides discussed'), where two kinds of arrest or ban may be the
    act and its purpose ('tightened export controls to restrict ...')."""
    if a.mode == b.mode or words(a) == words(b):
        return False
    return a.mode in rules.modes_apart or b.mode in rules.modes_apart


def _code(mention: ActorMention | None) -> tuple[str, str] | None:
    """Country and first sector: 'Indian troops' and 'India' are not one participant, so
    the incident a body tells is not the lead's summary retold."""
    if mention is None or mention.country is None:
        return None
    if mention.kind == "unidentified":
        return mention.country, ""  # an implied agent's sector is a guess ('barred': police?)
    return mention.country, mention.sectors[0] if mention.sectors else ""


def _two_bodies(a: ActorMention | None, b: ActorMention | None) -> bool:
    """Two actors of one country told apart by their sectors (a president, the police)."""
    if a is None or b is None or _same_actor(a, b):
        return False
    x, y = set(a.sectors) - {"UNK"}, set(b.sectors) - {"UNK"}
    return bool(x) and bool(y) and not x & y


def _one_code(x: tuple[str, str], y: tuple[str, str]) -> bool:
    """One country and one sector, or one side's sector unknown ('he' after 'the general')."""
    return x[0] == y[0] and (x[1] == y[1] or x[1] in ("", "UNK") or y[1] in ("", "UNK"))


def _two_people(a: ActorMention | None, b: ActorMention | None) -> bool:
    """Two named people with no name in common: two envoys of one government."""
    if a is None or b is None or a.kind != "person" or b.kind != "person" or not (a.name and b.name):
        return False
    return not set(a.name.lower().split()) & set(b.name.lower().split())


def _compatible(a: ActorMention | None, b: ActorMention | None) -> bool:
    """Two role fillers that can be one actor: one unknown, or the same country."""
    ca, cb = _country(a), _country(b)
    return ca is None or cb is None or ca == cb


def _clarity(event: Event, fillers: dict[str, ActorMention]) -> tuple[int, float, int]:
    """Which mention stands for the record: the most roles filled, by itself or from its
    sentence (``fillers``; a coded country counts twice), then confidence, then the first."""
    source, target = event.source or fillers.get("source"), event.target or fillers.get("target")
    roles = sum((m is not None) + (m is not None and m.country is not None) for m in (source, target))
    return roles, event.confidence, -event.trigger.start


def merge_mentions(
    events: Sequence[Event],
    words: Callable[[Event], str] | None = None,
    addressed: Container[str] = frozenset(),
    refers_back: Callable[[Event], bool] | None = None,
    exchanges: Container[str] = frozenset(),
    rules: RecordRules | None = None,
) -> list[Event]:
    """One record per group of mentions of one event, in text order of its first mention.
    ``words`` gives the word an event is told by (its trigger's lemma); ``addressed``, the
    types whose acts at different bodies stay apart (:func:`_told_apart`); ``refers_back``,
    whether a mention is a definite reference to an event told before ('the talks');
    ``exchanges``, the words of exchanges whose two directions are two records ('a prisoner
    swap': each side's release); ``rules``, which modes are kinds of act a mention of another
    mode never retells (:func:`_other_kind`)."""
    word_of = words or (lambda e: e.trigger.text.lower())
    groups: list[list[Event]] = []
    # Only a group with a mention of the same type in the same clause can take a mention as
    # the same report, and only one whose first mention has the same type and status can take
    # it as a retelling: the groups are indexed by both (their positions, in creation order, so
    # the first that takes it is the one a walk over every group would find). Walking every
    # group for every mention was quadratic in the document (issue 19).
    by_clause: dict[tuple[str, int], list[int]] = {}
    by_kind: dict[tuple[str, str], list[int]] = {}

    def joins(event: Event, group: list[Event]) -> bool:
        if any(_told_apart(event, other, addressed) for other in group):
            return False
        if word_of(event) in exchanges and any(_country(o.source) != _country(event.source) for o in group):
            return False
        if rules is not None and any(_visit_apart(other, event, word_of, rules) for other in group):
            return False  # 'during the visit, the sides discussed': the visit and the talks
        if any(_answered(event, other) for other in group):
            return False
        return any(_same_report(event, other) for other in group)

    for event in events:
        # one clause's mentions join any of their group; a later retelling joins the record
        # as its first mention tells it (no chain of half-compatible mentions)
        clause = (event.type, event.sentence.start)
        kind = (event.type, str(event.status))
        at = next((i for i in by_clause.get(clause, ()) if joins(event, groups[i])), None)
        if at is None:
            at = (
                None
                if _said_anew(event, addressed)
                else next(
                    (
                        i
                        for i in by_kind.get(kind, ())
                        if _retold(groups[i][0], event, word_of)
                        and not (rules and _other_kind(groups[i][0], event, word_of, rules))
                    ),
                    None,
                )
            )
        if at is None and refers_back is not None and refers_back(event):
            at = _referred_group(groups, event, word_of)
        if at is None:
            at = len(groups)
            groups.append([event])
            by_kind.setdefault(kind, []).append(at)
        else:
            groups[at].append(event)
        in_clause = by_clause.setdefault(clause, [])
        place = bisect_left(in_clause, at)
        if place == len(in_clause) or in_clause[place] != at:
            in_clause.insert(place, at)
    records = [_record(g) for g in groups]
    return sorted(records, key=lambda e: (e.mentions[0].trigger.start, e.trigger.start))


def _referred_group(groups: list[list[Event]], event: Event, word_of: Callable[[Event], str]) -> int | None:
    """'the talks' with no participant of its own: the latest event told before by the same
    word and status, whatever sense it was read in there ('the strike' after a general strike
    by unions: one sense per discourse), else the latest of the same type."""
    word = word_of(event)
    latest = list(reversed(range(len(groups))))
    told = [i for i in latest if groups[i][0].status == event.status and word in map(word_of, groups[i])]
    same_type = [i for i in latest if groups[i][0].type == event.type]
    at = next((i for i in told if i in same_type), None)
    return next(iter(told or same_type), None) if at is None else at


def _record(group: list[Event]) -> Event:
    """The clearest mention, its missing roles taken from the group's other mentions of the
    same sentence ('Five people were killed in Israeli strikes': 'killed' names whom,
    'strikes' who), and every mention's trigger and sentence. Clearest once so filled: the
    lead's 'airstrike ... killed around 100 people' over a later 'moved to target'."""
    best = _filled(max(group, key=lambda e: _clarity(e, _fillers(e, group))), group)
    seen: set[tuple[int, int]] = set()
    mentions = []
    for e in sorted(group, key=lambda e: e.trigger.start):
        key = (e.trigger.start, e.trigger.end)
        if key not in seen:
            seen.add(key)
            mentions.append(EventMention(trigger=e.trigger, sentence=e.sentence))
    return best.model_copy(update={"mentions": mentions})


def _filled(best: Event, group: list[Event]) -> Event:
    """The mention with the roles it leaves empty filled (:func:`_fillers`)."""
    update = _fillers(best, group)
    return best.model_copy(update=update) if update else best


def _fillers(best: Event, group: list[Event]) -> dict[str, ActorMention]:
    """The roles ``best`` leaves empty, from the group's mentions of its sentence, where they
    name someone other than its other role."""
    update: dict[str, ActorMention] = {}
    for role in ("source", "target"):
        if getattr(best, role) is None:
            other = "target" if role == "source" else "source"
            filler = next(
                (
                    getattr(e, role)
                    for e in group
                    if e.sentence.start == best.sentence.start
                    and getattr(e, role) is not None
                    and not _same_actor(getattr(e, role), getattr(best, other))
                ),
                None,
            )
            if filler is not None:
                update[role] = filler
    return update
