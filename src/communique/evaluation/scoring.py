"""Scorers: gold records (from :mod:`datasets`) + predictions -> a dict of figures.

Scorers never run the pipeline: they take the ``Result`` objects (or ``Problem``/None for
a document that failed, scored as an empty prediction) in the same order as the gold
items, so they can be tested on hand-made predictions. Every scorer returns zeros, never
raises, when nothing was predicted. The rules are documented in docs/evaluation.md.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from communique.evaluation.datasets import (
    RE3D_ACTOR_TYPES,
    YIELD_TYPES,
    ActorCase,
    Attribution,
    GoldActor,
    GsrItem,
    PlvItem,
    PolnearArticle,
    Re3dDocument,
    RealnewsArticle,
    RealnewsGold,
    plover20,
)
from communique.evaluation.spans import Fragment, best_match, span_matches, word_set
from communique.models import ActorMention, Event, Quote, Result

NONE_LABEL = "NONE"

#: Which re3d entity type each ActorMention.kind stands for (kinds not listed: no type).
KIND_TO_RE3D = {
    "person": "Person",
    "organization": "Organisation",
    "organisation": "Organisation",
    "group": "Organisation",
    "media": "Organisation",
    "nationality": "Nationality",
    "adjective": "Nationality",
    "country": "Location",
    "place": "Location",
    "region": "Location",
    "location": "Location",
    "city": "Location",
}

#: Mention kinds left out of re3d precision: re3d annotates names, never pronouns.
RE3D_IGNORED_KINDS = frozenset({"pronoun"})

#: A gold IGO source/target is right when the pipeline says any of these.
IGO_EQUIVALENTS = frozenset({"IGO", "UNO", "EUR"})


# -- small helpers -------------------------------------------------------------------------------
def ratio(num: float, den: float) -> float:
    """num/den, 0.0 when den is 0, rounded to 4 places."""
    return round(num / den, 4) if den else 0.0


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p, r = ratio(tp, n_pred), ratio(tp, n_gold)
    f = round(2 * p * r / (p + r), 4) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def prf_counts(pred_correct: int, n_pred: int, gold_found: int, n_gold: int) -> dict[str, Any]:
    """P = correct predictions / predictions, R = gold found / gold (numerators differ when
    one prediction covers several gold spans), F1 from those, and the four counts."""
    p, r = ratio(pred_correct, n_pred), ratio(gold_found, n_gold)
    return {
        "precision": p,
        "recall": r,
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "gold": n_gold,
        "gold_found": gold_found,
        "predicted": n_pred,
        "predicted_correct": pred_correct,
    }


def as_result(item: Any) -> Result | None:
    return item if isinstance(item, Result) else None


def top_event(result: Any) -> Event | None:
    """The event of a one-sentence result: the most confident one (the first on ties)."""
    res = as_result(result)
    if res is None or not res.events:
        return None
    best = res.events[0]
    for ev in res.events[1:]:
        if ev.confidence > best.confidence:
            best = ev
    return best


def _span(mention: ActorMention | None) -> Fragment | None:
    return None if mention is None else (mention.start, mention.end)


def _pad(results: Sequence[Any], n: int) -> list[Any]:
    out = list(results)[:n]
    return out + [None] * (n - len(out))


# -- classification ------------------------------------------------------------------------------
def classification_metrics(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class P/R/F1, macro-F1 over the gold labels, and a confusion matrix
    (rows gold, columns predicted; ``NONE`` = no prediction)."""
    n = len(gold)
    gold_labels = sorted(set(gold))
    extra = sorted(set(pred) - set(gold) - {NONE_LABEL})
    columns = gold_labels + extra + ([NONE_LABEL] if NONE_LABEL in pred else [])
    per_class: dict[str, dict[str, Any]] = {}
    for label in gold_labels + extra:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == label)
        n_pred = sum(1 for p in pred if p == label)
        n_gold = sum(1 for g in gold if g == label)
        per_class[label] = {**prf(tp, n_pred, n_gold), "support": n_gold, "predicted": n_pred}
    confusion = {g: {c: 0 for c in columns} for g in gold_labels}
    for g, p in zip(gold, pred, strict=True):
        confusion[g][p] += 1
    f1s = [per_class[label]["f1"] for label in gold_labels]
    return {
        "n": n,
        "accuracy": ratio(sum(1 for g, p in zip(gold, pred, strict=True) if g == p), n),
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "predicted_events": sum(1 for p in pred if p != NONE_LABEL),
        "per_class": per_class,
        "labels": gold_labels,
        "columns": columns,
        "confusion": confusion,
    }


# -- plover-gsr ----------------------------------------------------------------------------------
def country_matches(predicted: str | None, gold: str) -> bool:
    """Country codes agree; a gold IGO accepts any PLOVER international-organisation code."""
    if predicted is None:
        return False
    if gold == "IGO":
        return predicted in IGO_EQUIVALENTS
    return predicted == gold


def _country_check(actors: list[GoldActor], mention: ActorMention | None, counts: Counter) -> str | None:
    """Score the first gold actor's country; returns the predicted country for the item row."""
    if not actors:
        return None
    gold = actors[0].country
    if gold is None:
        counts["unscored"] += 1
        return None
    counts["n"] += 1
    got = mention.country if mention is not None else None
    if country_matches(got, gold):
        counts["correct"] += 1
    return got


def score_plover_gsr(items: Sequence[GsrItem], results: Sequence[Any]) -> dict[str, Any]:
    results = _pad(results, len(items))
    gold, pred, rows = [], [], []
    src, tgt = Counter[str](), Counter[str]()
    for item, res in zip(items, results, strict=True):
        ev = top_event(res)
        label = ev.type.upper() if ev else NONE_LABEL
        gold.append(item.label)
        pred.append(label)
        got_src = _country_check(item.sources, ev.source if ev else None, src)
        got_tgt = _country_check(item.targets, ev.target if ev else None, tgt)
        rows.append(
            {
                "id": item.id,
                "gold": item.label,
                "pred": label,
                "gold_source": item.sources[0].country if item.sources else None,
                "pred_source": got_src,
                "gold_target": item.targets[0].country if item.targets else None,
                "pred_target": got_tgt,
            }
        )
    report = classification_metrics(gold, pred)
    report["source_country"] = {
        "accuracy": ratio(src["correct"], src["n"]),
        "n": src["n"],
        "correct": src["correct"],
        "unscored": src["unscored"],
    }
    report["target_country"] = {
        "accuracy": ratio(tgt["correct"], tgt["n"]),
        "n": tgt["n"],
        "correct": tgt["correct"],
        "unscored": tgt["unscored"],
    }
    report["items"] = rows
    return report


# -- plv -----------------------------------------------------------------------------------------
def plv_label(label: str | None) -> str:
    """A PLOVER 2.0 type in plv's label set: CONCEDE and RETREAT are plv's YIELD."""
    if not label:
        return NONE_LABEL
    name = plover20(label)
    return "YIELD" if name in YIELD_TYPES else name


def score_plv(items: Sequence[PlvItem], results: Sequence[Any]) -> dict[str, Any]:
    results = _pad(results, len(items))
    gold, pred, rows = [], [], []
    spans = {"source": Counter[str](), "target": Counter[str]()}
    for item, res in zip(items, results, strict=True):
        ev = top_event(res)
        label = plv_label(ev.type) if ev else NONE_LABEL
        gold.append(plv_label(item.label))
        pred.append(label)
        row: dict[str, Any] = {"id": item.id, "gold": gold[-1], "pred": label}
        if ev is not None:
            for role, gold_span, mention, phrase in (
                ("source", item.source_span, ev.source, ev.source_phrase),
                ("target", item.target_span, ev.target, ev.target_phrase),
            ):
                if gold_span is None:
                    continue
                spans[role]["n"] += 1
                # plv marks whole argument phrases: the event's argument phrase is compared
                # when it has one, else its actor mention
                pred_span = (phrase.start, phrase.end) if phrase is not None else _span(mention)
                ok = pred_span is not None and span_matches(pred_span, gold_span)
                spans[role]["correct"] += int(ok)
                row[f"{role}_match"] = ok
        rows.append(row)
    report = classification_metrics(gold, pred)
    for role in ("source", "target"):
        report[f"{role}_span"] = {
            "match_rate": ratio(spans[role]["correct"], spans[role]["n"]),
            "n": spans[role]["n"],
            "correct": spans[role]["correct"],
            "gold_located": sum(1 for it in items if getattr(it, f"{role}_span") is not None),
        }
    report["items"] = rows
    return report


# -- actor-resolution ----------------------------------------------------------------------------
def _same(expected: str, got: str | None) -> bool:
    return (expected or None) == (got or None)


def score_actor_resolution(
    cases: Sequence[ActorCase], predictions: Sequence[dict[str, Any] | None]
) -> dict[str, Any]:
    """``predictions``: what resolve_actor returned for each case (None when it failed)."""
    predictions = _pad(predictions, len(cases))
    counts = {k: Counter[str]() for k in ("country", "code_1", "code_2", "all")}
    misses = []
    for case, got in zip(cases, predictions, strict=True):
        got = got or {}
        sectors = list(got.get("sectors") or [])
        values = {
            "country": got.get("country"),
            "code_1": sectors[0] if sectors else None,
            "code_2": sectors[1] if len(sectors) > 1 else None,
        }
        wrong = []
        for key in ("country", "code_1", "code_2"):
            if key not in case.expect:
                continue
            counts[key]["n"] += 1
            if _same(case.expect[key], values[key]):
                counts[key]["correct"] += 1
            else:
                wrong.append(key)
        counts["all"]["n"] += 1
        if not wrong:
            counts["all"]["correct"] += 1
        else:
            misses.append(
                {
                    "id": case.id,
                    "actor": case.actor,
                    "context": case.context,
                    "date": case.date.isoformat() if case.date else None,
                    "wrong": wrong,
                    "expected": dict(case.expect),
                    "got": {
                        "country": values["country"],
                        "sectors": sectors,
                        "name": got.get("name"),
                        "matched": got.get("matched"),
                        "error": got.get("error"),
                    },
                }
            )
    names = {"country": "country", "code_1": "first_sector", "code_2": "second_sector", "all": "all_fields"}
    report: dict[str, Any] = {"n": len(cases)}
    for key, name in names.items():
        report[name] = {
            "accuracy": ratio(counts[key]["correct"], counts[key]["n"]),
            "n": counts[key]["n"],
            "correct": counts[key]["correct"],
        }
    report["misses"] = misses
    return report


# -- PolNeAR -------------------------------------------------------------------------------------
#: Capitalised words that say nothing about who is speaking (titles, parties, pronouns).
NAME_STOPWORDS = word_set(
    """The A An He She It They We I You His Her Its Their Our My This That These Those Mr Mrs Ms
    Miss Dr Sen Senator Rep Representative Gov Governor President Vice Former Secretary Minister
    Prime General Gen Chairman Chief Director Spokesman Spokeswoman Democratic Democrat Democrats
    Republican Republicans GOP Party Campaign House White Mayor Judge Justice Attorney Officials
    Official Sources Source Aides Aide Adviser Advisers Jr Sr Rev US U.S American"""
)


def capitalised_words(text: str | None) -> set[str]:
    """Capitalised words of ``text`` that could name someone (stopwords and 's dropped)."""
    if not text:
        return set()
    words = set()
    for w in re.findall(r"[A-Z][\w.'’-]*", text):
        w = re.sub(r"['’]s$", "", w).rstrip(".'’-")
        if len(w) > 1 and w not in NAME_STOPWORDS:
            words.add(w)
    return words


def speaker_correct(speaker: ActorMention | None, gold: Attribution) -> bool:
    """The predicted speaker mention covers half of the gold Source span, or its resolved name
    (its text when unresolved) shares a capitalised word with the gold Source text."""
    if speaker is None or not gold.source:
        return False
    if span_matches((speaker.start, speaker.end), gold.source):
        return True
    return bool(capitalised_words(speaker.name or speaker.text) & capitalised_words(gold.source_text))


def quote_group(quote: Quote) -> str:
    """Predicted kinds scored with gold kinds: mixed quotes hold quotation marks, so direct."""
    return "indirect" if str(quote.kind) == "indirect" else "direct"


def score_polnear(articles: Sequence[PolnearArticle], results: Sequence[Any]) -> dict[str, Any]:
    results = _pad(results, len(articles))
    gold_n, gold_hit = Counter[str](), Counter[str]()
    pred_n, pred_ok = Counter[str](), Counter[str]()
    pred_kinds = Counter[str]()
    speaker = {"direct": Counter[str](), "indirect": Counter[str]()}
    cue, kind_agree = Counter[str](), Counter[str]()
    n_attr = n_speech = 0
    for art, res in zip(articles, results, strict=True):
        r = as_result(res)
        quotes = list(r.quotes) if r else []
        contents = [[(p.start, p.end) for p in q.parts()] for q in quotes]
        n_attr += len(art.attributions)
        for gold in art.attributions:
            if not gold.speech:
                continue
            n_speech += 1
            kind = gold.kind
            gold_n[kind] += 1
            j = best_match(contents, gold.content)
            if j is None:
                continue
            gold_hit[kind] += 1
            q = quotes[j]
            kind_agree["n"] += 1
            kind_agree["correct"] += int(quote_group(q) == kind)
            if gold.cue:
                cue["n"] += 1
                cue["correct"] += int(q.cue is not None and span_matches((q.cue.start, q.cue.end), gold.cue))
            if gold.source:
                speaker[kind]["n"] += 1
                speaker[kind]["correct"] += int(speaker_correct(q.speaker, gold))
        for q, span in zip(quotes, contents, strict=True):
            group = quote_group(q)
            pred_kinds[str(q.kind)] += 1
            pred_n[group] += 1
            if any(span_matches(span, g.content) for g in art.attributions):
                pred_ok[group] += 1
    report: dict[str, Any] = {"articles": len(articles)}
    for kind in ("direct", "indirect"):
        report[kind] = prf_counts(pred_ok[kind], pred_n[kind], gold_hit[kind], gold_n[kind])
    report["all"] = prf_counts(
        sum(pred_ok.values()), sum(pred_n.values()), sum(gold_hit.values()), sum(gold_n.values())
    )
    report["speaker"] = {
        kind: {"accuracy": ratio(c["correct"], c["n"]), "n": c["n"], "correct": c["correct"]}
        for kind, c in speaker.items()
    }
    report["cue_match"] = {"rate": ratio(cue["correct"], cue["n"]), "n": cue["n"], "correct": cue["correct"]}
    report["kind_agreement"] = {
        "accuracy": ratio(kind_agree["correct"], kind_agree["n"]),
        "n": kind_agree["n"],
        "correct": kind_agree["correct"],
    }
    report["counts"] = {
        "gold_attributions": n_attr,
        "gold_speech": n_speech,
        "gold_not_speech": n_attr - n_speech,
        "predicted_quotes": sum(pred_n.values()),
        "predicted_by_kind": dict(sorted(pred_kinds.items())),
    }
    return report


# -- re3d ----------------------------------------------------------------------------------------
def score_re3d(documents: Sequence[Re3dDocument], results: Sequence[Any]) -> dict[str, Any]:
    results = _pad(results, len(documents))
    gold_n, gold_hit = Counter[str](), Counter[str]()
    pred_n, pred_ok, pred_typed = Counter[str](), Counter[str](), Counter[str]()
    ignored = 0
    for doc, res in zip(documents, results, strict=True):
        r = as_result(res)
        mentions = list(r.actors) if r else []
        spans = [(m.start, m.end) for m in mentions]
        gold = [e for e in doc.entities if e.type in RE3D_ACTOR_TYPES]
        for ent in gold:
            gold_n[ent.type] += 1
            if best_match(spans, (ent.start, ent.end)) is not None:
                gold_hit[ent.type] += 1
        for m, span in zip(mentions, spans, strict=True):
            if (m.kind or "").lower() in RE3D_IGNORED_KINDS:
                ignored += 1
                continue
            typ = KIND_TO_RE3D.get((m.kind or "").lower(), "(no type)")
            pred_n[typ] += 1
            hits = [e for e in gold if span_matches(span, (e.start, e.end))]
            if hits:
                pred_ok[typ] += 1
                pred_typed[typ] += int(any(e.type == typ for e in hits))
    per_type: dict[str, Any] = {}
    for typ in (*RE3D_ACTOR_TYPES, "(no type)"):
        per_type[typ] = prf_counts(pred_ok[typ], pred_n[typ], gold_hit[typ], gold_n[typ])
        per_type[typ]["typed_precision"] = ratio(pred_typed[typ], pred_n[typ])
    return {
        "documents": len(documents),
        "ignored_pronouns": ignored,
        "per_type": per_type,
        "all": prf_counts(
            sum(pred_ok.values()), sum(pred_n.values()), sum(gold_hit.values()), sum(gold_n.values())
        ),
    }


# -- realnews: article-level records ---------------------------------------------------------------
def _realnews_levels(gold: RealnewsGold, event: Event) -> tuple[bool, bool, bool]:
    """(type right, strict right, countries right): strict adds source and target country
    and status, countries the two countries alone (the actor stage's share). A symmetric
    gold event accepts either direction, or one side with no target."""
    typed = event.type in gold.accept_types
    sc = event.source.country if event.source else None
    tc = event.target.country if event.target else None
    if gold.symmetric:
        roles = sc in gold.source_countries and (tc is None or tc in gold.source_countries)
    else:
        roles = (sc in gold.source_countries if gold.source_countries else sc is None) and (
            tc in gold.target_countries if gold.target_countries else tc is None
        )
    return typed, typed and roles and event.status.value == gold.status, typed and roles


def _event_sentences(event: Event) -> list[str]:
    texts = [event.sentence.text, *(m.sentence.text for m in event.mentions)]
    return [t for t in texts if t]


def match_realnews(article: RealnewsArticle, events: Sequence[Event]) -> list[tuple[str | None, ...]]:
    """For each output event in order, the gold ids it takes at the type, strict and
    countries levels.

    An event is a candidate for a gold event when one of its mention sentences holds the
    gold evidence or lies inside the gold sentence; each gold event is taken at most once per
    level, so a duplicate record counts against precision (the rule of realnews/score.py)."""
    used: list[set[str]] = [set(), set(), set()]
    out: list[tuple[str | None, ...]] = []
    for event in events:
        sentences = _event_sentences(event)
        candidates = [
            g for g in article.gold if any(g.evidence in s or s.strip() in g.sentence for s in sentences)
        ]
        taken: list[str | None] = []
        for level, seen in enumerate(used):
            fits = (g for g in candidates if g.id not in seen and _realnews_levels(g, event)[level])
            found = next(fits, None)
            if found is not None:
                seen.add(found.id)
            taken.append(found.id if found else None)
        out.append(tuple(taken))
    return out


def score_realnews(
    articles: Sequence[RealnewsArticle], predictions: Sequence[Result | Any]
) -> dict[str, Any]:
    """Article-level precision (type / strict) over every output event and recall of the
    main gold events, in total and per article."""
    n_out = n_gold = n_main = countries = 0
    hits = {"type": 0, "strict": 0}
    main_hits = {"type": 0, "strict": 0}
    per_article = []
    for article, result in zip(articles, predictions, strict=True):
        events = list(result.events) if isinstance(result, Result) else []
        matched = match_realnews(article, events)
        taken_type = {t for t, _, _ in matched if t}
        taken_strict = {s for _, s, _ in matched if s}
        countries += sum(1 for _, _, c in matched if c)
        main = {g.id for g in article.gold if g.main}
        n_out += len(events)
        n_gold += len(article.gold)
        n_main += len(main)
        hits["type"] += len(taken_type)
        hits["strict"] += len(taken_strict)
        main_hits["type"] += len(main & taken_type)
        main_hits["strict"] += len(main & taken_strict)
        per_article.append(
            {
                "article": article.id,
                "events": len(events),
                "gold": len(article.gold),
                "main": len(main),
                "type": len(taken_type),
                "strict": len(taken_strict),
                "main_strict": len(main & taken_strict),
            }
        )
    return {
        "articles": len(articles),
        "events": n_out,
        "gold": n_gold,
        "main": n_main,
        "precision": {k: ratio(v, n_out) for k, v in hits.items()},
        "main_recall": {k: ratio(v, n_main) for k, v in main_hits.items()},
        # of the records that match a gold event by type, those whose two countries are right
        "countries_right": ratio(countries, hits["type"]),
        "matched": hits,
        "main_matched": main_hits,
        "per_article": per_article,
    }
