"""The conference's documents (tài liệu hội nghị): PDFs the office adds, optionally tied to an
agenda item, which delegates read on their page. A document is visible once added, held back
until its item starts, or internal (the office's only). The file is kept under the instance
folder by its sha256, so the same report uploaded twice is stored once."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask import current_app

from conference.core.db import db, is_id, write_transaction
from conference.core.errors import N_, ConferenceError, NotFound
from conference.core.fields import Codes, bounded_text
from conference.core.models import AgendaItem, ConferenceDocument, DocumentVisibility
from conference.core.pdfs import pdf_pages
from conference.core.state import bump_version

MAX_TITLE = 300
FOLDER = "documents"


def too_large(limit: int) -> ConferenceError:
    return ConferenceError("document_too_large", "Tệp quá lớn: tài liệu tối đa %(mb)d MB.", 413,
                           mb=max(limit // (1024 * 1024), 1))


def size_limit() -> int:
    """A document's largest size: the request limit (a phone on weak Wi-Fi must fetch it too)."""
    return int(current_app.config.get("DOCUMENT_MAX_BYTES") or current_app.config["MAX_CONTENT_LENGTH"])


def read_bounded(stream: BinaryIO, declared: int | None = None) -> bytes:
    """A file's bytes, refused once it is past the limit, without reading it whole first."""
    limit = size_limit()
    if declared is not None and declared > limit:
        raise too_large(limit)
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise too_large(limit)
    return content


def parse_visibility(value: object) -> DocumentVisibility:
    try:
        return DocumentVisibility(value or DocumentVisibility.VISIBLE.value)
    except ValueError:
        raise ConferenceError("invalid_visibility", "Chế độ hiển thị phải là: hiện ngay, giữ đến khi mục bắt đầu, "
                                                    "hoặc nội bộ.") from None


def _item(session, conference_id: int, position: object) -> AgendaItem | None:
    """The agenda item at this position (the number the agenda shows), or None for none."""
    if position in (None, ""):
        return None
    number = int(position) if isinstance(position, str) and position.isdigit() else position
    item = session.scalar(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id,
                                                      AgendaItem.position == number)) if is_id(number) else None
    if item is None:
        raise ConferenceError("unknown_item", "Không có mục %(item)s trong chương trình.", item=str(position)[:20])
    return item


def folder() -> Path:
    return Path(current_app.instance_path) / FOLDER


def path_of(document: ConferenceDocument) -> Path:
    return folder() / f"{document.sha256}.pdf"


def add_document(conference_id: int, title: object, content: bytes, item_position: object = None,
                 visibility: object = None) -> ConferenceDocument:
    """Check the PDF, keep its file, and add it to the conference."""
    name = bounded_text(title, MAX_TITLE, N_("Tên tài liệu"), Codes.of("title"), required=True)
    shown = parse_visibility(visibility)
    if len(content) > size_limit():
        raise too_large(size_limit())
    pages = pdf_pages(content, name)
    digest = hashlib.sha256(content).hexdigest()
    with write_transaction() as session:
        item = _item(session, conference_id, item_position)
        _keep_file(digest, content)  # inside the transaction: a refused item keeps no file either
        document = ConferenceDocument(conference_id=conference_id, title=name, item_id=item.id if item else None,
                                      visibility=shown, size=len(content), sha256=digest, pages=pages)
        session.add(document)
        bump_version(conference_id)  # the phones' list of documents follows
    return document


def _keep_file(digest: str, content: bytes) -> None:
    target = folder() / f"{digest}.pdf"
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(content)
    os.replace(partial, target)  # never a half-written file under the name phones read


def set_visibility(conference_id: int, document_id: object, visibility: object) -> ConferenceDocument:
    shown = parse_visibility(visibility)
    with write_transaction() as session:
        document = _own(session, conference_id, document_id)
        document.visibility = shown
        bump_version(conference_id)
    return document


def remove_document(conference_id: int, document_id: object) -> str:
    """Remove a document; its file goes too unless another document holds the same one."""
    with write_transaction() as session:
        document = _own(session, conference_id, document_id)
        title, digest = document.title, document.sha256
        session.delete(document)
        session.flush()
        shared = session.scalar(sa.select(sa.func.count()).select_from(ConferenceDocument)
                                .where(ConferenceDocument.sha256 == digest))
        bump_version(conference_id)
    if not shared:
        (folder() / f"{digest}.pdf").unlink(missing_ok=True)
    return title


def _own(session, conference_id: int, document_id: object) -> ConferenceDocument:
    document = session.get(ConferenceDocument, document_id) if is_id(document_id) else None
    if document is None or document.conference_id != conference_id:
        raise NotFound("unknown_document", "Không tìm thấy tài liệu.")
    return document


def office_documents(conference_id: int) -> list[ConferenceDocument]:
    return list(db.session.scalars(sa.select(ConferenceDocument)
                                   .where(ConferenceDocument.conference_id == conference_id)
                                   .order_by(ConferenceDocument.id)))


def shown_to_delegates(document: ConferenceDocument) -> bool:
    if document.visibility == DocumentVisibility.VISIBLE:
        return True
    return (document.visibility == DocumentVisibility.HELD and document.item is not None
            and document.item.started_at is not None)


def delegate_documents(conference_id: int) -> list[ConferenceDocument]:
    """What a delegate sees: the visible ones, and the held ones whose item has started."""
    return [d for d in office_documents(conference_id) if shown_to_delegates(d)]


def office_document(conference_id: int, document_id: object) -> ConferenceDocument:
    return _own(db.session, conference_id, document_id)


def delegate_document(conference_id: int, document_id: object) -> ConferenceDocument:
    """A document a delegate may read; one they may not is unknown to them, as one that is not."""
    document = _own(db.session, conference_id, document_id)
    if not shown_to_delegates(document):
        raise NotFound("unknown_document", "Không tìm thấy tài liệu.")
    return document
