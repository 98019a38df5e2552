"""What a delegate's phone is told of the live day: the delegate-safe view of the snapshot.

The screens' snapshot carries the attendance, the MC's script and, in the awards, the delegates
behind each honouree. A phone gets only what the projector shows: the current item and speaker,
the page of the report's slides up on the projectors (its number only, never the deck), what is next, the awards batch being called (its honourees' ids always, their names once the MC
reveals them), and the documents delegates may read. Whether a batch is this delegate's is decided
on the phone, against the honouree ids its page was given (my_awards): one message for every phone.
"""
from __future__ import annotations

import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import AwardDecision, Honouree
from .documents import delegate_documents


def _item_view(item: dict | None) -> dict | None:
    if item is None:
        return None
    return {"position": item["position"], "title": item["title"], "presenter": item["presenter"],
            "kind": item["kind"]}


def _step_view(item: dict | None, step_position: int | None) -> dict | None:
    if item is None or step_position is None:
        return None
    step = next((s for s in item["steps"] if s["position"] == step_position), None)
    return {"position": step["position"], "title": step["title"], "presenter": step["presenter"]} if step else None


def _award_view(award: dict | None) -> dict | None:
    if award is None or award.get("finished"):
        return None
    reveal = bool(award.get("reveal"))
    return {"form": award.get("form"), "index": award["index"], "total": award["total"], "reveal": reveal,
            "honourees": [{"id": h["id"], "name": h["name"] if reveal else None, "unit": h["unit"] if reveal else None}
                          for h in award.get("honourees", [])]}


def _slide_view(slide: dict | None, dark: bool) -> dict | None:
    """The page of the slides the hall sees, while the projectors show them (not on the agenda screen,
    a black or a standby screen): the number and the count, which every screen takes from the same
    snapshot. Never the deck's address: decks go to signed-in screens only."""
    if slide is None or dark or not slide["shown"]:
        return None
    return {"page": slide["page"], "pages": slide["pages"]}


def programme_view(snapshot: dict, documents: list[dict]) -> dict:
    """The phones' view of a snapshot (no query: the caller reads the documents once per publish)."""
    agenda = snapshot["agenda"]
    current = next((item for item in agenda if item["position"] == snapshot["current"]), None)
    upcoming = [item for item in agenda if item["ended_at"] is None and item is not current
                and (current is None or item["position"] > current["position"])]
    dark = snapshot["screen"] != "live"  # standby or blackout: the phones show the programme only
    return {"version": snapshot["version"], "conference": snapshot["conference"]["title"],
            "current": _item_view(current), "step": _step_view(current, snapshot["current_step"]),
            "slide": _slide_view(snapshot.get("slide"), dark),
            "next": _item_view(upcoming[0] if upcoming else None), "finished": snapshot["finished"],
            "agenda": [{"position": i["position"], "title": i["title"], "done": i["ended_at"] is not None}
                       for i in agenda],
            "award": None if dark or not current or current["kind"] != "awards" else _award_view(snapshot["award"]),
            "documents": documents,
            "vote": snapshot.get("vote")}  # figures only, never who voted what (votes/results.py)


def documents_view(conference_id: int) -> list[dict]:
    """The documents a delegate may read now, for the phones."""
    return [{"id": d.id, "title": d.title, "item": d.item.position if d.item else None, "pages": d.pages,
             "size": d.size} for d in delegate_documents(conference_id)]


def my_awards(delegate_id: int) -> list[dict]:
    """The honours this delegate receives (as the individual, or for a collective): the page shows
    them, and a batch holding one of their ids is "theirs" ("please come forward")."""
    rows = db.session.scalars(sa.select(Honouree).join(AwardDecision)
                              .where(Honouree.delegate_id == delegate_id)
                              .options(sa.orm.joinedload(Honouree.decision))
                              .order_by(AwardDecision.position, Honouree.position))
    return [{"id": h.id, "name": h.name, "form": h.decision.form.name, "collective": h.kind.value == "collective"}
            for h in rows]
