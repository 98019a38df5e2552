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


class MovedElsewhere(Conflict):
    """A press made on a place the show (or the awards) has already left; moved_by says who left it."""

    def __init__(self, moved_by: str | None):
        who = f" bởi {moved_by}" if moved_by else ""
        super().__init__("moved_elsewhere", f"Chương trình đã được chuyển{who}; lần bấm này không áp dụng.")
        self.moved_by = moved_by

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["moved_by"] = self.moved_by
        return body
