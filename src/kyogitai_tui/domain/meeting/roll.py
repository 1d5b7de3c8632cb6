"""Attendance (roll call, late arrivals, early leavers, guests, quorum) and
materials (資料1, 資料2 ...) of a meeting.  Mixed into ``MeetingSession``."""
from __future__ import annotations

from datetime import time
from typing import Any, Optional

from kyogitai_tui.domain.dates import hhmm
from kyogitai_tui.domain.model import Attendance, Material
from kyogitai_tui.domain.guidebook.rules import QuorumState, quorum_for_meeting

from kyogitai_tui.domain.changes import Change, SessionError, require_text

ATTENDANCE_STATUSES = ("PRESENT", "ABSENT", "PROXY", "LATE", "LEFT_EARLY")
MEETING_ROLES = ("MEMBER", "SC", "SECRETARIAT", "DEPARTMENT", "PARTNER", "ADVISOR", "OBSERVER")


def _name_or_body(name: str, org_name: str) -> tuple[str, str]:
    """A guest is a person (氏名) or a body attending as such (a department as
    事務局, a 相談支援事業所 as 関係機関): one of the two is enough."""
    name, org_name = (name or "").strip(), (org_name or "").strip()
    if not name and not org_name:
        raise _err("氏名か所属（部署名・機関名）を入力してください（例: 障害福祉課）。")
    return name, org_name


def _err(message: str) -> SessionError:
    return SessionError(message)




class SessionRollMixin:
    meeting_id: str
    record: Any
    world: Any

    def attendance_row(self, attendance_id: str) -> Attendance:
        for a in self.record.attendance:
            if a.id == attendance_id:
                return a
        raise _err(f"出欠の行「{attendance_id}」が見つかりません。")

    def set_attendance(self, attendance_id: str, *, status: Optional[str] = None,
                       role: Optional[str] = None, proxy_name: Optional[str] = None,
                       at: Optional[time] = None, note: Optional[str] = None) -> list[Change]:
        row = self.attendance_row(attendance_id)
        doc = row.to_doc()
        if status is not None:
            if status not in ATTENDANCE_STATUSES:
                raise _err(f"出欠の区分「{status}」は使えません。")
            doc["status"] = status
            if status == "PROXY":
                name = (proxy_name if proxy_name is not None else row.proxy_name).strip()
                if not name:
                    raise _err("代理出席の方の氏名を入力してください。")
                doc["proxy_name"] = name
            if status == "LATE":
                doc["arrived_at"] = hhmm(at) if at else None
                doc["left_at"] = None
            elif status == "LEFT_EARLY":
                doc["left_at"] = hhmm(at or self.now().time())
            else:
                doc["arrived_at"] = None
                doc["left_at"] = None
        if role is not None:
            if role not in MEETING_ROLES:
                raise _err(f"会議での役割「{role}」は使えません。")
            doc["role_in_meeting"] = role
        if proxy_name is not None and status is None:
            doc["proxy_name"] = proxy_name.strip()
        if note is not None:
            doc["note"] = note.strip()
        return [self._put(Attendance.from_doc(doc))]

    def arrive(self, attendance_id: str, at: Optional[time] = None) -> list[Change]:
        """A late member arrives now (counts toward the quorum from ``at``)."""
        row = self.attendance_row(attendance_id)
        doc = {**row.to_doc(), "status": "LATE", "arrived_at": hhmm(at or self.now().time())}
        return [self._put(Attendance.from_doc(doc))]

    def add_guest(self, name: str, *, org_name: str = "", role: str = "ADVISOR") -> list[Change]:
        """Someone not on the roster (e.g. an advisor from the prefecture 社協),
        or a body without a person's name (障害福祉課 as 事務局, a 関係機関)."""
        name, org_name = _name_or_body(name, org_name)
        if role not in MEETING_ROLES:
            raise _err(f"会議での役割「{role}」は使えません。")
        aid = self._next_id(f"{self.meeting_id}-AT", "attendance")
        return [self._put(Attendance(id=aid, meeting_id=self.meeting_id, name=name,
                                     org_name=org_name.strip(), role_in_meeting=role,
                                     status="PRESENT"))]

    def quorum(self, at: Optional[time] = None) -> QuorumState:
        when = at or (self.now().time() if self.meeting.status == "IN_PROGRESS" else None)
        return quorum_for_meeting(self.world, self.meeting_id, at=when,
                                  attendance=self.record.attendance)

    def add_material(self, title: str, *, internal_only: bool = False) -> list[Change]:
        title = require_text(title, "資料の題名")
        n = len(self.record.materials) + 1
        mid = self._next_id(f"{self.meeting_id}-MT", "materials")
        return [self._put(Material(id=mid, meeting_id=self.meeting_id, label=f"資料{n}",
                                   title=title, internal_only=internal_only))]

    def remove_material(self, material_id: str) -> list[Change]:
        changes = [self._drop("materials", material_id)]
        for n, m in enumerate(self.record.materials, start=1):   # keep 資料1, 資料2 ... dense
            if m.label != f"資料{n}":
                changes.append(self._put(Material.from_doc({**m.to_doc(), "label": f"資料{n}"})))
        return changes

    def edit_material(self, material_id: str, *, title: str,
                      internal_only: Optional[bool] = None) -> list["Change"]:
        """Retitle a material (資料n keeps its number)."""
        title = require_text(title, "資料の題名")
        for m in self.record.materials:
            if m.id == material_id:
                doc = {**m.to_doc(), "title": title}
                if internal_only is not None:
                    doc["internal_only"] = bool(internal_only)
                return [self._put(Material.from_doc(doc))]
        raise _err(f"資料「{material_id}」が見つかりません。")

    def edit_guest(self, attendance_id: str, *, name: str, org_name: str = "") -> list["Change"]:
        """Correct the name or 所属 of someone added who is not on the roster."""
        row = self.attendance_row(attendance_id)
        if row.person_id:
            raise _err("名簿の構成員の氏名はここでは変えられません。協議体の名簿で直してください。")
        name, org_name = _name_or_body(name, org_name)
        doc = {**row.to_doc(), "name": name, "org_name": org_name}
        return [self._put(Attendance.from_doc(doc))]
