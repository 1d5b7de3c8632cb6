"""The roll call of a meeting as the prepare screen and the live attendance
dialog show it.  Pure: no I/O, no Textual.

* ``roster_rows`` turns attendance rows into display rows: name (the member's
  Person or the guest's typed name), 所属, 会長/副会長, the role in the meeting,
  the 出欠 label, the proxy's name (代理出席 only), the time (「14:20着」「未着」
  「15:10退出」) and whether the row counts toward the quorum at ``at``.
  Rows are ordered 構成員 (会長, 副会長, then the roster order), SC, 事務局,
  関係部署, 関係機関, アドバイザー, オブザーバー; guests sit with their role.  A
  body attending without a person (障害福祉課 as 事務局) shows its name as the name.
* ``LIVE_CHOICES`` / ``live_choice_op`` say what each choice of the live
  attendance dialog does (「遅参（いま到着）」 is an arrival now, 「早退（いま退出）」
  a departure now).
* ``roster_summary`` is the line under the roster: the quorum, proxies and
  傍聴者.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any, Callable, Iterable, Optional

from kyogitai_tui.domain.dates import hhmm
from kyogitai_tui.domain.model import Attendance
from kyogitai_tui.domain.guidebook.rules import counts_present
from kyogitai_tui.domain.meeting.statements import NAMED_SPEAKERS, SPEAKER_ORDER

__all__ = ["RosterRow", "ROLE_ORDER", "roster_rows", "time_text", "roster_summary",
           "LIVE_CHOICES", "live_choice_op", "DEFAULT_LABELS", "speaker_choices", "speaker_of_choice",
           "NAMED_PREFIX"]

ROLE_ORDER = ("MEMBER", "SC", "SECRETARIAT", "DEPARTMENT", "PARTNER", "ADVISOR", "OBSERVER")
_COUNCIL_RANK = {"CHAIR": 0, "VICE_CHAIR": 1}

# Fallback labels when no catalog is at hand (the catalog's wording).
DEFAULT_LABELS: dict[str, dict[str, str]] = {
    "meeting_roles": {"MEMBER": "構成員", "SC": "SC", "SECRETARIAT": "事務局", "DEPARTMENT": "関係部署",
                      "PARTNER": "関係機関", "ADVISOR": "アドバイザー", "OBSERVER": "オブザーバー"},
    "attendance_statuses": {"PRESENT": "出席", "ABSENT": "欠席", "PROXY": "代理出席", "LATE": "遅参",
                            "LEFT_EARLY": "早退"},
    "council_roles": {"CHAIR": "会長", "VICE_CHAIR": "副会長", "MEMBER": "委員", "SC": "SC",
                      "SECRETARIAT": "事務局", "OBSERVER": "オブザーバー"},
}


def _default_label(list_name: str, code: str) -> str:
    return DEFAULT_LABELS.get(list_name, {}).get(code, code)


@dataclass(frozen=True)
class RosterRow:
    attendance_id: str
    name: str
    org: str
    council_role: str        # 「会長」「副会長」 or ""
    role: str                # role_in_meeting code
    role_label: str          # 「構成員」 or 「構成員・会長」
    status: str
    status_label: str
    proxy_name: str          # only for 代理出席
    time_text: str           # 「14:20着」「未着」「15:10退出」 or ""
    counts: bool             # counts toward the quorum at the time asked
    is_guest: bool


def time_text(att: Attendance) -> str:
    if att.status == "LATE":
        return f"{hhmm(att.arrived_at)}着" if att.arrived_at else "未着"
    if att.status == "LEFT_EARLY":
        return f"{hhmm(att.left_at)}退出" if att.left_at else "退出"
    return ""


def roster_rows(world: Any, council_id: str, attendance: Iterable[Attendance], *,
                at: Optional[time] = None,
                label: Callable[[str, str], str] = _default_label) -> list[RosterRow]:
    """Display rows for a meeting's attendance, in roster order."""
    council_roles: dict[str, str] = {}
    member_org: dict[str, Optional[str]] = {}
    roster_pos: dict[str, int] = {}
    for n, m in enumerate(world.members_of_council(council_id, include_staff=True)):
        roster_pos.setdefault(m.person_id, n)
        member_org.setdefault(m.person_id, m.org_id)
        if m.role in _COUNCIL_RANK:
            council_roles[m.person_id] = m.role
    keyed = []
    for i, a in enumerate(attendance):
        person = world.persons.get(a.person_id) if a.person_id else None
        name = person.display_name if person else (a.name or a.org_name or "（氏名なし）")
        org = a.org_name if (person or a.name) else ""   # a body attending as such: its name once
        if not org and a.person_id:
            org = world.org_name(member_org.get(a.person_id)) or world.org_name(
                person.org_id if person else None)
            if not org and person is not None:   # e.g. 北台商店会（民間）: no Organization
                org = (person.extra or {}).get("org_text") or person.title
        crole = council_roles.get(a.person_id or "", "") if a.role_in_meeting == "MEMBER" else ""
        crole_label = label("council_roles", crole) if crole else ""
        role_label = label("meeting_roles", a.role_in_meeting)
        if crole_label:
            role_label = f"{role_label}・{crole_label}"
        row = RosterRow(
            attendance_id=a.id, name=name, org=org or "", council_role=crole_label,
            role=a.role_in_meeting, role_label=role_label, status=a.status,
            status_label=label("attendance_statuses", a.status),
            proxy_name=a.proxy_name if a.status == "PROXY" else "",
            time_text=time_text(a), counts=counts_present(a, at=at), is_guest=a.person_id is None)
        rank = ROLE_ORDER.index(a.role_in_meeting) if a.role_in_meeting in ROLE_ORDER else len(ROLE_ORDER)
        keyed.append(((rank, _COUNCIL_RANK.get(crole, 2), a.person_id is None,
                       roster_pos.get(a.person_id or "", 10**6), i), row))
    keyed.sort(key=lambda kr: kr[0])
    return [r for _, r in keyed]


def roster_summary(quorum_text: str, *, proxies: int = 0, observers: int = 0) -> str:
    """「構成員14名中13名出席・成立（うち代理1名）  傍聴者2名」"""
    text = quorum_text
    if proxies:
        text += f"（うち代理{proxies}名）"
    text += f"  傍聴者{observers}名"
    return text


# --------------------------------------------------------------------------
# The live attendance dialog
# --------------------------------------------------------------------------

LIVE_CHOICES: tuple[tuple[str, str], ...] = (
    ("PRESENT", "出席"),
    ("ABSENT", "欠席"),
    ("ARRIVE", "遅参（いま到着）"),
    ("LATE", "遅参（まだ来ていない）"),
    ("LEAVE", "早退（いま退出）"),
    ("PROXY", "代理出席（氏名）"),
)


def live_choice_op(session: Any, attendance_id: str, choice: str,
                   proxy_name: str = "") -> list:
    """Apply one choice of the live attendance dialog; returns the Changes."""
    if choice == "ARRIVE":
        return session.arrive(attendance_id)
    if choice == "LEAVE":
        return session.set_attendance(attendance_id, status="LEFT_EARLY")
    if choice == "PROXY":
        return session.set_attendance(attendance_id, status="PROXY", proxy_name=proxy_name)
    return session.set_attendance(attendance_id, status=choice)


# --------------------------------------------------------------------------
# The live speaker list (F3)
# --------------------------------------------------------------------------

# typed-name speakers: choice-code prefix -> (speaker_label, what to ask)
NAMED_PREFIX = {"DEPT:": ("DEPARTMENT", "部署名", "高齢福祉課"),
                "PARTNER:": ("PARTNER", "機関名", "相談支援事業所")}


def speaker_choices(attendance: Iterable[Attendance], label: Callable[[str, str], str], *,
                    summary_code: str, typed: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(code, label) of the speaker picker, in an order that never moves: the
    role labels, 要旨, 「部署名を入力する」, 「機関名を入力する」 first (their
    positions are the same in every meeting), then the departments and 関係機関
    attending, then those typed during this meeting (``typed``: (speaker_label,
    name)).  A new name only ever adds a line at the end, so the keys that
    picked a speaker before pick the same one after.
    Codes: a speaker label, ``summary_code``, ``DEPT:<name>``, ``PARTNER:<name>``
    (an empty name = ask for it)."""
    out = [(code, label("speaker_labels", code)) for code in SPEAKER_ORDER if code not in NAMED_SPEAKERS]
    out.append((summary_code, "要旨（発言者なし：報告の内容や結論）"))
    out.append(("DEPT:", "部署名を入力する（関係部署）"))
    out.append(("PARTNER:", "機関名を入力する（関係機関）"))
    seen = set()
    named = [("DEPARTMENT" if a.role_in_meeting == "DEPARTMENT" else "PARTNER", a.org_name or a.name)
             for a in attendance
             if a.role_in_meeting in ("DEPARTMENT", "PARTNER") and (a.org_name or a.name)]
    for speaker, name in [*named, *typed]:
        name = (name or "").strip()
        if not name or (speaker, name) in seen or speaker not in NAMED_SPEAKERS:
            continue
        seen.add((speaker, name))
        prefix = "DEPT:" if speaker == "DEPARTMENT" else "PARTNER:"
        kind = "関係部署" if speaker == "DEPARTMENT" else "関係機関"
        out.append((f"{prefix}{name}", f"{name}（{kind}）"))
    return out


def speaker_of_choice(code: str) -> tuple[str, str]:
    """(speaker_label, typed name) of a picked code; the name is "" for a role
    label, or when it still has to be asked (「部署名を入力する」)."""
    for prefix, (speaker, _what, _eg) in NAMED_PREFIX.items():
        if code.startswith(prefix):
            return speaker, code[len(prefix):]
    return code, ""
