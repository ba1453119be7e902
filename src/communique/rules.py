"""The event rules (``data/events/rules.yaml`` and its English words in
``data/lang/en/rules.yaml``), read once into a typed model.

The event coder and the actor stage both read it (the actor stage takes its speech verbs,
crowd sectors and location words), so its loader lives outside both stages: the actor
stage need not import the event coder.

The model is frozen and forbids unknown keys: a misspelt key in the file fails at load time
with its name, instead of leaving a rule silently empty. Each key's meaning is documented in
the YAML file itself, next to its words.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from communique.lang import LANG_DIR, LANGUAGE
from communique.models import EventStatus
from communique.yamlfiles import load_yaml

RULES = resources.files("communique") / "data" / "events" / "rules.yaml"
RULE_WORDS = LANG_DIR / LANGUAGE / "rules.yaml"  # the same rules' words in the language read

_STRICT = ConfigDict(frozen=True, extra="forbid")

Words = frozenset[str]


class Unattributed(BaseModel):
    """Acts that name nobody who did them get an unidentified actor of their place."""

    model_config = _STRICT

    #: event type -> sector of the unidentified actor; the file may give a plain list of
    #: types instead, all of them of ``sector``
    types: dict[str, str] = Field(default_factory=dict)
    sector: str = "UAF"

    @model_validator(mode="before")
    @classmethod
    def _list_of_types(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("types"), list):
            sector = str(data.get("sector") or "UAF")
            data = {**data, "types": dict.fromkeys(map(str, data["types"]), sector)}
        return data


class RecipientSearch(BaseModel):
    """Giving events whose object is only what is given: where to look for who receives it."""

    model_config = _STRICT

    types: Words = frozenset()
    preps: Words = frozenset()


class TypeBySentence(BaseModel):
    """An event of type ``from`` in a sentence with one of ``words`` is of type ``to``."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    cameo: str
    words: Words = frozenset()

    @field_validator("words", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return [str(w).lower() for w in value or []]


class Rules(BaseModel):
    """The two rules files, typed. Keys without a default are required."""

    model_config = _STRICT

    governed_status: dict[str, EventStatus]
    compose_cameo: dict[str, dict[str, str]]
    content_types: Words = frozenset()
    governed_wins: dict[str, Words]
    evaluating_types: Words = frozenset()
    ordering_verbs: Words = frozenset()
    part_of_act: dict[str, Words] = Field(default_factory=dict)
    intended_as_agree: dict[str, str] = Field(default_factory=dict)
    offers_made: Words = frozenset()
    reject_when_negated: Words
    #: may hold phrases ('have to'); the coder matches single auxiliaries only
    demand_modals: tuple[str, ...]
    demand_passives: Words = frozenset()
    participation_verbs: Words
    attendance_verbs: Words = frozenset()
    third_party_verbs: Words = frozenset()
    default_target_preps: Words
    source_preps: Words
    agent_of_nouns: Words = frozenset()
    awaiting_phrases: Words = frozenset()
    pending_adverbs: Words = frozenset()
    circumstance_nouns: Words = frozenset()
    patient_owner_nouns: Words = frozenset()
    reciprocal_types: Words
    mutual_noun_types: Words = frozenset()
    speech_verbs: Words
    adjunct_preps: Words
    background_marks: Words = frozenset()
    reason_nouns: Words = frozenset()
    #: 'not allow' entries need a negation of their verb
    refusal_verbs: tuple[str, ...]
    refusal_needs_complement: Words = frozenset()
    attempt_verbs: Words = frozenset()
    means_preps: Words = frozenset()
    exchange_nouns: Words = frozenset()
    two_sides: Words = frozenset()
    existential_nouns: Words = frozenset()
    setting_preps: Words = frozenset()
    absence_preps: Words = frozenset()
    expecting_verbs: Words = frozenset()
    measure_nouns: Words = frozenset()
    measure_proof_types: Words = frozenset()
    future_condition_marks: Words = frozenset()
    occurrence_verbs: Words = frozenset()
    decision_verbs: Words = frozenset()
    warning_verbs: Words = frozenset()
    described_states: Words = frozenset()
    retort_verbs: Words = frozenset()
    retort_preps: Words = frozenset()
    recipient_search: RecipientSearch = Field(default_factory=RecipientSearch)
    receiving_verbs: Words = frozenset()
    crowd_sectors: Words = frozenset()
    located_participles: Words = frozenset()
    unattributed: Unattributed = Field(default_factory=Unattributed)
    #: verb lemma (lower case) -> sector of the state that does the act
    unattributed_state: dict[str, str] = Field(default_factory=dict)
    location_preps: Words = frozenset()
    area_types: Words = frozenset()
    topic_preps: Words = frozenset()
    topic_object_types: Words = frozenset()
    condition_marks: Words = frozenset()
    object_agent_preps: Words = frozenset()
    intended_as_threaten: dict[str, str] = Field(default_factory=dict)
    announced_measures: Words = frozenset()
    object_is_theme: Words = frozenset()
    stative_passives: Words = frozenset()
    recipient_after_prep: Words = frozenset()
    #: in file order: the first rule whose words the sentence has wins
    type_by_sentence: tuple[TypeBySentence, ...] = ()

    @field_validator("unattributed_state", mode="before")
    @classmethod
    def _lower_verbs(cls, value: Any) -> Any:
        return {str(k).lower(): v for k, v in (value or {}).items()}


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    neutral = load_yaml(RULES.read_text(encoding="utf-8")) or {}
    words = load_yaml(RULE_WORDS.read_text(encoding="utf-8")) or {}
    if both := sorted(set(neutral) & set(words)):
        raise ValueError(f"rules given in both {RULES.name} files: {', '.join(both)}")
    return Rules.model_validate({**neutral, **words})
