"""The pipeline: documents in, results out, one way.

read (communique.io) -> analyse (spaCy, communique.nlp) -> resolve actors ->
code quotes and events (spaCy components) -> ``Result`` records.

``Pipeline.process`` streams: it never holds more than a few batches in memory, so
it runs over a multi-GB input as easily as over one article. One bad document becomes
a ``Problem`` and the stream goes on; so does one too large, too slow or too hungry to
analyse (``communique.guard``: ``max_doc_chars``, ``doc_seconds`` and ``doc_memory_mb``). A
document longer than ``chunk_chars`` is parsed in pieces and joined back before the coding
stages (``communique.pieces``), so that the memory of one document stays bounded up to the
size limit.
"""

from __future__ import annotations

import datetime as dt  # as ``dt``: ``date`` is a parameter name here
import multiprocessing
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from itertools import islice
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from communique.guard import Cancelled, Deadline, GuardStop, too_large
from communique.io import ReadOptions, read_inputs
from communique.language import unsupported
from communique.memory import freeze_loaded
from communique.models import Document, Problem, Result, content_id
from communique.nlp import load_nlp
from communique.pieces import document_stages_start, parse_in_pieces
from communique.settings import (
    DEFAULT_CHUNK_CHARS,
    DEFAULT_DOC_MEMORY_MB,
    DEFAULT_DOC_SECONDS,
    DEFAULT_MAX_DOC_CHARS,
    DEFAULT_MODEL,
    PipelineSettings,
)
from communique.spans import TEXT_KEY

Item = Result | Problem


class Pipeline:
    """Load the models once; turn documents into results.

    >>> pipe = Pipeline()                                       # doctest: +SKIP
    >>> result = pipe.process_text("Rubio met Lavrov in Geneva.", date="2026-02-01")  # doctest: +SKIP
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        actors_files: Iterable[str] = (),
        event_model: str | None = None,
        keep_uncoded: bool = False,
        quotes: bool = True,
        events: bool = True,
        batch_size: int = 32,
        jobs: int = 1,
        include_text: bool = True,
        max_doc_chars: int = DEFAULT_MAX_DOC_CHARS,
        doc_seconds: float = DEFAULT_DOC_SECONDS,
        doc_memory_mb: float = DEFAULT_DOC_MEMORY_MB,
        chunk_chars: int = DEFAULT_CHUNK_CHARS,
    ) -> None:
        self.settings = PipelineSettings(
            model=model,
            actors_files=tuple(actors_files),
            event_model=event_model,
            keep_uncoded=keep_uncoded,
            quotes=quotes,
            events=events,
            batch_size=batch_size,
            jobs=jobs,
            include_text=include_text,
            max_doc_chars=max_doc_chars,
            doc_seconds=doc_seconds,
            doc_memory_mb=doc_memory_mb,
            chunk_chars=chunk_chars,
        )
        self._nlp: Language | None = None

    @classmethod
    def from_settings(cls, settings: PipelineSettings) -> Pipeline:
        """The pipeline these settings describe (what the CLI, Dask workers and web app use)."""
        return cls(**settings.as_kwargs())

    @property
    def batch_size(self) -> int:
        return self.settings.batch_size

    @property
    def jobs(self) -> int:
        return self.settings.jobs

    @property
    def include_text(self) -> bool:
        return self.settings.include_text

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            nlp = load_nlp(self.settings.nlp)
            # The guard's size limit is the one that speaks; spaCy's own would be an opaque error.
            nlp.max_length = max(nlp.max_length, self.settings.max_doc_chars)
            freeze_loaded()  # the model and knowledge live as long as the process (communique.memory)
            self._nlp = nlp
        return self._nlp

    # -- single documents -------------------------------------------------------------------
    def process_text(
        self,
        text: str,
        *,
        id: str | None = None,
        date: dt.date | str | None = None,
        title: str | None = None,
        url: str | None = None,
        source: str = "<text>",
        cancel: threading.Event | None = None,
    ) -> Result:
        """Analyse one text; raises ValueError on an empty text, a ``date`` that is not ISO (YYYY-MM-DD) or
        a text the guard stops (too large, too slow), ``guard.Cancelled`` once ``cancel`` is set."""
        if not text or not text.strip():
            raise ValueError("the text is empty")
        doc = Document(id=id or content_id(text), text=text, source=source, date=date, title=title, url=url)
        item = self.process_batch([doc], cancel=cancel)[0]
        if isinstance(item, Problem):
            raise ValueError(item.reason)
        return item

    # -- streams ----------------------------------------------------------------------------
    def process(self, documents: Iterable[Document | Problem]) -> Iterator[Item]:
        """Results in input order; ``Problem`` items from the reader pass straight through."""
        if self.jobs > 1:
            yield from self._process_parallel(documents)
        else:
            yield from self._process_serial(documents)

    def _process_serial(self, documents: Iterable[Document | Problem]) -> Iterator[Item]:
        iterator = iter(documents)
        while True:
            chunk = list(islice(iterator, self.batch_size))
            if not chunk:
                return
            yield from self.process_batch(chunk)

    def process_batch(
        self, chunk: list[Document | Problem], cancel: threading.Event | None = None
    ) -> list[Item]:
        """Analyse one batch, every component over the whole batch as ``nlp.pipe`` does, under one
        time budget; a batch that fails or runs out of time is retried one by one, each document
        with its own budget, so that only the document that fails is lost, with its reason.
        ``cancel`` set stops the work at the next check (``guard.Cancelled``)."""
        analysed: dict[int, Item] = {}
        docs: list[Document] = []
        for d in chunk:
            if isinstance(d, Document):
                why = too_large(len(d.text), self.settings.max_doc_chars) or unsupported(d.text)
                if why is None:
                    docs.append(d)
                else:
                    analysed[id(d)] = Problem(source=d.source, reason=why, stage="analyse")
        if docs:
            try:
                deadline = self._deadline(cancel)
                for document, doc in zip(
                    docs, self._analyse([self._prepare(d) for d in docs], deadline), strict=True
                ):
                    analysed[id(document)] = self._to_result(document, doc)
            except Cancelled:
                raise
            except Exception:
                analysed.update((id(d), self._process_one(d, cancel)) for d in docs)
        return [analysed[id(d)] if isinstance(d, Document) else d for d in chunk]

    def _analyse(self, docs: list[Doc], deadline: Deadline) -> list[Doc]:
        """What ``nlp.pipe`` does for a batch of prepared docs, with the guard's checks between the
        components and between the documents each component is handed. A document longer than
        ``chunk_chars`` is first parsed in pieces (``communique.pieces``); the components before the
        coding stages then pass it by."""

        def checked(items: list[Doc], name: str) -> Iterator[Doc]:
            for item in items:
                deadline.check(name)
                yield item

        pipeline = self.nlp.pipeline
        whole_from = document_stages_start(pipeline)
        chunk_chars = self.settings.chunk_chars
        docs = list(docs)
        pieced: set[int] = set()
        for i, doc in enumerate(docs):
            if len(doc.text) > chunk_chars:
                docs[i] = parse_in_pieces(doc, pipeline[:whole_from], chunk_chars, deadline.check)
                pieced.add(i)
        for k, (name, proc) in enumerate(pipeline):
            todo = [i for i in range(len(docs)) if k >= whole_from or i not in pieced]
            if not todo:
                continue
            batch = [docs[i] for i in todo]
            if hasattr(proc, "pipe"):
                batch = list(proc.pipe(checked(batch, name), batch_size=max(1, len(batch))))
            else:
                batch = [proc(doc) for doc in checked(batch, name)]
            for i, doc in zip(todo, batch, strict=True):
                docs[i] = doc
        deadline.check()
        return docs

    def _process_one(self, document: Document, cancel: threading.Event | None = None) -> Item:
        try:
            doc = self._analyse([self._prepare(document)], self._deadline(cancel))[0]
            return self._to_result(document, doc)
        except Cancelled:
            raise
        except GuardStop as stop:
            return Problem(source=document.source, reason=stop.reason, stage="analyse")
        except Exception as exc:  # the batch goes on; the reason is reported
            return Problem(
                source=document.source,
                reason=f"analysis failed: {type(exc).__name__}: {exc}",
                stage="analyse",
            )

    def _deadline(self, cancel: threading.Event | None) -> Deadline:
        return Deadline(self.settings.doc_seconds, cancel, memory_mb=self.settings.doc_memory_mb)

    def _prepare(self, document: Document) -> Doc:
        doc = self.nlp.make_doc(document.text)
        doc.user_data[TEXT_KEY] = (len(doc), document.text)  # the Doc's text is the document's
        doc._.doc_date = document.date
        doc._.context_country = document.meta.get("context_country") if document.meta else None
        doc._.title = document.title
        return doc

    def _to_result(self, document: Document, doc: Doc) -> Result:
        return Result(
            id=document.id,
            source=document.source,
            title=document.title,
            date=document.date,
            url=document.url,
            text=document.text if self.include_text else None,
            actors=doc._.actors or [],
            entities=doc._.entities or [],
            events=doc._.events or [],
            quotes=doc._.quotes or [],
            places=doc._.places or [],
        )

    def _process_parallel(self, documents: Iterable[Document | Problem]) -> Iterator[Item]:
        """Several processes, each loading the pipeline once; order kept, memory bounded."""
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(self.settings,),
        ) as pool:
            pending: deque[Future[list[Item]]] = deque()
            iterator = iter(documents)
            while True:
                while len(pending) < self.jobs * 2:
                    chunk = list(islice(iterator, self.batch_size))
                    if not chunk:
                        break
                    pending.append(pool.submit(_work, chunk))
                if not pending:
                    return
                yield from pending.popleft().result()


_WORKER: dict[str, Any] = {}


def _init_worker(settings: PipelineSettings) -> None:
    pipe = Pipeline.from_settings(replace(settings, jobs=1))
    pipe.nlp  # noqa: B018 - load once per worker, before the first batch
    _WORKER["pipe"] = pipe


def _work(chunk: list[Document | Problem]) -> list[Item]:
    return _WORKER["pipe"].process_batch(chunk)


def extract(
    inputs: Iterable[str] | str,
    *,
    read_options: ReadOptions | None = None,
    pipeline: Pipeline | None = None,
    **pipeline_options: Any,
) -> Iterator[Item]:
    """Read ``inputs`` (paths, directories, '-') and yield a Result or Problem per document.

    >>> for item in extract(["examples/"]):                      # doctest: +SKIP
    ...     print(item.id, len(item.events))
    """
    if isinstance(inputs, str):
        inputs = [inputs]
    pipe = pipeline or Pipeline(**pipeline_options)
    yield from pipe.process(read_inputs(inputs, read_options or ReadOptions()))
