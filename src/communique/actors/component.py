"""spaCy components of the actor stage: an entity ruler fed by the knowledge, and the
mention finder that codes every actor mention and links coreferent ones.

Mentions come from three places: named entities (expanded leftwards over their titles
and nationality, "US Secretary of State Marco Rubio"), noun chunks headed by a role
("American warplanes", "the minister") and personal pronouns. Coreference links
surnames to full names, "the secretary"/"the Ayatollah" to the last entity with that
title, and he/she to the most salient person (the subject of a main clause).
"""

from __future__ import annotations

import datetime as dt  # as ``dt``: ``date`` is a variable name here
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from communique.actors.knowledge import (
    NON_STATE_CODES,
    Knowledge,
    Role,
    fold,
    fold_key,
    is_state_code,
    last_piece,
    load_knowledge,
    placeable,
)
from communique.actors.resolver import ActorResolver, Resolution
from communique.document.dateline import Dateline, find_dateline
from communique.lang import LANGUAGE, language_data
from communique.models import Actor, ActorMention
from communique.rules import load_rules
from communique.spans import doc_text
from communique.tokens import doc_words

_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
_LEFT_DEPS = frozenset({"compound", "amod", "nmod", "poss", "case", "det", "nummod", "punct", "prep", "pobj"})
# The English words the stage tests tokens against (what each is for: data/lang/en/actors.yaml).
_WORDS = language_data(LANGUAGE, "actors")
_PERSON_PRONOUNS = _WORDS.words("person_pronouns")
_GROUP_PRONOUNS = _WORDS.words("group_pronouns")  # actors only as subjects or owners
_SINGULAR_OBJECTS = _WORDS.words("singular_object_pronouns")  # 'accusing it of ...'
_PLURAL_OBJECTS = _WORDS.words("plural_object_pronouns")  # 'and beat them'
_OBJECT_DEPS = frozenset({"dobj", "dative"})
_FIRST_PLURAL = _WORDS.words("first_person")  # the speaker's side, kept even unresolved
_TRACKED_PRONOUNS = _PERSON_PRONOUNS | _GROUP_PRONOUNS | _FIRST_PLURAL | _PLURAL_OBJECTS
_OBJECT_PRONOUNS = _SINGULAR_OBJECTS | _PLURAL_OBJECTS
_POSSESSORS = _PERSON_PRONOUNS | _GROUP_PRONOUNS  # 'his', 'its', 'their' as cataphors
#: Upper-case place abbreviations that are also common words in upper-case text.
_AMBIGUOUS_ACRONYMS = _WORDS.words("ambiguous_acronyms")
_PLACE_PREPS = _WORDS.words("place_preps")  # 'opposition groups in Zimbabwe'
_PEOPLE_PLACE_PREPS = _WORDS.words("people_place_preps")  # 'the Albanians of southern Serbia'
_OWN_PREPS = _WORDS.words("own_preps")
_COUNTRY_NOUNS = _WORDS.words("country_nouns")  # 'the Caribbean nation': the country named before
_LEADER_PARTICIPLES = _WORDS.words("leader_participles")  # 'Saudi-led coalition'
_DOCUMENT_NOUNS = _WORDS.words("document_nouns")  # 'the resolution' speaks for who adopted it
_ISSUING_VERBS = _WORDS.words("issuing_verbs")
#: Share of the state-coded mentions that makes an article one country's (see _place_by_context).
_NOT_PERSON_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"})
DOMINANT_SHARE = 0.75  # 'Ahmed Salah of the Interior Ministry'
# Modifiers of a role noun that may name the country of each of several actors.
_PLACE_MODIFIER_DEPS = frozenset({"poss", "amod", "nmod", "compound"})
_KIND_LABEL = {"person": "PERSON", "media": "ORG", "group": "ORG", "organization": "ORG", "place": "GPE"}


def _ruler_patterns(kb: Knowledge) -> dict[str, str]:
    """Names the model often mislabels ('Trump' as ORG, 'Bloomberg' as GPE): text -> label."""
    patterns: dict[str, str] = {}
    for entries in kb.entries.values():
        for entry in entries:
            label = _KIND_LABEL.get(entry.kind, "ORG")
            for surface in {entry.name, *entry.aliases}:
                surface = surface.strip()
                if not surface or not surface[0].isupper():
                    continue
                if " " in surface and fold_key(surface.split(" ", 1)[0]) in kb.roles:
                    continue  # 'President Xi' would cut 'Xi Jinping' short; titles come from the parse
                single = " " not in surface
                # A lone word is safe only as a curated surname or an acronym; the Factbook's
                # single-word party names ('Forward', 'Renaissance') would fire on prose.
                if single and (
                    entry.source == "factbook"
                    or (
                        entry.kind not in ("person", "media", "group")
                        and not (surface.isupper() and len(surface) >= 3)
                    )
                ):
                    continue
                patterns[surface] = label
    for surface, label in kb.place_surfaces.items():
        # 'US', 'UK' too: the model misses them before another capitalised word ('Recent US
        # Predator attacks'); ORTH matching keeps the pronoun 'us' out
        if surface not in _AMBIGUOUS_ACRONYMS:
            patterns.setdefault(surface, label)
    return patterns


@Language.factory("communique_entity_ruler", default_config={"actors_files": []})
def make_entity_ruler(nlp: Language, name: str, actors_files: list[str]) -> KnowledgeRuler:
    return KnowledgeRuler(nlp, _ruler_patterns(load_knowledge(actors_files)))


class KnowledgeRuler:
    """Fix the model's entities with the names the knowledge has.

    Unlike spaCy's EntityRuler with ``overwrite_ents``, a known name replaces a model
    entity only when it is at least as long: 'Trump' tagged ORG becomes PERSON, but the
    model's 'George Washington' is not cut down to the capital 'Washington'."""

    def __init__(self, nlp: Language, patterns: dict[str, str]) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_label: dict[str, list[Doc]] = {}
        for text, label in patterns.items():
            by_label.setdefault(label, []).append(nlp.make_doc(text))
        for label, docs in by_label.items():
            self.matcher.add(label, docs)

    def __call__(self, doc: Doc) -> Doc:
        found = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)]
        if not found:
            return doc
        # Entities never overlap, so each token has at most one: finding a match's clashes through its
        # tokens costs its length, where a scan of all entities per match was quadratic (issue 19).
        ents = doc.ents
        owner = {i: e for e in ents for i in range(e.start, e.end)}
        changed = False
        for span in filter_spans(found):
            clashes = list({id(e): e for i in range(span.start, span.end) if (e := owner.get(i))}.values())
            if all(len(e) <= len(span) for e in clashes):
                changed = changed or not _same_entity(clashes, span)
                for e in clashes:
                    for i in range(e.start, e.end):
                        del owner[i]
                owner.update(dict.fromkeys(range(span.start, span.end), span))
        if changed:  # most known names are the model's entities already: nothing to set
            _set_changed(doc, ents, owner)
        return doc


def _set_changed(doc: Doc, ents: Sequence[Span], owner: dict[int, Span]) -> None:
    """Set the entities ``owner`` holds where they differ from ``ents``: the new ones, and the
    tokens of dropped ones as outside. Setting ``doc.ents`` whole would make a Span anew for
    every entity of the Doc. A Doc whose tokens are not all tagged (no NER ran) is set whole,
    as that also tags the rest outside."""
    if not doc.has_annotation("ENT_IOB", require_complete=True):
        doc.ents = sorted({id(e): e for e in owner.values()}.values(), key=lambda e: e.start)
        return
    kept = {id(e) for e in ents}
    added = [e for e in {id(e): e for e in owner.values()}.values() if id(e) not in kept]
    freed = sorted({i for e in ents for i in range(e.start, e.end)}.difference(owner))
    doc.set_ents(added, outside=[doc[i : i + 1] for i in freed], default="unmodified")


def _same_entity(clashes: list[Span], span: Span) -> bool:
    """The match is exactly the one entity the model already has there."""
    return (
        len(clashes) == 1
        and clashes[0].start == span.start
        and clashes[0].end == span.end
        and clashes[0].label == span.label
    )


@Language.factory("communique_actors", default_config={"actors_files": []})
def make_actor_component(nlp: Language, name: str, actors_files: list[str]) -> ActorComponent:
    return ActorComponent(load_knowledge(actors_files))


class ActorComponent:
    """Find, code and link the actor mentions of a Doc: sets ``doc._.actors``/``entities``."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.kb = knowledge
        self.resolver = ActorResolver(knowledge)

    def __call__(self, doc: Doc) -> Doc:
        date = doc._.doc_date
        doc_text = _doc_text(doc)
        context = doc._.context_country
        spans, resolve_as = self._candidate_spans(doc)
        mentions: list[tuple[Span, Resolution]] = []
        # One document names its actors again and again ('the police', 'Russia'): each string
        # is resolved once (its date and context are the document's); each mention gets a copy.
        resolved: dict[str, Resolution] = {}
        for span in spans:
            text = resolve_as.get((span.start, span.end)) or doc_text[span.start_char : span.end_char]
            known = resolved.get(text)
            if known is None:
                known = resolved[text] = self.resolver.resolve(text, context=context, date=date)
            res = known.copy()
            if _bare_name(res) and span.root.ent_type_ in _NOT_PERSON_LABELS:
                # 'Second Thomas Shoal', 'Operation Barkhane': a name of two words or more is
                # taken for a person only when the model does not say it is something else
                res.kind, res.name = None, None
            if res.kind == "person" and res.name and not res.country:
                res = self._from_own_words(span, res, doc, date)
            mentions.append((span, res))
        doc._.actors, doc._.entities = self._link(doc, mentions)
        for key in _CACHE_KEYS:  # working caches only (the text stays: every stage reads it)
            doc.user_data.pop(key, None)
        return doc

    # -- finding mentions -------------------------------------------------------------------
    def _candidate_spans(self, doc: Doc) -> tuple[list[Span], dict[tuple[int, int], str]]:
        """Mention spans, and the text to resolve where it is not the span's own."""
        spans: list[Span] = []
        resolve_as: dict[tuple[int, int], str] = {}
        dateline = find_dateline(_doc_text(doc))
        for ent in doc.ents:
            if ent.label_ in _ENTITY_LABELS and not _is_dateline(ent, dateline):
                span = _expand_left(doc, ent)
                people = ent.root.tag_ in ("NNS", "NNPS") and ent.end == ent.root.i + 1
                if ent.label_ in ("NORP", "GPE") and people:
                    # 'the Albanians of southern Serbia': a people keeps the place it lives in.
                    span = doc[span.start : max(span.end, _place_phrase_end(ent.root, _PEOPLE_PLACE_PREPS))]
                led = _led_body(ent)
                if led is not None:
                    # 'the Taliban-led government', 'US-led forces': the body its leader codes
                    span = doc[span.start : led.i + 1]
                    if self.resolver.resolve(span.text).country is None:
                        resolve_as[(span.start, span.end)] = f"{ent.text} {led.text}"
                spans.append(span)
        for chunk in _chunks_and_possessors(doc, self._is_institution):
            role_span = self._role_chunk(doc, chunk)
            if role_span is None:
                if _describes_country(chunk) or _names_document(chunk):
                    spans.append(chunk[1:])
                continue
            for part, text in self._split_places(doc, role_span):
                spans.append(part)
                if text is not None:
                    resolve_as[(part.start, part.end)] = text
        for i, lower in enumerate(doc_words(doc).lowers):
            if lower not in _TRACKED_PRONOUNS and lower not in _OBJECT_PRONOUNS:
                continue  # no pronoun we track: no Token object for it
            token = doc[i]
            if token.pos_ != "PRON":
                continue
            if (
                _is_pronoun(token)
                and (token.lower_ not in _GROUP_PRONOUNS or token.dep_ in ("nsubj", "nsubjpass", "poss"))
            ) or _object_pronoun(token):
                spans.append(doc[token.i : token.i + 1])
        kept = [rest for s in spans if (rest := _after_dateline(s, dateline)) is not None]
        return _drop_nested(kept), resolve_as

    def _split_places(self, doc: Doc, span: Span) -> list[tuple[Span, str | None]]:
        """'Russia and Turkey's foreign ministers', 'Nigerian and British armed forces': one
        mention per place, each resolved with the shared role ('Russia foreign ministers');
        the last place keeps the role words in its span."""
        root = span.root
        for mod in root.lefts:
            if mod.dep_ not in _PLACE_MODIFIER_DEPS or not mod.conjuncts or mod.i < span.start:
                continue
            group = sorted([mod, *mod.conjuncts], key=lambda t: t.i)
            if group[-1].i >= root.i or not all(self._is_place(t) for t in group):
                return [(span, None)]
            tail = group[-1].i + 1
            while tail < root.i and doc[tail].dep_ == "case":
                tail += 1
            role = doc[tail : span.end].text
            parts: list[tuple[Span, str | None]] = []
            for tok in group[:-1]:
                part = doc[_compound_start(tok, span.start) : tok.i + 1]
                parts.append((part, f"{part.text} {role}"))
            parts.append((doc[_compound_start(group[-1], span.start) : span.end], None))
            return parts
        return [(span, None)]

    def _is_institution(self, tok: Token) -> bool:
        if tok.lower_ in _COUNTRY_NOUNS:
            return True  # 'the country's soldiers'
        role = self.kb.roles.get(fold_key(tok.text)) or self.kb.roles.get(tok.lemma_.lower())
        return role is not None and not role.person and role.kind is None

    def _is_place(self, tok: Token) -> bool:
        if tok.ent_type_ in ("GPE", "NORP"):
            return True
        res = self.resolver.resolve(tok.text)
        return res.kind == "place" and bool(res.country)

    def _from_own_words(self, span: Span, res: Resolution, doc: Doc, date: dt.date | None) -> Resolution:
        """A person the knowledge lacks, or knows without a country, takes what the words
        around the name say: its apposition ('Kenzo Oshima, the UN relief coordinator'), the
        title it is the apposition of ('the finance minister, Ama Boateng,'), or what it is
        'of' or 'from' ('Ahmed Salah of the Interior Ministry'). Sectors the name already
        has are kept; the provenance says where the rest came from."""
        for how, words in _own_words(span, doc):
            found = self.resolver.resolve(words.text, context=doc._.context_country, date=date)
            if not found.coded or found.kind == "not_actor" or (found.kind == "person" and found.name):
                continue  # another named person is no description of this one
            if how == "title" and not (found.kind == "person" and found.role):
                continue  # 'in Haiti, a spokeswoman': a place is no title
            if how in _OWN_PREPS and found.kind not in (
                "organization",
                "country",
                "nationality",
                "place",
                None,
            ):
                continue
            sectors = res.sectors or (found.sectors if found.kind != "country" else [])
            return Resolution(
                country=found.country,
                sectors=list(sectors),
                name=res.name or span.text,
                role=res.role or found.role,
                kind="person",
                matched=[
                    "inferred",
                    *(m for m in res.matched if m != "inferred"),
                    *(f"{how}:{m}" for m in found.matched),
                ],
                confidence=min(res.confidence or found.confidence, found.confidence),
            )
        return res

    def _role_chunk(self, doc: Doc, chunk: Span) -> Span | None:
        """A noun chunk headed by a role word ('the minister', 'American warplanes')."""
        root = chunk.root
        if root.pos_ not in ("NOUN", "PROPN"):
            return None
        found = self._title(doc, chunk, root)
        if found is None:
            return None
        first, end, role = found
        if role.kind == "not_actor":
            return None  # 'a state of siege', 'state of emergency'
        start = _after_amount(doc[chunk.start : root.i], min(first, chunk.start))
        while start < root.i and doc[start].pos_ in ("DET", "PRON"):
            start += 1
        placed = any(t.ent_type_ in ("GPE", "NORP") for t in doc[start:end])
        return doc[start : end if placed else max(end, _place_phrase_end(root))]

    def _title(self, doc: Doc, chunk: Span, root: Token) -> tuple[int, int, Role] | None:
        """The longest role the chunk's words name up to its head, or through 'of' ('Secretary
        of State', 'Minister of Foreign Affairs'): where it starts and ends, and the role."""
        ends = [
            obj.right_edge.i + 1
            for prep in (root.rights if root.i in _of_heads(doc) else ())
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for obj in prep.children
            if obj.dep_ == "pobj"
        ]
        ends.append(root.i + 1)
        # The words doc[i:end] read off the Doc's text (Span.text joins its tokens on every call).
        text, words = _doc_text(doc), doc_words(doc)
        roles, lasts = self.kb.roles, self.kb.last_role_pieces()
        by_lemma = roles.get(words.lemmas[root.i])  # 'ministers'
        for end in ends:
            at_head = end == root.i + 1
            end_char = words.ends[end - 1]
            if not _may_end_key(text, words.idx[end - 1], end_char, lasts):
                if at_head and by_lemma is not None:
                    return _hyphen_start(chunk), end, by_lemma
                continue  # no role key ends in this word: most chunks end here
            # Longest first: 'aircraft carrier', 'prime minister' before 'minister'.
            for i in range(_hyphen_start(chunk), root.i + 1):
                role = roles.get(fold_key(text[words.idx[i] : end_char])) or (by_lemma if at_head else None)
                if role is not None:
                    return i, end, role
        return None

    # -- linking ----------------------------------------------------------------------------
    def _link(
        self, doc: Doc, mentions: list[tuple[Span, Resolution]]
    ) -> tuple[list[ActorMention], list[Actor]]:
        """Give every mention an entity id; coreferent mentions share codes."""
        out: list[ActorMention] = []
        entities: list[Actor] = []
        # Per entity: surface forms seen, to match surnames and titles later.
        surfaces: list[set[str]] = []
        person_history: list[tuple[int, Span]] = []  # (entity id, mention span) for he/she
        group_history: list[tuple[int, Span]] = []  # countries, organisations, groups for it/they
        at_root: dict[int, int] = {}  # token index of a mention's head -> its entity

        def new_entity(res: Resolution, span: Span) -> int:
            eid = len(entities)
            entities.append(
                Actor(
                    entity=eid,
                    name=res.name,
                    country=res.country,
                    sectors=list(res.sectors),
                    role=res.role,
                    kind=res.kind,
                )
            )
            surfaces.append(set())
            return eid

        text, words = _doc_text(doc), doc_words(doc)
        forward = _cataphors(mentions)
        if forward:  # a forward-pointing 'his' is linked right after the subject it names
            mentions = _after_subjects(mentions, forward)
        for span, res in mentions:
            span_text = text[span.start_char : span.end_char]  # Span.text joins its tokens on every call
            text_key = fold(span_text)
            eid: int | None = None
            pronoun = len(span) == 1 and _is_pronoun(span[0])
            definite = None if res.country else _with_the(span, words.lowers)
            if definite is not None and _names_document(definite):
                # 'The resolution welcomed ...': who adopted it speaks through it
                eid = _author(span, at_root)
                if eid is None:
                    continue
                res = Resolution()
            elif definite is not None and _describes_country(definite):
                # 'the Caribbean nation': a country named before, found as 'it' would be
                countries = [(e, m) for e, m in group_history if entities[e].kind == "country"]
                eid = _group_antecedent(span, countries) if countries else None
                if eid is None:
                    continue
                res, pronoun = Resolution(), True
            elif pronoun:
                if span.start in forward:
                    eid = at_root.get(forward[span.start])
                elif _object_pronoun(span[0]):
                    eid = _object_antecedent(span, group_history)
                elif span[0].lower_ in _PERSON_PRONOUNS:
                    eid = _reason_owner(span, person_history)
                    if eid is None:
                        eid = _pronoun_antecedent(span, person_history)
                elif span[0].lower_ in _FIRST_PLURAL:
                    eid = None  # resolved by the quote stage, which knows the speaker
                else:
                    eid = _reason_owner(span, group_history)
                    if eid is None:
                        eid = _group_antecedent(span, group_history)
                if eid is None and span[0].lower_ not in _FIRST_PLURAL:
                    continue
            else:
                eid = self._coreferent(span, res, text_key, entities, surfaces)
            if eid is None:
                # An unresolved 'we' is kept as a mention but carries no codes.
                eid = new_entity(Resolution(kind="pronoun") if pronoun else res, span)
            entity = entities[eid]
            if res.coded and not pronoun and not (entity.country or entity.sectors):
                entity.country, entity.sectors = res.country, list(res.sectors)
                entity.name = entity.name or res.name
                entity.role = entity.role or res.role
            surfaces[eid].add(text_key)
            surfaces[eid].update(text_key.split())
            if res.name:
                surfaces[eid].update(fold(res.name).split())
            own_codes = res.coded and not pronoun and not _is_reference(span, res)
            mention = ActorMention(
                text=span_text,
                start=span.start_char,
                end=span.end_char,
                country=res.country if own_codes else entity.country,
                sectors=list(res.sectors) if own_codes else list(entity.sectors),
                name=res.name if own_codes and res.name else entity.name,
                role=res.role or entity.role,
                entity=eid,
                kind=res.kind or entity.kind,
                matched=";".join(res.matched) or ("coreference" if eid is not None else None),
            )
            entity.mentions.append(len(out))
            out.append(mention)
            at_root[span.root.i] = eid
            if (entity.kind or res.kind) == "person":
                person_history.append((eid, span))
            elif not pronoun and (entity.country or entity.sectors) and entity.kind != "place":
                group_history.append((eid, span))
        if forward:
            _restore_order(out, entities)
        self._place_by_owner(doc, out, {span.start_char: span for span, _ in mentions})
        self._place_by_location(doc, out, entities)
        self._place_by_sentence(doc, out, entities)
        self._place_by_context(out, entities)
        return out, entities

    def _place_by_owner(self, doc: Doc, mentions: list[ActorMention], spans: dict[int, Span]) -> None:
        """'its troops', 'their embassy', 'the government of President X': a role noun owned
        by a coded actor takes its country. ``spans``: the mentions' spans by first character."""
        by_start = {m.start: m for m in mentions}
        for m in mentions:
            if m.country or m.kind == "pronoun":
                continue
            span = spans.get(m.start)
            if span is None or span.end_char != m.end:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            owners = [by_start.get(c.idx) for c in span.root.children if c.dep_ == "poss"]
            # 'the military government of President Prosper Avril', 'supporters of Aristide'
            owners += [p for p in _mentions_after(span.root, "of", mentions) if p.kind == "person"]
            role = self.kb.roles.get(span.root.lower_)
            if role is not None and role.speaks_for:
                # 'a spokeswoman for the U.S. embassy' speaks for a coded actor
                owners += [p for p in _mentions_after(span.root, "for", mentions) if p.kind != "pronoun"]
            for owner in owners:
                if owner is not None and owner.country:
                    m.country = owner.country
                    m.matched = (
                        f"{m.matched};owner:{owner.country}" if m.matched else f"owner:{owner.country}"
                    )
                    break

    def _coreferent(
        self,
        span: Span,
        res: Resolution,
        text_key: str,
        entities: list[Actor],
        surfaces: list[set[str]],
    ) -> int | None:
        # Same canonical name: one entity.
        if res.name:
            name = fold(res.name)
            for ent in reversed(entities):
                if ent.name and fold(ent.name) == name:
                    return ent.entity
        words = text_key.split()
        # A surname or partial name of an earlier person ('Rubio' after 'Marco Rubio').
        if res.kind == "person" and len(words) <= 2:
            for ent in reversed(entities):
                if ent.kind == "person" and words and words[-1] in surfaces[ent.entity]:
                    return ent.entity
        # A name the knowledge lacks, alone, that the model takes for a person: the surname of
        # an earlier person ('Zuniga' after 'Gen. Juan Jose Zuniga'); only the last word of
        # their name, as a first name or a headline's words would join namesakes. (The span
        # is a slice of the Doc, grown over titles: the model's label is its head token's.)
        elif len(words) == 1 and span.root.ent_type_ == "PERSON":
            for ent in reversed(entities):
                if ent.kind == "person" and ent.name and fold(ent.name).split()[-1:] == words:
                    return ent.entity
        # 'the secretary', 'the Ayatollah', 'the President': the last entity with that title.
        if _is_reference(span, res):
            for ent in reversed(entities):
                if ent.kind == "person" and (
                    text_key in surfaces[ent.entity] or (ent.role and text_key in fold(ent.role))
                ):
                    return ent.entity
            # 'the junta' after 'Mali's military government': the last body with that role
            for ent in reversed(entities):
                if ent.kind == "organization" and res.role and ent.role == res.role and ent.country:
                    return ent.entity
        return None

    def _place_by_location(self, doc: Doc, mentions: list[ActorMention], entities: list[Actor]) -> None:
        """'Demonstrators burned flags in front of the US embassy in Karachi': an unplaced
        crowd (rules.yaml crowd_sectors) acting somewhere is of the place where it acts."""
        crowds = [m for m in mentions if m.country is None and m.sectors and set(m.sectors) <= _CROWD_SECTORS]
        if not crowds:
            return
        places: dict[int, ActorMention] = {}  # first token -> place mention
        for m in mentions:
            if m.kind == "place" and m.country:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    places.setdefault(span.start, m)
        if not places:
            return
        for m in crowds:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or span.root.dep_ not in ("nsubj", "nsubjpass"):
                continue
            where = None
            for c in span.root.head.children:
                if c.dep_ == "prep" and c.lower_ in _LOCATION_PREPS:
                    at = [i for i in range(c.left_edge.i, c.right_edge.i + 1) if i in places]
                    if at:
                        where = places[at[0]]
                        break
            if where is None:
                continue
            m.country = where.country
            m.matched = f"{m.matched};location:{where.country}" if m.matched else f"location:{where.country}"
            if m.entity is not None and entities[m.entity].country is None:
                entities[m.entity].country = where.country

    def _place_by_sentence(self, doc: Doc, mentions: list[ActorMention], entities: list[Actor]) -> None:
        """'The government of Sindh province has ordered patrols by police': a role the text
        leaves unplaced ('police', 'rebels', 'the opposition') takes the country of its
        sentence when the sentence names one country and no other."""
        starts = [doc[i].idx for i in _sentence_starts(doc)]
        by_sent: dict[int, list[ActorMention]] = {}
        for m in mentions:
            by_sent.setdefault(bisect_right(starts, m.start), []).append(m)
        for group in by_sent.values():
            countries = {m.country for m in group if m.country and m.country not in NON_STATE_CODES}
            if len(countries) != 1:
                continue
            (country,) = countries
            for m in group:
                unplaced = m.country is None and m.sectors and m.kind != "pronoun" and placeable(m.text)
                if unplaced and not set(m.sectors) & NON_STATE_CODES:
                    m.country = country
                    m.matched = f"{m.matched};sentence:{country}" if m.matched else f"sentence:{country}"
                    if m.entity is not None and entities[m.entity].country is None:
                        entities[m.entity].country = country
        for m in mentions:  # 'it', 'they' of an entity placed just now
            if m.country is None and m.entity is not None and entities[m.entity].country:
                m.country = entities[m.entity].country

    def _place_by_context(self, mentions: list[ActorMention], entities: list[Actor]) -> None:
        """Officials the text leaves unplaced take the document's dominant country."""
        counts = Counter(m.country for m in mentions if is_state_code(m.country))
        if not counts:
            return
        country, n = counts.most_common(1)[0]
        # a named person with no title takes the country only of an article about one country
        dominant = n >= DOMINANT_SHARE * sum(counts.values())
        for m in mentions:
            if m.country is None and m.kind == "person" and m.name and (m.sectors or dominant):
                m.country = country
                parts = [p for p in (m.matched or "").split(";") if p and p != "inferred"]
                m.matched = ";".join(["inferred", *parts, f"document-context:{country}"])
                if m.entity is not None and entities[m.entity].country is None:
                    entities[m.entity].country = country


def _bare_name(res: Resolution) -> bool:
    """A person the resolver made of capitalised words alone: no knowledge, role or place."""
    return res.kind == "person" and not res.matched and not res.sectors and not res.country


def _own_words(span: Span, doc: Doc) -> Iterator[tuple[str, Span]]:
    """The phrases that describe a person's mention: its apposition, the noun it is the
    apposition of (the words before the name), and the objects of its 'of' and 'from'."""
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= span.end:
            yield "appos", doc[child.left_edge.i : child.right_edge.i + 1]
    if root.dep_ == "appos" and root.head.i < span.start:
        # the title with what it is of: 'the secretary-general of the CSTO, Stanislav Zas'
        head = root.head
        words = [c.right_edge.i for c in head.rights if c.i < span.start and c.dep_ != "punct"]
        yield "title", doc[head.left_edge.i : min(max([head.i, *words]) + 1, span.start)]
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ in _OWN_PREPS and child.i >= span.end:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    yield child.lower_, doc[obj.left_edge.i : obj.right_edge.i + 1]


def _may_end_key(text: str, start: int, end: int, lasts: frozenset[str]) -> bool:
    """Whether a phrase whose last token is ``text[start:end]`` may end as a role key does
    (``lasts``). Open when the token is glued to a word before it ('n't') or the fold
    leaves no last piece: then the phrase's last piece is not the token's own."""
    if start > 0 and not (text[start - 1].isspace() or text[start - 1] == "-"):
        return True
    piece = last_piece(text[start:end])
    return not piece or piece in lasts


def _hyphen_start(chunk: Span) -> int:
    """Where the chunk's first word starts when the parser cut it at a hyphen: 'general' of
    'the secretary-general' is 'secretary-general'."""
    doc, start = chunk.doc, chunk.start
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_:
        if doc[start - 2].whitespace_:
            break
        start -= 2
    return start


def _after_amount(words: Span, start: int) -> int:
    """'$507 million and non-governmental organisations': the parser joined an amount to the
    role noun; the role starts after the 'and' ('Britain and France's ministers' keeps both)."""
    kinds = ("MONEY", "QUANTITY", "CARDINAL", "PERCENT")
    amounts = [t.i for t in words if t.ent_type_ in kinds]
    joins = [
        t.i + 1
        for t in words
        if t.dep_ == "cc" and amounts and t.i > amounts[0] and t.nbor().ent_type_ not in kinds
    ]
    return max([start, *joins])


def _led_body(ent: Span) -> Token | None:
    """The noun of 'Taliban-led government' that the entity leads, if it does."""
    root = ent.root
    led = root.head
    if root.dep_ != "npadvmod" or led.lower_ not in _LEADER_PARTICIPLES or led.dep_ != "amod":
        return None
    return led.head if led.head.pos_ in ("NOUN", "PROPN") and led.head.i > led.i else None


def _with_the(span: Span, lowers: list[str]) -> Span | None:
    """The mention with the word before it when that word is 'the' ('the resolution', 'the
    Caribbean nation'), or the mention itself when it starts with 'the'; else None (read off
    the Doc's words: no Span is made for the many mentions without one)."""
    if span.start > 0:
        return span.doc[span.start - 1 : span.end] if lowers[span.start - 1] == "the" else None
    return span if len(span) > 1 and lowers[span.start] == "the" else None


def _definite(chunk: Span) -> bool:
    """'the resolution', 'the Caribbean nation': a noun phrase made definite by 'the'."""
    return len(chunk) > 1 and chunk[0].lower_ == "the"


def _names_document(chunk: Span) -> bool:
    """'the resolution', 'the statement': a document noun (it may speak for its author)."""
    return _definite(chunk) and chunk.root.lemma_.lower() in _DOCUMENT_NOUNS


def _author(span: Span, at_root: dict[int, int]) -> int | None:
    """The entity that adopted or issued the document ``span`` names, told before it ('The
    Security Council adopted a resolution ...')."""
    noun = span.root.lemma_.lower()
    for tok in reversed(span.doc[: span.start]):
        if tok.lemma_.lower() == noun and tok.dep_ == "dobj" and tok.head.lemma_.lower() in _ISSUING_VERBS:
            subjects = [c for c in tok.head.children if c.dep_ == "nsubj"]
            return next((at_root[s.i] for s in subjects if s.i in at_root), None)
    return None


def _describes_country(chunk: Span) -> bool:
    """'the Caribbean nation', 'the country': a noun phrase headed by a country noun."""
    return _definite(chunk) and chunk.root.lower_ in _COUNTRY_NOUNS  # 'the countries' is no one


def _chunks_and_possessors(doc: Doc, institution: Callable[[Token], bool]) -> Iterator[Span]:
    """The noun chunks, and the institutions that own one ('the junta's fight', 'the
    ministry's statement'): spaCy's chunks hold the possessor inside the owned noun's. People
    who own something ('women's education') are left to the chunk: they are rarely actors."""
    owners = _noun_possessors(doc)
    for chunk in _noun_chunks(doc):
        for i in owners[bisect_left(owners, chunk.start) : bisect_left(owners, chunk.end)]:
            tok = doc[i]
            if tok.i < chunk.root.i and institution(tok):
                yield doc[tok.left_edge.i : tok.i + 1]
        yield chunk


def _noun_possessors(doc: Doc) -> list[int]:
    """Indices of the common nouns that own something ('the junta's'), read from the Doc's
    arrays: most chunks hold none, and need no Token made for each of their words."""
    if not len(doc):
        return []
    strings = doc.vocab.strings  # a label's hash; a part of speech's symbol id
    deps, pos = doc.to_array(["DEP", "POS"]).T
    return [int(i) for i in ((deps == strings["poss"]) & (pos == strings["NOUN"])).nonzero()[0]]


def _mentions_after(head: Token, prep: str, mentions: list[ActorMention]) -> list[ActorMention]:
    """The mentions holding the objects of ``head``'s preposition ``prep``."""
    objects = [o.idx for c in head.children if c.dep_ == "prep" and c.lower_ == prep for o in c.children
               if o.dep_ == "pobj"]  # fmt: skip
    if not objects:  # the usual case: no scan of every mention for every role noun
        return []
    return [m for m in mentions if any(m.start <= idx < m.end for idx in objects)]


def _place_phrase_end(root: Token, preps: frozenset[str] = _PLACE_PREPS) -> int:
    """'opposition groups in Zimbabwe', 'the Albanians of southern Serbia': a role noun
    keeps the place that follows it, so the place can code it ('a terror group based in
    Trinidad': also through a participle of location)."""
    preps_of = list(root.rights)
    for acl in root.rights:
        if acl.dep_ == "acl" and acl.lemma_ in _LOCATED_PARTICIPLES:
            preps_of.extend(c for c in acl.rights if c.lower_ == "in")
    for prep in preps_of:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            # 'the government of Sindh province', 'activists from the Fatah Party'
            labels = ("GPE", "NORP", "LOC", "ORG") if prep.lower_ == "from" else ("GPE", "NORP", "LOC")
            for obj in prep.children:
                words = obj.doc[obj.left_edge.i : obj.i + 1]
                if obj.dep_ == "pobj" and any(t.ent_type_ in labels for t in words):
                    # 'President of Uzbekistan Shavkat Mirziyoyev's state visit': what a
                    # possessor owns is not part of the one who owns it
                    owned = next((t.i for t in words if t.dep_ == "case" and t.head.dep_ == "poss"), None)
                    return owned if owned is not None else obj.i + 1
    return root.i + 1


_DATELINE_DASHES = frozenset({"--", "-", "—", "–", ":"})


def _after_dateline(ent: Span, dateline: Dateline | None) -> Span | None:
    """What of a mention lies after the dateline: none of 'MEXICO CITY' in 'MEXICO CITY,
    April 6 (Xinhua) --'; 'Azerbaijan' of 'BAKU - Azerbaijan', which the parser joins."""
    doc = ent.doc
    if dateline is None or not dateline.start <= ent.start_char < dateline.end:
        return ent
    if ent.end_char <= dateline.end:
        return None
    rest = doc.char_span(dateline.end, ent.end_char, label=ent.label_, alignment_mode="contract")
    return rest if rest is not None and len(rest) > 0 else None


def _is_dateline(ent: Span, dateline: Dateline | None) -> bool:
    """'BERLIN -- A court in Bavaria ...', 'KABUL (Reuters) -': the place a story was filed
    from, in capitals at the start of a sentence, is no actor of it."""
    doc = ent.doc
    if dateline is not None and ent.start_char < dateline.end:
        # 'QUITO, Sept 4 —', 'YEREVAN, Armenia –', 'BESHKEK:' (communique.document.dateline)
        return dateline.covers(ent.start_char, ent.end_char)
    if ent.start != _sentence_start(doc, ent.start) or not all(t.text.isupper() for t in ent if t.is_alpha):
        return False
    nxt = doc[ent.end] if ent.end < len(doc) else None
    return nxt is not None and (nxt.text in _DATELINE_DASHES or nxt.text == "(")


def _sentence_start(doc: Doc, i: int) -> int:
    starts = _sentence_starts(doc)
    return starts[bisect_right(starts, i) - 1] if starts else 0


def _is_pronoun(token: Token) -> bool:
    """A personal pronoun we track; 'US' (the country) is not 'us'."""
    if token.pos_ != "PRON" or (token.lower_ == "us" and token.text != "us"):
        return False
    return token.lower_ in _TRACKED_PRONOUNS


def _object_pronoun(token: Token) -> bool:
    """'it' or 'them' as a verb's object: an actor only where the sentence names one."""
    return token.pos_ == "PRON" and token.dep_ in _OBJECT_DEPS and token.lower_ in _OBJECT_PRONOUNS


def _shared_subjects(verb: Token, through: tuple[str, ...]) -> set[int]:
    """Token indices of the verb's subjects, or of the verb it hangs from by one of the
    ``through`` relations when it has none of its own."""
    subjects = {c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")}
    while not subjects and verb.dep_ in through and verb.head.i != verb.i:
        verb = verb.head
        subjects = {c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")}
    return subjects


def _object_antecedent(span: Span, history: list[tuple[int, Span]]) -> int | None:
    """The last actor of matching number named before the object pronoun in its sentence,
    other than its verb's subject ('The EU sanctioned Wagner, accusing it': not the EU)."""
    token = span[0]
    # 'sanctioned Wagner, accusing it': the subject the participle shares
    subjects = _shared_subjects(token.head, ("conj", "advcl", "xcomp"))
    excluded = {eid for eid, m in history if m.root.i in subjects}
    plural = token.lower_ in _PLURAL_OBJECTS
    sent_start = token.sent.start
    for eid, m in reversed(history):
        if m.start >= span.start or m.start < sent_start or eid in excluded:
            continue
        if (m.root.tag_ in ("NNS", "NNPS") or bool(m.root.conjuncts)) == plural:
            return eid
    return None


def _is_reference(span: Span, res: Resolution) -> bool:
    """A definite title without a name: 'the secretary', 'the Ayatollah' refers back."""
    if res.name or res.country:
        return False
    first = span.doc[span.start - 1] if span.start > 0 else None
    return (first is not None and first.lower_ == "the") and len(span) <= 2


def _expand_left(doc: Doc, ent: Span) -> Span:
    """Grow an entity leftwards over the titles and nationality of its noun phrase."""
    root = ent.root
    start = ent.start
    while start > 0:
        tok: Token = doc[start - 1]
        if tok.dep_ not in _LEFT_DEPS or (tok.pos_ in ("VERB", "AUX", "ADP") and tok.lower_ != "of"):
            break
        if not _under(tok, root, ent):
            break
        start -= 1
    while start < ent.start and (doc[start].pos_ in ("DET", "PUNCT", "ADP") or doc[start].dep_ == "case"):
        start += 1
    # 'the UK', 'the SDF': the article belongs to the name of an organisation or place.
    if (
        start == ent.start
        and ent.label_ != "PERSON"
        and ent.root.dep_ not in ("amod", "compound", "nmod", "poss")  # 'the Iraqi minister'
        and start > 0
        and doc[start - 1].lower_ == "the"
    ):
        start -= 1
    return doc[start : ent.end]


def _compound_start(tok: Token, floor: int) -> int:
    """Where the name ending at ``tok`` starts: 'South' of 'South Korea'."""
    left = tok.i
    while left > floor and tok.doc[left - 1].head.i == tok.i and tok.doc[left - 1].dep_ == "compound":
        left -= 1
    return left


def _under(tok: Token, root: Token, ent: Span) -> bool:
    """Whether ``tok`` hangs (through its heads) from the entity's root."""
    node = tok
    for _ in range(8):
        if node.i == root.i or ent.start <= node.i < ent.end:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _drop_nested(spans: Iterable[Span]) -> list[Span]:
    """Keep the longest of overlapping spans; 'US' inside 'US Secretary ... Rubio' goes."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in ordered:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def _sentence_starts(doc: Doc) -> list[int]:
    """Token index where each sentence starts, computed once per Doc (Span.sent walks the
    Doc each time it is asked)."""
    cached = doc.user_data.get("communique_sentence_starts")
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), [s.start for s in doc.sents])
        doc.user_data["communique_sentence_starts"] = cached
    return cached[1]


def _of_heads(doc: Doc) -> frozenset[int]:
    """Token indices that head a preposition 'of', read once per Doc from its arrays: most
    role nouns have none, and their right children need not be walked to find one."""
    cached = doc.user_data.get("communique_of_heads")
    if cached is None or cached[0] != len(doc):
        heads: frozenset[int] = frozenset()
        if len(doc):
            lower, dep, head = doc.to_array(["LOWER", "DEP", "HEAD"]).T  # hashes, as uint64
            strings = doc.vocab.strings
            at = ((lower == strings["of"]) & (dep == strings["prep"])).nonzero()[0]
            offsets = head.astype("int64")  # HEAD is the signed offset to the head
            heads = frozenset(int(i + offsets[i]) for i in at)
        cached = (len(doc), heads)
        doc.user_data["communique_of_heads"] = cached
    return cached[1]


def _noun_chunks(doc: Doc) -> list[Span]:
    """spaCy's English noun chunks (``spacy.lang.en.syntax_iterators``, the same rule), read
    from the Doc's arrays: spaCy's iterator makes a Token for every word of the Doc, and only
    nouns and pronouns can head a chunk."""
    if not len(doc) or not doc.has_annotation("DEP"):
        return list(doc.noun_chunks)  # spaCy's own error for a Doc without a parse
    strings = doc.vocab.strings
    pos, deps = doc.to_array(["POS", "DEP"]).T.tolist()
    to_head = doc.to_array("HEAD").astype("int64").tolist()  # signed offset to each token's head
    np_deps = {strings[label] for label in _NP_DEPS}
    np_pos = {strings[tag] for tag in ("NOUN", "PROPN", "PRON")}  # symbol ids, as POS is read
    conj = strings["conj"]
    chunks: list[Span] = []
    prev_end = -1
    for i, p in enumerate(pos):
        if p not in np_pos:
            continue
        left = doc[i].left_edge.i
        if left <= prev_end:
            continue  # no chunk nested in the one before
        head = i
        if deps[i] == conj:  # a conjunct is a chunk when what it is coordinated to is one
            head = i + to_head[i]
            while deps[head] == conj and to_head[head] < 0:
                head += to_head[head]
        if deps[head] in np_deps:
            prev_end = i
            chunks.append(Span(doc, left, i + 1, label="NP"))
    return chunks


_NP_DEPS = ("oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos", "attr", "ROOT")
_CACHE_KEYS = ("communique_sentence_starts", "communique_of_heads")
_doc_text = doc_text  # the Doc's text, built once for all the stages (communique.spans)


def _reason_owner(span: Span, history: list[tuple[int, Span]]) -> int | None:
    """'praised Ethiopia for its role', 'thanked Modi for his help': the owner in the reason
    given for an act on somebody is that somebody, the verb's object."""
    token = span[0]
    if token.dep_ != "poss" or token.head.dep_ != "pobj":
        return None
    prep = token.head.head
    if prep.dep_ != "prep" or prep.lower_ != "for" or prep.head.pos_ != "VERB":
        return None
    objects = {c.i for c in prep.head.children if c.dep_ == "dobj"}
    for eid, m in reversed(history):
        if m.root.i in objects:
            return eid
    return None


_FRONTED_DEPS = frozenset({"prep", "npadvmod", "advmod", "advcl"})


def _cataphors(mentions: list[tuple[Span, Resolution]]) -> dict[int, int]:
    """'Hours before his arrest, Castillo announced ...': a possessive pronoun inside a phrase
    put before its clause's subject names that subject, when the two agree in kind (a person
    for 'his', a body for 'its'). Pronoun token -> subject token."""
    kinds: dict[int, bool] | None = None  # mention head -> a person?, read once one is asked
    out: dict[int, int] = {}
    for span, _ in mentions:
        if len(span) != 1:
            continue
        token = span[0]
        if token.dep_ != "poss" or not _is_pronoun(token) or token.lower_ not in _POSSESSORS:
            continue
        phrase = token.head
        while phrase.head.i != phrase.i and phrase.head.pos_ not in ("VERB", "AUX"):
            phrase = phrase.head
        verb = phrase.head
        if phrase.dep_ not in _FRONTED_DEPS or verb.i == phrase.i:
            continue
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or not phrase.i < subject.i:
            continue
        if kinds is None:
            kinds = {span.root.i: _is_person(span, res) for span, res in mentions}
        if subject.i not in kinds:
            continue
        if kinds[subject.i] == (token.lower_ in _PERSON_PRONOUNS):
            out[token.i] = subject.i
    return out


def _is_person(span: Span, res: Resolution) -> bool:
    return res.kind == "person" or (res.kind is None and span.root.ent_type_ == "PERSON")


def _after_subjects(
    mentions: list[tuple[Span, Resolution]], forward: dict[int, int]
) -> list[tuple[Span, Resolution]]:
    """The mentions in linking order: each forward-pointing pronoun right after its subject."""
    moved = {i: [m for m in mentions if forward.get(m[0].start) == i] for i in set(forward.values())}
    out: list[tuple[Span, Resolution]] = []
    for m in mentions:
        if m[0].start not in forward:
            out.append(m)
            out.extend(moved.pop(m[0].root.i, []))  # once, should two mentions share a head
    return out


def _restore_order(out: list[ActorMention], entities: list[Actor]) -> None:
    """Put the mentions back in text order, renumbering each entity's list of them."""
    order = sorted(range(len(out)), key=lambda k: out[k].start)
    new_index = {old: new for new, old in enumerate(order)}
    out[:] = [out[k] for k in order]
    for entity in entities:
        entity.mentions = sorted(new_index[k] for k in entity.mentions)


def _pronoun_antecedent(span: Span, history: list[tuple[int, Span]]) -> int | None:
    """The most salient earlier person: a main-clause subject in this or the two previous
    sentences, nearest first; else the most recent person. A speaker ('..., he said')
    is never someone named inside the quotation before it."""
    if not history:
        return None
    doc = span.doc
    text = _doc_text(doc)
    starts = _sentence_starts(doc)
    here = bisect_right(starts, span.start) - 1
    history = [
        (eid, m)
        for eid, m in history
        if not (
            bisect_right(starts, m.start) - 1 == here
            and _QUOTE_CLOSE.search(text, m.end_char, span.start_char)
        )
    ]
    # 'Biden praised him': an object pronoun is never its own clause's subject
    if span[0].dep_ in ("dobj", "dative", "iobj"):
        subjects = _shared_subjects(span[0].head, ("conj",))  # '... and praised him'
        excluded = {eid for eid, m in history if m.root.i in subjects}
        history = [(eid, m) for eid, m in history if eid not in excluded]
    if not history:
        return None
    for k in range(here, max(-1, here - 3), -1):
        lo, hi = starts[k], starts[k + 1] if k + 1 < len(starts) else len(doc)
        candidates = [
            (eid, m) for eid, m in history if lo <= m.start < hi and m.start < span.start and _main_subject(m)
        ]
        if candidates:
            return candidates[0][0]
    previous = [eid for eid, m in history if m.start < span.start]
    return previous[-1] if previous else None


def _group_antecedent(span: Span, history: list[tuple[int, Span]]) -> int | None:
    """'Syria says it is willing': the subject of the clause that reports it; else a
    main-clause subject of this or the previous sentence; else the nearest one before."""
    token = span[0]
    by_root = {m.root.i: eid for eid, m in history}
    # 'Israel rescinded its annexation': an owner is the subject of its own clause.
    verb = token.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.i != token.i and child.i in by_root:
            return by_root[child.i]
    head = token.head
    for _ in range(3):  # it -> willing -> is -> says
        if head.head.i == head.i:
            break
        if head.dep_ in ("ccomp", "xcomp", "conj", "advcl"):
            # the subject, else a conjunct of it ('Biden and the G7 leaders ..., offering their')
            for conjunct in (False, True):
                for eid, m in reversed(history):
                    if _subject_of(m.root, head.head, conjunct):
                        return eid
        head = head.head
    sent = span.sent
    previous_start = sent.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    # Candidates: this sentence before the pronoun, and the sentence before it.
    near = [(eid, m) for eid, m in history if m.start < span.start and m.start >= previous_start]
    subjects = [eid for eid, m in near if _main_subject(m)]
    if subjects:
        return subjects[-1]
    same = [eid for eid, m in near if m.start >= sent.start]
    return same[-1] if same else None


def _subject_of(root: Token, verb: Token, conjunct: bool) -> bool:
    """``root`` heads a subject of ``verb`` (or, with ``conjunct``, a conjunct of one)."""
    if conjunct and root.dep_ == "conj" and root.head.dep_ in ("nsubj", "nsubjpass"):
        root = root.head
    return root.head.i == verb.i and root.dep_ in ("nsubj", "nsubjpass")


def _main_subject(span: Span) -> bool:
    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    head = root.head
    return head.dep_ == "ROOT" or head.lemma_ in _SPEECH_LEMMAS or head.head.dep_ == "ROOT"


_QUOTE_CLOSE = re.compile(r"[”\"»]|’(?![^\W\d_])")  # not the apostrophe of "Bolsonaro’s"
# The verbs of saying live in the coder's rules (data/lang/en/rules.yaml), one list for both;
# so do the sectors of a crowd, the prepositions of where an act happens and the
# participles that place a group ('based in').
_SPEECH_LEMMAS = load_rules().speech_verbs
_CROWD_SECTORS = load_rules().crowd_sectors
_LOCATION_PREPS = load_rules().location_preps
_LOCATED_PARTICIPLES = load_rules().located_participles
