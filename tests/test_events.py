"""Event coding: types, actors from the parse, status, reported speech, evidence.

These are tests of the sentence coder (``sentence_pipeline``: no document stage); the
document stage, which makes article-level records of its events, is tested in test_document."""

from __future__ import annotations

import pytest


def _events(sentence_pipeline, text, date="2026-02-10"):
    return sentence_pipeline.process_text(text, date=date).events


def _find(events, type_, status=None):
    found = [e for e in events if e.type == type_ and (status is None or e.status == status)]
    assert found, [(e.type, e.status, e.trigger.text) for e in events]
    return found[0]


def test_reported_intent_to_meet(sentence_pipeline):
    events = _events(sentence_pipeline, "Rubio said Trump would agree to meet Khamenei.")
    event = _find(events, "AGREE", "intended")
    assert event.cameo == "036"
    assert (event.source.country, event.source.sectors[0]) == ("USA", "GOV")
    assert (event.target.country, event.target.sectors[0]) == ("IRN", "GOV")
    assert event.reported_by is not None and event.reported_by.name == "Marco Rubio"


@pytest.mark.parametrize(
    ("text", "type_", "status"),
    [
        ("Azerbaijani troops did not attack Armenian positions on Sunday.", "ASSAULT", "negated"),
        ("Israeli officials said the army could launch strikes on Hezbollah.", "ASSAULT", "hypothetical"),
        ("Russia threatened to strike Ukrainian energy facilities.", "ASSAULT", "threatened"),
        ("Azerbaijan accused Armenia of shelling its border villages.", "ASSAULT", "alleged"),
        ("Iran refused to join the talks with the United States.", "CONSULT", "refused"),
        # a conditional promise to withdraw is PLOVER's AGREE (CAMEO 035), kept conditional
        (
            "Turkey will withdraw its troops from Syria if the Kurdish militias disarm.",
            "AGREE",
            "conditional",
        ),
    ],
)
def test_status(sentence_pipeline, text, type_, status):
    events = _events(sentence_pipeline, text)
    event = _find(events, type_)
    assert event.status == status, [(e.type, e.status) for e in events]


def test_no_hypothetical_attack_is_recorded_as_happened(sentence_pipeline):
    text = (
        "The deployment is intended to deter potential Iranian attacks on US personnel. "
        "Azerbaijani troops did not attack Armenian positions. "
        "Baku denied that its warplanes had bombed the village."
    )
    for event in _events(sentence_pipeline, text):
        if event.type == "ASSAULT":
            assert event.status != "happened", event


def test_refusal_is_a_rejection(sentence_pipeline):
    event = _find(
        _events(sentence_pipeline, "The US will not allow Iran to acquire nuclear weapons."), "REJECT"
    )
    assert event.status == "happened"
    assert event.source.country == "USA" and event.target.country == "IRN"
    assert "cbrn" in event.context


def test_accusation_and_governed_events(sentence_pipeline):
    events = _events(sentence_pipeline, "Azerbaijan accused Armenia of shelling its border villages.")
    accuse = _find(events, "ACCUSE", "happened")
    assert accuse.source.country == "AZE" and accuse.target.country == "ARM"
    assault = _find(events, "ASSAULT")
    assert assault.source.country == "ARM"


def test_passive_agent_is_the_source(sentence_pipeline):
    event = _find(
        _events(sentence_pipeline, "Two Ukrainian soldiers were killed by Russian drones near Kharkiv."),
        "ASSAULT",
    )
    assert event.source.country == "RUS" and event.target.country == "UKR"


def test_nominal_trigger_with_possessive_and_destination(sentence_pipeline):
    event = _find(_events(sentence_pipeline, "Starmer's visit to Beijing angered Washington."), "CONSULT")
    assert event.mode == "visit" and event.cameo == "042"
    assert event.source.country == "GBR" and event.target.country == "CHN"


def test_coordinated_sources_fan_out(sentence_pipeline):
    events = _events(sentence_pipeline, "France and Germany condemned the Russian missile attack on Kyiv.")
    accusers = {e.source.country for e in events if e.type == "ACCUSE"}
    assert accusers == {"FRA", "DEU"}


def test_reciprocal_talks(sentence_pipeline):
    events = _events(
        sentence_pipeline, "Talks between Armenia and Azerbaijan resumed in Washington on Monday."
    )
    pairs = {(e.source.country, e.target.country) for e in events if e.type == "CONSULT"}
    assert {("ARM", "AZE"), ("AZE", "ARM")} <= pairs


def test_codes_and_evidence(sentence_pipeline):
    text = "Israeli warplanes struck Hezbollah positions in southern Lebanon on Tuesday."
    event = _find(_events(sentence_pipeline, text), "ASSAULT")
    assert event.cameo.startswith("19") and event.quad_class == 4 and event.goldstein < 0
    assert event.mode == "aerial"
    assert text[event.trigger.start : event.trigger.end] == event.trigger.text == "struck"
    assert event.sentence.start == 0 and 0 < event.confidence <= 1
    assert event.source.sectors[0] == "MIL" and event.target.name == "Hezbollah"


def test_uncoded_events_are_dropped_unless_asked(sentence_pipeline):
    from communique.pipeline import Pipeline

    text = "Smith met Jones at the cafe on Monday."
    assert _events(sentence_pipeline, text) == []
    keep = Pipeline(keep_uncoded=True)
    assert keep.process_text(text).events


# -- the seed article (../shared/seed/expected.md) -------------------------------------------
def _pair(event):
    return (event.source.country if event.source else None, event.target.country if event.target else None)


def test_seed_events(seed_result):
    events = seed_result.events

    def has(types, source=None, target=None, statuses=None, trigger=None):
        for e in events:
            if e.type not in types:
                continue
            if source and (e.source is None or e.source.country != source):
                continue
            if target and (e.target is None or e.target.country != target):
                continue
            if statuses and e.status not in statuses:
                continue
            if trigger and trigger not in e.trigger.text:
                continue
            return e
        raise AssertionError(
            f"no {types} {source}->{target} {statuses}: {[(e.type, _pair(e), e.status) for e in events]}"
        )

    # 1 Trump -> Khamenei: intent to meet, not a meeting that happened
    has({"AGREE", "CONSULT"}, "USA", "IRN", {"intended", "conditional"})
    # 2 the second carrier
    has({"MOBILIZE"}, "USA", None, {"happened"}, trigger="deploy")
    # 3 will not allow Iran to acquire nuclear weapons
    has({"REJECT", "THREATEN"}, "USA", "IRN")
    # 5 Starmer's visit to Beijing
    has({"CONSULT"}, "GBR", "CHN", {"happened"})
    # 6 Trump met Xi
    has({"CONSULT"}, "USA", "CHN", {"happened"}, trigger="met")
    # 7 Trump plans to visit Beijing
    has({"CONSULT", "AGREE"}, "USA", "CHN", {"intended"}, trigger="visit")
    # 4 Witkoff and Kushner: a possible engagement, not one that happened
    witkoff = [e for e in events if e.source and e.source.name == "Steve Witkoff"]
    assert witkoff and all(e.status != "happened" for e in witkoff)


def test_seed_must_not_appear_as_happened(seed_result):
    for event in seed_result.events:
        pair = _pair(event)
        if event.type == "ASSAULT":
            assert event.status != "happened", event
        if event.type == "CONSULT" and set(pair) == {"USA", "IRN"}:
            assert event.status != "happened", event
        assert not (
            event.source
            and event.source.country == "IRN"
            and event.status == "happened"
            and event.type in ("ASSAULT", "MOBILIZE", "COOPERATE", "AID")
        ), event


@pytest.mark.parametrize(
    ("text", "type_", "country"),
    [
        # a stative passive: the subject holds the stance
        ("The minister said Vietnam is committed to opening up the economy.", "AGREE", "VNM"),
        # the owner of the subject noun acts
        ("Recent US Predator attacks have killed eight militant leaders.", "ASSAULT", "USA"),
        # a role the sentence places in its only country
        ("The government of Sindh province has ordered patrols by police.", "MOBILIZE", "PAK"),
        # a verb the parse leaves without a subject: the actors right before it
        (
            "With the signing of a Memorandum of Understanding, the Sudanese government and "
            "the rebels have agreed to allow humanitarian access.",
            "AGREE",
            "SDN",
        ),
        # a placed head codes its unplaced examples
        ("Russian aircraft including helicopter gunships killed 46 civilians.", "ASSAULT", "RUS"),
        # who issued the declaration demands
        (
            "The rebel Kurdistan Workers' Party issued a declaration demanding that the Turkish "
            "government release its leader.",
            "REQUEST",
            "TUR",
        ),
        # a purpose infinitive has the main subject
        ("Palestinians of the West Bank shunned work on Monday to protest at the settlements.", None, "PSE"),
    ],
)
def test_sources_the_parse_leaves_behind(sentence_pipeline, text, type_, country):
    events = _events(sentence_pipeline, text, date="2000-01-01")
    event = _find(events, type_) if type_ else max(events, key=lambda e: e.confidence)
    assert event.source is not None and event.source.country == country, event.source


def test_coordinated_actors_with_their_own_ties_are_reciprocal(sentence_pipeline):
    text = "Czechia and Albania have upgraded their diplomatic ties to ambassadorial level."
    pairs = {
        (e.source.country, e.target.country) for e in _events(sentence_pipeline, text) if e.type == "SUPPORT"
    }
    assert pairs == {("CZE", "ALB"), ("ALB", "CZE")}


def test_argument_phrases_are_the_whole_arguments(sentence_pipeline):
    text = "Former prime minister Shimon Peres blamed Netanyahu's hardline policies for the tensions."
    event = _find(_events(sentence_pipeline, text), "ACCUSE")
    assert event.target is not None and event.target.text == "Netanyahu"
    assert event.target_phrase is not None and event.target_phrase.text == "Netanyahu's hardline policies"
    assert (
        event.source_phrase is not None and event.source_phrase.text == "Former prime minister Shimon Peres"
    )


def test_target_phrase_without_a_target_actor(sentence_pipeline):
    event = _find(
        _events(
            sentence_pipeline,
            "Burma has agreed to allow international aid into the areas devastated by the storm.",
        ),
        "RETREAT",
    )
    assert event.target_phrase is not None and event.target_phrase.text == "the areas devastated by the storm"


def test_light_verb_dative_and_on_targets(sentence_pipeline):
    event = _find(
        _events(sentence_pipeline, "Ecuador has granted political asylum to Julian Assange."), "AID"
    )
    assert event.target is not None and event.target.text == "Julian Assange"
    event = _find(
        _events(sentence_pipeline, "US launched cyber attacks on Iran after the drone shootdown."), "COERCE"
    )
    assert event.target is not None and event.target.country == "IRN"


def test_targets_of_a_verbs_object_event_and_no_dates(sentence_pipeline):
    events = _events(
        sentence_pipeline,
        "Israel's air force carried out strikes Friday evening against Hamas targets in Gaza.",
    )
    event = _find(events, "ASSAULT")
    assert event.target_phrase is not None and event.target_phrase.text.startswith("Hamas targets")
    events = _events(
        sentence_pipeline, "The Afghan government said on Wednesday it would free 1,500 Taliban prisoners."
    )
    for event in events:
        assert event.target_phrase is None or "Wednesday" not in event.target_phrase.text


def test_coordinated_actors_agreeing_on_a_thing_agree_with_each_other(sentence_pipeline):
    events = _events(sentence_pipeline, "Chile and Peru have agreed on a common text.")
    pairs = {(e.source.text, e.target.text) for e in events if e.type == "AGREE" and e.target is not None}
    assert pairs == {("Chile", "Peru"), ("Peru", "Chile")}
    # a demand that two sides agree is the speaker's request, not their agreement
    events = _events(
        sentence_pipeline, "Straw said the Sudanese government and the rebels must agree to a text."
    )
    assert not [e for e in events if e.type == "AGREE" and e.target is not None and e.target.text == "rebels"]


def test_people_set_free_receive_the_release(sentence_pipeline):
    events = _events(sentence_pipeline, "Syrian authorities have freed prominent blogger Razan Ghazzawi.")
    event = _find(events, "RETREAT")
    assert event.target is not None and "Razan Ghazzawi" in event.target.text
    # what is withdrawn is still a theme, not the target
    events = _events(sentence_pipeline, "Russia has begun withdrawing some of its troops from Syria.")
    event = _find(events, "RETREAT")
    assert event.target is not None and event.target.country == "SYR"


def test_refusal_targets(sentence_pipeline):
    # the actor allowed (or not) to act, one complement down
    events = _events(sentence_pipeline, "Russia refused to allow two EU-based airlines to land flights.")
    event = _find(events, "REJECT")
    assert event.target is not None and "airlines" in event.target.text
    # who must meet the condition of a refusal
    events = _events(
        sentence_pipeline, "Obama has said he will not lift the embargo until Cuba undertakes reforms."
    )
    event = _find(events, "REJECT")
    assert event.target is not None and event.target.country == "CUB"
    # failing to agree is mutual
    events = _events(
        sentence_pipeline, "The United States and South Korea failed to reach agreement on a trade deal."
    )
    pairs = {(e.source.country, e.target.country) for e in events if e.type == "REJECT" and e.target}
    assert pairs == {("USA", "KOR"), ("KOR", "USA")}


def test_an_apposition_renames_a_placed_target(sentence_pipeline):
    events = _events(sentence_pipeline, "Hezbollah threatened to shell Haifa, Israel's third largest city.")
    event = _find(events, "THREATEN")
    assert event.target is not None and event.target.text == "Haifa"


@pytest.mark.parametrize(
    "text, pair",
    [
        ("Russia and Turkey's foreign ministers met briefly today.", ("RUS", "TUR")),
        ("Nigerian and British armed forces have agreed to hold a joint exercise.", ("NGA", "GBR")),
        ("Jordan and the United States began a new round of joint military exercises.", ("JOR", "USA")),
    ],
)
def test_coordinated_places_of_one_role_act_on_each_other(sentence_pipeline, text, pair):
    events = _events(sentence_pipeline, text)
    pairs = {(e.source.country, e.target.country) for e in events if e.source and e.target}
    assert pair in pairs and pair[::-1] in pairs


def test_partners_topics_and_recipients(sentence_pipeline):
    events = _events(
        sentence_pipeline, "Erdogan discussed Libya with U.S. President Donald Trump in a phone call."
    )
    assert {e.target.country for e in _events_of(events, "CONSULT")} == {"USA"}
    events = _events(sentence_pipeline, "Trump and Putin have agreed to share information on North Korea.")
    assert not [e for e in events if e.target and e.target.country == "PRK"]
    events = _events(
        sentence_pipeline, "Germany gave 352.5 million euros to promote development in Ethiopia."
    )
    assert _find(events, "AID").target.country == "ETH"


def _events_of(events, type_):
    return [e for e in events if e.type == type_ and e.target is not None]


def test_the_object_of_praise_owns_the_reason(sentence_pipeline):
    events = _events(
        sentence_pipeline, "The African Union praised Ethiopia for its role in the peace process."
    )
    praise = [e for e in events if e.type == "SUPPORT"]
    assert [e.target.country for e in praise] == ["ETH"]


def test_a_place_of_the_act_is_no_second_target(sentence_pipeline):
    events = _events(sentence_pipeline, "Israeli warplanes struck a Hamas training camp in Gaza.")
    strikes = [e for e in events if e.type == "ASSAULT"]
    assert len(strikes) == 1 and "camp" in strikes[0].target.text
    events = _events(sentence_pipeline, "Israeli warplanes struck targets in Gaza.")
    assert _find(events, "ASSAULT").target.country == "PSE"


def test_ground_handed_over_goes_to_the_receiver(sentence_pipeline):
    events = _events(sentence_pipeline, "Armenia handed over the Kalbajar district to Azerbaijan.")
    event = _find(events, "RETREAT")
    assert (event.source.country, event.target.country) == ("ARM", "AZE")


def test_crowds_protest_where_governments_accuse(sentence_pipeline):
    events = _events(
        sentence_pipeline, "Hundreds of Palestinians protested in Gaza against Israeli settlement expansion."
    )
    assert _find(events, "PROTEST").source.country == "PSE"
    events = _events(
        sentence_pipeline, "A crowd of 10,000 gathered in Manila to call for the ouster of President Estrada."
    )
    assert _find(events, "PROTEST").source.country == "PHL"
    # an unplaced crowd is of the place where it acts
    events = _events(
        sentence_pipeline, "Demonstrators burned American flags in front of the US embassy in Karachi."
    )
    assert _find(events, "PROTEST").source.country == "PAK"
    events = _events(sentence_pipeline, "Dozens of prisoners went on hunger strike at a jail in Ankara.")
    assert _find(events, "PROTEST").source.country == "TUR"


def test_an_unattributed_attack_has_an_unidentified_actor_of_its_place(sentence_pipeline):
    events = _events(
        sentence_pipeline, "A roadside bombing near the town of Samarra on Sunday killed one U.S. soldier."
    )
    killed = [e for e in events if e.trigger.text == "killed"]
    assert killed and killed[0].source.country == "IRQ" and killed[0].source.kind == "unidentified"
    assert killed[0].source.text == "A roadside bombing" and "UAF" in killed[0].source.sectors
    # nothing placed, nothing invented
    events = _events(sentence_pipeline, "A roadside bomb killed one soldier on Sunday.")
    assert all(e.source is None or e.source.country is None for e in events if e.type == "ASSAULT")


def test_what_is_received_is_done_to_the_subject(sentence_pipeline):
    events = _events(
        sentence_pipeline, "Iran's government faces criticism from the U.N. over its detention of activists."
    )
    event = _find(events, "ACCUSE")
    assert (event.source.country, event.target.country) == ("UNO", "IRN")
    event = _find(_events(sentence_pipeline, "Ukraine received military aid from Germany."), "AID")
    assert (event.source.country, event.target.country) == ("DEU", "UKR")


def test_forces_moved_are_no_target(sentence_pipeline):
    events = _events(sentence_pipeline, "US troops were withdrawn from northern Syria.")
    event = _find(events, "RETREAT")
    assert (event.source.country, event.target.country) == ("USA", "SYR")


def test_what_an_event_without_a_target_is_done_to(sentence_pipeline):
    events = _events(sentence_pipeline, "The Africa Union agreed to establish an interim peacekeeping force.")
    assert "interim peacekeeping force" in _find(events, "AGREE").target_phrase.text
    # a state of siege is no government; what is declared holds the place
    events = _events(
        sentence_pipeline, "Bolivian authorities declared a state of siege in Bolivia on Friday."
    )
    event = _find(events, "COERCE")
    assert event.target is None and "Bolivia" in event.target_phrase.text
    # an act on an area: where it happens
    events = _events(
        sentence_pipeline,
        "Prime Minister Andrew Holness said the government will extend the curfew in Jamaica.",
    )
    assert [e.target_phrase.text for e in events if e.type in ("COERCE", "THREATEN")][:1] == ["Jamaica"]


def test_a_mediation_between_two_sides_is_received_by_both(sentence_pipeline):
    events = _events(
        sentence_pipeline,
        "Russia's president, Mr Vladimir Putin, launched a mediation effort between India and Pakistan.",
    )
    mediation = [e for e in events if e.type == "CONSULT"]
    assert {e.target.country for e in mediation} == {"IND", "PAK"}
    assert {e.source.country for e in mediation} == {"RUS"}
    assert all(e.target_phrase.text == "India and Pakistan" for e in mediation)


def test_the_main_clause_event_is_the_news(sentence_pipeline):
    from communique.evaluation.scoring import top_event

    result = sentence_pipeline.process_text(
        "Georgian President Eduard Shevardnadze resigned Sunday as the opposition threatened to storm his residence."
    )
    assert top_event(result).type == "RETREAT"
    result = sentence_pipeline.process_text(
        "Thousands of people demonstrated in Belgrade demanding the resignation of President Milosevic."
    )
    assert top_event(result).type == "PROTEST"


def test_multiword_and_hyphenated_triggers(sentence_pipeline):
    events = _events(sentence_pipeline, "Hundreds of Palestinians took to the streets of Ramallah.")
    assert _find(events, "PROTEST").trigger.text == "took to the streets"
    events = _events(sentence_pipeline, "Pakistan test-fired a nuclear-capable missile on Wednesday.")
    assert _find(events, "MOBILIZE").trigger.text == "test-fired"
    assert not [e for e in events if e.type == "ASSAULT"]  # 'fired ... on Wednesday' is no 'fire on'


def test_a_conditional_refusal_is_still_a_refusal(sentence_pipeline):
    events = _events(
        sentence_pipeline, "Syria says it will not accept any more refugees if war starts in Iraq."
    )
    assert [e.type for e in events if e.trigger.text == "accept"] == ["REJECT"]
    events = _events(
        sentence_pipeline, "Croatia agreed to allow U.N. peacekeepers to remain on its territory."
    )
    assert _find(events, "AGREE").target.country == "UNO"


def test_a_vow_to_fight_is_a_threat(sentence_pipeline):
    events = _events(sentence_pipeline, "Hamas vowed to continue fighting until the occupation ends.")
    assert [e.type for e in events if e.trigger.text == "vowed"] == ["THREATEN"]


def test_an_act_only_a_state_does_has_the_authorities_of_its_place(sentence_pipeline):
    text = "A Christian missionary from Calgary was arrested in Lebanon for collaborating with Israel."
    event = _find(_events(sentence_pipeline, text, date="2000-01-01"), "COERCE")
    assert (event.source.country, event.source.sectors, event.source.kind) == ("LBN", ["COP"], "unidentified")
    assert event.source.text == "arrested"  # the evidence is the act itself


def test_those_who_would_act_are_the_target_of_a_ban(sentence_pipeline):
    for text in (
        "Turkish police prevented the demonstration staged by students in Sivas.",
        "Police banned a march by opposition supporters in Harare.",
    ):
        event = _find(_events(sentence_pipeline, text), "COERCE")
        assert event.source.sectors == ["COP"]
        assert event.target is not None and event.target.sectors in (["EDU"], ["OPP"])


def test_a_protest_nobody_is_named_for_has_the_people_of_its_place(sentence_pipeline):
    event = _find(
        _events(sentence_pipeline, "Riots broke out in Lagos on Monday over fuel prices."), "PROTEST"
    )
    assert (event.source.country, event.source.sectors, event.source.kind) == ("NGA", ["CVL"], "unidentified")


def test_a_participle_joined_to_the_object_shares_the_subject(sentence_pipeline):
    text = (
        "The military government declared a state of siege in Haiti on Saturday, "
        "suspending parts of the constitution and arresting politicians."
    )
    arrests = [
        e for e in _events(sentence_pipeline, text, date="1990-01-20") if e.trigger.text == "arresting"
    ]
    assert arrests and arrests[0].source is not None and arrests[0].source.country == "HTI"


def test_an_unplaced_object_is_placed_where_it_stands(sentence_pipeline):
    text = "The Islamic State attacked an army camp in western Kabul."
    event = _find(_events(sentence_pipeline, text), "ASSAULT")
    assert (event.target.text, event.target.country) == ("army camp", "AFG")


def test_an_object_parsed_as_the_subject_of_an_infinitive(sentence_pipeline):
    text = "Bolivian authorities declared a state of siege in Bolivia to begin at midnight Friday."
    event = _find(_events(sentence_pipeline, text, date="2000-01-01"), "COERCE")
    assert event.source.country == "BOL" and event.target_phrase.text == "Bolivia"


def test_a_pronoun_named_in_its_sentence_is_reported_as_the_name(sentence_pipeline):
    text = "The Afghan government said on Wednesday it would free 1,500 Taliban prisoners."
    event = _find(_events(sentence_pipeline, text), "AGREE")
    assert event.source.text == "Afghan government" and event.source_phrase.text == "The Afghan government"
    # named only in an earlier sentence: the pronoun stays, with the entity's codes
    events = _events(sentence_pipeline, "Germany criticised the plan. It said it would free the prisoners.")
    later = [e for e in events if e.sentence.start > 0 and e.source is not None]
    assert later and all(e.source.text.lower() == "it" and e.source.country == "DEU" for e in later)


def test_who_attends_a_meeting_is_its_source(sentence_pipeline):
    text = "White House senior adviser Jared Kushner attends a Cabinet meeting in Washington."
    event = _find(_events(sentence_pipeline, text), "CONSULT")
    assert event.source.text.endswith("Jared Kushner") and event.target_phrase.text == "Washington"


def test_petition_drives_and_opened_bridges(sentence_pipeline):
    text = "The Homeland Union began collecting signatures to make the Lithuanian Parliament amend the constitution."
    assert _find(_events(sentence_pipeline, text), "PROTEST").source.country == "LTU"
    text = "Uzbekistan opened the Friendship Bridge to allow the delivery of grain to Afghanistan."
    assert _find(_events(sentence_pipeline, text), "RETREAT").mode == "access"


def test_letting_refugees_return_is_a_yield(sentence_pipeline):
    text = "Turkey will allow 13,000 Kurdish refugees to return home as part of a deal."
    event = _find(_events(sentence_pipeline, text), "AGREE", "intended")  # a promised RETREAT
    assert event.source.country == "TUR"
    assert (
        _find(_events(sentence_pipeline, "Pakistan repatriated 5,000 Afghan refugees."), "RETREAT").mode
        == "release"
    )


def test_a_host_acts_on_the_parties_of_the_meeting_it_holds(sentence_pipeline):
    events = [
        e for e in _events(sentence_pipeline, "Qatar hosted talks between the United States and the Taliban.")
    ]
    assert {(e.source.country, e.target.country) for e in events if e.type == "CONSULT"} == {
        ("QAT", "USA"),
        ("QAT", "AFG"),
    }
    # without a host the parties meet each other
    events = _events(sentence_pipeline, "Talks between Russia and Ukraine resumed.")
    assert {(e.source.country, e.target.country) for e in events} == {("RUS", "UKR"), ("UKR", "RUS")}


def test_who_says_someone_must_not_be_allowed_refuses_them(sentence_pipeline):
    text = (
        "Canadian Prime Minister Jean Chretien said Monday that Iraqi President Saddam Hussein "
        "could not be allowed to flout United Nations inspections."
    )
    event = _find(_events(sentence_pipeline, text, date="1998-02-02"), "REJECT")
    assert (event.source.country, event.target.country) == ("CAN", "IRQ")
    # who is allowed in is the target of the permission, not its source
    event = _find(_events(sentence_pipeline, "Iran will allow IAEA inspectors to visit the site."), "AGREE")
    assert (event.source.country, event.target.country) == ("IRN", "UNO")


@pytest.mark.parametrize(
    ("text", "type_", "target"),
    [
        # a demand whose demanded act is no trigger, and a demand by 'was needed'
        ("The former prime minister said the Sri Lankan government must ensure security.", "REQUEST", "LKA"),
        (
            "Mike Pompeo said a fundamental reform of the World Health Organization was needed.",
            "REQUEST",
            "UNO",
        ),
        # a hyphenated noun split by the tokenizer; objects joined to an object's 'of'
        ("Afghan President Ashraf Ghani announced a weeklong cease-fire with the Taliban.", "RETREAT", "AFG"),
        (
            "China's health ministry sent a team of medical experts, equipment and drugs to Yemen.",
            "AID",
            "YEM",
        ),
    ],
)
def test_triggers_the_parse_hides(sentence_pipeline, text, type_, target):
    event = _find(_events(sentence_pipeline, text), type_)
    assert event.target is not None and event.target.country == target


def test_troops_sent_to_keep_the_peace_are_aid(sentence_pipeline):
    event = _find(
        _events(
            sentence_pipeline, "The US military sent 200 troops to Syria to serve as a peacekeeping force."
        ),
        "AID",
    )
    assert (event.cameo, event.source.country, event.target.country) == ("074", "USA", "SYR")
    assert _events(sentence_pipeline, "Russia deployed troops to the border.")[0].type == "MOBILIZE"


def test_an_ordered_release_is_the_release(sentence_pipeline):
    text = (
        "A Brazilian federal judge on Monday ordered the release of former President Michel Temer from jail."
    )
    events = _events(sentence_pipeline, text, date="2019-03-25")
    event = _find(events, "RETREAT")
    assert (event.mode, event.source.sectors, event.target.country) == ("release", ["JUD"], "BRA")
    assert not [e for e in events if e.type == "REQUEST"]
    # an order to others to act stays a demand; a press release of a report is no event
    assert _find(_events(sentence_pipeline, "The president ordered the troops to withdraw."), "REQUEST")
    assert not _events(sentence_pipeline, "The government announced the release of the annual report.")


def test_what_someone_must_do_has_not_happened(sentence_pipeline):
    text = "Activists staged rallies in the Gaza Strip against Mahmoud Abbas, saying he must resign."
    events = _events(sentence_pipeline, text)
    assert _find(events, "RETREAT").status == "hypothetical"
    # 'staged' (lemmatised 'stag' by the model) carries the rallies; the demand is part of them
    top = max(events, key=lambda e: e.confidence)
    assert top.type == "PROTEST" and top.trigger.text == "rallies"


def test_who_judges_an_act_is_not_its_actor(sentence_pipeline):
    for text, type_ in (
        ("Iran condemned the attack on its embassy.", "ASSAULT"),
        ("China criticised the sanctions.", "COERCE"),
    ):
        judged = [e for e in _events(sentence_pipeline, text) if e.type == type_]
        # the act judged is not its judge's; condemning it alleges nothing (only an
        # accusation does: 'accused Azerbaijan of shelling'), so it happened
        assert all(e.source is None for e in judged) and all(e.status == "happened" for e in judged)
    # a light verb's subject still does the act
    assert (
        _find(_events(sentence_pipeline, "Russia launched an attack on Kyiv."), "ASSAULT").source.country
        == "RUS"
    )


def test_an_event_in_a_relative_clause_is_background(sentence_pipeline):
    text = (
        "The chairman of the African Union Commission has condemned the attacks, "
        "which have seen scores of people arrested in Johannesburg."
    )
    top = max(_events(sentence_pipeline, text), key=lambda e: e.confidence)
    assert top.type == "ACCUSE" and top.trigger.text == "condemned"


def _top(sentence_pipeline, text):
    return max(_events(sentence_pipeline, text), key=lambda e: e.confidence)


def test_an_order_moving_units_is_a_deployment_and_an_order_to_act_is_that_act(sentence_pipeline):
    top = _top(
        sentence_pipeline, "Hugo Chavez ordered ten army battalions to the border with Colombia on Sunday."
    )
    assert (top.type, top.source.country) == ("MOBILIZE", "VEN")
    # a clause after the destination is the purpose of the deployment
    text = "President George Bush ordered U.S. warplanes to Saudi Arabia on Wednesday to defend the kingdom."
    assert _top(sentence_pipeline, text).type == "MOBILIZE"
    events = _events(sentence_pipeline, "The president ordered troops to withdraw from the town.")
    assert not [e for e in events if e.type == "MOBILIZE"]
    assert _find(events, "RETREAT")


def test_a_crowd_marching_on_a_palace_protests_and_troops_marching_on_a_town_attack(sentence_pipeline):
    text = "Thousands of Argentines marched on the presidential palace in Buenos Aires on Wednesday."
    assert _top(sentence_pipeline, text).type == "PROTEST"
    assert _top(sentence_pipeline, "Rebel fighters marched on the capital.").type == "ASSAULT"


def test_a_strikes_demand_is_part_of_the_strike(sentence_pipeline):
    text = (
        "Tens of thousands of South Korean workers went on strike in Ulsan on Monday, demanding higher wages."
    )
    top = _top(sentence_pipeline, text)
    assert (top.type, top.source.country) == ("PROTEST", "KOR")


def test_withdrawing_from_a_named_place_and_refusing_to(sentence_pipeline):
    israel = _find(_events(sentence_pipeline, "Israel withdrew from southern Lebanon in May."), "RETREAT")
    assert (israel.source.country, israel.target.country) == ("ISR", "LBN")
    text = "Saddam Hussein said on Sunday that Iraq would never withdraw from Kuwait."
    refusal = _find(_events(sentence_pipeline, text), "REJECT")
    assert (refusal.source.country, refusal.target.country) == ("IRQ", "KWT")


def test_giving_no_aid_is_a_refusal_not_a_promise(sentence_pipeline):
    text = "Albright said the United States would give no reconstruction aid to Serbia while Milosevic remained in power."
    events = _events(sentence_pipeline, text)
    assert not [e for e in events if e.type in ("AID", "AGREE")]
    assert _find(events, "REJECT").target.country == "SRB"


def test_a_particle_verb_keeps_its_object_and_recipient(sentence_pipeline):
    event = _find(
        _events(sentence_pipeline, "Britain handed Hong Kong back to China at midnight on Monday."), "RETREAT"
    )
    assert (event.source.country, event.target.country) == ("GBR", "CHN")
    text = "More than 2,000 fighters of the AUC paramilitary group handed in their weapons in Colombia on Friday."
    event = _find(_events(sentence_pipeline, text), "RETREAT")
    assert event.mode == "disarm" and event.trigger.text == "handed in"


def test_a_past_participle_acts_on_the_noun_it_describes(sentence_pipeline):
    text = "Two Italian aid workers abducted in southern Somalia last month were freed unharmed on Sunday."
    events = _events(sentence_pipeline, text)
    # 'aid workers' names who they are, not an act of aid
    assert not [e for e in events if e.type == "AID"]
    abduction = _find(events, "ASSAULT")
    assert abduction.source is None or abduction.source.country != "ITA"
    assert abduction.target.country == "ITA"


def test_a_participle_after_the_main_clause_is_background(sentence_pipeline):
    text = (
        "Slobodan Milosevic conceded defeat in Yugoslavia's presidential election on Friday, "
        "congratulating opposition leader Vojislav Kostunica."
    )
    assert _top(sentence_pipeline, text).type == "CONCEDE"


def test_recognising_a_named_state_and_admitting_defeat(sentence_pipeline):
    text = "The European Community recognised Slovenia and Croatia as independent states on Wednesday."
    events = [e for e in _events(sentence_pipeline, text) if e.type == "SUPPORT"]
    assert {e.target.country for e in events} == {"SVN", "HRV"} and {e.cameo for e in events} == {"054"}
    assert _top(sentence_pipeline, "The Tamil Tigers admitted defeat on Sunday.").type == "CONCEDE"


def test_ordering_diplomats_out_is_an_expulsion_and_a_reason_is_background(sentence_pipeline):
    text = (
        "The Soviet Union ordered five American diplomats to leave the country on Sunday "
        "in retaliation for the expulsion of Soviet officials from the United States."
    )
    top = _top(sentence_pipeline, text)
    assert (top.type, top.mode, top.source.country, top.target.country) == ("SANCTION", "expel", "RUS", "USA")


def test_a_weapon_slamming_into_a_place_is_an_attack_not_criticism(sentence_pipeline):
    events = _events(
        sentence_pipeline, "A mortar shell slammed into a crowded marketplace in Sarajevo on Saturday."
    )
    assert _find(events, "ASSAULT") and not [e for e in events if e.type == "ACCUSE"]


def test_who_is_deployed_deploys_when_the_noun_names_no_one_else(sentence_pipeline):
    text = "The deployment of thousands of Russian troops to Belarus began on Monday."
    event = _find(_events(sentence_pipeline, text), "MOBILIZE")
    assert (event.source.country, event.target.country) == ("RUS", "BLR")


def test_a_word_inside_an_actor_name_is_no_event(sentence_pipeline):
    text = "About 1,000 Iranian prisoners of war were handed over by Iraq at the border crossing on Friday."
    events = _events(sentence_pipeline, text)
    assert not [e for e in events if e.type == "ASSAULT"]
    release = _find(events, "RETREAT")
    assert (release.mode, release.source.country, release.target.country) == ("release", "IRQ", "IRN")


def test_a_city_before_an_agreement_names_where_not_who(sentence_pipeline):
    text = "Foday Sankoh signed the Lome peace agreement with President Ahmad Tejan Kabbah on Wednesday."
    event = _find(_events(sentence_pipeline, text), "SUPPORT")
    assert event.source.country == "SLE"


def test_what_is_investigated_is_not_what_happened(sentence_pipeline):
    text = (
        "UN officials began investigating on Friday whether Israel deliberately shelled the compound at Qana."
    )
    shelling = _find(_events(sentence_pipeline, text), "ASSAULT")
    assert shelling.status != "happened"


def test_material_aid_and_eased_closures(sentence_pipeline):
    oil = _find(
        _events(sentence_pipeline, "Moscow delivered 100,000 tonnes of oil to Nicaragua last month."), "AID"
    )
    assert (oil.source.country, oil.target.country) == ("RUS", "NIC")
    text = "Israel eased its closure of the West Bank and Gaza Strip on Sunday."
    assert _top(sentence_pipeline, text).type == "CONCEDE"


def test_the_main_clause_subject_is_a_marked_fallback_source(sentence_pipeline):
    # 'shortened ... the nightly curfew': the parser makes 'curfew' the subject of 'toppled';
    # the main clause's subject is the best guess, marked as such and ranked lower
    text = (
        "President Omar El Bashir on Thursday shortened by one hour the nightly curfew imposed "
        "in Sudan after a June 30 coup toppled the civilian government."
    )
    guessed = [
        e
        for e in _events(sentence_pipeline, text, date="1989-08-10")
        if e.source and "main-subject" in e.source.matched
    ]
    assert guessed and all(e.source.country == "SDN" for e in guessed)
    assert all(e.confidence < 0.9 for e in guessed)
    # never the speaker of a report
    events = _events(sentence_pipeline, "Officials said a curfew was imposed in the capital.")
    assert all(e.source is None or "Officials" not in e.source.text for e in events if e.type == "COERCE")


def test_an_infinitive_attached_as_a_clause_is_still_what_is_requested(sentence_pipeline):
    top = _top(
        sentence_pipeline,
        "Robert Mugabe called on Western nations on Friday to impose mandatory sanctions on Pretoria.",
    )
    assert (top.type, top.source.country) == ("REQUEST", "ZWE")
    # a purpose of another act stays news of its own
    text = "Prime minister Ehud Olmert sent Israeli Air Force fighter jets to destroy Syria's reactor."
    assert _top(sentence_pipeline, text).type == "ASSAULT"


def test_refusing_talks_and_promising_hostile_acts(sentence_pipeline):
    text = (
        "Yoweri Museveni said on Saturday he would not hold talks with Joseph Kony's Lord's Resistance Army."
    )
    assert _top(sentence_pipeline, text).type == "REJECT"
    text = "Hezbollah leader Hassan Nasrallah vowed on Friday that his fighters would capture more Israeli soldiers."
    threat = _top(sentence_pipeline, text)
    assert (threat.type, threat.source.country, threat.target.country) == ("THREATEN", "LBN", "ISR")
    # agreeing to stop fighting is no threat
    text = "Armenia and Azerbaijan agreed to halt fighting on Tuesday."
    assert "THREATEN" not in {e.type for e in _events(sentence_pipeline, text)}


def test_what_a_participle_describes_is_its_object_and_a_reason_is_background(sentence_pipeline):
    text = "The first consignment of Stinger missiles supplied by the CIA has reached Afghan mujahideen in Pakistan."
    aid = _find(_events(sentence_pipeline, text), "AID")
    assert aid.source.country == "USA"
    text = (
        "The UN Security Council imposed an arms embargo on Liberia's leaders on Wednesday "
        "for supporting Sierra Leone's Revolutionary United Front rebels."
    )
    assert _top(sentence_pipeline, text).type == "COERCE"


def test_failing_is_no_refusal_without_what_is_refused(sentence_pipeline):
    assert all(
        e.type != "REJECT" for e in _events(sentence_pipeline, "Hamas said the Israeli offensive would fail.")
    )
    assert _find(_events(sentence_pipeline, "Russia and Ukraine failed to agree on a ceasefire."), "REJECT")


def test_a_decided_measure_is_intended_not_threatened(sentence_pipeline):
    events = _events(
        sentence_pipeline, "The EU decided on Monday to impose sanctions on Iranian drone makers."
    )
    assert all(e.type != "THREATEN" for e in events)
    assert any(e.status == "intended" for e in events)
