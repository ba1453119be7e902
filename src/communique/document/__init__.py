"""Document-level records: what one article says, once.

The sentence-level coders (actors, quotes, events) see one clause at a time. This stage
sees the whole document: its dateline, the country it is about, and every event mention;
it places generic actors ('police', 'protesters') in the country where they act and merges
the mentions that report one event into one record (``Event.mentions``).
"""

from communique.document.context import DocumentContext, build_context
from communique.document.dateline import Dateline, find_dateline

__all__ = ["Dateline", "DocumentContext", "build_context", "find_dateline"]
