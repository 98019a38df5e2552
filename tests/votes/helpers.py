"""What the votes' tests share: delegates checked in, a phone holding a delegate's page, a ballot."""
from __future__ import annotations

import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import Delegate
from tests.conftest import page_csrf_token
from tests.me.helpers import phone


def delegates(app, conference_id, count: int) -> list[tuple[int, str]]:
    """(id, badge code) of the demo's first delegates."""
    with app.app_context():
        rows = db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)
                                  .order_by(Delegate.id).limit(count))
        return [(d.id, d.badge_code) for d in rows]


def check_in(app, conference_id, delegate_ids) -> None:
    from conference.checkin.checkins import check_in as door
    with app.app_context():
        for delegate_id in delegate_ids:
            door(conference_id, delegate_id=delegate_id)


def voter(app, code: str):
    """A phone holding the page of this badge, with its CSRF token as the page's script sends it."""
    client = phone(app, code)
    client.csrf = page_csrf_token(client.get("/me").get_data(as_text=True))
    return client


def ballot(client, vote_id, *choices):
    return client.post("/me/ballot", json={"vote": vote_id, "choices": list(choices)},
                       headers={"X-CSRFToken": client.csrf})


def open_vote(client, auth, role: str = "mc", **fields):
    body = {"question": "Thông qua danh sách đại biểu", "method": "phones", **fields}
    answer = client.post("/api/votes", json=body, headers=auth(role))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def checked_in_on_server(server, count: int) -> list[str]:
    """The badge codes of COUNT delegates of a live server's conference, each checked in (the
    demo's and more, made with the domain functions on the server's database, as its devices are)."""
    from conference import create_app
    from conference.checkin.checkins import check_in as door
    from conference.core.state import default_conference_id
    from conference.office.details import create_delegate
    from tests.conftest import _close
    app = create_app({"INSTANCE_PATH": str(server.instance), "PREPARE_DATABASE": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{server.instance / 'conference.db'}",
                      "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        conference_id = default_conference_id()
        have = db.session.scalar(sa.select(sa.func.count(Delegate.id)).where(Delegate.conference_id == conference_id))
        for n in range(count - have):
            create_delegate(conference_id, f"Đại Biểu Thêm {n + 1}")
        rows = db.session.execute(sa.select(Delegate.id, Delegate.badge_code)
                                  .where(Delegate.conference_id == conference_id).order_by(Delegate.id)).all()
        for delegate_id, _ in rows[:count]:
            door(conference_id, delegate_id=delegate_id)
    _close(app)
    return [code for _, code in rows[:count]]
