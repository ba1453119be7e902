"""``.html``/``.htm``: main text, title, date and URL extracted offline by trafilatura.

Pages declare their own charset, which trafilatura honours (the one exception to strict decoding with
``ReadOptions.encoding``). htmldate (under trafilatura) uses today only as the latest acceptable date, and
its free-text search, which guesses (e.g. 1 January of a copyright year), is off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from communique.io.common import (
    SNIFF,
    Item,
    Readable,
    ReadOptions,
    make_document,
    problem,
    read_document_bytes,
)
from communique.models import Problem

__all__ = ["FORMAT", "Html"]

_DATE_PARAMS = {
    # htmldate's free-text search falls back to guesses such as 1 January of a copyright year; news pages
    # carry their date in markup, so only markup, JSON-LD, <time> elements and the URL are used.
    "extensive_search": False,
    # the publication date, not the "last updated" one
    "original_date": True,
}
_HTML_ROOT = re.compile(rb"<(?:html|body)[\s>]", re.IGNORECASE)


class Html:
    """A web page, one document per file."""

    name = "html"
    extensions: tuple[str, ...] = (".html", ".htm")
    text = True
    line_based = False
    one_document = True

    def read(self, stream: Readable, source: str, options: ReadOptions) -> Iterator[Item]:
        data = read_document_bytes(stream, source, options)
        yield data if isinstance(data, Problem) else html_document(data, source, options)


FORMAT = Html()


def _extract(data: bytes) -> Any:
    """trafilatura's extraction (None if it found nothing), or the exception it raised."""
    # Imported here: trafilatura is slow to import and only HTML needs it.
    import trafilatura

    try:
        # Bytes, so the page's own charset declaration is honoured. Given content (never a URL),
        # trafilatura and htmldate make no network requests.
        return trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as err:  # a parser failure on one page must not stop the batch
        return err


def html_document(data: bytes, source: str, options: ReadOptions) -> Item:
    extracted = _extract(data)
    if extracted is None and not _HTML_ROOT.search(data[:SNIFF]):
        # trafilatura rejects a bare fragment ("<p>...</p>") as not-quite-HTML; give it a document to parse.
        extracted = _extract(b"<html><body>" + data + b"</body></html>")
    if isinstance(extracted, Exception):
        return problem(source, f"the HTML could not be parsed ({type(extracted).__name__}: {extracted})")
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        return problem(source, "no main text could be extracted from the HTML")
    meta = {
        key: value
        for key in ("author", "sitename", "description")
        if (value := getattr(extracted, key, None))
    }
    return make_document(
        text,
        source,
        options,
        title=getattr(extracted, "title", None),
        raw_date=getattr(extracted, "date", None),
        url=getattr(extracted, "url", None),
        meta=meta,
    )
