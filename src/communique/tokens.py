"""Every token's words as plain strings, read once per Doc and shared by the stages.

A spaCy ``Token`` object is made anew on every ``doc[i]`` and every ``lemma_`` or ``lower_``
looks its string up again. The stages scan every token of a document for their cue words
(the quote stage for speech verbs, the event coder for triggers); through Token objects
that scan was the largest single cost of coding. ``doc_words`` reads the lemmas, lower-case
forms and offsets with one ``Doc.to_array`` and keeps them in ``Doc.user_data`` (plain lists,
as ``communique.spans.doc_text`` keeps the text) for the stages after it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

#: Where ``doc_words`` keeps a Doc's table in ``Doc.user_data``.
WORDS_KEY = "communique_words"


class DocWords(NamedTuple):
    """Token index -> its lemma lower-cased, its lower-case form, the character offsets where
    it starts and ends; ``n`` is the number of tokens it was read from. A tuple, so that a Doc
    serialised with its ``user_data`` stays serialisable (it comes back as a list, and is read
    again)."""

    n: int
    lemmas: list[str]
    lowers: list[str]
    idx: list[int]
    ends: list[int]

    @classmethod
    def of(cls, doc: Any) -> DocWords:
        """Read from the Doc (``doc_words`` reads it once and keeps it)."""
        if not len(doc):
            return cls(0, [], [], [], [])
        lemmas, lowers, idx, lengths = doc.to_array(["LEMMA", "LOWER", "IDX", "LENGTH"]).T.tolist()
        if len(_STRINGS) > _MAX_STRINGS:
            _STRINGS.clear()
        strings = doc.vocab.strings
        for h in set(lemmas).union(lowers).difference(_STRINGS):
            _STRINGS[h] = strings[h].lower()
        ends = [i + n for i, n in zip(idx, lengths, strict=True)]
        return cls(len(doc), [_STRINGS[h] for h in lemmas], [_STRINGS[h] for h in lowers], idx, ends)


def doc_words(doc: Any) -> DocWords:
    """The Doc's table, read on the first call and kept in ``doc.user_data`` (read again if the
    Doc's length changed, as a retokenised Doc's would)."""
    cached = doc.user_data.get(WORDS_KEY)
    if type(cached) is not DocWords or cached.n != len(doc):
        cached = doc.user_data[WORDS_KEY] = DocWords.of(doc)
    return cached


#: string hash -> the lower-cased string, shared by all Docs (a hash names one string in every
#: vocabulary); cleared when it grows past the bound, so a long run cannot fill memory.
_STRINGS: dict[int, str] = {}
_MAX_STRINGS = 1_000_000
