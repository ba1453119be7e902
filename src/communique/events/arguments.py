"""Stage 3 of the event coder: who does the act and to whom.

The source is the subject, passive agent, possessive or nationality of a noun, or a "by"
phrase; the target the object, or a with/against/on/to phrase; both fan out over
coordinated actors. When the parse links no actor, fallbacks in order: a phrase the actor
resolver codes ('a U.S. Supreme Court decision'), an unidentified actor of the place where
the act happened, the subject of the sentence's main verb. Last, the actors are paired into
one record each (coordinated actors of a mutual act act on each other), and the speaker of
the quote or report is found.

Every function here reads the sentence from a :class:`SentenceContext` and the rules from
a :class:`CoderConfig`; the parse itself is read through ``grammar`` and ``mentions``.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Token

from communique.events.config import CoderConfig
from communique.events.context import DocQuotes, SentenceContext, Trigger
from communique.events.grammar import (
    OBJ,
    PASS_SUBJ,
    SUBJ,
    WHEN,
    agentless_passive,
    attending_verb,
    conjuncts,
    coordinated_clause,
    governing_verb,
    passive_participle,
    prep_objects,
    root,
    shares_passive,
)
from communique.events.mentions import (
    MAIN_SUBJECT,
    MentionIndex,
    MentionTable,
    coded,
    is_capital,
    mentions_after,
    mentions_at,
    named_in_sentence,
    owners,
    participle_agents,
    span_fields,
    span_mention,
    unique,
)
from communique.models import ActorMention, EventStatus

Mentions = list[ActorMention]
#: the labels of a passive verb's children that make it one
_PASSIVE_DEPS = (*PASS_SUBJ, "auxpass")
#: the labels of the verb's children that ``_verb_child`` gives a role
_ROLE_DEPS = frozenset({*SUBJ, *PASS_SUBJ, "agent", *OBJ, "prep"})
#: one record's source and target
Pair = tuple[ActorMention | None, ActorMention | None]


# -- the rules' views of a trigger -----------------------------------------------------------
def target_preps(cfg: CoderConfig, trig: Trigger) -> frozenset[str]:
    """The prepositions that introduce the trigger's target: its sense's, or the default."""
    return frozenset(trig.sense.target_preps) or cfg.rules.default_target_preps


def theme_object(cfg: CoderConfig, trig: Trigger) -> bool:
    """Whether the verb's object is what moves ('withdrew its troops'), not the recipient."""
    return trig.sense.type in cfg.rules.object_is_theme and not trig.sense.object_is_target


def stative(cfg: CoderConfig, tok: Token) -> bool:
    """'Vietnam is committed to ...': a passive without an agent that states a stance."""
    return tok.lemma_.lower() in cfg.rules.stative_passives and not any(
        c.dep_ == "agent" for c in tok.children
    )


# -- the event's actors, with every fallback ---------------------------------------------------
def event_actors(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger) -> tuple[Mentions, Mentions] | None:
    """The sources and targets of the trigger's event; None when its sense needs an actor as
    object and has none ('called Putin', not 'called a meeting')."""
    sources, targets = actors(cfg, ctx, trig)
    if trig.sense.object_actor and not _object_is_actor(ctx, trig, targets):
        return None
    if not any(m.country for m in sources) and not trig.sense.swap_roles:
        sources = _means_agent(cfg, ctx, trig.token) or _unattributed(cfg, ctx, trig, sources) or sources
    if not any(m.country for m in sources) and not trig.sense.swap_roles:
        sources = _main_subject(cfg, ctx, trig, targets) or sources
    if not sources and trig.token.lemma_.lower() in cfg.rules.existential_nouns:
        # 'the ministry said there would be consequences': who says so warns
        sources = [m for m in [reporter(cfg, ctx, trig)[1]] if m is not None]
    # 'vowed that his fighters would capture Israeli soldiers': a threat made of a promise
    # is against whom the promised act targets, not the fighters who would carry it out
    made_threat = trig.type == "THREATEN" and trig.sense.type != "THREATEN"
    if trig.governed and (made_threat or not targets):
        # 'agree to a meeting with the Ayatollah': the agreement is with the Ayatollah.
        governed = next((found for sub in trig.governed if (found := actors(cfg, ctx, sub)[1])), [])
        targets = governed or targets
    if trig.sense.swap_roles:  # 'Beijing hosted Starmer': the visitor is the actor
        sources, targets = targets, sources
    # 'The Afghan government said it would free ...': the sentence names who 'it' is
    sources = [named_in_sentence(m, ctx.sent, ctx.by_token) for m in sources]
    targets = [named_in_sentence(m, ctx.sent, ctx.by_token) for m in targets]
    return sources, targets


def _object_is_actor(ctx: SentenceContext, trig: Trigger, targets: Mentions) -> bool:
    """'welcomed the Uzbek president', 'handed Hong Kong back' (the object is an actor or a
    place), not 'welcomed the parties' commitment' (an actor only owns the object); a sense
    without a verb object takes any target."""
    objects = [c for c in trig.token.children if c.dep_ in ("dobj", "nsubjpass")]
    if not objects or trig.is_noun:
        return bool(targets)
    return bool(targets) and any(_names_actor(ctx, o) for o in objects)


def _names_actor(ctx: SentenceContext, noun: Token) -> bool:
    """The noun is an actor, or a person its modifier places ('his Uzbek counterpart'); one
    its owner only owns ('the parties' commitment') is not."""
    if mentions_at(noun, ctx.by_token, shallow=True):
        return True
    return any(c.dep_ in ("amod", "compound") and ctx.by_token[c.i] is not None for c in noun.children)


def refusal_actors(
    cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, sources: Mentions, targets: Mentions
) -> tuple[Mentions, Mentions]:
    """A REJECT event's parties the parse does not link: who must meet its condition, and
    who says it refuses when the refusal is an agentless passive."""
    if not any(coded(t) for t in targets):
        # 'will not lift the embargo until Vietnam ...': who must meet the condition
        targets = _condition_party(cfg, ctx, trig, sources) or targets
    if not sources and agentless_passive(trig.token):
        # 'Chretien said Saddam could not be allowed to flout ...': who says it refuses
        speaker = reporter(cfg, ctx, trig)[1]
        sources = [speaker] if speaker is not None else []
    return sources, targets


def actors(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger) -> tuple[Mentions, Mentions]:
    """The sources and targets the parse links to the trigger (and the phrases the resolver
    codes when it links none), found once per trigger; new lists on each call."""
    if trig.linked is None:
        trig.linked = _linked_actors(cfg, ctx, trig)
    sources, targets = trig.linked
    return list(sources), list(targets)


def _linked_actors(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger) -> tuple[Mentions, Mentions]:
    preps = target_preps(cfg, trig)
    received = _received(cfg, ctx, trig) if trig.is_noun else None
    if received is not None:
        sources, targets = received
    elif trig.is_noun:
        sources, targets = _noun_actors(cfg, ctx, trig, preps)
    else:
        sources, targets = _verb_actors(cfg, ctx, trig, preps)
    if trig.demand is not None:
        targets = _demanded(ctx, trig.demand)
    if not targets and not trig.is_noun:
        targets = _complement_subjects(ctx, trig.token)
    if not trig.is_noun:
        sources, targets = _phrase_actors(cfg, ctx, trig, preps, sources, targets)
    if trig.sense.type in cfg.rules.recipient_search.types and not any(coded(t) for t in targets):
        # 'gave 352.5 million euros to promote development in Ethiopia': with only a
        # theme found, the first foreign place the aid is for, in or to receives it
        targets = _recipient(cfg, ctx, trig, sources) or targets
    return _settled(ctx, trig, sources, targets)


def _settled(
    ctx: SentenceContext, trig: Trigger, sources: Mentions, targets: Mentions
) -> tuple[Mentions, Mentions]:
    """An actor is not its own target; 'withdraw its troops from Lebanon': the actor's own
    forces are what moves, the other country is the target."""
    source_ids = {id(m) for m in sources}
    targets = [t for t in targets if id(t) not in source_ids]
    own = {m.country for m in sources if m.country}
    foreign = [t for t in targets if t.country and t.country not in own]
    if foreign and len(foreign) < len(targets):
        targets = foreign
    # 'attacks on US personnel and facilities': a bare place is a target only alone.
    placed = [t for t in targets if t.kind != "place" or t.country]
    if placed:
        targets = placed
    if trig.nominal_of is not None:  # 'the release of the student': never its actor
        done_to_ids = {id(m) for m in mentions_at(trig.nominal_of, ctx.by_token)}
        sources = [m for m in sources if id(m) not in done_to_ids]
    return unique(sources), unique(targets)


def _demanded(ctx: SentenceContext, demand: Token) -> Mentions:
    """'said Y must stop': the target of a demand is the subject of what is demanded."""
    subjects = [c for c in demand.children if c.dep_ in SUBJ or c.dep_ in PASS_SUBJ]
    targets = [m for c in subjects for m in mentions_at(c, ctx.by_token)]
    if not targets:
        # 'said a reform of the WHO was needed': who is to be reformed
        inside = [ctx.by_token[t.i] for c in subjects for t in c.subtree]
        targets = unique([m for m in inside if m is not None])
    return targets


def _complement_subjects(ctx: SentenceContext, tok: Token) -> Mentions:
    """'will not allow Iran to acquire', 'urged Iran to return': the complement's subject;
    'refused to allow two airlines to land', 'agreed to allow U.N. peacekeepers to remain':
    one complement further down."""
    targets: Mentions = []
    complements = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp") and not coordinated_clause(c)]
    for _ in range(2):
        for child in complements:
            for sub in child.children:
                if sub.dep_ in SUBJ:
                    targets.extend(mentions_at(sub, ctx.by_token))
        if targets:
            break
        complements = [g for c in complements for g in c.children if g.dep_ in ("ccomp", "xcomp")]
    return targets


def _phrase_actors(
    cfg: CoderConfig,
    ctx: SentenceContext,
    trig: Trigger,
    preps: frozenset[str],
    sources: Mentions,
    targets: Mentions,
) -> tuple[Mentions, Mentions]:
    """No actor mention: the subject or object phrase itself is the evidence, coded as far as
    the knowledge can ('condemned a U.S. Supreme Court decision' -> USA)."""
    if sources and (targets or theme_object(cfg, trig)):
        return sources, targets  # both known: no need to read the verb's children
    tok = trig.token
    passive = any(c.dep_ in PASS_SUBJ for c in tok.children) and not stative(cfg, tok)
    if not sources:
        subj = next((c for c in tok.children if c.dep_ in (SUBJ if passive else (*SUBJ, *PASS_SUBJ))), None)
        sources = phrase_mention(cfg, ctx, subj)
    if not targets and not theme_object(cfg, trig):
        obj = next((c for c in tok.children if c.dep_ in (PASS_SUBJ if passive else OBJ)), None)
        if obj is None:
            obj = next(
                (o for c in tok.children if c.dep_ == "prep" and c.lower_ in preps
                 for o in c.children if o.dep_ == "pobj" and o.ent_type_ not in WHEN),
                None,
            )  # fmt: skip
        targets = phrase_mention(cfg, ctx, obj)
    return sources, targets


# -- a nominal trigger ('the talks between A and B', 'Iran's attack on ...') -----------------
def _noun_actors(
    cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, preps: frozenset[str]
) -> tuple[Mentions, Mentions]:
    rules = cfg.rules
    by_token = ctx.by_token
    tok = trig.token
    sources: Mentions = []
    targets: Mentions = []
    attended = attending_verb(tok, rules.attendance_verbs)
    if attended is not None:
        sources.extend(subject_of(cfg, ctx, attended))
    third = tok.head if tok.dep_ == "dobj" and tok.head.lemma_.lower() in rules.third_party_verbs else None
    suffered = _suffered_by_owner(cfg, trig)
    if not sources:
        owned_by = owners(tok, by_token)
        # 'hours before his arrest', 'to begin serving his sentence': he was arrested, he
        # was sentenced, by whom the phrase does not say
        (targets if suffered else sources).extend(owned_by)
    if not sources and theme_object(cfg, trig):
        # 'the deployment of Russian troops to Belarus': who moved is whose they are
        moved = mentions_after(tok, "of", by_token)
        sources.extend(m for m in moved if m.country)
    agent_of = tok.lemma_.lower() in rules.agent_of_nouns
    if (
        trig.nominal_of is not None
        and not agent_of
        and (not theme_object(cfg, trig) or trig.sense.object_is_target)
    ):
        targets.extend(mentions_at(trig.nominal_of, by_token))
    by_prep, to_prep = _noun_prep_actors(cfg, ctx, trig, preps, third)
    sources.extend(by_prep)
    targets.extend(to_prep)
    if agent_of and sources and not targets:
        targets.extend(_asked_party(cfg, ctx, tok, sources))
    if third is not None and targets:
        sources = subject_of(cfg, ctx, third)
    if not sources:
        # 'the demonstration staged by students': the agent of its participle
        sources.extend(participle_agents(tok, by_token))
    if not sources and not suffered:
        carried_by, carried_to = _carrier_actors(cfg, ctx, trig, preps)
        sources.extend(carried_by)
        targets.extend(carried_to)
    return sources, targets


def _suffered_by_owner(cfg: CoderConfig, trig: Trigger) -> bool:
    tok = trig.token
    if tok.lemma_.lower() not in cfg.rules.patient_owner_nouns or trig.nominal_of is not None:
        return False
    return not prep_objects(tok, "of") and any(c.dep_ == "poss" for c in tok.children)


def _asked_party(cfg: CoderConfig, ctx: SentenceContext, tok: Token, sources: Mentions) -> Mentions:
    """'Kenya will lead the mission at the invitation of Haiti': who acts at another's request
    is the one asked."""
    if tok.dep_ != "pobj" or tok.head.dep_ != "prep":
        return []
    verb = governing_verb(tok)
    if verb is None:
        return []
    asked = subject_of(cfg, ctx, verb)
    return [m for m in asked if all(m is not s for s in sources)]


def _noun_prep_actors(
    cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, preps: frozenset[str], third: Token | None
) -> tuple[Mentions, Mentions]:
    """The actors of the noun's own prepositions: 'visits BY leaders', 'strikes ON Gaza'."""
    sources: Mentions = []
    targets: Mentions = []
    agent_of = trig.token.lemma_.lower() in cfg.rules.agent_of_nouns  # 'the request of Haiti'
    for child in trig.token.children:
        if child.dep_ != "prep":
            continue
        word = child.lower_
        for obj in (c for c in child.children if c.dep_ == "pobj"):
            # 'talks between A and B': the parties act; 'a mediation effort between India
            # and Pakistan' (a sense listing 'between'): they receive it
            between = word == "between" and word not in trig.sense.target_preps
            if between and third is not None:
                # 'Qatar hosted talks between the US and the Taliban': the host acts on both
                # parties (PLOVER's third-party CONSULT)
                targets.extend(mentions_at(obj, ctx.by_token))
            elif word in cfg.rules.source_preps or between or (word == "of" and agent_of):
                sources.extend(mentions_at(obj, ctx.by_token))
            elif word in preps:
                targets.extend(mentions_at(obj, ctx.by_token))
    return sources, targets


def _carrier_actors(
    cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, preps: frozenset[str]
) -> tuple[Mentions, Mentions]:
    """A nominal trigger with no actor of its own: the subject of the verb that carries it
    ('Israel carried out strikes'), and that verb's target prepositions."""
    tok = trig.token
    sources: Mentions = []
    targets: Mentions = []
    gov = trig.governor
    judged = trig.light is None and gov is not None and gov.type in cfg.rules.evaluating_types
    if judged:  # 'condemned the attack': the attacker is not the judge
        return sources, targets
    carrier = trig.light or governing_verb(tok)
    if carrier is not None and not _dates_another_clause(cfg, tok):
        sources.extend(subject_of(cfg, ctx, carrier))
        if trig.light is not None or (tok.dep_ == "dobj" and tok.head.i == carrier.i):
            # 'carried out strikes ... against Hamas targets': the verb's prepositions belong
            # to its object's event; 'granted asylum to Assange' (the parser's 'dative')
            targets.extend(
                m
                for child in carrier.children
                if child.dep_ in ("prep", "dative") and child.lower_ in preps
                for obj in child.children
                if obj.dep_ == "pobj"
                for m in mentions_at(obj, ctx.by_token)
            )
    if not sources and tok.dep_ in SUBJ and tok.head.lemma_.lower() in cfg.rules.participation_verbs:
        # 'talks could involve envoy Steve Witkoff'
        for child in tok.head.children:
            if child.dep_ in ("dobj",):
                sources.extend(mentions_at(child, ctx.by_token))
    return sources, targets


def _dates_another_clause(cfg: CoderConfig, tok: Token) -> bool:
    """'at the time of the attack': the event noun hangs from a noun of time or circumstance."""
    prep = tok.head
    noun = prep.head.lemma_.lower()
    return tok.dep_ == "pobj" and prep.lower_ == "of" and noun in cfg.rules.circumstance_nouns


def _received(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger) -> tuple[Mentions, Mentions] | None:
    """'Iran faces criticism from the U.N.', 'Kyiv received aid from Japan': the object of
    a verb of receiving (rules.yaml receiving_verbs) is done TO its subject, BY whoever the
    'from'/'by' phrase names."""
    tok = trig.token
    verb = tok.head
    if tok.dep_ != "dobj" or verb.i == tok.i or verb.lemma_.lower() not in cfg.rules.receiving_verbs:
        return None
    givers = [
        m
        for host in (tok, verb)
        for c in host.children
        if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by")
        for o in c.children
        if o.dep_ == "pobj"
        for m in mentions_at(o, ctx.by_token)
    ]
    return givers, subject_of(cfg, ctx, verb)


# -- a verbal trigger ('Israel struck Gaza', 'troops were deployed to ...') -------------------
def _verb_actors(
    cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, preps: frozenset[str]
) -> tuple[Mentions, Mentions]:
    by_token = ctx.by_token
    tok = trig.token
    actor_object = any(
        c.dep_ == "dobj" and (m := by_token[c.i]) is not None and m.country is not None for c in tok.children
    )
    recipients = _recipients(cfg, ctx, trig, actor_object)
    sources, targets, places = _verb_children(cfg, ctx, trig, preps, recipients, actor_object)
    if not any(t.country for t in targets):
        targets = _shared_passive_subject(ctx, tok) or targets
    if not any(t.country for t in targets) and places:
        # 'struck a Hamas camp in Gaza' is one strike on the camp; 'attacked an army camp in
        # Kabul' is on the camp, placed where it stands; with no object, on the place
        where = places[0]
        placed = f"location:{where.country}"
        targets = [
            t.model_copy(update={"country": where.country, "matched": f"{t.matched};{placed}"})
            for t in targets
        ] or places
    if trig.sense.type in cfg.rules.topic_object_types:
        # 'discussed Libya with Trump': with a partner, the object is the topic
        partners = _prep_mentions(ctx, tok, ("with",))
        if partners:
            targets = partners
    own_countries = {m.country for m in sources if m.country}
    if not targets or (own_countries and all(t.country in own_countries for t in targets)):
        targets.extend(_object_partners(cfg, ctx, tok, preps))
    if not targets:
        targets.extend(_would_be_actors(cfg, ctx, tok))
    if not sources:
        sources, done_to = _inferred_source(cfg, ctx, trig, has_targets=bool(targets))
        targets.extend(done_to)
    return sources, targets


def _shared_passive_subject(ctx: SentenceContext, verb: Token) -> Mentions:
    """A participle joined to a passive verb is done to that verb's subject."""
    if not shares_passive(verb):
        return []
    return [m for c in verb.head.children if c.dep_ in PASS_SUBJ for m in mentions_at(c, ctx.by_token)]


def _inferred_source(
    cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, has_targets: bool
) -> tuple[Mentions, Mentions]:
    """A verb with no actor among its children: the subject it inherits, the owner of its
    subject, or the actor written right before it (as source, or as target when the verb is
    a participle of what was done to it)."""
    by_token = ctx.by_token
    tok = trig.token
    found = subject_of(cfg, ctx, tok)
    if found:
        return found, []
    found = _opponents(ctx, tok)
    if found:
        return found, []
    # 'US Predator attacks have killed ...': the owner of the subject acts
    subj = next((c for c in tok.children if c.dep_ in SUBJ and by_token[c.i] is None), None)
    if subj is not None and subj.pos_ == "NOUN":
        found = owners(subj, by_token)
        if found:
            return found, []
    if tok.dep_ in ("acl", "advcl") and tok.i > 0:
        # 'reports of the United States deploying': the actor right before the verb.
        prev = by_token[tok.i - 1]
        done_to = passive_participle(tok) and not theme_object(cfg, trig)
        if prev is not None and not done_to:
            return [prev], []
        if prev is not None and not has_targets:
            return [], [prev]  # 'aid workers abducted in Somalia': done to them
    return [], []


def _opponents(ctx: SentenceContext, tok: Token) -> Mentions:
    """'two soldiers were killed in an exchange of fire WITH Indian forces', 'in clashes
    with police': who fought those it was done to did it."""
    if not (passive_participle(tok) or any(c.dep_ == "auxpass" for c in tok.children)):
        return []
    fights = [
        o
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ == "in"
        for o in c.children
        if o.dep_ == "pobj" and o.i in ctx.trigger_tokens
    ]
    return [m for f in fights for m in _prep_mentions(ctx, f, ("with",))]


def _prep_mentions(
    ctx: SentenceContext, tok: Token, preps: tuple[str, ...], deps: tuple[str, ...] = ("prep",)
) -> Mentions:
    """The mentions at the objects of ``tok``'s prepositions ``preps``."""
    return [
        m
        for c in tok.children
        if c.dep_ in deps and c.lower_ in preps
        for o in c.children
        if o.dep_ == "pobj"
        for m in mentions_at(o, ctx.by_token)
    ]


def _recipients(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, actor_object: bool) -> Mentions:
    """'gave medical equipment to Nicaragua': who receives what is given (rules.yaml
    recipient_after_prep); 'praised Ethiopia for its role': an actor as object receives the
    act, 'for' is why."""
    if trig.sense.type not in cfg.rules.recipient_after_prep or actor_object:
        return []
    return _prep_mentions(ctx, trig.token, ("to", "for"), deps=("prep", "dative"))


def _verb_children(
    cfg: CoderConfig,
    ctx: SentenceContext,
    trig: Trigger,
    preps: frozenset[str],
    recipients: Mentions,
    actor_object: bool,
) -> tuple[Mentions, Mentions, Mentions]:
    """Sources, targets and places (where it happened) among the verb's children."""
    tok = trig.token
    sources: Mentions = []
    targets: Mentions = list(recipients)
    places: Mentions = []
    roles = {"source": sources, "target": targets, "place": places}
    kids = list(tok.children)  # (each walk of .children makes its Tokens anew)
    passive = any(c.dep_ in _PASSIVE_DEPS for c in kids)
    is_stative = stative(cfg, tok)
    # 'handed Hong Kong back to China': the parser hangs the preposition on the particle
    particles = [t for t in trig.tokens if t.i != tok.i and t.head.i == tok.i]
    particle_preps = [g for t in particles for g in t.children if g.dep_ == "prep"]
    for child in (*kids, *particle_preps):
        dep = child.dep_
        if dep not in _ROLE_DEPS:
            continue  # punctuation, auxiliaries, adverbs, clauses: no role (_verb_child)
        if recipients and (dep in OBJ or dep == "prep"):
            continue  # the recipient is known: the object is what is given
        role, found = _verb_child(cfg, ctx, trig, child, dep, preps, passive, is_stative, actor_object)
        if role is not None:
            roles[role].extend(found)
    return sources, targets, places


def _verb_child(
    cfg: CoderConfig,
    ctx: SentenceContext,
    trig: Trigger,
    child: Token,
    dep: str,
    preps: frozenset[str],
    passive: bool,
    is_stative: bool,
    actor_object: bool,
) -> tuple[str | None, Mentions]:
    """The role ('source', 'target', 'place') of one child of the verb, and its mentions;
    ``dep``: the child's label (each read of dep_ looks its string up again)."""
    tok = trig.token
    by_token = ctx.by_token
    if dep in SUBJ:
        return "source", mentions_at(child, by_token)
    if dep in PASS_SUBJ:
        if not theme_object(cfg, trig):
            return ("source" if is_stative else "target"), mentions_at(child, by_token)
        # '2,000 Russian soldiers were deployed along ...': what moved is no target; with no
        # agent, its side moved it
        if not any(c.dep_ == "agent" for c in tok.children):
            return "source", mentions_at(child, by_token)
        return None, []
    if dep == "agent":
        # 'banned a march by opposition supporters': an active verb with a subject has no
        # agent; the parser hung the object's 'by' on the verb
        active = not passive and any(c.dep_ in SUBJ for c in tok.children)
        found = [m for obj in child.children if obj.dep_ == "pobj" for m in mentions_at(obj, by_token)]
        return ("target" if active else "source"), found
    if dep in OBJ and not passive and not theme_object(cfg, trig):
        return "target", mentions_at(child, by_token)
    word = child.lower_ if dep == "prep" else ""
    if dep == "prep" and word in preps:
        if actor_object and word in cfg.rules.object_agent_preps:
            return None, []  # 'praised Ethiopia for its role': why, not whom
        found = [m for obj in child.children if obj.dep_ == "pobj" for m in mentions_at(obj, by_token)]
        return ("place" if word in cfg.rules.location_preps else "target"), found
    return None, []


def _object_partners(cfg: CoderConfig, ctx: SentenceContext, tok: Token, preps: frozenset[str]) -> Mentions:
    """'shared evidence with Saudi Arabia': the parser hangs the partner on the object
    ('information on North Korea' is a topic, no partner); 'withdrew its ambassador from
    Washington': past the source's own people."""
    return [
        m
        for obj in tok.children
        if obj.dep_ == "dobj"
        for c in obj.children
        if c.dep_ == "prep" and c.lower_ in preps and c.lower_ not in cfg.rules.topic_preps
        for o in c.children
        if o.dep_ == "pobj"
        for m in mentions_at(o, ctx.by_token)
    ]


def _would_be_actors(cfg: CoderConfig, ctx: SentenceContext, tok: Token) -> Mentions:
    """'prevented the demonstration staged by students', 'banned a rally by the opposition':
    those who would act are who the act is done to."""
    source_preps = tuple(cfg.rules.source_preps)
    return [
        m
        for obj in tok.children
        if obj.dep_ == "dobj" and obj.pos_ == "NOUN"
        for m in [*_prep_mentions(ctx, obj, source_preps), *participle_agents(obj, ctx.by_token)]
    ]


# -- the subject of a verb, inherited when it has none --------------------------------------
#: what one step up from a subjectless verb gives: the subject found, or the node to climb to
_Climb = tuple[Mentions | None, Token | None]


def subject_of(cfg: CoderConfig, ctx: SentenceContext, verb: Token) -> Mentions:
    """The subject of ``verb``, inherited through xcomp, conj and acl when it has none."""
    came_from = verb.dep_
    node = verb
    controlled = False  # climbed out of a complement, participle or gerund clause
    for _ in range(4):
        found = _own_subject(ctx, node)
        if found is not None:
            return found
        controlled = controlled or (node is not verb and came_from in ("xcomp", "advcl", "pcomp"))
        if controlled:
            # 'Arce could be seen confronting Zúñiga, ordering the general ...', 'was asked to
            # leave', 'was arrested after attempting to storm the palace': who is seen, asked
            # or arrested doing the act does it
            passive = [m for c in node.children if c.dep_ in PASS_SUBJ for m in mentions_at(c, ctx.by_token)]
            if passive:
                return passive
        found, up = _climb(cfg, ctx, node)
        if found is not None:
            return found
        if up is None:
            break
        came_from, node = node.dep_, up
    return _left_neighbour(node, ctx.by_token)


def _own_subject(ctx: SentenceContext, node: Token) -> Mentions | None:
    """The mentions of the node's subjects, or of its passive agent; None when it has neither."""
    subj = [c for c in node.children if c.dep_ in SUBJ]
    if subj:
        return [m for s in subj for m in mentions_at(s, ctx.by_token)]
    agent = [c for c in node.children if c.dep_ == "agent"]
    if agent:
        return [m for a in agent for o in a.children for m in mentions_at(o, ctx.by_token)]
    return None


def _climb(cfg: CoderConfig, ctx: SentenceContext, node: Token) -> _Climb:
    participle = (
        node.dep_ == "advcl"
        and (node.tag_ in ("VBG", "VBN") or any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children))
        and not any(c.dep_ == "mark" for c in node.children)
    )  # 'shunned work to protest at ...': the purpose has the main subject
    if (node.dep_ in ("xcomp", "conj", "acomp") or participle) and node.head.i != node.i:
        return _climb_clause(cfg, ctx, node)
    return _climb_from_noun(cfg, ctx, node)


def _climb_clause(cfg: CoderConfig, ctx: SentenceContext, node: Token) -> _Climb:
    """A complement, conjunct or participle shares the subject of the verb it hangs from."""
    head = node.head
    # 'urged Iran to return': the object of an asking verb does the act.
    if node.dep_ == "xcomp":
        obj = [c for c in head.children if c.dep_ in ("dobj",)]
        if obj and head.lemma_.lower() not in cfg.rules.speech_verbs:
            return [m for o in obj for m in mentions_at(o, ctx.by_token)], None
    nearer = _nearer_clause(node) if node.dep_ == "conj" else None
    if nearer is not None:
        return None, nearer
    if node.dep_ == "conj" and node.pos_ == "VERB" and head.pos_ == "NOUN" and head.dep_ in OBJ:
        # 'suspending parts of the constitution and arresting politicians': the parser
        # joined the verb to the object; it shares the object's verb
        head = head.head
    return None, head


def _nearer_clause(conj: Token) -> Token | None:
    """'expelled the envoy after the minister spoke of X and questioned Y': a verb joined by a
    bare 'and' right after a subordinate clause with its own subject continues that clause
    (the parser hangs it on the main verb); a comma before 'and' leaves it with the main verb."""
    head = conj.head
    ccs = [c for c in head.children if c.dep_ == "cc" and c.i < conj.i]
    clauses = [
        c
        for c in head.children
        if c.dep_ == "advcl" and head.i < c.i < conj.i and any(s.dep_ in SUBJ for s in c.children)
    ]
    if ccs and clauses and ccs[-1].i == clauses[-1].right_edge.i + 1:
        return clauses[-1]
    return None


def _climb_from_noun(cfg: CoderConfig, ctx: SentenceContext, node: Token) -> _Climb:
    """A clause that describes a noun, or the object of a preposition: who acts is the noun,
    its owner, or the object of the verb above."""
    by_token = ctx.by_token
    if node.dep_ == "acl" and node.head.dep_ == "ROOT" and by_token[node.head.i] is not None:
        # 'A crowd of 10,000 gathered in Manila': a sentence parsed without a finite verb; the
        # noun it hangs from is its subject
        return mentions_at(node.head, by_token), None
    if passive_participle(node):
        return None, None  # 'aid workers abducted in Somalia': the noun is what it was done to
    if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
        # "Washington's decision to bolster ...": the decision's owner acts.
        owned_by = [c for c in node.head.children if c.dep_ in ("poss", "compound")]
        if owned_by:
            return [m for o in owned_by for m in mentions_at(o, by_token)], None
        # 'an order issued by the Taliban banning ...', 'a decree by the junta banning ...'
        agents = [*participle_agents(node.head, by_token), *_prep_mentions(ctx, node.head, ("by",))]
        if agents:
            return agents, None
        if node.head.dep_ == "dobj" and node.head.head.i != node.head.i:
            # 'the PKK issued a declaration demanding ...': who issued it demands
            return None, node.head.head
    if node.dep_ in ("pobj", "pcomp") and node.head.head.i != node.head.i:
        prep, verb = node.head, node.head.head
        if prep.lower_ in cfg.rules.object_agent_preps:
            # 'accused Armenia of shelling', 'blamed Kyiv for the attack': the object acts.
            objects = [c for c in verb.children if c.dep_ == "dobj"]
            found = [m for o in objects for m in mentions_at(o, by_token)]
            if found:
                return found, None
        return None, verb
    return None, None


def _left_neighbour(verb: Token, by_token: MentionIndex) -> Mentions:
    """A finite verb the parse left without a subject ('With the signing of the MOU, the
    Sudanese government and SPLM/A have agreed'): the actors written right before it."""
    if verb.pos_ not in ("VERB", "AUX") or verb.dep_ not in ("ROOT", "conj", "ccomp"):
        return []
    if any(c.dep_ in (*SUBJ, *PASS_SUBJ, "expl") for c in verb.children):
        return []
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and doc[k].head.i == verb.i and doc[k].dep_ in ("aux", "auxpass", "neg", "advmod"):
        k -= 1
    if k < 0 or (by_token[k] is None and doc[k].dep_ != "conj"):
        return []  # only auxiliaries may stand between ('have agreed')
    node = doc[k]
    while node.dep_ == "conj" and by_token[node.head.i] is not None:
        node = node.head
    return [m for m in mentions_at(node, by_token) if m.country or m.sectors]


# -- fallbacks when the parse links no actor ----------------------------------------------
def phrase_mention(cfg: CoderConfig, ctx: SentenceContext, head: Token | None) -> Mentions:
    """A mention for a noun phrase no actor mention covers: its words up to the head."""
    if head is None or cfg.resolver is None or head.pos_ not in ("NOUN", "PROPN"):
        return []
    if head.i in ctx.trigger_tokens:
        return []  # 'agree to a meeting': an event, not the one it is done to
    mention = ctx.by_token[head.i]
    if mention is not None:
        return [mention]
    # the same subject or object is resolved for several triggers: resolve it once per Doc,
    # and give each caller a mention of its own
    known = ctx.by_token.phrases() if type(ctx.by_token) is MentionTable else {}
    if head.i not in known:
        known[head.i] = _phrase_fields(cfg, head)
    fields = known[head.i]
    if fields is None:
        return []
    return [ActorMention(**{**fields, "sectors": list(fields["sectors"])})]


def _phrase_fields(cfg: CoderConfig, head: Token) -> dict[str, Any] | None:
    """The fields of :func:`phrase_mention`'s mention of the phrase ``head`` heads."""
    of = next((o for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children), None)
    if of is not None:
        role = cfg.resolver.kb.lookup_role(f"{head.text} of {of.text}")
        if role is not None and role.kind == "not_actor":
            return None  # 'declared a state of siege': a condition, no actor
    start = head.left_edge.i
    while start < head.i and head.doc[start].pos_ in ("DET", "PRON", "PUNCT", "NUM"):
        start += 1
    span = head.doc[max(start, head.i - 7) : head.i + 1]
    res = cfg.resolver.resolve(span.text, date=head.doc._.doc_date)
    return span_fields(
        span,
        country=res.country,
        sectors=list(res.sectors),
        name=res.name,
        role=res.role,
        kind=res.kind or "phrase",
        matched=";".join(["phrase", *res.matched]),
    )


def _means_agent(cfg: CoderConfig, ctx: SentenceContext, tok: Token) -> Mentions:
    """'were killed in a siege by al-Shabaab', 'wounded during a raid by Israeli forces': the
    agent of the act that the victims suffered it in did it (rules.yaml means_preps)."""
    return next(
        (
            found
            for prep in tok.children
            if prep.dep_ == "prep" and prep.lower_ in cfg.rules.means_preps
            for act in prep.children
            if act.dep_ == "pobj" and act.pos_ == "NOUN"
            for by in act.children
            if by.dep_ == "prep" and by.lower_ == "by"
            for agent in by.children
            if agent.dep_ == "pobj" and (found := [m for m in mentions_at(agent, ctx.by_token) if m.country])
        ),
        [],
    )


def _unattributed(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, found: Mentions) -> Mentions:
    """'A roadside bombing near Samarra killed ...': an act nobody is named for has an
    unidentified actor of the place where it happened (ICEWS' 'Unidentified Gunmen
    (Iraq)'); its evidence is the words that imply it: the attack or its weapon. An act
    only a state does ('was arrested in Lebanon') has the authorities of the place."""
    tok = trig.token
    state_acts = cfg.rules.unattributed_state
    kinds: tuple[str, ...] = ("place",)
    if tok.lemma_.lower() in state_acts:
        # 'arrested in Lebanon', 'hanged in Tehran': the state of that country did it
        sector, kinds = state_acts[tok.lemma_.lower()], ("place", "country")
    elif trig.type in cfg.rules.unattributed.types:
        sector = cfg.rules.unattributed.types[trig.type]
    else:
        return []
    # the weapon or attack that did it: 'killed by an explosive device', 'A roadside bombing
    # ... killed'
    agent = next(
        (o for c in tok.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"),
        None,
    ) or next((c for c in tok.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"), None)
    where = _where(cfg, ctx, tok, agent, kinds)
    if where is None:
        return []
    placed = f"location:{where.country}"
    if found:  # 'an improvised explosive device': a mention without a country
        return [
            m.model_copy(update={"country": where.country, "matched": f"{m.matched};{placed}"}) for m in found
        ]
    evidence = agent if agent is not None else tok
    words = tok.doc[evidence.left_edge.i if evidence.pos_ == "NOUN" else tok.i : evidence.i + 1]
    return [
        span_mention(
            words,
            country=where.country,
            sectors=[sector],
            kind="unidentified",
            matched=f"unattributed;{placed}",
        )
    ]


def _where(
    cfg: CoderConfig, ctx: SentenceContext, tok: Token, agent: Token | None, kinds: tuple[str, ...]
) -> ActorMention | None:
    """The first placed mention ('in Kabul', 'near Samarra') after a location preposition of
    the trigger, its verb, or the weapon that did it."""
    hosts = [tok, *([tok.head] if tok.head.pos_ in ("VERB", "AUX") and tok.head.i != tok.i else [])]
    if agent is not None:
        hosts.append(agent)
    return next(
        (
            m
            for host in hosts
            for c in host.children
            if c.dep_ == "prep" and c.lower_ in cfg.rules.location_preps
            for t in c.subtree
            if (m := ctx.by_token[t.i]) is not None
            and m.country
            and (m.kind in kinds or is_capital(m))  # 'in Kabul'
        ),
        None,
    )


def _main_subject(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, targets: Mentions) -> Mentions:
    """An event the parse links to no actor ('shortened ... the nightly curfew imposed in
    Sudan' parsed with 'curfew' as a subject) takes the subject of the sentence's main
    verb, as PETRARCH-style coders do; its provenance says so (``main-subject``) and it
    ranks below sources the parse gives. Never the speaker of a report, never for an
    event that is another's content ('condemned the attack': the judge is no attacker)."""
    if trig.governor is not None:
        return []
    main = root(trig.token)
    if main.i == trig.token.i or main.lemma_.lower() in cfg.rules.speech_verbs:
        return []
    subj = [c for c in main.children if c.dep_ == "nsubj"]
    found = [m for c in subj for m in mentions_at(c, ctx.by_token) if m.country and m.kind != "pronoun"]
    # who the act is done to is not who did it
    done_to = {id(t) for t in targets}
    done_to_entities = {t.entity for t in targets if t.entity is not None}
    found = [m for m in found if id(m) not in done_to and m.entity not in done_to_entities]
    return [m.model_copy(update={"matched": f"{m.matched};{MAIN_SUBJECT}"}) for m in found]


def _recipient(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, sources: Mentions) -> Mentions:
    """The first foreign actor after a preposition of rules.yaml recipient_search anywhere in
    the trigger's clause (outside its subject)."""
    anchor = trig.light or trig.token
    own = {m.country for m in sources if m.country}
    skip = {t.i for c in anchor.children if c.dep_ in (*SUBJ, *PASS_SUBJ) for t in c.subtree}
    for tok in anchor.subtree:
        if tok.i in skip or tok.dep_ != "pobj" or tok.head.lower_ not in cfg.rules.recipient_search.preps:
            continue
        m = ctx.by_token[tok.i]
        if m is not None and m.country and m.country not in own and m not in sources:
            return [m]
    return []


def _condition_party(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, sources: Mentions) -> Mentions:
    """The first other actor in a condition clause of the trigger ('until their demands are
    met by the authorities', 'unless Cuba undertakes reforms')."""
    own = {id(m) for m in sources} | {m.entity for m in sources if m.entity is not None}
    for clause in (trig.light or trig.token).children:
        if clause.dep_ != "advcl" or not any(
            m.dep_ == "mark" and m.lower_ in cfg.rules.condition_marks for m in clause.children
        ):
            continue
        for tok in clause.subtree:
            m = ctx.by_token[tok.i]
            if m is not None and id(m) not in own and (m.entity is None or m.entity not in own):
                return [m]
    return []


# -- records and reporters ------------------------------------------------------------------
def pairs(
    cfg: CoderConfig, trig: Trigger, ev_type: str, status: EventStatus, sources: Mentions, targets: Mentions
) -> list[Pair]:
    """One (source, target) per record: each source on each target but its own pronoun;
    coordinated actors of a mutual act ('Czechia and Albania have upgraded their ties') each
    on the other."""
    rules = cfg.rules
    # 'A and B failed to reach agreement': refusing a mutual act is mutual too
    exchanged = trig.is_noun and trig.token.lemma_.lower() in rules.exchange_nouns
    mutual = (
        exchanged
        or ev_type in rules.reciprocal_types
        or (
            ev_type == "REJECT"
            and (
                trig.type in rules.reciprocal_types
                or any(g.type in rules.reciprocal_types for g in trig.governed)
            )
        )
    )
    # (the cheap tests first: most events have one source, and need none of the others)
    if len(sources) > 1 and mutual and _only_own(cfg, trig, status, sources, targets):
        held_together = rules.mutual_noun_types | {trig.type} if exchanged else rules.mutual_noun_types
        if coordinated(trig, held_together):
            return [(a, b) for a in sources for b in sources if a is not b]
    found: list[Pair] = []
    for s in sources or (None,):
        # 'lifted its embargo': the source's own pronoun is no target.
        own = [t for t in targets if s is not None and s.entity is not None and s.entity == t.entity]
        for t in [t for t in targets if t not in own] or (None,):
            found.append((s, t))
    return found


def _only_own(
    cfg: CoderConfig, trig: Trigger, status: EventStatus, sources: Mentions, targets: Mentions
) -> bool:
    """The targets are only the sources' own pronoun ('upgraded their ties') or an uncoded
    object ('agreed to share information'): coordinated actors act on each other."""
    own_ids = {m.entity for m in sources if m.entity is not None}
    settled = (
        bool(targets)
        and status == EventStatus.happened
        and not any(a.dep_ == "aux" and a.lower_ in cfg.demand_modals for a in trig.token.children)
    )  # not 'X and Y must agree': that is somebody's demand
    return all((t.entity is not None and t.entity in own_ids) or (settled and not coded(t)) for t in targets)


def coordinated(trig: Trigger, mutual_noun_types: frozenset[str]) -> bool:
    """'Iran and Oman agreed', 'talks between A and B': actors acting on each other."""
    tok = trig.token
    if trig.is_noun:
        if any(c.dep_ == "prep" and c.lower_ == "between" for c in tok.children):
            return True
        carrier = trig.light or governing_verb(tok)
        if carrier is None or trig.type not in mutual_noun_types:
            return False
        tok = carrier
        if tok.dep_ == "conj" and not any(c.dep_ in SUBJ for c in tok.children):
            tok = tok.head  # 'A and B are home or headed there in a swap': the shared subject
    return any(
        c.dep_ in SUBJ
        and (
            conjuncts(c)
            or any(g.dep_ in ("poss", "amod", "nmod", "compound") and conjuncts(g) for g in c.lefts)
        )
        for c in tok.children
    )


def reporter(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger) -> tuple[int | None, ActorMention | None]:
    """The quote the trigger is in and its speaker; with no quote, the subject of a verb of
    saying above the trigger."""
    start = trig.token.idx
    quotes = ctx.quotes if isinstance(ctx.quotes, DocQuotes) else DocQuotes(ctx.quotes)
    idx = quotes.covering(start)
    if idx is not None:
        return idx, quotes[idx].speaker
    # No quote found: a speech verb above the trigger still says who reports it.
    node = trig.light or trig.token
    for _ in range(6):
        if (head := node.head).i == node.i:
            break
        node = head
        if node.lemma_.lower() in cfg.rules.speech_verbs and node.pos_ == "VERB":
            subj = next((c for c in node.children if c.dep_ in SUBJ), None)
            if subj is not None:
                found = mentions_at(subj, ctx.by_token)
                if found:
                    return None, found[0]
            break
    return None, None
