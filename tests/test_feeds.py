"""Feeds and URLs (issue 21): `ingest` of pages and RSS/Atom feeds, `watch`, polite fetching.

Everything is served by a real HTTP server on 127.0.0.1 from tests/fixtures/feeds/ (the feed
files are templates: ``{base}`` is the server's address, ``{extra}`` more items); nothing
touches the internet.
"""

from __future__ import annotations

import dataclasses
import http.server
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from communique.io.web import Fetcher, FetchSettings, read_url
from communique.models import Document, Problem
from conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "feeds"
EXTRA_ITEM = """<item><title>Sudan ceasefire talks resume</title><link>{base}/articles/ceasefire.html</link>
<guid>example-wire-1003</guid><pubDate>Thu, 05 Mar 2026 10:00:00 GMT</pubDate></item>"""


class Site:
    """The fixtures on a loopback HTTP server; records each request's path and user agent."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.extra = ""
        self.fail_next: dict[str, int] = {}  # path -> how many 503s before it answers
        self.slow: set[str] = set()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                if site.fail_next.get(self.path, 0) > 0:
                    site.fail_next[self.path] -= 1
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                if self.path in site.slow:
                    time.sleep(2)
                file = FIXTURES / self.path.lstrip("/").split("?")[0]
                if not file.is_file() or FIXTURES not in file.resolve().parents:
                    self.send_error(404)
                    return
                body = file.read_text(encoding="utf-8")
                kind = "text/html; charset=utf-8"
                if file.suffix == ".xml":
                    body = body.replace("{extra}", site.extra.replace("{base}", site.base)).replace(
                        "{base}", site.base
                    )
                    kind = "application/rss+xml" if file.name == "rss.xml" else "application/atom+xml"
                data = body.encode("utf-8")
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


def fetcher(**changes: object) -> Fetcher:
    settings = dataclasses.replace(FetchSettings.load(), backoff_seconds=0.01, delay_seconds=0.0, **changes)
    return Fetcher(settings)


def test_rss_feed_entries_become_documents(site):
    items = list(read_url(site.base + "/rss.xml", fetcher=fetcher()))
    assert all(isinstance(i, Document) for i in items), items
    assert [d.id for d in items] == ["example-wire-1001", "example-wire-1002"]
    first = items[0]
    assert first.title == "Kenya and Ethiopia sign a water accord"
    assert "Omo river" in first.text and "Home | World" not in first.text  # the page's main text
    assert first.url == site.base + "/articles/water-accord.html"
    assert str(first.date) == "2026-03-02"
    ua = {agent for _, agent in site.requests}
    assert len(ua) == 1 and ua.pop().startswith("communique/")
    # entries known already are not fetched again
    site.requests.clear()
    again = list(read_url(site.base + "/rss.xml", fetcher=fetcher(), skip={"example-wire-1001"}.__contains__))
    assert [d.id for d in again] == ["example-wire-1002"]
    assert "/articles/water-accord.html" not in [p for p, _ in site.requests]


def test_atom_entry_falls_back_to_its_own_content(site):
    (doc,) = read_url(site.base + "/atom.xml", fetcher=fetcher())
    assert isinstance(doc, Document) and doc.id == "urn:example:atom:1"
    assert doc.text.startswith("Indian Foreign Minister") and "<p>" not in doc.text


def test_a_page_url_is_one_document(site):
    (doc,) = read_url(site.base + "/articles/belgrade-protest.html", fetcher=fetcher())
    assert isinstance(doc, Document) and doc.id == site.base + "/articles/belgrade-protest.html"
    assert "Belgrade" in doc.text


def test_retries_then_gives_a_problem(site):
    site.fail_next["/articles/ceasefire.html"] = 2
    (doc,) = read_url(site.base + "/articles/ceasefire.html", fetcher=fetcher(retries=3))
    assert isinstance(doc, Document)
    assert [p for p, _ in site.requests].count("/articles/ceasefire.html") == 3
    site.fail_next["/articles/ceasefire.html"] = 5
    (problem,) = read_url(site.base + "/articles/ceasefire.html", fetcher=fetcher(retries=1))
    assert isinstance(problem, Problem) and "HTTP 503" in problem.reason
    (missing,) = read_url(site.base + "/nothing.xml", fetcher=fetcher())
    assert isinstance(missing, Problem) and "404" in missing.reason
    site.slow.add("/articles/belgrade-protest.html")
    (slow,) = read_url(
        site.base + "/articles/belgrade-protest.html", fetcher=fetcher(timeout_seconds=0.3, retries=0)
    )
    assert isinstance(slow, Problem) and "cannot fetch" in slow.reason
    (refused,) = read_url("http://127.0.0.1:9/feed.xml", fetcher=fetcher(retries=0))
    assert isinstance(refused, Problem)


def _count(db: Path) -> int:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return -1
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
def test_ingest_url_and_watch_a_feed_as_a_user(site, tmp_path):
    exe = shutil.which("communique", path=str(Path(sys.executable).parent))
    if not exe:
        pytest.skip("the communique console script is not installed (make install)")
    db = tmp_path / "events.duckdb"
    done = subprocess.run(
        [exe, "ingest", site.base + "/atom.xml", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "1 documents stored" in done.stderr
    watcher = subprocess.Popen(
        [exe, "watch", site.base + "/rss.xml", "--db", str(db), "--interval", "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while _count(db) < 3 and time.monotonic() < deadline and watcher.poll() is None:
            time.sleep(0.5)
        assert _count(db) == 3  # the Atom entry and the RSS feed's two entries
        site.extra = EXTRA_ITEM
        while _count(db) < 4 and time.monotonic() < deadline and watcher.poll() is None:
            time.sleep(0.5)
        assert _count(db) == 4
        time.sleep(1.5)  # more rounds: nothing new, nothing twice
        assert _count(db) == 4
        fetched = [p for p, _ in site.requests].count("/articles/water-accord.html")
        assert fetched == 1  # a stored entry is not fetched again
    finally:
        watcher.send_signal(signal.SIGINT)
        _, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 130, err
    assert "stopped" in err and "Traceback" not in err
