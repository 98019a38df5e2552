"""Where a sign-in goes next: only a path on this site, whatever `next` says. A tab or a newline
that a browser drops ("/\t/evil" is "//evil"), a second slash or a backslash, a scheme: each goes
to the office's page instead, and no `next` ever answers 500."""
from __future__ import annotations

import pytest

from tests.conftest import ADMIN_LOGIN, ADMIN_PASSWORD, page_csrf_token


def signed_in_to(client, query: str):
    token = page_csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login" + query, data={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD,
                                               "csrf_token": token})


@pytest.mark.parametrize("query", [
    "?next=/%09/evil.example",  # the issue's: a tab the browser drops, then //evil.example
    "?next=/%0a/evil.example",  # the issue's: a newline, which answered 500 after the session was made
    "?next=/%0d%0aSet-Cookie:x=1", "?next=%5C%5Cevil.example", "?next=https://evil.example",
    "?next=/%5C%5Cevil.example", "?next=/%5Cevil.example", "?next=//evil.example",
    "?next=/%2509/evil.example",  # the same tab, encoded twice
    "?next=/%20/evil.example", "?next=evil.example", "?next=/admin%00", "?next=",
])
def test_a_next_that_is_not_a_plain_path_here_goes_to_the_office(client, query):
    answer = signed_in_to(client, query)
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin"
    assert client.get("/admin").status_code == 200  # signed in all the same


@pytest.mark.parametrize("target", ["/mc", "/admin/audit?q=lan", "/admin/delegates"])
def test_a_path_on_this_site_is_followed(client, target):
    answer = signed_in_to(client, "?next=" + target.replace("?", "%3F").replace("=", "%3D"))
    assert answer.status_code == 302 and answer.headers["Location"] == target
