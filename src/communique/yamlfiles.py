"""Reading the knowledge files: YAML where only ``true``/``false`` are booleans.

PyYAML follows YAML 1.1, where a bare ``on``, ``off``, ``yes`` or ``no`` is a boolean: a
preposition list ``[with, on, to]`` would silently hold ``True`` instead of ``"on"``. The
knowledge files are word lists, so they are read with YAML 1.2's booleans.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class _WordsLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (``true``/``false`` only)."""


_WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WordsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    """Parse one YAML document of a knowledge file ('on' stays the word 'on')."""
    return yaml.load(text, Loader=_WordsLoader)
