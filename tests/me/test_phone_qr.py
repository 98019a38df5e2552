"""The phone QR: with the venue's address set, every printed badge and invitation carries a second
QR, read back by a real decoder, that holds <venue>/me/<its own code>; without it, none."""
from __future__ import annotations

from conference.me.venue import set_venue_address
from conference.papers.badges import badges_pdf
from conference.papers.invitations import invitations_pdf
from tests.me.helpers import decoded_first_page


def test_each_badge_and_invitation_carries_the_phone_qr_of_its_own_code_once_the_venue_is_set(
        app, conference_id, tmp_path):
    with app.app_context():
        plain = decoded_first_page(badges_pdf(conference_id, delegate_ids=range(1, 9)), tmp_path)
        assert len(plain) == 8 and not any("/me/" in text for text in plain)
        set_venue_address(conference_id, "192.168.1.10:5000")
        badges = decoded_first_page(badges_pdf(conference_id, delegate_ids=range(1, 9)), tmp_path)
        invitation = decoded_first_page(invitations_pdf(conference_id, delegate_id=1), tmp_path)
    codes = [text for text in badges if "/" not in text]
    assert len(codes) == 8
    assert sorted(text for text in badges if "/" in text) == sorted(f"http://192.168.1.10:5000/me/{c}" for c in codes)
    code = next(text for text in invitation if "/" not in text)
    assert invitation == sorted([code, f"http://192.168.1.10:5000/me/{code}"])
