"""The stage (docs/SHOW.md §10) through the Flask and Socket.IO test clients: sound cues are known
by their bytes and bounded before they are read; a cue's key is its place's run, so it plays once
per arrival and never again on a reconnect; the sound files go to screens and the office only; the
MC's lectern message and overlay switch; the sound page is the first projector paired unless the
office chooses; only that page is heard by the MC consoles; the command line attaches a cue."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from conference.core.extensions import socketio
from tests.conftest import bearer
from tests.show.stage_sounds import mp3, ogg, wav


def state(client) -> dict:
    return client.get("/api/state").get_json()


def upload(admin_client, name: str, content: bytes, **fields):
    form = {"csrf_token": admin_client.csrf_token, "target": "place", "place": "2", "volume": "80",
            "file": (io.BytesIO(content), name), **fields}
    return admin_client.post("/admin/stage/cues", data=form, content_type="multipart/form-data")


def stored(app) -> list[str]:
    folder = Path(app.config["INSTANCE_PATH"]) / "stage"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_real_sound_is_attached_and_named_in_the_snapshot_when_the_show_gets_there(
        app, client, admin_client, auth):
    client.post("/api/show/goto", json={"position": 2}, headers=auth("mc"))
    for name, content in (("quoc-ca.wav", wav()), ("fanfare.mp3", mp3()), ("chime.ogg", ogg())):
        answer = upload(admin_client, name, content)  # each replaces the one before on item 2
        assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
        assert [file.rsplit(".", 1)[1] for file in stored(app)] == [name.rsplit(".", 1)[1]]
        cue = state(client)["stage"]["cue"]
        assert (cue["name"], cue["volume"], cue["key"].startswith("place:")) == (name, 80, True)
        assert name in admin_client.get("/admin/stage").get_data(as_text=True)


ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 500
CORRUPT_MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 + b"\xff\xfb\x90\x64" + b"\x13" * 200
NOT_WHAT_THEIR_NAMES_SAY = (
    ("anthem.mp3", ELF),                 # a renamed executable
    ("anthem.mp3", CORRUPT_MP3),         # a tag, one frame header, then no second frame: cut or corrupt
    ("anthem.mp3", wav()),               # a WAV named .mp3
    ("anthem.ogg", b"OggS" + b"\x00" * 80),  # an Ogg page with no Vorbis, Opus or FLAC in it
    ("anthem.exe", wav()),               # not a sound's name at all
)


def test_a_file_that_is_not_the_sound_its_name_says_is_refused_and_not_kept(app, client, admin_client):
    before = state(client)["version"]
    for name, content in NOT_WHAT_THEIR_NAMES_SAY:
        answer = upload(admin_client, name, content)
        assert answer.status_code == 400, name
        assert "không phải âm thanh MP3, OGG hoặc WAV hợp lệ" in answer.get_data(as_text=True)
    assert stored(app) == [] and state(client)["version"] == before


def test_a_sound_over_the_limit_is_refused_from_its_length_before_it_is_read(app, admin_client):
    from conference.show.stage import media
    answer = admin_client.post("/admin/stage/cues", input_stream=io.BytesIO(b"x" * 10),
                               content_type="multipart/form-data; boundary=x",
                               environ_overrides={"CONTENT_LENGTH": str(media.MAX_SOUND_BYTES * 2)})
    assert answer.status_code == 413  # nothing was read: the body is ten bytes, its length says 60 MB
    assert "Tệp âm thanh lớn quá 30 MB." in answer.get_data(as_text=True)  # the stage page, not another form's limit
    with app.app_context(), pytest.raises(Exception) as refused:  # and while it is copied, past the limit
        media.receive(io.BytesIO(b"\x00" * 2000), Path(app.config["INSTANCE_PATH"]) / "stage", limit=1000)
    assert getattr(refused.value, "code", None) == "sound_too_large"
    assert stored(app) == []


def test_a_cue_plays_once_per_arrival_and_a_reconnect_gets_the_same_key(client, admin_client, auth):
    upload(admin_client, "anthem.wav", wav(), place="1")
    mc = auth("mc")
    client.post("/api/show/next", headers=mc)  # item 1: the flag salute
    first = state(client)["stage"]["cue"]["key"]
    assert state(client)["stage"]["cue"]["key"] == first  # a screen that reconnects: the same cue, not again
    client.post("/api/show/next", headers=mc)
    assert state(client)["stage"]["cue"] is None  # item 2 has no cue
    client.post("/api/show/previous", headers=mc)  # back on item 1: a new arrival plays it again
    again = state(client)["stage"]["cue"]["key"]
    assert again != first
    client.post("/api/stage/cue/replay", json={}, headers=mc)
    replayed = state(client)["stage"]
    assert replayed["cue"]["key"] not in (first, again)
    client.post("/api/stage/cue/stop", json={}, headers=mc)
    assert state(client)["stage"]["stop"] == replayed["stop"] + 1


def test_the_office_s_sound_check_plays_once_then_the_show_s_cues_again(client, admin_client, auth):
    upload(admin_client, "anthem.wav", wav(), place="1")
    upload(admin_client, "chime.wav", wav(), target="overtime")
    client.post("/api/show/next", headers=auth("mc"))  # on item 1, its anthem
    chime_id = admin_client.get("/admin/stage").get_data(as_text=True).split('data-cue="', 1)[1].split('"', 1)[0]
    assert admin_client.post(f"/admin/stage/cues/{chime_id}/check",
                             data={"csrf_token": admin_client.csrf_token}).status_code == 303
    checked = state(client)["stage"]["cue"]
    assert (checked["name"], checked["key"]) == ("chime.wav", "check:1")
    client.post("/api/stage/cue/replay", json={}, headers=auth("mc"))  # the MC's replay: the anthem again
    assert state(client)["stage"]["cue"]["name"] == "anthem.wav"
    admin_client.post(f"/admin/stage/cues/{chime_id}/check", data={"csrf_token": admin_client.csrf_token})
    assert state(client)["stage"]["cue"]["key"] == "check:2"
    client.post("/api/show/next", headers=auth("mc"))
    client.post("/api/show/previous", headers=auth("mc"))  # the show moved: its cues again
    assert state(client)["stage"]["cue"]["name"] == "anthem.wav"


def test_the_awards_cue_has_a_key_per_batch_called(client, admin_client, auth):
    upload(admin_client, "fanfare.wav", wav(), target="awards")
    mc = auth("mc")
    client.post("/api/show/goto", json={"position": 5}, headers=mc)
    keys = []
    for _ in range(4):  # decision, names (the cue), next decision, its names (the next cue)
        client.post("/api/awards/next", headers=mc)
        cue = state(client)["stage"]["cue"]
        keys.append(cue["key"] if cue else None)
    assert keys[0] is None and keys[2] is None
    assert keys[1].startswith("awards:") and keys[3].startswith("awards:") and keys[1] != keys[3]


def test_the_overtime_chime_is_keyed_by_the_run_of_the_place(client, admin_client, auth):
    upload(admin_client, "chime.wav", wav(), target="overtime")
    client.post("/api/show/goto", json={"position": 4, "step": 1}, headers=auth("mc"))
    stage = state(client)["stage"]
    assert stage["overtime_cue"]["key"].startswith("overtime:") and stage["cue"] is None
    assert stage["speaker"] == {"name": "Đặng Ngọc Thạch", "position": "Tổ trưởng Tổ dân phố 5",
                                "unit": "Tổ dân phố 5"}


def test_a_cue_s_sound_goes_to_screens_and_the_office_only_with_its_type(client, admin_client, tokens):
    upload(admin_client, "anthem.wav", wav())
    cue_id = admin_client.get("/admin/stage").get_data(as_text=True).split('data-cue="', 1)[1].split('"', 1)[0]
    url = f"/display/cues/{cue_id}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer(tokens["door"])).status_code == 403
    assert client.get(url, headers=bearer(tokens["mc"])).status_code == 403
    for answer in (client.get(url, headers=bearer(tokens["display"])), admin_client.get(url)):
        assert answer.status_code == 200
        assert answer.mimetype == "audio/wav" and answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.data[:4] == b"RIFF"


def test_the_mc_sets_the_lectern_message_and_hides_the_overlay(client, auth):
    mc = auth("mc")
    answer = client.post("/api/stage/lectern", json={"message": "Xin đồng chí tóm tắt"}, headers=mc)
    assert answer.status_code == 200 and answer.get_json()["stage"]["lectern_message"] == "Xin đồng chí tóm tắt"
    assert client.post("/api/stage/overlay", json={"hidden": True}, headers=mc).get_json()["stage"]["overlay_hidden"]
    before = state(client)["version"]
    refusals = [client.post("/api/stage/lectern", json={"message": "x" * 201}, headers=mc),
                client.post("/api/stage/overlay", json={"hidden": "yes"}, headers=mc),
                client.post("/api/stage/lectern", data="not json", headers=mc),
                client.post("/api/stage/lectern", json={"message": "x"}, headers=auth("door")),
                client.post("/api/stage/overlay", json={"hidden": False})]
    assert [answer.status_code for answer in refusals] == [400, 400, 400, 403, 401]
    assert state(client)["version"] == before and state(client)["stage"]["overlay_hidden"] is True


def paired(app, code: str):
    browser = app.test_client()
    assert browser.get(f"/pair/{code}").status_code == 302
    return browser


def test_the_sound_page_is_the_first_projector_paired_unless_the_office_chooses(app, client, admin_client,
                                                                                 conference_id):
    from conference.accounts.devices import create_device
    from conference.core.models import Role
    with app.app_context():
        made = [create_device(conference_id, role, label) for role, label in
                ((Role.DISPLAY, "Máy chiếu 1"), (Role.DISPLAY, "Máy chiếu 2"), (Role.MC, "MC"))]
        (first, second, mc), codes = [new.device.id for new in made], [new.pairing for new in made]
    assert state(client)["stage"]["sound_device_id"] is None  # no projector paired yet: nothing plays
    paired(app, codes[0])
    paired(app, codes[1])
    assert state(client)["stage"]["sound_device_id"] == first
    form = {"csrf_token": admin_client.csrf_token, "device_id": str(second)}
    assert admin_client.post("/admin/stage/sound-device", data=form).status_code == 303
    assert state(client)["stage"]["sound_device_id"] == second
    form["device_id"] = str(mc)  # not a projector
    assert admin_client.post("/admin/stage/sound-device", data=form).status_code == 400
    assert state(client)["stage"]["sound_device_id"] == second


def test_only_the_sound_page_is_heard_by_the_mc_consoles(app, devices_made):
    sound_page = paired(app, devices_made["display"].pairing)
    mc = socketio.test_client(app, auth={"token": devices_made["mc"].token})
    stranger = socketio.test_client(app)  # an unpaired projector page
    player = socketio.test_client(app, flask_test_client=sound_page)
    mc.get_received()
    stranger.emit("sound", {"armed": True, "playing": "fake.mp3"})
    assert [m for m in mc.get_received() if m["name"] == "sound"] == []
    player.emit("sound", {"armed": True, "playing": "<b>anthem.wav</b>" * 40})
    heard = [m["args"][0] for m in mc.get_received() if m["name"] == "sound"]
    assert heard == [{"armed": True, "playing": ("<b>anthem.wav</b>" * 40)[:200]}]
    assert [m for m in stranger.get_received() if m["name"] == "sound"] == []  # the MC consoles only


def test_the_overlay_style_is_the_office_s_once_replaced_and_markup_is_refused(admin_client, client):
    default = client.get("/display/overlay.css")
    assert default.mimetype == "text/css" and b".lower-third" in default.data
    send = lambda content: admin_client.post("/admin/stage/overlay-style", data={  # noqa: E731
        "csrf_token": admin_client.csrf_token, "file": (io.BytesIO(content), "overlay.css")},
        content_type="multipart/form-data")
    assert send(b"</style><script>alert(1)</script>").status_code == 400
    assert send(b"\xff\xfe not utf-8").status_code == 400
    assert client.get("/display/overlay.css").data == default.data
    assert send(b".lower-third { background: navy; }").status_code == 303
    assert client.get("/display/overlay.css").data == b".lower-third { background: navy; }"
    admin_client.post("/admin/stage/overlay-style", data={"csrf_token": admin_client.csrf_token, "default": "1"})
    assert client.get("/display/overlay.css").data == default.data


def test_the_command_line_attaches_a_cue_and_refuses_a_renamed_file(tmp_path, monkeypatch):
    from conference.cli.commands import cli
    env = {"CONFERENCE_INSTANCE": str(tmp_path / "cli-instance"), "CONFERENCE_LANG": "vi",
           "CONFERENCE_ADMIN_PASSWORD": "stage-cli-password"}
    (tmp_path / "quoc-ca.wav").write_bytes(wav())
    (tmp_path / "virus.mp3").write_bytes(ELF)
    run = lambda *args: CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)  # noqa: E731
    done = run("add-cue", str(tmp_path / "quoc-ca.wav"), "--item", "1", "--volume", "70")
    assert done.exit_code == 0 and "quoc-ca.wav" in done.output, done.output
    refused = run("add-cue", str(tmp_path / "virus.mp3"), "--overtime")
    assert refused.exit_code == 1 and "không phải âm thanh" in refused.output
    both = run("add-cue", str(tmp_path / "quoc-ca.wav"), "--awards", "--overtime")
    assert both.exit_code == 1
    assert run("add-cue", str(tmp_path / "quoc-ca.wav"), "--item", "4.9").exit_code == 1
    sounds = [path.suffix for path in (tmp_path / "cli-instance" / "stage").iterdir()]
    assert sounds == [".wav"]
