"""The server's way into the store: one read-only DuckDB instance for the requests in flight.

The store's protocol (``communique.store.db``) is: open read-only for a question, close,
let a waiting writer go first. A server answers many requests at once, in threads, and
opening one DuckDB database per request there is risky: DuckDB locks the file with POSIX
``fcntl`` locks, which belong to the *process*, and closing any descriptor of the file
releases the process's lock on it. A request closing the last connection of one instance
while another request opens a new one can leave the new one reading a file that nobody
has locked, and an ingest in another process can then write under it. (Seen once here
under load with a concurrent ingest: "IO Error: Could not read enough bytes from file ...
at location N", N being the size the writer had just given the file.) Reopening the file
for every burst of requests is also slow: 20 ms or more, and a cold block cache.

So the requests share one instance, opened (through ``Store.read``, with its waiting,
schema check and writer courtesy) by the first request that needs it; each request works
on its own cursor. Opening and closing happen under a mutex, never concurrently. When the
last request is done the instance stays open for ``linger`` seconds, for the next
request, but is closed at once (within ``POLL`` seconds) when a writer says it is waiting
(the store's ``.writer-waiting`` marker): an ingest in another process gets the file
between requests, as the protocol wants. A request that finds a writer waiting holds back
before joining (at most 2 s, as any reader does), so the requests in flight drain and the
writer is not starved.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from communique.store.corrections import install
from communique.store.db import Connection, Store

POLL = 0.05  # seconds between looks at an idle instance (a writer waiting? lingered enough?)


class SharedReader:
    """Read-only cursors on one shared instance of ``store``, open only while in use (and
    for ``linger`` seconds after, unless a writer is waiting)."""

    def __init__(self, store: Store, *, linger: float = 1.0) -> None:
        self.store = store
        self.linger = max(0.0, float(linger))
        self._lock = threading.Lock()
        self._users = 0
        self._opened: AbstractContextManager[Connection] | None = None
        self._base: Connection | None = None
        self._idle_since = 0.0
        self._closer: threading.Thread | None = None
        self.opens = 0  # how many times the file was opened (for tests and benchmarks)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        # A writer waiting for the file goes first: don't join the open instance meanwhile.
        self.store._yield_to_writer()
        with self._lock:
            if self._base is None:
                opened = self.store.read()
                self._base = opened.__enter__()  # waits, retries, checks the schema; may raise
                self._opened = opened
                self.opens += 1
            try:
                cursor = self._base.cursor()
                install(cursor)  # a cursor has its own temporary views: the corrected data
            except BaseException:
                self._release_if_unused()
                raise
            self._users += 1
        try:
            yield cursor
        finally:
            try:
                cursor.close()
            finally:
                with self._lock:
                    self._users -= 1
                    self._release_if_unused()

    def _writer_waiting(self) -> bool:
        """A writer has announced itself (``communique.store.db``'s marker, fresh), be it in
        another process or in this one: closing an idle instance is always safe."""
        return self.store.writer_waiting()

    def _release_if_unused(self) -> None:
        """With the lock held: close the idle instance now, or let the closer do it later."""
        if self._users or self._opened is None:
            return
        if self.linger <= 0 or self._writer_waiting():
            self._close()
            return
        self._idle_since = time.monotonic()
        if self._closer is None:
            self._closer = threading.Thread(target=self._close_when_idle, name="store-closer", daemon=True)
            self._closer.start()

    def _close_when_idle(self) -> None:
        while True:
            time.sleep(POLL)
            with self._lock:
                if self._opened is None:
                    self._closer = None
                    return
                if self._users == 0 and (
                    time.monotonic() - self._idle_since >= self.linger or self._writer_waiting()
                ):
                    self._close()
                    self._closer = None
                    return

    def _close(self) -> None:
        opened, self._opened, self._base = self._opened, None, None
        if opened is not None:
            with contextlib.suppress(Exception):
                opened.__exit__(None, None, None)

    def close(self) -> None:
        """Close the instance (at shutdown); requests still under way keep their cursors."""
        with self._lock:
            if self._users == 0:
                self._close()

    @property
    def is_open(self) -> bool:
        return self._base is not None
