"""Full-text search over the articles and the events' evidence, offline.

The index is SQLite FTS5 from Python's standard library, in a file beside the store
(``events.duckdb.search.sqlite``). DuckDB's own ``fts`` extension is not bundled in the
DuckDB wheel (``duckdb_extensions()`` lists it as not installed) and would be downloaded on
first use, which an offline tool cannot do; FTS5 ships inside every CPython's ``sqlite3``,
ranks by BM25, makes snippets, and needs no new dependency.

The index follows the store: before each search, ``sync`` compares the store's documents
(id and content hash) with the index's and adds, replaces or removes what changed, so an
ingest, a ``--replace`` or a deleted store is seen at the next search; the index is never a
second source of truth and can be deleted at any time (it is rebuilt).

Two tables: ``docs`` (one row per article: title and text) and ``evidence`` (one row per
event: its sentence and trigger words). A query is FTS5 syntax (words, "a phrase",
``NEAR``, ``OR``, ``-word``, ``prefix*``); a plain string of words is taken as is, and one
FTS5 cannot parse is searched as the words it contains.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from communique.store.db import Store, StoreNotFound

SUFFIX = ".search.sqlite"
_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(doc_id UNINDEXED, title, text, tokenize='unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS evidence USING fts5(
    doc_id UNINDEXED, idx UNINDEXED, sentence, trigger_text, tokenize='unicode61');
CREATE TABLE IF NOT EXISTS indexed (doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
"""
_BATCH = 2_000
_WORD = re.compile(r"\w+", re.UNICODE)
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def index_path(store: Store) -> Path:
    return store.path.with_name(store.path.name + SUFFIX)


@contextmanager
def _index(store: Store) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(index_path(store), timeout=30)) as con:
        con.executescript(_SCHEMA)
        yield con


def _file_stamp(store: Store) -> str:
    """Size and modification time of the store file and its write-ahead log."""
    parts = []
    for path in (store.path, store.path.with_name(store.path.name + ".wal")):
        try:
            st = path.stat()
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return "|".join(parts)


def _fingerprint(store: Store) -> str:
    """What changes when documents are added, replaced or removed: their count and newest ingest."""
    with store.read() as con:
        row = con.execute("SELECT count(*), max(ingested_at) FROM documents").fetchone()
    return f"{row[0]}|{row[1]}" if row else ""


def sync(store: Store) -> dict[str, int]:
    """Bring the index up to the store; returns how many documents were added and removed."""
    if not store.exists():
        raise StoreNotFound(f"no store at {store.path}")
    with _index(store) as idx:
        # the store's file (and write-ahead log) unchanged since the last sync: nothing to do,
        # without opening it
        stamp = _file_stamp(store)
        seen = idx.execute("SELECT value FROM state WHERE key = 'file'").fetchone()
        if seen and seen[0] == stamp:
            return {"added": 0, "removed": 0}
        fingerprint = _fingerprint(store)
        row = idx.execute("SELECT value FROM state WHERE key = 'fingerprint'").fetchone()
        if row and row[0] == fingerprint:
            with idx:
                idx.execute("INSERT OR REPLACE INTO state VALUES ('file', ?)", (stamp,))
            return {"added": 0, "removed": 0}
        known = dict(idx.execute("SELECT doc_id, content_hash FROM indexed").fetchall())
        with store.read() as con:
            current = dict(con.execute("SELECT id, content_hash FROM documents").fetchall())
        gone = [d for d, h in known.items() if current.get(d) != h]
        new = [d for d, h in current.items() if known.get(d) != h]
        with idx:
            for start in range(0, len(gone), _BATCH):
                chunk = [(d,) for d in gone[start : start + _BATCH]]
                idx.executemany("DELETE FROM docs WHERE doc_id = ?", chunk)
                idx.executemany("DELETE FROM evidence WHERE doc_id = ?", chunk)
                idx.executemany("DELETE FROM indexed WHERE doc_id = ?", chunk)
            for start in range(0, len(new), _BATCH):
                chunk = new[start : start + _BATCH]
                with store.read() as con:
                    docs = con.execute(
                        "SELECT id, coalesce(title, ''), coalesce(text, ''), content_hash FROM documents "
                        "WHERE id IN (SELECT unnest($ids))",
                        {"ids": chunk},
                    ).fetchall()
                    # the evidence as extracted: a search finds what the text says, corrected or not
                    evidence = con.execute(
                        f"SELECT doc_id, idx, coalesce(sentence_text, ''), coalesce(trigger_text, '') "
                        f"FROM {_stored(con)}.events WHERE doc_id IN (SELECT unnest($ids))",
                        {"ids": chunk},
                    ).fetchall()
                idx.executemany("INSERT INTO docs VALUES (?, ?, ?)", [d[:3] for d in docs])
                idx.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?)", evidence)
                idx.executemany("INSERT OR REPLACE INTO indexed VALUES (?, ?)", [(d[0], d[3]) for d in docs])
            idx.execute("INSERT OR REPLACE INTO state VALUES ('fingerprint', ?)", (fingerprint,))
            idx.execute("INSERT OR REPLACE INTO state VALUES ('file', ?)", (stamp,))
    return {"added": len(new), "removed": len(gone)}


def _stored(con: Any) -> str:
    from communique.store.corrections import stored

    return stored(con)


def _match(query: str) -> str:
    """The query as FTS5 syntax: as written when it parses, else its words (each quoted)."""
    words = _WORD.findall(query)
    if not words:
        raise ValueError("search for at least one word")
    with closing(sqlite3.connect(":memory:")) as probe:
        probe.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        try:
            probe.execute("SELECT * FROM t WHERE t MATCH ?", (query,)).fetchall()
            return query
        except sqlite3.OperationalError:
            return " ".join(f'"{w}"' for w in words if w not in _OPERATORS) or f'"{words[0]}"'


def search(
    db: Store | str | Path, query: str, *, limit: int = 20, offset: int = 0, what: str = "all"
) -> dict[str, Any]:
    """Articles and event evidence matching ``query``, best first (BM25), with snippets
    (the matched words between « and »). ``what``: 'documents', 'evidence' or 'all'."""
    if what not in ("all", "documents", "evidence"):
        raise ValueError("what is 'all', 'documents' or 'evidence'")
    store = db if isinstance(db, Store) else Store(db)
    sync(store)
    match = _match(query)
    limit, offset = max(0, min(int(limit), 500)), max(0, int(offset))
    found: dict[str, Any] = {"query": query, "documents": [], "evidence": []}
    with _index(store) as idx:
        if what in ("all", "documents"):
            found["documents_total"] = idx.execute(
                "SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)
            ).fetchone()[0]
            found["documents"] = [
                {"doc_id": d, "title": t or None, "snippet": s}
                for d, t, s in idx.execute(
                    "SELECT doc_id, title, snippet(docs, 2, '«', '»', ' … ', 16) FROM docs "
                    "WHERE docs MATCH ? ORDER BY bm25(docs, 5.0, 1.0) LIMIT ? OFFSET ?",
                    (match, limit, offset),
                ).fetchall()
            ]
        if what in ("all", "evidence"):
            found["evidence_total"] = idx.execute(
                "SELECT count(*) FROM evidence WHERE evidence MATCH ?", (match,)
            ).fetchone()[0]
            hits = idx.execute(
                "SELECT doc_id, idx, snippet(evidence, 2, '«', '»', ' … ', 24) FROM evidence "
                "WHERE evidence MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
                (match, limit, offset),
            ).fetchall()
            found["evidence"] = _events_of(store, hits)
    return found


def _events_of(store: Store, hits: list[tuple[str, int, str]]) -> list[dict[str, Any]]:
    """The events of the evidence hits as the store now has them (corrected; one marked wrong
    is left out), in the hits' order."""
    if not hits:
        return []
    with store.read() as con:
        rows = con.execute(
            "SELECT doc_id, idx, type, status, source_country, source_name, target_country, target_name, "
            "corrected FROM events WHERE doc_id IN (SELECT unnest($docs))",
            {"docs": sorted({h[0] for h in hits})},
        ).fetchall()
    events = {(r[0], r[1]): r for r in rows}
    out = []
    for doc_id, idx, snippet in hits:
        row = events.get((doc_id, int(idx)))
        if row is None:
            continue
        out.append(
            {
                "doc_id": doc_id,
                "idx": int(idx),
                "snippet": snippet,
                "type": row[2],
                "status": row[3],
                "source": row[4] or row[5],
                "target": row[6] or row[7],
                "corrected": row[8],
            }
        )
    return out
