"""The office's live attendance dashboard (/admin); the office's frame, sign-in and shared
helpers are in office/frame.py."""
from __future__ import annotations

import time

from flask import jsonify, render_template

from conference.core.dates import local_zone
from conference.core.state import show_state
from conference.office.details import conference_or_404
from conference.office.frame import bp, conference_id
from .quorum import attendance_with_quorum as attendance
from .roster import arrivals, missing


@bp.get("")
def index():
    """The live dashboard: present / expected, by group, arrivals over time, who is still missing."""
    cid = conference_id()
    return render_template("admin.html", conference=conference_or_404(cid), attendance=attendance(cid),
                           missing=missing(cid), timezone=local_zone().key)


@bp.get("/attendance.json")
def attendance_details():
    """What the dashboard fetches when the snapshot's version moves: figures, arrivals, the missing."""
    cid = conference_id()
    version = show_state(cid).version
    return jsonify({
        "version": version,
        "now": time.time(),
        "attendance": attendance(cid),
        "arrivals": arrivals(cid),
        "missing": [{"id": d.id, "full_name": d.full_name, "position": d.position, "unit": d.unit,
                     "group": d.group.name if d.group else None,
                     "group_color": d.group.color if d.group else None} for d in missing(cid)],
    })
