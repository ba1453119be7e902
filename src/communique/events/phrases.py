"""The evidence of an event's arguments as text: the whole phrase of its source and target
('the Sudanese government', 'into the areas devastated by the cyclone'), and, with no target
actor, what the event is done to ('condemned THE TERRORIST ATTACK')."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from communique.events.arguments import stative, target_preps, theme_object
from communique.events.config import CoderConfig
from communique.events.context import SentenceContext, Trigger
from communique.events.grammar import PASS_SUBJ, SUBJ, WHEN, verb_objects
from communique.events.mentions import expanded_tokens
from communique.models import ActorMention
from communique.models import Span as TextSpan
from communique.spans import doc_text
from communique.tokens import doc_words


def tokens_text(doc: Doc, left: int, right: int) -> TextSpan:
    """Tokens ``left`` to ``right`` (inclusive) as evidence, cut from the Doc's text once read
    (``Span.text`` joins the tokens anew on every call)."""
    words = doc_words(doc)  # offsets without a Token object for either end
    start, end = words.idx[left], words.ends[right]
    return TextSpan(text=doc_text(doc)[start:end], start=start, end=end)


def _subtree_span(tok: Token) -> TextSpan:
    """The text of the phrase ``tok`` heads."""
    return tokens_text(tok.doc, tok.left_edge.i, tok.right_edge.i)


def argument_phrase(
    trig: Trigger, mention: ActorMention | None, sent: Span, apart_from: TextSpan | None = None
) -> TextSpan | None:
    """The whole phrase of the trigger's argument that holds ``mention``: climb from the
    mention to the child of the trigger (or of the first verb on the way) and take its
    subtree, without a leading preposition ('into the areas devastated by the cyclone').
    A target inside the source's phrase ('A and B agreed': each the other's) is itself."""
    if mention is None or not (sent.start_char <= mention.start and mention.end <= sent.end_char):
        return None
    if apart_from is not None and apart_from.start <= mention.start and mention.end <= apart_from.end:
        return TextSpan(text=mention.text, start=mention.start, end=mention.end)
    doc = sent.doc
    # inside the sentence, so inside the text: char_span would find the same tokens
    first, last = expanded_tokens(doc_words(doc), mention.start, mention.end)
    # (0 <= first <= last + 1 <= len(doc), as doc[first : last + 1] would normalise them; the
    # slice runs that normalisation in Python, three times the cost of the Span itself)
    span = Span(doc, first, last + 1)
    anchors = {t.i for t in trig.tokens}
    if trig.light is not None:
        anchors.add(trig.light.i)
    node = _argument_head(span.root, anchors)
    left, right = node.left_edge.i, node.right_edge.i
    if any(left <= a <= right for a in anchors):
        left, right = span.start, span.end - 1  # the trigger inside: the mention alone
    left, right = min(left, span.start), max(right, span.end - 1)
    while left < right and ((word := doc[left]).is_punct or word.dep_ in ("cc", "prep")):
        left += 1
    while right > left and doc[right].is_punct:
        right -= 1
    return tokens_text(doc, left, right)


def _argument_head(node: Token, anchors: set[int]) -> Token:
    """Climb from a mention's root to the child of the trigger or of the first verb above."""
    for _ in range(12):
        head = node.head
        if head.i == node.i or head.i in anchors or head.pos_ in ("VERB", "AUX"):
            break
        if node.dep_ in ("relcl", "acl"):  # an apposition renames its head: climb on
            break
        node = head
    if node.dep_ == "prep":
        node = next((c for c in node.children if c.dep_ in ("pobj", "pcomp")), node)
    return node


def what_phrase(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger) -> TextSpan | None:
    """With no target actor, what the event is done to: its own object, a governed
    event's, or the object of the act it commits to ('agreed to establish an interim
    force comprised of Ethiopian ... troops', 'pledged to work with China')."""
    found = object_phrase(cfg, trig)
    if found is None:
        found = next((p for g in trig.governed if (p := object_phrase(cfg, g)) is not None), None)
    if found is None and not trig.is_noun:
        found = _committed_object(cfg, ctx, trig.token)
    if found is None and trig.type in cfg.rules.area_types:
        found = _area(cfg, trig)
    return found


def _committed_object(cfg: CoderConfig, ctx: SentenceContext, tok: Token) -> TextSpan | None:
    """'pledged to work with China': the object of the act the verb commits to."""
    verb = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if verb is None or verb.i in ctx.trigger_tokens:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None) or next(
        (o for c in verb.children if c.dep_ == "prep" and c.lower_ in cfg.rules.default_target_preps
         for o in c.children if o.dep_ == "pobj"),
        None,
    )  # fmt: skip
    if obj is not None and obj.pos_ in ("NOUN", "PROPN") and obj.ent_type_ not in WHEN:
        return _subtree_span(obj)
    return None


def _area(cfg: CoderConfig, trig: Trigger) -> TextSpan | None:
    """'declared a state of siege in Bolivia', 'remained on alert in North District': an act
    on an area (rules.yaml area_types) is done to where it happens."""
    tok = trig.token
    hosts = [tok, trig.light or (tok.head if trig.is_noun and tok.head.pos_ == "VERB" else None)]
    if not trig.is_noun:  # 'declared a state of siege in Bolivia'
        hosts.extend(verb_objects(tok))
    where = next(
        (o for h in hosts if h is not None for c in h.children
         if c.dep_ == "prep" and c.lower_ in cfg.rules.location_preps
         for o in c.children if o.dep_ == "pobj" and o.ent_type_ not in WHEN),
        None,
    )  # fmt: skip
    return _subtree_span(where) if where is not None else None


def object_phrase(cfg: CoderConfig, trig: Trigger) -> TextSpan | None:
    """With no target actor, what the event is done to as the text puts it ('condemned
    the terrorist attack', 'an investigation into the certification of the jets')."""
    tok = trig.token
    found = _noun_object(cfg, trig) if trig.is_noun else _verb_object(cfg, trig)
    if found is None and not trig.is_noun and theme_object(cfg, trig):
        # 'would free 1,500 Taliban prisoners': the theme is what it is done to
        found = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if found is None or found.pos_ not in ("NOUN", "PROPN", "PRON", "NUM") or found.ent_type_ in WHEN:
        return None
    left, right = found.left_edge.i, found.right_edge.i
    if any(left <= t.i <= right for t in trig.tokens):
        return None
    return tokens_text(found.doc, left, right)


def _noun_object(cfg: CoderConfig, trig: Trigger) -> Token | None:
    tok = trig.token
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in cfg.rules.receiving_verbs:
        # 'The plan drew criticism from Beijing': what receives it is the subject
        return next((c for c in tok.head.children if c.dep_ in SUBJ), None)
    wanted = {*target_preps(cfg, trig), "of", "into"}
    carrier = trig.light or (tok.head if tok.dep_ == "dobj" and tok.head.i != tok.i else None)
    for host in (tok, carrier):
        if host is None:
            continue
        found = next(
            (o for c in host.children if c.dep_ in ("prep", "dative") and c.lower_ in wanted
             for o in c.children if o.dep_ == "pobj"),
            None,
        )  # fmt: skip
        if found is not None:
            return found
    return None


def _verb_object(cfg: CoderConfig, trig: Trigger) -> Token | None:
    tok = trig.token
    passive = any(c.dep_ in PASS_SUBJ for c in tok.children) and not stative(cfg, tok)
    deps = () if theme_object(cfg, trig) else PASS_SUBJ if passive else ("dobj",)
    found = next((c for c in tok.children if c.dep_ in deps), None)
    if found is None:
        found = next(
            (o for c in tok.children if c.dep_ == "prep" and c.lower_ in target_preps(cfg, trig)
             for o in c.children if o.dep_ == "pobj" and o.ent_type_ not in WHEN),
            None,
        )  # fmt: skip
    return found
