"""Words that are no event, or another event, in their context: each phenomenon from the
article-level review, tested on sentences written for it."""

from __future__ import annotations

import pytest


def _types(pipeline, text: str) -> list[str]:
    return [e.type for e in pipeline.process_text(text).events]


@pytest.mark.parametrize(
    "text",
    [
        "The Kurdish party was founded in 1978 to fight for land reform.",
        "The governor has promised to fight corruption in the ports.",
        "She rejects the verdict and says she will fight it in court.",
        "The general strike targeted the president's pension reforms.",
    ],
)
def test_no_attack_on_a_cause_an_ill_a_policy_or_a_court_case(pipeline, text):
    assert "ASSAULT" not in _types(pipeline, text)
    assert "THREATEN" not in _types(pipeline, text)


def test_a_fight_for_a_town_is_still_a_fight(pipeline):
    assert _types(pipeline, "Sudanese troops fought rebels for control of El Fasher.") == ["ASSAULT"]


def test_trading_blame_is_an_accusation(pipeline):
    types = _types(pipeline, "Ethiopia and Eritrea traded blame for the border clash.")
    assert "ACCUSE" in types and "COOPERATE" not in types


def test_showing_an_ability_is_no_protest(pipeline):
    text = "The militia shelled the airport, demonstrating its ability to strike the capital."
    assert "PROTEST" not in _types(pipeline, text)


def test_dismissal_from_a_post_is_a_sanction_not_a_rejection(pipeline):
    events = pipeline.process_text(
        "Niger's army chief was dismissed as commander by President Bazoum."
    ).events
    assert [e.type for e in events] == ["COERCE"]
    assert _types(pipeline, "Prime Minister Modi dismissed the claims as lies.") == ["REJECT"]


def test_calling_an_act_a_violation_is_an_accusation(pipeline):
    text = "Colombian President Gustavo Petro condemned the raid, calling it a violation of sovereignty."
    types = _types(pipeline, text)
    assert "CONSULT" not in types and "ACCUSE" in types


def test_a_legal_appeal_is_an_accusation_intended(pipeline):
    events = pipeline.process_text("Guyana will appeal to the International Court of Justice.").events
    assert [(e.type, e.status.value) for e in events] == [("ACCUSE", "intended")]


def test_a_warning_of_a_danger_threatens_nobody(pipeline):
    text = "The World Food Programme warned that the famine in Sudan was the worst in decades."
    assert "THREATEN" not in _types(pipeline, text)
    assert _types(pipeline, "Iran warned Israel that it would respond to any attack.")[0] == "THREATEN"


@pytest.mark.parametrize(
    "text",
    [
        "Beijing retaliated by saying it had taken necessary measures against Vietnamese boats.",
        "Hanoi hit back and said it would never give up the islands.",
    ],
)
def test_a_retort_in_words_is_an_accusation_not_an_attack(pipeline, text):
    types = _types(pipeline, text)
    assert "ASSAULT" not in types and "ACCUSE" in types


def test_retaliation_with_strikes_is_an_attack(pipeline):
    assert _types(pipeline, "Israel retaliated with airstrikes on Gaza.") == ["ASSAULT"]


def test_a_participle_describing_a_place_is_no_act(pipeline):
    text = "China said it would never abandon its claim to the disputed reef."
    assert "ACCUSE" not in _types(pipeline, text)


def test_killed_in_clashes_with_a_side_was_done_by_that_side(pipeline):
    events = pipeline.process_text("Two Malian soldiers were killed in clashes with Wagner fighters.").events
    assert [(e.type, e.source is not None and e.source.text) for e in events] == [
        ("ASSAULT", "Wagner fighters")
    ]


def test_an_arrest_told_again_is_one_record(pipeline):
    text = (
        "A Bolivian general has been arrested after troops stormed the palace in La Paz. "
        "As he was being arrested, the general said he had acted on orders."
    )
    arrests = [e for e in pipeline.process_text(text).events if e.type == "COERCE"]
    assert len(arrests) == 1 and len(arrests[0].mentions) == 2


def test_a_conjunct_shares_what_governs_its_first_conjunct(pipeline):
    text = "The rebels agreed to lay down their arms and hold talks with the Colombian government."
    talks = [e for e in pipeline.process_text(text).events if e.type == "CONSULT"]
    assert [e.status.value for e in talks] == ["intended"]


def test_a_crowd_breaking_in_protests_and_police_breaking_in_coerce(pipeline):
    assert _types(pipeline, "Demonstrators broke into the president's residence in Colombo.") == ["PROTEST"]
    assert _types(pipeline, "Kenyan protesters swarmed outside the parliament.") == ["PROTEST"]
    assert _types(pipeline, "Ecuadorian police broke into the Mexican embassy in Quito.") == ["COERCE"]


def test_inking_documents_is_signing(pipeline):
    assert _types(pipeline, "Kazakhstan and Uzbekistan inked milestone documents.") == ["SUPPORT"]


def test_an_act_an_order_decrees_is_in_force_by_whoever_decreed_it(pipeline):
    events = pipeline.process_text("The EU condemned a decree by the junta banning political parties.").events
    (ban,) = [e for e in events if e.type == "COERCE"]
    assert ban.status.value == "happened"
    assert ban.source is not None and ban.source.text == "junta"


def test_only_an_accusation_alleges_what_it_is_about(pipeline):
    events = pipeline.process_text("Armenia accused Azerbaijan of shelling its villages.").events
    assert [(e.type, e.status.value) for e in events] == [("ACCUSE", "happened"), ("ASSAULT", "alleged")]


def test_speaking_on_condition_of_anonymity_is_no_meeting(pipeline):
    text = (
        "A police officer in Goma, speaking on condition of anonymity, said M23 rebels had entered the city."
    )
    assert "CONSULT" not in _types(pipeline, text)


def test_welcoming_a_commitment_is_support_and_its_content_no_record(pipeline):
    text = "The Turkish foreign minister welcomed the parties' continued commitment to the ceasefire."
    assert _types(pipeline, text) == ["SUPPORT"]


def test_welcoming_a_visitor_is_hosting(pipeline):
    text = "Kenyan President William Ruto welcomed his Ugandan counterpart Yoweri Museveni in Nairobi."
    assert _types(pipeline, text) == ["CONSULT"]


def test_troops_stationed_somewhere_are_no_deployment(pipeline):
    text = "Supplies were flown to Indian troops stationed on the Siachen glacier."
    assert "MOBILIZE" not in _types(pipeline, text)


def test_saying_one_answers_the_others_attacks_is_an_accusation(pipeline):
    events = pipeline.process_text(
        "Azerbaijani officials said their country was responding to Armenian attacks."
    ).events
    assert [(e.type, e.source.country, e.target.country) for e in events] == [("ACCUSE", "AZE", "ARM")]
    # answered with force, it is still the attack it answers
    types = _types(pipeline, "Russian troops responded to Ukrainian attacks with heavy shelling.")
    assert "ACCUSE" not in types


def test_a_multiword_object_of_the_lexicon_fits_its_verb(pipeline):
    # the object 'water cannon' is two words; the preposition hangs from the noun
    events = pipeline.process_text("China fired water cannon on Philippine vessels.").events
    assert [(e.type, e.source.country, e.target.country) for e in events] == [("ASSAULT", "CHN", "PHL")]


def test_an_announced_measure_is_the_measure_intended_and_a_conditional_one_a_threat(pipeline):
    events = pipeline.process_text(
        "The French foreign ministry said on Monday it would recall its ambassador to Mali."
    ).events
    assert [(e.type, e.status.value) for e in events] == [("SANCTION", "intended")]
    # its own envoy is not whom the recall is aimed at
    assert events[0].target is None or events[0].target.country != "FRA"
    events = pipeline.process_text(
        "France will expel the Malian ambassador unless the junta apologises."
    ).events
    assert [e.type for e in events] == ["THREATEN"]


def test_welcoming_a_person_is_hosting_and_welcoming_their_proposal_is_support(pipeline):
    assert _types(
        pipeline, "Tokayev welcomed his Uzbek counterpart at the presidential residence in Astana."
    ) == ["CONSULT"]
    text = "Kazakh President Tokayev welcomed the Uzbek president's proposal for a joint commission."
    assert _types(pipeline, text) == ["SUPPORT"]


def test_what_a_law_targets_is_not_attacked(pipeline):
    assert "ASSAULT" not in _types(
        pipeline, "Unions marched against a presidential decree targeting their funds."
    )
    assert "ASSAULT" in _types(pipeline, "Russian drones targeted the port of Odesa overnight.")


def test_seeking_election_is_running_not_asking(pipeline):
    assert "REQUEST" not in _types(
        pipeline, "The court barred the Venezuelan opposition leader from seeking election."
    )
    assert "REQUEST" in _types(
        pipeline, "Venezuelan protesters are seeking democratic reforms from the government."
    )


def test_saying_there_will_be_consequences_threatens(pipeline):
    assert "THREATEN" in _types(
        pipeline, "The French government said there would be serious consequences for Niger."
    )
    assert "THREATEN" not in _types(
        pipeline, "The consequences of the Russian invasion were felt across Europe."
    )


def test_a_legislature_voting_a_president_out_coerces_him(pipeline):
    text = "Ecuador's National Assembly approved a motion of impeachment against President Lasso."
    assert "COERCE" in _types(pipeline, text)
    assert "COERCE" not in _types(pipeline, "The Kenyan parliament approved the budget.")


@pytest.mark.parametrize(
    "text",
    [
        "Terming the verdict a stab in the back, the opposition leader said he would appeal.",
        "The senator branded the inquiry a witch hunt.",
    ],
)
def test_naming_an_act_a_wrong_condemns_it(pipeline, text):
    assert "ACCUSE" in _types(pipeline, text)
