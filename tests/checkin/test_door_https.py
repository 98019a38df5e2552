"""`serve --https`: a self-signed certificate kept in the instance folder, so tablet cameras work on
a LAN; it is kept between runs, remade when the address changes, and the door camera starts over it."""
from __future__ import annotations

import datetime
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from cryptography import x509

from conference.web import tls
from tests.conftest import ROOT, LiveServer, lanes

CERT, KEY = "tls-cert.pem", "tls-key.pem"


class HttpsServer(LiveServer):
    """python3 -m conference serve --https, in its own process."""

    def __init__(self, instance: Path):
        super().__init__(instance, https=True)

    def pairing_address(self, label: str) -> str:
        """The address the CLI prints for a door with --https."""
        output = subprocess.run([sys.executable, "-m", "conference", "token", "door", "--label", label, "--https",
                                 "--host", "127.0.0.1", "--port", str(self.port)],
                                cwd=ROOT, env=self.env, capture_output=True, text=True, check=True).stdout.strip()
        return output.split(": ", 1)[1]


@pytest.fixture(scope="module")
@lanes("slow")
def https_server(tmp_path_factory):
    server = HttpsServer(tmp_path_factory.mktemp("https") / "instance").start()
    yield server
    server.stop()


def san(cert_path: Path) -> tuple[set[str], set[str]]:
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return set(names.get_values_for_type(x509.DNSName)), {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}


def test_serve_https_answers_over_tls_with_a_certificate_it_keeps(https_server):
    cert = https_server.instance / CERT
    key = https_server.instance / KEY
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    dns, ips = san(cert)
    assert "localhost" in dns and "127.0.0.1" in ips
    answer = requests.get(https_server.url + "/api/state", verify=str(cert), timeout=5)  # verified, not ignored
    assert answer.status_code == 200 and answer.json()["version"] >= 1
    download = requests.get(https_server.url + "/door/certificate.pem", verify=str(cert), timeout=5)
    assert download.content == cert.read_bytes()
    before = cert.read_bytes()
    https_server.stop()
    https_server.start()
    assert cert.read_bytes() == before  # tablets that trusted it keep trusting it
    assert requests.get(https_server.url + "/door", verify=str(cert), timeout=5, allow_redirects=False).status_code == 302
    with pytest.raises(requests.RequestException):  # no plain http on the same port
        requests.get(https_server.url.replace("https://", "http://") + "/api/state", timeout=3).raise_for_status()


def test_certificate_is_remade_when_the_lan_address_changes(tmp_path):
    cert, _ = tls.self_signed_certificate(tmp_path, "192.168.1.20")
    first = Path(cert).read_bytes()
    assert tls.self_signed_certificate(tmp_path, "192.168.1.20")[0] == cert
    assert Path(cert).read_bytes() == first
    tls.self_signed_certificate(tmp_path, "10.0.0.7")  # another venue, another address
    assert Path(cert).read_bytes() != first
    assert "10.0.0.7" in san(Path(cert))[1]


def test_certificate_is_remade_when_it_is_about_to_expire(tmp_path, monkeypatch):
    cert, _ = tls.self_signed_certificate(tmp_path, "192.168.1.20")
    first = Path(cert).read_bytes()
    monkeypatch.setattr(tls, "RENEW_BEFORE", datetime.timedelta(days=tls.VALID_DAYS + 1))
    tls.self_signed_certificate(tmp_path, "192.168.1.20")
    assert Path(cert).read_bytes() != first


def test_certificate_can_be_installed_on_a_tablet_as_its_own_authority(tmp_path):
    cert, _ = tls.self_signed_certificate(tmp_path, "192.168.1.20")
    certificate = x509.load_pem_x509_certificate(Path(cert).read_bytes())
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.SERVER_AUTH in usage
    validity = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert validity <= datetime.timedelta(days=tls.VALID_DAYS + 1)


@pytest.mark.browser
def test_door_over_https_is_a_secure_context_where_the_camera_scans(chromium, https_server, tmp_path):
    from playwright.sync_api import expect
    from tests.checkin.test_door_browser import expect_result
    from tests.checkin.test_door_camera import badge_png, camera_frame, launch_with_camera, write_y4m

    address = https_server.pairing_address("Cửa 9")
    assert address.startswith(https_server.url + "/pair/")
    token = https_server.token("door", "Chương trình")  # the test's own calls: a program's token
    cert = str(https_server.instance / CERT)
    delegate = requests.get(https_server.url + "/api/delegates", params={"q": "Trương Văn Đông"}, verify=cert,
                            headers={"Authorization": f"Bearer {token}"}, timeout=5).json()["delegates"][0]

    state = requests.get(https_server.url + "/api/state", verify=cert, timeout=5).json()
    badge = badge_png(state, delegate, tmp_path / "badge.png")
    video = write_y4m(tmp_path / "badge.y4m", [(camera_frame(badge), 3)])
    browser = launch_with_camera(chromium, video)
    try:
        page = browser.new_context(ignore_https_errors=True).new_page()  # the one-time certificate warning
        page.goto(address)
        assert page.evaluate("window.isSecureContext")
        expect(page.locator("#scanner")).to_have_attribute("data-state", "running", timeout=15000)
        expect_result(page, "ok", delegate["full_name"])
    finally:
        browser.close()
