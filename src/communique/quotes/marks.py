"""Pairing quotation marks: a small state machine over the characters of the text.

The tokenizer cannot tell an apostrophe from a closing single quote, nor an opening
straight ``"`` from a closing one, so quotes are paired here, on the raw text, in one
left-to-right pass:

* an apostrophe inside a word (``shouldn’t``, ``Rubio’s``) or an elision (``’90s``,
  ``’em``) is never a quote mark;
* a mark *opens* when it follows space, the start of the text, a bracket or a dash and is
  followed by a non-space; it *closes* when it is followed by space, punctuation or the
  end of the text (curly and angled marks say which way they face, straight ones do not);
* marks nest (``“He said ‘no’ to me.”``): only the outermost quote is reported, inner ones
  are part of its content;
* a quote left open at the end of a paragraph closes there, unless the next paragraph
  opens with a quote mark of the same family: the newspaper convention for a quotation
  that runs over several paragraphs;
* a mark that can neither open nor close anything is ignored, so an odd number of marks
  never breaks the pairing of the others.

Everything is linear in the length of the text; the regexes are compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from communique.lang import LANGUAGE, language_data

# Families: marks of one family close each other. "D" double, "S" single, "G" guillemets.
# Each entry: mark -> (family, can it open, can it close)
_DOUBLE_SYMMETRIC = {'"', "″", "''", "``", "〃"}
_SINGLE_SYMMETRIC = {"'", "′"}
_OPENERS = {"“": "D", "„": "D", "‘": "S", "‚": "S", "«": "G", "‹": "g"}
_CLOSERS = {"”": "D", "’": "S", "»": "G", "›": "g"}

#: Every quotation mark the pairing knows, longest first for the scanner.
MARK_RE = re.compile(r"''|``|[\"″〃'′“”„‘’‚«»‹›]|\n")

# Words that start with an elided letter: ’90s, and the words of data/lang/en/quotes.yaml
# (’em, ’til, ’cause, ’n’, ’tis, ’twas, ...).
_ELISIONS = language_data(LANGUAGE, "quotes").word_list("elisions")
_ELISION_RE = re.compile(r"(?:\d\d?s?\b|" + "|".join(re.escape(w) + r"\b" for w in _ELISIONS) + ")", re.I)
_OPEN_BEFORE = set("([{<—–-/") | {"\u00a0", "\u2009", "\u202f"}
_CLOSE_AFTER = set(".,;:!?)]}>—–-/…*") | {"\u00a0", "\u2009", "\u202f"}
_STRAIGHT = {'"', "''", "'", "″", "′", "``", "〃"}
_REVERSED = {"„", "‚", "»", "›", "”", "’"}
_ALL_MARK_CHARS = set("\"″〃'′“”„‘’‚«»‹›`")


@dataclass(frozen=True)
class QuoteMarks:
    """One top-level quotation: where its marks are and what lies between them.

    ``start``/``end`` cover the marks; ``inner_start``/``inner_end`` the quoted words (no
    marks, no surrounding space). ``closed`` is False when no closing mark was found and
    the quotation was closed at the end of its paragraph (or of the text).
    """

    start: int
    end: int
    inner_start: int
    inner_end: int
    family: str
    closed: bool
    paragraphs: int = 1


@dataclass
class _Open:
    pos: int
    mark: str
    family: str
    paragraphs: int = 1


def _family(mark: str) -> str:
    if mark in _DOUBLE_SYMMETRIC:
        return "D"
    if mark in _SINGLE_SYMMETRIC:
        return "S"
    return _OPENERS.get(mark) or _CLOSERS[mark]


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def pair_quotes(text: str) -> list[QuoteMarks]:
    """The top-level quotations of ``text``, in order. Never raises on odd input."""
    out: list[QuoteMarks] = []
    stack: list[_Open] = []
    n = len(text)
    skip_until = -1

    def emit(opened: _Open, close_pos: int, close_len: int, closed: bool) -> None:
        inner_start = opened.pos + len(opened.mark)
        s, e = _inner(text, inner_start, close_pos)
        if e <= s:
            return
        out.append(
            QuoteMarks(
                start=opened.pos,
                end=close_pos + close_len,
                inner_start=s,
                inner_end=e,
                family=opened.family,
                closed=closed,
                paragraphs=opened.paragraphs,
            )
        )

    for m in MARK_RE.finditer(text):
        i = m.start()
        if i < skip_until:
            continue
        mark = m.group()
        if mark == "\n":
            if not stack:
                continue
            # End of a paragraph: does the next paragraph reopen the quotation?
            j = i
            while j < n and text[j].isspace():
                j += 1
            outer = stack[0]
            nxt = MARK_RE.match(text, j) if j < n else None
            reopen = (
                nxt is not None
                and nxt.group() != "\n"
                and _family(nxt.group()) == outer.family
                and _can_open(text, j, nxt.group())
                and nxt.group() not in _CLOSERS
            )
            if reopen and nxt is not None:
                del stack[1:]
                outer.paragraphs += 1
                skip_until = nxt.end()  # the reopening mark is consumed
                continue
            end = i
            while end > outer.pos and text[end - 1].isspace():
                end -= 1
            emit(outer, end, 0, closed=False)
            stack.clear()
            continue
        fam = _family(mark)
        prev = text[i - 1] if i > 0 else ""
        after = text[m.end()] if m.end() < n else ""
        if mark in ("'", "’", "′") and prev.isalnum() and after.isalnum():
            continue  # apostrophe inside a word: shouldn't, Rubio's, rock'n'roll
        can_open = _can_open(text, i, mark)
        can_close = _can_close(text, i, m.end(), mark)
        top_idx = _find_family(stack, fam)
        if mark in _CLOSERS:
            if top_idx is not None and (can_close or fam != "S"):
                _close(stack, top_idx, i, len(mark), emit)
            elif top_idx is None and can_open and not can_close and fam != "S":
                stack.append(_Open(i, mark, fam))  # a mis-typed opener: ”What is ...
            continue
        if mark in _OPENERS:
            if top_idx is not None and can_close and (stack[top_idx].mark in _REVERSED or not can_open):
                # „…“ and »…«: the closer faces like an English opener; or a mis-typed closer.
                _close(stack, top_idx, i, len(mark), emit)
            elif fam == "S" and (not can_open or _ELISION_RE.match(text, m.end())):
                continue  # ‘90s typed with the wrong apostrophe, or a stray mark
            elif can_open or not can_close:
                _push(stack, _Open(i, mark, fam))
            continue
        # Symmetric marks: " ″ '' `` ' ′
        if top_idx is not None and can_close and (not can_open or top_idx == len(stack) - 1):
            _close(stack, top_idx, i, len(mark), emit)
        elif can_open:
            if fam == "S" and _ELISION_RE.match(text, m.end()):
                continue
            _push(stack, _Open(i, mark, fam))
        elif top_idx is not None and can_close:
            _close(stack, top_idx, i, len(mark), emit)
    if stack:
        end = n
        while end > stack[0].pos and text[end - 1].isspace():
            end -= 1
        emit(stack[0], end, 0, closed=False)
    return out


def _push(stack: list[_Open], opened: _Open) -> None:
    """Open a quotation. A quotation cannot nest in one of its own family (inner quotes
    switch family: “… ‘…’ …”), so an earlier opener of the same family but the other style
    (straight " against curly “) still open was a stray mark: it is dropped, and the quotes
    inside it are paired on their own. Same-style nesting ("He said "no" to me.") is kept."""
    k = _find_family(stack, opened.family)
    if k is not None and (stack[k].mark in _STRAIGHT) != (opened.mark in _STRAIGHT):
        del stack[k:]
    stack.append(opened)


def _find_family(stack: list[_Open], fam: str) -> int | None:
    for k in range(len(stack) - 1, -1, -1):
        if stack[k].family == fam:
            return k
    return None


def _close(stack: list[_Open], idx: int, pos: int, length: int, emit: Callable[..., None]) -> None:
    opened = stack[idx]
    del stack[idx:]
    if idx == 0:
        emit(opened, pos, length, closed=True)


def _can_open(text: str, i: int, mark: str) -> bool:
    prev = text[i - 1] if i > 0 else ""
    j = i + len(mark)
    after = text[j] if j < len(text) else ""
    if _is_space(after):
        return False
    return _is_space(prev) or prev in _OPEN_BEFORE or prev in _ALL_MARK_CHARS


def _can_close(text: str, i: int, j: int, mark: str) -> bool:
    prev = text[i - 1] if i > 0 else ""
    if prev == " " and i > 1 and text[i - 2] in _ALL_MARK_CHARS:
        prev = text[i - 2]  # 'the term \'African American outreach,\' "': nested closers
    after = text[j] if j < len(text) else ""
    if prev == "" or (prev.isspace() and prev not in "\u00a0"):
        return False
    return _is_space(after) or after in _CLOSE_AFTER or after in _ALL_MARK_CHARS
