"""Articles from the web: a page's URL, or an RSS/Atom feed whose entries are articles.

``read_url(url)`` fetches the URL (politely: a user agent, timeouts, retries with backoff on
failures that may pass, a pause between requests to one host, a size limit; all in
``data/io/fetch.yaml``), and

* a feed (feedparser, the maintained universal feed parser, recognises RSS 0.9x/1.0/2.0 and
  Atom): one Document per entry, its text the linked page's main text (trafilatura, as for
  ``.html`` files) or, when the page cannot be had, the entry's own content or summary; the
  id is the entry's id (else its link), so a feed read again adds only new entries;
* a page: one Document, its main text, id its URL.

Failures are Problems naming the URL, never exceptions. Nothing here runs at import time.
"""

from __future__ import annotations

import email.utils
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from communique import __version__
from communique.io.common import DEFAULT_OPTIONS, Item, ReadOptions, make_document, problem
from communique.models import Document, Problem
from communique.yamlfiles import load_yaml

SCHEMES = ("http://", "https://")
_FEED_TYPES = ("rss", "atom", "xml", "rdf")
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchSettings:
    """``data/io/fetch.yaml``: how to fetch (see the comments there)."""

    user_agent: str
    timeout_seconds: float
    retries: int
    backoff_seconds: float
    max_backoff_seconds: float
    max_bytes: int
    delay_seconds: float
    max_items_per_feed: int

    @classmethod
    @cache
    def load(cls) -> FetchSettings:
        path = resources.files("communique") / "data" / "io" / "fetch.yaml"
        data = load_yaml(path.read_text(encoding="utf-8"))
        names = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or set(data) != names:
            raise ValueError(f"{path}: needs exactly {sorted(names)}")
        data["user_agent"] = str(data["user_agent"]).format(version=__version__)
        return cls(**data)


class FetchError(Exception):
    """A URL that could not be fetched, in plain words."""


@dataclass
class Fetcher:
    """Fetches URLs politely; remembers when it last asked each host."""

    settings: FetchSettings
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] | None = None

    def get(self, url: str) -> tuple[bytes, str]:
        """The body and content type of ``url``; FetchError after the last try."""
        s = self.settings
        wait = s.backoff_seconds
        for attempt in range(s.retries + 1):
            self._pause(url)
            try:
                return self._once(url)
            except urllib.error.HTTPError as err:
                if err.code not in _RETRY_STATUS or attempt == s.retries:
                    raise FetchError(f"HTTP {err.code} {err.reason}") from None
                wait = _retry_after(err.headers.get("Retry-After"), wait)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
                if attempt == s.retries:
                    reason = getattr(err, "reason", err)
                    raise FetchError(f"cannot fetch ({reason})") from None
            self.sleep(min(wait, s.max_backoff_seconds))
            wait *= 2
        raise FetchError("cannot fetch")  # not reached

    def _pause(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = (self._last or {}).get(host)
        if last is not None:
            gap = self.settings.delay_seconds - (time.monotonic() - last)
            if gap > 0:
                self.sleep(gap)
        self._last = {**(self._last or {}), host: time.monotonic()}

    def _once(self, url: str) -> tuple[bytes, str]:
        request = urllib.request.Request(
            url, headers={"User-Agent": self.settings.user_agent, "Accept": "*/*"}
        )
        with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds) as response:
            body = response.read(self.settings.max_bytes + 1)
            kind = response.headers.get("Content-Type", "")
        if len(body) > self.settings.max_bytes:
            raise FetchError(f"larger than the {self.settings.max_bytes:,} byte limit")
        return body, kind


def _retry_after(value: str | None, default: float) -> float:
    if not value:
        return default
    if value.strip().isdigit():
        return float(value.strip())
    when = email.utils.parsedate_to_datetime(value) if value else None
    return max(0.0, when.timestamp() - time.time()) if when else default


def _looks_like_feed(body: bytes, kind: str) -> bool:
    kind = kind.lower()
    if any(k in kind for k in _FEED_TYPES) and "html" not in kind:
        return True
    head = body[:1024].lstrip().lower()
    return head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head


def read_url(
    url: str,
    options: ReadOptions = DEFAULT_OPTIONS,
    *,
    fetcher: Fetcher | None = None,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[Item]:
    """The articles at ``url`` (a page, or a feed's entries), as Documents or Problems.
    ``skip(entry_id)`` says which feed entries are known already (they are not fetched)."""
    fetcher = fetcher or Fetcher(FetchSettings.load())
    try:
        body, kind = fetcher.get(url)
    except FetchError as err:
        yield problem(url, str(err))
        return
    if _looks_like_feed(body, kind):
        yield from _feed(url, body, options, fetcher, skip)
    else:
        yield _page(url, body, options)


def _page(url: str, body: bytes, options: ReadOptions, **given: Any) -> Item:
    from communique.io.html import html_document

    item = html_document(body, url, options)
    if isinstance(item, Problem):
        return item
    update = {"url": item.url or url, "id": given.get("doc_id") or url}
    for key in ("title", "date"):
        if given.get(key) and not getattr(item, key):
            update[key] = given[key]
    return Document.model_validate({**item.model_dump(), **update})


def _feed(
    url: str, body: bytes, options: ReadOptions, fetcher: Fetcher, skip: Callable[[str], bool] | None
) -> Iterator[Item]:
    import feedparser

    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception", "not a feed")
        yield problem(url, f"not an RSS or Atom feed ({reason})")
        return
    for n, entry in enumerate(parsed.entries[: fetcher.settings.max_items_per_feed]):
        link = entry.get("link")
        entry_id = entry.get("id") or link
        where = f"{url} entry {n + 1}"
        if not entry_id:
            yield problem(where, "the entry has neither an id nor a link")
            continue
        if skip is not None and skip(entry_id):
            continue
        title = entry.get("title")
        parsed_day = entry.get("published_parsed") or entry.get("updated_parsed")
        day = "{:04d}-{:02d}-{:02d}".format(*parsed_day[:3]) if parsed_day else None
        page: Item | None = None
        if link and link.lower().startswith(SCHEMES):
            try:
                html, _ = fetcher.get(link)
                page = _page(link, html, options, doc_id=entry_id, title=title, date=day)
            except FetchError as err:
                page = problem(link, str(err))
        if page is None or isinstance(page, Problem):
            own = _entry_text(entry)
            if own:
                page = make_document(
                    own, where, options, doc_id=entry_id, title=title, raw_date=day, url=link
                )
        yield page if page is not None else problem(where, "the entry has no link and no text")


def _entry_text(entry: Any) -> str:
    """The entry's own text (content, else summary), its markup removed."""
    import html
    import re

    parts = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    text = re.sub(r"<[^>]+>", " ", " ".join(p for p in parts if p))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
