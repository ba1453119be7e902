"""Resolve an actor string to country + sectors by composing what the knowledge knows.

"US Secretary of State Marco Rubio" is read left to right, longest match first, as
place (US) + role (Secretary of State) + named actor (Marco Rubio); the parts are then
composed: a named actor valid on the document's date gives its own codes, an explicit
nationality or role in the text fills or overrides what the name alone cannot say, and a
context country places actors the text leaves unplaced.
"""

from __future__ import annotations

import datetime as dt  # as ``dt``: ``date`` is a parameter name here
import re
from dataclasses import dataclass, field

from communique.actors.knowledge import ActorEntry, Knowledge, PlaceHit, Role, fold, fold_key, is_state_code
from communique.lang import LANGUAGE, language_data

# The English words of actor strings (what each is for: data/lang/en/actors.yaml).
_WORDS = language_data(LANGUAGE, "actors")
_AWAY_PREPS = _WORDS.words("away_preps")  # "Russia's ambassador to Poland" is Russian
_HEAD_BREAKERS = _WORDS.words("head_breakers")  # end the head of a noun phrase
_PRONOUNS = _WORDS.words("pronouns")
_DETS_NUMS = _WORDS.words("leading_words")
_POSSESSIVES = _WORDS.words("possessives")
_RESIDENCE_PREPS = _WORDS.words("residence_preps")
_ETHNIC_RESIDENCE_PREPS = _WORDS.words("ethnic_residence_preps")
_LEADER_TITLES = _WORDS.words("leader_titles")  # 'president of a rights league' is SOC
_FORMER = _WORDS.words("former_words")  # 'former Thai prime minister' is ELI
_TITLE_ABBREVIATIONS = _WORDS.mapping("title_abbreviations")  # 'Gen.' is 'general' before a name
_NAMESAKE_NAMES = _WORDS.words("namesake_names")  # 'Armenia's Security Council' is Armenia's
_WORD = re.compile(r"[A-Za-z](?:\.[A-Za-z])+\.?|\d[\d,.]*|[\w][\w\-.&]*|['’]s\b|[^\s\w]")


@dataclass
class Resolution:
    """What the resolver concluded about one actor string."""

    country: str | None = None
    sectors: list[str] = field(default_factory=list)
    name: str | None = None
    role: str | None = None
    kind: str | None = None
    matched: list[str] = field(default_factory=list)  # human-readable: 'place:US=USA', 'role:...'
    confidence: float = 0.0  # how sure the coding is: see _confidence

    @property
    def coded(self) -> bool:
        return bool(self.country or self.sectors)

    def copy(self) -> Resolution:
        """A copy whose lists are its own."""
        return Resolution(
            self.country,
            list(self.sectors),
            self.name,
            self.role,
            self.kind,
            list(self.matched),
            self.confidence,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "country": self.country,
            "sectors": list(self.sectors),
            "name": self.name,
            "role": self.role,
            "kind": self.kind,
            "matched": list(self.matched),
            "confidence": self.confidence,
        }


@dataclass
class _Match:
    start: int  # word index
    end: int
    text: str
    kind: str  # entity | place | role | name
    entries: list[ActorEntry] = field(default_factory=list)
    place: PlaceHit | None = None
    role: Role | None = None
    head: bool = True  # before the first preposition that ends the head
    away: bool = False  # right after 'to', 'against' ...
    after: str = ""  # the word before the match, lower-cased
    prep: str = ""  # the last preposition since the previous match ('of' southern 'Serbia')
    former: bool = False  # after 'former', 'ousted' ... in the head ('former Thai prime minister')
    note: str = ""  # how a name the knowledge lacks was read: 'spelling:Dehli=delhi', 'town:Amherst'


def _as_place(m: _Match, hit: PlaceHit, note: str) -> _Match:
    """A name read as a place (a town, a misspelt country) and how it was read."""
    return _Match(m.start, m.end, m.text, "place", place=hit, note=note)


#: A misspelt place alone is taken for a known one from this many letters ('Mongwalu'); before
#: a role word ('Dehli police') from knowledge.NEAR_PLACE_MIN.
NEAR_ALONE_MIN = 7

#: Sectors of an office of the state: held at the same time as a party post, they code the person.
STATE_OFFICE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def _split_owner(words: list[str]) -> tuple[int, list[str]]:
    """The words without their possessive marks ("Russia 's", "protesters '"), and where the
    last owner ends: what follows it is the head of the phrase."""
    out: list[str] = []
    owner_end = 0
    for word in words:
        if word in _POSSESSIVES or (word in ("'", "’") and out and out[-1].lower().endswith("s")):
            owner_end = len(out)
            continue
        out.append(word)
    return owner_end, out


def expand_titles(words: list[str]) -> list[str]:
    """'Gen. Juan Zuniga' -> 'general Juan Zuniga': an abbreviated title (one word or two,
    'Lt. Gov.') is read as the title it abbreviates when a capitalised word that is no other
    abbreviation follows it. Without the full stop or the name ('Gen Z', 'Hun Sen') it stays."""
    if not any("." in word for word in words):
        return words  # an abbreviation has its full stop: most strings have none
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in (2, 1):
            key = " ".join(words[i : i + n]).lower()
            title = _TITLE_ABBREVIATIONS.get(key) if "." in key and i + n < len(words) else None
            after = words[i + n] if title else ""
            if title and after[:1].isupper() and after.lower() not in _TITLE_ABBREVIATIONS:
                out.extend(title.split())
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def pick_entry(entries: list[ActorEntry], date: str | None, context: str | None) -> tuple[ActorEntry, bool]:
    """The entry valid on ``date`` (and in ``context`` when ambiguous); bool = still in office.

    ``date`` is ISO text (YYYY-MM-DD), compared as text with the entries' ``start``/``end``,
    which knowledge files may give in part ('2019').

    Without a date the most recent knowledge counts. When no entry covers the date and
    every term has ended, the actor is a former office-holder (the caller codes ELI).
    """
    pool = entries
    names = {fold(e.name) for e in entries}
    if len(names) > 1:
        curated = [e for e in entries if e.source != "factbook"]
        pool = curated or pool
    if context:
        in_context = [e for e in pool if e.country == context]
        pool = in_context or pool
    valid = [e for e in pool if e.valid_on(date)]
    if date is None:
        current = [e for e in pool if e.end is None]
        valid = current or []
    if valid:
        # Curated knowledge is newer and more specific than the Factbook snapshot; of two
        # offices held at once a state office wins (a prime minister who leads a party is GOV).
        valid.sort(
            key=lambda e: (
                e.source != "user",
                e.source != "curated",
                not set(e.sectors) & STATE_OFFICE_SECTORS,
                -(int((e.start or "0")[:4])),
            )
        )
        return valid[0], True
    latest = max(pool, key=lambda e: e.end or "9999")
    if date is not None and latest.start and date < latest.start:
        earliest = min(pool, key=lambda e: e.start or "0000")
        return earliest, False
    return latest, False


def _ambiguous(entries: list[ActorEntry], context: str | None) -> bool:
    """Whether a surface form names actors that would code differently ('PRI': Mexico's
    party or the Dominican one). Entries that agree on country and sector are one actor."""
    pool = entries
    if context:
        pool = [e for e in entries if e.country == context] or entries
    if _distinct_actors(pool) <= 1:
        return False
    # Curated knowledge settles what the Factbook leaves open.
    return _distinct_actors([e for e in pool if e.source != "factbook"]) != 1


def _distinct_actors(entries: list[ActorEntry]) -> int:
    """Entries are one actor when they share a name (a person's dated terms) or a country
    and first sector ('Federal Security Service' and '... Services'). Institutions of the
    same name in different countries ('Constitutional Court') are different actors."""
    groups: list[tuple[set[str], set[tuple[str | None, tuple[str, ...]]]]] = []
    for e in entries:
        name = fold(e.name) if e.kind == "person" else f"{fold(e.name)}|{e.country}"
        code = (e.country, e.sectors[:1])
        for names, codes in groups:
            if name in names or code in codes:
                names.add(name)
                codes.add(code)
                break
        else:
            groups.append(({name}, {code}))
    return len(groups)


class ActorResolver:
    """Turn actor strings into codes. Stateless apart from the knowledge it holds."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.kb = knowledge

    # -- scanning ---------------------------------------------------------------------------
    def scan(self, words: list[str], context: str | None = None) -> list[_Match]:
        """Longest-first matches of named actors, places and roles over ``words``."""
        kb = self.kb
        matches: list[_Match] = []
        i = 0
        head = True
        former = False
        prev_word = ""
        prep = ""
        while i < len(words):
            word = words[i]
            low = word.lower()
            if low in _HEAD_BREAKERS and matches:
                head = False
            former = former or (head and low in _FORMER)
            found: _Match | None = None
            for n in range(min(kb.max_words, len(words) - i), 0, -1):
                phrase = " ".join(words[i : i + n])
                key = fold_key(phrase)
                if not key:
                    continue
                # Single-letter or all-lower-case named matches are too risky ('us', 'he').
                entries = kb.entries.get(key)
                # (what follows is read only where a lookup found something: most n-grams are nothing)
                preceded = i > 0 and matches and matches[-1].end == i and matches[-1].kind == "name"
                if entries and n == 1:
                    # 'Ali' in 'Ali Khamenei' is a first name, not Guyana's President Ali.
                    followed = i + n < len(words) and words[i + n][:1].isupper() and words[i + n].isalpha()
                    # 'OPEC Secretary General'
                    acronym = phrase.replace(".", "").isupper() and len(phrase) > 1
                    if (followed or preceded) and not acronym:
                        entries = None
                if entries and kb.acronyms.get(key) and not phrase.replace(".", "").isupper():
                    # 'Opec', 'Unicef': British style writes the acronyms of international
                    # bodies in title case; others ('Care', 'Arena') are ordinary words
                    international = phrase.istitle() and len(phrase) >= 4
                    if not (international and all(e.country in ("IGO", "UNO") for e in entries)):
                        entries = None
                if entries and (any(c.isupper() for c in phrase) or len(key.split()) > 1):
                    ambiguous = _ambiguous(entries, context)
                    if not ambiguous:
                        found = _Match(i, i + n, phrase, "entity", entries=list(entries))
                        break
                place = kb.places.get(key)
                # 'Alejandro Rivera', 'Judge Rivera' are people: a one-word town right after a
                # given name or a title is a surname (country names and capitals still place).
                if place and n == 1 and place.how == "place":
                    titled = (
                        i > 0
                        and matches
                        and matches[-1].end == i
                        and matches[-1].kind == "role"
                        and matches[-1].role is not None
                        and matches[-1].role.person
                        and not matches[-1].role.plural
                    )
                    if preceded or titled:
                        place = None
                if place and (any(c.isupper() for c in phrase) or place.how in ("seat",)):
                    found = _Match(i, i + n, phrase, "place", place=place)
                    break
                role = kb.roles.get(key)
                if role:
                    found = _Match(i, i + n, phrase, "role", role=role)
                    break
            if found is None and word[:1].isupper() and low not in _PRONOUNS and word.isalpha():
                found = _Match(i, i + 1, word, "name")
            if found is not None:
                found.head = head
                found.former = former and head
                found.away = prev_word.lower() in _AWAY_PREPS
                found.after = prev_word.lower()
                found.prep = prep
                matches.append(found)
                prev_word = words[found.end - 1]
                prep = ""
                i = found.end
            else:
                prev_word = word
                if low in _HEAD_BREAKERS or low in _AWAY_PREPS:
                    prep = low
                i += 1
        return self._respell(_merge_names(matches, words), len(words), context)

    def _respell(self, matches: list[_Match], n_words: int, context: str | None) -> list[_Match]:
        """Names the knowledge lacks that are a known one misspelt (docs/knowledge.md,
        "Spelling variants"): an organisation's name of two words or more, or one long
        word ('Ahlu Sunnah Waljama'); a place only where a place stands, before a role
        word ('Dehli police', 'Ukranian soldiers') or as the whole string ('Mongwalu'),
        never a name beside another name or after a title (a person's surname)."""
        kb = self.kb
        out: list[_Match] = []
        for idx, m in enumerate(matches):
            if m.kind != "name":
                out.append(m)
                continue
            new: _Match | None = None
            nxt = matches[idx + 1] if idx + 1 < len(matches) else None
            role = nxt.role if nxt is not None and nxt.start == m.end and nxt.kind == "role" else None
            before_role = role is not None
            after_title = bool(out) and out[-1].end == m.start and out[-1].kind in ("role", "name")
            if role is not None and not after_title and (not role.person or role.plural or role.local):
                # 'Amherst College', 'Kursk residents', 'Kurgan Governor X': a town names the
                # body or people after it, or the place a local office governs
                country = kb.town(m.text)
                if country is not None:
                    new = _as_place(m, PlaceHit(country, "place"), f"town:{m.text}")
            if new is None and " " not in m.text:
                alone = len(matches) == 1 and m.end - m.start == n_words
                if (before_role and not after_title) or (alone and len(m.text) >= NEAR_ALONE_MIN):
                    near = kb.near_place(m.text)
                    if near is not None:
                        new = _as_place(m, near[1], f"spelling:{m.text}={near[0]}")
            entries = kb.near_entities(m.text) if new is None else []
            if entries and not _ambiguous(entries, context):
                note = f"spelling:{m.text}={fold(entries[0].name)}"
                new = _Match(m.start, m.end, m.text, "entity", entries=entries, note=note)
            if new is not None:
                new.head, new.former, new.away, new.after, new.prep = (
                    m.head,
                    m.former,
                    m.away,
                    m.after,
                    m.prep,
                )
                m = new
            out.append(m)
        return out

    # -- composing --------------------------------------------------------------------------
    def resolve(self, text: str, context: str | None = None, date: dt.date | None = None) -> Resolution:
        """Resolve one actor string; ``context`` is an ISO3 code or a country name."""
        res = Resolution()
        if not text or not text.strip():
            return res
        text = text.strip()[:500]
        context_code = self.country_code(context) if context else None
        words = expand_titles(words_of(text))
        while words and words[0].lower() in _DETS_NUMS:
            words = words[1:]
        owner_end, words = _split_owner(words)
        if not words:
            return res
        if len(words) == 1 and words[0].lower() in _PRONOUNS:
            res.sectors = ["UNK"]
            res.kind = "pronoun"
            return res
        matches = self.scan(words, context_code)
        return self.compose(matches, context_code, date, owner_end)

    def compose(
        self, matches: list[_Match], context: str | None, date: dt.date | None, owner_end: int = 0
    ) -> Resolution:
        """Codes from the matches; the words before ``owner_end`` are a possessive owner."""
        res = Resolution()
        entities = [m for m in matches if m.kind == "entity"]
        places = [m for m in matches if m.kind == "place"]
        # a time ('yesterday') is what a string is only when it is nothing else
        roles = [m for m in matches if m.kind == "role" and (len(matches) == 1 or not _is_time(m))]
        names = [m for m in matches if m.kind == "name"]

        head_entities = [m for m in entities if m.head]
        entity_match = head_entities[-1] if head_entities else (entities[-1] if entities else None)
        entity_head = entity_match is not None and entity_match.head
        head_roles = [m for m in roles if m.head]
        # 'the president's lawyer', "schoolchildren's parents": the role after the owner is the head
        head_roles = [m for m in head_roles if m.start >= owner_end] or head_roles
        role_match = _best_role(head_roles) or (_best_role(roles) if not entity_match else None)

        entry: ActorEntry | None = None
        in_office = False
        if entity_match is not None:
            entry, in_office = pick_entry(entity_match.entries, date.isoformat() if date else None, context)
            res.name = entry.name
            res.kind = entry.kind
            res.matched.append(f"{entry.source}:{entry.name}")

        # Country: a named organisation's own; else explicit in the text; else the named
        # person's; else the context the caller gives.
        place_match = next((m for m in places if m.head and not m.away), None)
        place_match = place_match or next((m for m in places if not m.away), None)
        residence = _residence(place_match, places)
        if entry is not None and entry.kind != "person" and entity_head and entry.country:
            res.country = entry.country
        elif residence is not None and residence.place is not None:
            res.country = residence.place.country
            res.matched.append(f"residence:{residence.text}")
        elif place_match is not None and place_match.place is not None:
            res.country = place_match.place.country
            res.matched.append(f"{place_match.place.how}:{place_match.text}")
        elif entry is not None and entry.country:
            res.country = entry.country
        elif context:
            res.country = context
            res.matched.append(f"context:{context}")
        elif entry is None and role_match is not None and role_match.role and role_match.role.unplaced:
            # 'a human rights group' placed nowhere is PLOVER's NGO
            res.country = role_match.role.unplaced
            res.matched.append(f"unplaced:{res.country}")

        if _namesake(entity_match, entry, place_match):
            # 'the Peruvian Congress' is not the US Congress: a one-word name of an
            # institution many countries have is the named place's own
            res.country, res.name = place_match.place.country, None  # type: ignore[union-attr]
            res.matched.append(f"namesake:{place_match.text}")  # type: ignore[union-attr]

        # Sectors: a named actor in office on the date, else the role in the text.
        sectors: tuple[str, ...] = ()
        if entry is not None:
            assert entity_match is not None  # the entry was picked from its entries
            sectors = entry.sectors
            res.role = entry.role
            if not in_office and entry.kind == "person":
                sectors = ("ELI",) if "GOV" in entry.sectors or "MIL" in entry.sectors else entry.sectors
            if role_match is not None and role_match.role is not None:
                if not in_office or not sectors:
                    sectors = role_match.role.sectors
                res.role = res.role or role_match.role.role
            elif not entity_match.head and head_roles:
                sectors = entry.sectors or head_roles[0].role.sectors  # type: ignore[union-attr]
            person_role = role_match is not None and role_match.role is not None and role_match.role.person
            named = [m for m in names if m.head and m.start > entity_match.start]
            if entry.kind != "person" and person_role and named and not role_match.role.plural:  # type: ignore[union-attr]
                # 'OPEC Secretary General Mohammad Barkindo' is a person of the organisation
                res.kind, res.name = "person", " ".join(m.text for m in named)
            elif entry.kind != "person" and person_role and role_match.head and not entity_match.head:  # type: ignore[union-attr]
                # 'the secretary-general of the CSTO' is the person who holds the post
                res.kind, res.name = "person", None
        elif role_match is not None and role_match.role is not None:
            body = _body_led(role_match, matches)
            sectors = (
                body.role.sectors if body is not None and body.role is not None else role_match.role.sectors
            )
            res.role = role_match.role.role
            if role_match.role.kind:
                res.kind = role_match.role.kind
            elif role_match.role.plural or not role_match.role.person:
                res.kind = "group" if role_match.role.person else "organization"
            else:
                res.kind = "person"
            res.matched.append(f"role:{role_match.text}")
            if names and res.kind == "person":
                res.name = " ".join(m.text for m in names if m.head) or None
        elif (
            place_match is not None
            and place_match.place is not None
            and any(m.start > place_match.start for m in names)
        ):
            # 'Syrian activist Omar Haddad': someone from the place, not the place itself.
            name = [m for m in names if m.start > place_match.start][-1].text
            res.kind = "person" if " " in name else None
            res.name = name
        elif place_match is not None and place_match.place is not None:
            hit = place_match.place
            if hit.how in ("capital", "seat"):
                sectors = hit.sectors
            elif hit.how == "demonym" and fold(place_match.text).endswith("s"):
                sectors = ("CVL",)
            elif hit.how == "place" and not names:
                sectors = hit.sectors or ("CVL",)
            if hit.how in ("name", "alias", "capital", "seat"):
                res.kind = "country"
            elif hit.how in ("adjective", "demonym"):
                res.kind = "nationality"
            else:
                res.kind = "place"
            if res.kind == "country":
                res.name = self.kb.country_names.get(hit.country) if hit.country is not None else None
        subject = entity_match if entry is not None else role_match
        if (
            subject is not None
            and subject.former
            and res.kind == "person"
            and set(sectors) & STATE_OFFICE_SECTORS
        ):
            sectors = ("ELI",)  # 'former Thai prime minister': a former official is an elite
        if (
            not sectors
            and entry is None
            and role_match is not None
            and role_match.role is not None
            and role_match.role.placed_sectors
            and is_state_code(res.country)
            and not names
            and all(m.place is None or m.place.how not in ("place", "capital") for m in places)
        ):
            sectors = role_match.role.placed_sectors  # 'Syrian island': an unidentified actor there
        if sectors:
            res.sectors = list(dict.fromkeys(sectors))
        res.matched += [m.note for m in matches if m.note]
        if res.kind is None and names:
            res.kind = "person" if len(names[0].text.split()) >= 2 else None
            res.name = names[0].text if res.kind else None
        return _infer(res, entry)

    def country_code(self, text: str) -> str | None:
        """ISO3 for a country name, code or adjective ('Somalia', 'SOM', 'Somali')."""
        if not text:
            return None
        upper = text.strip().upper()
        if len(upper) == 3 and upper in self.kb.country_names:
            return upper
        hit = self.kb.lookup_place(text)
        return hit.country if hit else None


#: Confidence of a coding: known (a knowledge entry, or a place, role or nationality the
#: words name outright); a person the knowledge lacks, coded from the words around the name;
#: a country given by nothing but the caller's context.
KNOWN, OWN_WORDS, CONTEXT_ONLY = 1.0, 0.7, 0.5


def _infer(res: Resolution, entry: ActorEntry | None) -> Resolution:
    """Mark what is inferred rather than known: a person the knowledge lacks, coded from the
    title, nationality or organisation around the name, says so first in ``matched``
    ('inferred;role:minister'), so that a curator can confirm it into a dictionary."""
    if not res.coded:
        return res
    res.confidence = KNOWN
    if any(m.startswith("context:") for m in res.matched):
        res.confidence = CONTEXT_ONLY
    if any(m.startswith(("spelling:", "town:")) for m in res.matched):
        res.confidence = min(res.confidence, OWN_WORDS)  # a misspelling, or a town's name, read as a place
    if entry is None and res.kind == "person" and res.name:
        res.confidence = min(res.confidence, OWN_WORDS)
        res.matched.insert(0, "inferred")
    return res


def _namesake(entity: _Match | None, entry: ActorEntry | None, place: _Match | None) -> bool:
    """A one-word organisation name ('Congress', 'Parliament'), or a name many states give a
    body of their own (actors.yaml namesake_names: 'Armenia's Security Council'), after another
    country's adjective or name: that country's institution of the same name. So is an international
    NGO's name right after a state's ('American Red Cross', 'Kenya Red Cross'): its national
    society or branch."""
    branch = (
        entity is not None
        and entry is not None
        and entry.country == "NGO"
        and place is not None
        and place.end == entity.start
    )
    return (
        entity is not None
        and entry is not None
        and entry.kind != "person"
        and (entity.end - entity.start == 1 or branch or fold(entity.text) in _NAMESAKE_NAMES)
        and place is not None
        and place.place is not None
        and not place.away
        and place.end <= entity.start
        and place.place.country not in (None, entry.country)
    )


def _residence(head: _Match | None, places: list[_Match]) -> _Match | None:
    """'the Albanians of southern Serbia', 'ethnic Serbs in Bosnia': a people named by a
    demonym is coded where the text places it, as event data codes ethnic groups ('the
    Americans in Iraq' are not Iraqis: 'in' counts only for an ethnic group)."""
    if head is None or head.place is None or head.place.how != "demonym":
        return None
    preps = _ETHNIC_RESIDENCE_PREPS if head.after == "ethnic" else _RESIDENCE_PREPS
    return next(
        (
            m
            for m in places
            if not m.head
            and m.prep in preps
            and m.place is not None
            and m.place.how in ("name", "alias", "region", "place")
            and m.place.country
            and m.place.country != head.place.country
        ),
        None,
    )


def _body_led(title: _Match, matches: list[_Match]) -> _Match | None:
    """The body a leader's title is 'of': 'President of the Chadian Human Rights League' is
    coded by the league (SOC), as CAMEO codes a person by the organisation they lead."""
    after = [m for m in matches if m.start > title.start]
    if fold(title.text) not in _LEADER_TITLES or not after or after[0].prep != "of":
        return None
    # 'of the Chadian Human Rights League': the body may follow the place that names it
    return next((m for m in after if m.kind == "role" and m.role is not None and not m.role.person), None)


def _is_time(m: _Match) -> bool:
    return m.role is not None and m.role.kind == "not_actor" and "JNK" in m.role.sectors


def _best_role(roles: list[_Match]) -> _Match | None:
    """The most specific role: the longest phrase, the first of equals."""
    if not roles:
        return None
    return max(roles, key=lambda m: (len(fold(m.text)), -m.start))


def _merge_names(matches: list[_Match], words: list[str]) -> list[_Match]:
    """Join adjacent capitalised unknown words into one name ('Hugh' 'Hill' -> 'Hugh Hill')."""
    merged: list[_Match] = []
    for m in matches:
        if m.kind == "name" and merged and merged[-1].kind == "name" and merged[-1].end == m.start:
            prev = merged[-1]
            merged[-1] = _Match(
                prev.start, m.end, " ".join(words[prev.start : m.end]), "name", head=prev.head
            )
        else:
            merged.append(m)
    return merged
