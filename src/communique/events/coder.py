"""The event coder: triggers from the lexicon, actors from the dependency parse, status
from the words around the trigger, evidence as character spans.

For each sentence:

1. find triggers: verbs and nouns (and multiword phrases) of the trigger lexicon; a light
   verb ("held talks", "launched strikes") hands the event to its object noun;
2. compose triggers that govern one another ("agreed to meet" = AGREE [036] with the
   meeting intended; "threatened to strike" = THREATEN with the strike threatened);
3. find the source (subject, passive agent, possessive or nationality of a noun,
   "by" phrase) and target (object, with/against/on/to phrases), fanning out over
   coordinated actors;
4. decide the status (negation, modality, governing cue verbs, conditions, allegation);
5. code CAMEO, Goldstein and quad class; attach the quote and who reported it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from communique.events.lexicon import Lexicon, Sense
from communique.events.ontology import Ontology
from communique.models import ActorMention, Event, EventStatus, Quote
from communique.models import Span as TextSpan
from communique.rules import load_rules

_SUBJ = ("nsubj", "csubj")
_PASS_SUBJ = ("nsubjpass", "csubjpass")
_OBJ = ("dobj", "dative", "iobj", "attr", "oprd")
_GOVERN_DEPS = frozenset({"xcomp", "ccomp", "pobj", "pcomp", "prep", "dobj", "acl", "relcl"})
_CLAUSE_DEPS = frozenset({"xcomp", "ccomp"})
_MAIN_SUBJECT = "main-subject"  # provenance of a source taken from the main clause's subject
_STATUS_WALK = frozenset({"xcomp", "ccomp", "pobj", "pcomp", "prep", "dobj", "acl", "amod"})
_STATUS_RANK = {
    EventStatus.alleged: 8,
    EventStatus.refused: 7,
    EventStatus.threatened: 6,
    EventStatus.negated: 5,
    EventStatus.hypothetical: 4,
    EventStatus.conditional: 3,
    EventStatus.intended: 2,
    EventStatus.happened: 1,
}


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

    @property
    def is_noun(self) -> bool:
        return self.token.pos_ in ("NOUN", "PROPN")


class EventCoder:
    """Code the events of a parsed, actor-resolved Doc."""

    def __init__(
        self, lexicon: Lexicon, ontology: Ontology, *, keep_uncoded: bool = False, resolver: Any = None
    ) -> None:
        self.resolver = resolver  # codes phrases that are no actor mention ('a court decision')
        self.lex = lexicon
        self.onto = ontology
        self.keep_uncoded = keep_uncoded
        rules = load_rules()
        self._trigger_tokens: set[int] = set()
        self._speech_verbs: list[Token] = []
        self._sentence = TextSpan(text="", start=0, end=0)
        self._doc_text = ""
        self._words_doc: Doc | None = None
        self._words_start = -1
        self._words: set[str] = set()
        self._contexts_of: set[str] | None = None
        self._sentence_contexts: list[str] = []
        self._text_lower = ""
        self._mode_cues: dict[str, list[tuple[str | None, str | None, frozenset[str]]]] = {}
        for cue_type, mode, cue_cameo, cue_words in self.lex.mode_cues:
            self._mode_cues.setdefault(cue_type, []).append((mode, cue_cameo, cue_words))
        self.rules = rules
        self.governed_status = rules.governed_status
        self.compose_cameo = rules.compose_cameo
        self.governed_wins = rules.governed_wins
        self.part_of_act = rules.part_of_act
        self.reject_when_negated = rules.reject_when_negated
        self.intended_as_agree = rules.intended_as_agree
        self.offers_made = rules.offers_made
        self.intended_as_threaten = rules.intended_as_threaten
        self.demand_modals = {m for m in rules.demand_modals if " " not in m}
        self.demand_passives = rules.demand_passives
        self.ordering_verbs = rules.ordering_verbs
        self.evaluating_types = rules.evaluating_types
        self.type_by_sentence: dict[str, list[tuple[str, str, frozenset[str]]]] = {}
        for rule in rules.type_by_sentence:
            self.type_by_sentence.setdefault(rule.from_, []).append((rule.to, rule.cameo, rule.words))
        self.participation = rules.participation_verbs
        self.attendance = rules.attendance_verbs
        self.third_party = rules.third_party_verbs
        self.target_preps = rules.default_target_preps
        self.source_preps = rules.source_preps
        self.reciprocal = rules.reciprocal_types
        self.mutual_noun_types = rules.mutual_noun_types
        self.speech = rules.speech_verbs
        self.adjunct_preps = rules.adjunct_preps
        self.object_agent_preps = rules.object_agent_preps
        self.object_is_theme = rules.object_is_theme
        self.stative_passives = rules.stative_passives
        self.condition_marks = rules.condition_marks
        self.location_preps = rules.location_preps
        self.crowd_sectors = rules.crowd_sectors
        self.receiving_verbs = rules.receiving_verbs
        self.area_types = rules.area_types
        self.background_marks = rules.background_marks
        self.reason_nouns = rules.reason_nouns
        self.content_types = rules.content_types
        self.unattributed_types = rules.unattributed.types
        self.state_acts = rules.unattributed_state
        self._by_token: list[ActorMention | None] = []
        self.topic_preps = rules.topic_preps
        self.recipient_search = rules.recipient_search.types
        self.recipient_preps = rules.recipient_search.preps
        self.topic_object_types = rules.topic_object_types
        self.recipient_after_prep = rules.recipient_after_prep
        self.refusal_verbs = {v for v in rules.refusal_verbs if not v.startswith(("not ", "never "))}
        self.refusal_negated = {
            v.split(" ", 1)[1] for v in rules.refusal_verbs if v.startswith(("not ", "never "))
        }
        self.refusal_sense = Sense(type="REJECT", mode=None, cameo=ontology.default_cameo("REJECT"))
        self.demand_sense = Sense(type="REQUEST", mode=None, cameo=ontology.default_cameo("REQUEST"))
        lx = lexicon
        self.cues = {
            "intended": lx.status_words("intended"),
            "conditional": lx.status_words("conditional"),
            "threatened": lx.status_words("threatened"),
            "refused": lx.status_words("refused"),
            "negated": lx.status_words("negated"),
            "hypothetical": lx.status_words("hypothetical"),
            "alleged": lx.status_words("alleged"),
        }
        self.particles = {
            w: EventStatus(st)
            for st in ("hypothetical", "alleged")
            for w in lx.status_words(st, "particles")
            if " " not in w
        }
        self.modals = {
            "hypothetical": lx.status_words("hypothetical", "modals"),
            "intended": lx.status_words("intended", "modals"),
        }

    # ------------------------------------------------------------------------------------
    def code(self, doc: Doc) -> list[Event]:
        mentions: list[ActorMention] = doc._.actors or []
        quotes: list[Quote] = doc._.quotes or []
        by_token = index_mentions(doc, mentions)
        self._by_token = by_token
        events: list[Event] = []
        text = doc.text  # Doc.text and Span.text join the tokens on every call
        self._doc_text = text
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            self._sentence = TextSpan(text=text[start:end], start=start, end=end)
            triggers = self._find_triggers(sent)
            # 'X said Y must ensure ...' is a demand even when what is demanded is no trigger
            triggers.extend(self._demands(sent, triggers))
            if not triggers:
                continue
            # every word of a trigger ('stopped work'): none of them is what it is done to
            self._trigger_tokens = {t.i for trig in triggers for t in trig.tokens}
            self._compose(triggers)
            for trig in triggers:
                if trig.dropped:
                    continue
                trig.status = self._status(trig)
                events.extend(self._events_for(trig, sent, by_token, quotes))
        return events

    # -- 1. triggers ----------------------------------------------------------------------
    def _find_triggers(self, sent: Span) -> list[Trigger]:
        found: list[Trigger] = []
        taken: set[int] = set()
        # what later steps need from every word, gathered on this one pass over the sentence
        self._speech_verbs = []  # for _demands
        words: set[str] = set()  # for _sentence_words
        for tok in sent:
            lemma = tok.lemma_.lower()
            words.add(lemma)
            words.add(tok.lower_)
            if tok.i in taken:
                continue
            if lemma in self.speech and tok.pos_ == "VERB":
                self._speech_verbs.append(tok)
            trig = self._match(tok)
            if trig is None:
                trig = self._refusal(tok)
            if trig is None:
                continue
            if trig.is_noun and tok.dep_ in ("attr", "oprd"):
                continue  # 'calling it a serious threat' names, it does not threaten
            if (
                trig.token.pos_ == "VERB"
                and len(trig.sense.words) < 2  # 'called off the strike' is its own phrase
                and trig.token.lemma_.lower() in self.lex.light_verbs
            ):
                # 'held talks': the object noun, if it is a trigger, carries the event.
                obj = next((c for c in trig.token.children if c.dep_ in ("dobj", "attr")), None)
                if obj is not None and self._match(obj) is not None:
                    continue
            taken.update(t.i for t in trig.tokens)
            found.append(trig)
        self._words_doc, self._words_start, self._words = sent.doc, sent.start, words
        self._text_lower = self._sentence.text.lower()  # code() set the sentence first
        # 'mediation effort': the phrase, not also its first word on its own
        inside = {t.i for trig in found if len(trig.tokens) > 1 for t in trig.tokens if t.i != trig.token.i}
        found = [trig for trig in found if trig.token.i not in inside]
        # Light verbs hand their subject to their object trigger.
        for trig in found:
            head = trig.token.head
            if (
                trig.is_noun
                and trig.token.dep_ in ("dobj", "attr")
                and head.lemma_.lower() in self.lex.light_verbs
            ):
                trig.light = head
        return found

    def _demands(self, sent: Span, triggers: list[Trigger]) -> list[Trigger]:
        """'X said Y must stop ...': a statement that another actor must act is a demand."""
        found = []
        taken = {t.token.i for t in triggers}
        for tok in self._speech_verbs:
            if tok.i in taken:
                continue
            for comp in tok.children:
                if comp.dep_ != "ccomp":
                    continue
                auxes = [(a.dep_, a.lower_) for a in comp.children if a.dep_ in ("aux", "auxpass")]
                needed = comp.lemma_.lower() in self.demand_passives and any(d == "auxpass" for d, _ in auxes)
                if needed or any(d == "aux" and w in self.demand_modals for d, w in auxes):
                    trig = Trigger(tok, self.demand_sense, [tok])
                    trig.demand = comp
                    found.append(trig)
                    break
        return found

    def _refusal(self, tok: Token) -> Trigger | None:
        """'will not allow Iran to ...', 'refused to join': the refusal is a REJECT event."""
        if tok.pos_ != "VERB":
            return None
        lemma = tok.lemma_.lower()
        negated = any(c.dep_ == "neg" for c in tok.children)
        if lemma in self.refusal_verbs or (negated and lemma in self.refusal_negated):
            trig = Trigger(tok, self.refusal_sense, [tok])
            trig.refusal = True
            return trig
        return None

    def _match(self, tok: Token) -> Trigger | None:
        sense: Sense | None
        lemma = tok.lemma_.lower()
        lower = tok.lower_
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.tag_ == "VBN"):
            # 'test-fired' (read off the text: no Token objects for every verb)
            hyphenated = tok.i >= 2 and tok.idx > 0 and self._doc_text[tok.idx - 1] == "-"
            if lemma not in self.lex.verb_phrases and lemma not in self.lex.verbs and not hyphenated:
                return None  # most verbs are no trigger: skip reading their children
            described = tok.head if tok.dep_ == "amod" else tok.head.head if tok.head.dep_ == "amod" else None
            if described is not None and self._by_token[described.i] is not None:
                return None  # 'wounded prisoners', 'detained opposition leader': who, not what
            kids = [
                c
                for c in tok.children
                if c.dep_ in ("prt", "prep", "dobj", "advmod", "compound:prt")
                # 'fired a missile on Wednesday' does not 'fire on'
                and not (c.dep_ == "prep" and any(o.ent_type_ in _WHEN for o in c.children))
            ]
            # 'took to the streets', 'took him into custody': the object of the preposition
            kids += [o for c in kids if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
            kid_lemmas = {c.lemma_.lower() for c in kids}
            objects = _object_lemmas(tok)
            for sense in self._cued(self.lex.verb_phrases.get(lemma, ()), tok):
                rest = [w for w in sense.words[1:] if w not in _ARTICLES]
                if all(w in kid_lemmas for w in rest) and _objects_fit(sense, objects):
                    # one word each: 'handed in their weapons in Cesar' is not 'in ... in'
                    firsts: dict[str, Token] = {}
                    for c in kids:
                        if c.lemma_.lower() in rest:
                            firsts.setdefault(c.lemma_.lower(), c)
                    return Trigger(tok, sense, [tok, *firsts.values()])
            if tok.pos_ == "AUX":
                return None
            if hyphenated:
                # 'test-fired': the tokenizer splits what the lexicon lists as one verb
                prefix = tok.doc[tok.i - 2]
                senses = self.lex.verbs.get(f"{prefix.lower_}-{lemma}")
                if senses:
                    sense = _pick(senses, objects)
                    if sense is not None:
                        return Trigger(tok, sense, [prefix, tok.doc[tok.i - 1], tok])
            sense = _pick(self._cued(self.lex.verbs.get(lemma, ()), tok), objects)
            return Trigger(tok, sense, [tok]) if sense else None
        if tok.pos_ in ("NOUN", "PROPN"):
            if tok.dep_ in ("compound", "pobj") and self._by_token[tok.i] is not None:
                # 'aid workers', 'a war crimes tribunal', 'prisoners of war': part of who
                return None
            phrases = self.lex.noun_phrases.get(lemma, ()) or self.lex.noun_phrases.get(lower, ())
            compounds = [c for c in tok.lefts if c.dep_ in ("compound", "amod")] if phrases else []
            words = {c.lemma_.lower() for c in compounds} | {c.lower_ for c in compounds}
            for sense in phrases:
                before = sense.words[:-1]
                if all(w in words for w in before):
                    extra = [c for c in compounds if c.lemma_.lower() in before or c.lower_ in before]
                    return Trigger(tok, sense, [*extra, tok])
            if tok.pos_ == "NOUN":
                senses = self.lex.nouns.get(lemma) or self.lex.nouns.get(lower) or []
                for form in _hyphen_forms(tok):  # 'cease-fire': the tokenizer splits 'ceasefire'
                    if self.lex.nouns.get(form):
                        senses = self.lex.nouns[form]
                        sense = _pick(self._cued(senses, tok), set())
                        if sense:
                            return Trigger(tok, sense, [tok.doc[tok.i - 2], tok.doc[tok.i - 1], tok])
                sense = _pick(self._cued(senses, tok), set())
                if sense is not None:
                    return Trigger(tok, sense, [tok])
                return self._nominalized(tok, lemma)
        return None

    def _nominalized(self, tok: Token, lemma: str) -> Trigger | None:
        """'the release of former President Temer': a noun spelt like a trigger verb, with the
        verb's object after 'of', is that verb's event (a press 'release of the report' is not:
        the object must fit the sense)."""
        senses = self.lex.verbs.get(lemma)
        if not senses:
            return None
        obj = next(iter(_prep_objects(tok, "of")), None)
        if obj is None:
            return None
        mention = self._by_token[obj.i] if obj.i < len(self._by_token) else None
        for sense in senses:
            fits = bool(sense.objects) and obj.lemma_.lower() in sense.objects
            if fits or (sense.object_actor and mention is not None and mention.country):
                trig = Trigger(tok, sense, [tok])
                trig.nominal_of = obj
                return trig
        return None

    # -- 2. composition -------------------------------------------------------------------
    def _compose(self, triggers: list[Trigger]) -> None:
        by_token = {t.token.i: t for t in triggers}
        for trig in triggers:
            trig.type = trig.sense.type
            trig.cameo = trig.sense.cameo or self.onto.default_cameo(trig.type, trig.sense.mode)
        for trig in triggers:
            node = trig.token
            infinitive = False  # reached the governor through an infinitive clause
            for _ in range(4):  # governors sit a few arcs above: agree -> to -> meeting
                if node.head.i == node.i:
                    break
                if node.dep_ not in _GOVERN_DEPS:
                    if not _infinitive_clause(node):
                        break
                    infinitive = True
                if node.dep_ == "prep" and node.lower_ in self.adjunct_preps:
                    break
                if node.dep_ == "conj":
                    break
                node = node.head
                if node.lemma_.lower() in self.speech:
                    break
                gov = by_token.get(node.i)
                if gov is not None and gov is not trig and infinitive and gov.type not in self.content_types:
                    break  # 'sent jets to destroy the reactor': a purpose, the strike is news
                if gov is not None and gov is not trig:
                    trig.governor = gov
                    gov.governed.append(trig)
                    break
        by_light = {t.light.i: t for t in triggers if t.light is not None}
        # 'went on strike': the verb whose preposition holds the trigger noun
        for t in triggers:
            tok = t.token
            if t.is_noun and tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ == "VERB":
                by_light.setdefault(tok.head.head.i, t)
        for trig in triggers:
            # 'demonstrated in Belgrade demanding the resignation', 'staged rallies ...,
            # saying he must resign', 'went on strike, demanding higher wages': the crowd's
            # demand is part of its protest (rules.yaml part_of_act)
            head = by_token.get(trig.token.head.i) or by_light.get(trig.token.head.i)
            if (
                trig.governor is None
                and trig.token.dep_ == "advcl"
                and head is not None
                and head is not trig
                and trig.type in self.part_of_act.get(head.type, ())
            ):
                trig.governor = head
                head.governed.append(trig)
        for trig in triggers:
            gov = trig.governor
            if gov is None:
                continue
            if trig.is_noun and gov.type == "REQUEST" and gov.token.lemma_.lower() in self.ordering_verbs:
                # 'ordered the release of': the order is the release (rules.yaml)
                gov.dropped = True
                trig.governor = None
                continue
            if trig.type in self.governed_wins.get(gov.type, ()):
                gov.dropped = True
                continue
            if (
                gov.type == "AGREE"
                and trig.type in self.intended_as_threaten
                and not trig.is_noun
                and trig.token.head.i == gov.token.i  # 'agreed to halt fighting' is no threat
            ):
                # 'vowed that his fighters would capture more soldiers': a promised hostile
                # act is a threat, as an announced one is (rules.yaml intended_as_threaten)
                gov.type, gov.cameo = "THREATEN", self.intended_as_threaten[trig.type]
            composed = self.compose_cameo.get(gov.type, {}).get(trig.type)
            if composed and (gov.cameo is None or len(gov.cameo) <= 3):
                gov.cameo = composed

    # -- 4. status ------------------------------------------------------------------------
    def _status(self, trig: Trigger) -> EventStatus:
        statuses: list[EventStatus] = []
        tok = trig.token
        anchor = trig.light or tok
        # Governed by another trigger: 'threatened to strike' -> threatened.
        gov = trig.governor
        if gov is not None and not gov.dropped and gov.type in self.governed_status:
            statuses.append(self.governed_status[gov.type])
        if gov is not None and gov.dropped:
            statuses.append(EventStatus.intended)
        local = self._local_status(anchor, noun=trig if trig.is_noun else None)
        if trig.light is not None and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            local.append(EventStatus.negated)  # 'would give no aid', 'held no talks'
        if trig.refusal:  # 'will not allow' is a refusal that happened, not a negated event
            local = [s for s in local if s not in (EventStatus.negated, EventStatus.intended)]
        statuses.extend(local)
        # Cue words on the way up to the clause that reports it.
        node = anchor
        for _ in range(5):
            if (node.dep_ not in _STATUS_WALK and not _infinitive_clause(node)) or node.head.i == node.i:
                break
            head = node.head
            if node.dep_ == "prep" and node.lower_ in self.adjunct_preps:
                break  # 'following visits to Beijing' is circumstance, not content
            if head.lemma_.lower() in self.speech and head.pos_ == "VERB":
                break
            statuses.extend(self._cue_status(head, node))
            statuses.extend(self._local_status(head, noun=None, inherited=True))
            node = head
        if not statuses:
            return EventStatus.happened
        return max(statuses, key=lambda s: _STATUS_RANK[s])

    def _cue_status(self, head: Token, child: Token) -> list[EventStatus]:
        lemma = head.lemma_.lower()
        out: list[EventStatus] = []
        for status in ("alleged", "refused", "threatened", "hypothetical", "intended"):
            if lemma in self.cues[status]:
                out.append(EventStatus(status))
        # 'open to', 'ready for', 'willing to': adjectives of intent.
        if head.pos_ == "ADJ" and lemma in self.cues["intended"]:
            out.append(EventStatus.intended)
        return out

    def _local_status(self, tok: Token, noun: Trigger | None, inherited: bool = False) -> list[EventStatus]:
        out: list[EventStatus] = []
        for child in tok.children:
            low = child.lower_
            lemma = child.lemma_.lower()
            if child.dep_ == "neg" or (child.dep_ == "det" and low == "no"):
                out.append(EventStatus.negated)
            elif child.dep_ == "advmod" and low in self.particles:
                out.append(self.particles[low])  # 'allegedly', 'possibly'
            elif child.dep_ == "aux":
                if low in self.modals["hypothetical"]:
                    out.append(EventStatus.hypothetical)
                elif low in self.modals["intended"] or lemma in ("will", "shall"):
                    out.append(EventStatus.intended)
            elif child.dep_ in ("amod", "compound") and noun is not None:
                if lemma in self.cues["hypothetical"]:
                    out.append(EventStatus.hypothetical)
                elif lemma in self.cues["intended"]:
                    out.append(EventStatus.intended)
            elif child.dep_ == "advcl":
                mark = next((m for m in child.children if m.dep_ == "mark"), None)
                if mark is not None and mark.lower_ in self.cues["conditional"]:
                    out.append(EventStatus.conditional)
            elif child.dep_ == "mark" and low in self.cues["conditional"] and not inherited:
                # The condition itself ('unless the Kremlin closed its base') has not happened.
                out.append(EventStatus.hypothetical)
            elif child.dep_ == "mark" and self.particles.get(low) == EventStatus.hypothetical:
                out.append(EventStatus.hypothetical)  # 'investigating whether Israel shelled'
        return out

    # -- 3 and 5. actors and records ------------------------------------------------------
    def _events_for(
        self, trig: Trigger, sent: Span, by_token: list[ActorMention | None], quotes: list[Quote]
    ) -> list[Event]:
        sources, targets = self._actors(trig, by_token)
        if trig.sense.object_actor and not targets:
            return []
        if not any(m.country for m in sources) and not trig.sense.swap_roles:
            sources = self._unattributed(trig, by_token, sources) or sources
        if not any(m.country for m in sources) and not trig.sense.swap_roles:
            sources = self._main_subject(trig, targets, by_token) or sources
        # 'vowed that his fighters would capture Israeli soldiers': a threat made of a promise
        # is against whom the promised act targets, not the fighters who would carry it out
        made_threat = trig.type == "THREATEN" and trig.sense.type != "THREATEN"
        if trig.governed and (made_threat or not targets):
            # 'agree to a meeting with the Ayatollah': the agreement is with the Ayatollah.
            governed = next((found for sub in trig.governed if (found := self._actors(sub, by_token)[1])), [])
            targets = governed or targets
        if trig.sense.swap_roles:  # 'Beijing hosted Starmer': the visitor is the actor
            sources, targets = targets, sources
        # 'The Afghan government said it would free ...': the sentence names who 'it' is
        sources = [_named_in_sentence(m, sent, by_token) for m in sources]
        targets = [_named_in_sentence(m, sent, by_token) for m in targets]
        ev_type = trig.type
        status = trig.status
        cameo = trig.cameo
        # A refused cooperative act is a rejection: 'will not allow', 'did not agree'.
        if status == EventStatus.negated and ev_type in self.reject_when_negated:
            ev_type, status = "REJECT", EventStatus.happened
            cameo = self.onto.default_cameo("REJECT")
        elif (
            status in (EventStatus.intended, EventStatus.conditional)  # 'would meet ... if'
            and ev_type in self.intended_as_agree
            and (trig.governor is None or trig.governor.dropped or trig.governor.type != "AGREE")
        ):
            # 'willing to withdraw', 'open to talks': an expressed intent is an AGREE event;
            # 'willing to help' is an offer, made as it is said
            if ev_type in self.offers_made:
                status = EventStatus.happened
            ev_type, cameo = "AGREE", self.intended_as_agree[ev_type]
        elif (
            status in (EventStatus.intended, EventStatus.conditional)
            and ev_type in self.intended_as_threaten
            and (trig.governor is None or trig.governor.dropped)
            and not trig.refusal  # 'will not accept refugees if war starts' is refused now
        ):
            # 'will impose martial law', 'would blockade Paris unless ...': a threat.
            ev_type, cameo = "THREATEN", self.intended_as_threaten[ev_type]
            status = EventStatus.happened
        for to_type, to_cameo, words in self.type_by_sentence.get(ev_type, ()):
            # 'sent 200 troops to serve as a peacekeeping force' is AID (rules.yaml)
            if words & self._words or any(" " in w and w in self._text_lower for w in words):
                ev_type, cameo = to_type, to_cameo
                break
        if ev_type == "REJECT" and not any(_coded(t) for t in targets):
            # 'will not lift the embargo until Vietnam ...': who must meet the condition
            targets = self._condition_party(trig, sources, by_token) or targets
        if ev_type == "REJECT" and not sources and _agentless_passive(trig.token):
            # 'Chretien said Saddam could not be allowed to flout ...': who says it refuses
            reporter = self._reporter(trig, quotes, by_token)[1]
            sources = [reporter] if reporter is not None else []
        pairs: list[tuple[ActorMention | None, ActorMention | None]] = []
        own_ids = {m.entity for m in sources if m.entity is not None}
        # only their own pronoun ('upgraded their ties') or an uncoded object ('agreed to
        # share information'): coordinated actors act on each other
        settled = status == EventStatus.happened and not any(
            a.dep_ == "aux" and a.lower_ in self.demand_modals for a in trig.token.children
        )  # not 'X and Y must agree': that is somebody's demand
        only_own = all(
            (t.entity is not None and t.entity in own_ids) or (settled and not _coded(t)) for t in targets
        )
        # 'A and B failed to reach agreement': refusing a mutual act is mutual too
        mutual = ev_type in self.reciprocal or (
            ev_type == "REJECT"
            and (trig.type in self.reciprocal or any(g.type in self.reciprocal for g in trig.governed))
        )
        if only_own and len(sources) > 1 and mutual and _coordinated(trig, self.mutual_noun_types):
            # 'Czechia and Albania have upgraded their ties': each to the other
            for a in sources:
                for b in sources:
                    if a is not b:
                        pairs.append((a, b))
        else:
            for s in sources or (None,):
                # 'lifted its embargo': the source's own pronoun is no target.
                own = [t for t in targets if s is not None and s.entity is not None and s.entity == t.entity]
                for t in [t for t in targets if t not in own] or (None,):
                    pairs.append((s, t))
        mode = trig.sense.mode if ev_type == trig.sense.type else None
        if mode is None:
            mode, cameo = self._mode_from_cues(ev_type, sent, cameo)
        info = self.onto.code(cameo)
        contexts = self._contexts(trig, sent)
        quote_idx, reporter = self._reporter(trig, quotes, by_token)
        out: list[Event] = []
        for source, target in pairs:
            if not self.keep_uncoded and not (_coded(source) or _coded(target)):
                continue
            first, last = min(t.i for t in trig.tokens), max(t.i for t in trig.tokens)
            trigger_span = sent.doc[first : last + 1]
            out.append(
                Event(
                    type=ev_type,
                    mode=mode,
                    context=contexts,
                    cameo=cameo,
                    goldstein=info.goldstein if info else None,
                    quad_class=(info.quad_class if info else None) or self.onto.quad_class(ev_type),
                    status=status,
                    source=source,
                    target=target,
                    source_phrase=(source_phrase := _argument(trig, source, sent)),
                    target_phrase=_argument(trig, target, sent, apart_from=source_phrase)
                    if target is not None
                    else self._what_phrase(trig),
                    trigger=TextSpan(
                        text=trigger_span.text, start=trigger_span.start_char, end=trigger_span.end_char
                    ),
                    sentence=self._sentence,
                    confidence=self._confidence(trig, source, target, status),
                    reported_by=reporter,
                    quote=quote_idx,
                    method="lexicon",
                )
            )
        return out

    def _main_subject(
        self, trig: Trigger, targets: list[ActorMention], by_token: list[ActorMention | None]
    ) -> list[ActorMention]:
        """An event the parse links to no actor ('shortened ... the nightly curfew imposed in
        Sudan' parsed with 'curfew' as a subject) takes the subject of the sentence's main
        verb, as PETRARCH-style coders do; its provenance says so (``main-subject``) and it
        ranks below sources the parse gives. Never the speaker of a report, never for an
        event that is another's content ('condemned the attack': the judge is no attacker)."""
        if trig.governor is not None:
            return []
        root = _root(trig.token)
        if root.i == trig.token.i or root.lemma_.lower() in self.speech:
            return []
        subj = [c for c in root.children if c.dep_ == "nsubj"]
        found = [m for c in subj for m in mentions_at(c, by_token) if m.country and m.kind != "pronoun"]
        # who the act is done to is not who did it
        done_to = {id(t) for t in targets}
        done_to_entities = {t.entity for t in targets if t.entity is not None}
        found = [m for m in found if id(m) not in done_to and m.entity not in done_to_entities]
        return [m.model_copy(update={"matched": f"{m.matched};{_MAIN_SUBJECT}"}) for m in found]

    def _received(
        self, trig: Trigger, by_token: list[ActorMention | None]
    ) -> tuple[list[ActorMention], list[ActorMention]] | None:
        """'Iran faces criticism from the U.N.', 'Kyiv received aid from Japan': the object of
        a verb of receiving (rules.yaml receiving_verbs) is done TO its subject, BY whoever the
        'from'/'by' phrase names."""
        tok = trig.token
        verb = tok.head
        if tok.dep_ != "dobj" or verb.i == tok.i or verb.lemma_.lower() not in self.receiving_verbs:
            return None
        givers = [
            m
            for host in (tok, verb)
            for c in host.children
            if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by")
            for o in c.children
            if o.dep_ == "pobj"
            for m in mentions_at(o, by_token)
        ]
        return givers, self._subject_of(verb, by_token)

    def _unattributed(
        self, trig: Trigger, by_token: list[ActorMention | None], found: list[ActorMention]
    ) -> list[ActorMention]:
        """'A roadside bombing near Samarra killed ...': an act nobody is named for has an
        unidentified actor of the place where it happened (ICEWS' 'Unidentified Gunmen
        (Iraq)'); its evidence is the words that imply it: the attack or its weapon. An act
        only a state does ('was arrested in Lebanon') has the authorities of the place."""
        tok = trig.token
        kinds: tuple[str, ...] = ("place",)
        if tok.lemma_.lower() in self.state_acts:
            # 'arrested in Lebanon', 'hanged in Tehran': the state of that country did it
            sector, kinds = self.state_acts[tok.lemma_.lower()], ("place", "country")
        elif trig.type in self.unattributed_types:
            sector = self.unattributed_types[trig.type]
        else:
            return []
        hosts = [tok, *([tok.head] if tok.head.pos_ in ("VERB", "AUX") and tok.head.i != tok.i else [])]
        # the weapon or attack that did it: 'killed by an explosive device', 'A roadside
        # bombing ... killed'
        agent = next(
            (o for c in tok.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"),
            None,
        ) or next((c for c in tok.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"), None)
        if agent is not None:
            hosts.append(agent)
        where = next(
            (
                m
                for host in hosts
                for c in host.children
                if c.dep_ == "prep" and c.lower_ in self.location_preps
                for t in c.subtree
                if (m := by_token[t.i]) is not None
                and m.country
                and (m.kind in kinds or _is_capital(m))  # 'in Kabul'
            ),
            None,
        )
        if where is None:
            return []
        placed = f"location:{where.country}"
        if found:  # 'an improvised explosive device': a mention without a country
            return [
                m.model_copy(update={"country": where.country, "matched": f"{m.matched};{placed}"})
                for m in found
            ]
        evidence = agent if agent is not None else tok
        doc = tok.doc
        words = doc[evidence.left_edge.i if evidence.pos_ == "NOUN" else tok.i : evidence.i + 1]
        return [
            _span_mention(
                words,
                country=where.country,
                sectors=[sector],
                kind="unidentified",
                matched=f"unattributed;{placed}",
            )
        ]

    def _recipient(
        self, trig: Trigger, sources: list[ActorMention], by_token: list[ActorMention | None]
    ) -> list[ActorMention]:
        anchor = trig.light or trig.token
        own = {m.country for m in sources if m.country}
        skip = {t.i for c in anchor.children if c.dep_ in (*_SUBJ, *_PASS_SUBJ) for t in c.subtree}
        for tok in anchor.subtree:
            if tok.i in skip or tok.dep_ != "pobj" or tok.head.lower_ not in self.recipient_preps:
                continue
            m = by_token[tok.i]
            if m is not None and m.country and m.country not in own and m not in sources:
                return [m]
        return []

    def _condition_party(
        self, trig: Trigger, sources: list[ActorMention], by_token: list[ActorMention | None]
    ) -> list[ActorMention]:
        """The first other actor in a condition clause of the trigger ('until their demands are
        met by the authorities', 'unless Cuba undertakes reforms')."""
        own = {id(m) for m in sources} | {m.entity for m in sources if m.entity is not None}
        for clause in (trig.light or trig.token).children:
            if clause.dep_ != "advcl" or not any(
                m.dep_ == "mark" and m.lower_ in self.condition_marks for m in clause.children
            ):
                continue
            for tok in clause.subtree:
                m = by_token[tok.i]
                if m is not None and id(m) not in own and (m.entity is None or m.entity not in own):
                    return [m]
        return []

    def _cued(self, senses: list[Sense] | tuple[Sense, ...], tok: Token) -> list[Sense]:
        """Drop senses that need a mode cue when their sentence has none ('strike' = labour
        strike only among workers and unions), and senses that take no clause when the verb
        has one."""
        if any(s.no_clause for s in senses) and _orders_act(tok):
            senses = [s for s in senses if not s.no_clause]
        if len(senses) < 2 and not any(s.needs_cue for s in senses):
            return list(senses)
        sent = tok.sent
        crowd = self._crowd_subject(tok)
        if crowd:  # 'a crowd gathered', 'workers blocked the road': the civil sense first
            senses = sorted(senses, key=lambda s: s.type != "PROTEST")
        if not any(s.needs_cue for s in senses):
            return list(senses)
        return [s for s in senses if not s.needs_cue or crowd or self._mode_from_cues(s.type, sent, None)[0]]

    def _crowd_subject(self, tok: Token) -> bool:
        """'Hundreds of Palestinians protested': the verb's subject is a crowd of civilians,
        workers or students (rules.yaml crowd_sectors), which is the cue itself."""
        verb = tok.head if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "pobj") else tok
        for subj in _clause_subjects(verb):
            for m in mentions_at(subj, self._by_token):
                if m.sectors and set(m.sectors) <= self.crowd_sectors:
                    return True
        return False

    def _mode_from_cues(self, ev_type: str, sent: Span, cameo: str | None) -> tuple[str | None, str | None]:
        words = self._sentence_words(sent)
        text = self._text_lower
        for mode, cue_cameo, cue_words in self._mode_cues.get(ev_type, ()):
            if any((w in words) if " " not in w else (w in text) for w in cue_words):
                return mode, cue_cameo or cameo
        return None, cameo

    def _confidence(self, trig: Trigger, source: Any, target: Any, status: EventStatus) -> float:
        score = 0.45
        score += 0.2 if _coded(source) else 0.0
        if source is not None and (source.matched or "").endswith(_MAIN_SUBJECT):
            score -= 0.1  # a source the parse does not link to the trigger is a guess
        score += 0.15 if _coded(target) else 0.0
        score += 0.1 if not trig.is_noun or trig.light is not None else 0.0
        if trig.governor is not None and not trig.governor.dropped:
            score -= 0.25  # the governing event is the sentence's main event
        elif self._background(trig):
            score -= 0.25  # 'resigned as the opposition threatened to storm ...
        if trig.token.dep_ == "ROOT" or trig.token.head.dep_ == "ROOT":
            score += 0.05
        if status != EventStatus.happened:
            score -= 0.05
        return round(max(0.05, min(0.99, score)), 3)

    def _background(self, trig: Trigger) -> bool:
        """An event told as the time or reason of another: inside a phrase of circumstance
        ('blockades reimposed following the shooting deaths') or a clause of time or reason
        ('resigned as the opposition threatened'). The main clause's event is the news."""
        node = trig.light or trig.token
        for _ in range(6):
            if node.head.i == node.i:
                return False
            if node.dep_ == "prep" and node.lower_ in self.adjunct_preps:
                return True
            if node.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in self.background_marks for c in node.children
            ):
                return True
            if node.dep_ == "relcl" and node.head.i < node.i:
                return True  # 'condemned the attacks, which have seen scores arrested'
            if node.dep_ == "advcl" and node.head.i < node.i and node.tag_ == "VBG":
                return True  # 'conceded defeat, congratulating Kostunica': what came with it
            if node.dep_ == "amod":
                return True  # 'awarded the prize to detained opposition leader ...': a state
            if node.dep_ == "compound":
                return True  # 'the Golan Heights ceasefire line': names a thing, not an act
            if node.dep_ == "pcomp" and node.head.lower_ == "for" and node.tag_ == "VBG":
                return True  # 'imposed an embargo on Liberia FOR SUPPORTING the RUF': why
            if node.dep_ == "pobj" and node.head.lower_ == "in" and node.lemma_.lower() in self.reason_nouns:
                return True  # 'in retaliation for the expulsion of ...': why, not what
            node = node.head
        return False

    def _sentence_words(self, sent: Span) -> set[str]:
        """Lemmas and forms of a sentence, computed once per sentence."""
        # Holding the Doc itself (not its id) so a new Doc at the same address never matches.
        if self._words_doc is not sent.doc or self._words_start != sent.start:
            self._words_doc, self._words_start = sent.doc, sent.start
            self._words = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
            self._text_lower = sent.text.lower()
        return self._words

    def _contexts(self, trig: Trigger, sent: Span) -> list[str]:
        lemmas = self._sentence_words(sent)
        if self._contexts_of is not lemmas:  # the sentence's context words, once per sentence
            self._contexts_of = lemmas
            self._sentence_contexts = [name for name, words in self.lex.contexts.items() if lemmas & words]
        found = list(trig.sense.context)
        found.extend(name for name in self._sentence_contexts if name not in found)
        return found

    def _what_phrase(self, trig: Trigger) -> TextSpan | None:
        """With no target actor, what the event is done to: its own object, a governed
        event's, or the object of the act it commits to ('agreed to establish an interim
        force comprised of Ethiopian ... troops', 'pledged to work with China')."""
        found = self._object_phrase(trig)
        if found is None:
            found = next((p for g in trig.governed if (p := self._object_phrase(g)) is not None), None)
        if found is None and not trig.is_noun:
            verb = next((c for c in trig.token.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
            if verb is not None and verb.i not in self._trigger_tokens:
                obj = next((c for c in verb.children if c.dep_ == "dobj"), None) or next(
                    (o for c in verb.children if c.dep_ == "prep" and c.lower_ in self.target_preps
                     for o in c.children if o.dep_ == "pobj"),
                    None,
                )  # fmt: skip
                if obj is not None and obj.pos_ in ("NOUN", "PROPN") and obj.ent_type_ not in _WHEN:
                    phrase = obj.doc[obj.left_edge.i : obj.right_edge.i + 1]
                    found = TextSpan(text=phrase.text, start=phrase.start_char, end=phrase.end_char)
        if found is None and trig.type in self.area_types:
            # 'declared a state of siege in Bolivia', 'remained on alert in North District'
            tok = trig.token
            hosts = [tok, trig.light or (tok.head if trig.is_noun and tok.head.pos_ == "VERB" else None)]
            if not trig.is_noun:  # 'declared a state of siege in Bolivia'
                hosts.extend(_verb_objects(tok))
            where = next(
                (o for h in hosts if h is not None for c in h.children
                 if c.dep_ == "prep" and c.lower_ in self.location_preps
                 for o in c.children if o.dep_ == "pobj" and o.ent_type_ not in _WHEN),
                None,
            )  # fmt: skip
            if where is not None:
                phrase = where.doc[where.left_edge.i : where.right_edge.i + 1]
                found = TextSpan(text=phrase.text, start=phrase.start_char, end=phrase.end_char)
        return found

    def _object_phrase(self, trig: Trigger) -> TextSpan | None:
        """With no target actor, what the event is done to as the text puts it ('condemned
        the terrorist attack', 'an investigation into the certification of the jets')."""
        preps = set(trig.sense.target_preps) or self.target_preps
        tok = trig.token
        found: Token | None = None
        if trig.is_noun and tok.dep_ == "dobj" and tok.head.lemma_.lower() in self.receiving_verbs:
            # 'The plan drew criticism from Beijing': what receives it is the subject
            found = next((c for c in tok.head.children if c.dep_ in _SUBJ), None)
        elif trig.is_noun:
            wanted = {*preps, "of", "into"}
            carrier = trig.light or (tok.head if tok.dep_ == "dobj" and tok.head.i != tok.i else None)
            for host in (tok, carrier):
                if host is None:
                    continue
                found = next(
                    (o for c in host.children if c.dep_ in ("prep", "dative") and c.lower_ in wanted
                     for o in c.children if o.dep_ == "pobj"),
                    None,
                )  # fmt: skip
                if found is not None:
                    break
        else:
            passive = any(c.dep_ in _PASS_SUBJ for c in tok.children) and not self._stative(tok)
            theme = self._theme_object(trig)
            deps = () if theme else _PASS_SUBJ if passive else ("dobj",)
            found = next((c for c in tok.children if c.dep_ in deps), None)
            if found is None:
                found = next(
                    (o for c in tok.children if c.dep_ == "prep" and c.lower_ in preps
                     for o in c.children if o.dep_ == "pobj" and o.ent_type_ not in _WHEN),
                    None,
                )  # fmt: skip
        if found is None and not trig.is_noun and self._theme_object(trig):
            # 'would free 1,500 Taliban prisoners': the theme is what it is done to
            found = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if found is None or found.pos_ not in ("NOUN", "PROPN", "PRON", "NUM") or found.ent_type_ in _WHEN:
            return None
        phrase = found.doc[found.left_edge.i : found.right_edge.i + 1]
        if any(t.i in {x.i for x in trig.tokens} for t in phrase):
            return None
        return TextSpan(text=phrase.text, start=phrase.start_char, end=phrase.end_char)

    def _theme_object(self, trig: Trigger) -> bool:
        """Whether the verb's object is what moves ('withdrew its troops'), not the recipient."""
        return trig.sense.type in self.object_is_theme and not trig.sense.object_is_target

    def _stative(self, tok: Token) -> bool:
        """'Vietnam is committed to ...': a passive without an agent that states a stance."""
        return tok.lemma_.lower() in self.stative_passives and not any(
            c.dep_ == "agent" for c in tok.children
        )

    def _reporter(
        self, trig: Trigger, quotes: list[Quote], by_token: list[ActorMention | None]
    ) -> tuple[int | None, ActorMention | None]:
        start = trig.token.idx
        for idx, quote in enumerate(quotes):
            if quote.covers(start):
                return idx, quote.speaker
        # No quote found: a speech verb above the trigger still says who reports it.
        node = trig.light or trig.token
        for _ in range(6):
            if node.head.i == node.i:
                break
            node = node.head
            if node.lemma_.lower() in self.speech and node.pos_ == "VERB":
                subj = next((c for c in node.children if c.dep_ in _SUBJ), None)
                if subj is not None:
                    found = mentions_at(subj, by_token)
                    if found:
                        return None, found[0]
                break
        return None, None

    def _actors(
        self, trig: Trigger, by_token: list[ActorMention | None]
    ) -> tuple[list[ActorMention], list[ActorMention]]:
        tok = trig.token
        sources: list[ActorMention] = []
        targets: list[ActorMention] = []
        obj: Token | None
        preps = set(trig.sense.target_preps) or self.target_preps
        received = self._received(trig, by_token) if trig.is_noun else None
        if received is not None:
            sources, targets = received
        elif trig.is_noun:
            attended = _attending_verb(tok, self.attendance)
            if attended is not None:
                sources.extend(self._subject_of(attended, by_token))
            third = tok.head if tok.dep_ == "dobj" and tok.head.lemma_.lower() in self.third_party else None
            if not sources:
                sources.extend(_owners(tok, by_token))
            if not sources and self._theme_object(trig):
                # 'the deployment of Russian troops to Belarus': who moved is whose they are
                moved = _mentions_after(tok, "of", by_token)
                sources.extend(m for m in moved if m.country)
            if trig.nominal_of is not None:
                released = mentions_at(trig.nominal_of, by_token)
                if not self._theme_object(trig) or trig.sense.object_is_target:
                    targets.extend(released)
            for child in tok.children:
                if child.dep_ == "prep":
                    word = child.lower_
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    for obj in objs:
                        # 'talks between A and B': the parties act; 'a mediation effort
                        # between India and Pakistan' (a sense listing 'between'): they receive it
                        between = word == "between" and word not in trig.sense.target_preps
                        if between and third is not None:
                            # 'Qatar hosted talks between the US and the Taliban': the host
                            # acts on both parties (PLOVER's third-party CONSULT)
                            targets.extend(mentions_at(obj, by_token))
                        elif word in self.source_preps or between:
                            sources.extend(mentions_at(obj, by_token))
                        elif word in preps:
                            targets.extend(mentions_at(obj, by_token))
            if third is not None and targets:
                sources = self._subject_of(third, by_token)
            if not sources:
                # 'the demonstration staged by students': the agent of its participle
                sources.extend(_participle_agents(tok, by_token))
            gov = trig.governor
            judged = trig.light is None and gov is not None and gov.type in self.evaluating_types
            if not sources and not judged:  # 'condemned the attack': the attacker is not the judge
                carrier = trig.light or _governing_verb(tok)
                if carrier is not None:
                    sources.extend(self._subject_of(carrier, by_token))
                    if trig.light is not None or (tok.dep_ == "dobj" and tok.head.i == carrier.i):
                        # 'carried out strikes ... against Hamas targets': the verb's
                        # prepositions belong to its object's event
                        for child in carrier.children:
                            # 'granted asylum to Assange' (the parser's 'dative')
                            if child.dep_ in ("prep", "dative") and child.lower_ in preps:
                                for obj in child.children:
                                    if obj.dep_ == "pobj":
                                        targets.extend(mentions_at(obj, by_token))
                if not sources and tok.dep_ in _SUBJ and tok.head.lemma_.lower() in self.participation:
                    for child in tok.head.children:
                        if child.dep_ in ("dobj",):
                            sources.extend(mentions_at(child, by_token))
        else:
            passive = any(c.dep_ in _PASS_SUBJ or c.dep_ == "auxpass" for c in tok.children)
            stative = self._stative(tok)
            recipients = []
            places: list[ActorMention] = []
            actor_object = any(
                c.dep_ == "dobj" and (m := by_token[c.i]) is not None and m.country is not None
                for c in tok.children
            )
            # 'praised Ethiopia for its role': an actor as object receives the act, 'for' is why
            if trig.sense.type in self.recipient_after_prep and not actor_object:
                recipients = [
                    m
                    for c in tok.children
                    if c.dep_ in ("prep", "dative") and c.lower_ in ("to", "for")
                    for o in c.children
                    if o.dep_ == "pobj"
                    for m in mentions_at(o, by_token)
                ]
            targets.extend(recipients)
            # 'handed Hong Kong back to China': the parser hangs the preposition on the particle
            particles = [t for t in trig.tokens if t.i != tok.i and t.head.i == tok.i]
            particle_preps = [g for t in particles for g in t.children if g.dep_ == "prep"]
            for child in (*tok.children, *particle_preps):
                if recipients and (child.dep_ in _OBJ or child.dep_ == "prep"):
                    continue  # the recipient is known: the object is what is given
                if child.dep_ in _SUBJ:
                    sources.extend(mentions_at(child, by_token))
                elif child.dep_ in _PASS_SUBJ:
                    if self._theme_object(trig):
                        # '2,000 Russian soldiers were deployed along ...': what moved is no
                        # target; with no agent, its side moved it
                        if not any(c.dep_ == "agent" for c in tok.children):
                            sources.extend(mentions_at(child, by_token))
                    else:
                        (sources if stative else targets).extend(mentions_at(child, by_token))
                elif child.dep_ == "agent":
                    # 'banned a march by opposition supporters': an active verb with a subject
                    # has no agent; the parser hung the object's 'by' on the verb
                    active = not passive and any(c.dep_ in _SUBJ for c in tok.children)
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            (targets if active else sources).extend(mentions_at(obj, by_token))
                elif child.dep_ in _OBJ and not passive and not self._theme_object(trig):
                    targets.extend(mentions_at(child, by_token))
                elif child.dep_ == "prep" and child.lower_ in preps:
                    if actor_object and child.lower_ in self.object_agent_preps:
                        continue  # 'praised Ethiopia for its role': why, not whom
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            found = mentions_at(obj, by_token)
                            (places if child.lower_ in self.location_preps else targets).extend(found)
            if not any(t.country for t in targets) and places:
                # 'struck a Hamas camp in Gaza' is one strike on the camp; 'attacked an army
                # camp in Kabul' is on the camp, placed where it stands; with no object, on
                # the place
                where = places[0]
                placed = f"location:{where.country}"
                targets = [
                    t.model_copy(update={"country": where.country, "matched": f"{t.matched};{placed}"})
                    for t in targets
                ] or places
            if trig.sense.type in self.topic_object_types:
                # 'discussed Libya with Trump': with a partner, the object is the topic
                partners = [
                    m
                    for c in tok.children
                    if c.dep_ == "prep" and c.lower_ == "with"
                    for o in c.children
                    if o.dep_ == "pobj"
                    for m in mentions_at(o, by_token)
                ]
                if partners:
                    targets = partners
            own_countries = {m.country for m in sources if m.country}
            if not targets or (own_countries and all(t.country in own_countries for t in targets)):
                # 'shared evidence with Saudi Arabia': the parser hangs the partner on the object
                # ('information on North Korea' is a topic, no partner); 'withdrew its
                # ambassador from Washington': past the source's own people
                targets.extend(
                    m
                    for obj in tok.children
                    if obj.dep_ == "dobj"
                    for c in obj.children
                    if c.dep_ == "prep" and c.lower_ in preps and c.lower_ not in self.topic_preps
                    for o in c.children
                    if o.dep_ == "pobj"
                    for m in mentions_at(o, by_token)
                )
            if not targets:
                # 'prevented the demonstration staged by students', 'banned a rally by the
                # opposition': those who would act are who the act is done to
                targets.extend(
                    m
                    for obj in tok.children
                    if obj.dep_ == "dobj" and obj.pos_ == "NOUN"
                    for m in [
                        *(
                            m
                            for c in obj.children
                            if c.dep_ == "prep" and c.lower_ in self.source_preps
                            for o in c.children
                            if o.dep_ == "pobj"
                            for m in mentions_at(o, by_token)
                        ),
                        *_participle_agents(obj, by_token),
                    ]
                )
            if not sources:
                sources.extend(self._subject_of(tok, by_token))
            if not sources:
                # 'US Predator attacks have killed ...': the owner of the subject acts
                subj = next((c for c in tok.children if c.dep_ in _SUBJ and by_token[c.i] is None), None)
                if subj is not None and subj.pos_ == "NOUN":
                    sources.extend(_owners(subj, by_token))
            if not sources and tok.dep_ in ("acl", "advcl") and tok.i > 0:
                # 'reports of the United States deploying': the actor right before the verb.
                prev = by_token[tok.i - 1]
                done_to = _passive_participle(tok) and not self._theme_object(trig)
                if prev is not None and not done_to:
                    sources.append(prev)
                elif prev is not None and not targets:
                    targets.append(prev)  # 'aid workers abducted in Somalia': done to them
        if trig.demand is not None:
            subjects = [c for c in trig.demand.children if c.dep_ in _SUBJ or c.dep_ in _PASS_SUBJ]
            targets = [m for c in subjects for m in mentions_at(c, by_token)]
            if not targets:
                # 'said a reform of the WHO was needed': who is to be reformed
                inside = [by_token[t.i] for c in subjects for t in c.subtree]
                targets = _unique([m for m in inside if m is not None])
        if not targets and not trig.is_noun:
            # 'will not allow Iran to acquire', 'urged Iran to return': the complement's subject;
            # 'refused to allow two airlines to land', 'agreed to allow U.N. peacekeepers to
            # remain': one complement further down.
            complements = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
            for _ in range(2):
                for child in complements:
                    for sub in child.children:
                        if sub.dep_ in _SUBJ:
                            targets.extend(mentions_at(sub, by_token))
                if targets:
                    break
                complements = [g for c in complements for g in c.children if g.dep_ in ("ccomp", "xcomp")]
        if not trig.is_noun:
            # No actor mention: the subject or object phrase itself is the evidence, coded as
            # far as the knowledge can ('condemned a U.S. Supreme Court decision' -> USA).
            passive = any(c.dep_ in _PASS_SUBJ for c in tok.children) and not self._stative(tok)
            if not sources:
                subj = next(
                    (c for c in tok.children if c.dep_ in (_SUBJ if passive else (*_SUBJ, *_PASS_SUBJ))), None
                )
                sources = self._phrase(subj, by_token)
            if not targets and not self._theme_object(trig):
                obj = next((c for c in tok.children if c.dep_ in (_PASS_SUBJ if passive else _OBJ)), None)
                if obj is None:
                    obj = next(
                        (
                            o
                            for c in tok.children
                            if c.dep_ == "prep" and c.lower_ in preps
                            for o in c.children
                            if o.dep_ == "pobj" and o.ent_type_ not in _WHEN
                        ),
                        None,
                    )
                targets = self._phrase(obj, by_token)
        if trig.sense.type in self.recipient_search and not any(_coded(t) for t in targets):
            # 'gave 352.5 million euros to promote development in Ethiopia': with only a
            # theme found, the first foreign place the aid is for, in or to receives it
            targets = self._recipient(trig, sources, by_token) or targets
        # An actor is not its own target; 'withdraw its troops from Lebanon': the actor's own
        # forces are what moves, the other country is the target.
        source_ids = {id(m) for m in sources}
        targets = [t for t in targets if id(t) not in source_ids]
        own = {m.country for m in sources if m.country}
        foreign = [t for t in targets if t.country and t.country not in own]
        if foreign and len(foreign) < len(targets):
            targets = foreign
        # 'attacks on US personnel and facilities': a bare place is a target only alone.
        actors = [t for t in targets if t.kind != "place" or t.country]
        if actors:
            targets = actors
        if trig.nominal_of is not None:  # 'the release of the student': never its actor
            done_to_ids = {id(m) for m in mentions_at(trig.nominal_of, by_token)}
            sources = [m for m in sources if id(m) not in done_to_ids]
        return _unique(sources), _unique(targets)

    def _phrase(self, head: Token | None, by_token: list[ActorMention | None]) -> list[ActorMention]:
        """A mention for a noun phrase no actor mention covers: its words up to the head."""
        if head is None or self.resolver is None or head.pos_ not in ("NOUN", "PROPN"):
            return []
        if head.i in self._trigger_tokens:
            return []  # 'agree to a meeting': an event, not the one it is done to
        if by_token[head.i] is not None:
            return [by_token[head.i]]  # type: ignore[list-item]
        of = next(
            (o for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children), None
        )
        if of is not None:
            role = self.resolver.kb.lookup_role(f"{head.text} of {of.text}")
            if role is not None and role.kind == "not_actor":
                return []  # 'declared a state of siege': a condition, no actor
        start = head.left_edge.i
        while start < head.i and head.doc[start].pos_ in ("DET", "PRON", "PUNCT", "NUM"):
            start += 1
        span = head.doc[max(start, head.i - 7) : head.i + 1]
        res = self.resolver.resolve(span.text, date=head.doc._.doc_date)
        return [
            _span_mention(
                span,
                country=res.country,
                sectors=list(res.sectors),
                name=res.name,
                role=res.role,
                kind=res.kind or "phrase",
                matched=";".join(["phrase", *res.matched]),
            )
        ]

    def _subject_of(self, verb: Token, by_token: list[ActorMention | None]) -> list[ActorMention]:
        """The subject of ``verb``, inherited through xcomp, conj and acl when it has none."""
        node = verb
        for _ in range(4):
            subj = [c for c in node.children if c.dep_ in _SUBJ]
            if subj:
                found: list[ActorMention] = []
                for s in subj:
                    found.extend(mentions_at(s, by_token))
                return found
            agent = [c for c in node.children if c.dep_ == "agent"]
            if agent:
                return [m for a in agent for o in a.children for m in mentions_at(o, by_token)]
            participle = (
                node.dep_ == "advcl"
                and (
                    node.tag_ in ("VBG", "VBN")
                    or any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
                )
                and not any(c.dep_ == "mark" for c in node.children)
            )  # 'shunned work to protest at ...': the purpose has the main subject
            if (node.dep_ in ("xcomp", "conj", "acomp") or participle) and node.head.i != node.i:
                head = node.head
                # 'urged Iran to return': the object of an asking verb does the act.
                if node.dep_ == "xcomp":
                    obj = [c for c in head.children if c.dep_ in ("dobj",)]
                    if obj and head.lemma_.lower() not in self.speech:
                        return [m for o in obj for m in mentions_at(o, by_token)]
                if node.dep_ == "conj" and node.pos_ == "VERB" and head.pos_ == "NOUN" and head.dep_ in _OBJ:
                    # 'suspending parts of the constitution and arresting politicians': the
                    # parser joined the verb to the object; it shares the object's verb
                    head = head.head
                node = head
                continue
            if node.dep_ == "acl" and node.head.dep_ == "ROOT" and by_token[node.head.i] is not None:
                # 'A crowd of 10,000 gathered in Manila': a sentence parsed without a finite
                # verb; the noun it hangs from is its subject
                return mentions_at(node.head, by_token)
            if _passive_participle(node):
                break  # 'aid workers abducted in Somalia': the noun is what it was done to
            if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
                # "Washington's decision to bolster ...": the decision's owner acts.
                owners = [c for c in node.head.children if c.dep_ in ("poss", "compound")]
                if owners:
                    return [m for o in owners for m in mentions_at(o, by_token)]
                if node.head.dep_ == "dobj" and node.head.head.i != node.head.i:
                    # 'the PKK issued a declaration demanding ...': who issued it demands
                    node = node.head.head
                    continue
            if node.dep_ in ("pobj", "pcomp") and node.head.head.i != node.head.i:
                prep, verb = node.head, node.head.head
                if prep.lower_ in self.object_agent_preps:
                    # 'accused Armenia of shelling', 'blamed Kyiv for the attack': the object acts.
                    objects = [c for c in verb.children if c.dep_ == "dobj"]
                    found = [m for o in objects for m in mentions_at(o, by_token)]
                    if found:
                        return found
                node = verb
                continue
            break
        return self._left_neighbour(node, by_token)

    @staticmethod
    def _left_neighbour(verb: Token, by_token: list[ActorMention | None]) -> list[ActorMention]:
        """A finite verb the parse left without a subject ('With the signing of the MOU, the
        Sudanese government and SPLM/A have agreed'): the actors written right before it."""
        if verb.pos_ not in ("VERB", "AUX") or verb.dep_ not in ("ROOT", "conj", "ccomp"):
            return []
        if any(c.dep_ in (*_SUBJ, *_PASS_SUBJ, "expl") for c in verb.children):
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


def _coordinated(trig: Trigger, mutual_noun_types: frozenset[str]) -> bool:
    """'Iran and Oman agreed', 'talks between A and B': actors acting on each other."""
    tok = trig.token
    if trig.is_noun:
        if any(c.dep_ == "prep" and c.lower_ == "between" for c in tok.children):
            return True
        carrier = trig.light or _governing_verb(tok)
        if carrier is None or trig.type not in mutual_noun_types:
            return False
        tok = carrier
    return any(
        c.dep_ in _SUBJ
        and (
            c.conjuncts
            or any(g.dep_ in ("poss", "amod", "nmod", "compound") and g.conjuncts for g in c.lefts)
        )
        for c in tok.children
    )


def _clause_subjects(verb: Token) -> list[Token]:
    """The subjects of a verb, or of the verb it completes ('Palestinians shunned work to
    protest'); for a sentence parsed without a finite verb ('A crowd of 10,000 gathered in
    Manila': crowd ROOT, gathered acl), the noun it hangs from."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJ]
    if not subjects and verb.dep_ in ("xcomp", "advcl") and verb.head.i != verb.i:
        subjects = [c for c in verb.head.children if c.dep_ in _SUBJ]
    if not subjects and verb.dep_ == "acl" and verb.head.dep_ == "ROOT":
        subjects = [verb.head]
    return subjects


def _hyphen_forms(tok: Token) -> list[str]:
    """'cease-fire' split by the tokenizer: the word as one ('ceasefire') and hyphenated."""
    doc = tok.doc
    if tok.i < 2 or doc[tok.i - 1].text != "-" or doc[tok.i - 1].whitespace_ or doc[tok.i - 2].whitespace_:
        return []
    prefix, lemma = doc[tok.i - 2].lower_, tok.lemma_.lower()
    return [f"{prefix}{lemma}", f"{prefix}-{lemma}"]


def _verb_objects(verb: Token) -> list[Token]:
    """The heads of a verb's objects."""
    heads = [c for c in verb.children if c.dep_ in ("dobj", "attr", "nsubjpass")]
    if not heads and _passive_participle(verb):
        heads = [verb.head]  # 'Stinger missiles supplied by the CIA': what was supplied
    if not heads:  # 'handed in their weapons': the parser hangs the object on the particle
        heads = [o for c in verb.children if c.dep_ == "prt" for o in c.children if o.dep_ == "pobj"]
    if not heads:
        # 'declared a state of siege to begin at midnight': the parser made the object the
        # subject of the infinitive
        heads = [
            s
            for c in verb.children
            if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            for s in c.children
            if s.dep_ == "nsubj" and s.pos_ == "NOUN"
        ]
    return heads


def _object_lemmas(verb: Token) -> set[str]:
    """Lemmas of the verb's object, or of the object of its first preposition."""
    prep: Token | None
    heads = _verb_objects(verb)
    heads += [c for h in heads for c in h.conjuncts]  # 'sent a team of experts, equipment and drugs'
    out = {c.lemma_.lower() for c in heads} | {f for c in heads for f in _hyphen_forms(c)}
    # 'Food sacks were dropped': what the container holds
    out.update(
        c.lemma_.lower()
        for h in heads
        if h.pos_ == "NOUN"  # not a name: 'the Friendship Bridge' is no friendship
        for c in h.children
        if c.dep_ == "compound" and c.pos_ == "NOUN"
    )
    for head in heads:
        # '700 kg of medicine', 'a mission of observers', 'tons of aid': what the measure holds
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                held = [o for o in prep.children if o.dep_ == "pobj"]
                out.update(o.lemma_.lower() for p in held for o in (p, *p.conjuncts))
    # 'vowed to continue fighting', 'threatened to impose sanctions': the complement verb,
    # its object, and the verb it continues
    for comp in (c for c in verb.children if c.dep_ == "xcomp"):
        out.add(comp.lemma_.lower())
        for c in comp.children:
            if c.dep_ in ("dobj", "xcomp"):
                out.add(c.lemma_.lower())
    if not out:
        prep = next((c for c in verb.children if c.dep_ == "prep"), None)
        if prep is not None:
            out = {c.lemma_.lower() for c in prep.children if c.dep_ == "pobj"}
            if not out:  # 'pulled out of the city': the parser chains the prepositions
                out = {o.lemma_.lower() for c in prep.children if c.dep_ == "prep" for o in c.children
                       if o.dep_ == "pobj"}  # fmt: skip
    return out


def _objects_fit(sense: Sense, objects: set[str]) -> bool:
    return not sense.objects or bool(objects & set(sense.objects))


def _infinitive_clause(tok: Token) -> bool:
    """'called on Western nations on Friday TO IMPOSE sanctions': a to-infinitive the parser
    attached as an adverbial clause (purpose or content)."""
    return tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _passive_participle(tok: Token) -> bool:
    """'aid workers abducted in Somalia': a past participle describing a noun, in a sentence
    with a finite verb of its own (a sentence parsed without one, 'Doctors from two aid
    groups donated ...', may have its main verb taken for a participle)."""
    if tok.dep_ != "acl" or tok.tag_ != "VBN" or tok.head.pos_ not in ("NOUN", "PROPN"):
        return False
    return _root(tok).pos_ in ("VERB", "AUX")


def _root(tok: Token) -> Token:
    """The root of the token's sentence, by its heads (Span.root would scan the sentence)."""
    while tok.head.i != tok.i:
        tok = tok.head
    return tok


def _prep_objects(head: Token, prep: str) -> list[Token]:
    """The objects of ``head``'s preposition ``prep`` ('the release OF Temer')."""
    preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ == prep]
    return [o for c in preps for o in c.children if o.dep_ == "pobj"]


def _mentions_after(head: Token, prep: str, by_token: list[ActorMention | None]) -> list[ActorMention]:
    """The mentions at the objects of ``head``'s preposition ``prep``."""
    return [m for o in _prep_objects(head, prep) for m in mentions_at(o, by_token)]


def _orders_act(tok: Token) -> bool:
    """'ordered troops to withdraw': the verb's clause is the act ordered. A clause after a
    destination is a purpose ('ordered warplanes to Saudi Arabia to defend the kingdom')."""
    kids = list(tok.children)
    if not any(c.dep_ in _CLAUSE_DEPS for c in kids):
        return False
    destinations = [c for c in kids if c.dep_ == "prep" and c.lower_ in ("to", "into")]
    return not any(o.dep_ == "pobj" for c in destinations for o in c.children)


def _pick(senses: list[Sense] | tuple[Sense, ...], objects: set[str]) -> Sense | None:
    """A sense whose required object is present beats the general sense of the same word."""
    with_object = [s for s in senses if s.objects and objects & set(s.objects)]
    if with_object:
        return with_object[0]
    general = [s for s in senses if not s.objects]
    return general[0] if general else None


def _named_in_sentence(
    mention: ActorMention, sent: Span, by_token: list[ActorMention | None]
) -> ActorMention:
    """A pronoun whose actor the same sentence names earlier is reported as that name: the
    evidence stays in the sentence and says who acted."""
    if mention.kind != "pronoun" or mention.entity is None:
        return mention
    for i in range(sent.start, sent.end):
        m = by_token[i]
        if m is None:
            continue
        if m.start >= mention.start:
            break
        if m.entity == mention.entity and m.kind != "pronoun":
            return m
    return mention


def _agentless_passive(verb: Token) -> bool:
    deps = {c.dep_ for c in verb.children}
    return bool(deps & set(_PASS_SUBJ)) and "agent" not in deps


def _attending_verb(noun: Token, verbs: frozenset[str]) -> Token | None:
    """'attends a Cabinet meeting', 'took part in the talks': the verb whose subject takes
    part in the event ``noun`` names."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "in":
        head = head.head  # 'participate in', 'take part in'
    elif noun.dep_ != "dobj":
        return None
    return head if head.pos_ == "VERB" and head.lemma_.lower() in verbs else None


def _participle_agents(noun: Token, by_token: list[ActorMention | None]) -> list[ActorMention]:
    """'a demonstration staged by students', 'the attack carried out by Hamas': the agent
    of a participle that describes a noun."""
    return [
        m
        for acl in noun.children
        if acl.dep_ == "acl"
        for ag in acl.children
        if ag.dep_ == "agent"
        for o in ag.children
        if o.dep_ == "pobj"
        for m in mentions_at(o, by_token)
    ]


def _governing_verb(tok: Token) -> Token | None:
    """The verb a nominal trigger hangs from: 'open to direct talks' -> remains."""
    node = tok
    for _ in range(4):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


def _span_mention(span: Span, **codes: Any) -> ActorMention:
    """An actor mention over the words of ``span`` with the given codes."""
    return ActorMention(text=span.text, start=span.start_char, end=span.end_char, **codes)


def _coded(mention: ActorMention | None) -> bool:
    return mention is not None and bool(mention.country or mention.sectors)


def _unique(mentions: list[ActorMention]) -> list[ActorMention]:
    seen: set[tuple[int, int]] = set()
    out = []
    for m in mentions:
        key = (m.start, m.end)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def index_mentions(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention | None]:
    """Token index -> the actor mention covering it."""
    index: list[ActorMention | None] = [None] * len(doc)
    if not mentions:
        return index
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        for i in range(span.start, span.end):
            index[i] = mention
    return index


#: Entity labels of a 'when', never a target ('on Wednesday', 'at dawn').
_WHEN = frozenset({"DATE", "TIME"})
#: Words a multiword trigger may list that the parse hangs elsewhere ('take to the street').
_ARTICLES = frozenset({"the", "a", "an"})


def _argument(
    trig: Trigger, mention: ActorMention | None, sent: Span, apart_from: TextSpan | None = None
) -> TextSpan | None:
    """The whole phrase of the trigger's argument that holds ``mention``: climb from the
    mention to the child of the trigger (or of the first verb on the way) and take its
    subtree, without a leading preposition ('into the areas devastated by the cyclone').
    A target inside the source's phrase ('A and B agreed': each the other's) is itself."""
    if mention is None or not (sent.start_char <= mention.start and mention.end <= sent.end_char):
        return None
    if apart_from is not None and apart_from.start <= mention.start and mention.end <= apart_from.end:
        return TextSpan(text=mention.text, start=mention.start, end=mention.end)
    doc = sent.doc
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    anchors = {t.i for t in trig.tokens}
    if trig.light is not None:
        anchors.add(trig.light.i)
    node = span.root
    for _ in range(12):
        head = node.head
        if head.i == node.i or head.i in anchors or head.pos_ in ("VERB", "AUX"):
            break
        if node.dep_ in ("relcl", "acl"):  # an apposition renames its head: climb on
            break
        node = head
    if node.dep_ == "prep":
        node = next((c for c in node.children if c.dep_ in ("pobj", "pcomp")), node)
    left, right = node.left_edge.i, node.right_edge.i
    if any(left <= a <= right for a in anchors):
        left, right = span.start, span.end - 1  # the trigger inside: the mention alone
    left, right = min(left, span.start), max(right, span.end - 1)
    while left < right and (doc[left].is_punct or doc[left].dep_ in ("cc", "prep")):
        left += 1
    while right > left and doc[right].is_punct:
        right -= 1
    phrase = doc[left : right + 1]
    return TextSpan(text=phrase.text, start=phrase.start_char, end=phrase.end_char)


def _modifiers(tok: Token, by_token: list[ActorMention | None]) -> list[Token]:
    """The children of a noun, and the modifiers of a modifier that is no actor itself
    ('US Predator attacks': the owner modifies the weapon's name)."""
    out = list(tok.children)
    for child in tok.children:
        if child.dep_ == "compound" and by_token[child.i] is None:
            out.extend(g for g in child.children if g.dep_ in ("compound", "amod"))
    return out


def _place_conjuncts(head: Token, by_token: list[ActorMention | None]) -> list[ActorMention]:
    """Mentions of coordinated modifiers of ``head`` ('Nigerian and British armed forces')."""
    for child in head.lefts:
        if child.dep_ in ("poss", "amod", "nmod", "compound") and child.conjuncts:
            group = sorted([child, *child.conjuncts], key=lambda t: t.i)
            return [m for t in group if (m := by_token[t.i]) is not None]
    return []


def _owners(tok: Token, by_token: list[ActorMention | None]) -> list[ActorMention]:
    """The actors owning a noun phrase: possessor, or a modifier that is an actor."""
    found: list[ActorMention] = []
    for child in _modifiers(tok, by_token):
        if child.dep_ == "poss" or (
            child.dep_ in ("amod", "compound", "nmod") and mentions_at(child, by_token, shallow=True)
        ):
            mentions = mentions_at(child, by_token, shallow=child.dep_ != "poss")
            if child.dep_ == "compound":
                # 'the Lome peace agreement', 'the Geneva talks': a city names where, not who
                mentions = [m for m in mentions if not _is_capital(m)]
            found.extend(mentions)
    return found


def _is_capital(mention: ActorMention) -> bool:
    """A capital standing for its state ('Kabul', 'Washington'), as the actor stage marks it."""
    return (mention.matched or "").startswith("capital:")


def mentions_at(tok: Token, by_token: list[ActorMention | None], shallow: bool = False) -> list[ActorMention]:
    """Actor mentions for the phrase headed by ``tok``, fanned out over coordination and
    'such as'/'including' lists."""
    heads = [tok, *tok.conjuncts]
    found: list[ActorMention] = []
    for head in heads:
        mention = by_token[head.i]
        examples: list[ActorMention] = []
        if not shallow and (mention is None or not mention.name or mention.kind not in ("person", "media")):
            # 'leaders such as X', 'representatives, including Y': the named examples act.
            placed = mention is not None and bool(mention.country)
            for child in head.children:
                # an apposition renames a placed head ('Haifa, Israel's third largest city'),
                # it gives no examples of it
                if (child.dep_ == "prep" and child.lower_ in ("as", "including", "like")) or (
                    child.dep_ == "appos" and not placed
                ):
                    for node in child.subtree:
                        m = by_token[node.i]
                        if m is not None and node.dep_ in ("pobj", "appos", "conj") and m not in examples:
                            examples.append(m)
        if examples and (mention is None or not mention.country or any(m.country for m in examples)):
            # ... unless the head is placed and its examples are not ('Russian aircraft
            # including helicopter gunships'): then the head codes them all
            found.extend(m for m in examples if m not in found)
            continue
        if mention is not None:
            if not shallow:
                # 'Russia and Turkey's foreign ministers': the actor stage gave each place its
                # own mention; the head's phrase stands for all of them
                places = _place_conjuncts(head, by_token)
                found.extend(m for m in places if m is not mention and m not in found)
            found.append(mention)
            continue
        if shallow:
            continue
        # 'thousands of Iraqi Kurds', 'members of the party': the group after 'of' acts.
        of_objects = [
            o
            for c in head.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for o in c.children
            if o.dep_ == "pobj"
        ]
        of_mentions = [m for o in of_objects if (m := by_token[o.i]) is not None]
        if of_mentions:
            found.extend(of_mentions)
            continue
        # 'US personnel', 'Iranian forces': a coded modifier places an uncoded head.
        for child in head.lefts:
            m = by_token[child.i]
            if m is not None and child.dep_ in ("compound", "amod", "poss", "nmod"):
                found.append(m)
                break
    return found
