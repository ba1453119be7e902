"""Toponym resolution: each place name of a document to one gazetteer entry, or to none.

Not the first name match: every namesake is scored by what the document says about it,
as the strong geoparsers do (Mordecai, CLAVIN, the Edinburgh geoparser):

* a prior: its population (a capital of millions before a hamlet), and its kind (the name
  of a country or a division before a town of the same name);
* "X, Y": 'Aleppo, Syria' or 'Alexandria, La.' puts X inside Y;
* the document's countries and divisions: the other places it names, resolved first by
  their priors, then again with what the others say (two rounds), and the countries of its
  actors ('Kenyan police', 'Ruto');
* abstention: a small place that nothing in the document supports, while a namesake exists
  elsewhere, stays unresolved rather than guessed far away.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from communique.lang import LANGUAGE, language_data
from communique.places.gazetteer import Entry, Gazetteer, place_key

#: Points for a namesake in the country the document is most about (its actors and places).
_FOCUS = 2.5
FOCUS_ELSEWHERE = 0.5
#: Points for a namesake in a country the document's other places name (scaled by share).
_CONTEXT = 2.5
#: Points for a namesake inside a division ('Alberta') that the document names.
_ADMIN = 3.0
#: Points for a namesake inside the Y of an "X, Y".
_CONTAINED = 8.0
#: Points against a namesake matched only by an alternate spelling.
_ALTERNATE = 1.5
#: Points for the kinds of place that news names by themselves.
_KIND = {"PCLI": 3.0, "CONT": 3.0, "RGN": 3.0, "ADM1": 1.0, "PPLC": 1.0}
#: A town smaller than this with no support in the document, while namesakes exist: abstain.
_UNSUPPORTED_POPULATION = 20_000
#: A town with this share of its namesake division's people stands for the division (the
#: division's people are those of all its towns and their quarters, which GeoNames counts apart).
_TOWN_SHARE = 1 / 3
#: Rounds of resolving with what the others resolved to.
_ROUNDS = 2
_PAIR_GAP = re.compile(r"^\s*,\s*$")
_WORDS = language_data(LANGUAGE, "places")
DIVISION_WORDS = frozenset(_WORDS.words("division_words"))
_PART_BEFORE = tuple(sorted((w + " " for w in _WORDS.words("part_words_before")), key=len, reverse=True))
_PART_AFTER = tuple(" " + w for w in _WORDS.words("part_words_after"))


@dataclass(frozen=True)
class Toponym:
    """A place name found in the text, before resolution."""

    text: str
    start: int
    end: int
    demonym: bool = False  # 'Canadian': resolves to a country only


@dataclass
class _Evidence:
    """What the document says about where its places are."""

    focus: str | None = None
    countries: Counter[str] = field(default_factory=Counter)
    admin1: set[tuple[str | None, str]] = field(default_factory=set)


def resolve_toponyms(
    toponyms: Sequence[Toponym], gaz: Gazetteer, text: str, actor_countries: Sequence[str] = ()
) -> list[Entry | None]:
    """The entry of each toponym (None where the text does not allow one), same order."""
    found = [_found(t, gaz, text) for t in toponyms]
    keys = [_name_key(t.text) for t in toponyms]
    containers = _containers(toponyms, found, text, keys)
    candidates = [_candidates(entries, gaz) for entries in found]
    for i in containers:
        if toponyms[i + 1 : i + 2] and _PAIR_GAP.match(text[toponyms[i].end : toponyms[i + 1].start]):
            candidates[i + 1] = containers[i]  # the Y of 'Seattle, Washington' is the state
    chosen: list[Entry | None] = [_best(c, _Evidence(), None) for c in candidates]
    for _ in range(_ROUNDS):
        # a name is no evidence for itself: 'Quebec' the province does not put 'Quebec' in it
        by_key = _evidence_by_key(chosen, keys, actor_countries)
        chosen = [_best(cands, by_key[keys[i]], containers.get(i)) for i, cands in enumerate(candidates)]
    return chosen


def _name_key(text: str) -> str:
    """One key for the forms of one name: 'St. Petersburg’s' is 'St. Petersburg'."""
    key = place_key(text)
    return key[:-2] if key.endswith(("'s", "’s")) else key


def _found(toponym: Toponym, gaz: Gazetteer, text: str) -> list[Entry]:
    """Every entry the name can be (a demonym: only a country)."""
    found = _lookup(toponym.text, gaz, text[toponym.end : toponym.end + 1] == ".")
    return [e for e in found if e.is_country] if toponym.demonym else found


def _candidates(found: list[Entry], gaz: Gazetteer) -> list[Entry]:
    """The entries a name standing by itself can be."""
    # A division named after its largest town, or the town that holds most of its people
    # ('Beijing', 'Berlin', 'Tokyo', 'Aleppo'): news names the town. 'Quebec' the province is
    # five times the city, Montreal its largest: it stays a candidate.
    towns: dict[tuple[str | None, str | None], int] = {}
    capitals: dict[str | None, Entry] = {}
    for e in found:
        if e.feature_code.startswith("PPL") and not e.alternate:
            towns[(e.country, e.admin1)] = max(e.population, towns.get((e.country, e.admin1), 0))
        if e.feature_code == "PPLC" and not e.alternate:
            capitals[e.country] = e
    return [
        e
        for e in found
        if not (
            e.is_admin
            and towns.get((e.country, e.admin1), -1)
            >= min(_TOWN_SHARE * e.population, gaz.largest_town.get((e.country, e.admin1), 0))
        )
        # a division named like its country's capital elsewhere ('Washington' the state): news
        # names the capital, and the state as 'Washington state'
        and not (
            e.feature_code == "ADM1" and e.country in capitals and capitals[e.country].admin1 != e.admin1
        )
    ]


def _lookup(name: str, gaz: Gazetteer, full_stop: bool = False) -> list[Entry]:
    """The entries of a name as written, else of the name it is a form or a part of."""
    # 'Que.' at the end of a sentence: the tokenizer leaves the full stop out of the name
    found = gaz.lookup(name + ".") if full_stop else []
    found = found or gaz.lookup(name)
    if not found and name.endswith(("'s", "’s")):
        name = name[:-2]
        found = gaz.lookup(name)
    head, _, last = name.rpartition(" ")
    if not found and head and last[:1].upper() + last[1:] in DIVISION_WORDS:
        found = [e for e in gaz.lookup(head) if not e.feature_code.startswith("PPL")]  # 'Fars Province'
    if not found:
        # a part of a place the gazetteer knows: 'Northeast Georgia', 'the City of Montreal',
        # 'Montreal East' are in Georgia and Montreal
        for word in _PART_BEFORE:
            if name.startswith(word) and len(name) > len(word):
                return _whole(gaz.lookup(name[len(word) :]))
        for word in _PART_AFTER:
            if name.endswith(word) and len(name) > len(word):
                return _whole(gaz.lookup(name[: -len(word)]))
    return found


def _whole(entries: list[Entry]) -> list[Entry]:
    """The places a part of which can be named: not a region, which has no point to be near, nor
    a town by another language's name ('Bank' of 'East Bank')."""
    return [e for e in entries if e.feature_code != "RGN" and not e.alternate]


def _containers(
    toponyms: Sequence[Toponym], found: list[list[Entry]], text: str, keys: Sequence[str]
) -> dict[int, list[Entry]]:
    """'Aleppo, Syria': toponym index -> the entries (countries, divisions) it lies in. One sense
    per discourse: 'GLASGOW, Ky.' puts every other 'Glasgow' of the text in Kentucky too."""
    out: dict[int, list[Entry]] = {}
    by_key: dict[str, list[Entry]] = {}
    for i in range(len(toponyms) - 1):
        a, b = toponyms[i], toponyms[i + 1]
        if _PAIR_GAP.match(text[a.end : b.start]):
            # only what holds one of X's namesakes: not the next name of a list ('Moscow, Washington')
            big = [
                e
                for e in found[i + 1]
                if (e.is_country or e.is_admin) and any(_lies_in(x, e) for x in found[i])
            ]
            if big:
                out[i] = big
                by_key.setdefault(keys[i], big)
    for i, key in enumerate(keys):
        if i not in out and key in by_key:
            out[i] = by_key[key]
    return out


@dataclass
class _Tally:
    """What the chosen entries say, counted so that the entries of one name can be taken out."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1: Counter[tuple[str | None, str]] = field(default_factory=Counter)
    # country -> its first entry (index, name key), then its first entry of another name: what orders
    # the countries when one name's entries are taken out
    firsts: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def add(self, index: int, key: str, entry: Entry) -> None:
        country = str(entry.country)
        self.countries[country] += 1
        seen = self.firsts.setdefault(country, [])
        if not seen or (len(seen) == 1 and seen[0][1] != key):
            seen.append((index, key))
        if (entry.is_admin or entry.feature_code.startswith("PPL")) and entry.admin1:
            self.admin1[(entry.country, entry.admin1)] += 1


def _evidence_by_key(
    chosen: Sequence[Entry | None], keys: Sequence[str], actor_countries: Sequence[str]
) -> dict[str, _Evidence]:
    """For each name key, what the entries chosen for the other names say, with the document's actors.

    One pass over the toponyms, then one over the countries per name: evidence gathered anew per toponym
    cost the number of toponyms each, quadratic on a long list of places (issue 19)."""
    total = _Tally()
    own: dict[str, _Tally] = {}
    for index, (entry, key) in enumerate(zip(chosen, keys, strict=True)):
        if entry is not None and entry.country is not None:
            total.add(index, key, entry)
            own.setdefault(key, _Tally()).add(index, key, entry)
    actors = Counter(actor_countries)
    out: dict[str, _Evidence] = {}
    for key in set(keys):
        mine = own.get(key, _Tally())
        # Counted in the order of each country's first entry of another name, as a walk over the others
        # would meet them: that order breaks ties for the focus.
        order = sorted(
            (next(i for i, k in seen if k != key), country)
            for country, seen in total.firsts.items()
            if total.countries[country] > mine.countries[country]
        )
        evidence = _Evidence()
        for _, country in order:
            evidence.countries[country] = total.countries[country] - mine.countries[country]
        evidence.admin1 = {pair for pair, n in total.admin1.items() if n > mine.admin1[pair]}
        everything = evidence.countries + actors
        if everything:
            evidence.focus = everything.most_common(1)[0][0]
        out[key] = evidence
    return out


def _score(entry: Entry, evidence: _Evidence, inside: list[Entry] | None) -> tuple[float, bool]:
    """The score of one namesake and whether anything in the document supports it."""
    score = math.log10(max(entry.population, 1)) + _KIND.get(entry.feature_code, 0.0)
    support = False
    if entry.alternate:
        score -= _ALTERNATE
    if entry.country is not None and entry.country == evidence.focus:
        elsewhere = (
            entry.feature_code.startswith("PPL")
            and (entry.country, entry.admin1) not in evidence.admin1
            and any(country == entry.country for country, _ in evidence.admin1)
        )
        score, support = score + (_FOCUS * FOCUS_ELSEWHERE if elsewhere else _FOCUS), True
    total = sum(evidence.countries.values())
    if total and entry.country is not None and entry.country in evidence.countries:
        score, support = score + _CONTEXT * evidence.countries[entry.country] / total, True
    if (
        entry.admin1
        and (entry.country, entry.admin1) in evidence.admin1
        and entry.feature_code != "ADM1"  # a county in the state the text names: 'Adair County, Ky.'
        and place_key(entry.name) != place_key(entry.admin1)  # 'Québec' the city is no evidence of itself
    ):
        score, support = score + _ADMIN, True
    if inside and any(_lies_in(entry, big) for big in inside):
        score, support = score + _CONTAINED, True
    return score, support


def _lies_in(entry: Entry, big: Entry) -> bool:
    if big.is_country:
        return entry.country == big.country and entry is not big
    return entry.country == big.country and entry.admin1 == big.admin1 and entry is not big


def _best(candidates: list[Entry], evidence: _Evidence, inside: list[Entry] | None) -> Entry | None:
    if not candidates:
        return None
    scored = sorted(((*_score(e, evidence, inside), e) for e in candidates), key=lambda s: -s[0])
    _, support, best = scored[0]
    small = best.population < _UNSUPPORTED_POPULATION and best.feature_code.startswith("PPL")
    if small and not support and len(scored) > 1:
        return None
    return best
