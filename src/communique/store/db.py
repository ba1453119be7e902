"""Opening the store: one DuckDB file, shared between processes by taking turns.

DuckDB lets one process open a database file read-write only while no other process has
it open at all; any number of processes may open it read-only together. The store
therefore never keeps the file open while idle:

* a writer (``communique ingest``) opens it read-write for one batch, writes the batch in
  one transaction, commits and closes it, and does its slow work (reading, analysing)
  with the file closed;
* a reader (``communique query``, a dashboard request) opens it read-only for one
  question and closes it;
* whoever finds the file locked waits and retries with exponential backoff (50 ms
  doubling to 1 s for readers, 0.25 s for writers, with jitter) up to ``timeout`` seconds,
  then fails with ``StoreLocked`` naming the holder, never a half-written file;
* a writer that has to wait says so in ``<file>.writer-waiting`` (its pid, touched at
  each retry, removed once it is in); readers about to open the file let it go first
  (for at most 2 s), so that a busy reader cannot starve an ingest. A marker older than
  3 s is ignored (its writer died).

So a running server and an ingest interleave: the server's requests get the file between
batches, and a batch waits at most for the requests under way. docs/store.md describes
the protocol.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from communique import __version__
from communique.store.columns import STORED
from communique.store.schema import (
    CLUSTERS_TABLE,
    DDL,
    DEFAULT_CLUSTER_WINDOW,
    MIGRATES_FROM,
    SCHEMA_VERSION,
    clusters_sql,
)

DEFAULT_DB = "events.duckdb"
DEFAULT_TIMEOUT = 30.0  # seconds a reader or writer waits for the file
_YIELD_AT_MOST = 2.0  # seconds a reader lets a waiting writer go first
_MARKER_FRESH = 3.0  # a writer-waiting marker older than this is stale (its writer died)

Connection = duckdb.DuckDBPyConnection


class StoreError(Exception):
    """A problem with the store file, in words a user can act on."""


class StoreNotFound(StoreError):
    pass


class StoreLocked(StoreError):
    pass


_PID = re.compile(r"\(PID (\d+)\)")


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() or "different configuration" in text


class Store:
    """A store file and how long to wait for it.

    >>> store = Store("events.duckdb")                       # doctest: +SKIP
    >>> with store.read() as con:                             # doctest: +SKIP
    ...     con.execute("SELECT count(*) FROM events").fetchone()
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = max(0.0, float(timeout))
        self._window: int | None = None

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.is_file()

    # -- connections ------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only connection for one question; closed on leaving the block."""
        if not self.path.exists():
            raise StoreNotFound(
                f"no store at {self.path}: create it with `communique ingest INPUT... --db {self.path}`"
            )
        con = self._open(read_only=True)
        try:
            self._check(con)
            from communique.store.corrections import install

            install(con)  # readers see the data corrected (store/corrections.py)
            yield con
        finally:
            con.close()

    @contextmanager
    def write(self, *, cluster_window: int | None = None) -> Iterator[Connection]:
        """A read-write connection for one batch (created with its tables if new).

        Open a transaction inside (``con.begin()`` ... ``con.commit()``) for atomic writes.
        ``cluster_window`` sets the clustering window (days) of a new store; an existing
        store keeps its own.
        """
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not a store file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {self.path}: {exc}") from None
        con = self._open(read_only=False)
        try:
            self._create_or_check(con, cluster_window)
            yield con
        finally:
            con.close()

    @property
    def _waiting_marker(self) -> Path:
        return self.path.with_name(self.path.name + ".writer-waiting")

    def writer_waiting(self) -> bool:
        """A writer has announced itself (its marker is fresh), in this process or another."""
        try:
            return time.time() - self._waiting_marker.stat().st_mtime < _MARKER_FRESH
        except OSError:
            return False

    def _yield_to_writer(self) -> None:
        """A reader lets a waiting writer in first (at most a few seconds), so that a busy
        reader, such as a dashboard, cannot starve an ingest."""
        marker = self._waiting_marker
        deadline = time.monotonic() + min(self.timeout, _YIELD_AT_MOST)
        while time.monotonic() < deadline:
            try:
                fresh = time.time() - marker.stat().st_mtime < _MARKER_FRESH
                mine = marker.read_text(encoding="ascii").strip() == str(os.getpid())
            except (OSError, ValueError):
                return  # no writer waiting
            if not fresh or mine:
                return
            time.sleep(0.02)

    def _open(self, *, read_only: bool) -> Connection:
        if read_only:
            self._yield_to_writer()
        deadline = time.monotonic() + self.timeout
        delay = 0.05
        waiting = False
        try:
            while True:
                try:
                    return duckdb.connect(str(self.path), read_only=read_only)
                except (duckdb.IOException, duckdb.ConnectionException) as exc:
                    if not _is_lock_error(exc):
                        raise self._explain(exc) from None
                    if time.monotonic() + delay > deadline:
                        holder = _PID.search(str(exc))
                        who = f"process {holder.group(1)}" if holder else "another connection"
                        raise StoreLocked(
                            f"{self.path} is in use by {who} (waited {self.timeout:g} s); "
                            "try again when it has finished, or give a longer --wait"
                        ) from None
                    if not read_only:
                        waiting = self._announce() or waiting
                    time.sleep(delay * (0.5 + random.random()))
                    delay = min(delay * 2, 1.0 if read_only else 0.25)
                except duckdb.Error as exc:
                    raise self._explain(exc) from None
        finally:
            if waiting:
                with contextlib.suppress(OSError):
                    self._waiting_marker.unlink()

    def _announce(self) -> bool:
        """Tell readers a writer is waiting (touching the marker keeps it fresh)."""
        try:
            self._waiting_marker.write_text(str(os.getpid()), encoding="ascii")
        except OSError:
            return False  # a read-only folder: no marker, the backoff alone still works
        return True

    def _explain(self, exc: Exception) -> StoreError:
        text = str(exc)
        if "not a valid DuckDB database" in text or "Is a directory" in text:
            return StoreError(f"{self.path} is not a communique store (not a DuckDB database file)")
        if "No such file" in text or "does not exist" in text:
            return StoreNotFound(f"no store at {self.path}")
        if "newer" in text.lower() or "version" in text.lower():
            return StoreError(f"{self.path} was written by another DuckDB version: {text}")
        return StoreError(f"cannot open {self.path}: {text}")

    # -- schema -----------------------------------------------------------------------------
    @staticmethod
    def _meta(con: Connection) -> dict[str, str] | None:
        """The store's settings, or None when the database has no meta table."""
        try:
            rows = con.execute(
                "SELECT key, value FROM meta WHERE key IN ('schema_version', 'cluster_window_days')"
            ).fetchall()
        except duckdb.CatalogException:
            return None
        return dict(rows)

    def _check(self, con: Connection, meta: dict[str, str] | None = None) -> None:
        meta = self._meta(con) if meta is None else meta
        if meta is None:
            raise StoreError(
                f"{self.path} is a DuckDB database but not a communique store (it has no meta table)"
            )
        if "schema_version" not in meta:
            raise StoreError(f"{self.path} is not a communique store (no schema version)")
        version = int(meta["schema_version"])
        if not MIGRATES_FROM <= version <= SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has store schema {version}; this communique reads schema "
                f"{MIGRATES_FROM} to {SCHEMA_VERSION}"
            )
        self._window = int(meta.get("cluster_window_days", DEFAULT_CLUSTER_WINDOW))

    def _create_or_check(self, con: Connection, cluster_window: int | None) -> None:
        meta = self._meta(con)
        if meta is not None:
            self._check(con, meta)
            if int(meta["schema_version"]) < SCHEMA_VERSION:
                _migrate(con)
            return
        if con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0]:  # type: ignore[index]
            raise StoreError(f"{self.path} is a DuckDB database but not a communique store")
        window = DEFAULT_CLUSTER_WINDOW if cluster_window is None else int(cluster_window)
        if window < 1:
            raise StoreError(f"the cluster window must be at least one day, not {window}")
        con.begin()
        con.execute(DDL)
        con.execute(CLUSTERS_TABLE)
        con.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("schema_version", str(SCHEMA_VERSION)),
                ("cluster_window_days", str(window)),
                ("created_at", datetime.now(UTC).isoformat(timespec="seconds")),
                ("created_by", f"communique {__version__}"),
            ],
        )
        con.commit()
        self._window = window

    @property
    def cluster_window(self) -> int:
        """Days per event-cluster window (fixed when the store is created)."""
        if self._window is None:
            with self.read():
                pass
        return self._window or DEFAULT_CLUSTER_WINDOW


def _migrate(con: Connection) -> None:
    """Bring an older store to this schema: the columns the spec has gained are added
    (empty for the rows already stored, which their *_json columns still describe whole),
    and ``event_clusters``, a view before schema 4, becomes a table computed once here."""
    con.begin()
    for table in STORED:
        have = {row[0] for row in con.execute(f"DESCRIBE {table.name}").fetchall()}
        for column in table.columns:
            if column.name not in have:
                con.execute(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {column.sql}")
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'event_clusters'"
    ).fetchall()
    if kind and kind[0][0] == "VIEW":
        con.execute("DROP VIEW event_clusters")
    elif kind:
        con.execute("DROP TABLE event_clusters")  # its columns may have changed with the events'
    con.execute(f"CREATE TABLE event_clusters AS {clusters_sql()}")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
    con.commit()


@contextmanager
def reading(db: Store | str | Path | Connection, *, timeout: float | None = None) -> Iterator[Connection]:
    """A connection to read from: ``db`` itself when it is one that reads through the corrected
    views (store/corrections.py), a cursor of it with those views when it is another, else a
    fresh read-only one."""
    if isinstance(db, duckdb.DuckDBPyConnection):
        from communique.store.corrections import install, installed

        if installed(db):
            yield db
            return
        cursor = db.cursor()
        try:
            install(cursor)
            yield cursor
        finally:
            cursor.close()
        return
    store = (
        db if isinstance(db, Store) else Store(db, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    )
    with store.read() as con:
        yield con


def as_store(db: Store | str | Path, *, timeout: float | None = None) -> Store:
    if isinstance(db, Store):
        return db
    return Store(db, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
