"""What a new password may not be, wherever it is set (the accounts page, the `users` command, the
start-up's CONFERENCE_ADMIN_PASSWORD): one character or a short group repeated (aaaaaaaa, 12121212),
a run (12345678, abcdefgh, 87654321), or one of the commonest passwords (common_passwords.txt beside
this file). Compared in lower case and without diacritics, so "MậtKhẩu123" is "matkhau123". Its
length is checked by users.parse_password.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from conference.core.errors import ConferenceError
from conference.core.textnorm import fold

COMMON = Path(__file__).with_name("common_passwords.txt")
SHORT_GROUP = 4  # "abcdabcd" is as easy as "aaaaaaaa"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line) for line in lines if line.strip() and not line.startswith("#"))


def refuse_weak(password: str) -> None:
    """Raise weak_password if PASSWORD is one anybody would try first."""
    folded = fold(password)
    if repeated(folded):
        raise ConferenceError("weak_password", "Mật khẩu không được chỉ là một ký tự hay một nhóm ký tự ngắn lặp lại.")
    if is_run(folded):
        raise ConferenceError("weak_password", "Mật khẩu không được là một dãy liên tiếp như 12345678 hay abcdefgh.")
    if folded in common_passwords() or folded.replace(" ", "") in common_passwords():
        raise ConferenceError("weak_password", "Mật khẩu này nằm trong danh sách mật khẩu phổ biến nhất; "
                                               "hãy chọn mật khẩu khác.")


def repeated(text: str) -> bool:
    return any(len(text) > size and text == (text[:size] * len(text))[:len(text)]
               for size in range(1, SHORT_GROUP + 1))


def is_run(text: str) -> bool:
    """Each character the one after the last (or before it), digits going round: 78901234."""
    steps = {_step(a, b) for a, b in zip(text, text[1:])}
    return len(text) > 2 and (steps == {1} or steps == {-1})


def _step(a: str, b: str) -> int:
    if a + b == "90":
        return 1
    return -1 if a + b == "09" else ord(b) - ord(a)
