"""The store as pandas DataFrames, for notebooks: ``communique.open("events.duckdb")``.

>>> import communique                                         # doctest: +SKIP
>>> store = communique.open("events.duckdb")                  # doctest: +SKIP
>>> store.events.groupby("type").size()                       # doctest: +SKIP

The frames' columns are the stored tables' flat columns (``store/columns.py``, derived from
the models), less the verbatim ``*_json`` record and the bulky article text; dates are
``datetime64`` (``pandas.Timestamp``), lists stay lists. Each property reads the file when
asked (read-only, closed at once, so an ingest can run meanwhile) and sees the corrections
applied, as every query does (``corrected`` says which rows a correction changed).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from communique.store.columns import ACTOR_MENTIONS, DOCUMENTS, EVENTS, QUOTES, Table
from communique.store.db import Store, StoreNotFound

if TYPE_CHECKING:
    import pandas as pd

# Columns a notebook frame leaves out: the record verbatim (its fields are the other columns)
# and the article text (read it with ``documents(text=True)``).
_HIDDEN = frozenset({"event_json", "mention_json", "quote_json", "entities_json", "places_json", "text"})
_DATES = ("date", "ingested_at")


class Frames:
    """One store file, its tables as DataFrames."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.store = Store(path, timeout=timeout)
        if not self.store.exists():
            raise StoreNotFound(f"no store at {self.store.path}")

    def __repr__(self) -> str:
        return f"communique.open({str(self.store.path)!r})"

    def _frame(self, table: Table, *, keep: frozenset[str] = frozenset()) -> pd.DataFrame:
        import pandas as pd

        with self.store.read() as con:
            present = [r[0] for r in con.execute(f"SELECT * FROM {table.name} LIMIT 0").description]
            wanted = [c.name for c in table.columns if c.name not in _HIDDEN or c.name in keep]
            extra = [c for c in present if c not in wanted and c not in _HIDDEN]  # e.g. 'corrected'
            names = [c for c in wanted if c in present] + extra
            frame: pd.DataFrame = con.execute(f"SELECT {', '.join(names)} FROM {table.name}").df()
        for name in _DATES:
            if name in frame.columns:
                frame[name] = pd.to_datetime(frame[name])
        return frame

    @property
    def events(self) -> pd.DataFrame:
        """One row per event: type, codes, status, source_*/target_* actors, trigger, place."""
        return self._frame(EVENTS)

    @property
    def actors(self) -> pd.DataFrame:
        """One row per actor mention: its words, span, country, sectors, name, role, kind."""
        return self._frame(ACTOR_MENTIONS)

    @property
    def quotes(self) -> pd.DataFrame:
        """One row per quote: kind, content, cue, speaker_*."""
        return self._frame(QUOTES)

    def documents(self, *, text: bool = False) -> pd.DataFrame:
        """One row per article: id, title, date, url, outlet, counts (``text=True``: its text)."""
        return self._frame(DOCUMENTS, keep=frozenset({"text"}) if text else frozenset())


def open_store(path: str | Path, *, timeout: float = 30.0) -> Frames:
    """The store at ``path`` for a notebook: ``.events``, ``.actors``, ``.quotes`` DataFrames."""
    return Frames(path, timeout=timeout)
