"""The document stage: article-level records, from sentences written for these tests."""

from __future__ import annotations

import pytest

from communique.document import find_dateline
from communique.document.component import RULES
from communique.document.context import DocumentContext
from communique.document.records import RecordRules, is_generic, merge_mentions, place
from communique.models import ActorMention, Event, Span
from communique.store.schema import SCHEMA_VERSION
from communique.yamlfiles import load_yaml


# -- datelines ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "place", "region"),
    [
        ("LIMA, March 3 — Peru's congress voted on Monday", "LIMA", None),
        ("TBILISI, Georgia – Police detained dozens", "TBILISI", "Georgia"),
        ("ACCRA: Ghana's president said", "ACCRA", None),
        ("SAN SALVADOR, June 9 (Example Wire) -- The army", "SAN SALVADOR", None),
        ("NAIROBI (Example Wire) - Kenyan doctors", "NAIROBI", None),
    ],
)
def test_dateline_forms(text, place, region):
    found = find_dateline(text)
    assert found is not None and found.place == place and found.region == region
    assert text[found.end :].strip()[0].isupper()


@pytest.mark.parametrize(
    "text", ["US and British envoys met - again", "NATO leaders gathered", "UN - the talks", "The PM said"]
)
def test_no_dateline(text):
    assert find_dateline(text) is None


def test_dateline_city_is_no_actor(pipeline):
    text = "LIMA, March 3 — Chilean troops shelled a Bolivian border post on Monday, the army said."
    result = pipeline.process_text(text)
    assert not any(a.start < 5 for a in result.actors), "the dateline's city became an actor"
    attack = next(e for e in result.events if e.type == "ASSAULT")
    assert attack.source is not None and attack.source.country == "CHL"


def test_a_two_word_dateline_with_agency_is_no_actor(pipeline):
    text = "SAN SALVADOR, June 9 (Example Wire) -- Honduras recalled its ambassador from El Salvador."
    result = pipeline.process_text(text)
    assert not any(a.start < 35 for a in result.actors), [a.text for a in result.actors]


def test_dateline_joined_to_a_name_is_trimmed(pipeline):
    result = pipeline.process_text("ACCRA - Ghana on Tuesday expelled two Togolese diplomats.")
    assert not any(a.text.startswith("ACCRA") for a in result.actors)


# -- generic actors -------------------------------------------------------------------------------
def _mention(text: str, start: int = 0, **codes) -> ActorMention:
    return ActorMention(text=text, start=start, end=start + len(text), **codes)


STATE = frozenset({"GOV", "LEG", "JUD"})


def test_generic_actor_takes_the_sentence_place_first():
    police = _mention("police", sectors=["COP"], kind="organization")
    ctx = DocumentContext(dateline_country="KEN", country="UGA", sentence_country={100: "TZA"})
    assert place(police, ctx, 100, STATE).country == "TZA"
    assert place(police, ctx, 0, STATE).country == "UGA"
    assert "placed:document" in (place(police, ctx, 0, STATE).matched or "")
    alone = place(police, DocumentContext(dateline_country="KEN"), 0, STATE)
    assert alone.country == "KEN" and "placed:dateline" in (alone.matched or "")


def test_named_or_pronoun_actors_are_not_generic():
    assert not is_generic(_mention("Joe Bloggs", sectors=["GOV"], name="Joe Bloggs"))
    assert not is_generic(_mention("they", sectors=["COP"], kind="pronoun"))
    assert not is_generic(_mention("Kenyan police", country="KEN", sectors=["COP"]))


def test_police_in_an_article_about_a_country(pipeline):
    text = (
        "Thousands marched through Tbilisi on Sunday against Georgia's new media law. "
        "Police fired tear gas at the protesters outside parliament."
    )
    result = pipeline.process_text(text)
    police = [e for e in result.events if e.source is not None and "olice" in e.source.text]
    assert police and all(e.source.country == "GEO" for e in police)


def sentence_level(pipeline, text: str) -> list[str]:
    """The types the sentence coder alone gives (the document stage switched off)."""
    with pipeline.nlp.select_pipes(disable=["communique_records"]):
        return [e.type for e in pipeline.process_text(text).events]


# -- one record per event -------------------------------------------------------------------------
def _event(
    type_: str, trigger: tuple[int, int], sentence: tuple[int, int], source=None, target=None
) -> Event:
    return Event(
        type=type_,
        trigger=Span(text="x" * (trigger[1] - trigger[0]), start=trigger[0], end=trigger[1]),
        sentence=Span(text="s" * (sentence[1] - sentence[0]), start=sentence[0], end=sentence[1]),
        source=source,
        target=target,
        confidence=0.7,
    )


def test_mentions_of_one_act_in_one_sentence_merge():
    army = _mention("the army", country="SDN", sectors=["MIL"])
    strike = _event("ASSAULT", (10, 16), (0, 80), source=army)
    killed = _event("ASSAULT", (30, 36), (0, 80), source=army, target=_mention("villagers", 40))
    records = merge_mentions([strike, killed])
    assert len(records) == 1
    assert [m.trigger.start for m in records[0].mentions] == [10, 30]
    assert records[0].target is not None, "the record is its clearest mention"


def test_two_sides_attacking_stay_two_records():
    a = _event("ASSAULT", (10, 16), (0, 80), source=_mention("Israeli jets", country="ISR"))
    b = _event("ASSAULT", (50, 56), (0, 80), source=_mention("Hezbollah", 40, country="LBN"))
    assert len(merge_mentions([a, b])) == 2


def test_an_event_retold_later_is_one_record():
    a = _event("ASSAULT", (10, 16), (0, 80), source=_mention("rebels", country="COD", sectors=["REB"]))
    b = _event("ASSAULT", (90, 96), (81, 160), source=_mention("the M23", 82, country="COD", sectors=["REB"]))
    records = merge_mentions([a, b])
    assert len(records) == 1 and [m.sentence.start for m in records[0].mentions] == [0, 81]


def test_an_incident_with_its_own_participants_is_not_the_lead_retold():
    lead = _event("ASSAULT", (10, 16), (0, 80), source=_mention("India", country="IND"))
    body = _event(
        "ASSAULT", (90, 96), (81, 160), source=_mention("Indian troops", 82, country="IND", sectors=["MIL"])
    )
    planned = _event("ASSAULT", (170, 176), (161, 240), source=_mention("India", 162, country="IND"))
    planned = planned.model_copy(update={"status": "intended"})
    assert len(merge_mentions([lead, body, planned])) == 3


def _rules() -> RecordRules:
    return RecordRules.model_validate(load_yaml(RULES.read_text(encoding="utf-8")))


def test_an_arrest_and_a_ban_of_one_person_are_two_records():
    police = _mention("police", country="TGO", sectors=["COP"])
    court = _mention("the court", 90, country="TGO", sectors=["JUD"])
    mayor = _mention("the mayor", 20, country="TGO", sectors=["GOV"])
    arrest = _event("COERCE", (10, 16), (0, 80), source=police, target=mayor)
    ban = _event("COERCE", (100, 106), (81, 160), source=court, target=mayor)
    detained = _event("COERCE", (170, 176), (161, 240), source=police, target=mayor)
    arrest, detained = (e.model_copy(update={"mode": "arrest"}) for e in (arrest, detained))
    ban = ban.model_copy(update={"mode": "restrict"})
    records = merge_mentions([arrest, ban, detained], rules=_rules())
    assert [len(r.mentions) for r in records] == [2, 1], "the detention retells the arrest"


def test_each_sides_accusation_after_a_mutual_word_is_its_own_record():
    # 'Chad and Sudan traded blame, with Chadian officials accusing Sudan and Sudanese
    # officials saying they answered Chadian raids': the mutual word joins neither to the other
    chad, sudan = _mention("Chad", country="TCD"), _mention("Sudan", 10, country="SDN")
    traded = [_event("ACCUSE", (15, 21), (0, 120), source=side) for side in (chad, sudan)]
    accusing = _event("ACCUSE", (50, 58), (0, 120), source=chad, target=sudan)
    answering = _event("ACCUSE", (90, 99), (0, 120), source=sudan, target=chad)
    records = merge_mentions([*traded, accusing, answering])
    assert sorted((r.source.country, r.target.country) for r in records if r.target) == [
        ("SDN", "TCD"),
        ("TCD", "SDN"),
    ]


def test_a_means_of_attack_told_later_retells_the_attack():
    army = _mention("the army", country="SDN", sectors=["MIL"])
    strike = _event("ASSAULT", (10, 16), (0, 80), source=army).model_copy(update={"mode": "aerial"})
    razed = _event("ASSAULT", (90, 96), (81, 160), source=army).model_copy(update={"mode": "destroy"})
    assert len(merge_mentions([strike, razed], rules=_rules())) == 1


def test_a_visit_and_the_talks_held_during_it_are_two_records(pipeline):
    text = (
        "Ghana's president arrived in Abuja on Monday for a state visit to Nigeria. "
        "During the visit, Ghana and Nigeria discussed trade and security."
    )
    consults = [e for e in pipeline.process_text(text).events if e.type == "CONSULT"]
    assert len(consults) == 2


def test_an_agreed_ceasefire_told_again_is_the_parties_act_to_come(pipeline):
    text = (
        "Sudan's government and the SPLM-N rebels have agreed to a ceasefire after months of talks.\n\n"
        "President Omar al-Bashir said the ceasefire would come into effect on Friday."
    )
    later = [e for e in pipeline.process_text(text).events if e.sentence.start > 0]
    truce = [e for e in later if e.trigger.text == "ceasefire"]
    assert truce and truce[0].type == "RETREAT" and truce[0].status == "intended"
    assert truce[0].source is not None and truce[0].source.country == "SDN"


def test_an_appeal_made_in_a_quote_in_the_first_person_is_a_new_act(pipeline):
    text = (
        "Hours later, President Gabriel Boric called on the public to stay calm.\n\n"
        "The defence minister spoke to reporters in Santiago.\n\n"
        '"We urge the population that everything goes back to normal," she said.'
    )
    requests = [e for e in pipeline.process_text(text).events if e.type == "REQUEST"]
    assert len(requests) == 2


def test_a_retaliation_is_aimed_at_who_attacked_before(pipeline):
    text = (
        "Eritrean troops shelled Ethiopian border villages on Monday, killing five farmers.\n\n"
        "Ethiopia retaliated on Tuesday, Ethiopian officials said."
    )
    answer = [e for e in pipeline.process_text(text).events if e.trigger.text == "retaliated"]
    assert answer and answer[0].target is not None and answer[0].target.country == "ERI"


def test_a_possessive_before_the_name_it_refers_to_is_that_person(pipeline):
    text = "Hours before his arrest, Evo Morales announced the dissolution of the Senate."
    events = pipeline.process_text(text).events
    arrest = [e for e in events if e.trigger.text == "arrest"]
    assert arrest and arrest[0].target is not None
    assert arrest[0].target.country == "BOL" and arrest[0].target.text == "his"


def test_several_trigger_words_give_one_record(pipeline):
    text = "Sudanese army jets bombed a market in Nyala on Monday, killing 20 civilians in the strike."
    result = pipeline.process_text(text)
    attacks = [e for e in result.events if e.type == "ASSAULT"]
    assert len(attacks) == 1
    assert len(attacks[0].mentions) >= 2


def test_a_mutual_act_is_one_record(pipeline):
    result = pipeline.process_text("Serbia and Kosovo held talks in Brussels on Friday.")
    talks = [e for e in result.events if e.type == "CONSULT"]
    assert len(talks) == 1 and {talks[0].source.country, talks[0].target.country} == {"SRB", "XKX"}


# -- contents, speakers, implied agents -----------------------------------------------------------
def test_what_a_call_asks_for_is_no_record(pipeline):
    result = pipeline.process_text("Egypt called for an immediate ceasefire between Israel and Hamas.")
    assert [e.type for e in result.events] == ["REQUEST"]


def test_a_speakers_we_is_the_speaker(pipeline):
    text = 'Chad\'s foreign minister said: "We met the Sudanese envoy in Ndjamena on Tuesday."'
    result = pipeline.process_text(text)
    meeting = next(e for e in result.events if e.type == "CONSULT")
    assert meeting.source is not None and meeting.source.country == "TCD"


def test_an_arrest_without_agent_is_the_states(pipeline):
    result = pipeline.process_text("Former Zambian minister Joe Bloggs was arrested in Lusaka on Tuesday.")
    arrest = next(e for e in result.events if e.type == "COERCE")
    assert arrest.source is not None and arrest.source.country == "ZMB"
    assert arrest.source.sectors == ["COP"] and arrest.source.kind == "unidentified"


def test_an_agreed_concession_is_one_record_intended(pipeline):
    result = pipeline.process_text("Congolese rebels agreed to withdraw their fighters from Goma.")
    assert [(e.type, e.status.value) for e in result.events] == [("AGREE", "intended")]
    withdrawal = result.events[0]
    assert withdrawal.target is None, "a place is no participant"
    assert withdrawal.location is not None and withdrawal.location.text == "Goma"


def test_an_agreed_resignation_has_not_happened(pipeline):
    result = pipeline.process_text("The Malian prime minister has agreed to step down next month.")
    assert [(e.type, e.status.value) for e in result.events] == [("AGREE", "intended")]


def test_a_promise_of_aid_is_the_promise_to_its_recipient(pipeline):
    result = pipeline.process_text("Rwanda agreed to send aid to Burundi.")
    assert [(e.type, e.status.value) for e in result.events] == [("AGREE", "happened")]
    assert result.events[0].target is not None and result.events[0].target.country == "BDI"


def test_a_pledge_is_made_as_it_is_said(pipeline):
    result = pipeline.process_text(
        "Qatar opened the donor conference with a promise of $200 million for Sudan."
    )
    assert [e.status.value for e in result.events if e.type == "AGREE"] == ["happened"]


def test_a_with_clause_with_its_own_subject_is_not_governed(pipeline):
    result = pipeline.process_text(
        "Kenya has pledged 1,000 police officers, with Chad committing 200 soldiers."
    )
    assert [(e.type, e.status.value, e.source.country) for e in result.events if e.source] == [
        ("AGREE", "happened", "KEN"),
        ("AGREE", "happened", "TCD"),
    ]


# -- the store keeps the records' mentions --------------------------------------------------------
def test_store_counts_mentions_and_upgrades_an_old_store(tmp_path):
    import duckdb

    from communique.models import EventMention, Result
    from communique.store import Store, write_results

    event = _event("ASSAULT", (10, 16), (0, 80), source=_mention("the army", country="SDN"))
    event = event.model_copy(
        update={
            "mentions": [
                EventMention(trigger=event.trigger, sentence=event.sentence),
                EventMention(trigger=Span(text="killed", start=30, end=36), sentence=event.sentence),
            ]
        }
    )
    result = Result(id="d1", source="d1.txt", date="2026-01-02", text="x" * 80, events=[event])
    db = tmp_path / "old.duckdb"
    with Store(db).write():  # a current store, then made to look like schema 1
        pass
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE events DROP COLUMN n_mentions")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    write_results(db, [result])
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(
        SCHEMA_VERSION
    )
    assert con.execute("SELECT n_mentions FROM events").fetchall() == [(2,)]
    assert con.execute("SELECT num_mentions FROM event_clusters").fetchall() == [(2,)]


def test_several_actors_doing_one_act_are_one_record(pipeline):
    result = pipeline.process_text("France and Germany condemned the Russian missile attack on Kyiv.")
    condemnations = [e for e in result.events if e.type == "ACCUSE"]
    assert len(condemnations) == 1
    assert condemnations[0].source_phrase is not None
    assert condemnations[0].source_phrase.text == "France and Germany"


def test_an_offer_of_help_is_made_as_it_is_said(pipeline):
    result = pipeline.process_text("Jamaica said on Monday that it was willing to help Haiti.")
    offer = next(e for e in result.events if e.type == "AGREE")
    assert offer.status.value == "happened"
    intent = pipeline.process_text("Jamaica said it was open to talks with Haiti.").events
    assert [e.status.value for e in intent if e.type == "AGREE"] == ["intended"], (
        "an intent to meet is no offer"
    )


def test_condemning_anothers_act_targets_its_author(pipeline):
    text = "Britain condemned an order issued on December 20 by the Taliban."
    condemnation = next(e for e in pipeline.process_text(text).events if e.type == "ACCUSE")
    assert condemnation.target is not None and condemnation.target.country == "AFG"


def test_a_time_is_no_participant(pipeline):
    result = pipeline.process_text("Peru's president decreed a curfew from 03.00 GMT across the country.")
    curfew = next(e for e in result.events if e.type == "COERCE")
    assert curfew.target is None or "GMT" not in curfew.target.text


def test_parallel_acts_are_not_aimed_at_each_other(pipeline):
    result = pipeline.process_text("The United States pledged $507 million and Japan pledged $100 million.")
    pledges = [e for e in result.events if e.type == "AGREE"]
    assert {e.source.country for e in pledges} == {"USA", "JPN"}
    assert all(e.target is None for e in pledges)


def test_an_act_without_target_is_aimed_at_the_article_country(pipeline):
    text = (
        "Syria's health system is near collapse after years of war, the UN said on Tuesday. "
        "Japan pledged $100 million at the conference."
    )
    pledge = next(e for e in pipeline.process_text(text).events if e.type == "AGREE")
    assert pledge.target is not None and pledge.target.country == "SYR"
    assert "implied:document" in (pledge.target.matched or "")


def test_a_bare_institution_name_is_the_article_countrys(pipeline):
    text = (
        "Peru's president Pedro Castillo announced on Wednesday the dissolution of Congress. "
        "Hours later Congress voted to remove him from office."
    )
    result = pipeline.process_text(text, date="2022-12-07")
    congress = [a for a in result.actors if a.text == "Congress"]
    assert congress and all(a.country == "PER" for a in congress)
    assert all("namesake:document" in (a.matched or "") for a in congress)
    dissolution = next(e for e in result.events if e.trigger.text == "dissolution")
    assert dissolution.target is not None and dissolution.target.country == "PER"


def test_victims_are_never_attackers(pipeline):
    result = pipeline.process_text("Three people died in the attack and 27 others were wounded, police said.")
    for event in result.events:
        assert event.source is None or "people" not in event.source.text


def test_set_phrases_and_weapons_give_no_records(pipeline):
    assert (
        pipeline.process_text("The ministry did not immediately respond to requests for comment.").events
        == []
    )
    threat = pipeline.process_text("The missile flew over Japan and presented a threat to shipping.")
    assert all(e.source is None or "missile" not in e.source.text for e in threat.events)


def test_an_act_is_no_participant(pipeline):
    condemnation = next(e for e in pipeline.process_text("Kenya condemned the coup in Niger.").events)
    assert condemnation.target is None or condemnation.target.text != "coup"


def test_a_record_takes_its_roles_from_the_clause(pipeline):
    attack = next(
        e for e in pipeline.process_text("Five people were killed in Israeli strikes on Gaza.").events
    )
    assert attack.source is not None and attack.source.country == "ISR"


def test_committing_crimes_is_violence(pipeline):
    text = "The militia has been committing crimes against civilians in Darfur, the UN said."
    assert [e.type for e in pipeline.process_text(text).events] == ["ASSAULT"]


def test_what_is_demanded_is_part_of_the_demand(pipeline):
    text = "Bolivia's president ordered the general to withdraw his soldiers and stand down."
    assert [e.type for e in pipeline.process_text(text).events] == ["REQUEST"]
    alone = sentence_level(pipeline, text)
    assert "RETREAT" in alone, "the sentence coder reads the demanded withdrawal; the record is the order"


def test_an_idiom_is_no_meeting(pipeline):
    text = "Mali's use of Russian mercenaries has been met with criticism in France, a diplomat said."
    assert all(e.type != "CONSULT" for e in pipeline.process_text(text).events)


def test_a_minister_is_placed_by_the_article_not_the_sentence(pipeline):
    text = "Israel will impose a blockade on Gaza unless the rockets stop, the minister warned."
    warning = next(e for e in pipeline.process_text(text).events if e.type == "THREATEN")
    assert warning.source is not None and warning.source.country == "ISR"


def test_a_call_for_someone_to_go_is_a_request_to_them(pipeline):
    text = "Thousands of protesters marched in Nairobi, calling for President William Ruto to step down."
    events = pipeline.process_text(text).events
    request = next(e for e in events if e.type == "REQUEST")
    assert request.target is not None and request.target.name == "William Ruto"
    assert all(e.type != "RETREAT" for e in events), "the resignation is only demanded"


def test_a_description_is_not_placed_where_its_sentence_happens(pipeline):
    text = (
        "The foreign ministers of Chile and Peru met in Geneva on Monday, their first talks since "
        "the neighbouring countries fought a border war in 1995."
    )
    for event in pipeline.process_text(text).events:
        for actor in (event.source, event.target):
            assert actor is None or actor.country != "CHE", (event.type, actor.text)


def test_a_sides_own_weapon_is_no_target(pipeline):
    fired = pipeline.process_text("North Korea fired a ballistic missile into the sea on Friday.").events
    assert all(e.target is None or "missile" not in e.target.text for e in fired)
    downed = pipeline.process_text("Pakistan said it shot down an Indian fighter jet.").events
    assert any(e.target is not None and e.target.country == "IND" for e in downed)


def test_a_violated_ceasefire_is_no_retreat(pipeline):
    text = "Thai and Cambodian troops violated a ceasefire along the border on Sunday, killing two soldiers."
    assert all(e.type != "RETREAT" for e in pipeline.process_text(text).events)


def test_a_curfew_is_done_to_the_people_where_it_applies(pipeline):
    result = pipeline.process_text("Sri Lanka imposed a nationwide curfew on Monday.")
    (event,) = [e for e in result.events if e.type == "COERCE"]
    assert event.target is not None and event.target.country == "LKA" and event.target.sectors == ["CVL"]
    assert "implied:population" in (event.target.matched or "")


def test_sealing_off_a_building_names_no_population(pipeline):
    result = pipeline.process_text("Kenyan riot police sealed off the parliament in Nairobi.")
    assert all(not (e.target and e.target.sectors == ["CVL"]) for e in result.events)


def test_two_acts_of_one_sentence_on_two_targets_stay_two(pipeline):
    text = "Ecuadorian police broke into the Mexican embassy in Quito and arrested former Vice President Jorge Glas."
    coerce = [e for e in pipeline.process_text(text).events if e.type == "COERCE"]
    assert len(coerce) == 2


def test_a_crowd_protesting_at_nobody_named_protests_at_the_government_where_it_is(pipeline):
    (event,) = pipeline.process_text(
        "Thousands of Argentine workers took to the streets of Buenos Aires."
    ).events
    assert event.type == "PROTEST" and event.target is not None
    assert (event.target.country, event.target.sectors) == ("ARG", ["GOV"])
    assert "implied:PROTEST" in (event.target.matched or "")
    named = pipeline.process_text("Kenyan protesters marched against President Ruto in Nairobi.").events
    assert all("implied" not in (e.target.matched or "") for e in named if e.target)


def test_help_promised_inside_a_to_clause_is_the_promise(pipeline):
    text = "EU leaders met in Brussels after committing to provide Moldova with more financial assistance."
    types = [e.type for e in pipeline.process_text(text).events]
    assert "AGREE" in types and "AID" not in types


@pytest.mark.parametrize(
    "text",
    [
        "A cyclone killed fourteen people in southern Bangladesh on Monday.",
        "Nine miners were killed in a landslide in northern Peru.",
        "Morocco beat Portugal 1-0 in the World Cup quarterfinal.",
        "Ethiopian Airlines cancelled its flights to the region.",
    ],
)
def test_disasters_sports_and_a_company_s_own_acts_are_no_political_events(pipeline, text):
    assert pipeline.process_text(text).events == []


def test_an_army_crushing_rebels_in_a_final_campaign_is_still_an_event(pipeline):
    text = "The junta vowed its army would crush the rebels in a final campaign before the rains."
    assert pipeline.process_text(text).events


def test_a_state_acted_on_in_the_passive_did_not_act_on_itself(pipeline):
    events = pipeline.process_text("Venezuela was suspended from Mercosur in 2016.").events
    assert events and all(e.source is None or e.source.country != "VEN" for e in events)


def test_a_definite_event_noun_with_no_participant_is_the_event_told_before(pipeline):
    text = (
        "Iranian and British diplomats held talks in Vienna on Thursday on Iran's nuclear programme.\n\n"
        "Enrique Mora, the EU official chairing the talks, said delegations had worked hard."
    )
    consults = [e for e in pipeline.process_text(text).events if e.type == "CONSULT"]
    assert len(consults) == 1 and len(consults[0].mentions) == 2
    # talks with a participant of their own are news of their own
    text = (
        "Iranian and British diplomats held talks in Vienna on Thursday.\n\n"
        "Russia held separate talks with China in Beijing on Friday."
    )
    assert len([e for e in pipeline.process_text(text).events if e.type == "CONSULT"]) == 2


def test_the_headline_names_what_the_article_is_about(pipeline):
    text = (
        "The foreign ministry said on Monday it had taken note of the decision. "
        "The police detained two protesters outside the embassy."
    )
    plain = pipeline.process_text(text)
    titled = pipeline.process_text(text, title="Mali expels French envoy over remarks")
    police = [e.source for e in titled.events if e.source is not None and "COP" in e.source.sectors]
    assert police and police[0].country == "MLI"
    assert not [e for e in plain.events if e.source is not None and e.source.country == "MLI"]


def test_a_headline_place_of_departure_or_arrival_is_no_subject():
    from communique.actors.knowledge import load_knowledge
    from communique.actors.resolver import ActorResolver
    from communique.document.context import _title_countries

    country_of = ActorResolver(load_knowledge(())).country_code
    assert _title_countries("Plane flies rebel prisoners from Saudi to Yemen", country_of) == ["YEM"]
    assert _title_countries("Colombia's FARC rebels free 10 hostages", country_of) == ["COL"]
    assert _title_countries("India-Pakistan ceasefire collapses", country_of) == ["IND", "PAK"]


def test_a_pronoun_of_unknown_sector_retells_the_event_of_a_known_one(pipeline):
    text = (
        "Police arrested Bolivian general Juan Jose Zuniga on Wednesday. "
        "Zuniga spoke to reporters as he was being arrested by police."
    )
    arrests = [e for e in pipeline.process_text(text).events if e.type == "COERCE"]
    assert len(arrests) == 1


def test_an_event_noun_after_on_the_eve_of_is_still_to_come(pipeline):
    text = "The ceasefire was announced on the eve of a visit by Pope Francis to Colombia."
    visits = [e for e in pipeline.process_text(text).events if e.trigger.text == "visit"]
    # scheduled, not offered: a visit still, with its status
    assert visits and visits[0].type == "CONSULT" and visits[0].status.value == "intended"


def test_talks_still_to_be_held_are_intended_and_have_the_speakers_side(pipeline):
    text = (
        "Colombian President Juan Manuel Santos said the ceasefire would be renewed according to"
        " progress on outstanding details still to be thrashed out with the leftist rebels."
    )
    talks = [e for e in pipeline.process_text(text).events if e.type == "CONSULT"]
    assert talks and talks[0].status.value == "intended"
    assert talks[0].source is not None and talks[0].source.country == "COL"


def test_a_record_needs_who_did_it_unless_the_text_tells_it_in_the_passive(pipeline):
    # the coder finds no doer for 'war': no record
    assert pipeline.process_text("The sanctions followed the war in Ukraine.").events == []
    # the text leaves the doer unsaid: the record stands with what it says
    accused = pipeline.process_text("Former president Jair Bolsonaro is accused of plotting a coup.").events
    assert accused and accused[0].source is None and accused[0].target is not None
    # a weapon its own words code stands for its owner
    events = pipeline.process_text("Sudanese army jets bombed a market in Nyala on Monday.").events
    assert events and events[0].source is not None and events[0].source.country == "SDN"


def test_a_state_recalling_its_ambassador_acts_against_the_state_he_serves_in(pipeline):
    text = (
        "Mali's military government expelled the French ambassador on Monday after remarks by"
        " France's foreign minister. The French foreign ministry said it would recall its ambassador."
    )
    recalls = [e for e in pipeline.process_text(text).events if e.trigger.text == "recall"]
    assert recalls and recalls[0].type == "SANCTION"
    assert recalls[0].target is not None and recalls[0].target.country == "MLI"


def test_a_complaint_taken_to_an_international_court_is_aimed_at_the_state_complained_of(pipeline):
    text = (
        "Mexico suspended diplomatic ties with Ecuador after police raided its embassy in Quito."
        " Mexico will appeal to the International Court of Justice, its foreign minister said."
    )
    appeals = [e for e in pipeline.process_text(text).events if e.type == "ACCUSE"]
    assert appeals and appeals[0].target is not None and appeals[0].target.country == "ECU"


def test_an_incident_retold_with_more_detail_on_both_sides_is_one_record(pipeline):
    text = (
        "Israel struck Lebanon again on Monday. Earlier this month, the Israeli air force struck"
        " Lebanese army posts near Tyre, officials said."
    )
    struck = [e for e in pipeline.process_text(text).events if e.type == "ASSAULT"]
    assert len(struck) == 1 and len(struck[0].mentions) == 2


def test_a_second_body_that_also_acts_is_another_record(pipeline):
    text = (
        "Germany condemned the Russian government over the poisoning. The German foreign ministry"
        " also condemned Russia on Friday."
    )
    condemned = [e for e in pipeline.process_text(text).events if e.type == "ACCUSE"]
    assert len(condemned) == 2


def test_a_denial_that_names_nobody_answers_the_last_accuser(pipeline):
    text = "Peruvian police arrested opposition leader Ana Ruiz on Monday. She disputes the charges."
    (denial,) = [e for e in pipeline.process_text(text).events if e.type == "REJECT"]
    assert denial.target is not None and denial.target.country == "PER" and "COP" in denial.target.sectors


def test_an_arrest_avoided_is_not_done_by_who_avoided_it(pipeline):
    text = "Kenyan police arrested the senator on Friday. For months he had evaded arrest."
    events = pipeline.process_text(text).events
    assert [e.trigger.text for e in events if e.type == "COERCE"] == ["arrested"]


def test_a_future_act_that_waits_on_another_is_conditional(pipeline):
    text = "The prime minister said he will step down when parliament has elected a new government."
    events = [e for e in pipeline.process_text(text).events if e.trigger.text in ("step down", "step")]
    assert events and events[0].status.value == "conditional"
    # a past act dated by another is no condition
    past = pipeline.process_text("The minister resigned when the army turned against the president.").events
    assert all(e.status.value == "happened" for e in past)


def test_an_act_expected_of_another_is_demanded_of_it(pipeline):
    text = "Beijing expects Manila to honour the fishing agreement signed last year."
    events = pipeline.process_text(text).events
    assert [(e.type, e.source.country, e.target.country) for e in events if e.source and e.target] == [
        ("REQUEST", "CHN", "PHL")
    ]
    # what someone is expected to do, with no one expecting it of them, is no demand
    assert all(
        e.type != "REQUEST" for e in pipeline.process_text("The minister is expected to visit Paris.").events
    )


def test_a_word_keeps_the_sense_the_article_first_gave_it(pipeline):
    text = (
        "Nigerian unions held a general strike against the new labour law on Monday."
        " By evening the president had not commented on the strike."
    )
    events = pipeline.process_text(text).events
    assert [e.type for e in events] == ["PROTEST"] and len(events[0].mentions) == 2


def test_a_second_pledge_after_an_amount_is_its_own_clause(pipeline):
    text = "The European Union pledged $300 million and humanitarian organisations committed more than $100 million."
    events = pipeline.process_text(text).events
    assert [e.status.value for e in events if e.type == "AGREE"] == ["happened", "happened"]
    union = next(e for e in events if e.trigger.text == "pledged")
    assert union.target is None or union.target.text != "humanitarian organisations"


def test_talks_an_agreement_was_reached_in_have_happened(pipeline):
    text = "Sudan's army and the Rapid Support Forces agreed in talks in Jeddah last month to open aid corridors."
    talks = [e for e in pipeline.process_text(text).events if e.type == "CONSULT"]
    assert talks and talks[0].status.value == "happened"
    # talks one plans to take part in are still to come
    later = pipeline.process_text("A Sudanese delegation plans to take part in the talks in Jeddah.").events
    assert all(e.status.value == "intended" for e in later)


def test_a_release_told_in_the_passive_was_done_by_the_state_unless_another_actor_is_named(pipeline):
    text = "The Pakistani opposition leader was arrested in May. He was then released, with the arrest declared illegal."
    released = [e for e in pipeline.process_text(text).events if e.type == "RETREAT"]
    assert released and released[0].source is not None and released[0].source.country == "PAK"
    held = pipeline.process_text("Two Colombian soldiers held by the FARC were released on Monday.").events
    assert all(e.source is None or e.source.country != "COL" for e in held if e.type == "RETREAT")


def test_an_implied_doer_merges_with_the_doer_named_later(pipeline):
    text = (
        "Peru's former president Ana Ruiz was barred from public office on Friday. The justices"
        " of Peru's electoral court voted to bar her for eight years."
    )
    barred = [e for e in pipeline.process_text(text).events if e.type == "COERCE"]
    assert len(barred) == 1 and len(barred[0].mentions) == 2


def test_a_fight_with_no_side_named_was_fought_by_the_states_of_its_sentence(pipeline):
    text = "Eritrea and Ethiopia agreed on a truce after shootouts at their border killed nine people."
    fights = [e for e in pipeline.process_text(text).events if e.type == "ASSAULT"]
    assert fights and {fights[0].source.country, fights[0].target.country} == {"ERI", "ETH"}


def test_each_side_of_a_prisoner_swap_is_its_own_release(pipeline):
    text = (
        "Russian and American prisoners are home or headed there after a prisoner exchange."
        " The prisoner exchange between Russia and the United States took place in Ankara."
    )
    released = [e for e in pipeline.process_text(text).events if e.type == "RETREAT"]
    directions = {(e.source.country, e.target.country) for e in released if e.source and e.target}
    assert directions == {("RUS", "USA"), ("USA", "RUS")} and len(released) == 2
