"""The per-Doc token table the stages scan instead of Token objects (communique.tokens)."""

from __future__ import annotations

from communique.quotes.extractor import QuoteExtractor
from communique.quotes.lexicon import VerbCue
from communique.tokens import WORDS_KEY, doc_words


def test_the_table_says_what_the_tokens_say(sentence_pipeline):
    doc = sentence_pipeline.nlp("The UN's envoys met in Geneva; NATO test-fired nothing. Ça va, İzmir.")
    words = doc_words(doc)
    assert words.lemmas == [t.lemma_.lower() for t in doc]
    assert words.lowers == [t.lower_ for t in doc]
    assert words.idx == [t.idx for t in doc]
    assert words.ends == [t.idx + len(t) for t in doc]
    assert doc_words(sentence_pipeline.nlp.make_doc("")).lemmas == []


def test_the_table_is_read_once_and_again_for_a_new_length(sentence_pipeline):
    doc = sentence_pipeline.nlp("Kenya sent police to Haiti.")
    first = doc_words(doc)
    assert doc.user_data[WORDS_KEY][0] == len(doc)
    assert doc_words(doc).lemmas == first.lemmas
    doc.user_data[WORDS_KEY] = (len(doc) + 1, [], [], [], [])  # as if the Doc had been retokenised
    assert doc_words(doc).lowers == first.lowers


def test_a_speech_verb_added_to_the_lexicon_is_still_a_cue(sentence_pipeline):
    """The quote stage passes by tokens that are no cue word; a verb a user adds after the
    extractor was built is one (the cue words are rebuilt when the lexicon grows)."""
    extractor = QuoteExtractor()
    doc = sentence_pipeline.nlp('"We will not yield," the minister grumbled.')
    assert "grumble" not in extractor.cue_words()
    before = extractor(doc)
    extractor.lex.verbs["grumble"] = VerbCue(lemma="grumble", speech=True)
    try:
        assert "grumble" in extractor.cue_words()
        after = extractor(doc)
    finally:
        del extractor.lex.verbs["grumble"]
    assert not any(q.cue and q.cue.text == "grumbled" for q in before)
    assert any(q.cue and q.cue.text == "grumbled" for q in after)


def test_a_serialised_doc_keeps_its_table_readable(sentence_pipeline):
    """The table lives in ``user_data``, which ``Doc.to_bytes`` writes with msgpack: it must
    serialise, and a Doc read back (the tuple comes back as a list) reads it again."""
    from spacy.tokens import Doc

    doc = sentence_pipeline.nlp.make_doc("Kenya sent police to Haiti.")
    words = doc_words(doc)
    back = Doc(doc.vocab).from_bytes(doc.to_bytes())
    assert doc_words(back).lowers == words.lowers
    assert doc_words(back).idx == words.idx
