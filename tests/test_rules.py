"""The typed rules model: data/events/rules.yaml with its words in data/lang/en/rules.yaml."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from communique.models import EventStatus
from communique.rules import Rules, Unattributed, load_rules


def _data() -> dict:
    return load_rules().model_dump(by_alias=True)


def test_the_shipped_rules_load_typed():
    rules = load_rules()
    assert isinstance(rules, Rules)
    assert "say" in rules.speech_verbs and isinstance(rules.speech_verbs, frozenset)
    assert rules.governed_status["THREATEN"] is EventStatus.threatened
    assert rules.unattributed.types["ASSAULT"] == "UAF"
    assert rules.recipient_search.preps >= {"to", "for"}
    # 'on' stays the word (YAML 1.2 booleans), and type_by_sentence keeps its 'from' key
    assert "on" in rules.topic_preps
    assert rules.type_by_sentence[0].from_ == "MOBILIZE"


def test_the_model_is_frozen():
    with pytest.raises(ValidationError):
        load_rules().speech_verbs = frozenset()  # type: ignore[misc]


@pytest.mark.parametrize("key", ["speech_verb", "governed_statuses"])
def test_a_misspelt_key_fails_with_its_name(key):
    data = _data()
    data[key] = ["x"]
    with pytest.raises(ValidationError, match=key):
        Rules.model_validate(data)


def test_a_misspelt_nested_key_fails_with_its_name():
    data = _data()
    data["recipient_search"] = {"types": ["AID"], "prepositions": ["to"]}
    with pytest.raises(ValidationError, match="prepositions"):
        Rules.model_validate(data)


def test_a_required_key_is_required():
    data = _data()
    del data["speech_verbs"]
    with pytest.raises(ValidationError, match="speech_verbs"):
        Rules.model_validate(data)


def test_wrong_types_fail():
    data = _data()
    data["governed_status"] = {"AGREE": "maybe"}  # no such status
    with pytest.raises(ValidationError, match="governed_status"):
        Rules.model_validate(data)


def test_unattributed_types_may_be_a_list_of_one_sector():
    assert Unattributed.model_validate({"types": ["ASSAULT"], "sector": "UAF"}).types == {"ASSAULT": "UAF"}
    assert Unattributed.model_validate({"types": ["ASSAULT"]}).types == {"ASSAULT": "UAF"}


def test_words_and_state_verbs_are_lower_case():
    data = _data()
    data["unattributed_state"] = {"Arrest": "COP"}
    data["type_by_sentence"] = [{"from": "MOBILIZE", "to": "AID", "cameo": "074", "words": ["Blue Helmets"]}]
    rules = Rules.model_validate(data)
    assert rules.unattributed_state == {"arrest": "COP"}
    assert rules.type_by_sentence[0].words == frozenset({"blue helmets"})
