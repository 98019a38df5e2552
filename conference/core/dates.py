"""Dates and times the Vietnamese administrative way, in the conference's local time.

Stored times are UTC; a paper, a screen or an export shows local wall-clock time. Dates follow
NĐ 30/2020/NĐ-CP: "An Tân, ngày 05 tháng 3 năm 2020" (a leading zero for days under 10 and for
months 1 and 2).
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


def local_zone() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def to_local(moment: datetime | None) -> datetime | None:
    """A stored UTC time as local wall-clock time, without tzinfo (what a document shows)."""
    return None if moment is None else moment.astimezone(local_zone()).replace(tzinfo=None)


def vn_day(day: date) -> str:
    """"ngày 05 tháng 3 năm 2020": two-digit day always, two-digit month only for January and February."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_date(day: date, place: str | None = None) -> str:
    """The place-and-date line of a document: "An Tân, ngày 05 tháng 3 năm 2020"."""
    return f"{place}, {vn_day(day)}" if place else vn_day(day).capitalize()


def vn_clock(moment: datetime | None) -> str:
    """"07 giờ 30 phút" (local time), or a blank for the office to fill in by hand."""
    local = to_local(moment) if moment is not None and moment.tzinfo else moment
    return f"{local.hour:02d} giờ {local.minute:02d} phút" if local else "…… giờ …… phút"


def hhmm(moment: datetime | None) -> str:
    local = to_local(moment)
    return f"{local:%H:%M}" if local else ""
