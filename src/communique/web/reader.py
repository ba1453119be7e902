"""The server's way into the store: one read-only DuckDB instance for the requests in flight.

The store's protocol (``communique.store.db``) is: open read-only for a question, close,
let a waiting writer go first. A server answers many requests at once, in threads, and
opening one DuckDB database per request there is unsafe: DuckDB locks the file with POSIX
``fcntl`` locks, which belong to the *process*, and closing any descriptor of the file
releases the process's lock on it. One request closing its connection while another has
just opened its own leaves the second reading a file that nobody has locked, and an
ingest in another process can then write under it ("Could not read enough bytes" and
worse). This happens readily with a dozen concurrent requests.

So the requests share one instance, opened (through ``Store.read``, with its waiting,
schema check and writer courtesy) by the first request that needs it and closed by the last
one to finish; each request works on its own cursor. Opening and closing happen under a
mutex, never concurrently. Between bursts of requests the file is closed, so an ingest
gets in; a request that finds a writer waiting (its ``.writer-waiting`` marker fresh) holds
back before joining, so that the requests in flight drain and the writer is not starved.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from communique.store.db import Connection, Store


class SharedReader:
    """Read-only cursors on one shared instance of ``store``, open only while in use."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._users = 0
        self._opened: AbstractContextManager[Connection] | None = None
        self._base: Connection | None = None
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

    def _release_if_unused(self) -> None:
        """Close the instance when no request uses it (call with the lock held)."""
        if self._users == 0 and self._opened is not None:
            opened, self._opened, self._base = self._opened, None, None
            opened.__exit__(None, None, None)

    @property
    def is_open(self) -> bool:
        return self._base is not None
