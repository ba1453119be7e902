"""Language data: the words the stages test tokens against, one folder per language.

As spaCy keeps ``spacy/lang/en/``, the English words of the pipeline (pronouns,
prepositions, reporting verbs, role words ...) live in ``data/lang/en/``, not in the
stages' code:

* ``<part>.yaml``: named word lists of one stage (``quotes.yaml``, ``actors.yaml``), read
  with ``language_data(lang, part)``; each list has a comment saying what it is for;
* whole files a stage parses itself (``cues.yaml``, ``roles.yaml``, ``lemma_fixes.yaml``),
  found with ``language_file(lang, name)``.

A second language is a new folder with the same files. The stages read ``LANGUAGE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

from communique.yamlfiles import load_yaml

LANG_DIR = resources.files("communique") / "data" / "lang"
LANGUAGE = "en"  # the language the stages read: the only one shipped


@dataclass(frozen=True)
class LanguageData:
    """The named lists of one ``data/lang/<lang>/<part>.yaml``, handed out frozen.

    Each accessor checks the list's shape, so a YAML slip (a bare ``null``, a number, a
    missing name) fails at import time, naming the file and the list.
    """

    source: str  # 'en/quotes.yaml', for messages
    lists: Mapping[str, Any]

    def _get(self, name: str) -> Any:
        if name not in self.lists:
            raise KeyError(f"{self.source} has no list {name!r}")
        return self.lists[name]

    def word_list(self, name: str) -> tuple[str, ...]:
        """The list ``name`` in file order (for regular expressions, ``str.endswith``)."""
        values = self._get(name)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"{self.source}: {name} must be a list of words")
        return tuple(values)

    def words(self, name: str) -> frozenset[str]:
        """The list ``name`` as a set, exactly as written (case kept)."""
        return frozenset(self.word_list(name))

    def mapping(self, name: str) -> Mapping[str, str]:
        """The mapping ``name`` (word -> word), read-only."""
        values = self._get(name)
        if not isinstance(values, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in values.items()
        ):
            raise ValueError(f"{self.source}: {name} must be a mapping of words to words")
        return MappingProxyType(dict(values))


def language_file(lang: str, name: str) -> Traversable:
    """The file ``data/lang/<lang>/<name>``; FileNotFoundError if the language lacks it."""
    path = LANG_DIR / lang / name
    if not path.is_file():
        raise FileNotFoundError(f"no language file {lang}/{name} in {LANG_DIR}")
    return path


@cache
def language_data(lang: str, part: str) -> LanguageData:
    """The word lists of ``part`` (a stage: 'quotes', 'actors') in ``lang``, read once."""
    source = f"{lang}/{part}.yaml"
    data = load_yaml(language_file(lang, f"{part}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected named lists")
    return LanguageData(source, MappingProxyType(data))
