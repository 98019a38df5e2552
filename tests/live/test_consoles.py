"""Who is driving: every MC console hears which MC devices are connected, by label, as they come
and go; other roles neither hear it nor count."""
from __future__ import annotations

from conference.accounts.devices import create_device
from conference.core.extensions import socketio as server_socketio
from conference.core.models import Role


def drivers(test_client) -> list[list[str]]:
    return [m["args"][0]["drivers"] for m in test_client.get_received() if m["name"] == "drivers"]


def test_mc_consoles_see_each_other_come_and_go(app, conference_id):
    with app.app_context():
        first, second, door = (create_device(conference_id, role, label)[1] for role, label in
                               ((Role.MC, "MC 1"), (Role.MC, "MC 2"), (Role.DOOR, "Cửa 1")))
    one = server_socketio.test_client(app, auth={"token": first})
    assert drivers(one) == [["MC 1"]]
    at_door = server_socketio.test_client(app, auth={"token": door})
    assert drivers(one) == [] and drivers(at_door) == []  # a door is not a driver and is not told
    two = server_socketio.test_client(app, auth={"token": second})
    assert drivers(one) == [["MC 1", "MC 2"]] and drivers(two) == [["MC 1", "MC 2"]]
    two.disconnect()
    assert drivers(one) == [["MC 1"]]
    one.disconnect()
    at_door.disconnect()


def test_an_mc_console_moved_by_an_activate_hears_the_new_conference_drivers(app, conference_id):
    from conference.office import lifecycle
    with app.app_context():
        token = create_device(conference_id, Role.MC, "MC 1")[1]
    console = server_socketio.test_client(app, auth={"token": token})
    assert drivers(console) == [["MC 1"]]
    with app.app_context():
        new = lifecycle.create_conference("Hội nghị mới")
        lifecycle.activate(new)
        from conference.live.realtime import follow_active_conference
        assert follow_active_conference()  # what the watch does within a round
    assert drivers(console) == [["MC 1"]]  # now as a driver of the new conference
    with app.app_context():
        second = create_device(new, Role.MC, "MC 2")[1]
    other = server_socketio.test_client(app, auth={"token": second})
    assert drivers(console) == [["MC 1", "MC 2"]]  # it hears the new conference's consoles
    other.disconnect()
    console.disconnect()
