"""Structured JSON errors, in the shape Perspective's clients already parse.

Every error the service returns — a bad body, a missing key, a rate limit, a body too large, a
crash — is ``{"error": {"code": <HTTP status>, "status": <NAME>, "message": <one sentence>}}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiemchung.errors import InputError, KiemchungError, out_of_room

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    """An error with its HTTP status, a machine-readable status name and a message."""

    def __init__(
        self, code: int, status: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.code, self.status, self.message, self.headers = code, status, message, headers


def error_response(
    code: int, message: str, status: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {
        "error": {
            "code": code,
            "status": status or _STATUS_NAMES.get(code, "UNKNOWN"),
            "message": message,
        }
    }
    return JSONResponse(body, status_code=code, headers=headers)


def _validation_message(errors: list[dict[str, Any]]) -> str:
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    return f"{where or 'body'}: {first.get('msg', 'invalid request')}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.code, exc.message, exc.status, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, _validation_message(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        return error_response(400, str(exc))

    @app.exception_handler(KiemchungError)
    async def _ours(_: Request, exc: KiemchungError) -> JSONResponse:
        return error_response(422, str(exc), "FAILED_PRECONDITION")

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        if full := out_of_room(exc):  # the server's disk, not the caller's request
            return error_response(507, str(full), "RESOURCE_EXHAUSTED")
        return error_response(500, f"internal error ({type(exc).__name__}); see the server log")
