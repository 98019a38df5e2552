"""Who is asking: what every guard, route and socket handler is told about the caller."""
from __future__ import annotations

from dataclasses import dataclass

from conference.core.models import AccountRole, Role


@dataclass(frozen=True)
class Principal:
    """A role within one conference and a name to show. A paired device has its device_id; a
    named office account has its user_id and account_role (its role is then Role.ADMIN, the office).
    session_id is the server-side session a cookie caller came in with (None for a Bearer token)."""
    role: Role
    conference_id: int
    label: str
    device_id: int | None = None
    user_id: int | None = None
    account_role: AccountRole | None = None
    session_id: int | None = None

    @property
    def read_only(self) -> bool:
        """A secretary reads the office pages and changes nothing."""
        return self.account_role == AccountRole.SECRETARY

    @property
    def manages_accounts(self) -> bool:
        """Only an administrator's account (not a paired office device) opens /admin/users."""
        return self.account_role == AccountRole.ADMINISTRATOR
