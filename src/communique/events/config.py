"""What the event coder knows, read once: the typed rules, the trigger and status lexicon,
the ontology, the actor resolver, and the tables derived from them that every sentence
uses. The stages take it as their first argument (``cfg``); nothing in it changes per
sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from communique.events.lexicon import Lexicon, Sense
from communique.events.ontology import Ontology
from communique.models import EventStatus
from communique.rules import Rules, TypeBySentence

#: statuses whose cue words the lexicon lists
_CUED = ("intended", "conditional", "threatened", "refused", "negated", "hypothetical", "alleged")
#: a mode cue: the mode it picks, the CAMEO code it gives (if any), its words
#: (mode, CAMEO code, its one-word cues, its multiword cues): a word is looked up among the
#: sentence's words, a phrase in its text
ModeCue = tuple[str | None, str | None, frozenset[str], tuple[str, ...]]


@dataclass(frozen=True, eq=False)
class CoderConfig:
    rules: Rules
    lex: Lexicon
    onto: Ontology
    resolver: Any  # codes phrases that are no actor mention ('a court decision'); may be None
    keep_uncoded: bool
    # -- derived from the above, once ---------------------------------------------------
    demand_modals: frozenset[str]  # the single-word auxiliaries of rules.yaml demand_modals
    refusal_verbs: frozenset[str]  # 'refuse', 'veto': a refusal as they stand
    refusal_negated: frozenset[str]  # 'allow' of 'not allow': a refusal when negated
    refusal_sense: Sense
    retort_sense: Sense  # 'retaliated by saying': an accusation
    demand_sense: Sense
    type_by_sentence: dict[str, list[TypeBySentence]]  # by the type they change
    mode_cues: dict[str, list[ModeCue]]  # by event type
    cues: dict[str, set[str]]  # status -> its cue words
    # status -> part of speech -> the cue words of that kind: a verb 'opened' is no 'open'
    cues_by_pos: dict[str, dict[str, set[str]]]
    particles: dict[str, EventStatus]  # 'allegedly', 'possibly'
    modals: dict[str, set[str]]  # 'might' (hypothetical), 'would' (intended)
    awaiting: tuple[str, ...]  # 'on the eve of', 'ahead of': the noun after it is to come
    pending: frozenset[str]  # 'still' of 'still to be agreed'

    @classmethod
    def build(
        cls, rules: Rules, lexicon: Lexicon, ontology: Ontology, *, resolver: Any, keep_uncoded: bool
    ) -> CoderConfig:
        negated = ("not ", "never ")
        by_type: dict[str, list[TypeBySentence]] = {}
        for rule in rules.type_by_sentence:
            by_type.setdefault(rule.from_, []).append(rule)
        mode_cues: dict[str, list[ModeCue]] = {}
        for cue_type, mode, cue_cameo, cue_words in lexicon.mode_cues:
            words = frozenset(w for w in cue_words if " " not in w)
            phrases = tuple(sorted(w for w in cue_words if " " in w))
            mode_cues.setdefault(cue_type, []).append((mode, cue_cameo, words, phrases))
        return cls(
            rules=rules,
            lex=lexicon,
            onto=ontology,
            resolver=resolver,
            keep_uncoded=keep_uncoded,
            demand_modals=frozenset(m for m in rules.demand_modals if " " not in m),
            refusal_verbs=frozenset(v for v in rules.refusal_verbs if not v.startswith(negated)),
            refusal_negated=frozenset(
                v.split(" ", 1)[1] for v in rules.refusal_verbs if v.startswith(negated)
            ),
            refusal_sense=Sense(type="REJECT", mode=None, cameo=ontology.default_cameo("REJECT")),
            retort_sense=Sense(type="ACCUSE", mode="disapprove", cameo="111"),
            demand_sense=Sense(type="REQUEST", mode=None, cameo=ontology.default_cameo("REQUEST")),
            type_by_sentence=by_type,
            mode_cues=mode_cues,
            cues={status: lexicon.status_words(status) for status in _CUED},
            cues_by_pos={status: _by_pos(lexicon, status) for status in _CUED},
            particles={
                w: EventStatus(st)
                for st in ("hypothetical", "alleged")
                for w in lexicon.status_words(st, "particles")
                if " " not in w
            },
            modals={
                "hypothetical": lexicon.status_words("hypothetical", "modals"),
                "intended": lexicon.status_words("intended", "modals"),
            },
            awaiting=tuple(sorted(rules.awaiting_phrases)),
            pending=rules.pending_adverbs,
        )


#: The cue kinds (status.yaml) a word of each part of speech is looked up in: a participle
#: tagged ADJ may be a verb ('prepared', 'committed').
_POS_KINDS = {"VERB": ("verbs",), "ADJ": ("adjectives", "verbs"), "NOUN": ("nouns",)}


def _by_pos(lexicon: Lexicon, status: str) -> dict[str, set[str]]:
    return {pos: lexicon.status_words(status, *kinds) for pos, kinds in _POS_KINDS.items()}
