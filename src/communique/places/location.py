"""Where one event happened: the place of its own sentence that the event's words attach to.

'In the West Bank city of Nablus Saturday, a Palestinian man ... was shot': Nablus, by the
preposition 'in' that hangs under the verb. Not every place of the sentence: a place that
names an actor ('Iran said') or a demonym ('a Palestinian man') is no location, and a
sentence that names no place gives none (the dateline is where the *report* was filed).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from communique.lang import LANGUAGE, language_data
from communique.models import Place

_WORDS = language_data(LANGUAGE, "places")
LOCATION_PREPS = frozenset(_WORDS.words("location_preps"))
PLACE_PREPS = frozenset(_WORDS.words("place_preps"))
#: How far up the parse a place's preposition may hang below the event's word.
_MAX_STEPS = 4
#: Levels of evidence that a place is the event's: its preposition attaches to the event's
#: word; it follows a preposition of place elsewhere in the sentence; it is merely named.
ATTACHED, PREPOSITION, NAMED = 3, 2, 1
#: The weakest evidence that still places an event: a place merely named in the sentence
#: (measured on the event-location data: news names the place of its act even without a
#: preposition, "the Abuja home", "patrolled Bari"; abstaining there costs more than it saves).
MIN_LEVEL = NAMED


def _root(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def preposition_of(token: Token, preps: frozenset[str] = LOCATION_PREPS) -> Token | None:
    """The preposition of place a place name hangs under: 'in' of 'in the city of Nablus',
    of "in Iraq's third city", of 'in the West Bank town of Bethlehem'."""
    node = token
    for _ in range(5):
        if node.dep_ == "pobj" and node.head.lower_ in preps:
            return node.head
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.i != node.head.i:
            node = node.head.head  # 'city of Nablus': on from 'city'
        elif node.dep_ in _NAME_PARTS and node.head.i != node.i:
            node = node.head
        else:
            return None
    return None


#: Dependencies by which a name is part of a bigger noun phrase ('the Abuja home', "Iraq's city").
_NAME_PARTS = frozenset({"compound", "appos", "conj", "nmod", "amod", "poss", "case"})
#: A place that is the act's own object or passive subject is where it happened ('patrolled
#: Bari', 'Bosnia is still patrolled').
_ARGUMENTS = frozenset({"dobj", "nsubjpass"})


def _level(doc: Doc, trigger: Token, place: tuple[int, int]) -> int:
    token = _root(doc, *place)
    if token is None:
        return 0
    if token.dep_ in _ARGUMENTS and token.head.i == trigger.i:
        return ATTACHED
    prep = preposition_of(token)
    if prep is None:
        return NAMED
    node = prep.head
    for _ in range(_MAX_STEPS):
        if node.i == trigger.i:
            return ATTACHED
        if node.head.i == node.i:
            break
        node = node.head
    return PREPOSITION


def _specificity(place: Place) -> int:
    """A town before its division before its country or region: 'Mauthausen, Austria', 'the
    West Bank town of Bethlehem' happened in the town (an unresolved name is a small place)."""
    code = place.feature_code or "PPL"
    return 0 if code in _WIDE else 1 if code == "ADM1" else 2


_WIDE = frozenset({"PCLI", "CONT", "RGN"})


def choose_location(
    doc: Doc, trigger: tuple[int, int], places: Sequence[Place], min_level: int = MIN_LEVEL
) -> int | None:
    """Index into ``places`` (those of the event's sentence, no demonyms) of where the event
    whose words are ``trigger`` happened, or None when its sentence does not say. Ranked by
    how the place attaches to the event, then how specific it is, then the first named (a
    story names the place of its act first: measured on the event-location data, better
    than the nearest to the verb)."""
    root = _root(doc, *trigger)
    if root is None or not places:
        return None
    ranked = sorted(
        ((_level(doc, root, (p.start, p.end)), _specificity(p), -p.start, i) for i, p in enumerate(places)),
        reverse=True,
    )
    level, *_, index = ranked[0]
    return index if level >= min_level else None
