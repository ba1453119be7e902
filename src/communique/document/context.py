"""What is known of a whole document before its records are made: computed once per Doc.

* the dateline and the country it names;
* the country the article is about: the countries of its coded actor mentions, each
  weighted by how early it comes (a story's lead names its subject);
* per sentence, the country of the places it names ('in Nairobi', 'Kabul province').
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc

from communique.actors.knowledge import is_state_code
from communique.document.dateline import Dateline, find_dateline
from communique.lang import LANGUAGE, language_data
from communique.models import ActorMention

#: How many sentences in the weight of a mention halves (a lead outweighs the body).
_HALF_WEIGHT_SENTENCES = 3.0
#: The share of the weight the first country needs to be what the document is about.
_FOCUS_SHARE = 0.3
#: Words before a mention that make it the place of what the sentence tells.
_PLACE_WORDS = language_data(LANGUAGE, "document").words("place_words")


@dataclass(frozen=True)
class DocumentContext:
    """The document-wide facts the record stage decides with."""

    dateline: Dateline | None = None
    dateline_country: str | None = None
    country: str | None = None
    sentence_country: dict[int, str] = field(default_factory=dict)  # sentence start char -> country
    ranked: tuple[str, ...] = ()  # the article's states, most prominent first

    def other_party(self, country: str | None) -> str | None:
        """The most prominent state of the article other than ``country``."""
        return next((c for c in self.ranked if c != country), None)

    def place_of(self, sentence_start: int, local: bool = True) -> tuple[str | None, str]:
        """Where an actor that the text does not place acts, and why: the places its
        sentence names, else the country the document is about, else the dateline's (where
        the reporter files from is often not where the story happens: 'WASHINGTON - The UN
        Security Council ... Haiti'; measured on realnews, document first is the better).
        An actor that is not ``local`` (a minister, a government) is not placed by its
        sentence: 'the minister warned of a blockade on Gaza' is no Gazan minister."""
        if local and (country := self.sentence_country.get(sentence_start)) is not None:
            return country, "sentence"
        if self.country is not None:
            return self.country, "document"
        if self.dateline_country is not None:
            return self.dateline_country, "dateline"
        return None, ""


def build_context(
    doc: Doc, mentions: Sequence[ActorMention], country_of: Callable[[str], str | None]
) -> DocumentContext:
    """The context of ``doc``; ``country_of`` maps a place name to its country code."""
    text = doc.text  # spaCy joins the tokens on every read: read once
    dateline = find_dateline(text)
    dateline_country = None
    if dateline is not None:
        dateline_country = country_of(dateline.region or "") or country_of(dateline.place.title())
    starts = [s.start_char for s in doc.sents]
    weights = _weights(mentions, starts, dateline, _title_countries(doc._.title, country_of))
    return DocumentContext(
        dateline=dateline,
        dateline_country=dateline_country if is_state_code(dateline_country) else None,
        country=_focus(weights),
        ranked=tuple(c for c, _ in weights.most_common()),
        sentence_country=_sentence_places(text, mentions, starts),
    )


def _sentence_index(starts: list[int], char: int) -> int:
    return max(0, bisect_right(starts, char) - 1)


def _title_countries(title: str | None, country_of: Callable[[str], str | None]) -> list[str]:
    """The countries a headline names as actors ('Mali expels French envoy over remarks': MLI,
    FRA), by its capitalised words and runs of them ('South Sudan'); not where to or from
    ('flies prisoners from Saudi to Yemen')."""
    words = re.findall(r"[^\W\d_][\w.]*", title or "")  # 'Colombia's', 'India-Pakistan': the names
    found: list[str] = []
    i = 0
    while i < len(words):
        after_place_word = i > 0 and words[i - 1].lower() in _PLACE_WORDS
        code, n = _country_run(words, i, country_of)
        if code is not None and not after_place_word:
            found.append(code)
        i += n
    return found


def _country_run(words: list[str], i: int, country_of: Callable[[str], str | None]) -> tuple[str | None, int]:
    """The country the capitalised words from ``i`` name (longest run first), and its length."""
    for n in (3, 2, 1):
        run = words[i : i + n]
        if len(run) == n and all(w[0].isupper() for w in run):
            code = country_of(" ".join(run))
            if is_state_code(code):
                return str(code), n
    return None, 1


def _focus(weights: Counter[str]) -> str | None:
    """The country the article is about, when one outweighs the rest enough."""
    if not weights:
        return None
    (country, top), total = weights.most_common(1)[0], sum(weights.values())
    return country if top / total >= _FOCUS_SHARE else None


def _weights(
    mentions: Sequence[ActorMention], starts: list[int], dateline: Dateline | None, title: Sequence[str]
) -> Counter[str]:
    """The states of the article's coded mentions, each weighted by how early it comes; the
    headline's countries weigh as the lead's."""
    weights: Counter[str] = Counter(title)
    for m in mentions:
        if not is_state_code(m.country) or m.kind == "pronoun":
            continue
        if dateline is not None and dateline.covers(m.start, m.end):
            continue
        k = _sentence_index(starts, m.start)
        weights[str(m.country)] += 0.5 ** (k / _HALF_WEIGHT_SENTENCES)
    return weights


def _sentence_places(text: str, mentions: Sequence[ActorMention], starts: list[int]) -> dict[int, str]:
    """Sentence start -> the one country its place mentions name; a sentence naming places
    of two countries places nothing."""
    found: dict[int, set[str]] = {}
    for m in mentions:
        if not is_state_code(m.country) or not _is_place(text, m):
            continue
        found.setdefault(starts[_sentence_index(starts, m.start)], set()).add(str(m.country))
    return {start: next(iter(cs)) for start, cs in found.items() if len(cs) == 1}


def _is_place(text: str, mention: ActorMention) -> bool:
    """A place name ('Nairobi'), or a country named as where ('in Kenya', not 'Kenya said')."""
    if mention.kind == "place":
        return True
    if mention.kind != "country":
        return False
    before = text[max(0, mention.start - 12) : mention.start].split()
    return bool(before) and before[-1].lower() in _PLACE_WORDS
