"""Errors as the client sees them: ``ApiError`` and the JSON or HTML error response.

Shared by the application (its exception handlers and body-limit middleware), the API and
the pages, so that none of them imports another for it.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

STATUS_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """An error the client should see: its status and a message in plain words."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def wants_json(request: Request) -> bool:
    """JSON for the API and for clients that do not ask for HTML; HTML for browsers."""
    path = request.url.path
    if path.startswith("/api/") or path in ("/api", "/openapi.json"):
        return True
    return "text/html" not in request.headers.get("accept", "")


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    code = STATUS_CODES.get(status, "error")
    if wants_json(request):
        return JSONResponse({"error": code, "message": message, "status": status}, status, headers=headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, "page": "error"},
        status,
        headers=headers,
    )
