"""Data loaded once and kept for the life of the process, set aside from the cyclic garbage collector.

The spaCy model, the actor knowledge and the gazetteer are some 640,000 Python objects that live as
long as the process. Python's cyclic collector walks every object it tracks at each full collection,
about 0.4 s each time with these loaded, and full collections come every few hundred documents, in
the middle of whatever stage is running (issue 16: the coding stages' share of the parse). Once a
loader is done, ``freeze_loaded`` collects what loading left behind and moves every object then
tracked to the collector's permanent generation (``gc.freeze``), which its collections skip. Nothing
is copied or changed: reference counting frees those objects as before; only reference cycles among
them would never be collected, and loaded data has none to free.
"""

from __future__ import annotations

import gc


def freeze_loaded() -> None:
    """Set everything loaded so far aside from the cyclic collector (after a last collection)."""
    gc.collect()
    gc.freeze()
