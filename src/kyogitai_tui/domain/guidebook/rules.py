"""Small business rules: responsible tier and quorum.

Each function takes plain typed inputs (model objects, or a World for the
convenience wrappers) so that a test can call it with hand-built objects.

Responsible tier (seed 4-4(2))
    AREA (日常生活圏域) networks are the 2層コーディネーター's; MUNICIPAL (市町村域)
    and WIDE (広域: 医師会 etc.) ones are the 1層コーディネーター's.

Quorum (定足数)
    ``council.quorum_rule`` is MAJORITY (more than half of the members), HALF
    (at least half) or ``COUNT:n`` (at least n).  Members are the attendance
    rows with role MEMBER (or, in :func:`quorum_for_meeting`, the council's
    current members).  Present: PRESENT; PROXY unless the council's
    ``extra["proxy_counts"]`` is false; LATE only once ``arrived_at`` is set
    (and not after ``at``); LEFT_EARLY only before ``left_at`` (a LEFT_EARLY
    row without ``left_at`` has left).  ABSENT never counts.

The consent gate and the small-number guard are privacy rules: domain/privacy/.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import time
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.model import Attendance

__all__ = [
    "TIER_BY_COVERAGE", "responsible_tier", "QuorumState", "quorum_required",
    "counts_present", "quorum", "quorum_for_meeting", "reaches_support_center",
]

# --------------------------------------------------------------------------
# Responsible tier
# --------------------------------------------------------------------------

TIER_BY_COVERAGE: dict[str, int] = {"AREA": 2, "MUNICIPAL": 1, "WIDE": 1}


def responsible_tier(network_or_coverage: Any) -> int:
    """1 or 2 from a coverage code or from anything with ``coverage_level``."""
    coverage = getattr(network_or_coverage, "coverage_level", network_or_coverage)
    try:
        return TIER_BY_COVERAGE[coverage]
    except KeyError:
        raise ValueError(f"unknown coverage level: {coverage!r}") from None


# --------------------------------------------------------------------------
# Quorum
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class QuorumState:
    members: int
    present: int
    required: int
    met: bool
    text: str
    proxies: int = 0


def quorum_required(rule: str, members: int) -> int:
    """How many present members the rule needs."""
    rule = (rule or "MAJORITY").strip().upper()
    if rule == "MAJORITY":
        return members // 2 + 1
    if rule == "HALF":
        return math.ceil(members / 2)
    if rule.startswith("COUNT:"):
        return int(rule.split(":", 1)[1])
    raise ValueError(f"unknown quorum rule: {rule!r}")


def counts_present(att: Attendance, *, at: Optional[time] = None,
                   proxies_count: bool = True) -> bool:
    """Whether one attendance row counts toward the quorum (at time ``at``)."""
    status = att.status
    if status == "PRESENT":
        return True
    if status == "PROXY":
        return proxies_count
    if status == "LATE":
        if att.arrived_at is None:
            return False
        return at is None or att.arrived_at <= at
    if status == "LEFT_EARLY":
        if att.left_at is None or at is None:
            return False
        return at < att.left_at
    return False


def _quorum_text(members: int, present: int, met: bool) -> str:
    return f"構成員{members}名中{present}名出席・{'成立' if met else '不成立'}"


def quorum(rule: str, attendance: Iterable[Attendance], *,
           members: Optional[int] = None, at: Optional[time] = None,
           proxies_count: bool = True,
           member_person_ids: Optional[set[str]] = None) -> QuorumState:
    """Quorum from attendance rows.

    Only rows with ``role_in_meeting == "MEMBER"`` count (and, when
    ``member_person_ids`` is given, only rows of those persons).  ``members``
    defaults to the number of such rows.
    """
    rows = [a for a in attendance if a.role_in_meeting == "MEMBER"]
    if member_person_ids is not None:
        rows = [a for a in rows if a.person_id in member_person_ids]
    present_rows = [a for a in rows if counts_present(a, at=at, proxies_count=proxies_count)]
    n_members = len(rows) if members is None else members
    present = len(present_rows)
    required = quorum_required(rule, n_members)
    met = n_members > 0 and present >= required
    proxies = sum(1 for a in present_rows if a.status == "PROXY")
    return QuorumState(n_members, present, required, met,
                       _quorum_text(n_members, present, met), proxies)


_MEMBER_ROLES = {"CHAIR", "VICE_CHAIR", "MEMBER"}


def quorum_for_meeting(world: Any, meeting_id: str, *, at: Optional[time] = None,
                       attendance: Optional[Iterable[Attendance]] = None) -> QuorumState:
    """Quorum of a recorded meeting: members = the council's members whose
    term covers the meeting day (roles 会長・副会長・構成員)."""
    record = world.meetings[meeting_id]
    meeting = record.meeting
    council = world.councils[meeting.council_id]
    day = meeting.held_on
    getter = getattr(world, "members_of_council", None)
    if callable(getter):
        members = getter(council.id, day)
    else:
        members = [
            m for m in world.council_members
            if m.council_id == council.id and m.role in _MEMBER_ROLES
            and (m.term_from is None or m.term_from <= day)
            and (m.term_to is None or day <= m.term_to)
        ]
    person_ids = {m.person_id for m in members}
    rows = list(record.attendance if attendance is None else attendance)
    proxies_count = bool((council.extra or {}).get("proxy_counts", True))
    state = quorum(council.quorum_rule, rows, at=at, proxies_count=proxies_count,
                   member_person_ids=person_ids)
    # members absent from the roll call still count as members
    n = len(person_ids) or state.members
    required = quorum_required(council.quorum_rule, n)
    met = n > 0 and state.present >= required
    return QuorumState(n, state.present, required, met,
                       _quorum_text(n, state.present, met), state.proxies)


# --------------------------------------------------------------------------
# The route to the 3層 (seed 4-3(4)-2)
# --------------------------------------------------------------------------

SUPPORT_CENTER_WORDS = ("包括", "3層")


def reaches_support_center(net: Any) -> bool:
    """Whether an individual network has the guidebook's route: its promoter
    or the resident and family can reach the 3層コーディネーター, who sits at
    the 地域包括支援センター.  ``route_to_tier3`` says there is a route and
    ``route_contact`` where it ends; a route that ends at a care provider or
    a care manager alone (「家族から訪問介護事業所へ」) is not that route.  A
    contact, when written, must name the centre (包括 / 地域包括支援センター)
    or the 3層, in any width (NFKC); a 「ある」 with no contact stands."""
    import unicodedata

    if not getattr(net, "route_to_tier3", False):
        return False
    contact = unicodedata.normalize("NFKC", getattr(net, "route_contact", "") or "").strip()
    if not contact:
        return True        # 「ある」 with no end named: the answer given stands
    return any(w in contact for w in SUPPORT_CENTER_WORDS)
