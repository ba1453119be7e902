"""Search, facets and downloads (issue 21): the FTS5 index follows the store; facets count
the filtered events; downloads hold exactly the filtered rows; the CLI as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from communique.store import query_events, write_results
from communique.store.corrections import correct_event
from communique.store.queries import facets
from communique.store.search import search
from communique.web import create_app
from test_web_api import MENTIONS_ID, mentions_result, serving


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "s.duckdb"
    write_results(path, [mentions_result()])
    return path


def test_search_follows_the_store(db):
    found = search(db, "Geneva")
    assert [d["doc_id"] for d in found["documents"]] == [MENTIONS_ID]
    assert "«Geneva»" in found["documents"][0]["snippet"]
    (hit,) = found["evidence"]
    assert (hit["type"], hit["source"], hit["target"]) == ("CONSULT", "USA", "IRN")
    assert search(db, "nowhere")["documents"] == []
    # a new document is found at the next search; a broken query is searched as its words
    other = mentions_result().model_copy(
        update={"id": "other", "text": "Kenya and Ethiopia signed a water accord."}
    )
    write_results(db, [other])
    assert [d["doc_id"] for d in search(db, "water accord")["documents"]] == ["other"]
    assert search(db, 'water AND "accord')["documents_total"] == 1
    with pytest.raises(ValueError, match="at least one word"):
        search(db, "  ***  ")
    # an event marked wrong is no hit
    event = query_events(db, doc_id=MENTIONS_ID)[0]
    correct_event(db, MENTIONS_ID, event["trigger"]["start"], event["trigger"]["end"], author="a", wrong=True)
    hits = search(db, "Geneva", what="evidence")["evidence"]
    assert MENTIONS_ID not in {h["doc_id"] for h in hits}


def test_facets_count_the_filtered_events(db):
    counts = facets(db)
    assert counts["type"] == [{"value": "CONSULT", "count": 1}]
    assert counts["sector"] == [{"value": "GOV", "count": 1}]
    assert counts["month"] == [{"value": "2026-03", "count": 1}]
    assert facets(db, types=["ASSAULT"])["type"] == []


def test_api_search_facets_download(db):
    with serving(create_app(db)) as url, httpx.Client(base_url=url, timeout=30) as client:
        found = client.get("/api/search", params={"q": "Geneva"}).json()
        assert found["documents_total"] == 1 and found["evidence"][0]["type"] == "CONSULT"
        assert client.get("/api/search", params={"q": "***"}).status_code == 422
        assert client.get("/api/facets", params={"source": "USA"}).json()["status"] == [
            {"value": "happened", "count": 1}
        ]
        got = client.get("/api/events/download", params={"format": "csv", "source": "USA"})
        assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(got.text)))
        assert [r["type"] for r in rows] == ["CONSULT"]
        assert (
            client.get("/api/events/download", params={"format": "csv", "source": "FRA"}).text.count("\n")
            == 1
        )
        lines = client.get("/events.jsonl", params={"type": "CONSULT"}).text.splitlines()
        assert [json.loads(x)["doc_id"] for x in lines] == [MENTIONS_ID]
        assert client.get("/events.csv", params={"since": "yesterday"}).status_code == 422
        assert client.get("/events.xml").status_code == 422


def test_cli_search_as_a_user(db):
    found = shutil.which("communique", path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip("the communique console script is not installed (make install)")
    done = subprocess.run(
        [found, "search", "Geneva", "--db", str(db)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "CONSULT" in done.stdout and "Rubio meets Araghchi" in done.stdout
    bad = subprocess.run(
        [found, "search", "***", "--db", str(db)], capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 2 and "at least one word" in bad.stderr and "Traceback" not in bad.stderr
