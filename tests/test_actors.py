"""Actor resolution: composition of nationality + role + name, dates, coreference."""

from __future__ import annotations

import pytest

from communique.actors import resolve_actor


@pytest.mark.parametrize(
    ("text", "country", "sector"),
    [
        ("US Secretary of State Marco Rubio", "USA", "GOV"),
        ("Iran's Supreme Leader Ayatollah Ali Khamenei", "IRN", "GOV"),
        ("Chinese President Xi Jinping", "CHN", "GOV"),
        ("UK Prime Minister Keir Starmer", "GBR", "GOV"),
        ("American warplanes", "USA", "MIL"),
        ("the Kremlin", "RUS", "GOV"),
        ("ordinary Kazakhs", "KAZ", "CVL"),
        ("Armenian Prime Minister", "ARM", "GOV"),
        ("Britain's Defence Ministry", "GBR", "GOV"),
        ("Russia's ambassador to Poland", "RUS", "GOV"),
        ("the Pentagon", "USA", "GOV"),  # a defence ministry: GOV, MIL
        ("IRGC", "IRN", "MIL"),
        ("Hezbollah", "LBN", None),
        ("Belarusian protesters", "BLR", "CVL"),
        # a people is coded where the text places it; nationals abroad are not
        ("the Albanians of southern Serbia", "SRB", "CVL"),
        ("ethnic Albanians in Macedonia", "MKD", "CVL"),
        ("the Americans in Iraq", "USA", "CVL"),
        # states that no longer exist are their principal successor
        ("East Germany", "DEU", None),
        ("Soviet troops", "RUS", "MIL"),
        ("the Yugoslav army", "SRB", "MIL"),
        # a town after a given name or a title is a surname; a province named by a common
        # word places nobody
        ("Judge Alejandro Rivera", None, "JUD"),
        ("Judge Rivera", None, "JUD"),
        ("East", None, None),
        ("a terror group based in Trinidad", "TTO", "REB"),
        # a one-word Factbook surname that is an ordinary word is no alias
        ("Christian missionary", None, "REL"),
        # British style: acronyms of international bodies in title case, and of groups
        ("Opec", "IGO", None),
        ("Unicef", "UNO", None),
        ("Care", None, None),
        ("Farc", "COL", "REB"),
        # a rights group or charity placed nowhere is PLOVER's NGO; a placed one is not
        ("a human rights group", "NGO", "SOC"),
        ("a Syrian rights group", "SYR", "SOC"),
        # English names of provinces pycountry lists in the local language
        ("a court in Bavaria", "DEU", "JUD"),
        ("North Kivu rebels", "COD", "REB"),
        # an acronym before a title is the organisation, not a given name
        ("OPEC Secretary General Mohammad Barkindo", "IGO", "GOV"),
    ],
)
def test_composition(text, country, sector):
    answer = resolve_actor(text)
    assert answer["country"] == country, answer
    if sector:
        assert answer["sectors"] and answer["sectors"][0] == sector, answer


def test_role_without_country_keeps_its_sectors():
    answer = resolve_actor("Defense Minister")
    assert answer["country"] is None
    assert answer["sectors"][:2] == ["GOV", "MIL"]


def test_context_places_an_unplaced_role():
    assert resolve_actor("the interior minister", context="Somalia")["country"] == "SOM"
    assert resolve_actor("the interior minister", context="SOM")["country"] == "SOM"


def test_dates_decide_the_office():
    assert resolve_actor("Donald Trump", date="2019-04-01")["sectors"][0] == "GOV"
    assert resolve_actor("Donald Trump", date="2022-04-01")["sectors"][0] == "ELI"
    assert resolve_actor("Donald Trump", date="2026-02-01")["sectors"][0] == "GOV"


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "🙂", "x" * 900, "he"])
def test_odd_strings_answer(text):
    answer = resolve_actor(text)
    assert set(answer) >= {"country", "sectors", "name", "role"}


def test_too_long_is_a_clear_error():
    with pytest.raises(ValueError, match="characters"):
        resolve_actor("x" * 5000)


def test_user_file_overrides(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "- name: Zorbulon Quintrax\n  aliases: [Quintrax]\n  country: MDA\n  sectors: [REB]\n"
        "  kind: person\n  source: user\n",
        encoding="utf-8",
    )
    answer = resolve_actor("Zorbulon Quintrax", actors_files=[str(extra)])
    assert answer["country"] == "MDA" and answer["sectors"] == ["REB"]


def _entity_of(result, text):
    return next(m for m in result.actors if m.text == text)


SEED_ACTORS = [
    ("US Secretary of State Marco Rubio", "USA", "GOV"),
    ("President Donald Trump", "USA", "GOV"),
    ("Iran’s Supreme Leader Ayatollah Ali Khamenei", "IRN", "GOV"),
    ("envoy Steve Witkoff", "USA", "GOV"),
    ("Jared Kushner", "USA", "GOV"),
    ("UK Prime Minister Keir Starmer", "GBR", "GOV"),
    ("Chinese President Xi Jinping", "CHN", "GOV"),
]


@pytest.mark.parametrize(("text", "country", "sector"), SEED_ACTORS)
def test_seed_actors(seed_result, text, country, sector):
    mention = _entity_of(seed_result, text)
    assert mention.country == country and mention.sectors[:1] == [sector], mention


def test_seed_coreference(seed_result):
    rubio = _entity_of(seed_result, "US Secretary of State Marco Rubio").entity
    trump = _entity_of(seed_result, "President Donald Trump").entity
    khamenei = _entity_of(seed_result, "Iran’s Supreme Leader Ayatollah Ali Khamenei").entity
    by_text: dict[str, set[int | None]] = {}
    for m in seed_result.actors:
        by_text.setdefault(m.text, set()).add(m.entity)
    assert by_text["Rubio"] == {rubio}
    assert by_text["Trump"] == {trump}
    assert khamenei in by_text.get("the Ayatollah", set()) | by_text.get("Ayatollah", set())
    for pronoun in ("He", "he", "His"):
        assert by_text.get(pronoun, {rubio}) == {rubio}, pronoun
    # Places acting as governments.
    for text, code in (
        ("Washington", "USA"),
        ("Tehran", "IRN"),
        ("Beijing", "CHN"),
        ("China", "CHN"),
        ("Iran", "IRN"),
        ("the United States", "USA"),
    ):
        mentions = [m for m in seed_result.actors if m.text == text]
        assert mentions and all(m.country == code for m in mentions), text


def test_seed_bloomberg_is_media(seed_result):
    bloomberg = [m for m in seed_result.actors if m.text == "Bloomberg"]
    assert bloomberg and bloomberg[0].kind == "media"


def test_coordinated_places_share_the_role(pipeline):
    result = pipeline.process_text("The French and German foreign ministers will travel to Kyiv.")
    coded = {(m.text, m.country, tuple(m.sectors)) for m in result.actors}
    assert ("French", "FRA", ("GOV",)) in coded
    assert ("German foreign ministers", "DEU", ("GOV",)) in coded


def test_an_object_pronoun_is_not_its_clauses_subject(pipeline):
    result = pipeline.process_text(
        "President Biden called President Macron on Monday and praised him for his leadership."
    )
    him = next(m for m in result.actors if m.text == "him")
    assert him.country == "FRA"


def test_the_pope_is_the_pope_of_the_date(pipeline):
    text = "The Pope urged Cuba to free political prisoners during his visit to Havana."
    for date, name in (("1998-01-22", "Pope John Paul II"), ("2010-05-01", "Pope Benedict XVI")):
        pope = pipeline.process_text(text, date=date).actors[0]
        assert (pope.country, pope.name) == ("VAT", name)


def test_owners_named_by_of_and_for_place_a_role(pipeline):
    result = pipeline.process_text(
        "The military government of President Prosper Avril declared a state of siege in Haiti, "
        "a spokeswoman for the U.S. embassy said.",
        date="1990-01-20",
    )
    coded = {m.text: m.country for m in result.actors}
    assert coded["military government"] == "HTI"
    assert coded["spokeswoman"] == "USA"


def test_a_dateline_is_no_actor(pipeline):
    result = pipeline.process_text("BERLIN -- A court in Bavaria has convicted three men over an assault.")
    assert [m.text for m in result.actors][:1] == ["court in Bavaria"]
    assert result.events and result.events[0].source.country == "DEU"


def test_institutions_of_one_name_in_many_countries_take_the_country_the_text_gives(pipeline):
    # the Factbook lists a 'Constitutional Court' for dozens of countries: the name alone
    # must not pick one of them
    result = pipeline.process_text(
        "Turkey's Constitutional Court banned the party on Thursday.", date="2000-01-01"
    )
    court = next(m for m in result.actors if "Court" in m.text)
    assert court.country == "TUR" and "JUD" in court.sectors


def test_a_role_from_a_country_is_of_that_country(pipeline):
    result = pipeline.process_text(
        "Negotiators from Angola resumed talks in Brazzaville on Monday.", date="1988-07-11"
    )
    negotiators = next(m for m in result.actors if m.text.startswith("Negotiators"))
    assert negotiators.country == "AGO"


def test_another_countrys_namesake_institution():
    """'the Peruvian Congress' is Peru's legislature, not the US Congress (alias 'Congress')."""
    from communique.actors import ActorResolver, load_knowledge

    resolver = ActorResolver(load_knowledge(()))
    peru = resolver.resolve("the Peruvian Congress")
    assert (peru.country, peru.sectors, peru.name) == ("PER", ["LEG"], None)
    assert resolver.resolve("the US Congress").country == "USA"
    assert resolver.resolve("Congress").country == "USA"


def test_a_states_own_security_council_is_no_un_body():
    """'Georgia's Security Council' is Georgia's; 'the U.N. Security Council' stays the UN's."""
    from communique.actors import ActorResolver, load_knowledge

    resolver = ActorResolver(load_knowledge(()))
    assert resolver.resolve("Georgia's Security Council").country == "GEO"
    assert resolver.resolve("the Belarusian Security Council").country == "BLR"
    assert resolver.resolve("the U.N. Security Council").country == "UNO"
    assert resolver.resolve("the Security Council").country == "UNO"


def test_the_heads_of_an_of_phrase_read_from_the_arrays_are_the_parse_s(sentence_pipeline):
    """The role-title search walks a noun's right children only when the Doc's arrays say an
    'of' hangs from it ('Minister of Foreign Affairs'); the arrays must agree with the parse."""
    from communique.actors.component import _of_heads

    doc = sentence_pipeline.nlp(
        "The Minister of Foreign Affairs of Japan met the head of state. Of course, the leader of the opposition spoke."
    )
    walked = {t.i for t in doc if any(c.lower_ == "of" and c.dep_ == "prep" for c in t.children)}
    assert _of_heads(doc) == walked
    assert walked  # the sentence has some
    assert _of_heads(sentence_pipeline.nlp.make_doc("")) == frozenset()


def test_the_noun_chunks_read_from_the_arrays_are_spacy_s(sentence_pipeline):
    """The actor stage reads the noun chunks from the Doc's arrays (spaCy's iterator makes a
    Token for every word): they must be exactly spaCy's, conjuncts and nested phrases included."""
    from communique.actors.component import _noun_chunks

    doc = sentence_pipeline.nlp(
        "The foreign ministers of Russia and Turkey and their deputies met the UN envoy, who "
        "said they and the rebels had agreed. Police fired tear gas at protesters, students "
        "and workers in the capital's main square on Monday."
    )
    spacy_chunks = [(c.start, c.end, c.label_) for c in doc.noun_chunks]
    assert [(c.start, c.end, c.label_) for c in _noun_chunks(doc)] == spacy_chunks
    assert len(spacy_chunks) > 8  # pronouns and conjuncts among them
    assert _noun_chunks(sentence_pipeline.nlp.make_doc("")) == []


def _ruled(sentence_pipeline, words: str, ents: list[tuple[int, int, str]], *, tagged: bool = True):
    from spacy.tokens import Span

    nlp = sentence_pipeline.nlp
    doc = nlp.make_doc(words)
    if tagged:  # as the model leaves a Doc: every token inside or outside an entity
        doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return nlp.get_pipe("communique_entity_ruler")(doc)


def test_the_entity_ruler_sets_known_names_and_keeps_longer_model_entities(sentence_pipeline):
    """A known name at least as long as the model's entity replaces it, and what the replaced
    entity covered beyond the name is outside again; a longer model entity ('George
    Washington') is not cut down to the capital it contains."""
    doc = _ruled(
        sentence_pipeline,
        "Yesterday President Vladimir Putin met George Washington in Moscow",
        [(1, 3, "ORG"), (5, 7, "PERSON")],  # the model's 'President Vladimir' is cut wrong
    )
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Vladimir Putin", "PERSON"),
        ("George Washington", "PERSON"),
        ("Moscow", "GPE"),
    ]
    assert [t.ent_iob_ for t in doc] == ["O", "O", "B", "I", "O", "B", "I", "O", "B"]


def test_the_entity_ruler_tags_a_doc_without_entities_whole(sentence_pipeline):
    """A Doc no model tagged gets the known names, and every other token outside."""
    doc = _ruled(sentence_pipeline, "Officials in Moscow said so", [], tagged=False)
    assert [(e.text, e.label_) for e in doc.ents] == [("Moscow", "GPE")]
    assert [t.ent_iob_ for t in doc] == ["O", "O", "B", "O", "O"]
