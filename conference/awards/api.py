"""The awards API: who received, the item-8 vote, and the office's set-up of forms, decisions,
honourees and the calling order. Parse, authorise, call one service, answer."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from conference import awards
from conference.accounts.guards import require_api
from conference.core.errors import ConferenceError
from conference.core.models import Role
from conference.live.snapshot import build_snapshot
from conference.votes.record import record_show_of_hands
from conference.web.api import body, conference_id
from . import catalogue as award_catalogue, day as award_day, importer as award_import

bp = Blueprint("api_awards", __name__, url_prefix="/api")

CONTROL = (Role.MC, Role.ADMIN)
MAX_UPLOAD = 5 * 1024 * 1024


def catalogue():
    return jsonify(award_catalogue.catalogue_json(conference_id()))


def order_json():
    order = awards.calling_order(conference_id())
    return jsonify({"announcements": [awards.announcement_json(a, len(order)) for a in order]})


def honouree_response(honouree_id: int, status: int = 200):
    return jsonify({"honouree": awards.honouree_view(conference_id(), honouree_id)}), status


# --- the day -----------------------------------------------------------------------------------

@bp.post("/awards/presentations")
@require_api(*CONTROL)
def record_presentation():
    """Record {"honouree_id", "outcome": received|proxy|absent, "received_by", "confirm"} for the minutes."""
    data = body()
    presentation = award_day.record_presentation(conference_id(), data.get("honouree_id"), data.get("outcome"),
                                                 data.get("received_by"), data.get("confirm", False))
    return honouree_response(presentation.honouree_id)


@bp.delete("/awards/presentations/<int:honouree_id>")
@require_api(*CONTROL)
def clear_presentation(honouree_id: int):
    """Undo an outcome recorded by mistake."""
    award_day.clear_presentation(conference_id(), honouree_id)
    return honouree_response(honouree_id)


@bp.get("/awards/log")
@require_api(*CONTROL)
def presentation_log():
    """Who was called, when, and who received, in calling order; with the item-8 vote."""
    return jsonify({"presentations": award_day.presentation_log(conference_id()),
                    "vote": build_snapshot(conference_id())["vote"]})


@bp.post("/vote")
@require_api(*CONTROL)
def record_vote():
    """Item 8: {"agreed": int}; present is the check-in count at this moment. Kept for the item-8
    form of the MC's awards panel: a closed show of hands of the general votes (docs/VOTES.md)."""
    vote = record_show_of_hands(conference_id(), body().get("agreed"))
    return jsonify({"vote": {"agreed": vote.choices[0].count, "present": vote.present,
                             "recorded_at": vote.recorded_at.isoformat()}}), 201


# --- set-up (the office) -----------------------------------------------------------------------

@bp.get("/award-decisions")
@require_api(Role.ADMIN)
def list_decisions():
    """Forms, decisions with their honourees, and the batch size."""
    return catalogue()


@bp.post("/award-decisions")
@require_api(Role.ADMIN)
def create_decision():
    """Add a decision: number, signed_on, issuer, form_id, reason."""
    decision = award_catalogue.create_decision(conference_id(), body())
    return jsonify({"decision": awards.decision_json(decision)}), 201


@bp.put("/award-decisions/<int:decision_id>")
@require_api(Role.ADMIN)
def update_decision(decision_id: int):
    """Change the fields given."""
    decision = award_catalogue.update_decision(conference_id(), decision_id, body())
    return jsonify({"decision": awards.decision_json(decision)})


@bp.delete("/award-decisions/<int:decision_id>")
@require_api(Role.ADMIN)
def delete_decision(decision_id: int):
    """Remove a decision with its honourees."""
    award_catalogue.delete_decision(conference_id(), decision_id)
    return catalogue()


@bp.post("/award-decisions/<int:decision_id>/honourees")
@require_api(Role.ADMIN)
def add_honouree(decision_id: int):
    """Add {kind, name, unit, citation, delegate_id, proxy_name} to a decision."""
    honouree = award_catalogue.add_honouree(conference_id(), decision_id, body())
    return honouree_response(honouree.id, 201)


@bp.put("/honourees/<int:honouree_id>")
@require_api(Role.ADMIN)
def update_honouree(honouree_id: int):
    """Change the fields given, including the planned proxy (proxy_name) and the decision."""
    award_catalogue.update_honouree(conference_id(), honouree_id, body())
    return honouree_response(honouree_id)


@bp.delete("/honourees/<int:honouree_id>")
@require_api(Role.ADMIN)
def delete_honouree(honouree_id: int):
    """Remove one honouree."""
    award_catalogue.delete_honouree(conference_id(), honouree_id)
    return catalogue()


@bp.put("/awards/order")
@require_api(Role.ADMIN)
def reorder():
    """{"honouree_ids": [...]}: every honouree once, in calling order; [] returns to the rules."""
    award_catalogue.reorder(conference_id(), body().get("honouree_ids"))
    return order_json()


@bp.put("/awards/batch-size")
@require_api(Role.ADMIN)
def batch_size():
    """{"batch_size": int}: how many go up to the stage together."""
    award_catalogue.set_batch_size(conference_id(), body().get("batch_size"))
    return order_json()


@bp.get("/award-forms")
@require_api(Role.ADMIN)
def list_forms():
    """The catalogue of forms and titles, highest rank first."""
    return jsonify({"forms": [awards.form_json(f) for f in award_catalogue.forms(conference_id())]})


@bp.post("/award-forms")
@require_api(Role.ADMIN)
def create_form():
    """Add {name, rank, kind: form|title}."""
    form = award_catalogue.create_form(conference_id(), body())
    return jsonify({"form": awards.form_json(form)}), 201


@bp.put("/award-forms/<int:form_id>")
@require_api(Role.ADMIN)
def update_form(form_id: int):
    """Rename or re-rank a form."""
    form = award_catalogue.update_form(conference_id(), form_id, body())
    return jsonify({"form": awards.form_json(form)})


@bp.delete("/award-forms/<int:form_id>")
@require_api(Role.ADMIN)
def delete_form(form_id: int):
    """Remove a form no decision uses."""
    award_catalogue.delete_form(conference_id(), form_id)
    return jsonify({"forms": [awards.form_json(f) for f in award_catalogue.forms(conference_id())]})


@bp.post("/honourees/import")
@require_api(Role.ADMIN)
def import_honourees():
    """A .xlsx or .csv file (field "file"); ?preview=1 checks without writing. All rows or none."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ConferenceError("missing_file", "Chưa chọn tệp (.xlsx hoặc .csv).")
    content = upload.stream.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise ConferenceError("file_too_large", "Tệp lớn quá %(mb)d MB.", 413,
                              mb=MAX_UPLOAD // (1024 * 1024))
    if request.args.get("preview") in ("1", "true", "yes"):
        return jsonify(award_import.preview_honourees(conference_id(), upload.filename, content))
    return jsonify(award_import.import_honourees(conference_id(), upload.filename, content)), 201
