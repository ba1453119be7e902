"""Corrections (issue 21): stored apart, applied with a flag in every query and export,
exported as labelled data and actor-file entries, surviving a full re-ingest; the API."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import httpx
import pytest
import yaml

import communique
from communique.store import export, ingest, query_events, top_actors, write_results
from communique.store.corrections import (
    CorrectionError,
    actor_entries,
    correct_actor,
    correct_event,
    list_corrections,
    training_rows,
)
from communique.web import create_app
from conftest import EXAMPLES
from test_web_api import MENTIONS_ID, mentions_result, serving


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "s.duckdb"
    write_results(path, [mentions_result()])
    return path


def _met(db):
    (event,) = query_events(db)
    return event["doc_id"], event["trigger"]["start"], event["trigger"]["end"]


def test_event_fix_applies_everywhere_with_a_flag(db, tmp_path):
    doc, start, end = _met(db)
    made = correct_event(
        db, doc, start, end, author="ana", reason="it was a raid", type="ASSAULT", source="RUS MIL"
    )
    assert made.patch["cameo"] == "190" and made.patch["quad_class"] == 4  # the ontology's, not typed in
    (event,) = query_events(db)
    assert (event["type"], event["cameo"], event["source"]["country"], event["source"]["sectors"]) == (
        "ASSAULT",
        "190",
        "RUS",
        ["MIL"],
    )
    assert event["corrected"] is True and event["source"]["name"] == "Marco Rubio"  # the rest is kept
    assert query_events(db, source="RUS", types=["ASSAULT"])  # filters see the corrected values
    assert not query_events(db, source="USA")
    # exports: JSONL and CSV carry the flag
    export(db, "jsonl", tmp_path / "e.jsonl")
    line = json.loads((tmp_path / "e.jsonl").read_text(encoding="utf-8"))
    assert (line["type"], line["corrected"]) == ("ASSAULT", True)
    export(db, "csv", tmp_path / "e.csv")
    with open(tmp_path / "e.csv", encoding="utf-8", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["type"], row["source_country"], row["corrected"]) == ("ASSAULT", "RUS", "True")
    assert communique.open(db).events["corrected"].tolist() == [True]
    # the extracted data is untouched
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT type, source_country FROM events").fetchall() == [("CONSULT", "USA")]
    finally:
        con.close()


def test_a_wrong_event_leaves_lists_and_becomes_a_none_label(db):
    doc, start, end = _met(db)
    correct_event(db, doc, start, end, author="ana", type="CONSULT")
    correct_event(db, doc, start, end, author="bo", wrong=True, reason="not a meeting")
    assert query_events(db) == []
    assert top_actors(db) == []
    (rule,) = list_corrections(db)  # the newest holds, with the earlier fix inside
    assert rule["patch"]["wrong"] is True and rule["patch"]["type"] == "CONSULT" and rule["author"] == "bo"
    assert len(list_corrections(db, history=True)) == 2
    (row,) = training_rows(db)
    assert row["label"] == "NONE" and row["text"].startswith("Rubio met Araghchi")


def test_actor_fix_and_actor_file(db):
    correct_actor(db, "abbas araghchi", author="ana", code="IRN GOV/MIL", reason="foreign minister")
    (event,) = query_events(db)
    assert event["target"]["sectors"] == ["GOV", "MIL"] and event["corrected"]
    actors = communique.open(db).actors.set_index("name")
    assert list(actors.loc["Abbas Araghchi", "sectors"]) == ["GOV", "MIL"]
    assert bool(actors.loc["Abbas Araghchi", "corrected"]) and not bool(
        actors.loc["Marco Rubio", "corrected"]
    )
    correct_actor(db, "Marco Rubio", author="ana", suppress=True)
    entries = actor_entries(db)
    assert {"name": "Marco Rubio", "suppress": True} in entries
    assert {
        "name": "abbas araghchi",
        "country": "IRN",
        "sectors": ["GOV", "MIL"],
        "source": "user",
    } in entries
    assert query_events(db)[0]["source"].get("country") is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"type": "PICNIC"}, "unknown event type"),
        ({"status": "maybe"}, "unknown status"),
        ({"source": "Russia"}, "three-letter"),
        ({}, "nothing to correct"),
    ],
)
def test_bad_corrections_are_clear_errors(db, kwargs, message):
    doc, start, end = _met(db)
    with pytest.raises(CorrectionError, match=message):
        correct_event(db, doc, start, end, author="ana", **kwargs)
    with pytest.raises(CorrectionError, match="no event in document"):
        correct_event(db, doc, start + 1, end, author="ana", wrong=True)
    with pytest.raises(CorrectionError, match="author"):
        correct_event(db, doc, start, end, author=" ", wrong=True)


def test_corrections_survive_a_full_reingest(tmp_path, pipeline):
    """Ingest, correct, ingest again with --replace (every document re-extracted and
    rewritten): the corrections find their events again by document id and evidence span."""
    db = tmp_path / "events.duckdb"
    inputs = [str(sorted((EXAMPLES / "articles").glob("*.txt"))[0])]
    assert ingest(inputs, db, pipeline=pipeline).stored == 1
    before = query_events(db)
    assert len(before) >= 2
    first, second = before[0], before[1]
    correct_event(
        db, first["doc_id"], first["trigger"]["start"], first["trigger"]["end"], author="ana", wrong=True
    )
    correct_event(
        db,
        second["doc_id"],
        second["trigger"]["start"],
        second["trigger"]["end"],
        author="ana",
        status="intended",
    )
    report = ingest(inputs, db, pipeline=pipeline, replace=True)
    assert report.replaced == 1
    after = query_events(db)
    assert len(after) == len(before) - 1
    fixed = [e for e in after if e["trigger"] == second["trigger"]]
    assert fixed and fixed[0]["status"] == "intended" and fixed[0]["corrected"]


def test_cli_corrections_as_a_user(db, tmp_path):
    doc, start, end = _met(db)
    found = shutil.which("communique", path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip("the communique console script is not installed (make install)")
    exe = [found]
    run = lambda *args: subprocess.run([*exe, *args], capture_output=True, text=True, timeout=120)  # noqa: E731
    done = run(
        "corrections",
        "event",
        doc,
        str(start),
        str(end),
        "--type",
        "ASSAULT",
        "--author",
        "ana",
        "--db",
        str(db),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["patch"]["type"] == "ASSAULT"
    bad = run("corrections", "event", doc, str(start), str(end), "--type", "PICNIC", "--db", str(db))
    assert bad.returncode == 2 and "unknown event type" in bad.stderr and "Traceback" not in bad.stderr
    labelled = run("corrections", "export", "--as", "training", "--db", str(db))
    (row,) = csv.DictReader(io.StringIO(labelled.stdout))
    assert row["label"] == "ASSAULT"
    run("corrections", "actor", "Marco Rubio", "--code", "USA GOV", "--author", "ana", "--db", str(db))
    entries = yaml.safe_load(run("corrections", "export", "--as", "actors", "--db", str(db)).stdout)
    assert entries == [{"name": "Marco Rubio", "country": "USA", "sectors": ["GOV"], "source": "user"}]
    # a store rebuilt from scratch takes the corrections back from their JSON lines
    history = tmp_path / "corrections.jsonl"
    history.write_text(run("corrections", "list", "--history", "--db", str(db)).stdout, encoding="utf-8")
    fresh = tmp_path / "fresh.duckdb"
    write_results(fresh, [mentions_result()])
    done = run("corrections", "import", str(history), "--db", str(fresh))
    assert done.returncode == 0 and "2 corrections added" in done.stderr, done.stderr
    assert query_events(fresh)[0]["type"] == "ASSAULT"
    assert "0 corrections added" in run("corrections", "import", str(history), "--db", str(fresh)).stderr
    (tmp_path / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    bad = run("corrections", "import", str(tmp_path / "bad.jsonl"), "--db", str(fresh))
    assert bad.returncode == 1 and "not a JSON line" in bad.stderr and "Traceback" not in bad.stderr


def test_api_corrections(db):
    with serving(create_app(db)) as url, httpx.Client(base_url=url, timeout=30) as client:
        off = client.post(
            "/api/corrections/event",
            json={"doc_id": MENTIONS_ID, "start": 6, "end": 9, "wrong": True, "author": "a"},
        )
        assert off.status_code == 403 and "allow-corrections" in off.json()["message"]
    with (
        serving(create_app(db, allow_corrections=True)) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        doc, start, end = _met(db)
        made = client.post(
            "/api/corrections/event",
            json={
                "doc_id": doc,
                "start": start,
                "end": end,
                "status": "intended",
                "author": "ana",
                "reason": "r",
            },
        )
        assert made.status_code == 200, made.text
        assert made.json()["patch"] == {"status": "intended"}
        events = client.get("/api/events").json()["items"]
        assert events[0]["status"] == "intended" and events[0]["corrected"] is True
        bad = client.post(
            "/api/corrections/event",
            json={"doc_id": doc, "start": start, "end": end, "type": "X", "author": "a"},
        )
        assert bad.status_code == 422 and "unknown event type" in bad.json()["message"]
        assert (
            client.post(
                "/api/corrections/actor", json={"name": "Nobody", "code": "USA", "author": "a"}
            ).status_code
            == 422
        )
        assert client.get("/api/corrections").json()["count"] == 1
        csv_text = client.get("/api/corrections/training.csv").text
        assert csv_text.splitlines()[0] == "text,label,doc_id,start,end,author"
        # another origin may not write
        forged = client.post(
            "/api/corrections/event",
            json={"doc_id": doc, "start": start, "end": end, "wrong": True, "author": "x"},
            headers={"Origin": "http://evil.example"},
        )
        assert forged.status_code == 403
