"""Stage 4 of the event coder: whether an event happened, or is intended, threatened,
refused, negated, hypothetical, conditional or alleged.

The cues are the trigger's own children (negation, modals, particles, condition clauses),
its governor ("threatened to strike": threatened), and cue verbs on the way up to the
clause that reports it. Of several, the strongest wins (``STATUS_RANK``).
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.events.config import CoderConfig
from communique.events.context import Trigger
from communique.events.grammar import (
    absolute_clause,
    coordinated_clause,
    infinitive_clause,
    setting_verb,
    shared_conjunct,
)
from communique.models import EventStatus
from communique.spans import doc_text
from communique.tokens import doc_words

#: Dependency labels on the way up from a trigger to the clause that reports it.
_STATUS_WALK = frozenset({"xcomp", "ccomp", "pobj", "pcomp", "prep", "dobj", "acl", "amod"})
STATUS_RANK = {
    EventStatus.alleged: 8,
    EventStatus.refused: 7,
    EventStatus.threatened: 6,
    EventStatus.negated: 5,
    EventStatus.hypothetical: 4,
    EventStatus.conditional: 3,
    EventStatus.intended: 2,
    EventStatus.happened: 1,
}


def status(cfg: CoderConfig, trig: Trigger) -> EventStatus:
    """The strongest of the statuses its governor, its own words and the words above it give."""
    statuses = _governed_status(cfg, trig)
    statuses.extend(_own_status(cfg, trig))
    statuses.extend(_status_above(cfg, trig.light or trig.token))
    if not statuses:
        return EventStatus.happened
    return max(statuses, key=lambda s: STATUS_RANK[s])


def _governed_status(cfg: CoderConfig, trig: Trigger) -> list[EventStatus]:
    """Governed by another trigger: 'threatened to strike' -> threatened; a dropped governor
    ('ordered the release of') leaves the act intended."""
    gov = trig.governor
    statuses: list[EventStatus] = []
    if (
        gov is not None
        and not gov.dropped
        and gov.type in cfg.rules.governed_status
        and _governs(cfg, gov, trig)
    ):
        statuses.append(cfg.rules.governed_status[gov.type])
    if gov is not None and gov.dropped:
        statuses.append(EventStatus.intended)
    return statuses


def _governs(cfg: CoderConfig, gov: Trigger, trig: Trigger) -> bool:
    """Whether the governor gives its status: an order or decree that an act describes is
    the act in force ('an order banning university education'), and only an accusation
    alleges what it is about ('condemned a decree banning parties' alleges nothing)."""
    lemma = gov.token.lemma_.lower()
    if gov.is_noun and lemma in cfg.rules.ordering_verbs and trig.token.dep_ == "acl":
        return False
    return gov.type != "ACCUSE" or lemma in cfg.cues["alleged"]


def _own_status(cfg: CoderConfig, trig: Trigger) -> list[EventStatus]:
    local = _local_status(cfg, trig.light or trig.token, noun=trig if trig.is_noun else None)
    if to_come(cfg, trig.token):
        local.append(EventStatus.intended)
    if trig.light is not None and any(c.dep_ == "det" and c.lower_ == "no" for c in trig.token.children):
        local.append(EventStatus.negated)  # 'would give no aid', 'held no talks'
    if trig.refusal:  # 'will not allow' is a refusal that happened, not a negated event
        local = [s for s in local if s not in (EventStatus.negated, EventStatus.intended)]
    return local


def to_come(cfg: CoderConfig, tok: Token) -> bool:
    """'on the eve of a visit by the Pope', 'details still to be thrashed out': an act the
    words before it say has not come yet."""
    if tok.dep_ == "pobj":
        # the five words before the phrase, cut from the Doc's text (as Span.text gives them)
        first, before = tok.left_edge.i, ""
        if first > 0:
            words = doc_words(tok.doc)
            before = doc_text(tok.doc)[words.idx[max(0, first - 5)] : words.ends[first - 1]].lower()
        return before.endswith(cfg.awaiting)
    to = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    return to and any(c.dep_ == "advmod" and c.lower_ in cfg.pending for c in tok.children)


def takes_place(cfg: CoderConfig, tok: Token) -> bool:
    """'the ceasefire would come into effect', 'talks will begin': the act is the subject of
    a verb of its taking place (rules occurrence_verbs), which tells its status."""
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in cfg.rules.occurrence_verbs


def _status_above(cfg: CoderConfig, anchor: Token) -> list[EventStatus]:
    """Cue words on the way up to the clause that reports it."""
    statuses: list[EventStatus] = []
    if takes_place(cfg, anchor):  # the verb's modals are the act's
        return _local_status(cfg, anchor.head, noun=None, inherited=True)
    if anchor.dep_ == "pobj" and anchor.lemma_.lower() in cfg.rules.agent_of_nouns:
        return statuses  # 'will lead the mission at the invitation of Haiti': asked before
    where = setting_verb(anchor, cfg.rules.setting_preps)
    if where is not None and _cue_status(cfg, where):
        return statuses  # 'agreed in talks in Barbados to hold a vote': where it was agreed
    node = anchor
    for _ in range(5):
        if shared_conjunct(node):
            node = node.head  # 'agreed to lay down their arms and hold talks'
            continue
        dep = node.dep_
        if dep not in _STATUS_WALK and not infinitive_clause(node):
            break
        head = node.head
        if head.i == node.i:
            break
        if dep == "prep" and node.lower_ in cfg.rules.adjunct_preps:
            break  # 'following visits to Beijing' is circumstance, not content
        if absolute_clause(node) or coordinated_clause(node):
            break  # 'Kenya pledged police, with the Bahamas committing 150': its own clause
        if head.lemma_.lower() in cfg.rules.speech_verbs and head.pos_ == "VERB":
            break
        statuses.extend(_cue_status(cfg, head))
        statuses.extend(_local_status(cfg, head, noun=None, inherited=True))
        node = head
    return statuses


def _cue_status(cfg: CoderConfig, head: Token) -> list[EventStatus]:
    lemma, pos = head.lemma_.lower(), head.pos_  # (read once: each read decodes the string)
    out: list[EventStatus] = []
    for cued in ("alleged", "refused", "threatened", "hypothetical", "intended"):
        # a word is looked up among the cues of its part of speech where it has one
        words = cfg.cues_by_pos[cued].get(pos, cfg.cues[cued])
        if lemma in words:
            out.append(EventStatus(cued))
    return out


def _local_status(
    cfg: CoderConfig, tok: Token, noun: Trigger | None, inherited: bool = False
) -> list[EventStatus]:
    """The statuses the children of ``tok`` give it."""
    out: list[EventStatus] = []
    for child in tok.children:
        dep = child.dep_  # read once; most children (subjects, objects, punctuation) tell nothing
        if dep in _STATUS_DEPS:
            found = _child_status(cfg, child, dep, noun is not None, inherited)
            if found is not None:
                out.append(found)
    return out


def _future(cfg: CoderConfig, verb: Token) -> bool:
    """The verb is told as to come ('will resign', 'would step down')."""
    return any(
        c.dep_ == "aux" and (c.lower_ in cfg.modals["intended"] or c.lemma_.lower() in ("will", "shall"))
        for c in verb.children
    )


#: The labels of the children whose word (not only their label) tells a status.
_WORD_DEPS = frozenset({"det", "advmod", "aux", "mark"})
#: The labels of every child ``_child_status`` may find a status in.
_STATUS_DEPS = _WORD_DEPS | {"neg", "amod", "compound", "advcl"}


def _child_status(
    cfg: CoderConfig, child: Token, dep: str, noun: bool, inherited: bool
) -> EventStatus | None:
    """The status one child of a verb or noun gives it; ``dep``: the child's label."""
    low = child.lower_ if dep in _WORD_DEPS else ""  # most children: no need to read the word
    if dep == "neg" or (dep == "det" and low == "no"):
        return EventStatus.negated
    if dep == "advmod" and low in cfg.particles:
        return cfg.particles[low]  # 'allegedly', 'possibly'
    if dep == "aux":
        if low in cfg.modals["hypothetical"]:
            return EventStatus.hypothetical
        if low in cfg.modals["intended"] or child.lemma_.lower() in ("will", "shall"):
            return EventStatus.intended
        return None
    if dep in ("amod", "compound") and noun:  # 'a possible strike', 'the planned talks'
        lemma = child.lemma_.lower()
        if lemma in cfg.cues["hypothetical"]:
            return EventStatus.hypothetical
        if lemma in cfg.cues["intended"]:
            return EventStatus.intended
        return None
    if dep == "advcl":
        mark = next((m for m in child.children if m.dep_ == "mark"), None)
        if mark is not None and mark.lower_ in cfg.cues["conditional"]:
            return EventStatus.conditional
        marks = cfg.rules.future_condition_marks
        when = any(m.dep_ in ("mark", "advmod") and m.lower_ in marks for m in child.children)
        if when and _future(cfg, child.head):
            return EventStatus.conditional  # 'he will resign when a new government is formed'
        return None
    if dep == "mark" and low in cfg.cues["conditional"] and not inherited:
        # The condition itself ('unless the Kremlin closed its base') has not happened.
        return EventStatus.hypothetical
    if dep == "mark" and cfg.particles.get(low) == EventStatus.hypothetical:
        return EventStatus.hypothetical  # 'investigating whether Israel shelled'
    return None
