"""The quote stage: direct, indirect and mixed quotes with their speakers (communique.quotes).

Every sentence here is written for the test (no real article), except the seed article
test, which reads ../shared/seed/article.txt when it is there.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from communique.models import Quote, Result
from communique.quotes.extractor import QuoteExtractor
from communique.quotes.lexicon import load_lexicon, parse_lexicon
from communique.quotes.marks import pair_quotes
from conftest import SEED, need_shared

FIXTURES = Path(__file__).parent / "fixtures" / "quotes"


@pytest.fixture(scope="module")
def pipe(pipeline):
    """The spaCy pipeline, loaded once (the session's communique.pipeline.Pipeline())."""
    return pipeline


def run(pipe, text: str) -> Result:
    result = pipe.process_text(text, date="2026-02-10")
    check_offsets(result)
    return result


def check_offsets(result: Result) -> None:
    """Every span points at its own characters; a quote's extent covers its parts."""
    text = result.text or ""
    for q in result.quotes:
        assert text[q.content.start : q.content.end] == q.content.text
        assert 0 <= q.start <= q.content.start <= q.content.end <= q.end <= len(text)
        assert q.events == []
        if q.cue is not None:
            assert text[q.cue.start : q.cue.end] == q.cue.text
        if q.speaker is not None:
            assert text[q.speaker.start : q.speaker.end] == q.speaker.text


def only(quotes: list[Quote], kind: str | None = None) -> Quote:
    found = [q for q in quotes if kind is None or q.kind == kind]
    assert len(found) == 1, [(q.kind, q.content.text) for q in quotes]
    return found[0]


def with_content(quotes: list[Quote], words: str) -> Quote:
    found = [q for q in quotes if words in q.content.text]
    assert found, f"no quote holds {words!r}: {[q.content.text for q in quotes]}"
    return found[0]


def mention_entity(result: Result, surface: str) -> int | None:
    for m in result.actors:
        if m.text == surface:
            return m.entity
    raise AssertionError(f"no actor mention {surface!r}: {[m.text for m in result.actors]}")


# -- quotation marks ---------------------------------------------------------------------------
STYLES = [
    ('"', '"'),
    ("“", "”"),
    ("‘", "’"),
    ("'", "'"),
    ("«", "»"),
    ("„", "“"),
    ("″", "″"),
    ("''", "''"),
]


@pytest.mark.parametrize(("opening", "closing"), STYLES)
def test_every_quote_style(pipe, opening, closing):
    result = run(pipe, f"{opening}We will not give up on the talks,{closing} Rubio said on Monday.")
    q = only(result.quotes)
    assert q.kind == "direct"
    assert q.content.text == "We will not give up on the talks,"
    assert q.cue is not None and q.cue.text == "said"
    assert q.speaker is not None and "Rubio" in q.speaker.text


def test_apostrophes_are_not_quote_marks():
    text = "Rubio’s aides said the ’90s policy shouldn’t return, and the students' votes counted."
    assert pair_quotes(text) == []


def test_nested_quotes_stay_inside():
    text = "“He told me ‘no way’ in Geneva,” she said."
    (q,) = pair_quotes(text)
    assert text[q.inner_start : q.inner_end] == "He told me ‘no way’ in Geneva,"


def test_multi_sentence_quote(pipe):
    text = "“We will talk. We will not yield. Nobody should doubt it,” the minister said."
    q = only(run(pipe, text).quotes)
    assert q.content.text == "We will talk. We will not yield. Nobody should doubt it,"
    assert q.speaker is not None and q.speaker.text.endswith("minister")


def test_quote_continues_into_next_paragraph(pipe):
    text = (
        "“We will talk to anybody who wants peace.\n\n"
        "“That has been our policy for years,” Rubio said.\n\nThe talks resume on Friday."
    )
    q = only(run(pipe, text).quotes, "direct")
    assert q.content.text.startswith("We will talk")
    assert q.content.text.endswith("for years,")
    assert q.speaker is not None and q.speaker.text == "Rubio"


def test_unclosed_quote_closes_at_paragraph_end(pipe):
    text = "Rubio said: “We will talk to anybody\n\nThe talks resume on Friday in Geneva."
    q = only(run(pipe, text).quotes, "direct")
    assert q.content.text == "We will talk to anybody"
    assert q.speaker is not None and q.speaker.text == "Rubio"


# -- where the speaker stands ------------------------------------------------------------------
def test_speaker_before_the_quote(pipe):
    q = only(run(pipe, "Rubio said: “We will not allow Iran to build a bomb.”").quotes)
    assert (q.kind, q.cue.text, q.speaker.text) == ("direct", "said", "Rubio")
    assert q.start == 0 and q.end == len("Rubio said: “We will not allow Iran to build a bomb.”")


def test_speaker_after_the_quote_inverted(pipe):
    q = only(run(pipe, "“The border stays closed,” said Hugh Hill, a doctor at the city hospital.").quotes)
    assert q.content.text == "The border stays closed,"
    assert q.speaker is not None and "Hugh Hill" in q.speaker.text


def test_speaker_in_the_middle(pipe):
    text = "“I serve under a President that’s willing to meet with anybody,” Rubio said, “and he means it.”"
    q = only(run(pipe, text).quotes)
    assert q.kind == "direct"
    assert q.content.text.startswith("I serve under a President")
    assert q.content.text.endswith("and he means it.")
    assert q.speaker is not None and q.speaker.text == "Rubio"
    assert q.cue is not None and q.cue.text == "said"


def test_interrupted_quote_has_its_pieces(pipe):
    text = "“I serve under a President that’s willing to meet with anybody,” Rubio said, “and he means it.”"
    q = only(run(pipe, text).quotes)
    assert [p.text for p in q.content_parts] == [
        "I serve under a President that’s willing to meet with anybody,",
        "and he means it.",
    ]
    assert not q.covers(text.index("Rubio said"))
    assert q.covers(text.index("he means"))


def test_quote_after_the_attribution_sentence_is_the_same_quote(pipe):
    text = (
        "The minister spoke after the vote.\n\n“We had a lot of support,” Berg, after a long pause, "
        "said of the plan. “I’d be glad to try again.”"
    )
    q = with_content(run(pipe, text).quotes, "We had a lot of support")
    assert [p.text for p in q.content_parts] == ["We had a lot of support,", "I’d be glad to try again."]
    assert q.speaker is not None and q.speaker.text == "Berg"


def test_floating_quote_after_narrative_continues_the_attribution(pipe):
    text = (
        "“Those are very small towns,” Woolson said. They lie far from any city. "
        "“That’s a tough area.”\n\nThe campaign moved on."
    )
    q = only(run(pipe, text).quotes)
    assert [p.text for p in q.content_parts] == ["Those are very small towns,", "That’s a tough area."]
    assert not q.covers(text.index("They lie"))
    assert q.speaker is not None and q.speaker.text == "Woolson"


def test_partial_quote_in_the_next_sentence_continues_the_report(pipe):
    text = '"It is ambush journalism," she says. It is "this new in-your-face journalism." The show ended.'
    q = only(run(pipe, text).quotes)
    assert [p.text for p in q.content_parts] == [
        "It is ambush journalism,",
        'It is "this new in-your-face journalism."',
    ]
    assert q.speaker is not None and q.speaker.text == "she"


def test_floating_quote_after_a_mixed_report_continues_it(pipe):
    text = (
        '"You have got one candidate who embraces the past" that is blatantly sexist, Brock said. '
        '"There is no better foil for her."\n\nThe campaign went on.'
    )
    q = with_content(run(pipe, text).quotes, "You have got one candidate")
    assert q.kind == "mixed"
    assert q.parts()[-1].text == "There is no better foil for her."
    assert q.speaker is not None and q.speaker.text == "Brock"


def test_mistagged_speech_verb_after_a_quote(pipe):
    text = '"The kingdom fights terror," the Saudis state in the paper. "It shares the same enemies."'
    q = only(run(pipe, text).quotes)
    assert q.cue is not None and q.cue.text == "state"
    assert len(q.content_parts) == 2


def test_nickname_in_a_speaker_name_is_no_quote(pipe):
    text = (
        '"This is a big year for us!" state Del. Marcia "Cia" Price shouted to the crowd. "We have his back."'
    )
    q = with_content(run(pipe, text).quotes, "This is a big year")
    assert q.cue is not None and q.cue.text == "shouted"
    assert q.speaker is not None and "Price" in q.speaker.text


def test_verbless_continuation_after_the_attribution(pipe):
    text = "“Here comes Big Daddy,” she said, clapping. “The Donald. Big Daddy.”\n\nThe rally began."
    q = only(run(pipe, text).quotes)
    assert [p.text for p in q.content_parts] == ["Here comes Big Daddy,", "The Donald. Big Daddy."]


def test_pull_quote_repeated_in_the_body_is_not_recorded_twice(pipe):
    text = (
        "Perez meets the mayor.\n\n'We are vetting VP candidates!'\n\nIt is awkward to audition. "
        '"We are vetting VP candidates!" said Arturo Vargas, who leads the group.'
    )
    quotes = [q for q in run(pipe, text).quotes if "vetting" in q.content.text]
    assert len(quotes) == 1 and quotes[0].speaker is not None and quotes[0].speaker.text == "Arturo Vargas"


def test_quote_opening_its_paragraph_belongs_to_the_report_after_it(pipe):
    text = (
        "The vote was close.\n\n“We will try again.” Berg, the party leader, said the count would be checked."
    )
    q = only(run(pipe, text).quotes)
    assert q.kind == "mixed" and q.speaker is not None and q.speaker.text == "Berg"
    assert [p.text for p in q.content_parts] == ["We will try again.", "the count would be checked"]


def test_partial_quote_in_an_object_phrase(pipe):
    q = only(run(pipe, "Trump is promising lower taxes and “jobs, jobs, jobs,” but he gave no plan.").quotes)
    assert q.kind == "mixed" and q.content.text.startswith("lower taxes and")


def test_coordinated_quotes_are_one_report(pipe):
    text = 'The crowd chanted back at him, "Send them home," and "Build the wall." Then he left.'
    q = with_content(run(pipe, text).quotes, "Send them home")
    assert [p.text for p in q.content_parts] == ["Send them home,", "Build the wall."]


def test_quoted_as_saying(pipe):
    text = "“Our method works,” Braynard is quoted as saying. “We are in and out of the field faster.”"
    q = only(run(pipe, text).quotes)
    assert q.speaker is not None and q.speaker.text == "Braynard"
    assert len(q.content_parts) == 2


def test_titles_are_not_quotes(pipe):
    text = (
        "Mr. Obama backed her up in an interview last October on CBS' ''60 Minutes.'' ''I don't "
        "think it posed a problem,'' he said. Aides read “Collapse: How Societies Choose to Fail "
        "or Succeed,” a best seller."
    )
    quotes = run(pipe, text).quotes
    assert [q.content.text for q in quotes if q.kind != "indirect"] == ["I don't think it posed a problem,"]


def test_colon_introduced_quote_without_verb(pipe):
    q = only(run(pipe, "Opposition leader Tomas Berg was blunt: “This government is naive.”").quotes)
    assert q.kind == "direct"
    assert q.cue is not None and q.cue.text == ":"
    assert q.speaker is not None and "Berg" in q.speaker.text


def test_floating_quote_takes_the_previous_speaker(pipe):
    text = "Rubio said the talks would continue.\n\n“Nobody should read weakness into this.”\n\nThe talks resume."
    result = run(pipe, text)
    q = with_content(result.quotes, "Nobody should read weakness")
    assert q.kind == "direct" and q.cue is None
    assert q.speaker is not None and q.speaker.text == "Rubio"


def test_floating_headline_takes_the_next_speaker(pipe):
    text = "‘Talks Are Not A Reward’\nIn a speech on Monday, Rubio argued that talks must go on."
    result = run(pipe, text)
    q = with_content(result.quotes, "Talks Are Not A Reward")
    assert q.kind == "direct" and q.content.text == "Talks Are Not A Reward"
    assert q.speaker is not None and q.speaker.text == "Rubio"


def test_partial_quote_inside_reported_speech_is_mixed(pipe):
    result = run(pipe, "Rubio said the talks were “productive and frank” and would continue next week.")
    q = only(result.quotes)
    assert q.kind == "mixed"
    assert "the talks were “productive and frank” and would continue" in q.content.text
    assert q.speaker is not None and q.speaker.text == "Rubio"


def test_scare_quotes_are_not_quotes(pipe):
    result = run(pipe, "The so-called “peace plan” was published in Geneva on Monday.")
    assert result.quotes == []


def test_odd_quote_counts_never_break_pairing(pipe):
    text = 'He said “we will win, and soon.\n\nRubio said: “Nobody is safe.” The ’90s are over, he said"'
    result = run(pipe, text)
    first = with_content(result.quotes, "we will win")
    assert first.content.text == "we will win, and soon."  # closed at the end of its paragraph
    q = with_content(result.quotes, "Nobody is safe")
    assert q.kind == "direct" and q.speaker is not None and q.speaker.text == "Rubio"


def test_fuzz_quote_characters_never_crash(pipe):
    rng = random.Random(20260210)
    alphabet = [*"\"'“”‘’«»„‚‹›″′`", "''", " ", " ", "\n", "\n\n", "a", "Rubio", "said", ".", ",", "n’t"]
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        last = -1
        for q in pair_quotes(text):
            assert last <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(text)
            last = q.end
    for _ in range(40):
        words = [rng.choice(alphabet) for _ in range(rng.randint(1, 30))]
        text = "Rubio said " + "".join(words) + " today."
        check_offsets(pipe.process_text(text))


def test_dash_attribution(pipe):
    text = (
        "“The border must stay open for the families.” ― Ana Varga\n“We are tired of waiting.” ― Tomas Berg"
    )
    result = run(pipe, text)
    assert [(q.cue.text, q.speaker.text) for q in result.quotes] == [("―", "Ana Varga"), ("―", "Tomas Berg")]


def test_unmarked_block_quotes(pipe):
    text = (
        "Partial transcript as follows:\n\nWALLACE: Why would the senator do that?\n\n"
        "BERG: Because the talks have failed twice.\n\nThe governor added:\n\nThe talks have failed twice."
    )
    result = run(pipe, text)
    got = [(q.kind, q.speaker.text if q.speaker else None, q.content.text) for q in result.quotes]
    assert ("direct", "WALLACE", "Why would the senator do that?") in got
    assert ("direct", "BERG", "Because the talks have failed twice.") in got
    assert with_content(result.quotes, "The talks have failed twice.").cue.text == "added"


# -- indirect quotes ---------------------------------------------------------------------------
def test_indirect_quote_with_that_clause(pipe):
    q = only(run(pipe, "Rubio warned that Iran would face consequences if it attacked.").quotes)
    assert q.kind == "indirect"
    assert q.content.text == "that Iran would face consequences if it attacked"
    assert (q.cue.text, q.speaker.text) == ("warned", "Rubio")


def test_indirect_quote_with_object(pipe):
    text = "Rubio dismissed speculation that allies were drifting toward China."
    q = only(run(pipe, text).quotes)
    assert q.kind == "indirect" and q.content.text.startswith("speculation that allies")
    assert q.cue.text == "dismissed"


def test_parenthetical_cue(pipe):
    q = only(run(pipe, "The US, he reiterated, will not allow Iran to acquire nuclear weapons.").quotes)
    assert q.kind == "indirect"
    assert q.cue.text == "reiterated"
    assert q.content.text == "will not allow Iran to acquire nuclear weapons"
    assert "reiterated" not in q.content.text


def test_according_to(pipe):
    q = only(run(pipe, "According to Rubio, envoys from both sides could meet in Vienna.").quotes)
    assert q.kind == "indirect"
    assert q.cue.text == "According to"
    assert q.speaker.text == "Rubio"
    assert q.content.text == "envoys from both sides could meet in Vienna"


def test_passive_agent_is_the_speaker(pipe):
    text = "The ceasefire was announced by the Turkish foreign ministry on Monday."
    q = only(run(pipe, text).quotes)
    assert q.cue.text == "announced"
    assert q.content.text == "The ceasefire"
    assert "ministry" in q.speaker.text


def test_speaker_with_apposition(pipe):
    text = "Hugh Hill, a doctor at the city hospital, said the wounded were in a stable condition."
    q = only(run(pipe, text).quotes)
    assert q.speaker.text == "Hugh Hill"
    assert q.content.text == "the wounded were in a stable condition"


def test_pronoun_speaker_resolves_through_the_actor_stage(pipe):
    text = "Foreign Minister Ana Varga arrived in Vienna on Monday. She said the border would stay closed."
    result = run(pipe, text)
    q = only(result.quotes)
    assert q.speaker.text == "She"
    assert q.speaker.entity is not None
    assert q.speaker.entity == mention_entity(result, "She")
    assert q.speaker.entity == mention_entity(result, "Foreign Minister Ana Varga")


def test_role_speaker_is_the_actor_mention(pipe):
    text = "Sergei Lavrov flew to Ankara. The foreign minister said the talks had been useful."
    result = run(pipe, text)
    q = only(result.quotes)
    assert "minister" in q.speaker.text
    same = [m for m in result.actors if (m.start, m.end) == (q.speaker.start, q.speaker.end)]
    if same:  # the speaker is the actor stage's mention, with its entity and codes
        assert q.speaker.entity == same[0].entity
        assert q.speaker.country == same[0].country


def test_unknown_speaker_gets_an_uncoded_mention(pipe):
    q = only(run(pipe, "A senior aide to the governor said the plan was dead.").quotes)
    assert q.speaker is not None and "aide" in q.speaker.text
    assert q.speaker.start < q.cue.start


# -- medium ------------------------------------------------------------------------------------
def test_outlet_is_the_medium_not_the_speaker(pipe):
    result = run(pipe, "Rubio told Bloomberg that the talks would continue.")
    q = only(result.quotes)
    assert q.medium == "Bloomberg"
    assert q.speaker.text == "Rubio"
    assert q.content.text == "that the talks would continue"


def test_interview_with_outlet(pipe):
    result = run(pipe, "In an interview with Bloomberg, Rubio stressed that a meeting is not a concession.")
    q = only(result.quotes)
    assert q.medium == "Bloomberg"
    assert q.speaker.text == "Rubio"
    assert all(q.speaker is None or "Bloomberg" not in q.speaker.text for q in result.quotes)


def test_interview_phrase_is_a_cue_of_its_own(pipe):
    q = only(
        run(pipe, "In an interview with Bloomberg on Sunday, Rubio laid out a plan for the talks.").quotes
    )
    assert (q.cue.text, q.medium, q.speaker.text) == ("In an interview", "Bloomberg", "Rubio")
    assert q.content.text == "laid out a plan for the talks"


def test_listeners_are_not_outlets(pipe):
    q = only(run(pipe, "Rubio told reporters that the talks would continue.").quotes)
    assert q.medium is None


# -- a whole article ---------------------------------------------------------------------------
def test_briefing_fixture(pipe):
    result = run(pipe, (FIXTURES / "briefing.txt").read_text(encoding="utf-8"))
    quotes = result.quotes
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    headline = with_content(quotes, "Talks Are Not A Reward")
    assert headline.kind == "direct" and headline.speaker is not None and "Varga" in headline.speaker.text
    two_paragraphs = with_content(quotes, "Nobody should read weakness")
    assert two_paragraphs.content.text.endswith("Our door stays open,")
    assert with_content(quotes, "envoys from both sides").cue.text == "According to"
    told = with_content(quotes, "her country’s aid")
    assert told.medium == "Reuters" and told.speaker.text == "Varga"
    berg = with_content(quotes, "Naivety has never kept a border safe")
    assert berg.content.text.endswith("and it never will.") and berg.speaker.text == "Berg"


def test_we_inside_a_quote_takes_the_speakers_codes(pipe):
    result = run(pipe, "“We will defend our border,” US Secretary of State Marco Rubio said.")
    q = only(result.quotes)
    if not q.speaker.country:
        pytest.skip("the actor knowledge does not code Rubio yet")
    we = [m for m in result.actors if m.text == "We"]
    assert we and we[0].country == q.speaker.country


# -- the cue lexicon ---------------------------------------------------------------------------
def test_cue_lexicon_is_data():
    lex = load_lexicon()
    assert lex.verb("say").speech and lex.verb("deny").object
    assert lex.verb("tell").addressee
    assert not lex.verb("believe").speech
    assert any(p.form == "according" for p in lex.phrases)
    with pytest.raises(ValueError):
        parse_lexicon({"verbs": {"say": {"kind": "shout"}}})


def test_other_cues_only_on_request(pipe):
    text = "Rubio believes that the talks will succeed."
    assert run(pipe, text).quotes == []
    doc = pipe.nlp(text)
    quotes = QuoteExtractor(load_lexicon(), include_other=True)(doc)
    assert [q.cue.text for q in quotes] == ["believes"]


# -- the seed article --------------------------------------------------------------------------
SEED_INDIRECT = [
    "Trump remains open to direct talks",
    "Trump sees direct engagement as a practical diplomatic tool",
    "such engagement would not imply agreement",
    "Trump prefers negotiations over prolonged confrontation",
    "the move is intended to deter potential Iranian attacks",
    "will not allow Iran to acquire nuclear weapons",
    "upcoming diplomatic engagements could involve",
    "speculation that key US allies are drifting toward China",
    "dialogue among major global powers is both normal and necessary",
    "Trump has previously met Chinese President Xi Jinping",
]


def test_seed_article(pipe):
    need_shared(SEED)
    result = run(pipe, SEED.read_text(encoding="utf-8"))
    quotes = result.quotes
    rubio = mention_entity(result, "US Secretary of State Marco Rubio")
    rubio_codes = next((m.country, m.sectors) for m in result.actors if m.entity == rubio)
    for q in quotes:
        assert q.speaker is not None and q.speaker.entity == rubio, (q.content.text, q.speaker)
        if rubio_codes[0]:
            assert (q.speaker.country, q.speaker.sectors) == rubio_codes
    serve = with_content(quotes, "I serve under a President that’s willing to meet with anybody,")
    prefer = with_content(quotes, "The President would always prefer to end problems with a deal,")
    headline = with_content(quotes, "Meeting Is Not A Concession")
    assert (serve.kind, prefer.kind, headline.kind) == ("direct", "direct", "direct")
    assert prefer.speaker.text == "he" and prefer.cue.text == "said"
    for words in SEED_INDIRECT:
        assert with_content(quotes, words).kind == "indirect"
    assert with_content(quotes, "upcoming diplomatic engagements").cue.text == "According to"
    bloomberg = with_content(quotes, "Trump sees direct engagement")
    assert bloomberg.medium == "Bloomberg"
    assert not any(q.speaker and q.speaker.text == "Bloomberg" for q in quotes)
