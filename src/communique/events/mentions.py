"""Actor mentions at tokens: the token -> mention index of a Doc, and the mentions a phrase
stands for (fanned out over coordination, 'such as' lists, 'thousands of Kurds', owners).
Public because the trainable event model (``events/model.py``) reads sentences the same way."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc, Span, Token

from communique.events.grammar import antecedent, conjuncts, prep_objects
from communique.models import ActorMention
from communique.spans import doc_text
from communique.tokens import DocWords, doc_words

#: token index -> the actor mention covering it (None: no mention)
MentionIndex = Sequence[ActorMention | None]


def index_mentions(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention | None]:
    """Token index -> the actor mention covering it: the tokens ``Doc.char_span`` would give
    with ``alignment_mode="expand"``, found in the Doc's offsets (no Span, no Token made)."""
    index: list[ActorMention | None] = [None] * len(doc)
    if not mentions:
        return index
    words = doc_words(doc)
    size = len(doc_text(doc))  # the tokens, each with its space, tile the text
    for mention in mentions:
        if mention.start < 0 or not mention.start < mention.end <= size:
            continue
        first, last = expanded_tokens(words, mention.start, mention.end)
        for i in range(first, last + 1):
            index[i] = mention
    return index


def expanded_tokens(words: DocWords, start: int, end: int) -> tuple[int, int]:
    """The first and last token of the characters ``start:end`` (within the text), as
    ``Doc.char_span`` with ``alignment_mode="expand"`` gives them, found in the offsets."""
    first = bisect_right(words.idx, start) - 1
    last = bisect_right(words.idx, end - 1) - 1
    if start == words.ends[first]:
        first += 1  # it starts at the space after a token: not that token
    return first, last


class MentionTable(tuple[ActorMention | None, ...]):
    """A Doc's token -> mention index that keeps what :func:`mentions_at` found at each token:
    the stages ask about the same head many times (subject, reporter, governed trigger), and
    the answer depends only on the parse and the index."""

    _found: dict[tuple[int, bool], tuple[ActorMention, ...]] | None = None
    # head token -> the fields of the mention the resolver made of its phrase (None: none)
    _phrases: dict[int, dict[str, Any] | None] | None = None

    def found(self) -> dict[tuple[int, bool], tuple[ActorMention, ...]]:
        if self._found is None:
            self._found = {}
        return self._found

    def phrases(self) -> dict[int, dict[str, Any] | None]:
        if self._phrases is None:
            self._phrases = {}
        return self._phrases


def mentions_at(tok: Token, by_token: MentionIndex, shallow: bool = False) -> list[ActorMention]:
    """Actor mentions for the phrase headed by ``tok``, fanned out over coordination and
    'such as'/'including' lists. ``shallow``: only the mentions at the heads themselves."""
    if type(by_token) is not MentionTable:
        return _mentions_at(tok, by_token, shallow)
    found = by_token.found()
    key = (tok.i, shallow)
    known = found.get(key)
    if known is None:
        known = found[key] = tuple(_mentions_at(tok, by_token, shallow))
    return list(known)  # a new list: callers extend what they are given


def _mentions_at(tok: Token, by_token: MentionIndex, shallow: bool) -> list[ActorMention]:
    if by_token[tok.i] is None:
        tok = antecedent(tok)
    heads = [tok, *conjuncts(tok)]
    found: list[ActorMention] = []
    for head in heads:
        mention = by_token[head.i]
        examples = [] if shallow else _examples(head, mention, by_token)
        if examples and (mention is None or not mention.country or any(m.country for m in examples)):
            # ... unless the head is placed and its examples are not ('Russian aircraft
            # including helicopter gunships'): then the head codes them all
            found.extend(m for m in examples if m not in found)
            continue
        if mention is not None:
            if not shallow:
                # 'Russia and Turkey's foreign ministers': the actor stage gave each place its
                # own mention; the head's phrase stands for all of them
                places = _place_conjuncts(head, by_token)
                found.extend(m for m in places if m is not mention and m not in found)
            found.append(mention)
            continue
        if not shallow:
            found.extend(_group_of(head, by_token))
    return found


def _examples(head: Token, mention: ActorMention | None, by_token: MentionIndex) -> list[ActorMention]:
    """'leaders such as X', 'representatives, including Y': the named examples act (a named
    person or outlet is itself, not an example of a group)."""
    examples: list[ActorMention] = []
    if mention is not None and mention.name and mention.kind in ("person", "media"):
        return examples
    if not (head.n_lefts or head.n_rights):
        return examples  # a bare name ('Iran'): no need to start a walk of no children
    placed = mention is not None and bool(mention.country)
    for child in head.children:
        dep = child.dep_  # read once: every mention head's children are read here
        # an apposition renames a placed head ('Haifa, Israel's third largest city'), it
        # gives no examples of it
        if (dep == "prep" and child.lower_ in ("as", "including", "like")) or (dep == "appos" and not placed):
            for node in child.subtree:
                m = by_token[node.i]
                if m is not None and node.dep_ in ("pobj", "appos", "conj") and m not in examples:
                    examples.append(m)
    return examples


def _group_of(head: Token, by_token: MentionIndex) -> list[ActorMention]:
    """A head no mention covers: the group after its 'of' ('thousands of Iraqi Kurds',
    'members of the party'), or else a coded modifier that places it ('US personnel')."""
    of_objects = [
        o
        for c in head.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for o in c.children
        if o.dep_ == "pobj"
    ]
    of_mentions = [m for o in of_objects if (m := by_token[o.i]) is not None]
    if of_mentions:
        return of_mentions
    for child in head.lefts:
        m = by_token[child.i]
        if m is not None and child.dep_ in ("compound", "amod", "poss", "nmod"):
            return [m]
    return []


def _place_conjuncts(head: Token, by_token: MentionIndex) -> list[ActorMention]:
    """Mentions of coordinated modifiers of ``head`` ('Nigerian and British armed forces')."""
    if not head.n_lefts:
        return []  # (no walk started for a word with nothing to its left)
    for child in head.lefts:
        if child.dep_ in ("poss", "amod", "nmod", "compound") and (others := conjuncts(child)):
            group = sorted([child, *others], key=lambda t: t.i)
            return [m for t in group if (m := by_token[t.i]) is not None]
    return []


def _modifiers(tok: Token, by_token: MentionIndex) -> list[Token]:
    """The children of a noun, and the modifiers of a modifier that is no actor itself
    ('US Predator attacks': the owner modifies the weapon's name)."""
    out = list(tok.children)
    for child in tok.children:
        if child.dep_ == "compound" and by_token[child.i] is None:
            out.extend(g for g in child.children if g.dep_ in ("compound", "amod"))
    return out


def owners(tok: Token, by_token: MentionIndex) -> list[ActorMention]:
    """The actors owning a noun phrase: possessor, or a modifier that is an actor."""
    found: list[ActorMention] = []
    for child in _modifiers(tok, by_token):
        if child.dep_ == "poss" or (
            child.dep_ in ("amod", "compound", "nmod") and mentions_at(child, by_token, shallow=True)
        ):
            mentions = mentions_at(child, by_token, shallow=child.dep_ != "poss")
            if child.dep_ == "compound":
                # 'the Lome peace agreement', 'the Geneva talks': a city names where, not who
                mentions = [m for m in mentions if not is_capital(m)]
            found.extend(mentions)
    return found


def is_capital(mention: ActorMention) -> bool:
    """A capital standing for its state ('Kabul', 'Washington'), as the actor stage marks it."""
    return (mention.matched or "").startswith("capital:")


def mentions_after(head: Token, prep: str, by_token: MentionIndex) -> list[ActorMention]:
    """The mentions at the objects of ``head``'s preposition ``prep``."""
    return [m for o in prep_objects(head, prep) for m in mentions_at(o, by_token)]


def participle_agents(noun: Token, by_token: MentionIndex) -> list[ActorMention]:
    """'a demonstration staged by students', 'the attack carried out by Hamas': the agent
    of a participle that describes a noun."""
    return [
        m
        for acl in noun.children
        if acl.dep_ == "acl"
        for ag in acl.children
        if ag.dep_ == "agent"
        for o in ag.children
        if o.dep_ == "pobj"
        for m in mentions_at(o, by_token)
    ]


def named_in_sentence(mention: ActorMention, sent: Span, by_token: MentionIndex) -> ActorMention:
    """A pronoun whose actor the same sentence names earlier is reported as that name: the
    evidence stays in the sentence and says who acted."""
    if mention.kind != "pronoun" or mention.entity is None:
        return mention
    for i in range(sent.start, sent.end):
        m = by_token[i]
        if m is None:
            continue
        if m.start >= mention.start:
            break
        if m.entity == mention.entity and m.kind != "pronoun":
            return m
    return mention


def span_mention(span: Span, **codes: Any) -> ActorMention:
    """An actor mention over the words of ``span`` with the given codes."""
    return ActorMention(**span_fields(span, **codes))


def span_fields(span: Span, **codes: Any) -> dict[str, Any]:
    """The fields of :func:`span_mention`'s mention."""
    return {"text": span.text, "start": span.start_char, "end": span.end_char, **codes}


def coded(mention: ActorMention | None) -> bool:
    return mention is not None and bool(mention.country or mention.sectors)


def unique(mentions: list[ActorMention]) -> list[ActorMention]:
    seen: set[tuple[int, int]] = set()
    out = []
    for m in mentions:
        key = (m.start, m.end)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


#: provenance (end of ``matched``) of a source taken from the main clause's subject
MAIN_SUBJECT = "main-subject"
