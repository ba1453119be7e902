"""spaCy component of the places stage: ``doc._.places`` and each event's ``location``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from communique.actors.knowledge import is_state_code
from communique.lang import LANGUAGE, language_data
from communique.models import ActorMention, Event, Place
from communique.places.gazetteer import Entry, Gazetteer, load_gazetteer, place_key
from communique.places.location import PLACE_PREPS, choose_location, preposition_of
from communique.places.resolve import Toponym, resolve_toponyms
from communique.spans import SpanIndex

_WORDS = language_data(LANGUAGE, "places")
_PLACE_LABELS = frozenset(_WORDS.words("place_labels"))
_DEMONYM_LABELS = frozenset(_WORDS.words("demonym_labels"))
_MAYBE_LABELS = frozenset(_WORDS.words("maybe_place_labels"))
_PLACE_NOUNS = frozenset(_WORDS.words("place_nouns"))
_PLACE_VERBS = frozenset(_WORDS.words("place_verbs"))
_DIVISION_WORDS = frozenset(_WORDS.words("division_words"))
#: How the actor stage codes an actor's country from the words around it (``ActorMention.matched``):
#: from the text's places, not from knowledge of the actor.
_DERIVED_CODING = frozenset({"document-context", "sentence", "inferred", "place", "coreference"})


@Language.factory("communique_places", default_config={})
def make_places_component(nlp: Language, name: str) -> PlacesComponent:
    return PlacesComponent()


class PlacesComponent:
    """Finds and resolves the document's places, then places each event. The gazetteer is
    read at the first document (a few seconds), not when the pipeline loads."""

    def __call__(self, doc: Doc) -> Doc:
        gaz = load_gazetteer()
        toponyms = find_toponyms(doc, gaz)
        countries = actor_countries(doc._.actors or [], toponyms)
        entries = resolve_toponyms(toponyms, gaz, doc.text, countries)
        places = [as_place(t, e) for t, e in zip(toponyms, entries, strict=True)]
        doc._.places = places
        if doc._.events:
            where = location_candidates(doc, places)
            doc._.events = [locate(doc, e, where) for e in doc._.events]
        return doc


def actor_countries(actors: Sequence[ActorMention], toponyms: Sequence[Toponym]) -> list[str]:
    """The countries of the document's actors, evidence of where its places are: those the
    actor stage knows from the actor itself (a curated person, a ministry), not those it took
    from the document's place names ('Athens police', 'the Georgia state line', a person of
    the sentence or the document that names 'Paris'), which the places stage resolves in context
    itself: counting them again would count its first guess at the same name."""
    names = SpanIndex((t.start, t.end) for t in toponyms)
    return [
        str(m.country)
        for m in actors
        if is_state_code(m.country)
        and m.kind != "place"
        and not names.overlaps(m.start, m.end)
        and not _DERIVED_CODING.intersection(p.partition(":")[0] for p in (m.matched or "").split(";"))
    ]


def location_candidates(doc: Doc, places: Sequence[Place]) -> list[Place]:
    """The places that can be where an event happened: not demonyms ('a Palestinian man',
    'Serbs'), nor the dateline (where the report was filed)."""
    people = load_gazetteer().demonyms
    dateline = dateline_span(doc.text)
    return [p for p in places if place_key(p.text) not in people and (p.start, p.end) != dateline]


def find_toponyms(doc: Doc, gaz: Gazetteer) -> list[Toponym]:
    """The model's place entities ('Aleppo', 'the Middle East'), the demonyms that name a
    country ('Canadian'), and every other occurrence of a name the document uses as a place
    (one sense per discourse: the small model calls 'Alexandria' a person three times out of
    four, and 'Alexandria City Public Schools' an organisation); a leading 'the' is no part."""
    found = []
    for ent in doc.ents:
        demonym = ent.label_ in _DEMONYM_LABELS
        if ent.label_ not in _PLACE_LABELS and not demonym:
            continue
        span = ent[1:] if len(ent) > 1 and ent[0].lower_ == "the" else ent
        key = place_key(span.text)
        if key in gaz.not_places or (demonym and key not in gaz.adjectives):
            continue  # 'Canadian' places, 'Canadians' are people
        if ent.label_ == "FAC" and not gaz.lookup(span.text):
            continue  # streets and buildings: only those the gazetteer knows
        span = _with_division(span) if not demonym else span
        found.append(Toponym(span.text, span.start_char, span.end_char, demonym))
    found += _placed_by_words(doc, found, gaz)
    found = [part for t in found for part in _split_pair(t, gaz)]
    found += _dateline(doc.text, found, gaz)
    return sorted(found + _same_names(doc, found), key=lambda t: t.start)


def _split_pair(toponym: Toponym, gaz: Gazetteer) -> list[Toponym]:
    """'Wainwright, Alta' taken as one entity: two places, the town and its province."""
    text = toponym.text
    if ", " not in text or toponym.demonym or gaz.lookup(text):
        return [toponym]
    out, at = [], toponym.start
    for part in text.split(","):
        name = part.strip()
        if not name or not (gaz.lookup(name) or gaz.lookup(name + ".")):
            return [toponym]
        begin = at + part.index(name)
        out.append(Toponym(name, begin, begin + len(name)))
        at += len(part) + 1
    return out


#: A dateline: a name in capitals where the text or a sentence (after the headline) starts,
#: then a dash, an agency in brackets, or a comma and the place it lies in.
_CAPITALS_WORD = r"[A-Z][A-Z'’.\-]*[A-Z.]"
_DATELINE = re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*({_CAPITALS_WORD}(?: {_CAPITALS_WORD})*)")
_DATELINE_END = re.compile(r"[ \t]*(?:—|–|-{1,3})|[ \t]*\(|,[ \t]+")
#: How far into the text a dateline may stand (a headline may come first).
_DATELINE_WITHIN = 400


def _dateline(text: str, found: list[Toponym], gaz: Gazetteer) -> list[Toponym]:
    """The place of a dateline ('GLASGOW, Ky. (WBKO) -', 'Headline. MANSFIELD — The city'):
    the model takes no capitals for a name."""
    span = dateline_span(text, {t.start for t in found})
    if span is None or any(t.start < span[1] and span[0] < t.end for t in found):
        return []
    return [Toponym(text[span[0] : span[1]], *span)] if gaz.lookup(text[span[0] : span[1]]) else []


def dateline_span(text: str, place_starts: set[int] | None = None) -> tuple[int, int] | None:
    """Where the text's dateline names its place, or None. Only the first name in capitals that
    a dash, an agency in brackets or ', ' follows counts (', ' only before a place of
    ``place_starts`` when given): an article has one dateline."""
    for match in _DATELINE.finditer(text[:_DATELINE_WITHIN]):
        end_mark = _DATELINE_END.match(text, match.end())
        if end_mark is None:
            continue
        comma = end_mark.group().startswith(",")
        if comma and place_starts is not None and end_mark.end() not in place_starts:
            continue  # 'X, Y': the Y must be a place
        return match.span(1)
    return None


def _placed_by_words(doc: Doc, found: list[Toponym], gaz: Gazetteer) -> list[Toponym]:
    """Names the model does not label as places but the words around make places: after a
    preposition of place ('captured in Vogosca'), a place noun ('the town of Ibta', 'the
    Al-Qa’im border crossing') or as the ground a verb takes ('captured Zabdeen'). Coded
    actors ('in the Pentagon') are not places."""
    taken = SpanIndex((t.start, t.end) for t in found)
    actors = SpanIndex(
        (m.start, m.end) for m in doc._.actors or [] if (m.country or m.sectors) and m.kind != "place"
    )
    extra = []
    maybe = [e for e in doc.ents if e.label_ in _MAYBE_LABELS] + _unlabelled_names(doc)
    for ent in maybe:
        if taken.overlaps(ent.start_char, ent.end_char):
            continue
        if actors.contains(ent.start_char, ent.end_char):
            continue
        span = ent[1:] if len(ent) > 1 and ent[0].lower_ == "the" else ent
        if place_key(span.text) in gaz.not_places:
            continue  # '(1300 GMT)'
        before = doc[span.start - 1] if span.start > 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        of_place = before is not None and before.lower_ == "of" and before.head.lower_ in _PLACE_NOUNS
        named_place = (
            after is not None and after.lower_ in _PLACE_NOUNS and span.root.head.i in (after.i, after.head.i)
        )
        ground = (
            span.root.dep_ in ("dobj", "nsubjpass")
            and span.root.head.lemma_ in _PLACE_VERBS
            and ent.label_ != "PERSON"  # 'Mohammed was captured': people are captured too
        )
        if of_place or named_place or ground or preposition_of(span.root, PLACE_PREPS) is not None:
            span = _with_division(span)
            extra.append(Toponym(span.text, span.start_char, span.end_char))
    return extra


def _with_division(span: Span) -> Span:
    """'Deir Ezzor' + 'Governorate': the division's word is part of its name."""
    end = span.end
    while end < len(span.doc) and span.doc[end].text in _DIVISION_WORDS:
        end += 1
    return span.doc[span.start : end]


def _unlabelled_names(doc: Doc) -> list[Span]:
    """Runs of proper nouns outside every entity ('captured Zabdeen')."""
    runs, start = [], None
    for token in doc:
        inside = (token.pos_ == "PROPN" and not token.ent_type_ and token.text[:1].isupper()) or (
            start is not None and _joins_name(token)
        )
        if inside and start is None:
            start = token.i
        elif not inside and start is not None:
            runs.append(doc[start : token.i])
            start = None
    if start is not None:
        runs.append(doc[start:])
    return runs


def _joins_name(token: Token) -> bool:
    """A hyphen inside a name with no space around it ('Al-Sha’ar', 'Dasht-e Archi')."""
    doc = token.doc
    return (
        token.text == "-"
        and not doc[token.i - 1].whitespace_
        and not token.whitespace_
        and token.i + 1 < len(doc)
        and doc[token.i + 1].text[:1].isalpha()
    )


def _same_names(doc: Doc, found: list[Toponym]) -> list[Toponym]:
    """The other occurrences of the place names in ``found``, but not inside a person's
    name of several words ('George Washington')."""
    names = {t.text for t in found if not t.demonym and t.text[:1].isupper()}
    if not names:
        return []
    people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
    taken = SpanIndex([(t.start, t.end) for t in found] + people)
    pattern = re.compile(
        r"(?<![\w.])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?!\w)"
    )
    extra = []
    for match in pattern.finditer(doc.text):
        start, end = match.span()
        if taken.overlaps(start, end):
            continue
        extra.append(Toponym(match.group(), start, end))
    return extra


def as_place(toponym: Toponym, entry: Entry | None) -> Place:
    place = Place(text=toponym.text, start=toponym.start, end=toponym.end)
    if entry is None:
        return place
    return place.model_copy(
        update={
            "name": entry.name,
            "country": entry.country,
            "admin1": entry.admin1,
            "admin1_code": entry.admin1_code,
            "lat": entry.lat,
            "lon": entry.lon,
            "geonames_id": entry.geonames_id,
            "feature_code": entry.feature_code,
        }
    )


def locate(doc: Doc, event: Event, places: Sequence[Place]) -> Event:
    """The event with its location resolved: the place the record stage chose (a place
    that was the act's object, 'withdrew from Goma'), else the one its words attach to."""
    if event.location is not None:
        same = [p for p in places if p.start < event.location.end and event.location.start < p.end]
        located = same[0] if same else Place(**event.location.model_dump(include={"text", "start", "end"}))
        return event.model_copy(update={"location": located})
    inside = [p for p in places if event.sentence.start <= p.start < event.sentence.end]
    index = choose_location(doc, (event.trigger.start, event.trigger.end), inside)
    return event if index is None else event.model_copy(update={"location": inside[index]})
