"""The trigger and status lexicons, read from the language folder ``communique/data/lang/en``.

``triggers.yaml`` lists trigger senses (type, mode, CAMEO, verb and noun lemmas);
``status.yaml`` the cue words that decide whether an event happened, is intended,
threatened, refused, negated, hypothetical, conditional or alleged;
``contexts.yaml`` the keywords of PLOVER contexts. Users extend them with files of the
same shape (``--triggers``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from communique.lang import LANG_DIR, LANGUAGE
from communique.yamlfiles import load_yaml

DATA = LANG_DIR / LANGUAGE  # trigger words are the language's


@dataclass(frozen=True)
class Sense:
    """One meaning of a trigger word: 'visit' -> CONSULT/visit [042]."""

    type: str
    mode: str | None
    cameo: str | None
    context: tuple[str, ...] = ()
    target_preps: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # the full lemma sequence that matched, for multiword senses
    objects: tuple[str, ...] = ()  # fires only with one of these object nouns ('sign' + 'deal')
    # never fires with one of these as object or object of a preposition ('fight corruption')
    not_objects: frozenset[str] = frozenset()
    swap_roles: bool = False  # the subject receives the act ('host': the host is visited)
    object_actor: bool = False  # fires only when its object is an actor ('called Putin')
    needs_cue: bool = False  # fires only when a mode cue of its type is in the sentence
    # the object is the recipient even where the type's object is a theme ('freed Mawarire')
    object_is_target: bool = False
    # fires only when the verb has no clausal complement: 'ordered battalions to the border'
    # is a deployment, 'ordered troops to withdraw' is the withdrawal ordered
    no_clause: bool = False


@dataclass
class Lexicon:
    verbs: dict[str, list[Sense]] = field(default_factory=lambda: defaultdict(list))
    nouns: dict[str, list[Sense]] = field(default_factory=lambda: defaultdict(list))
    # Multiword entries keyed by their head lemma: 'call for' under 'call', 'air strike' under 'strike'.
    verb_phrases: dict[str, list[Sense]] = field(default_factory=lambda: defaultdict(list))
    noun_phrases: dict[str, list[Sense]] = field(default_factory=lambda: defaultdict(list))
    light_verbs: set[str] = field(default_factory=set)
    status: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    contexts: dict[str, set[str]] = field(default_factory=dict)
    # Words that pick the mode of an event triggered elsewhere ('warplanes' -> ASSAULT/aerial).
    mode_cues: list[tuple[str, str | None, str | None, frozenset[str]]] = field(default_factory=list)
    _index: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)
    _index_size: int = field(default=-1, repr=False, compare=False)

    def contexts_in(self, words: frozenset[str]) -> tuple[str, ...]:
        """The contexts with a keyword among ``words``, in the order ``contexts`` lists them
        (looked up word by word: testing every context against every sentence was slower)."""
        index = self._context_index()
        # the keywords among the words, found in C (a dict's keys & a frozenset walks the words)
        found = {n for w in index.keys() & words for n in index[w]}
        return tuple(name for n, name in enumerate(self.contexts) if n in found) if found else ()

    def _context_index(self) -> dict[str, tuple[int, ...]]:
        """Keyword -> the positions of its contexts; rebuilt if the contexts grow."""
        size = sum(map(len, self.contexts.values())) + len(self.contexts)  # (per sentence: no genexpr)
        if self._index_size != size:
            index: dict[str, list[int]] = defaultdict(list)
            for n, ws in enumerate(self.contexts.values()):
                for w in ws:
                    index[w].append(n)
            self._index = {w: tuple(ns) for w, ns in index.items()}
            self._index_size = size
        return self._index

    def status_words(self, status: str, *kinds: str) -> set[str]:
        cues = self.status.get(status, {})
        if not kinds:
            return set().union(*cues.values()) if cues else set()
        return set().union(*(cues.get(k, set()) for k in kinds))


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _add_triggers(lex: Lexicon, data: dict[str, Any]) -> None:
    lex.light_verbs.update(w.lower() for w in _tuple(data.get("light_verbs")))
    for entry in data.get("triggers") or []:
        base: dict[str, Any] = {
            "type": str(entry["type"]).upper(),
            "mode": entry.get("mode") or None,
            "cameo": str(entry["cameo"]) if entry.get("cameo") not in (None, "") else None,
            "context": _tuple(entry.get("context")),
            "target_preps": _tuple(entry.get("target_preps")),
            "objects": tuple(o.lower() for o in _tuple(entry.get("objects"))),
            "not_objects": frozenset(o.lower() for o in _tuple(entry.get("not_objects"))),
            "swap_roles": bool(entry.get("swap_roles", False)),
            "object_actor": bool(entry.get("object_actor", False)),
            "needs_cue": bool(entry.get("needs_cue", False)),
            "object_is_target": bool(entry.get("object_is_target", False)),
            "no_clause": bool(entry.get("no_clause", False)),
        }
        for verb in _tuple(entry.get("verbs")):
            words = tuple(verb.lower().split())
            sense = Sense(**base, words=words)
            if len(words) == 1:
                lex.verbs[words[0]].append(sense)
            else:
                # Verb phrases are keyed by the verb: 'call for', 'pull out', 'sever ties'.
                lex.verb_phrases[words[0]].append(sense)
        # 'objects' restrict a verb ('sign' + treaty); a noun trigger is its own object.
        noun_base = {**base, "objects": ()}
        for noun in _tuple(entry.get("nouns")):
            words = tuple(noun.lower().split())
            sense = Sense(**noun_base, words=words)
            if len(words) == 1:
                lex.nouns[words[0]].append(sense)
            else:
                # Noun phrases are keyed by the head: the last word ('air strike' under
                # 'strike'), or the word before 'of' ('exchange of fire' under 'exchange').
                head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
                lex.noun_phrases[head].append(sense)
    for cue in data.get("mode_cues") or []:
        cue_words = frozenset(str(w).lower() for w in _tuple(cue.get("words")))
        cameo = str(cue["cameo"]) if cue.get("cameo") else None
        lex.mode_cues.append((str(cue["type"]).upper(), cue.get("mode") or None, cameo, cue_words))
    for phrases in (lex.verb_phrases, lex.noun_phrases):
        for senses in phrases.values():
            senses.sort(key=lambda s: -len(s.words))


def _add_status(lex: Lexicon, data: dict[str, Any]) -> None:
    for status, cues in data.items():
        if not isinstance(cues, dict):
            continue
        slot = lex.status.setdefault(status, {})
        for kind, words in cues.items():
            if isinstance(words, list):
                slot.setdefault(kind, set()).update(str(w).lower() for w in words)


def _add_contexts(lex: Lexicon, data: dict[str, Any]) -> None:
    items = data.get("contexts", data) if isinstance(data, dict) else {}
    for name, words in items.items():
        if isinstance(words, dict):
            words = words.get("keywords") or words.get("lemmas") or []
        if isinstance(words, list):
            lex.contexts.setdefault(name, set()).update(str(w).lower() for w in words)


def _read(path: Any) -> dict[str, Any]:
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    return data


@lru_cache(maxsize=4)
def load_lexicon(extra_files: tuple[str, ...] = ()) -> Lexicon:
    lex = Lexicon()
    _add_triggers(lex, _read(DATA / "triggers.yaml"))
    _add_status(lex, _read(DATA / "status.yaml"))
    contexts = DATA / "contexts.yaml"
    if contexts.is_file():
        _add_contexts(lex, _read(contexts))
    for extra in extra_files:
        data = _read(Path(extra))
        _add_triggers(lex, data)
        _add_status(lex, data.get("status") or {})
    return lex
