"""The REST API, through a real HTTP client against uvicorn running the app on a free loopback
port: every endpoint, the filters, sorting and pagination, the errors (JSON, never a
traceback or a path), the size limits, extraction, and a server reading while an ingest in
another process writes to the same store.

The store is built once per session from examples/ plus a hostile document (markup in its
title, text and id); test_web_browser.py reuses it (``web_store``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import httpx
import pytest
import uvicorn

from communique.models import ActorMention, Event, EventMention, Result, Span
from communique.store import Store, ingest, write_results
from communique.web import create_app
from communique.web.reader import SharedReader
from conftest import EXAMPLES, REPO

XSS_ID = 'xss-<b>1</b>"'
XSS_TITLE = "<script>alert(1)</script> Macron <img src=x onerror=alert(1)> meets Araghchi"
XSS_TEXT = (
    "PARIS, Feb 16 (Example Wire) — <script>alert(1)</script> French President Emmanuel Macron met "
    "Iranian Foreign Minister Abbas Araghchi in Paris on Monday, <img src=x onerror=alert(1)> the "
    'Elysee said.\n\n"We will not accept <b>threats</b> against our inspectors," Macron said after the '
    "meeting. Iran accused France of hypocrisy <svg onload=alert(1)>."
)
ARTICLE = (
    "WASHINGTON, March 2 (Example Wire) — U.S. Secretary of State Marco Rubio met Iranian Foreign "
    "Minister Abbas Araghchi in Geneva on Monday. Iran accused Israel of attacking its nuclear sites. "
    '"We are ready to talk," Rubio told reporters.'
)


# -- the store and the server ----------------------------------------------------------------
def build_web_store(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Path:
    """examples/ plus the XSS document, ingested once per session (whichever module asks first)."""
    folder = tmp_path_factory.getbasetemp() / "web-store"
    db = folder / "events.duckdb"
    done = folder / "built"
    if done.exists():
        return db
    folder.mkdir(exist_ok=True)
    xss = folder / "xss.jsonl"
    record = {
        "id": XSS_ID,
        "title": XSS_TITLE,
        "date": "2026-02-16",
        "url": "javascript:alert(1)",
        "text": XSS_TEXT,
    }
    xss.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = ingest([str(EXAMPLES), str(xss)], db, pipeline=pipeline)
    assert report.stored == 25 and report.failed == 0
    done.touch()
    return db


#: One meeting the article reports twice (met ... the meeting), placed in Geneva; the second
#: sentence carries markup that must stay text inside the highlighted mention.
MENTIONS_ID = "two-mentions"
MENTIONS_TEXT = (
    "Rubio met Araghchi in Geneva on Monday. Diplomats called the talks <b>frank</b>. "
    "Rubio said the <i>meeting</i> had been useful."
)


def _span(text: str, words: str, after: int = 0) -> Span:
    start = text.index(words, after)
    return Span(text=words, start=start, end=start + len(words))


def mentions_result() -> Result:
    """A result built by hand: one CONSULT event with two mentions and a location."""
    text = MENTIONS_TEXT
    rubio = ActorMention(
        text="Rubio", start=0, end=5, country="USA", sectors=["GOV"], name="Marco Rubio", kind="person"
    )
    araghchi = ActorMention(
        text="Araghchi",
        start=10,
        end=18,
        country="IRN",
        sectors=["GOV"],
        name="Abbas Araghchi",
        kind="person",
    )
    first = EventMention(
        trigger=_span(text, "met"), sentence=_span(text, "Rubio met Araghchi in Geneva on Monday.")
    )
    second = EventMention(
        trigger=_span(text, "meeting"),
        sentence=_span(text, "Rubio said the <i>meeting</i> had been useful."),
    )
    event = Event(
        type="CONSULT",
        mode="visit",
        cameo="040",
        goldstein=1.0,
        quad_class=1,
        source=rubio,
        target=araghchi,
        trigger=first.trigger,
        sentence=first.sentence,
        confidence=0.9,
        location=_span(text, "in Geneva"),
        mentions=[first, second],
    )
    return Result(
        id=MENTIONS_ID,
        source="test/two-mentions.txt",
        title="Rubio meets Araghchi",
        date="2026-03-02",
        text=text,
        actors=[rubio, araghchi],
        events=[event],
    )


def build_mentions_store(folder: Path) -> Path:
    db = folder / "mentions.duckdb"
    report = write_results(db, [mentions_result()])
    assert report.stored == 1
    return db


class LiveServer:
    """uvicorn serving ``app`` on a free loopback port, in a thread, until ``stop``."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", server_header=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@contextmanager
def serving(app: Any) -> Iterator[str]:
    live = LiveServer(app)
    url = live.start()
    try:
        yield url
    finally:
        live.stop()


@pytest.fixture(scope="session")
def web_store(tmp_path_factory, pipeline) -> Path:
    return build_web_store(tmp_path_factory, pipeline)


@pytest.fixture(scope="module")
def server(web_store) -> Iterator[str]:
    """The read-only server (no extraction)."""
    with serving(create_app(web_store)) as url:
        yield url


@pytest.fixture(scope="module")
def extract_server(web_store, pipeline) -> Iterator[str]:
    """A server with extraction on and a small body limit (4 KiB)."""
    with serving(create_app(web_store, allow_extract=True, max_request_bytes=4096, pipeline=pipeline)) as url:
        yield url


@pytest.fixture(scope="module")
def client(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def counts(web_store) -> dict[str, int]:
    con = duckdb.connect(str(web_store), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "events", "quotes", "actor_mentions")
        }
    finally:
        con.close()


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def error(response: httpx.Response, status: int) -> dict[str, Any]:
    """An error: the status, JSON with a code and a message, nothing internal."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"error", "message", "status"} and body["status"] == status
    assert body["message"]
    for leak in ("Traceback", 'File "', ".duckdb", "/tmp", str(REPO), "duckdb.", "Error:"):
        assert leak not in response.text, response.text
    return body


def walk(client: httpx.Client, path: str, params: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """Every item of a paginated endpoint, following next_offset."""
    items, offset = [], 0
    while offset is not None:
        page = ok(client.get(path, params={**params, "limit": limit, "offset": offset}))
        items += page["items"]
        offset = page["next_offset"]
    return items


# -- the store as a whole --------------------------------------------------------------------
def test_health_and_info(client, counts):
    assert ok(client.get("/api/health")) == {"status": "ok"}
    info = ok(client.get("/api/info"))
    assert info["documents"] == counts["documents"] == 25
    assert info["events"] == counts["events"] and info["quotes"] == counts["quotes"]
    assert info["first_date"] == "2026-01-05" and info["last_date"] == "2026-03-20"
    assert sum(t["events"] for t in info["types"]) == counts["events"]
    assert "happened" in info["statuses"]


def test_security_headers(client):
    response = client.get("/api/info")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "server" not in response.headers


# -- documents -------------------------------------------------------------------------------
def test_documents_list_pagination_and_search(client, counts):
    first = ok(client.get("/api/documents", params={"limit": 10}))
    assert first["total"] == counts["documents"] and len(first["items"]) == 10 and first["next_offset"] == 10
    dates = [d["date"] for d in first["items"]]
    assert dates == sorted(dates, reverse=True)
    every = walk(client, "/api/documents", {}, 10)
    assert len(every) == 25 and len({d["id"] for d in every}) == 25
    last = ok(client.get("/api/documents", params={"limit": 10, "offset": 20}))
    assert len(last["items"]) == 5 and last["next_offset"] is None
    for doc in every:
        assert "source" not in doc and "text" not in doc  # no server paths, no bulk text
        assert doc["href"].startswith("/documents/")
        assert doc["url"] is None or doc["url"].startswith("https://")
    found = ok(client.get("/api/documents", params={"q": "TRUMP AND PUTIN"}))
    assert [d["id"] for d in found["items"]] == ["wire-0001"]
    january = ok(client.get("/api/documents", params={"since": "2026-01-01", "until": "2026-01-31"}))
    assert january["total"] and all("2026-01-01" <= d["date"] <= "2026-01-31" for d in january["items"])
    by_title = ok(client.get("/api/documents", params={"sort": "title", "order": "asc", "limit": 100}))
    titles = [d["title"].lower() for d in by_title["items"]]
    assert titles == sorted(titles)
    error(client.get("/api/documents", params={"since": "March"}), 422)
    error(client.get("/api/documents", params={"sort": "size"}), 422)


def test_document_detail(client, web_store):
    doc = ok(client.get("/api/documents/wire-0001"))
    assert doc["id"] == "wire-0001" and doc["text"].startswith("WASHINGTON")
    assert doc["n_events"] == len(doc["events"]) and doc["n_quotes"] == len(doc["quotes"])
    assert len(doc["actors"]) == doc["n_actors"] and doc["entities"]
    assert "source" not in doc
    for event in doc["events"]:
        assert doc["text"][event["trigger"]["start"] : event["trigger"]["end"]] == event["trigger"]["text"]
        assert isinstance(event["cluster_id"], int)
    # an id with markup and a quote, percent-encoded in the path
    xss = ok(client.get("/api/documents/" + quote(XSS_ID, safe="")))
    assert xss["id"] == XSS_ID and xss["title"] == XSS_TITLE and "<script>" in xss["text"]
    assert xss["url"] is None  # javascript: is not a web address
    body = error(client.get("/api/documents/no-such-doc"), 404)
    assert "no-such-doc" in body["message"]


def test_document_every_mention_and_location(tmp_path):
    """An event the article reports twice: the API gives both mentions and the location, the
    article page marks both triggers, links each from the event's card, and keeps the text's
    markup as text."""
    expected = mentions_result().events[0].model_dump(mode="json")
    with serving(create_app(build_mentions_store(tmp_path))) as url, httpx.Client(base_url=url) as c:
        doc = ok(c.get(f"/api/documents/{MENTIONS_ID}"))
        listed = ok(c.get("/api/events", params={"doc": MENTIONS_ID}))["items"]
        page = c.get(f"/documents/{MENTIONS_ID}")
        spec = ok(c.get("/openapi.json"))["paths"]
    for path in ("/api/documents/{doc_id}", "/api/events"):
        assert (
            "`mentions`" in spec[path]["get"]["description"]
            and "`location`" in spec[path]["get"]["description"]
        )
    for event in (doc["events"][0], listed[0]):
        assert event["mentions"] == expected["mentions"] and len(event["mentions"]) == 2
        where = event["location"]  # unresolved here: the store holds the record as written
        assert {k: where[k] for k in ("text", "start", "end")} == {
            "text": "in Geneva",
            "start": 19,
            "end": 28,
        }
        for mention in event["mentions"]:
            span = mention["trigger"]
            assert doc["text"][span["start"] : span["end"]] == span["text"]

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    # both triggers marked in the text, each followed by its link to the card
    tip = "event 0: CONSULT (happened), mention {} of 2"
    assert f'class="se0 sm0-0 trigger" title="{tip.format(1)}">met</span><sup class="evref">' in html
    assert f'class="sm0-1 trigger" title="{tip.format(2)}">meeting</span><sup class="evref">' in html
    assert html.count('<sup class="evref"><a href="#card-e0"') == 2
    # each mention's sentence has an anchor and is marked; the main one is the event's sentence
    assert '<a class="anchor" id="e0"></a><a class="anchor" id="e0-m0"></a>' in html
    assert '<a class="anchor" id="e0-m1"></a><span class="sm0-1">Rubio said the &lt;i&gt;</span>' in html
    # the card lists both mentions, each linking to its place in the text, and the location
    assert '<a href="#e0-m0" class="to-mention">“met”</a>' in html
    assert '<a href="#e0-m1" class="to-mention">“meeting”</a>' in html
    assert "Rubio said the &lt;i&gt;meeting&lt;/i&gt; had been useful." in html
    assert 'Where: <span class="location">in Geneva</span>' in html
    assert 'title="event 0: where">in Geneva</span>' in html
    # the text's markup stays text
    assert "<b>frank</b>" not in html and "<i>meeting</i>" not in html
    assert "&lt;b&gt;frank&lt;/b&gt;" in html


# -- events ----------------------------------------------------------------------------------
def test_events_default_and_pagination(client, counts):
    page = ok(client.get("/api/events"))
    assert page["total"] == counts["events"] and len(page["items"]) == 50 and page["next_offset"] == 50
    event = page["items"][0]
    for key in (
        "doc_id",
        "idx",
        "date",
        "type",
        "status",
        "trigger",
        "sentence",
        "cluster_id",
        "title",
        "href",
    ):
        assert key in event
    assert event["href"].endswith(f"#e{event['idx']}")
    every = walk(client, "/api/events", {}, 200)
    keys = {(e["doc_id"], e["idx"]) for e in every}
    assert len(every) == len(keys) == counts["events"]
    assert ok(client.get("/api/events", params={"limit": 0}))["items"] == []
    beyond = ok(client.get("/api/events", params={"offset": 100_000}))
    assert beyond["items"] == [] and beyond["next_offset"] is None


def test_events_filters(client, web_store):
    con = duckdb.connect(str(web_store), read_only=True)

    def count(where: str) -> int:
        return con.execute(f"SELECT count(*) FROM events WHERE {where}").fetchone()[0]

    try:
        consult = ok(client.get("/api/events", params={"type": "CONSULT", "limit": 500}))
        assert consult["total"] == count("type = 'CONSULT'") > 0
        assert {e["type"] for e in consult["items"]} == {"CONSULT"}
        two = ok(client.get("/api/events", params=[("type", "CONSULT"), ("type", "accuse")]))
        assert two["total"] == count("type IN ('CONSULT', 'ACCUSE')")
        assert ok(client.get("/api/events", params={"type": "CONSULT,ACCUSE"}))["total"] == two["total"]
        happened = ok(client.get("/api/events", params={"status": "happened"}))
        assert happened["total"] == count("status = 'happened'")
        assert ok(client.get("/api/events", params={"status": "all"}))["total"] == count("TRUE")
        usa = ok(client.get("/api/events", params={"source": "usa", "limit": 500}))
        assert usa["total"] == count("source_country = 'USA' OR lower(source_name) = 'usa'") > 0
        assert all(e["source"]["country"] == "USA" for e in usa["items"])
        either = ok(client.get("/api/events", params={"actor": "USA"}))
        assert either["total"] == count("source_country = 'USA' OR target_country = 'USA'")
        by_name = ok(client.get("/api/events", params={"actor": "emmanuel macron", "limit": 500}))
        assert by_name["total"] > 0
        for e in by_name["items"]:
            assert "Emmanuel Macron" in {(e["source"] or {}).get("name"), (e["target"] or {}).get("name")}
        dyad = ok(client.get("/api/events", params={"source": "FRA", "target": "DZA"}))
        assert dyad["total"] == count("source_country = 'FRA' AND target_country = 'DZA'") > 0
        both = ok(client.get("/api/events", params={"source": "FRA", "target": "DZA", "undirected": "true"}))
        assert both["total"] > dyad["total"]
        window = ok(
            client.get("/api/events", params={"since": "2026-02-01", "until": "2026-02-28", "limit": 500})
        )
        assert window["total"] == count("date BETWEEN DATE '2026-02-01' AND DATE '2026-02-28'")
        assert all("2026-02-01" <= e["date"] <= "2026-02-28" for e in window["items"])
        quad = ok(client.get("/api/events", params={"quad": 4, "limit": 500}))
        assert quad["total"] == count("quad_class = 4") and {e["quad_class"] for e in quad["items"]} == {4}
        assert ok(client.get("/api/events", params={"cameo": "19"}))["total"] == count(
            "starts_with(cameo, '19')"
        )
        assert ok(client.get("/api/events", params={"doc": "wire-0001"}))["total"] == count(
            "doc_id = 'wire-0001'"
        )
        confident = ok(client.get("/api/events", params={"min_confidence": 0.9}))
        assert confident["total"] == count("confidence >= 0.9")
        military = ok(client.get("/api/events", params={"context": "military"}))
        assert military["total"] == count("list_contains(context, 'military')")
        nothing = ok(client.get("/api/events", params={"source": "ATLANTIS"}))
        assert nothing["total"] == 0 and nothing["items"] == [] and nothing["next_offset"] is None
    finally:
        con.close()


@pytest.mark.parametrize(
    ("key", "order"),
    [("goldstein", "asc"), ("goldstein", "desc"), ("type", "asc"), ("confidence", "desc"), ("date", "asc")],
)
def test_events_sorting(client, key, order):
    items = ok(client.get("/api/events", params={"sort": key, "order": order, "limit": 500}))["items"]
    values = [e[key] for e in items if e[key] is not None]
    assert values == sorted(values, reverse=order == "desc")
    nulls = [i for i, e in enumerate(items) if e[key] is None]
    assert nulls == list(range(len(items) - len(nulls), len(items)))  # nulls last, either way


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"sort": "bogus"}, "sort"),
        ({"order": "up"}, "order"),
        ({"limit": 501}, "limit"),
        ({"limit": -1}, "limit"),
        ({"offset": -5}, "offset"),
        ({"limit": "ten"}, "limit"),
        ({"status": "rumoured"}, "status"),
        ({"quad": 7}, "quad"),
        ({"since": "2026-13-01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"min_confidence": 2}, "min_confidence"),
        ({"actor": "USA", "source": "IRN"}, "actor"),
        ({"undirected": "perhaps"}, "undirected"),
        ({"type": "ATTACK"}, "unknown event type 'ATTACK': use one of AGREE, CONSULT"),
        ({"mode": "flying"}, "unknown mode 'flying'"),
        ({"sector": "XYZ"}, "unknown sector 'XYZ': use one of COP, GOV"),
        ({"context": "nukes"}, "unknown context 'nukes'"),
        ({"cameo": "99"}, "unknown CAMEO code '99'"),
        ({"location_country": "ZZZ"}, "unknown country (location_country) 'ZZZ'"),
        ({"country": "USA"}, "unknown parameter 'country'"),
        ({"q": "Rubio"}, "unknown parameter 'q'"),
    ],
)
def test_events_bad_parameters(client, params, needle):
    assert needle in error(client.get("/api/events", params=params), 422)["message"]


def test_glossary_lists_every_code_of_the_ontology(client):
    from communique.events.ontology import load_ontology

    ontology = load_ontology()
    codes = ok(client.get("/api/glossary"))
    assert [t["code"] for t in codes["types"]] == list(ontology.types)
    assert {s["code"] for s in codes["sectors"]} == set(ontology.sectors) and len(codes["cameo"]) == len(
        ontology.cameo
    )
    assert next(c for c in codes["cameo"] if c["code"] == "195")["name"] == "Employ aerial weapons"
    assert [q["code"] for q in codes["quads"]] == ["Q1", "Q2", "Q3", "Q4"]


def test_every_endpoint_names_an_unknown_parameter(client):
    for path in ("/api/clusters", "/api/dyads", "/api/timeline", "/api/actors", "/api/quotes", "/api/info"):
        body = error(client.get(path, params={"countr": "USA"}), 422)
        assert "unknown parameter 'countr'" in body["message"], path
    assert "takes" in error(client.get("/api/quotes", params={"type": "ATTACK"}), 422)["message"]


def test_clusters(client):
    page = ok(client.get("/api/clusters", params={"limit": 20}))
    assert len(page["items"]) == 20 and page["next_offset"] == 20
    for cluster in page["items"]:
        assert cluster["num_mentions"] >= cluster["num_articles"] >= 1
        assert cluster["url"] is None or cluster["url"].startswith("https://")
        assert cluster["href"].startswith("/documents/")
    dates = [c["date"] for c in page["items"]]
    assert dates == sorted(dates, reverse=True)
    assert {c["type"] for c in ok(client.get("/api/clusters", params={"type": "ASSAULT"}))["items"]} == {
        "ASSAULT"
    }


# -- dyads, timeline, alerts -----------------------------------------------------------------
def test_dyads(client):
    items = ok(client.get("/api/dyads"))["items"]
    assert items and [d["events"] for d in items] == sorted((d["events"] for d in items), reverse=True)
    top = items[0]
    assert top["href"] == f"/dyads/{top['source']}-{top['target']}"
    assert len(ok(client.get("/api/dyads", params={"limit": 3}))["items"]) == 3
    conflict = ok(client.get("/api/dyads", params={"quad": [3, 4]}))["items"]
    assert all(d["q1"] == d["q2"] == 0 for d in conflict)
    detail = ok(client.get(f"/api/dyads/{top['source']}-{top['target']}"))
    assert detail["summary"]["events"] == top["events"] and detail["events"] >= top["events"]
    assert detail["timeline"] and detail["freq"] == "week" and isinstance(detail["alerts"], list)
    monthly = ok(client.get(f"/api/dyads/{top['source']}-{top['target']}", params={"freq": "month"}))
    assert all(p["period"].endswith("-01") for p in monthly["timeline"])
    error(client.get("/api/dyads/USA-ATLANTIS"), 404)
    error(client.get("/api/dyads/USA"), 422)
    error(client.get("/api/dyads/FRA-DZA", params={"freq": "hourly"}), 422)


def test_timeline(client):
    weeks = ok(client.get("/api/timeline"))["items"]
    assert weeks[0]["period"] == "2026-01-05" and len(weeks) == 11
    assert all(w["events"] == w["q1"] + w["q2"] + w["q3"] + w["q4"] for w in weeks if w["events"])
    events = ok(client.get("/api/timeline", params={"unit": "events"}))["items"]
    assert sum(w["events"] for w in events) >= sum(w["events"] for w in weeks)
    months = ok(client.get("/api/timeline", params={"freq": "month"}))["items"]
    assert [m["period"] for m in months] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    dyad = ok(client.get("/api/timeline", params={"dyad": "FRA-DZA", "freq": "day"}))
    assert dyad["dyad"] == "FRA-DZA" and dyad["items"][0]["period"] == "2026-02-03"
    assert ok(client.get("/api/timeline", params={"dyad": "USA-ATLANTIS"}))["items"] == []
    error(client.get("/api/timeline", params={"freq": "fortnight"}), 422)
    error(client.get("/api/timeline", params={"dyad": "FRANCE"}), 422)
    error(client.get("/api/timeline", params={"unit": "articles"}), 422)


def test_alerts(client):
    found = ok(client.get("/api/alerts"))
    assert found["freq"] == "week"
    for alert in found["items"]:
        assert abs(alert["z"]) >= 3 and alert["baseline_periods"] >= 4
    loose = ok(client.get("/api/alerts", params={"threshold": 0.5, "min_periods": 1, "window": 2}))["items"]
    assert len(loose) >= len(found["items"]) and loose
    up = ok(client.get("/api/alerts", params={"threshold": 0.5, "min_periods": 1, "direction": "up"}))[
        "items"
    ]
    assert all(a["direction"] == "up" for a in up)
    assert (
        "min_periods"
        in error(client.get("/api/alerts", params={"window": 2, "min_periods": 3}), 422)["message"]
    )
    error(client.get("/api/alerts", params={"window": 0}), 422)
    error(client.get("/api/alerts", params={"direction": "sideways"}), 422)


# -- actors and quotes -----------------------------------------------------------------------
def test_actors(client):
    people = ok(client.get("/api/actors"))["items"]
    assert people and [a["events"] for a in people] == sorted((a["events"] for a in people), reverse=True)
    countries = ok(client.get("/api/actors", params={"by": "country", "limit": 5}))["items"]
    assert len(countries) == 5 and all(len(a["actor"]) == 3 for a in countries)
    sources = ok(client.get("/api/actors", params={"side": "source"}))["items"]
    assert all(a["as_target"] == 0 for a in sources)
    error(client.get("/api/actors", params={"by": "sector"}), 422)

    top = countries[0]["actor"]
    profile = ok(client.get(f"/api/actors/{top}", params={"limit": 5}))
    assert profile["is_country"] and profile["country"] == top
    assert profile["as_source"]["total"] == profile["events_as_source"] > 0
    assert all(e["source"]["country"] == top for e in profile["as_source"]["items"])
    assert all(e["target"]["country"] == top for e in profile["as_target"]["items"])
    assert len(profile["as_source"]["items"]) <= 5 and profile["partners"]
    macron = ok(client.get("/api/actors/Emmanuel Macron"))
    assert macron["name"] == "Emmanuel Macron" and macron["country"] == "FRA" and not macron["is_country"]
    assert macron["quotes_by"]["total"] == macron["quotes"] > 0
    assert all(q["speaker"]["name"] == "Emmanuel Macron" for q in macron["quotes_by"]["items"])
    assert all(q["href"].split("#")[1].startswith("q") for q in macron["quotes_by"]["items"])
    error(client.get("/api/actors/Nobody Atall"), 404)
    error(client.get("/api/actors/USA", params={"limit": 1000}), 422)


def test_quotes(client, counts):
    every = walk(client, "/api/quotes", {}, 100)
    assert len(every) == counts["quotes"]
    assert all(q["href"].startswith("/documents/") and q["href"].endswith(f"#q{q['idx']}") for q in every)
    kallas = ok(client.get("/api/quotes", params={"speaker": "kallas"}))["items"]
    assert kallas and all("kallas" in json.dumps(q["speaker"]).lower() for q in kallas)
    direct = ok(client.get("/api/quotes", params={"kind": "direct", "limit": 500}))["items"]
    assert direct and {q["kind"] for q in direct} == {"direct"}
    newest = ok(client.get("/api/quotes", params={"newest": "true", "limit": 500}))["items"]
    assert [q["date"] for q in newest] == sorted((q["date"] for q in newest), reverse=True)
    assert ok(client.get("/api/quotes", params={"doc": "wire-0001"}))["items"]
    error(client.get("/api/quotes", params={"kind": "shouted"}), 422)
    error(client.get("/api/quotes", params={"since": "soon"}), 422)


# -- errors, methods, limits -----------------------------------------------------------------
def test_unknown_paths_and_methods(client):
    error(client.get("/api/nothing-here"), 404)
    error(client.get("/no/such/page"), 404)  # a client that does not ask for HTML gets JSON
    page = client.get("/no/such/page", headers={"accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert "read-only" in error(client.request(method, "/api/events"), 405)["message"]


def test_request_body_limits(client):
    error(client.request("GET", "/api/events", content=b"x" * 100_000), 413)
    error(client.post("/api/extract", content=b"x" * 300_000), 413)


def test_extract_disabled_by_default(client):
    assert "--allow-extract" in error(client.post("/api/extract", json={"text": ARTICLE}), 403)["message"]
    error(client.get("/extract"), 403)


def test_openapi_and_docs(client):
    spec = ok(client.get("/openapi.json"))
    paths = set(spec["paths"])
    for path in (
        "/api/health",
        "/api/info",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/events",
        "/api/clusters",
        "/api/dyads",
        "/api/dyads/{dyad}",
        "/api/timeline",
        "/api/alerts",
        "/api/actors",
        "/api/actors/{actor}",
        "/api/quotes",
        "/api/extract",
        "/api/glossary",
    ):
        assert path in paths
    assert not any(p.startswith("/api") is False for p in paths)  # pages are not in the API description
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {
        "source",
        "target",
        "actor",
        "type",
        "status",
        "since",
        "until",
        "sort",
        "order",
        "limit",
    } <= params
    docs = client.get("/docs")
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    for path in paths:
        assert path in docs.text
    for external in ("cdn.", "unpkg", "jsdelivr", "swagger-ui", "https://", "http://"):
        assert external not in docs.text.replace("http://www.w3.org/2000/svg", "")
    assert client.get("/redoc").status_code == 404


def test_static_assets_and_favicon(client):
    for path, kind in (
        ("/favicon.ico", "image/svg+xml"),
        ("/static/style.css", "text/css"),
        ("/static/app.js", "javascript"),
    ):
        response = client.get(path)
        assert response.status_code == 200 and kind in response.headers["content-type"]
    error(client.get("/static/nothing.js"), 404)
    error(client.get("/static/../app.py"), 404)


# -- a store that is not there or not a store ------------------------------------------------
def test_store_missing_or_foreign(tmp_path):
    missing = tmp_path / "nothing-yet.duckdb"
    with serving(create_app(missing, wait=0.5)) as url, httpx.Client(base_url=url) as c:
        body = error(c.get("/api/events"), 503)
        assert "ingest" in body["message"] and "nothing-yet" not in body["message"]
        assert ok(c.get("/api/health"))["status"] == "ok"
    foreign = tmp_path / "notes.duckdb"
    foreign.write_text("not a database", encoding="utf-8")
    with serving(create_app(foreign, wait=0.5)) as url, httpx.Client(base_url=url) as c:
        body = error(c.get("/api/info"), 503)
        assert "notes" not in body["message"]
        page = c.get("/", headers={"accept": "text/html"})
        assert page.status_code == 503 and "notes.duckdb" not in page.text and "Traceback" not in page.text


# -- extraction ------------------------------------------------------------------------------
def test_extract_json_and_text(extract_server):
    with httpx.Client(base_url=extract_server, timeout=60) as c:
        result = ok(
            c.post(
                "/api/extract", json={"text": ARTICLE, "date": "2026-03-02", "title": "Geneva", "id": "t1"}
            )
        )
        assert result["id"] == "t1" and result["date"] == "2026-03-02" and result["title"] == "Geneva"
        assert result["text"] == ARTICLE
        assert any(a.get("name") == "Marco Rubio" for a in result["actors"])
        assert result["events"] and result["quotes"]
        types = {e["type"] for e in result["events"]}
        assert "CONSULT" in types
        plain = ok(c.post("/api/extract", content=ARTICLE.encode(), headers={"content-type": "text/plain"}))
        assert plain["events"] == result["events"] and plain["id"].startswith("sha1:")
        # what a browser's form sends: CRLF line breaks; the same records, the same id as LF
        lines = f'{ARTICLE}\n\nAraghchi said Iran would "answer any attack".\nTalks resume on Friday.\n'
        sent = {
            ending: ok(
                c.post(
                    "/api/extract",
                    content=lines.replace("\n", ending).encode(),
                    headers={"content-type": "text/plain"},
                )
            )
            for ending in ("\n", "\r\n")
        }
        lf, crlf = sent["\n"], sent["\r\n"]
        assert crlf["text"] == lf["text"] == lines and crlf["id"] == lf["id"]
        for key in ("actors", "events", "quotes", "places"):
            assert crlf[key] == lf[key], key


@pytest.mark.parametrize(
    ("body", "content_type", "status", "needle"),
    [
        (b'{"text": "unfinished', "application/json", 422, "not valid JSON"),
        (b'["a list"]', "application/json", 422, "JSON object"),
        (b'{"title": "no text"}', "application/json", 422, "text"),
        (b'{"text": "   "}', "application/json", 422, "empty"),
        (b'{"text": 42}', "application/json", 422, "text"),
        (b'{"text": "Hello.", "date": "31/12/2026"}', "application/json", 422, "date"),
        (b'{"text": "Hello.", "colour": "red"}', "application/json", 422, "colour"),
        (b"\xff\xfe not utf-8", "text/plain", 422, "UTF-8"),
        (b"<xml/>", "application/xml", 415, "application/json"),
        (b'{"text": "' + b"a" * 5000 + b'"}', "application/json", 413, "too large"),
    ],
)
def test_extract_malformed_or_too_big(extract_server, body, content_type, status, needle):
    with httpx.Client(base_url=extract_server, timeout=30) as c:
        response = c.post("/api/extract", content=body, headers={"content-type": content_type})
        assert needle in error(response, status)["message"]


def test_extract_too_big_without_content_length(extract_server):
    """A chunked body has no Content-Length: the limit is enforced while reading."""

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(10):
            yield b"a" * 1000
        yield b'"}'

    with httpx.Client(base_url=extract_server, timeout=30) as c:
        response = c.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
        assert "content-length" not in {k.lower() for k in response.request.headers}
        error(response, 413)


# -- the server and an ingest take turns -----------------------------------------------------
WRITER = """
import json, sys, time
from communique.models import Result
from communique.store import write_results
db, template, n = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    doc = dict(template, id=f"concurrent-{i}", text=template["text"] + f" (copy {i})")
    write_results(db, [Result.model_validate(doc)])
    time.sleep(0.05)
print("wrote", n)
"""


def test_server_reads_while_another_process_ingests(web_store, client, tmp_path):
    """A writer process stores ten documents, one transaction each, while six threads
    query the server non-stop: every request succeeds and the writer finishes."""
    db = tmp_path / "busy.duckdb"
    shutil.copy(web_store, db)
    template = ok(client.get("/api/documents/wire-0001"))
    for key in ("outlet", "n_actors", "n_events", "n_quotes", "ingested_at"):
        template.pop(key)
    for event in template["events"]:
        event.pop("cluster_id")
    template["source"] = "concurrency-test"
    before = ok(client.get("/api/events", params={"doc": "wire-0001"}))["total"]
    statuses: list[int] = []
    stop = threading.Event()
    with serving(create_app(db, wait=10)) as url:

        def hammer() -> None:
            with httpx.Client(base_url=url, timeout=30) as c:
                while not stop.is_set():
                    for path in (
                        "/api/events?limit=20",
                        "/api/info",
                        "/api/timeline",
                        "/api/documents/wire-0001",
                    ):
                        statuses.append(c.get(path).status_code)

        threads = [threading.Thread(target=hammer) for _ in range(6)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        started = time.monotonic()
        writer = subprocess.run(
            [sys.executable, "-c", WRITER, str(db), json.dumps(template), "10"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        took = time.monotonic() - started
        time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(30)
        assert writer.returncode == 0, writer.stderr
        with httpx.Client(base_url=url) as c:
            docs = ok(c.get("/api/documents", params={"q": "concurrent-"}))
            assert docs["total"] == 10
            assert ok(c.get("/api/events", params={"doc": "concurrent-9"}))["total"] == before
    assert statuses and set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    assert len(statuses) > 50
    assert took < 60


def test_shared_reader_one_instance_and_writer_first(web_store, tmp_path):
    """Overlapping requests share one opening of the file; an idle instance lingers for the
    next request but closes at once when a writer in another process asks for the file."""
    db = tmp_path / "shared.duckdb"
    shutil.copy(web_store, db)
    reader = SharedReader(Store(db), linger=30)
    with reader.read() as a, reader.read() as b:
        assert (
            a.execute("SELECT count(*) FROM events").fetchone()
            == b.execute("SELECT count(*) FROM events").fetchone()
        )
    assert reader.opens == 1 and reader.is_open  # lingering, for the next request
    with reader.read() as c:
        c.execute("SELECT 1").fetchall()
    assert reader.opens == 1
    started = time.monotonic()
    writer = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom communique.store import Store\n"
            "with Store(sys.argv[1], timeout=20).write() as con:\n    con.execute('CHECKPOINT')\n",
            str(db),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert writer.returncode == 0, writer.stderr
    assert time.monotonic() - started < 15  # far less than the 30 s linger
    assert not reader.is_open
    with reader.read() as d:  # and it opens again afterwards
        assert d.execute("SELECT count(*) FROM documents").fetchone()[0] == 25
    assert reader.opens == 2
    reader.close()
    eager = SharedReader(Store(db), linger=0)
    with eager.read():
        pass
    assert not eager.is_open


def test_serve_command(web_store, tmp_path):
    """`communique serve` starts uvicorn on loopback and says where; a missing store is a
    warning (an ingest may create it), its requests a 503."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "communique"
    missing = tmp_path / "later.duckdb"
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(missing), "--port", str(port), "--log-level", "warning"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        error(httpx.get(url + "/api/events"), 503)
        shutil.copy(web_store, missing)  # the store appears: no restart needed
        assert ok(httpx.get(url + "/api/info"))["documents"] == 25
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=20)
    assert "no store at" in stderr and f"http://127.0.0.1:{port}/" in stderr


def test_charts_say_what_undated_documents_they_leave_out(tmp_path):
    """The overview and dyad charts are per week: an article with no date is in no week,
    and the page says how many of its events are not drawn and how to date them."""
    from communique.store import write_results
    from test_store import corpus

    path = tmp_path / "undated.duckdb"
    write_results(path, corpus())  # a6: an undated USA-IRN meeting
    with serving(create_app(path)) as url, httpx.Client(base_url=url, timeout=30) as c:
        for page in ("/", "/dyads/USA-IRN"):
            html = c.get(page, headers={"accept": "text/html"}).text
            assert "1 matching event(s) of 1 undated document(s) left out of the chart" in html, page
            assert "ingest --date YYYY-MM-DD" in html
        assert "undated document" not in c.get("/dyads/RUS-UKR", headers={"accept": "text/html"}).text
