"""Who did it and to whom, where the parse hides the actor: relative clauses, partitive
subjects, the other side of a fight, multiword event nouns built with 'of'. Sentences
written for each phenomenon of the article-level review."""

from __future__ import annotations


def _pairs(pipeline, text: str) -> list[tuple[str, str | None, str | None]]:
    out = []
    for e in pipeline.process_text(text).events:
        out.append((e.type, e.source.country if e.source else None, e.target.country if e.target else None))
    return out


def test_a_relative_pronoun_subject_is_the_noun_its_clause_describes(pipeline):
    text = "The mission will be led by Kenya, which has pledged 1,000 police officers to Haiti."
    assert ("AGREE", "KEN", "HTI") in _pairs(pipeline, text)


def test_who_after_a_group_of_officials_acts_for_their_country(pipeline):
    text = "Jordan sent its prime minister, who appealed to donors for more aid."
    sources = [s for t, s, _ in _pairs(pipeline, text) if t == "REQUEST"]
    assert sources == ["JOR"]


def test_a_relative_object_is_who_the_act_was_done_to(pipeline):
    events = pipeline.process_text(
        "The army freed the Malian soldiers whom rebels had captured in March."
    ).events
    captured = [e for e in events if e.trigger.text == "captured"]
    assert captured and captured[0].target is not None and captured[0].target.country == "MLI"


def test_justices_are_judges(pipeline):
    text = "Four of seven Brazilian justices voted to convict Bolsonaro for abuse of power."
    events = pipeline.process_text(text).events
    assert events and events[0].source is not None
    assert events[0].source.country == "BRA" and "JUD" in events[0].source.sectors


def test_killed_in_an_exchange_of_fire_with_forces_names_the_attacker(pipeline):
    text = "Two Pakistani soldiers were killed in an exchange of fire with Indian forces in Kashmir."
    assert ("ASSAULT", "IND", "PAK") in _pairs(pipeline, text)


def test_a_noun_phrase_with_of_is_one_trigger(pipeline):
    events = pipeline.process_text("The rebels announced a cessation of hostilities with the army.").events
    assert [e.trigger.text for e in events] == ["cessation of hostilities"]
    assert events[0].type == "RETREAT"


def test_an_object_pronoun_is_the_actor_named_before_it_not_the_subject(pipeline):
    text = "The European Union imposed sanctions on Wagner, accusing it of intimidating civilians in Mali."
    pairs = _pairs(pipeline, text)
    assert ("ACCUSE", "EUR", "RUS") in pairs
    # the accused is who did what it is accused of
    assert any(s == "RUS" and t == "MLI" for _, s, t in pairs)


def test_an_object_pronoun_with_no_actor_before_it_stays_a_thing(pipeline):
    pairs = _pairs(pipeline, "The European Union criticised the new law, calling it discriminatory.")
    assert all(t is None for _, _, t in pairs)


def test_them_needs_a_plural_actor(pipeline):
    text = "Kenyan police arrested dozens of protesters in Nairobi and beat them."
    beat = [e for e in pipeline.process_text(text).events if e.trigger.text == "beat"]
    assert beat and beat[0].target is not None and beat[0].target.text == "protesters"


def test_what_a_titled_person_owns_is_not_part_of_their_name(pipeline):
    text = "The two states signed documents during President of Uzbekistan Shavkat Mirziyoyev's state visit to Kazakhstan."
    visits = [e for e in pipeline.process_text(text).events if e.type == "CONSULT"]
    assert visits and visits[0].source is not None
    assert visits[0].source.text.endswith("Mirziyoyev") and visits[0].target.country == "KAZ"


def test_an_apostrophe_is_no_closing_quote_for_a_pronoun(pipeline):
    text = "Jair Bolsonaro’s career was dealt a blow on Friday after he was barred from public office."
    barred = [e for e in pipeline.process_text(text).events if e.trigger.text == "barred"]
    assert barred and barred[0].target is not None and barred[0].target.country == "BRA"


def test_who_is_seen_doing_an_act_does_it(pipeline):
    text = "President Luis Arce could be seen confronting Zúñiga in La Paz, ordering the Bolivian general to withdraw."
    ordering = [e for e in pipeline.process_text(text).events if e.trigger.text == "ordering"]
    assert ordering and ordering[0].source is not None and ordering[0].source.text == "President Luis Arce"


def test_one_speakers_requests_to_two_bodies_are_two_records(pipeline):
    text = (
        "Bolivian President Luis Arce called on the public to mobilize in defence of democracy, "
        "ordering the army commander to withdraw his soldiers."
    )
    requests = [e for e in pipeline.process_text(text).events if e.type == "REQUEST"]
    assert len(requests) == 2
    assert {tuple(e.target.sectors[:1]) for e in requests if e.target} == {("CVL",), ("MIL",)}


def test_a_verb_joined_right_after_a_subordinate_clause_continues_that_clause(pipeline):
    text = (
        "Mali's government has expelled the French ambassador after the French foreign minister spoke"
        " of the instability and questioned the junta's legitimacy."
    )
    events = pipeline.process_text(text).events
    questioned = [e for e in events if e.trigger.text == "questioned"]
    assert questioned and questioned[0].source is not None and questioned[0].source.country == "FRA"


def test_a_comma_before_and_keeps_the_verb_with_the_main_clause(pipeline):
    text = "Police arrested the opposition leader after protesters gathered, and charged him with treason."
    events = pipeline.process_text(text).events
    charged = [e for e in events if e.trigger.text == "charged"]
    assert charged and charged[0].source is not None and "COP" in charged[0].source.sectors


def test_who_makes_a_request_is_named_after_of(pipeline):
    pairs = _pairs(pipeline, "Kenyan police will lead the mission at the invitation of Haiti.")
    assert any(s == "HTI" and t == "KEN" for _, s, t in pairs)
    pairs = _pairs(pipeline, "The mission came at the request of the Haitian government.")
    assert ("REQUEST", "HTI", None) in pairs


def test_where_a_meeting_was_held_is_not_whom_it_was_with(pipeline):
    pairs = _pairs(pipeline, "Syrian and Turkish officials held a meeting in Kuwait.")
    assert pairs and all(t != "KWT" for _, _, t in pairs)


def test_the_international_community_is_placed_in_no_country(pipeline):
    text = "Kosovo police clashed with Serbs. Vucic said: I beg the international community to act."
    requests = [e for e in pipeline.process_text(text).events if e.type == "REQUEST"]
    assert requests and requests[0].target is not None and requests[0].target.country is None


def test_an_institution_that_owns_an_act_is_an_actor(pipeline):
    actors = pipeline.process_text(
        "The French minister questioned the junta's fight against rebels in Mali."
    ).actors
    assert any(m.text == "junta" for m in actors)
    # people who own a thing are left to the phrase: 'women's education' names no actor
    actors = pipeline.process_text("The Taliban banned women's education in Afghanistan.").actors
    assert not any(m.text == "women" for m in actors)


def test_the_same_role_told_again_is_the_body_named_before(pipeline):
    text = "Mali's transitional military government expelled the French ambassador. The junta said he must leave."
    junta = [m for m in pipeline.process_text(text).actors if m.text == "junta"]
    assert junta and junta[0].country == "MLI"


def test_a_state_pledging_its_own_police_pledges_them_to_another(pipeline):
    pairs = _pairs(
        pipeline, "Haiti needs help. Kenya has pledged 1,000 Kenyan police officers for the mission in Haiti."
    )
    assert ("AGREE", "KEN", "KEN") not in pairs
    # forces sent against someone are still aimed at them
    assert ("MOBILIZE", "KEN", "KEN") in _pairs(
        pipeline, "Kenya deployed police against protesters in Nairobi."
    )


def test_the_caribbean_nation_is_the_country_named_before(pipeline):
    text = "The UN authorized a mission to Haiti, a year after the Caribbean nation asked for support."
    actors = pipeline.process_text(text).actors
    nation = [m for m in actors if m.text.endswith("nation")]
    assert nation and nation[0].country == "HTI" and nation[0].kind == "country"


def test_a_country_noun_with_no_country_before_it_is_no_actor(pipeline):
    actors = pipeline.process_text("The country has been wracked by shortages of fuel.").actors
    assert not any(m.text == "country" for m in actors)


def test_a_body_led_by_an_actor_is_coded_by_its_leader(pipeline):
    text = (
        "Britain condemned an order issued on December 20 by the Taliban-led government in"
        " Afghanistan banning university education for women."
    )
    bans = [e for e in pipeline.process_text(text).events if e.trigger.text == "banning"]
    assert bans and bans[0].source is not None and bans[0].source.country == "AFG"
    assert "GOV" in bans[0].source.sectors
    actors = pipeline.process_text("On Monday, US-led forces attacked the town of Fallujah.").actors
    assert any(m.text == "US-led forces" and m.country == "USA" for m in actors)


def test_a_resolution_speaks_for_the_body_that_adopted_it(pipeline):
    text = (
        "The UN Security Council adopted a resolution on Monday authorizing a mission to Haiti."
        " The resolution welcomed the announcement by Kenya."
    )
    welcomed = [e for e in pipeline.process_text(text).events if e.trigger.text == "welcomed"]
    assert welcomed and welcomed[0].source is not None and welcomed[0].source.country == "UNO"
    # a document no one was told to adopt speaks for nobody: no record without its doer
    assert _pairs(pipeline, "The resolution condemned Israel.") == []


def test_an_amount_joined_to_a_role_by_the_parser_is_not_part_of_the_actor(pipeline):
    text = "The United States pledged $507 million and non-governmental organisations committed $500 million."
    actors = pipeline.process_text(text).actors
    assert any(m.text == "non-governmental organisations" for m in actors)
    assert any(
        m.text == "Two hundred and fifty soldiers"
        for m in pipeline.process_text("Two hundred and fifty soldiers were deployed.").actors
    )


def test_a_decision_taken_at_a_meeting_is_no_appeal(pipeline):
    text = "He informed the president of a decision taken at a meeting of party leaders in Colombo."
    assert all(e.type != "ACCUSE" for e in pipeline.process_text(text).events)


def test_who_was_somewhere_at_the_time_of_an_attack_did_not_attack(pipeline):
    text = "It was not clear if the prime minister was inside his home in Colombo at the time of the attack."
    assert all(e.type != "ASSAULT" or e.source is None for e in pipeline.process_text(text).events)
    # a stretch of an activity is still its doer's
    assert ("MOBILIZE", "FRA", None) in _pairs(
        pipeline, "French warships on Monday launched 10 days of war games."
    )


def test_their_in_a_participle_clause_is_the_subject_of_the_main_clause(pipeline):
    text = (
        "Biden and the G7 leaders unveiled a framework for continued support for Ukraine,"
        " offering their full backing for Zelenskyy."
    )
    actors = pipeline.process_text(text).actors
    their = [m for m in actors if m.text == "their"]
    assert their and their[0].country == "IGO"
    # the first of two subjects stays the one a group pronoun means
    actors = pipeline.process_text(
        "Jamaica and Antigua and Barbuda announced that they were willing to help."
    ).actors
    assert [m.country for m in actors if m.text == "they"] == ["JAM"]


def test_the_owner_of_an_arrest_or_sentence_is_who_suffers_it(pipeline):
    text = "Khan was sentenced by a court in Islamabad. Khan was flown to Islamabad to begin serving his sentence."
    sanctions = [e for e in pipeline.process_text(text).events if e.type == "SANCTION"]
    assert len(sanctions) == 1  # 'his sentence' is the sentencing told again
    # with an 'of' phrase the owner does it
    assert ("COERCE", "ISR", None) in [
        (t, s, None) for t, s, _ in _pairs(pipeline, "Israel's arrest of the activist drew condemnation.")
    ]


def test_two_bodies_of_one_country_in_one_sentence_do_two_acts(pipeline):
    text = "Pedro Castillo decreed a curfew throughout Peru hours before his arrest by police."
    pairs = _pairs(pipeline, text)
    assert len([p for p in pairs if p[0] == "COERCE"]) == 2


def test_an_army_convoy_is_the_army(pipeline):
    text = "Rebels in Myanmar have ambushed several army convoys from the junta in Sagaing."
    attacks = [e for e in pipeline.process_text(text).events if e.type == "ASSAULT"]
    assert attacks and attacks[0].target is not None and "MIL" in attacks[0].target.sectors


def test_a_title_written_with_a_hyphen_is_one_title(pipeline):
    text = (
        "The decision came after the secretary-general of Russia-led Collective Security Treaty"
        " Organization, Stanislav Zas, called for an immediate cease-fire."
    )
    titles = [m for m in pipeline.process_text(text).actors if "general" in m.text]
    assert titles and titles[0].text.startswith("secretary-general") and "MIL" not in titles[0].sectors


def test_who_did_the_act_the_victims_suffered_it_in_did_it(pipeline):
    text = "Four villagers were killed in a raid by Boko Haram fighters near Maiduguri on Sunday."
    killed = [e for e in pipeline.process_text(text).events if e.trigger.text == "killed"]
    assert killed and killed[0].source is not None and killed[0].source.country == "NGA"
    assert "REB" in killed[0].source.sectors


def test_seeking_to_act_is_the_act_intended_not_a_request(pipeline):
    events = pipeline.process_text("Seoul will seek to reinforce its troops on the island.").events
    assert [(e.type, e.status.value) for e in events] == [("MOBILIZE", "intended")]
    # with an object of its own, 'seek' still asks for something
    asked = pipeline.process_text("Ukraine sought military aid from Germany on Friday.").events
    assert not any(e.type == "MOBILIZE" for e in asked)


def test_disputing_the_charges_rejects_them(pipeline):
    events = pipeline.process_text("The opposition leader disputes the allegations against him.").events
    assert events and events[0].type == "REJECT"
    # disputing a border stays disapproval
    border = pipeline.process_text("Guyana disputes Venezuela's border demands.").events
    assert all(e.type != "REJECT" for e in border)


def test_an_invitation_the_act_was_done_at_has_happened(pipeline):
    text = "Rwandan troops will deploy to Mozambique at the invitation of the Mozambican government."
    invited = [e for e in pipeline.process_text(text).events if e.trigger.text == "invitation"]
    assert invited and invited[0].status.value == "happened"
    assert invited[0].source is not None and invited[0].source.country == "MOZ"


def test_who_was_arrested_after_attempting_an_act_did_it(pipeline):
    text = "A Peruvian colonel was detained on Friday after trying to seize the congress building."
    seized = [e for e in pipeline.process_text(text).events if e.trigger.text == "seize"]
    assert seized and seized[0].source is not None and seized[0].source.country == "PER"
    # who was himself arrested in the clause is no doer of that arrest
    text = "After being arrested in Karachi, the Pakistani senator was flown to Islamabad."
    arrests = [e for e in pipeline.process_text(text).events if e.trigger.text == "arrested"]
    assert all(e.source is None or e.source.text != "the Pakistani senator" for e in arrests)


def test_an_act_done_without_is_no_event(pipeline):
    text = "The Russian envoy accused Kyiv of shelling the plant without providing evidence."
    events = pipeline.process_text(text).events
    assert "ACCUSE" in [e.type for e in events] and all(e.trigger.text != "providing" for e in events)


def test_a_participle_joined_to_a_passive_is_done_to_its_subject(pipeline):
    text = "The Malian colonel was arrested and charged with plotting a coup."
    charged = [e for e in pipeline.process_text(text).events if e.trigger.text == "charged"]
    assert charged and charged[0].target is not None and charged[0].target.country == "MLI"


def test_the_neighbors_are_the_two_states_of_the_story(pipeline):
    text = (
        "Kyrgyzstan and Tajikistan agreed on a ceasefire on Friday. "
        "The neighbors also agreed to withdraw forces and coordinate patrols of the frontier."
    )
    second = [p for p in _pairs(pipeline, text) if p[0] == "COOPERATE"]
    assert second and {second[0][1], second[0][2]} == {"KGZ", "TJK"}


def test_both_sides_named_in_the_sentence_act_on_each_other(pipeline):
    text = "Talks between Ethiopia and Eritrea ended in Asmara, and both sides agreed to reopen the border."
    agreed = [p for p in _pairs(pipeline, text) if p[0] == "AGREE"]
    assert agreed and {agreed[0][1], agreed[0][2]} == {"ETH", "ERI"}


def test_sides_of_a_family_are_no_states(pipeline):
    text = "Serbia and Kosovo met in Brussels. Their neighbours in the village protested against the mine."
    assert not any(s == "SRB" and t == "XKX" for _, s, t in _pairs(pipeline, text) if _ == "PROTEST")


def test_a_fight_is_not_fought_by_the_mediators_who_stop_it(pipeline):
    text = "Sudan and Chad traded accusations. A truce was brokered by Qatari mediators to stop the fighting along the border."
    fights = [p for p in _pairs(pipeline, text) if p[0] == "ASSAULT"]
    assert fights and all(s != "QAT" for _, s, _ in fights)
    assert {fights[0][1], fights[0][2]} == {"SDN", "TCD"}


def test_a_halted_operation_is_halted_toward_the_opponent(pipeline):
    text = (
        "Armenia and Azerbaijan have fought two wars over the region. "
        "Azerbaijan said on Tuesday that it had halted its military operation in the mountains."
    )
    assert ("RETREAT", "AZE", "ARM") in _pairs(pipeline, text)


def test_a_halted_offensive_keeps_the_offensives_target(pipeline):
    text = "Ethiopia said on Monday it had halted its military offensive against Eritrean troops."
    assert ("RETREAT", "ETH", "ERI") in _pairs(pipeline, text)


def test_condemning_the_ruling_answers_whoever_ruled_against_him(pipeline):
    text = "A Chilean court barred the mayor from office on Monday. The mayor condemned the ruling."
    assert ("ACCUSE", "CHL", "CHL") in _pairs(pipeline, text)
    events = pipeline.process_text(text).events
    condemned = next(e for e in events if e.type == "ACCUSE")
    assert condemned.target is not None and "JUD" in condemned.target.sectors


def test_condemning_a_move_of_nobody_before_names_no_target(pipeline):
    text = "The French president condemned the move on Tuesday."
    assert [p for p in _pairs(pipeline, text) if p[0] == "ACCUSE"] == [("ACCUSE", "FRA", None)]


def test_a_national_security_committee_is_its_countrys_security_service(pipeline):
    # 'national' names a citizen only as a head noun ('a Chinese national'), not inside a body's name
    text = "After the clashes, Armenia's national security committee said that it had reached a deal with Georgia."
    events = pipeline.process_text(text).events
    assert events and events[0].source is not None
    assert events[0].source.country == "ARM" and "SPY" in events[0].source.sectors


def test_who_is_the_subject_of_attacks_did_not_attack(pipeline):
    text = "Several Italian soldiers were the subject of unprovoked attacks near the border, NATO said."
    assert ("ASSAULT", "ITA") not in [(t, s) for t, s, _ in _pairs(pipeline, text)]
