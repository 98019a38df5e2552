"""Office pages: an open vote's named list (.xlsx), as the papers' exports are downloaded."""
from __future__ import annotations

from conference.core.errors import ConferenceError
from conference.office.frame import bp, conference_id, message_page
from conference.papers.pages import XLSX, download
from .named_list import named_list_xlsx


@bp.get("/votes/<int:vote_id>/named.xlsx")
def vote_named_list(vote_id: int):
    """Who voted what in an open (not secret) vote; a secret vote has no such list."""
    try:
        data = named_list_xlsx(conference_id(), vote_id)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    return download(data, f"bieu-quyet-{vote_id}.xlsx", XLSX)
