"""Stage 5 of the event coder: what an event is coded as.

The trigger's sense gives a type and CAMEO code; the status may change them (a negated
cooperative act is a REJECT, an intended one an AGREE, an intended hostile act a THREATEN),
and so may words of the sentence (rules.yaml type_by_sentence, the lexicon's mode cues).
Then CAMEO gives Goldstein and quad class, the lexicon the PLOVER contexts, and the parse
a confidence.
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.events.config import CoderConfig
from communique.events.context import SentenceContext, Trigger
from communique.events.mentions import MAIN_SUBJECT, coded
from communique.events.status import takes_place, to_come
from communique.models import ActorMention, EventStatus

_INTENT = (EventStatus.intended, EventStatus.conditional)


def recode(cfg: CoderConfig, ctx: SentenceContext, trig: Trigger) -> tuple[str, EventStatus, str | None]:
    """The event's type, status and CAMEO code, after what its status and sentence say."""
    ev_type, status, cameo = _by_status(cfg, trig)
    for rule in cfg.type_by_sentence.get(ev_type, ()):
        # 'sent 200 troops to serve as a peacekeeping force' is AID (rules.yaml)
        if rule.words & ctx.words or any(" " in w and w in ctx.text_lower for w in rule.words):
            ev_type, cameo = rule.to, rule.cameo
            break
    return ev_type, status, cameo


def _by_status(cfg: CoderConfig, trig: Trigger) -> tuple[str, EventStatus, str | None]:
    rules = cfg.rules
    ev_type, status, cameo = trig.type, trig.status, trig.cameo
    gov = trig.governor
    # A refused cooperative act is a rejection: 'will not allow', 'did not agree'.
    if status == EventStatus.negated and ev_type in rules.reject_when_negated:
        return "REJECT", EventStatus.happened, cfg.onto.default_cameo("REJECT")
    if (
        status in _INTENT  # 'would meet ... if'
        and ev_type in rules.intended_as_agree
        and (gov is None or gov.dropped or gov.type != "AGREE")
        # 'on the eve of a visit', 'the ceasefire would come into effect': scheduled, no offer
        and not (to_come(cfg, trig.token) or takes_place(cfg, trig.token))
    ):
        # 'willing to withdraw', 'open to talks': an expressed intent is an AGREE event;
        # 'willing to help' is an offer, made as it is said
        if ev_type in rules.offers_made:
            status = EventStatus.happened
        return "AGREE", status, rules.intended_as_agree[ev_type]
    if (
        status in _INTENT
        and ev_type in rules.intended_as_threaten
        and (gov is None or gov.dropped)
        and not trig.refusal  # 'will not accept refugees if war starts' is refused now
        and not _decided(cfg, trig)  # 'decided to impose sanctions': the sanctions, intended
        # 'said it would recall its ambassador': an announced measure is a decision, unless
        # it hangs on a condition ('will expel them unless ...')
        and not (ev_type in rules.announced_measures and status is EventStatus.intended)
    ):
        # 'will impose martial law', 'would blockade Paris unless ...': a threat.
        return "THREATEN", EventStatus.happened, rules.intended_as_threaten[ev_type]
    return ev_type, status, cameo


def _decided(cfg: CoderConfig, trig: Trigger) -> bool:
    """The act is what its subject decided: the head of its to-clause is a verb of deciding."""
    anchor = trig.light or trig.token
    return anchor.dep_ == "xcomp" and anchor.head.lemma_.lower() in cfg.rules.decision_verbs


def mode(
    cfg: CoderConfig, ctx: SentenceContext, trig: Trigger, ev_type: str, cameo: str | None
) -> tuple[str | None, str | None]:
    """The PLOVER mode (and the CAMEO code it implies): the sense's, while the event keeps
    the sense's type, else one a cue word of the sentence gives ('warplanes')."""
    found = trig.sense.mode if ev_type == trig.sense.type else None
    if found is None:
        return mode_from_cues(cfg, ctx, ev_type, cameo)
    return found, cameo


def mode_from_cues(
    cfg: CoderConfig, ctx: SentenceContext, ev_type: str, cameo: str | None
) -> tuple[str | None, str | None]:
    for cue_mode, cue_cameo, words, phrases in cfg.mode_cues.get(ev_type, ()):
        if not words.isdisjoint(ctx.words) or any(p in ctx.text_lower for p in phrases):
            return cue_mode, cue_cameo or cameo
    return None, cameo


def scale(cfg: CoderConfig, ev_type: str, cameo: str | None) -> tuple[float | None, int | None]:
    """Goldstein score and quad class of the CAMEO code (the type's quad class without one)."""
    info = cfg.onto.code(cameo)
    quad_class = (info.quad_class if info else None) or cfg.onto.quad_class(ev_type)
    return (info.goldstein if info else None), quad_class


def contexts(ctx: SentenceContext, trig: Trigger) -> list[str]:
    """The sense's PLOVER contexts, then those the sentence's words give."""
    found = list(trig.sense.context)
    found.extend(name for name in ctx.contexts if name not in found)
    return found


def confidence(
    cfg: CoderConfig,
    trig: Trigger,
    source: ActorMention | None,
    target: ActorMention | None,
    status: EventStatus,
) -> float:
    """How sure the coder is: coded actors the parse links to the trigger raise it; a guessed
    source, a governed or background event and a status other than happened lower it."""
    score = 0.45
    score += 0.2 if coded(source) else 0.0
    if source is not None and (source.matched or "").endswith(MAIN_SUBJECT):
        score -= 0.1  # a source the parse does not link to the trigger is a guess
    score += 0.15 if coded(target) else 0.0
    score += 0.1 if not trig.is_noun or trig.light is not None else 0.0
    if trig.governor is not None and not trig.governor.dropped:
        score -= 0.25  # the governing event is the sentence's main event
    elif _background(cfg, trig):
        score -= 0.25  # 'resigned as the opposition threatened to storm ...
    if trig.token.dep_ == "ROOT" or trig.token.head.dep_ == "ROOT":
        score += 0.05
    if status != EventStatus.happened:
        score -= 0.05
    return round(max(0.05, min(0.99, score)), 3)


def _background(cfg: CoderConfig, trig: Trigger) -> bool:
    """An event told as the time or reason of another: inside a phrase of circumstance
    ('blockades reimposed following the shooting deaths') or a clause of time or reason
    ('resigned as the opposition threatened'). The main clause's event is the news."""
    node = trig.light or trig.token
    for _ in range(6):
        if (head := node.head).i == node.i:
            return False
        if _circumstance(cfg, node):
            return True
        node = head
    return False


def _circumstance(cfg: CoderConfig, node: Token) -> bool:
    """Whether the arc from ``node`` to its head makes it the circumstance of its head."""
    rules = cfg.rules
    dep = node.dep_
    if dep == "prep" and node.lower_ in rules.adjunct_preps:
        return True
    if dep == "advcl" and any(c.dep_ == "mark" and c.lower_ in rules.background_marks for c in node.children):
        return True
    if dep == "relcl" and node.head.i < node.i:
        return True  # 'condemned the attacks, which have seen scores arrested'
    if dep == "advcl" and node.head.i < node.i and node.tag_ == "VBG":
        return True  # 'conceded defeat, congratulating Kostunica': what came with it
    if dep == "amod":
        return True  # 'awarded the prize to detained opposition leader ...': a state
    if dep == "compound":
        return True  # 'the Golan Heights ceasefire line': names a thing, not an act
    if dep == "pcomp" and node.head.lower_ == "for" and node.tag_ == "VBG":
        return True  # 'imposed an embargo on Liberia FOR SUPPORTING the RUF': why
    # 'in retaliation for the expulsion of ...': why, not what
    return dep == "pobj" and node.head.lower_ == "in" and node.lemma_.lower() in rules.reason_nouns
