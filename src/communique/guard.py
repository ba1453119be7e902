"""The per-document resource guard: one pathological document becomes a ``Problem``, not a
killed batch or a server busy for minutes.

* Size: a document of more than ``max_doc_chars`` characters is not analysed (a Problem that
  says how large it is and what the limit is).
* Time: the analysis of a document stops at the first check after ``doc_seconds`` have passed.
  The checks are cooperative: between the pipeline's components and between the documents a
  component is handed, so a document stops within one component's work on it (every component
  is linear in the document since sentences are capped, ``communique.nlp``).
* Memory: the same checks stop an analysis once the process's resident memory has grown by more than
  ``doc_memory_mb`` since it began (Linux, where /proc tells it; elsewhere there is no memory check).
* Cancellation: the same checks stop an analysis whose client has gone (``POST /api/extract``).

Memory is bounded by design as well: with sentences capped, a component's memory grows with the
document, and a document longer than ``chunk_chars`` is parsed in pieces (``communique.pieces``), so a
document of the size limit adds about 300 MB (``benchmarks/bench_long_text.py`` measures peak resident
memory per size); the memory budget is the guard for what that does not foresee.

The defaults are generous (spaCy's own length limit, five minutes, 2,000 MB): a news article is far
from all three. ``--max-doc-chars``, ``--doc-seconds`` and ``--doc-memory-mb`` change them.
"""

from __future__ import annotations

import os
import threading
import time

from communique.settings import DEFAULT_DOC_MEMORY_MB, DEFAULT_DOC_SECONDS, DEFAULT_MAX_DOC_CHARS

__all__ = [
    "DEFAULT_DOC_MEMORY_MB",
    "DEFAULT_DOC_SECONDS",
    "DEFAULT_MAX_DOC_CHARS",
    "Cancelled",
    "Deadline",
    "GuardStop",
    "MemoryLimitExceeded",
    "TimeLimitExceeded",
    "resident_mb",
]


class GuardStop(Exception):
    """The guard stopped an analysis; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TimeLimitExceeded(GuardStop):
    """The document took longer than its time budget."""


class MemoryLimitExceeded(GuardStop):
    """The document made the process grow by more than its memory budget."""


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


_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 1e6 if hasattr(os, "sysconf") else 0.0


def resident_mb() -> float | None:
    """This process's resident memory in MB, or None where it cannot be read cheaply (not Linux)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_MB
    except (OSError, ValueError, IndexError):
        return None


class Deadline:
    """A time budget, an optional memory budget and an optional cancel flag, checked with ``check()``."""

    def __init__(
        self, seconds: float | None, cancel: threading.Event | None = None, memory_mb: float | None = None
    ) -> None:
        self.seconds = seconds
        self.cancel = cancel
        self.started = time.monotonic()
        self.until = None if seconds is None or seconds <= 0 else self.started + seconds
        self.memory_mb = memory_mb if memory_mb and memory_mb > 0 else None
        base = resident_mb() if self.memory_mb is not None else None
        self.memory_until = None if base is None or self.memory_mb is None else base + self.memory_mb

    def check(self, where: str = "") -> None:
        """Raise ``Cancelled``, ``TimeLimitExceeded`` or ``MemoryLimitExceeded`` when the analysis
        must stop."""
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("the analysis was cancelled: the client has gone")
        at = f" (in {where})" if where else ""
        if self.until is not None and time.monotonic() > self.until:
            raise TimeLimitExceeded(
                f"the analysis took longer than the limit of {self.seconds:g} s per document{at} "
                "(--doc-seconds); the document was skipped"
            )
        if self.memory_until is not None and (resident_mb() or 0.0) > self.memory_until:
            raise MemoryLimitExceeded(
                f"the analysis needed more memory than the limit of {self.memory_mb:g} MB per document{at} "
                "(--doc-memory-mb); the document was skipped"
            )
