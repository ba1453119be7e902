"""Stage 1 and 2 of the event coder: find a sentence's triggers, then compose them.

1. Triggers are verbs and nouns (and multiword phrases) of the trigger lexicon; a light
   verb ("held talks", "launched strikes") hands the event to its object noun; a refusal
   ("will not allow") is a REJECT trigger; "X said Y must ..." is a demand.
2. Triggers that govern one another compose ("agreed to meet" = AGREE [036] with the
   meeting intended; "threatened to strike" = THREATEN with the strike threatened); a
   governor whose governed event wins (rules.yaml governed_wins, ordering_verbs) is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import replace
from weakref import WeakKeyDictionary

from spacy.tokens import Span, Token

from communique.events.codes import mode_from_cues
from communique.events.config import CoderConfig
from communique.events.context import SentenceContext, Trigger
from communique.events.grammar import (
    WHEN,
    absolute_clause,
    around_lemmas,
    clause_subjects,
    coordinated_clause,
    hyphen_forms,
    infinitive_clause,
    object_lemmas,
    orders_act,
    prep_objects,
    setting_verb,
    shared_conjunct,
)
from communique.events.lexicon import Sense
from communique.events.mentions import mentions_at

#: Dependency labels on the way from a governed trigger up to its governor.
_GOVERN_DEPS = frozenset({"xcomp", "ccomp", "pobj", "pcomp", "prep", "dobj", "acl", "relcl"})
#: Words a multiword trigger may list that the parse hangs elsewhere ('take to the street').
_ARTICLES = frozenset({"the", "a", "an"})


# -- 1. finding triggers ---------------------------------------------------------------------
def find_triggers(cfg: CoderConfig, ctx: SentenceContext, sent: Span) -> tuple[list[Trigger], list[Token]]:
    """The sentence's triggers, and its verbs of saying outside them (for :func:`demands`)."""
    found: list[Trigger] = []
    taken: set[int] = set()
    speech_verbs: list[Token] = []
    words = _trigger_words(cfg)
    text = ctx.doc_text
    start, end = sent.start, sent.end
    table = ctx.doc_words
    # a lexicon word or a hyphenated one: elsewhere match and _refusal would find nothing
    candidates = [
        (i, lemma)
        for i, lemma, lower, at in zip(
            range(start, end),
            table.lemmas[start:end],
            table.lowers[start:end],
            table.idx[start:end],
            strict=True,
        )
        if lemma in words or lower in words or (at and text[at - 1] == "-")
    ]
    for i, lemma in candidates:
        if i in taken:
            continue
        tok = ctx.doc[i]
        if (lemma in cfg.rules.speech_verbs or lemma in cfg.rules.expecting_verbs) and tok.pos_ == "VERB":
            speech_verbs.append(tok)
        trig = match(cfg, ctx, tok) or _refusal(cfg, tok)
        if trig is None or _not_an_event(cfg, ctx, trig):
            continue
        taken.update(t.i for t in trig.tokens)
        found.append(trig)
    # 'mediation effort': the phrase, not also its first word on its own
    inside = {t.i for trig in found if len(trig.tokens) > 1 for t in trig.tokens if t.i != trig.token.i}
    found = [trig for trig in found if trig.token.i not in inside]
    # Light verbs hand their subject to their object trigger.
    for trig in found:
        head = trig.token.head
        if (
            trig.is_noun
            and trig.token.dep_ in ("dobj", "attr")
            and head.lemma_.lower() in cfg.lex.light_verbs
        ):
            trig.light = head
    return found, speech_verbs


_TRIGGER_WORDS: WeakKeyDictionary[CoderConfig, tuple[tuple[int, ...], frozenset[str]]] = WeakKeyDictionary()


def _trigger_words(cfg: CoderConfig) -> frozenset[str]:
    """Every lemma or lower-case word that ``match``, ``_refusal`` or the speech verbs look up (a
    word after a hyphen is looked up as a whole, 'test-fired'): a token that is none of them is
    no trigger, and is passed by without reading its parse. Rebuilt if the lexicon grows."""
    lex = cfg.lex
    sizes = (len(lex.verbs), len(lex.verb_phrases), len(lex.nouns), len(lex.noun_phrases))
    cached = _TRIGGER_WORDS.get(cfg)
    if cached is None or cached[0] != sizes:
        words = frozenset().union(
            lex.verbs,
            lex.verb_phrases,
            lex.nouns,
            lex.noun_phrases,
            cfg.refusal_verbs,
            cfg.refusal_negated,
            cfg.rules.speech_verbs,
            cfg.rules.expecting_verbs,
        )
        cached = _TRIGGER_WORDS[cfg] = (sizes, words)
    return cached[1]


def _not_an_event(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger) -> bool:
    """A match that names rather than reports, or a light verb whose object carries the event."""
    tok = trig.token
    lemma, dep = ctx.doc_words.lemmas[tok.i], tok.dep_  # (read once: each read decodes again)
    if trig.is_noun and lemma in cfg.rules.existential_nouns:
        return not _existential(tok)  # 'said there would be significant consequences'
    if trig.is_noun and dep in ("attr", "oprd"):
        return True  # 'calling it a serious threat' names, it does not threaten
    if trig.sense.type in cfg.rules.measure_proof_types and _done_by_measure(cfg, tok):
        return True  # 'his decree targeting unions', 'the law hits migrants': no violence
    if dep == "pcomp" and tok.head.lower_ in cfg.rules.absence_preps:
        return True  # 'alleged without providing evidence': no act, its absence
    if lemma in cfg.rules.attempt_verbs and _attempts(tok):
        return True  # 'would seek to resupply troops': the resupply is the event
    if (
        trig.sense.type in cfg.rules.described_states
        and dep == "acl"
        and tok.tag_ == "VBN"
        and not any(c.dep_ == "agent" for c in tok.children)
    ):
        return True  # 'troops stationed on a warship' says where they are, no deployment
    if (
        tok.pos_ == "VERB"
        and len(trig.sense.words) < 2  # 'called off the strike' is its own phrase
        and lemma in cfg.lex.light_verbs
    ):
        # 'held talks': the object noun, if it is a trigger, carries the event.
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "attr")), None)
        return obj is not None and match(cfg, ctx, obj) is not None
    return False


def _done_by_measure(cfg: CoderConfig, verb: Token) -> bool:
    """The verb's doer is a law, decree or policy: its subject, or the noun its participle
    describes ('a decree targeting unions')."""
    if verb.pos_ != "VERB":
        return False
    doers = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ == "acl":
        doers.append(verb.head)
    return any(d.lemma_.lower() in cfg.rules.measure_nouns for d in doers)


def _existential(noun: Token) -> bool:
    """'there will be consequences': the noun is what 'there is'."""
    verb = noun.head
    there = any(c.dep_ == "expl" for c in verb.children)
    return noun.dep_ in ("attr", "nsubj") and verb.lemma_ == "be" and there


def _attempts(verb: Token) -> bool:
    """The verb has a to-infinitive and no object: 'sought to calm tensions'."""
    kids = list(verb.children)
    return not any(c.dep_ in ("dobj", "dative") for c in kids) and any(
        c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in kids
    )


def demands(cfg: CoderConfig, speech_verbs: Sequence[Token], triggers: list[Trigger]) -> list[Trigger]:
    """'X said Y must stop ...': a statement that another actor must act is a demand, even
    when what is demanded is no trigger."""
    found = []
    taken = {t.token.i for t in triggers}
    for tok in speech_verbs:
        if tok.i in taken:
            continue
        for comp in tok.children:
            if comp.dep_ != "ccomp":
                continue
            auxes = [(a.dep_, a.lower_) for a in comp.children if a.dep_ in ("aux", "auxpass")]
            needed = comp.lemma_.lower() in cfg.rules.demand_passives and any(
                d == "auxpass" for d, _ in auxes
            )
            expected = tok.lemma_.lower() in cfg.rules.expecting_verbs and _expects_of_another(comp, auxes)
            if needed or expected or any(d == "aux" and w in cfg.demand_modals for d, w in auxes):
                trig = Trigger(tok, cfg.demand_sense, [tok])
                trig.demand = comp
                found.append(trig)
                break
    return found


def _expects_of_another(comp: Token, auxes: list[tuple[str, str]]) -> bool:
    """'Moscow expects Armenia to abide by the truce': an act expected of another actor,
    whose subject the infinitive has, is demanded of it."""
    return ("aux", "to") in auxes and any(c.dep_ == "nsubj" for c in comp.children)


def _refusal(cfg: CoderConfig, tok: Token) -> Trigger | None:
    """'will not allow Iran to ...', 'refused to join': the refusal is a REJECT event."""
    if tok.pos_ != "VERB":
        return None
    lemma = tok.lemma_.lower()
    if lemma not in cfg.refusal_verbs and lemma not in cfg.refusal_negated:
        return None  # most verbs: no need to read their children
    negated = any(c.dep_ == "neg" for c in tok.children)
    if lemma in cfg.rules.refusal_needs_complement and not any(
        c.dep_ in ("xcomp", "ccomp") for c in tok.children
    ):
        return None  # 'the offensive will fail' refuses nothing
    if lemma in cfg.refusal_verbs or (negated and lemma in cfg.refusal_negated):
        trig = Trigger(tok, cfg.refusal_sense, [tok])
        trig.refusal = True
        return trig
    return None


def match(cfg: CoderConfig, ctx: SentenceContext, tok: Token) -> Trigger | None:
    """The trigger ``tok`` heads, if the lexicon lists it (as a word or a phrase)."""
    if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.tag_ == "VBN"):
        return _match_verb(cfg, ctx, tok)
    if tok.pos_ in ("NOUN", "PROPN"):
        return _match_noun(cfg, ctx, tok)
    return None


def _match_verb(cfg: CoderConfig, ctx: SentenceContext, tok: Token) -> Trigger | None:
    lex = cfg.lex
    lemma = tok.lemma_.lower()
    # 'test-fired' (read off the text: no Token objects for every verb)
    hyphenated = tok.i >= 2 and tok.idx > 0 and ctx.doc_text[tok.idx - 1] == "-"
    if lemma not in lex.verb_phrases and lemma not in lex.verbs and not hyphenated:
        return None  # most verbs are no trigger: skip reading their children
    if tok.dep_ == "amod":
        return None  # 'the disputed shoal', 'the occupied territories': a description, no act
    described = tok.head.head if tok.head.dep_ == "amod" else None
    if described is not None and ctx.by_token[described.i] is not None:
        return None  # 'wounded prisoners', 'detained opposition leader': who, not what
    known = (*lex.verbs.get(lemma, ()), *lex.verb_phrases.get(lemma, ()))
    excludes = hyphenated or any(s.not_objects for s in known)
    if excludes or any(s.objects for s in known):
        objects = object_lemmas(tok)
        # what is around the verb is read only where a sense excludes some object
        around = around_lemmas(tok, objects) if excludes else objects
    else:  # no sense of the verb asks what its object is: skip reading it
        objects, around = set(), set()
    phrase = _verb_phrase(cfg, ctx, tok, objects, around)
    if phrase is not None:
        return phrase
    if tok.pos_ == "AUX":
        return None
    if hyphenated:
        # 'test-fired': the tokenizer splits what the lexicon lists as one verb
        prefix = tok.doc[tok.i - 2]
        senses = lex.verbs.get(f"{prefix.lower_}-{lemma}")
        if senses:
            sense = pick(senses, objects, around)
            if sense is not None:
                return Trigger(tok, sense, [prefix, tok.doc[tok.i - 1], tok])
    sense = pick(_cued(cfg, ctx, lex.verbs.get(lemma, ()), tok), objects, around)
    return Trigger(tok, sense, [tok]) if sense else None


_CLAUSES = frozenset({"advcl", "xcomp", "ccomp"})
#: The labels of a verb's children that may be the other words of a multiword verb.
_PHRASE_DEPS = frozenset({"prt", "prep", "dobj", "advmod", "compound:prt"})


def _verb_phrase(
    cfg: CoderConfig, ctx: SentenceContext, tok: Token, objects: set[str], around: set[str]
) -> Trigger | None:
    """'called off', 'took to the streets': a multiword verb whose other words are children of
    the verb (or objects of its prepositions)."""
    phrases = cfg.lex.verb_phrases.get(tok.lemma_.lower(), ())
    if not phrases:
        return None
    kids: list[Token] = []
    clauses: list[Token] = []
    for c in tok.children:  # (one walk, each label read once)
        dep = c.dep_
        if dep in _PHRASE_DEPS:
            # 'fired a missile on Wednesday' does not 'fire on'
            if not (dep == "prep" and any(o.ent_type_ in WHEN for o in c.children)):
                kids.append(c)
        elif dep in _CLAUSES:
            clauses.append(c)
    # 'took to the streets', 'took him into custody': the object of the preposition
    kids += [o for c in kids if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
    # 'calling for Ruto to step down': the parser hangs 'for' on the clause as its mark
    kids += [m for c in clauses for m in c.children if m.dep_ == "mark"]
    kid_lemmas = {c.lemma_.lower() for c in kids}
    if not any(_phrase_fits(s, kid_lemmas, objects, around) for s in phrases):
        return None  # no phrase of the verb is there: no need to read the cues of its senses
    senses = _cued(cfg, ctx, phrases, tok)
    # a sense whose required object is there first: 'appeal to the court' is no appeal for help
    for sense in sorted(senses, key=lambda s: not (s.objects and not objects.isdisjoint(s.objects))):
        if _phrase_fits(sense, kid_lemmas, objects, around):
            rest = [w for w in sense.words[1:] if w not in _ARTICLES]
            # one word each: 'handed in their weapons in Cesar' is not 'in ... in'
            firsts: dict[str, Token] = {}
            for c in kids:
                if c.lemma_.lower() in rest:
                    firsts.setdefault(c.lemma_.lower(), c)
            return Trigger(tok, sense, [tok, *firsts.values()])
    return None


def _phrase_fits(sense: Sense, kid_lemmas: set[str], objects: set[str], around: set[str]) -> bool:
    """The multiword verb's other words are among the verb's children, and its objects fit."""
    rest = (w for w in sense.words[1:] if w not in _ARTICLES)
    return all(w in kid_lemmas for w in rest) and objects_fit(sense, objects, around)


def _match_noun(cfg: CoderConfig, ctx: SentenceContext, tok: Token) -> Trigger | None:
    lex = cfg.lex
    lemma = tok.lemma_.lower()
    lower = tok.lower_
    if tok.dep_ in ("compound", "pobj") and ctx.by_token[tok.i] is not None:
        # 'aid workers', 'a war crimes tribunal', 'prisoners of war': part of who
        return None
    phrase = _noun_phrase(cfg, tok)
    if phrase is not None:
        return phrase
    if tok.pos_ != "NOUN":
        return None
    senses = lex.nouns.get(lemma) or lex.nouns.get(lower) or []
    for form in hyphen_forms(tok):  # 'cease-fire': the tokenizer splits 'ceasefire'
        if lex.nouns.get(form):
            senses = lex.nouns[form]
            picked = pick(_cued(cfg, ctx, senses, tok), set())
            if picked:
                return Trigger(tok, picked, [tok.doc[tok.i - 2], tok.doc[tok.i - 1], tok])
    picked = pick(_cued(cfg, ctx, senses, tok), set())
    if picked is not None:
        return Trigger(tok, picked, [tok])
    return _nominalized(cfg, ctx, tok, lemma)


def _noun_phrase(cfg: CoderConfig, tok: Token) -> Trigger | None:
    """'air strike', 'peace talks': a multiword noun whose first words modify its head."""
    lex = cfg.lex
    phrases = lex.noun_phrases.get(tok.lemma_.lower(), ()) or lex.noun_phrases.get(tok.lower_, ())
    if not phrases:
        return None  # most nouns head no phrase: no need to read their modifiers
    compounds = [c for c in tok.lefts if c.dep_ in ("compound", "amod")]
    words = {c.lemma_.lower() for c in compounds} | {c.lower_ for c in compounds}
    for sense in phrases:
        if "of" in sense.words[1:]:
            found = _of_phrase(tok, sense.words)
            if found:
                return Trigger(tok, sense, found)
            continue
        before = sense.words[:-1]
        if words.issuperset(before):  # (no generator per phrase: "attack" heads 54)
            extra = [c for c in compounds if c.lemma_.lower() in before or c.lower_ in before]
            return Trigger(tok, sense, [*extra, tok])
    return None


def _of_phrase(tok: Token, words: tuple[str, ...]) -> list[Token]:
    """'exchange of fire', 'cessation of hostilities': the head, then 'of' and its object
    (with the object's modifiers); [] when ``tok`` does not head that phrase."""
    cut = words.index("of")
    if words[:cut] != (tok.lemma_.lower(),) and words[:cut] != (tok.lower_,):
        return []
    *mods, last = words[cut + 1 :]
    for obj in prep_objects(tok, "of"):
        near = {c.lemma_.lower() for c in obj.lefts} | {c.lower_ for c in obj.lefts}
        if last in (obj.lemma_.lower(), obj.lower_) and all(m in near for m in mods):
            return [tok, obj.head, obj]
    return []


def _nominalized(cfg: CoderConfig, ctx: SentenceContext, tok: Token, lemma: str) -> Trigger | None:
    """'the release of former President Temer': a noun spelt like a trigger verb, with the
    verb's object after 'of', is that verb's event (a press 'release of the report' is not:
    the object must fit the sense)."""
    senses = cfg.lex.verbs.get(lemma)
    if not senses:
        return None
    obj = next(iter(prep_objects(tok, "of")), None)
    if obj is None:
        return None
    by_token = ctx.by_token
    mention = by_token[obj.i] if obj.i < len(by_token) else None
    for sense in senses:
        fits = bool(sense.objects) and obj.lemma_.lower() in sense.objects
        if fits or (sense.object_actor and mention is not None and mention.country):
            trig = Trigger(tok, sense, [tok])
            trig.nominal_of = obj
            return trig
    return None


def _cued(
    cfg: CoderConfig, ctx: SentenceContext, senses: list[Sense] | tuple[Sense, ...], tok: Token
) -> list[Sense]:
    """Drop senses that need a mode cue when their sentence has none ('strike' = labour
    strike only among workers and unions), and senses that take no clause when the verb
    has one."""
    if any(s.no_clause for s in senses) and orders_act(tok):
        senses = [s for s in senses if not s.no_clause]
    if len(senses) < 2 and not any(s.needs_cue for s in senses):
        return list(senses)
    protest = {s.type == "PROTEST" for s in senses}
    if len(protest) < 2 and not any(s.needs_cue for s in senses):
        return list(senses)  # a crowd would put no sense before another: no need to look for one
    crowd = _crowd_subject(cfg, ctx, tok)
    if crowd:  # 'a crowd gathered', 'workers blocked the road': the civil sense first
        senses = sorted(senses, key=lambda s: s.type != "PROTEST")
    if not any(s.needs_cue for s in senses):
        return list(senses)
    return [s for s in senses if not s.needs_cue or crowd or mode_from_cues(cfg, ctx, s.type, None)[0]]


def _crowd_subject(cfg: CoderConfig, ctx: SentenceContext, tok: Token) -> bool:
    """'Hundreds of Palestinians protested': the verb's subject is a crowd of civilians,
    workers or students (rules.yaml crowd_sectors), which is the cue itself."""
    verb = tok.head if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "pobj") else tok
    for subj in clause_subjects(verb):
        for m in mentions_at(subj, ctx.by_token):
            if m.sectors and set(m.sectors) <= cfg.rules.crowd_sectors:
                return True
    return False


def objects_fit(sense: Sense, objects: set[str], around: Set[str] = frozenset()) -> bool:
    if sense.not_objects & around:
        return False
    return not sense.objects or not objects.isdisjoint(sense.objects)


def pick(
    senses: list[Sense] | tuple[Sense, ...], objects: set[str], around: Set[str] = frozenset()
) -> Sense | None:
    """A sense whose required object is present beats the general sense of the same word;
    a sense whose excluded object is there does not fire ('fight corruption')."""
    if around:  # (most verbs: nothing around them to exclude, no need to test each sense)
        senses = [s for s in senses if s.not_objects.isdisjoint(around)]
    if objects:
        # a one-word object first: a multiword one ('fighter jet', 'water cannon') decides
        # only where no sense takes the head word itself ('sent fighter jets to destroy'
        # deploys jets)
        words = {o for o in objects if " " not in o}
        for wanted in (words, objects):
            found = next((s for s in senses if s.objects and not wanted.isdisjoint(s.objects)), None)
            if found is not None:
                return found
    return next((s for s in senses if not s.objects), None)  # the general sense


# -- 2. composition --------------------------------------------------------------------------
def compose(cfg: CoderConfig, triggers: list[Trigger]) -> None:
    """Give each trigger its type and CAMEO code, link governors to what they govern, and
    let the governed event change or drop its governor."""
    for trig in triggers:
        trig.type = trig.sense.type
        trig.cameo = trig.sense.cameo or cfg.onto.default_cameo(trig.type, trig.sense.mode)
    if len(triggers) < 2:
        return  # a trigger governs (or is part of) another trigger only
    by_token = {t.token.i: t for t in triggers}
    for trig in triggers:
        gov = _governor(cfg, trig, by_token)
        if gov is not None:
            trig.governor = gov
            gov.governed.append(trig)
    _link_parts_of_acts(cfg, triggers, by_token)
    for trig in triggers:
        if trig.governor is not None:
            _govern(cfg, trig, trig.governor)


def _governor(cfg: CoderConfig, trig: Trigger, by_token: dict[int, Trigger]) -> Trigger | None:
    """The trigger a few arcs above ``trig`` that it is the content of: agree -> to -> meeting."""
    where = setting_verb(trig.token, cfg.rules.setting_preps)
    if where is not None and where.i in by_token:
        return None  # 'agreed in talks in Barbados to hold a vote': the talks are where, not what
    node = trig.token
    infinitive = False  # reached the governor through an infinitive clause
    for _ in range(4):
        head = node.head  # (one Token per step, one label read)
        if head.i == node.i:
            break
        if shared_conjunct(node):
            node = head  # its first conjunct is no governor: go on from there
            continue
        dep = node.dep_
        if dep not in _GOVERN_DEPS:
            if not infinitive_clause(node):
                break
            infinitive = True
        if dep == "prep" and node.lower_ in cfg.rules.adjunct_preps:
            break
        if dep == "conj" or absolute_clause(node) or coordinated_clause(node):
            break
        node = head
        if node.lemma_.lower() in cfg.rules.speech_verbs:
            break
        gov = by_token.get(node.i)
        if gov is not None and gov is not trig and infinitive and gov.type not in cfg.rules.content_types:
            break  # 'sent jets to destroy the reactor': a purpose, the strike is news
        if gov is not None and gov is not trig:
            return gov
    return None


def _link_parts_of_acts(cfg: CoderConfig, triggers: list[Trigger], by_token: dict[int, Trigger]) -> None:
    """'demonstrated in Belgrade demanding the resignation', 'staged rallies ..., saying he
    must resign', 'went on strike, demanding higher wages': the crowd's demand is part of its
    protest (rules.yaml part_of_act)."""
    by_light = {t.light.i: t for t in triggers if t.light is not None}
    # 'went on strike': the verb whose preposition holds the trigger noun
    for t in triggers:
        tok = t.token
        if t.is_noun and tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ == "VERB":
            by_light.setdefault(tok.head.head.i, t)
    for trig in triggers:
        head = by_token.get(trig.token.head.i) or by_light.get(trig.token.head.i)
        if (
            trig.governor is None
            and trig.token.dep_ == "advcl"
            and head is not None
            and head is not trig
            and trig.type in cfg.rules.part_of_act.get(head.type, ())
        ):
            trig.governor = head
            head.governed.append(trig)


def _govern(cfg: CoderConfig, trig: Trigger, gov: Trigger) -> None:
    """What a governed trigger does to its governor: drops it, makes it a threat, or gives it
    the CAMEO code of what it governs (rules.yaml compose_cameo)."""
    rules = cfg.rules
    if trig.is_noun and gov.type == "REQUEST" and gov.token.lemma_.lower() in rules.ordering_verbs:
        # 'ordered the release of': the order is the release (rules.yaml)
        gov.dropped = True
        trig.governor = None
        return
    if trig.type in rules.governed_wins.get(gov.type, ()):
        gov.dropped = True
        return
    if (
        gov.type == "AGREE"
        and trig.type in rules.intended_as_threaten
        and not trig.is_noun
        and trig.token.head.i == gov.token.i  # 'agreed to halt fighting' is no threat
    ):
        # 'vowed that his fighters would capture more soldiers': a promised hostile
        # act is a threat, as an announced one is (rules.yaml intended_as_threaten)
        gov.type, gov.cameo = "THREATEN", rules.intended_as_threaten[trig.type]
    composed = rules.compose_cameo.get(gov.type, {}).get(trig.type)
    if composed and (gov.cameo is None or len(gov.cameo) <= 3):
        gov.cameo = composed


# -- 3. acts the words do not make ------------------------------------------------------------
def drop_idle(cfg: CoderConfig, ctx: SentenceContext, triggers: list[Trigger]) -> None:
    """Drop a warning that threatens nobody and nothing ('warned that the crisis was the
    worst'); a retort made in words ('retaliated by saying', 'hit back and said') is no
    attack but an accusation (rules.yaml warning_verbs, retort_verbs)."""
    for trig in triggers:
        if trig.is_noun or trig.dropped:
            continue
        warning = trig.type == "THREATEN" and trig.token.lemma_.lower() in cfg.rules.warning_verbs
        if warning and _idle_warning(ctx, trig):
            trig.dropped = True
        elif trig.type == "ASSAULT" and _retort(cfg, trig.token) and _said(cfg, trig.token):
            trig.sense = cfg.retort_sense
            trig.type, trig.cameo = cfg.retort_sense.type, cfg.retort_sense.cameo
    for trig in triggers:
        verb = _answered_attack(cfg, trig)
        if verb is not None:
            # 'officials saying their country was responding to Armenian attacks': a side
            # that says it answers the other's attacks accuses it of them
            trig.token, trig.tokens = verb, [verb]
            trig.sense = replace(cfg.retort_sense, target_preps=tuple(cfg.rules.retort_preps))
            trig.type, trig.cameo = cfg.retort_sense.type, cfg.retort_sense.cameo


def _answered_attack(cfg: CoderConfig, trig: Trigger) -> Token | None:
    """The retort verb (rules.yaml retort_verbs, retort_preps) whose object an attack noun
    is, in a clause a speech verb reports; None when there is none."""
    tok = trig.token
    if not trig.is_noun or trig.dropped or trig.type != "ASSAULT" or tok.dep_ != "pobj":
        return None
    prep, verb = tok.head, tok.head.head
    if prep.lower_ not in cfg.rules.retort_preps or verb.pos_ != "VERB" or not _retort(cfg, verb):
        return None
    said = verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_.lower() in cfg.rules.speech_verbs
    return verb if said or _said(cfg, verb) else None


def _idle_warning(ctx: SentenceContext, trig: Trigger) -> bool:
    if trig.sense.objects or trig.governed:
        return False
    tok = trig.token
    aimed = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
    aimed += [o for c in tok.children if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
    return not any(ctx.by_token[o.i] is not None for o in aimed)


def _retort(cfg: CoderConfig, verb: Token) -> bool:
    """The verb is an entry of rules.yaml retort_verbs, with its particle ('hit back')."""
    lemma, kids = verb.lemma_.lower(), {c.lower_ for c in verb.children}
    entries = (e.split() for e in cfg.rules.retort_verbs)
    return any(words[0] == lemma and set(words[1:]) <= kids for words in entries)


def _said(cfg: CoderConfig, verb: Token) -> bool:
    """The verb's manner or its coordinated verb is one of saying: 'by saying', 'and said'."""
    near = [c for c in verb.children if c.dep_ == "conj"]
    near += [o for c in verb.children if c.dep_ == "prep" for o in c.children if o.dep_ == "pcomp"]
    return any(w.lemma_.lower() in cfg.rules.speech_verbs for w in near)
