"""`communique ingest` killed with SIGKILL after its first committed batch, then run again:
every document ends up in the store exactly once, with all its rows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from communique.io import read_inputs
from communique.models import Document
from communique.store import Store, ingest
from conftest import EXAMPLES, REPO

N_DOCS = 24
BATCH = 4

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]


def make_corpus(path) -> None:
    """The examples, repeated to N_DOCS documents, each copy with its own id and text."""
    docs = [d for d in read_inputs([str(EXAMPLES)]) if isinstance(d, Document)]
    with path.open("w", encoding="utf-8") as out:
        for i in range(N_DOCS):
            d = docs[i % len(docs)]
            text = d.text if i < len(docs) else f"{d.text}\n\n(Copy {i}.)"
            out.write(
                json.dumps(
                    {
                        "id": f"k{i:03d}",
                        "date": d.date.isoformat() if d.date else None,
                        "url": d.url,
                        "text": text,
                    }
                )
                + "\n"
            )


def command(corpus, db) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from communique.cli import main; main()",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--batch-size",
        str(BATCH),
        "-v",
    ]


def check_each_document_once(db, expected: int) -> int:
    with Store(db, timeout=10).read() as con:

        def one(sql: str):
            return con.execute(sql).fetchone()

        docs, ids, hashes = one(
            "SELECT count(*), count(DISTINCT id), count(DISTINCT content_hash) FROM documents"
        )
        assert docs == ids == hashes
        if expected:
            assert docs == expected
        for table in ("events", "actor_mentions", "quotes"):
            assert one(
                f"SELECT count(*) FROM (SELECT doc_id, idx FROM {table} GROUP BY ALL HAVING count(*) > 1)"
            ) == (0,)
            assert one(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)") == (0,)
        # every stored document has all its rows: a batch is committed whole or not at all
        mismatched = one("""
            SELECT count(*) FROM documents d
            WHERE n_events <> (SELECT count(*) FROM events e WHERE e.doc_id = d.id)
               OR n_actors <> (SELECT count(*) FROM actor_mentions m WHERE m.doc_id = d.id)
               OR n_quotes <> (SELECT count(*) FROM quotes q WHERE q.doc_id = d.id)""")
        assert mismatched == (0,)
    return docs


def test_killed_ingest_resumes_with_every_document_exactly_once(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    make_corpus(corpus)
    db = tmp_path / "killed.duckdb"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        command(corpus, db), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=REPO, env=env
    )
    seen = []
    try:
        for line in proc.stderr:  # type: ignore[union-attr]
            seen.append(line)
            if "batch 1 committed" in line:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    stored = check_each_document_once(db, 0)
    assert BATCH <= stored < N_DOCS, f"killed after the first batch, {stored} of {N_DOCS} stored"
    assert stored % BATCH == 0  # whole batches only

    rerun = subprocess.run(
        command(corpus, db), capture_output=True, text=True, cwd=REPO, env=env, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{N_DOCS - stored} documents stored" in rerun.stderr
    assert f"{stored} already stored" in rerun.stderr
    check_each_document_once(db, N_DOCS)

    # and once more, through the Python API: everything is known, nothing is even analysed
    report = ingest([str(corpus)], db)
    assert (report.stored, report.duplicates, report.failed) == (0, N_DOCS, 0)
    check_each_document_once(db, N_DOCS)
