"""Tokens that travel in an address never reach a log or the audit trail.

A button box's press address (/press/<token>/…, show/press.py) and a pairing address
(/pair/<token>) carry a device's token in the path. Every line the server writes about a request
(the embedded server's and gunicorn's access and error logs, the audit trail's "address called")
goes through redact(), which writes them /press/… and /pair/…. docs/SHOW.md §6 tells why.
"""
from __future__ import annotations

import logging
import re

# The token is the segment after the prefix: up to the next slash, query, space or quote. Extra
# slashes (/press//<token>) and any case (/PRESS/) are covered: a mistyped address still holds a token.
TOKEN_IN_PATH = re.compile(r"(/(?:press|pair)/+)[^/?#\s\"'\\]+", re.IGNORECASE)
HIDDEN = "…"


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(lambda found: found.group(1) + HIDDEN, text)


class RedactTokens(logging.Filter):
    """A log filter: the record's message (and its traceback, if any) with every token redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def redact_logger(logger: logging.Logger) -> None:
    """Put the filter on a logger once (a logger's own filters see every record logged to it)."""
    if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
        logger.addFilter(RedactTokens())
