"""A pairing address pairs one browser, once, within a day; the office makes a new one in one click;
the device's token (a program's Bearer) is another secret, which no pairing address carries."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import sqlalchemy as sa

from conference.accounts import pairing
from conference.core.db import db, utcnow
from conference.core.models import Device, Role

from tests.conftest import bearer


def made_device(app, conference_id, role: Role = Role.DOOR, label: str = "Cửa chính"):
    from conference.accounts.devices import create_device
    with app.app_context():
        made = create_device(conference_id, role, label)
        assert made.device.id  # loaded while its session is open: read after it is closed
        return made


def opens_the_door(client) -> bool:
    return client.get("/door").status_code == 200


def test_the_first_browser_is_paired_and_a_second_one_is_refused_with_a_page_that_says_why(app, conference_id):
    made = made_device(app, conference_id)
    first, second = app.test_client(), app.test_client()
    assert first.get(f"/pair/{made.pairing}").headers["Location"].endswith("/door")
    refused = second.get(f"/pair/{made.pairing}")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 410 and "đã được dùng" in page and "tạo địa chỉ ghép mới" in page
    assert opens_the_door(first) and not opens_the_door(second)
    english = app.test_client().get(f"/pair/{made.pairing}?lang=en").get_data(as_text=True)
    assert "already been used" in english and "new pairing address" in english


def test_the_browser_it_paired_opening_it_again_is_let_in_and_a_refusal_keeps_a_paired_browser(app, conference_id):
    made, other = made_device(app, conference_id), made_device(app, conference_id, label="Cửa phụ")
    tablet = app.test_client()
    tablet.get(f"/pair/{made.pairing}")
    again = tablet.get(f"/pair/{made.pairing}")  # the tablet's camera read the QR twice
    assert again.status_code == 302 and again.headers["Location"].endswith("/door")
    stranger = app.test_client()
    stranger.get(f"/pair/{other.pairing}")
    assert stranger.get(f"/pair/{made.pairing}").status_code == 410
    assert opens_the_door(stranger) and b"C\xe1\xbb\xada ph\xe1\xbb\xa5" in stranger.get("/door").data  # still Cửa phụ


def test_browsers_opening_one_address_at_once_pair_exactly_one(app, conference_id):
    made = made_device(app, conference_id)
    answers: list[int] = []

    def open_it() -> None:
        answers.append(app.test_client().get(f"/pair/{made.pairing}").status_code)
    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [302] + [410] * 5


def test_an_unused_address_expires_after_24_hours_with_a_page_that_says_so(app, conference_id):
    assert pairing.PAIRING_VALID_FOR == timedelta(hours=24)
    made = made_device(app, conference_id)
    with app.app_context():
        device = db.session.get(Device, made.device.id)
        assert device.pairing_expires_at - device.created_at == pairing.PAIRING_VALID_FOR
        device.pairing_expires_at = utcnow() - timedelta(seconds=1)  # a day has gone by
        db.session.commit()
    tablet = app.test_client()
    refused = tablet.get(f"/pair/{made.pairing}")
    assert refused.status_code == 410 and "đã hết hạn" in refused.get_data(as_text=True)
    assert "24 hours" in app.test_client().get(f"/pair/{made.pairing}?lang=en").get_data(as_text=True)
    assert not opens_the_door(tablet)


def test_unknown_revoked_and_token_addresses_get_a_404_page(app, conference_id, admin_client):
    made = made_device(app, conference_id)
    for code in ("not-a-code", made.token, "x" * 500):  # the token is no pairing code
        answer = app.test_client().get(f"/pair/{code}")
        assert answer.status_code == 404 and "không đúng" in answer.get_data(as_text=True)
    admin_client.post(f"/admin/devices/{made.device.id}/revoke", data={"csrf_token": admin_client.csrf_token})
    assert app.test_client().get(f"/pair/{made.pairing}").status_code == 404


def test_the_token_for_programs_is_another_secret_and_keeps_working(app, client, conference_id):
    made = made_device(app, conference_id)
    assert made.token != made.pairing and made.pairing not in made.token
    app.test_client().get(f"/pair/{made.pairing}")
    assert client.get("/api/delegates", headers=bearer(made.token)).status_code == 200
    assert client.get("/api/delegates", headers=bearer(made.pairing)).status_code == 401


def pairing_address(page: str) -> str:
    return re.search(r'<code id="pairing-address">[^<]*/pair/([\w-]+)</code>', page).group(1)


def test_the_office_makes_a_new_address_in_one_click_and_the_paired_browser_stays(app, conference_id,
                                                                                  admin_client):
    made = made_device(app, conference_id)
    tablet = app.test_client()
    tablet.get(f"/pair/{made.pairing}")
    listed = admin_client.get("/admin/devices").get_data(as_text=True)
    assert "Đã dùng lúc" in listed and f'/admin/devices/{made.device.id}/pairing"' in listed
    clicked = admin_client.post(f"/admin/devices/{made.device.id}/pairing",
                                data={"csrf_token": admin_client.csrf_token})
    assert clicked.status_code == 303
    fresh = pairing_address(admin_client.get("/admin/devices").get_data(as_text=True))
    assert "Chờ ghép đến" in admin_client.get("/admin/devices").get_data(as_text=True)
    assert app.test_client().get(f"/pair/{made.pairing}").status_code == 404  # the old one is gone
    replacement = app.test_client()
    assert replacement.get(f"/pair/{fresh}").status_code == 302
    assert opens_the_door(replacement) and opens_the_door(tablet)  # revoke the device to end the first


def test_a_new_address_replaces_an_unused_one_and_the_api_makes_one_too(app, client, conference_id, auth):
    made = made_device(app, conference_id)
    answer = client.post(f"/api/devices/{made.device.id}/pairing", headers=auth("admin"))
    assert answer.status_code == 201 and answer.get_json()["device"]["paired_at"] is None
    fresh = answer.get_json()["pair_url"].rsplit("/pair/", 1)[1]
    assert app.test_client().get(f"/pair/{made.pairing}").status_code == 404
    assert app.test_client().get(f"/pair/{fresh}").status_code == 302
    assert client.post(f"/api/devices/{made.device.id}/pairing", headers=auth("door")).status_code == 403


def test_no_new_address_for_a_button_box_or_a_revoked_device(app, client, conference_id, auth, admin_client):
    button = made_device(app, conference_id, Role.BUTTON, "Stream Deck")
    assert button.pairing is None
    refused = client.post(f"/api/devices/{button.device.id}/pairing", headers=auth("admin"))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "button_has_no_pairing"
    door = made_device(app, conference_id)
    client.delete(f"/api/devices/{door.device.id}", headers=auth("admin"))
    page = admin_client.post(f"/admin/devices/{door.device.id}/pairing", data={"csrf_token": admin_client.csrf_token})
    assert page.status_code == 409 and "đã bị thu hồi" in page.get_data(as_text=True)
    listed = admin_client.get("/admin/devices").get_data(as_text=True)
    assert f"/admin/devices/{button.device.id}/pairing" not in listed
    with app.app_context():
        stored = db.session.scalars(sa.select(Device.pairing_hash).where(Device.id.in_(
            [button.device.id, door.device.id]))).all()
    assert stored == [None, pairing._digest(door.pairing)]  # the refusal changed nothing


def test_an_upgraded_database_keeps_its_tokens_and_its_old_pairing_addresses_pair_nothing(tmp_path):
    """Before revision 0008 the pairing address carried the token itself: it must not pair any more."""
    from alembic import command
    from conference import create_app
    from conference.accounts.devices import _digest
    from conference.office.first_start import alembic_config
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0007")
        connection.execute(sa.text(
            "INSERT INTO conference (id, title, award_batch_size, created_at) VALUES (1, 'H', 6, '2020-03-05')"))
        connection.execute(sa.text("INSERT INTO device (id, conference_id, role, label, token_hash, created_at) "
                                   "VALUES (1, 1, 'door', 'Cửa 1', :hash, '2020-03-05')"), {"hash": _digest("old-token")})
    engine.dispose()
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    try:
        assert app.test_client().get("/pair/old-token").status_code == 404
        assert app.test_client().get("/api/delegates", headers=bearer("old-token")).status_code == 200
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
