"""The per-document resource guard: one pathological document becomes a ``Problem``, not a
killed batch or a server busy for minutes.

* Size: a document of more than ``max_doc_chars`` characters is not analysed (a Problem that
  says how large it is and what the limit is).
* Time: the analysis of a document stops at the first check after ``doc_seconds`` have passed.
  The checks are cooperative: between the pipeline's components and between the documents a
  component is handed, so a document stops within one component's work on it (every component
  is linear in the document since sentences are capped, ``communique.nlp``).
* Cancellation: the same checks stop an analysis whose client has gone (``POST /api/extract``).

Memory follows from the two: with sentences capped, a component's memory grows with the document,
so the size limit bounds it (``benchmarks/bench_long_text.py`` measures peak memory per size).

The defaults are generous (spaCy's own length limit and five minutes): a news article is far from
both. ``--max-doc-chars`` and ``--doc-seconds`` change them.
"""

from __future__ import annotations

import threading
import time

from communique.settings import DEFAULT_DOC_SECONDS, DEFAULT_MAX_DOC_CHARS

__all__ = [
    "DEFAULT_DOC_SECONDS",
    "DEFAULT_MAX_DOC_CHARS",
    "Cancelled",
    "Deadline",
    "GuardStop",
    "TimeLimitExceeded",
]


class GuardStop(Exception):
    """The guard stopped an analysis; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TimeLimitExceeded(GuardStop):
    """The document took longer than its time budget."""


class Cancelled(GuardStop):
    """The client that asked for the analysis has gone."""


def too_large(chars: int, limit: int) -> str | None:
    """Why a text of ``chars`` characters is not analysed under ``limit``, or None."""
    if chars <= limit:
        return None
    return (
        f"the document is too large to analyse: {chars:,} characters, at most {limit:,} "
        "(--max-doc-chars); it was skipped"
    )


class Deadline:
    """A time budget and an optional cancel flag, checked with ``check()``."""

    def __init__(self, seconds: float | None, cancel: threading.Event | None = None) -> None:
        self.seconds = seconds
        self.cancel = cancel
        self.started = time.monotonic()
        self.until = None if seconds is None or seconds <= 0 else self.started + seconds

    def check(self, where: str = "") -> None:
        """Raise ``Cancelled`` or ``TimeLimitExceeded`` when the analysis must stop."""
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("the analysis was cancelled: the client has gone")
        if self.until is not None and time.monotonic() > self.until:
            at = f" (in {where})" if where else ""
            raise TimeLimitExceeded(
                f"the analysis took longer than the limit of {self.seconds:g} s per document{at} "
                "(--doc-seconds); the document was skipped"
            )
