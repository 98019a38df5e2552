"""One error type for every refused action: a stable code, a message for people, an HTTP status."""
from __future__ import annotations


class ConferenceError(Exception):
    status = 400

    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


class NotFound(ConferenceError):
    status = 404


class Conflict(ConferenceError):
    status = 409


class Forbidden(ConferenceError):
    status = 403


class Unauthorized(ConferenceError):
    status = 401
