"""The web dashboard and REST API over the event store (``communique serve``).

* ``app``: ``create_app(db, ...)``, the FastAPI application: it assembles the routers of
  ``api`` and ``pages``, error handling (JSON, never a traceback), request size limits,
  security headers, static files, the offline ``/docs``;
* ``api``: the JSON endpoints under ``/api``;
* ``pages``: the HTML dashboard (server-side rendered, Jinja2 with autoescaping);
* ``errors``: ``ApiError`` and the error response (JSON or an HTML page), used by all three;
* ``extract``: analysing a posted article, for ``/api/extract`` and the ``/extract`` page;
* ``data``: the questions the web asks beyond ``communique.store.queries`` (sorted and
  counted pages of events, documents, actor profiles);
* ``charts``: inline SVG charts drawn on the server;
* ``highlight``: an article's text with mentions, triggers, quotes and sentences marked.

Every request opens the store read-only for its own questions and closes it before the
response is sent (``communique.store.db``'s protocol), so an ingest into the same file
interleaves with the server. docs/web.md describes the routes.
"""

from communique.web.app import create_app

__all__ = ["create_app"]
