"""The door page and the endpoints that keep its offline roster: who may open them, what they
return, and that the page and its offline shell only use files the product serves itself."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from conference.accounts.devices import create_device
from conference.core.db import db
from conference.core.models import Delegate, Role

from tests.conftest import ROOT, bearer

DOOR_SCRIPTS = ROOT / "static" / "js"


class Links(HTMLParser):
    """Every src/href on a page, and the JSON blocks by id."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.json: dict[str, str] = {}
        self._json_id: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and attrs.get("type") == "application/json":
            self._json_id = attrs.get("id")

    def handle_data(self, data):
        if self._json_id:
            self.json[self._json_id] = self.json.get(self._json_id, "") + data

    def handle_endtag(self, tag):
        if tag == "script":
            self._json_id = None


def paired(client, pairings, role: str):
    response = client.get(f"/pair/{pairings[role]}")
    assert response.status_code == 302
    return client


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


@pytest.mark.parametrize("role, allowed", [(None, False), ("display", False), ("mc", False),
                                           ("door", True), ("admin", True)])
def test_door_page_opens_only_for_a_door_or_admin_device(client, pairings, role, allowed):
    if role:
        paired(client, pairings, role)
    response = client.get("/door")
    if allowed:
        assert response.status_code == 200
        assert 'type="search"' in response.get_data(as_text=True)
    else:
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_door_page_is_named_after_the_device_it_was_paired_as(app, client, conference_id):
    with app.app_context():
        pairing = create_device(conference_id, Role.DOOR, "Cửa 2").pairing
    client.get(f"/pair/{pairing}")
    html = client.get("/door").get_data(as_text=True)
    page = parse(html)
    assert re.search(r'id="device">Cửa 2<', html)
    config = json.loads(page.json["door-config"])
    assert config["device"] == "Cửa 2" and config["conference_id"] == conference_id


def test_door_page_loads_every_file_from_the_product_itself(client, pairings):
    html = paired(client, pairings, "door").get("/door").get_data(as_text=True)
    urls = [url for url in parse(html).urls if not url.startswith("?")]
    assert urls, "the page links its scripts and styles"
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url


def test_door_strings_come_from_the_template_as_json(client, pairings):
    html = paired(client, pairings, "door").get("/door").get_data(as_text=True)
    texts = json.loads(parse(html).json["door-text"])
    assert texts["already"] == "Đã điểm danh lúc {time}, {door}"
    used = set()
    for script in DOOR_SCRIPTS.glob("door*.js"):
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+)"', script.read_text(encoding="utf-8")))
    assert used, "door scripts look strings up with t(...)"
    assert used <= set(texts), f"strings missing from the template: {sorted(used - set(texts))}"


def test_every_camera_state_and_refusal_has_words_on_the_page(client, pairings):
    html = paired(client, pairings, "door").get("/door").get_data(as_text=True)
    texts = json.loads(parse(html).json["door-text"])
    camera = (DOOR_SCRIPTS / "door-camera.js").read_text(encoding="utf-8")
    states = set(re.findall(r'setState\("([a-z-]+)"', camera)) | set(re.findall(r'return "([a-z-]+)"', camera))
    states |= set(re.findall(r'"needs-tap" : "([a-z]+)"', camera)) | {"needs-tap"}
    assert {"running", "blocked", "insecure", "missing", "busy"} <= states
    assert {f"camera_{state}" for state in states} <= set(texts)
    problems = {"blocked", "insecure", "unsupported", "missing", "busy", "error"}
    assert {f"help_{state}" for state in problems} <= set(texts)
    # The refusals the check-in service gives a door (conference/checkin/checkins.py).
    service = (ROOT / "conference" / "checkin" / "checkins.py").read_text(encoding="utf-8")
    refusals = set(re.findall(r'_refusal\("([a-z_]+)"', service))
    assert {"unknown_code", "revoked_code", "other_conference", "invalid_code"} <= refusals
    assert {f"reason_{code}" for code in refusals} <= set(texts)


def test_door_scripts_never_write_html(client):
    for script in DOOR_SCRIPTS.glob("door*.js"):
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", text), script.name


def test_door_scripts_fetch_nothing_from_another_host():
    for script in DOOR_SCRIPTS.glob("door*.js"):
        assert not re.search(r"""["'`](https?:)?//""", script.read_text(encoding="utf-8")), script.name


# ---------------------------------------------------------------------------------------------
# The roster the tablet keeps for offline use.

@pytest.mark.parametrize("path", ["/door/roster", "/door/presence"])
@pytest.mark.parametrize("role, status", [(None, 401), ("display", 403), ("mc", 403), ("door", 200), ("admin", 200)])
def test_offline_roster_is_only_for_door_and_admin_devices(client, tokens, path, role, status):
    headers = bearer(tokens[role]) if role else {}
    assert client.get(path, headers=headers).status_code == status


def test_offline_roster_has_every_delegate_with_the_badge_code(app, client, auth, conference_id):
    answer = client.get("/door/roster", headers=auth("door")).get_json()
    rows = [dict(zip(answer["fields"], row)) for row in answer["rows"]]
    with app.app_context():
        delegates = db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)).all()
        expected = {d.id: (d.full_name, d.badge_code, d.group.name if d.group else None, d.seat) for d in delegates}
    assert {r["id"]: (r["full_name"], r["badge_code"], r["group"], r["seat"]) for r in rows} == expected
    assert [g["name"] for g in answer["groups"]][0] == "Thường trực Đảng ủy phường"
    assert isinstance(answer["version"], int)


def test_offline_roster_is_lighter_than_the_delegate_list(client, auth):
    light = client.get("/door/roster", headers=auth("door")).get_data()
    full = client.get("/api/delegates", headers=auth("door")).get_data()
    assert len(light) < 0.8 * len(full)


def test_unchanged_roster_answers_its_etag_with_304_even_after_check_ins(client, auth):
    first = client.get("/door/roster", headers=auth("door"))
    etag = first.headers["ETag"]
    code = first.get_json()["rows"][0][first.get_json()["fields"].index("badge_code")]
    assert client.post("/api/checkins", json={"code": code}, headers=auth("door")).status_code == 201
    again = client.get("/door/roster", headers={**auth("door"), "If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()


def test_roster_etag_changes_when_a_walk_in_is_added(client, auth):
    etag = client.get("/door/roster", headers=auth("door")).headers["ETag"]
    client.post("/api/delegates", json={"full_name": "Khách Mời Mới", "unit": "Tổ dân phố 9"}, headers=auth("door"))
    again = client.get("/door/roster", headers={**auth("door"), "If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    assert "Khách Mời Mới" in [row[1] for row in again.get_json()["rows"]]


def test_presence_lists_who_is_checked_in_with_time_and_door(client, auth, tokens):
    roster = client.get("/door/roster", headers=auth("door")).get_json()
    delegate_id = roster["rows"][3][0]
    before = client.get("/door/presence", headers=auth("door")).get_json()
    assert before["present"] == []
    made = client.post("/api/checkins", json={"delegate_id": delegate_id}, headers=auth("door")).get_json()
    after = client.get("/door/presence", headers=auth("door")).get_json()
    assert after["present"] == [[delegate_id, made["delegate"]["checked_in_at"], "door test"]]
    assert after["version"] > before["version"]
    client.delete(f"/api/checkins/{delegate_id}", headers=auth("door"))
    assert client.get("/door/presence", headers=auth("door")).get_json()["present"] == []


# ---------------------------------------------------------------------------------------------
# The service worker that reopens the page offline, and the certificate download.

def test_service_worker_is_javascript_served_from_the_root_without_caching(client):
    response = client.get("/door-sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "no-cache" in response.headers["Cache-Control"]


def test_offline_shell_lists_only_files_that_exist_and_never_the_api(client, pairings):
    source = (DOOR_SCRIPTS / "door-sw.js").read_text(encoding="utf-8")
    shell = re.findall(r'^\s*"(/[^"]*)",?$', source, re.MULTILINE)
    assert "/door" in shell and "/static/js/door.js" in shell
    paired(client, pairings, "door")
    for path in shell:
        assert not path.startswith(("/api/", "/socket.io")), path
        assert client.get(path).status_code == 200, path
    scripts = {f"/static/js/{p.name}" for p in DOOR_SCRIPTS.glob("door*.js") if p.name != "door-sw.js"}
    assert scripts <= set(shell), f"door scripts missing from the offline shell: {sorted(scripts - set(shell))}"


def test_certificate_download_is_the_public_certificate_only(app, client):
    assert client.get("/door/certificate.pem").status_code == 404
    from conference.web.tls import self_signed_certificate
    cert, key = self_signed_certificate(Path(app.config["INSTANCE_PATH"]), "192.168.1.20")
    response = client.get("/door/certificate.pem")
    assert response.status_code == 200
    assert response.get_data() == Path(cert).read_bytes()
    assert b"PRIVATE KEY" not in response.get_data()
