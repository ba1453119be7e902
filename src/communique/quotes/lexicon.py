"""The cue lexicon of the quote stage, read from ``data/lang/en/cues.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from communique.lang import LANGUAGE, language_file
from communique.yamlfiles import load_yaml


@dataclass(frozen=True)
class VerbCue:
    lemma: str
    speech: bool
    object: bool = False  # a plain direct object may be the content
    particle: str | None = None  # a cue only with this particle ('point out')
    direct_only: bool = False  # a cue only next to a direct quote ('"...," she continued')
    addressee: bool = False  # the object is the listener ('told reporters', 'urged Congress to')
    preps: tuple[str, ...] = ()  # prepositions whose object is the content ('warned of', 'called for')
    complement: bool = False  # a bare object is no content, a predicate is ('called him a liar')


@dataclass(frozen=True)
class NounCue:
    lemma: str
    speech: bool


@dataclass(frozen=True)
class PhraseCue:
    words: tuple[str, ...]
    form: str  # 'according' or 'interview'
    speech: bool = True


@dataclass(frozen=True)
class CueLexicon:
    verbs: dict[str, VerbCue] = field(default_factory=dict)
    nouns: dict[str, NounCue] = field(default_factory=dict)
    phrases: tuple[PhraseCue, ...] = ()
    media: frozenset[str] = frozenset()
    addressees: frozenset[str] = frozenset()
    not_speakers: frozenset[str] = frozenset()

    def verb(self, lemma: str) -> VerbCue | None:
        return self.verbs.get(lemma)


def _words(values: Any) -> frozenset[str]:
    return frozenset(str(v).lower() for v in (values or []))


def parse_lexicon(data: dict[str, Any]) -> CueLexicon:
    verbs: dict[str, VerbCue] = {}
    for lemma, flags in (data.get("verbs") or {}).items():
        flags = flags or {}
        kind = str(flags.get("kind", "speech"))
        if kind not in ("speech", "other"):
            raise ValueError(f"cue {lemma!r}: kind must be 'speech' or 'other', not {kind!r}")
        verbs[str(lemma).lower()] = VerbCue(
            lemma=str(lemma).lower(),
            speech=kind == "speech",
            object=bool(flags.get("object", False)),
            particle=(str(flags["particle"]).lower() if flags.get("particle") else None),
            direct_only=bool(flags.get("direct_only", False)),
            addressee=bool(flags.get("addressee", False)),
            preps=tuple(str(p).lower() for p in (flags.get("preps") or [])),
            complement=bool(flags.get("complement", False)),
        )
    nouns: dict[str, NounCue] = {}
    for lemma, flags in (data.get("nouns") or {}).items():
        flags = flags or {}
        nouns[str(lemma).lower()] = NounCue(
            lemma=str(lemma).lower(), speech=flags.get("kind", "speech") == "speech"
        )
    phrases = []
    for text, flags in (data.get("phrases") or {}).items():
        flags = flags or {}
        form = str(flags.get("form", ""))
        if form not in ("according", "interview"):
            raise ValueError(f"phrase cue {text!r}: form must be 'according' or 'interview'")
        phrases.append(
            PhraseCue(
                words=tuple(str(text).lower().split()),
                form=form,
                speech=str(flags.get("kind", "speech")) == "speech",
            )
        )
    return CueLexicon(
        verbs=verbs,
        nouns=nouns,
        phrases=tuple(phrases),
        media=_words(data.get("media")),
        addressees=_words(data.get("addressees")),
        not_speakers=_words(data.get("not_speakers")),
    )


@lru_cache(maxsize=8)
def load_lexicon(path: str | None = None) -> CueLexicon:
    """The cue lexicon: the packaged ``cues.yaml``, or the YAML file at ``path``."""
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = language_file(LANGUAGE, "cues.yaml").read_text(encoding="utf-8")
    return parse_lexicon(load_yaml(text) or {})
