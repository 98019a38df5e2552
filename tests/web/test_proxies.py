"""Behind a proxy, X-Forwarded-For is believed only from CONFERENCE_TRUSTED_PROXIES: a caller that
reaches the process directly cannot pick a new address for every wrong password."""
from __future__ import annotations

import re

import pytest
import requests

from conference import create_app
from conference.accounts.attempts import PER_ADDRESS as LIMIT  # wrong passwords an address may try
from conference.web.proxies import TrustedProxyFix, trusted_networks
from tests.conftest import LiveServer

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def behind_proxy(tmp_path, **config):
    return create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "BEHIND_PROXY": True,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}", **config})


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def wrong_passwords(client, forwarded_for, count: int = 30) -> list[int]:
    """`count` wrong sign-ins, each claiming the forwarded address forwarded_for(n), each for another
    login name, so that only the limit per address can answer 429 (the others are tested in
    tests/accounts/test_signin_limits.py)."""
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    return [client.post("/login", data={"csrf_token": token, "login": f"person{n}", "password": f"guess-{n}"},
                        headers={"X-Forwarded-For": forwarded_for(n)}).status_code for n in range(count)]


def limited_after_ten(statuses: list[int]) -> bool:
    return 429 not in statuses[:LIMIT] and set(statuses[LIMIT:]) == {429}


def test_a_direct_caller_rotating_x_forwarded_for_is_limited_by_its_own_address(tmp_path):
    app = behind_proxy(tmp_path)
    client = client_from(app, "192.0.2.77")  # not the proxy
    assert limited_after_ten(wrong_passwords(client, lambda n: f"198.51.100.{n}"))


def test_through_the_trusted_proxy_each_client_has_its_own_limit(tmp_path):
    app = behind_proxy(tmp_path)
    proxy = client_from(app, "127.0.0.1")
    assert 429 not in wrong_passwords(proxy, lambda n: f"198.51.100.{n}")  # thirty people, three tries each
    assert limited_after_ten(wrong_passwords(proxy, lambda n: "203.0.113.5"))  # one person, thirty tries


def test_the_trusted_proxies_are_configurable_addresses_and_networks(tmp_path):
    app = behind_proxy(tmp_path, TRUSTED_PROXIES="10.1.0.0/16, 2001:db8::1")
    inside = client_from(app, "10.1.4.2")
    assert 429 not in wrong_passwords(inside, lambda n: f"198.51.100.{n}")
    local = client_from(app, "127.0.0.1")  # no longer trusted
    assert limited_after_ten(wrong_passwords(local, lambda n: f"198.51.100.{n}"))


def seen_by_the_app(trusted: str, remote: str, headers: dict[str, str]) -> dict:
    seen = {}

    def app(environ, start_response):
        seen.update(address=environ["REMOTE_ADDR"], scheme=environ["wsgi.url_scheme"],
                    host=environ.get("HTTP_HOST"), forwarded=environ.get("HTTP_X_FORWARDED_FOR"))
        start_response("204 No Content", [])
        return []

    environ = {"REMOTE_ADDR": remote, "wsgi.url_scheme": "http", "HTTP_HOST": "10.0.0.5:5000",
               **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}}
    TrustedProxyFix(app, trusted_networks(trusted))(environ, lambda *a: None)
    return seen


@pytest.mark.parametrize("remote", ["127.0.0.1", "::ffff:127.0.0.1", "::1"])
def test_a_trusted_proxy_is_believed_for_the_last_hop_address_scheme_and_host(remote):
    headers = {"X-Forwarded-For": "6.6.6.6, 198.51.100.9", "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "hoinghi.example"}
    seen = seen_by_the_app("127.0.0.1, ::1", remote, headers)
    assert seen["address"] == "198.51.100.9"  # what the proxy saw, not what the client claimed before it
    assert (seen["scheme"], seen["host"]) == ("https", "hoinghi.example")


@pytest.mark.parametrize("remote", ["192.0.2.77", "127.0.0.2", "", "not-an-address"])
def test_anyone_else_is_known_by_its_own_address_and_its_claims_are_dropped(remote):
    headers = {"X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    seen = seen_by_the_app("127.0.0.1", remote, headers)
    assert seen == {"address": remote, "scheme": "http", "host": "10.0.0.5:5000", "forwarded": None}


def test_a_mistyped_trusted_proxy_stops_the_start_with_its_name(tmp_path):
    with pytest.raises(ValueError, match="10.0.0.300"):
        behind_proxy(tmp_path, TRUSTED_PROXIES="127.0.0.1, 10.0.0.300")


@pytest.mark.slow
def test_a_live_server_behind_a_proxy_limits_a_direct_caller_that_forges_x_forwarded_for(tmp_path):
    """The embedded server, told its proxy is elsewhere: this test's own requests come directly."""
    server = LiveServer(tmp_path / "instance", env={"CONFERENCE_BEHIND_PROXY": "1",
                                                    "CONFERENCE_TRUSTED_PROXIES": "192.0.2.1"}).start()
    try:
        caller = requests.Session()
        token = CSRF_FIELD.search(caller.get(server.url + "/login", timeout=5).text).group(1)
        statuses = [caller.post(server.url + "/login", data={"csrf_token": token, "login": f"person{n}",
                                                              "password": f"guess-{n}"},
                                headers={"X-Forwarded-For": f"198.51.100.{n}"}, timeout=5).status_code
                    for n in range(30)]
        assert limited_after_ten(statuses), statuses
    finally:
        server.stop()
