"""An article's text as HTML with its evidence marked, every character escaped.

The marks overlap freely (a quote spans sentences, a mention sits inside a quote), so the
text is cut at every span boundary into flat segments, each a ``<span>`` whose classes
say what covers it:

* ``mention``: an actor mention (tooltip: the coded actor);
* ``trigger``: an event trigger, every mention's as well as the main one, followed by a
  small link to its event card (``#card-e{n}``);
* ``location``: the words that place an event ('in Mogadishu');
* ``quote`` (the words said) and ``cue`` (the reporting verb);
* ``se{n}``: inside the (main) sentence of event ``n``; ``sm{n}-{j}``: inside the sentence
  of its mention ``j``; ``sq{k}``: inside quote ``k``.

An empty anchor ``<a id="e{n}">`` starts the sentence of event ``n`` (``<a id="e{n}-m{j}">``
that of its mention ``j``, ``<a id="q{k}">`` quote ``k``), so ``/documents/{id}#e{n}``
scrolls there; static/app.js then highlights every segment of that sentence (class ``hl``)
and the event's card.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from markupsafe import Markup, escape


def actor_label(mention: dict[str, Any] | None) -> str:
    """'Marco Rubio · USA GOV · Secretary of State' (what is known of it)."""
    if not mention:
        return ""
    code = " ".join(x for x in (mention.get("country"), "/".join(mention.get("sectors") or [])) if x)
    parts = [mention.get("name") or mention.get("text") or "", code, mention.get("role") or ""]
    return " · ".join(p for p in parts if p)


def _span(value: Any) -> tuple[int, int] | None:
    if not isinstance(value, dict):
        return None
    start, end = value.get("start"), value.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return start, end
    return None


def event_mentions(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The places that report ``event``, in text order: its ``mentions``, each with ``main``
    true for the one that is its trigger. A record written before ``mentions`` existed (or
    one whose list misses its own trigger) gets its trigger and sentence as a mention, so
    every event has at least the one the page always showed."""
    main = _span(event.get("trigger"))
    found = [
        {"trigger": m.get("trigger"), "sentence": m.get("sentence"), "main": False}
        for m in event.get("mentions") or ()
        if isinstance(m, dict) and _span(m.get("trigger"))
    ]
    for m in found:
        if main and _span(m["trigger"]) == main:
            m["main"] = True
            break
    else:
        if main:
            found.append({"trigger": event["trigger"], "sentence": event.get("sentence"), "main": True})
            found.sort(key=lambda m: _span(m["trigger"]) or (0, 0))
    return found


class _Marks:
    """The spans to mark (start, end, class, tooltip) and the HTML to put before or after a
    character offset, collected from every kind of evidence before the text is cut."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.spans: list[tuple[int, int, str, str]] = []
        self.before: dict[int, list[str]] = defaultdict(list)  # html before the character at offset
        self.after: dict[int, list[str]] = defaultdict(list)  # html after the character before offset

    def add(self, span: tuple[int, int] | None, css: str, tip: str = "") -> tuple[int, int] | None:
        if span is None:
            return None
        start, end = max(0, span[0]), min(self.n, span[1])
        if start >= end:
            return None
        self.spans.append((start, end, css, tip))
        return start, end

    def anchor(self, span: tuple[int, int] | None, name: str) -> None:
        if span is not None:
            self.before[span[0]].append(f'<a class="anchor" id="{name}"></a>')


def _mark_event(marks: _Marks, i: int, event: dict[str, Any]) -> None:
    """Event ``i``: its sentence, every mention's sentence and trigger (each trigger once,
    with its link to the card), and where it happened."""
    marks.anchor(marks.add(_span(event.get("sentence")), f"se{i}"), f"e{i}")
    tip = f"event {i}: {event.get('type')} ({event.get('status')})"
    mentions = event_mentions(event)
    marked: set[tuple[int, int]] = set()  # two mentions may share their trigger words
    for j, mention in enumerate(mentions):
        marks.anchor(marks.add(_span(mention["sentence"]), f"sm{i}-{j}"), f"e{i}-m{j}")
        span = _span(mention["trigger"])
        if span is None or span in marked:
            continue
        marked.add(span)
        said = tip if len(mentions) == 1 else f"{tip}, mention {j + 1} of {len(mentions)}"
        trigger = marks.add(span, "trigger", said)
        if trigger:
            marks.after[trigger[1]].append(
                f'<sup class="evref"><a href="#card-e{i}" title="{escape(said)}">e{i}</a></sup>'
            )
    marks.add(_span(event.get("location")), "location", f"event {i}: where")


def _mark_quote(marks: _Marks, k: int, quote: dict[str, Any]) -> None:
    marks.anchor(marks.add(_span(quote), f"sq{k}"), f"q{k}")
    speaker = actor_label(quote.get("speaker"))
    # the pieces alone: narrative between two pieces of one quotation is not quoted
    for piece in quote.get("content_parts") or [quote.get("content")]:
        marks.add(_span(piece), "quote", f"quote {k}" + (f": {speaker}" if speaker else ""))
    marks.add(_span(quote.get("cue")), "cue")


def highlight(
    text: str,
    actors: list[dict[str, Any]] = (),  # type: ignore[assignment]
    events: list[dict[str, Any]] = (),  # type: ignore[assignment]
    quotes: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> Markup:
    marks = _Marks(len(text))
    for mention in actors:
        marks.add(_span(mention), "mention", actor_label(mention))
    for i, event in enumerate(events):
        _mark_event(marks, i, event)
    for k, quote in enumerate(quotes):
        _mark_quote(marks, k, quote)
    return _render(text, marks)


def _render(text: str, marks: _Marks) -> Markup:
    """The text cut at every boundary into flat segments, each wrapped in the classes of
    the marks that cover it; every character escaped."""
    spans, before, after = marks.spans, marks.before, marks.after
    n = len(text)
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for j, (start, end, _, _) in enumerate(spans):
        starts[start].append(j)
        ends[end].append(j)
    cuts = sorted({0, n, *starts, *ends, *before, *after})
    active: set[int] = set()
    out: list[str] = []
    for a, b in zip(cuts, [*cuts[1:], None], strict=True):
        out.extend(after.get(a, ()))
        for j in ends.get(a, ()):
            active.discard(j)
        active.update(starts.get(a, ()))
        out.extend(before.get(a, ()))
        if b is None or a >= b:
            continue
        chunk = escape(text[a:b])
        if not active:
            out.append(str(chunk))
            continue
        classes = sorted({spans[j][2] for j in active})
        tips = list(dict.fromkeys(spans[j][3] for j in sorted(active) if spans[j][3]))
        title = f' title="{escape("; ".join(tips))}"' if tips else ""
        out.append(f'<span class="{" ".join(classes)}"{title}>{chunk}</span>')
    return Markup("".join(out))
