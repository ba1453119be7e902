"""The dashboard in a real browser: Debian's Chromium driven by Playwright (pytest-playwright).

Every page loads without a console error or a failed request; the events filters, sorting
and pages work; clicking an event opens its article with the sentence highlighted; the
hostile document (``<script>``, ``onerror=`` in its title, text and id) stays inert; the
paste page analyses a text. Each page is screenshotted (to docs/screenshots/ with COMMUNIQUE_SCREENSHOTS=1).

Skipped, saying why, where /usr/bin/chromium is missing (``make browser`` installs it) or
Playwright is not installed. Never runs ``playwright install``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import pytest

from conftest import CHROMIUM, REPO

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
pytest.importorskip(
    "pytest_playwright", reason="pytest-playwright is not installed (pip install -e '.[dev]')"
)
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: browser tests skipped (`make browser` installs Debian's chromium)",
        allow_module_level=True,
    )

from playwright.sync_api import Page, expect

from communique.web import create_app
from test_web_api import (
    ARTICLE,
    MENTIONS_ID,
    XSS_ID,
    XSS_TITLE,
    build_mentions_store,
    build_web_store,
    serving,
)

#: Screenshots go to docs/screenshots/ only on request (COMMUNIQUE_SCREENSHOTS=1, to refresh
#: the README's pictures); otherwise to a scratch folder, so a test run leaves the tree clean.
SHOTS = (
    REPO / "docs" / "screenshots"
    if os.environ.get("COMMUNIQUE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "communique-screenshots"
)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def store(tmp_path_factory, pipeline) -> Path:
    return build_web_store(tmp_path_factory, pipeline)


@pytest.fixture(scope="module")
def base_url_(store, pipeline) -> Iterator[str]:
    """The dashboard with extraction on (the paste page), on a free loopback port."""
    with serving(create_app(store, allow_extract=True, pipeline=pipeline)) as url:
        yield url


@pytest.fixture(scope="module")
def facts(store) -> dict[str, Any]:
    """What the pages should show, straight from the store."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        # the dyad with events in most weeks (the richest timeline)
        source, target = con.execute(
            "SELECT source_country, target_country FROM events WHERE status = 'happened' "
            "AND source_country IS NOT NULL AND target_country IS NOT NULL AND source_country <> target_country "
            "GROUP BY ALL ORDER BY count(DISTINCT date_trunc('week', date)) DESC, count(*) DESC LIMIT 1"
        ).fetchone()
        country = con.execute(
            "SELECT c FROM (SELECT source_country AS c FROM events UNION ALL SELECT target_country FROM events) "
            "WHERE c IS NOT NULL GROUP BY c ORDER BY count(*) DESC, c LIMIT 1"
        ).fetchone()[0]
        consult = con.execute("SELECT count(*) FROM events WHERE type = 'CONSULT'").fetchone()[0]
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        con.close()
    return {"dyad": f"{source}-{target}", "country": country, "consult": consult, "events": events}


class Watch:
    """Console errors, page errors, failed requests and dialogs of one page."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        assert not self.problems, self.problems
        assert not self.dialogs, f"a script ran: {self.dialogs}"


@pytest.fixture()
def watched(page: Page) -> Iterator[tuple[Page, Watch]]:
    page.set_default_timeout(15_000)
    watch = Watch(page)
    yield page, watch
    watch.check()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _pages(facts: dict[str, Any]) -> dict[str, str]:
    return {
        "overview": "/",
        "events": "/events",
        "dyads": "/dyads",
        "dyad": f"/dyads/{facts['dyad']}",
        "actors": "/actors",
        "actor": f"/actors/{facts['country']}",
        "documents": "/documents",
        "quotes": "/quotes",
        "extract": "/extract",
        "api-docs": "/docs",
        "map": "/map",
        "glossary": "/glossary",
    }


PAGES = [
    "overview",
    "events",
    "dyads",
    "dyad",
    "actors",
    "actor",
    "documents",
    "quotes",
    "extract",
    "api-docs",
    "map",
    "glossary",
]


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly(watched, base_url_, facts, name):
    page, _ = watched
    response = page.goto(base_url_ + _pages(facts)[name])
    assert response is not None and response.status == 200
    page.wait_for_load_state("load")
    expect(page.locator("header.top nav")).to_be_visible()
    expect(page.locator("h1")).to_be_visible()
    # every asset comes from the app itself
    for src in page.locator("script[src], link[href], img[src]").evaluate_all(
        "els => els.map(e => e.getAttribute('src') || e.getAttribute('href'))"
    ):
        assert src.startswith("/"), src
    if name in ("overview", "dyad"):
        expect(page.locator("svg.chart")).to_be_visible()
        assert page.locator("svg.chart rect.quad1, svg.chart rect.quad3, svg.chart rect.quad4").count() > 0
    shot(page, name)


def test_events_filters_sorting_pages(watched, base_url_, facts):
    page, _ = watched
    page.goto(base_url_ + "/events")
    expect(page.locator(".pager").first).to_contain_text(f"of {facts['events']} events")
    # choosing a type submits the form (app.js) and filters the table
    with page.expect_navigation():
        page.select_option("select[name=type]", "CONSULT")
    assert "type=CONSULT" in page.url
    types = page.locator("#events-table a.event-link").all_inner_texts()
    assert types and all(t.startswith("CONSULT") for t in types)
    expect(page.locator(".pager").first).to_contain_text(f"of {facts['consult']} events")
    # an actor on either side, by the button
    page.fill("input[name=actor]", "FRA")
    with page.expect_navigation():
        page.click("form#event-filters button[type=submit]")
    assert "actor=FRA" in page.url and "type=CONSULT" in page.url
    rows = page.locator("#events-table tbody tr")
    assert rows.count() > 0
    for i in range(rows.count()):
        assert "FRA" in rows.nth(i).inner_text()
    shot(page, "events-filtered")
    # sorting by Goldstein, one way then the other
    page.goto(base_url_ + "/events")
    with page.expect_navigation():
        page.click("#events-table th a:has-text('Goldstein')")
    assert "sort=goldstein" in page.url and "order=desc" in page.url
    values = [float(v) for v in page.locator("#events-table td.num").all_inner_texts() if v != "—"]
    assert values == sorted(values, reverse=True)
    with page.expect_navigation():
        page.click("#events-table th a:has-text('Goldstein')")
    assert "order=asc" in page.url
    values = [float(v) for v in page.locator("#events-table td.num").all_inner_texts() if v != "—"]
    assert values == sorted(values)
    # the next page keeps the sort
    with page.expect_navigation():
        page.click(".pager a[rel=next] >> nth=0")
    assert "page=2" in page.url and "sort=goldstein" in page.url
    expect(page.locator(".pager").first).to_contain_text("page 2 of")
    # status and dates
    page.goto(base_url_ + "/events?status=intended&since=2026-02-01&until=2026-02-28")
    dates = page.locator("#events-table td.date").all_inner_texts()
    statuses = page.locator("#events-table td.status").all_inner_texts()
    assert dates and all("2026-02-01" <= d <= "2026-02-28" for d in dates)
    assert set(statuses) == {"intended"}


def test_bad_filter_shows_a_message(watched, base_url_):
    page, _ = watched
    page.goto(base_url_ + "/events?since=yesterday")
    expect(page.locator(".error-message")).to_contain_text("since")
    expect(page.locator("#events-table")).to_have_count(0)


def test_click_event_opens_its_sentence(watched, base_url_, facts):
    page, _ = watched
    page.goto(base_url_ + f"/dyads/{facts['dyad']}")
    link = page.locator("#dyad-events a.event-link").first
    href = link.get_attribute("href")
    match = re.search(r"#e(\d+)$", href)
    assert match, href
    n = match.group(1)
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(f"#e{n}") and "/documents/" in page.url
    sentence = page.locator(f".article-text .se{n}")
    assert sentence.count() > 0
    expect(sentence.first).to_have_class(re.compile(r"\bhl\b"))
    expect(sentence.first).to_be_in_viewport()
    expect(page.locator(f"#card-e{n}")).to_have_class(re.compile(r"\bhl\b"))
    # only that sentence is highlighted
    assert page.locator(".article-text .hl").count() == sentence.count()
    # the highlighted words are the event's sentence, as the API has it
    doc_id = page.url.split("/documents/")[1].split("#")[0]
    event = page.request.get(base_url_ + f"/api/documents/{doc_id}").json()["events"][int(n)]
    shown = "".join(sentence.all_text_contents())
    assert shown.replace("\n", " ").strip() == event["sentence"]["text"].replace("\n", " ").strip()
    page.evaluate("window.scrollTo(0, 0)")  # the screenshot shows the title when the sentence fits
    if not sentence.first.evaluate("e => e.getBoundingClientRect().bottom <= window.innerHeight"):
        sentence.first.scroll_into_view_if_needed()
    shot(page, "document")
    # another event's link in the side panel moves the highlight
    other = page.locator(".event-card a.to-sentence").last
    m = other.inner_text()[1:]
    other.click()
    expect(page.locator(f".article-text .se{m}").first).to_have_class(re.compile(r"\bhl\b"))
    expect(page.locator(f"#card-e{m}")).to_have_class(re.compile(r"\bhl\b"))


def test_map_draws_places_and_opens_the_evidence(watched, base_url_, store):
    """The map page offline: the outline is the app's own (no other host is asked), one
    circle per place sized by its events and coloured by quad class, a click on one opens
    the article at its event."""
    page, _ = watched
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(base_url_ + "/map")
    page.wait_for_load_state("networkidle")
    assert all(url.startswith(base_url_) for url in asked), [u for u in asked if not u.startswith(base_url_)]
    assert any(url.endswith("/map/world.svg") for url in asked)
    outline = page.locator("svg#event-map image")
    expect(outline).to_have_count(1)
    assert outline.evaluate("e => e.getBBox().width") > 100  # the outline loaded and has a size
    con = duckdb.connect(str(store), read_only=True)
    try:
        (places,) = con.execute(
            "SELECT count(DISTINCT (location_name, round(location_lat, 3), round(location_lon, 3))) FROM events "
            "WHERE status = 'happened' AND location_lat IS NOT NULL"
        ).fetchone()
    finally:
        con.close()
    circles = page.locator("svg#event-map a.place circle")
    assert places > 0 and circles.count() == places
    classes = set(circles.evaluate_all("cs => cs.map(c => c.getAttribute('class'))"))
    assert classes <= {"quad0", "quad1", "quad2", "quad3", "quad4"} and classes - {"quad0"}
    radii = [float(r) for r in circles.evaluate_all("cs => cs.map(c => c.getAttribute('r'))")]
    assert radii == sorted(radii, reverse=True)  # the biggest drawn first, the small ones on top
    shot(page, "map")
    link = page.locator("svg#event-map a.place").last
    href = link.get_attribute("href")
    match = re.search(r"#e(\d+)$", href or "")
    assert match, href
    with page.expect_navigation():
        link.click()
    assert "/documents/" in page.url and page.url.endswith(f"#e{match.group(1)}")
    expect(page.locator(f".article-text .se{match.group(1)}").first).to_have_class(re.compile(r"\bhl\b"))


def test_article_shows_every_mention(watched, tmp_path):
    """An event reported twice: both triggers are marked in the text, the card lists both
    and the location; a mention's link highlights its own sentence, scrolled into view."""
    page, _ = watched
    with serving(create_app(build_mentions_store(tmp_path))) as url:
        page.goto(url + f"/documents/{MENTIONS_ID}")
        expect(page.locator(".article-text .trigger")).to_have_text(["met", "meeting"])
        expect(page.locator(".article-text sup.evref a")).to_have_text(["e0", "e0"])
        expect(page.locator(".article-text .location")).to_have_text("in Geneva")
        card = page.locator("#card-e0")
        expect(card.locator("ol.event-mentions a.to-mention")).to_have_text(["“met”", "“meeting”"])
        expect(card.locator(".where")).to_contain_text("in Geneva")
        # the text's markup is shown, not parsed
        text = page.locator("#article-text").inner_text()
        assert "<b>frank</b>" in text and "<i>meetinge0</i>" in text  # e0: the trigger's card link
        assert page.locator("#article-text i, #article-text b").count() == 0
        card.locator("a.to-mention").nth(1).click()
        assert page.url.endswith("#e0-m1")
        second = page.locator(".article-text .sm0-1")
        expect(second.first).to_have_class(re.compile(r"\bhl\b"))
        expect(second.first).to_be_in_viewport()
        assert page.locator(".article-text .hl").count() == second.count()  # that sentence only
        shown = "".join(second.all_text_contents())
        assert shown == "Rubio said the <i>meeting</i> had been useful."
        expect(page.locator("#card-e0-m1")).to_have_class(re.compile(r"\bhl\b"))
        expect(card).to_have_class(re.compile(r"\bhl\b"))
        # the first mention's link moves the highlight to the event's own sentence
        card.locator("a.to-mention").first.click()
        expect(page.locator(".article-text .sm0-0").first).to_have_class(re.compile(r"\bhl\b"))
        expect(second.first).not_to_have_class(re.compile(r"\bhl\b"))
        shot(page, "document-mentions")


def test_xss_document_stays_inert(watched, base_url_):
    page, watch = watched
    doc_path = "/documents/" + quote(XSS_ID, safe="")
    page.goto(base_url_ + doc_path)
    # shown as text, not run or parsed
    expect(page.locator("h1")).to_have_text(XSS_TITLE)
    expect(page).to_have_title(re.compile(re.escape("<script>alert(1)</script>")))
    text = page.locator("#article-text").inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert "<svg onload=alert(1)>" in text
    assert page.locator("img[src=x], img[onerror], svg[onload], b:has-text('threats')").count() == 0
    scripts = page.locator("script").evaluate_all("els => els.map(e => e.getAttribute('src'))")
    assert scripts and all(s and s.startswith("/static/app.js") for s in scripts)
    assert page.locator("a[href^='javascript:']").count() == 0  # its javascript: URL is not a link
    shot(page, "xss-inert")
    # everywhere the title or the id shows up
    for path in (
        "/",
        "/documents",
        "/events?doc=" + quote(XSS_ID, safe=""),
        "/actors/Emmanuel%20Macron",
        "/quotes?speaker=macron",
    ):
        page.goto(base_url_ + path)
        assert page.locator("img[src=x], img[onerror], svg[onload]").count() == 0
        if path in ("/documents", "/events?doc=" + quote(XSS_ID, safe="")):
            expect(page.locator("a", has_text="<script>alert(1)</script> Macron <img").first).to_be_visible()
    assert not watch.dialogs


def test_paste_an_article(watched, base_url_):
    page, _ = watched
    page.goto(base_url_ + "/extract")
    page.fill("textarea[name=text]", ARTICLE)
    page.fill("input[name=title]", "Rubio meets Araghchi in Geneva")
    page.fill("input[name=date]", "2026-03-02")
    with page.expect_navigation():
        page.click("#extract-form button[type=submit]")
    result = page.locator("#extract-result")
    expect(result).to_be_visible()
    expect(result.locator("h2").first).to_have_text("Rubio meets Araghchi in Geneva")
    assert result.locator(".event-card").count() > 0
    assert result.locator(".article-text .mention").count() > 0
    assert result.locator(".article-text .trigger").count() > 0
    assert result.locator(".article-text .quote").count() > 0
    expect(result.locator(".event-card").first).to_contain_text("CONSULT")
    expect(page.locator("textarea[name=text]")).to_have_value(ARTICLE)  # the text stays for editing
    result.scroll_into_view_if_needed()
    shot(page, "extract-result")


def test_docs_page_tries_an_endpoint(watched, base_url_, facts):
    page, _ = watched
    page.goto(base_url_ + "/docs")
    form = page.locator("form.try[data-path='/api/events']")
    form.locator("input[name=type]").fill("CONSULT")
    form.locator("input[name=limit]").fill("2")
    form.locator("button").click()
    output = form.locator("output")
    expect(output).to_contain_text("→ 200")
    expect(output).to_contain_text(f'"total": {facts["consult"]}')


def test_glossary_explains_every_code_and_the_codes_link_to_it(watched, base_url_):
    """The glossary is made from the ontology tables: every PLOVER type, sector and CAMEO
    code has its row; a CAMEO code on the events page carries a tooltip and opens its row."""
    from communique.events.ontology import load_ontology

    page, _ = watched
    ontology = load_ontology()
    page.goto(base_url_ + "/glossary")
    expect(page.locator("#sector-UAF")).to_contain_text("UAF")
    expect(page.locator("#sector-UAF + dd")).to_have_text("unidentified armed forces")
    expect(page.locator("#sector-CRM + dd")).to_have_text("criminals")
    expect(page.locator("#actor-IGO + dd")).to_contain_text("International")
    expect(page.locator("#cameo-195")).to_contain_text("Employ aerial weapons")
    expect(page.locator("#quad-3 + dd")).to_have_text("verbal conflict")
    assert page.locator("#types tbody tr").count() == len(ontology.types)
    assert page.locator("#cameo tbody tr").count() == len(ontology.cameo)
    assert page.locator("#sectors dt").count() == len(ontology.sectors)
    page.goto(base_url_ + "/events")
    code = page.locator("table.events a.code").first
    cameo = code.inner_text()
    assert code.get_attribute("title").startswith(f"CAMEO {cameo}: ")
    actor_code = page.locator("table.events span.code").first
    assert actor_code.get_attribute("title") is not None
    code.click()
    page.wait_for_url(re.compile(rf"/glossary#cameo-{cameo}$"))
    expect(page.locator(f"#cameo-{cameo}")).to_be_visible()


def test_correct_an_event_and_an_actor_in_the_dashboard(watched, tmp_path):
    """Corrections (issue 21): the article's event card fixes the type, then marks the event
    wrong; the actor page fixes an actor's code. Each shows at once, flagged."""
    page, _ = watched
    db = build_mentions_store(tmp_path)
    with serving(create_app(db, allow_corrections=True)) as url:
        page.goto(url + f"/documents/{MENTIONS_ID}")
        card = page.locator("#card-e0")
        expect(card.locator("h3")).to_contain_text("CONSULT")
        card.locator("#correct-e0 summary").click()
        card.locator("select[name=type]").select_option("ASSAULT")
        card.locator("input[name=author]").fill("ana")
        card.locator("input[name=reason]").fill("it was a raid")
        card.get_by_role("button", name="Save correction").click()
        page.wait_for_url(re.compile(r"corrected=1"))
        expect(page.locator("#card-e0 h3")).to_contain_text("ASSAULT")
        expect(page.locator("#card-e0 .corrected")).to_be_visible()
        shot(page, "correction")
        # the events list shows the corrected type
        page.goto(url + "/events")
        expect(page.locator("table")).to_contain_text("ASSAULT")
        # the actor page fixes the code everywhere
        page.goto(url + "/actors/" + quote("Abbas Araghchi"))
        page.locator("#correct-actor summary").click()
        page.locator("#correct-actor input[name=code]").fill("IRN GOV/MIL")
        page.locator("#correct-actor input[name=author]").fill("ana")
        page.get_by_role("button", name="Save correction").click()
        page.wait_for_url(re.compile(r"corrected=1"))
        expect(page.locator("p.who")).to_contain_text("GOV/MIL")
        # marking the event wrong takes it out of the lists; the article shows it struck out,
        # at its own position, with a way back
        page.goto(url + f"/documents/{MENTIONS_ID}")
        page.locator("#correct-e0 summary").click()
        page.locator("#correct-e0 input[name=author]").fill("ana")
        page.get_by_role("button", name="Mark wrong").click()
        page.wait_for_url(re.compile(r"corrected=1"))
        expect(page.locator("#card-e0")).to_have_class(re.compile(r"\bmarked-wrong\b"))
        page.goto(url + "/events")
        expect(page.locator("#events-table")).to_have_count(0)  # no event left to list
        page.goto(url + f"/documents/{MENTIONS_ID}")
        page.locator("#correct-e0 summary").click()
        page.locator("#correct-e0 input[name=author]").fill("ana")
        page.get_by_role("button", name="Not wrong after all").click()
        page.wait_for_url(re.compile(r"corrected=1"))
        expect(page.locator("#card-e0")).not_to_have_class(re.compile(r"\bmarked-wrong\b"))
        page.goto(url + "/events")
        expect(page.locator("#events-table")).to_contain_text("ASSAULT")


def test_search_facets_download_and_actor_timeline(watched, tmp_path):
    """Search finds the article and the event's evidence; a facet narrows the list; the
    download link gives exactly the filtered rows; the actor page's timeline bars open events."""
    page, _ = watched
    db = build_mentions_store(tmp_path)
    with serving(create_app(db)) as url:
        page.goto(url + "/search")
        page.locator("#search-form input[name=q]").fill("Geneva")
        page.locator("#search-form button").click()
        expect(page.locator("#search-documents")).to_contain_text("Rubio meets Araghchi")
        expect(page.locator("#search-evidence")).to_contain_text("CONSULT")
        page.locator("#search-evidence a").first.click()
        assert f"/documents/{MENTIONS_ID}" in page.url
        page.goto(url + "/events")
        facet = page.locator("#facets [data-facet=type]")
        expect(facet).to_contain_text("CONSULT")
        facet.get_by_role("link", name="CONSULT").click()
        assert "type=CONSULT" in page.url
        with page.expect_download() as info:
            page.locator("#download-csv").click()
        text = Path(info.value.path()).read_text(encoding="utf-8")
        assert text.count("\n") == 2 and "CONSULT" in text  # the header and the one event
        page.goto(url + "/actors/" + quote("Marco Rubio"))
        bar = page.locator("#actor-timeline a.bar-link").first
        bar.click()
        assert "/events?" in page.url and "actor=Marco+Rubio" in page.url
        expect(page.locator("#events-table")).to_contain_text("CONSULT")
