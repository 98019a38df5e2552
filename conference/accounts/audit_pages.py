"""Office page: the audit trail (administrators only, see auth.office_allows), filtered, exported."""
from __future__ import annotations

from flask import render_template, request

from conference.office.frame import bp, conference_id
from conference.papers.pages import XLSX, download
from . import audit


@bp.get("/audit")
def audit_trail():
    """The newest changes first: who, what, when, from where; ?q= keeps those that mention it."""
    text = request.args.get("q", "")[:100]
    return render_template("admin_audit.html", entries=audit.entries(conference_id(), text), q=text,
                           limit=audit.MAX_SHOWN)


@bp.get("/audit.<any(xlsx, csv):fmt>")
def audit_export(fmt: str):
    """The whole trail (or the filtered part) as a spreadsheet."""
    text = request.args.get("q", "")[:100]
    if fmt == "xlsx":
        return download(audit.audit_xlsx(conference_id(), text), "nhat-ky.xlsx", XLSX)
    return download(audit.audit_csv(conference_id(), text), "nhat-ky.csv", "text/csv; charset=utf-8")
