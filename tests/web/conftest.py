"""The real server on both set-ups, for the tests of what a hostile client can do to it."""
from __future__ import annotations

import pytest

from tests.conftest import LiveServer, lanes
from tests.scale.test_scale_processes import GunicornServer


@pytest.fixture(params=["serve", "gunicorn"])
@lanes("slow")
def server(request, tmp_path):
    """`python3 -m conference serve`, then the production command (deploy/gunicorn.command)."""
    kind = LiveServer if request.param == "serve" else GunicornServer
    started = kind(tmp_path / "instance", env={"CONFERENCE_ADMIN_PASSWORD": "hostile-test"}).start()
    yield started
    started.stop()
