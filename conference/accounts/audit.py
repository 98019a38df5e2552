"""The audit trail: every change a request commits records who (account or device), what, when
and from where, in the same transaction as the change, so the two are kept or lost together.

No domain function has to remember it: watch_writes() (called once by create_app) notes the rows
flushed or bulk-written inside a write_transaction, and write_transaction calls record_change just
before its commit, which adds one AuditEntry if the request has a principal and changed something
other than its own session's bookkeeping.
"""
from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from conference.core.db import db, in_write_transaction
from conference.core.log_redaction import redact
from conference.core.models import AuditEntry, LoginSession, SignInFailure
from conference.core.dates import to_local
from conference.core.spreadsheets import csv_safe, text_cell

TOUCHED = "audit_touched"
QUIET = {LoginSession.__tablename__, AuditEntry.__tablename__,  # sign-ins, last seen, wrong passwords:
         SignInFailure.__tablename__}  # not changes
BACKGROUND = "show_state"  # every change bumps its version; named only when nothing else changed
LOG_ONLY = {"scan"}  # a refused scan is logged there and changes nothing: not an entry of its own
MAX_SHOWN, MAX_EXPORTED = 500, 100_000
HEADERS = ["Thời điểm", "Ai", "Việc", "Địa chỉ gọi", "Dữ liệu ghi", "Từ máy"]


def _note(session: Session, what: str) -> None:
    if in_write_transaction():
        touched = session.info.setdefault(TOUCHED, [])
        if what not in touched:
            touched.append(what)


def watch_writes() -> None:
    """Note the rows every session flushes or bulk-writes inside a write transaction (once)."""
    for name, listener in (("after_flush", _after_flush), ("do_orm_execute", _bulk), ("after_rollback", _forget)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _after_flush(session, _context):
    for kind, objects in (("+", session.new), ("~", session.dirty), ("-", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table and table not in QUIET:
                identity = sa.inspect(obj).identity
                _note(session, f"{kind}{table} {identity[0] if identity else ''}".strip())


def _bulk(state):
    """A statement run through the session (the door's are Core statements: checkin/lookups.py),
    noted as the unit of work notes its rows, less the id, which is not known before it runs."""
    kind = "+" if state.is_insert else "-" if state.is_delete else "~" if state.is_update else None
    if kind:
        table = getattr(state.statement, "table", None)
        if table is not None and table.name not in QUIET:
            _note(state.session, f"{kind}{table.name}")


# The entry is a plain INSERT on the transaction's connection, not an object for the unit of work
# to flush: it is written on every check-in while the write lock is held, and flushing an object
# costs many times the Python calls of this one statement.
_INSERT_ENTRY = sa.insert(AuditEntry.__table__)


def record_change(session: Session) -> None:
    """One row for the change this request is about to commit (nothing for reads and sign-ins)."""
    if not in_write_transaction() or not has_request_context():
        return
    session.flush()  # the rows still pending are noted too
    touched = session.info.pop(TOUCHED, [])
    principal = g.get("principal")
    if principal is None or all(_table(what) in LOG_ONLY for what in touched):
        return
    shown = [what for what in touched if _table(what) != BACKGROUND] or touched
    # The conference changed, when one was: the office may be preparing one that is not active.
    changed = session.info.get("changed") or ()
    conference_id = next(iter(changed)) if len(changed) == 1 else principal.conference_id
    session.connection().execute(_INSERT_ENTRY, {
        "conference_id": conference_id, "user_id": principal.user_id,
        "device_id": principal.device_id, "actor": _actor(principal)[:200],
        "action": (request.endpoint or "?")[:80],
        "target": redact(f"{request.method} {request.full_path.rstrip('?')}")[:300],  # no token
        "detail": ", ".join(shown)[:500], "ip": (request.remote_addr or "")[:45] or None})


def _forget(session):
    session.info.pop(TOUCHED, None)


def _table(what: str) -> str:
    return what[1:].split(" ", 1)[0]


def _actor(principal) -> str:
    if principal.user_id is not None:
        return f"{principal.label} (tài khoản #{principal.user_id})"
    return f"{principal.label} (thiết bị #{principal.device_id}, {principal.role.value})"


def entries(conference_id: int, text: str | None = None, limit: int = MAX_SHOWN) -> list[AuditEntry]:
    """The newest entries of this conference, those whose author, action, address or rows
    contain the text (any case) if one is given."""
    query = sa.select(AuditEntry).where(AuditEntry.conference_id == conference_id)
    text = (text or "").strip()[:100]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(*(sa.func.lower(column).like(pattern.lower(), escape="\\")
                                     for column in (AuditEntry.actor, AuditEntry.action,
                                                    AuditEntry.target, AuditEntry.detail))))
    return list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


def _row(entry: AuditEntry) -> list:
    return [to_local(entry.at).replace(microsecond=0, tzinfo=None), entry.actor, entry.action, entry.target,
            entry.detail or "", entry.ip or ""]


def audit_csv(conference_id: int, text: str | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for entry in entries(conference_id, text, MAX_EXPORTED):
        moment, *rest = _row(entry)
        writer.writerow([f"{moment:%d/%m/%Y %H:%M:%S}", *(csv_safe(value) for value in rest)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def audit_xlsx(conference_id: int, text: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhật ký"
    for column, title in enumerate(HEADERS, start=1):
        text_cell(sheet, 1, column, title).font = Font(bold=True)
    for line, entry in enumerate(entries(conference_id, text, MAX_EXPORTED), start=2):
        moment, *rest = _row(entry)
        sheet.cell(line, 1, moment).number_format = "dd/mm/yyyy hh:mm:ss"
        for column, value in enumerate(rest, start=2):
            text_cell(sheet, line, column, value)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
