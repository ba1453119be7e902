"""communique: political event data from news text, offline.

>>> import communique                                    # doctest: +SKIP
>>> result = communique.Pipeline().process_text("Rubio met Lavrov in Geneva.")  # doctest: +SKIP
"""

from __future__ import annotations

import os as _os
import signal as _signal

__version__ = "0.1.0"

#: Set by ``communique extract --engine dask`` for the worker processes of the cluster it starts: they
#: import this package first thing (as the main module), and leave Ctrl-C to the command, which cancels
#: the run and closes the cluster; each would otherwise end with a KeyboardInterrupt traceback of its own.
WORKER_ENV = "COMMUNIQUE_WORKER_PROCESS"


def _quiet_after_ctrl_c(signum: int, frame: object) -> None:
    """A worker's Ctrl-C: the command is closing the cluster, so the worker's own complaints
    that the scheduler went away ('Failed to communicate with scheduler') are noise."""
    import logging

    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in ("distributed", "tornado")]
    for name in ("distributed", *names):
        logging.getLogger(name).setLevel(logging.CRITICAL)


if _os.environ.get(WORKER_ENV) == "1":
    _signal.signal(_signal.SIGINT, _quiet_after_ctrl_c)

from communique.models import Actor, ActorMention, Document, Event, Problem, Quote, Result  # noqa: E402

__all__ = [
    "Actor",
    "ActorMention",
    "Document",
    "Event",
    "Pipeline",
    "Problem",
    "Quote",
    "Result",
    "__version__",
    "extract",
    "open",
    "resolve_actor",
]


def __getattr__(name: str) -> object:
    # Lazy: `import communique` stays fast; spaCy loads only when the pipeline is used.
    if name in ("Pipeline", "extract"):
        from communique import pipeline

        return getattr(pipeline, name)
    if name == "open":
        from communique.store.frames import open_store

        return open_store
    if name == "resolve_actor":
        from communique.actors import resolve_actor

        return resolve_actor
    raise AttributeError(name)
