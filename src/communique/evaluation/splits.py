"""Deterministic dev / heldout splits, the same on every machine and every run.

An item goes to ``dev`` when the SHA-1 of its key (UTF-8), read as a number from its
first 8 hex digits, is even, and to ``heldout`` when it is odd. Keys are chosen so that
duplicates land together (the sentence text for plover-gsr and plv, the case id for
actor-resolution, the document id for re3d). PolNeAR has its own published dev
compartment; its heldout part is a fixed sample of training articles (see
:func:`polnear_heldout_names`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

SPLITS = ("dev", "heldout", "train", "all")
POLNEAR_HELDOUT_SIZE = 84


def stable_hash(key: str) -> int:
    """A hash of ``key`` that never changes (unlike ``hash()``): SHA-1, first 8 hex digits."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16)


def half_of(key: str) -> str:
    """``'dev'`` or ``'heldout'`` for one item key."""
    return "dev" if stable_hash(key) % 2 == 0 else "heldout"


def select_split(items: Iterable[T], split: str, key: Callable[[T], str]) -> list[T]:
    """The items of ``split`` in their input order.

    ``all`` keeps everything; ``train`` means the tuning half, i.e. the same as ``dev``,
    for data sets that have no training part of their own.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    items = list(items)
    if split == "all":
        return items
    wanted = "dev" if split == "train" else split
    return [item for item in items if half_of(key(item)) == wanted]


def polnear_heldout_names(train_names: Sequence[str], size: int = POLNEAR_HELDOUT_SIZE) -> list[str]:
    """The heldout PolNeAR articles: the ``size`` training articles with the smallest stable
    hash of their name, returned in name order."""
    ranked = sorted(set(train_names), key=lambda name: (stable_hash(name), name))
    return sorted(ranked[:size])
