"""The event rules file (``data/events/rules.yaml``), read once.

The event coder and the actor stage both read it (the actor stage takes its speech verbs,
crowd sectors and location words), so its loader lives outside both stages: the actor
stage need not import the event coder.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from communique.yamlfiles import load_yaml

RULES = resources.files("communique") / "data" / "events" / "rules.yaml"


@lru_cache(maxsize=1)
def load_rules() -> dict[str, Any]:
    return load_yaml(RULES.read_text(encoding="utf-8"))
