"""The door tablet: its page, the light roster it keeps for offline use, and its service worker.

The page keeps the roster on the tablet so a scan made while the server is unreachable still
shows the name at once. Two read-only endpoints feed it:

* ``GET /door/roster``: every delegate of the conference in a compact shape (field names once,
  then one array per delegate), with an ETag so an unchanged roster costs a 304;
* ``GET /door/presence``: who is checked in, when and at which door, with the snapshot version.
  It is what changes during the rush, so it is kept small and refetched on every new version.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_file
from flask_babel import gettext as _

from conference.accounts.guards import current_principal, require_api, require_page
from conference.core.models import Role
from conference.core.resources import STATIC
from conference.core.state import conference_title
from . import roster as delegates

bp = Blueprint("door", __name__)

DOOR_ROLES = (Role.DOOR, Role.ADMIN)
SERVICE_WORKER = STATIC / "js" / "door-sw.js"


@bp.get("/door")
@require_page(*DOOR_ROLES)
def index():
    """Scan badges, search by name, add walk-ins."""
    principal = current_principal()
    config = {"conference_id": principal.conference_id, "device": principal.label,
              "timezone": current_app.config["BABEL_DEFAULT_TIMEZONE"]}
    return render_template("door.html", device=principal.label, config=config,
                           conference_title=conference_title(principal.conference_id))


@bp.get("/door/roster")
@require_api(*DOOR_ROLES)
def roster():
    """Every delegate, compact, with an ETag: {"version", "groups", "fields", "rows"}."""
    version, content = delegates.door_roster(current_principal().conference_id)
    # The ETag covers the roster only, not the version, so check-ins elsewhere do not void it.
    etag = hashlib.sha256(_dumps(content)).hexdigest()[:32]
    response = Response(_dumps({"version": version, **content}), mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@bp.get("/door/presence")
@require_api(*DOOR_ROLES)
def presence():
    """Who is checked in: {"version", "present": [[delegate_id, checked_in_at, device], ...]}."""
    response = Response(_dumps(delegates.presence(current_principal().conference_id)), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/door-sw.js")
def service_worker():
    """The door's service worker, served from the root so it may control /door."""
    response = send_file(SERVICE_WORKER, mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/door/certificate.pem")
def certificate():
    """The public half of the self-signed certificate of `serve --https`, to install on a tablet."""
    path = Path(current_app.config["INSTANCE_PATH"]) / "tls-cert.pem"
    if not path.exists():
        return Response(_("Máy chủ chưa chạy với --https.") + "\n", status=404, mimetype="text/plain")
    return send_file(path, mimetype="application/x-pem-file", as_attachment=True,
                     download_name="conference-day.pem", max_age=0)


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
