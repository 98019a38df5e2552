"""Importing honourees from a spreadsheet (.xlsx or .csv): the header mapping, matching rows to
the conference's decisions, forms and delegates, the row checks, a preview, and the import itself
(all rows or none; decisions the file names that do not exist yet are created).

One file of the awards package, read in one sitting. The input checks come from common.py, the
catalogue's reads and the next decision position from catalogue.py; reading the file from the
delegates' importer (checkin/importer.py).
"""
from __future__ import annotations

import re

import sqlalchemy as sa

from conference.checkin.importer import HEADER_SEARCH_ROWS, ImportFailed, ImportResult, RowError, read_table
from conference.core.db import db, write_transaction
from conference.core.errors import N_, ConferenceError
from conference.core.fields import bounded_text
from conference.core.models import AwardDecision, Delegate, Honouree, HonoureeKind
from conference.core.state import bump_version, get_conference
from conference.core.textnorm import clean, fold
from .catalogue import decisions, forms, next_decision_position
from .common import LIMITS, as_date, parse_kind, plain

IMPORT_MAX_ROWS = 2000
# Header text, folded and without anything in brackets -> field.
IMPORT_HEADERS = {
    "number": ("quyet dinh so", "so quyet dinh", "quyet dinh", "so qd", "qd so", "decision number",
               "decision", "decision no"),
    "form": ("hinh thuc", "hinh thuc khen thuong", "hinh thuc danh hieu", "danh hieu", "form", "award"),
    "kind": ("loai", "doi tuong", "tap the ca nhan", "kind", "type"),
    "name": ("ten", "ten tap the ca nhan", "ho va ten", "ho ten", "ten tap the", "name", "full name"),
    "unit": ("don vi", "co quan", "noi cong tac", "unit", "organisation", "organization"),
    "citation": ("thanh tich", "thanh tich tieu bieu", "citation", "achievement"),
    "representative": ("dai bieu nhan", "nguoi nhan", "dai dien", "dai dien nhan", "dai bieu",
                       "representative", "delegate"),
    "proxy": ("nhan thay", "nguoi nhan thay", "proxy"),
    "issuer": ("cap ban hanh", "nguoi ky", "co quan ban hanh", "cap quyet dinh", "issuer"),
    "signed_on": ("ngay ky", "ngay quyet dinh", "ngay", "signed on", "date"),
    "reason": ("ly do", "vi", "reason"),
}
_IMPORT_LOOKUP = {alias: key for key, aliases in IMPORT_HEADERS.items() for alias in aliases}
_REQUIRED_COLUMNS = ("number", "kind", "name")


def _header_key(cell: object) -> str:
    folded = re.sub(r"\(.*?\)", " ", fold(str(cell))) if cell is not None else ""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _find_award_header(rows) -> tuple[int, dict[int, str]]:
    """The first row, among the top ones, that names the decision, kind and name columns."""
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[int, str] = {}
        for column, cell in enumerate(cells):
            key = _IMPORT_LOOKUP.get(_header_key(cell))
            if key and key not in columns.values():
                columns[column] = key
        if set(_REQUIRED_COLUMNS) <= set(columns.values()):
            return index, columns
    raise ConferenceError("missing_header", "Không thấy dòng tiêu đề có các cột “Quyết định số”, "
                          "“Loại” (tập thể/cá nhân) và “Tên”.", 422)


class _Roster:
    """The conference's decisions, forms and delegates, for matching the rows of a file."""

    def __init__(self, conference_id: int):
        self.decisions = decisions(conference_id)
        self.forms = {fold(f.name): f for f in forms(conference_id)}
        self.exact: dict[str, list[Delegate]] = {}
        self.folded: dict[str, list[Delegate]] = {}
        for delegate in db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)):
            self.exact.setdefault(delegate.full_name, []).append(delegate)
            self.folded.setdefault(fold(delegate.full_name), []).append(delegate)
        self.new: dict[str, dict] = {}  # decisions the file will create, by folded number
        self.seen: dict[tuple, int] = {(d.id, h.kind, fold(h.name)): 0 for d in self.decisions for h in d.honourees}
        self.next_position = {d.id: max((h.position for h in d.honourees), default=0) + 1 for d in self.decisions}

    def delegate(self, name: str, required: bool) -> Delegate | None:
        for found in (self.exact.get(clean(name), []), [] if not required else self.folded.get(fold(name), [])):
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                if not required:
                    return None
                raise ConferenceError("ambiguous_delegate", "có %(count)d đại biểu tên “%(name)s”",
                                      count=len(found), name=clean(name))
        if required:
            raise ConferenceError("unknown_delegate", "không có đại biểu “%(name)s” trong danh sách đại biểu",
                                  name=clean(name))
        return None

    def decision(self, values: dict, row: int) -> tuple[object, dict]:
        """(key, description) of the decision a row belongs to: an existing one, or one to create."""
        number = _cell(values, "number", N_("số quyết định"), LIMITS["number"], required=True)
        issuer = _cell(values, "issuer", N_("cấp ban hành"), LIMITS["issuer"])
        form_name = _cell(values, "form", N_("hình thức"), LIMITS["form_name"])
        form = self.forms.get(fold(form_name)) if form_name else None
        if form_name and form is None:
            raise ConferenceError("unknown_form", "không có hình thức “%(form)s” trong danh mục", form=form_name)
        matches = [d for d in self.decisions
                   if fold(d.number) == fold(number) and (not issuer or fold(d.issuer) == fold(issuer))]
        if len(matches) > 1 and form:
            matches = [d for d in matches if d.form_id == form.id]
        if len(matches) > 1:
            raise ConferenceError("ambiguous_decision", "có %(count)d quyết định số %(number)s; ghi thêm cột “Cấp ban hành”",
                                  count=len(matches), number=number)
        if matches:
            found = matches[0]
            if form and found.form_id != form.id:
                raise ConferenceError("form_mismatch", "quyết định số %(number)s tặng “%(given)s”, không phải “%(form)s”",
                                      number=found.number, given=found.form.name, form=form.name)
            return found.id, {"id": found.id, "number": found.number, "issuer": found.issuer,
                              "form": found.form.name, "new": False}
        return self._new_decision(values, number, issuer, form, row)

    def _new_decision(self, values, number, issuer, form, row) -> tuple[object, dict]:
        key = "new:" + fold(number)
        known = self.new.get(key)
        if known is None:
            if form is None:
                raise ConferenceError("missing_form", "chưa có quyết định số %(number)s; cần cột “Hình thức”",
                                      number=number)
            if issuer is None:
                raise ConferenceError("missing_issuer", "chưa có quyết định số %(number)s; cần cột “Cấp ban hành”",
                                      number=number)
            known = {"id": None, "number": number, "issuer": issuer, "form": form.name, "form_id": form.id,
                     "signed_on": as_date(values.get("signed_on")),
                     "reason": _cell(values, "reason", N_("lý do"), LIMITS["reason"]), "new": True, "row": row}
            self.new[key] = known
        elif (form and form.id != known["form_id"]) or (issuer and fold(issuer) != fold(known["issuer"])):
            raise ConferenceError("decision_mismatch",
                                  "quyết định số %(number)s ghi khác với dòng %(row)d (hình thức, cấp ban hành)",
                                  number=number, row=known["row"])
        return key, {k: known[k] for k in ("id", "number", "issuer", "form", "new")}


def _cell(values: dict, key: str, label: str, limit: int, required: bool = False) -> str | None:
    return bounded_text(values.get(key), limit, label, key, required=required, numbers=True)


def _check_row(roster: _Roster, values: dict, row: int) -> dict:
    key, decision = roster.decision(values, row)
    kind_text = _cell(values, "kind", N_("loại (tập thể/cá nhân)"), 40, required=True)
    try:
        kind = parse_kind(kind_text)
    except ConferenceError:
        raise ConferenceError("invalid_kind", "loại “%(kind)s” phải là “tập thể” hoặc “cá nhân”",
                              kind=kind_text) from None
    name = _cell(values, "name", N_("tên"), LIMITS["name"], required=True)
    representative = _cell(values, "representative", N_("đại biểu nhận"), 120)
    if representative:
        delegate = roster.delegate(representative, required=True)
    else:
        delegate = roster.delegate(name, required=False) if kind == HonoureeKind.INDIVIDUAL else None
    duplicate = (key, kind, fold(name))
    if duplicate in roster.seen:
        if roster.seen[duplicate]:
            raise ConferenceError("duplicate_honouree", "“%(name)s” đã có trong quyết định này (dòng %(row)d)",
                                  name=name, row=roster.seen[duplicate])
        raise ConferenceError("duplicate_honouree", "“%(name)s” đã có trong quyết định này (danh sách hiện có)",
                              name=name)
    roster.seen[duplicate] = row
    return {"row": row, "decision": decision, "decision_key": key, "kind": kind.value, "name": name,
            "unit": _cell(values, "unit", N_("đơn vị"), LIMITS["unit"]),
            "citation": _cell(values, "citation", N_("thành tích"), LIMITS["citation"]),
            "proxy_name": _cell(values, "proxy", N_("người nhận thay"), LIMITS["proxy_name"]),
            "delegate_id": delegate.id if delegate else None,
            "delegate_name": delegate.full_name if delegate else None}


def _check_table(conference_id: int, rows) -> tuple[ImportResult, _Roster]:
    header_index, columns = _find_award_header(rows)
    roster = _Roster(conference_id)
    result = ImportResult()
    for number, cells in rows[header_index + 1:]:
        values = {key: cells[column] if column < len(cells) else None for column, key in columns.items()}
        if not any(clean(plain(v)) for v in values.values() if v is not None):
            continue  # a blank row
        if len(result.rows) + len(result.errors) >= IMPORT_MAX_ROWS:
            result.errors.append(RowError(number, "quá %(limit)d dòng", {"limit": IMPORT_MAX_ROWS}))
            break
        try:
            result.rows.append(_check_row(roster, values, number))
        except ConferenceError as error:
            result.errors.append(RowError.of(number, error))
    if not result.rows and not result.errors:
        result.errors.append(RowError(header_index + 1, "bảng không có dòng dữ liệu nào"))
    return result, roster


def _public_row(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "decision_key"}


def preview_honourees(conference_id: int, filename: str, content: bytes) -> dict:
    """Read and check every row without writing anything."""
    rows = read_table(filename, content)
    result, roster = _check_table(conference_id, rows)
    return {"rows": [_public_row(r) for r in result.rows],
            "errors": [{"row": e.row, "message": e.localized()} for e in result.errors],
            "new_decisions": [{"number": d["number"], "issuer": d["issuer"], "form": d["form"]}
                              for d in roster.new.values()]}


def import_honourees(conference_id: int, filename: str, content: bytes) -> dict:
    """Add every row, creating the decisions the file names that do not exist yet; or nothing at all."""
    rows = read_table(filename, content)
    with write_transaction() as session:
        get_conference(conference_id)
        result, roster = _check_table(conference_id, rows)
        if result.errors:
            raise ImportFailed(result.errors)
        made: dict[object, AwardDecision] = {}
        position = next_decision_position(conference_id)
        for key, info in roster.new.items():
            made[key] = AwardDecision(conference_id=conference_id, position=position, number=info["number"],
                                      issuer=info["issuer"], form_id=info["form_id"],
                                      signed_on=info["signed_on"], reason=info["reason"])
            session.add(made[key])
            position += 1
        session.flush()
        for row in result.rows:
            decision = made.get(row["decision_key"]) or session.get(AwardDecision, row["decision_key"])
            place = roster.next_position.get(decision.id, 1)
            roster.next_position[decision.id] = place + 1
            session.add(Honouree(decision_id=decision.id, position=place, kind=HonoureeKind(row["kind"]),
                                 name=row["name"], unit=row["unit"], citation=row["citation"],
                                 proxy_name=row["proxy_name"], delegate_id=row["delegate_id"]))
        bump_version(conference_id)
    return {"imported": len(result.rows), "decisions_created": len(roster.new)}
