"""One error type for every refused action: a stable code, a message for people, an HTTP status.

The message is a msgid of the catalogue (Vietnamese) with its values kept apart, and it is put in
a language only where a person reads it: the API's answer in the request's language, an office page
in the page's, the command line in CONFERENCE_LANG's. So a refusal raised deep in a service reaches
an English MC console in English, and its values (a name, a number) are never translated.
babel.cfg names these classes as extraction keywords: their second argument is a msgid.
"""
from __future__ import annotations

from typing import Callable

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a msgid for the catalogue where it is written; it is translated later, where it is read."""
    return message


class Translatable:
    """Something said to a person: text(translate) is it in the language of TRANSLATE (a gettext),
    in Vietnamese without one. A value of a message that is Translatable is put in the message's
    language with it; any other value (a name, a number) stays as it is."""

    def text(self, translate: Translate | None = None) -> str:
        raise NotImplementedError

    @property
    def message(self) -> str:
        """In Vietnamese (logs, the audit trail, Vietnamese pages)."""
        return self.text()

    def localized(self) -> str:
        """In the current request's language (Vietnamese outside a request: the CLI uses text())."""
        from flask import has_app_context
        if not has_app_context():
            return self.text()
        from flask_babel import gettext
        return self.text(gettext)


def render(msgid: str, values: dict, translate: Translate | None = None) -> str:
    """MSGID in the language of TRANSLATE, its %(name)s places filled with VALUES."""
    template = translate(msgid) if translate else msgid
    if not values:
        return template
    return template % {key: value.text(translate) if isinstance(value, Translatable) else value
                       for key, value in values.items()}


class Label(str, Translatable):
    """A value that is itself a msgid: a field's name in "Cần nhập “%(field)s”."."""

    def text(self, translate: Translate | None = None) -> str:
        return translate(self) if translate else str(self)


class ConferenceError(Exception, Translatable):
    status = 400

    def __init__(self, code: str, msgid: str, status: int | None = None, **values):
        self.code = code
        self.msgid = msgid
        self.values = values
        if status is not None:
            self.status = status
        super().__init__(self.message)

    def text(self, translate: Translate | None = None) -> str:
        """The message in the language of TRANSLATE (a gettext); Vietnamese without one."""
        return render(self.msgid, self.values, translate)

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.localized()}}


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
        if moved_by:
            super().__init__("moved_elsewhere", N_("Chương trình đã được chuyển bởi %(who)s; lần bấm này không áp dụng."),
                             who=moved_by)
        else:
            super().__init__("moved_elsewhere", N_("Chương trình đã được chuyển; lần bấm này không áp dụng."))
        self.moved_by = moved_by

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["moved_by"] = self.moved_by
        return body
