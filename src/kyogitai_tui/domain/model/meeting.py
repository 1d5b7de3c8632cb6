"""Meeting records: what one meetings/<id>.json holds.

The meeting itself, attendance, materials, agenda items and statements; the
gap checks, findings, function assessments and linkage statuses recorded in
it; decisions, action items and their progress; the changes it made to things
that outlive it (``NetworkUpdate``, ``FindingUpdate``, ``ActionProgress``),
the read-back and the minutes.  See domain/model.py for the file layout;
import these names from there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import ClassVar, Optional

from kyogitai_tui.domain.model.base import Doc

__all__ = [
    "Meeting", "Attendance", "Material", "AgendaItem", "Statement", "FunctionAssessment",
    "GapCheck", "GapFinding", "FindingUpdate", "Decision", "ActionItem", "ActionProgress",
    "LinkageStatus", "NetworkUpdate", "ReadbackEntry", "MinutesRecord",
]


@dataclass
class Meeting(Doc):
    table: ClassVar[str] = "meeting"
    id: str
    council_id: str
    fiscal_year: int
    seq_no: int
    held_on: date
    start_time: Optional[time] = None
    end_time: Optional[time] = None
    planned_minutes: int = 120
    venue: str = ""
    mode: str = "IN_PERSON"              # IN_PERSON | ONLINE | HYBRID
    chair_person_id: Optional[str] = None
    recorder_person_id: Optional[str] = None
    confirmer_person_id: Optional[str] = None
    status: str = "PLANNED"
    observers_count: int = 0
    current_agenda_item_id: Optional[str] = None
    next_plan_date: Optional[date] = None
    next_plan_time: Optional[time] = None
    next_plan_venue: str = ""
    next_plan_topics: str = ""
    minutes_drafted_on: Optional[date] = None
    minutes_confirmed_on: Optional[date] = None
    minutes_correction: str = ""
    public: bool = True                  # 公開・非公開の別
    extra: dict = field(default_factory=dict)


@dataclass
class Attendance(Doc):
    table: ClassVar[str] = "attendance"
    id: str
    meeting_id: str
    person_id: Optional[str] = None
    name: str = ""                       # for non-members without a Person
    org_name: str = ""
    role_in_meeting: str = "MEMBER"      # MEMBER | SC | SECRETARIAT | DEPARTMENT | ADVISOR | OBSERVER
    status: str = "PRESENT"              # PRESENT | ABSENT | PROXY | LATE | LEFT_EARLY
    proxy_name: str = ""
    arrived_at: Optional[time] = None
    left_at: Optional[time] = None
    note: str = ""                       # e.g. 書面で意見提出
    extra: dict = field(default_factory=dict)


@dataclass
class Material(Doc):
    table: ClassVar[str] = "materials"
    id: str
    meeting_id: str
    label: str                           # 資料1
    title: str
    internal_only: bool = False          # e.g. 個別ネットワークの状況（仮名表記）
    file_ref: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class AgendaItem(Doc):
    table: ClassVar[str] = "agenda_items"
    id: str
    meeting_id: str
    order: int
    section: str                         # REPORT | DISCUSSION | OTHER
    title: str
    template: Optional[str] = None       # A01..A12, None for a custom item
    enabled: bool = True
    planned_minutes: int = 10
    state: str = "PENDING"               # PENDING | ACTIVE | DONE
    elapsed_seconds: int = 0
    started_at: Optional[datetime] = None  # running timer since (None = paused)
    presenter_person_id: Optional[str] = None
    material_ids: list[str] = field(default_factory=list)
    summary: str = ""
    visibility: str = "PUBLIC"           # PUBLIC | PRIVATE
    carried_action_ids: list[str] = field(default_factory=list)
    result: str = ""                     # A01: CONFIRMED | CORRECTED
    correction: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Statement(Doc):
    table: ClassVar[str] = "statements"
    id: str
    meeting_id: str
    agenda_item_id: str
    speaker_label: str                   # CHAIR | VICE_CHAIR | MEMBER | SC | SECRETARIAT | DEPARTMENT | ADVISOR
    text: str
    speaker_person_id: Optional[str] = None  # internal only
    department: str = ""                 # for speaker_label DEPARTMENT
    order: int = 0
    subject_ids: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass
class FunctionAssessment(Doc):
    table: ClassVar[str] = "function_assessments"
    id: str
    meeting_id: str
    network_id: str
    function_code: str
    rating: str = "UNKNOWN"              # FULFILLED | PARTIAL | NOT_FULFILLED | UNKNOWN
    evidence: str = ""
    cause: Optional[str] = None          # failure_causes code (DIFF_MONITOR)
    assessed_on: Optional[date] = None
    extra: dict = field(default_factory=dict)


@dataclass
class GapCheck(Doc):
    """A recorded run of a check C1-C4 (seed 4-4(4))."""
    table: ClassVar[str] = "gap_checks"
    id: str
    meeting_id: str
    check_code: str
    target_network_id: Optional[str] = None
    target_area_id: Optional[str] = None
    result: str = "UNKNOWN"              # OK | PROBLEM | UNKNOWN
    nonmember_org_ids: list[str] = field(default_factory=list)
    missing_group_types: list[str] = field(default_factory=list)
    evidence_sources: list[str] = field(default_factory=list)
    checked_on: Optional[date] = None
    dismissed_reason: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class GapFinding(Doc):
    table: ClassVar[str] = "gap_findings"
    id: str
    meeting_id: str                      # raised at
    kind: str
    description: str
    area_id: Optional[str] = None
    source_check_id: Optional[str] = None
    check_code: Optional[str] = None
    network_id: Optional[str] = None
    subject_ids: list[str] = field(default_factory=list)
    evidence_sources: list[str] = field(default_factory=list)
    network_or_service: str = "UNDECIDED"
    status: str = "OPEN"
    agenda_item_id: Optional[str] = None
    extra: dict = field(default_factory=dict)


@dataclass
class FindingUpdate(Doc):
    """A later meeting's change to a finding raised earlier."""
    table: ClassVar[str] = "finding_updates"
    id: str
    meeting_id: str
    finding_id: str
    status: Optional[str] = None
    network_or_service: Optional[str] = None
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Decision(Doc):
    table: ClassVar[str] = "decisions"
    id: str
    meeting_id: str
    type: str                            # decision_types code
    text: str
    agenda_item_id: Optional[str] = None
    target_network_id: Optional[str] = None
    target_text: str = ""
    persuade_leader_id: Optional[str] = None
    with_administration: bool = True
    responsible_tier: Optional[int] = None
    parallel_individual_mechanism: bool = False
    review_on: Optional[date] = None
    gap_finding_ids: list[str] = field(default_factory=list)
    subject_ids: list[str] = field(default_factory=list)
    linked_system: Optional[str] = None
    quorum_present: Optional[int] = None     # stamped when decided
    quorum_members: Optional[int] = None
    quorum_met: Optional[bool] = None
    decided_at: Optional[datetime] = None
    supersedes_decision_id: Optional[str] = None   # an earlier decision this one changes/replaces
    extra: dict = field(default_factory=dict)


@dataclass
class ActionItem(Doc):
    table: ClassVar[str] = "action_items"
    id: str
    origin_meeting_id: str
    title: str
    decision_id: Optional[str] = None
    gap_finding_id: Optional[str] = None
    need_item_id: Optional[str] = None
    owner_person_ids: list[str] = field(default_factory=list)
    owner_org_ids: list[str] = field(default_factory=list)
    owner_text: str = ""
    due_date: Optional[date] = None
    status: str = "NOT_STARTED"          # status when created; later via ActionProgress
    superseded_by: Optional[str] = None
    extra: dict = field(default_factory=dict)


@dataclass
class ActionProgress(Doc):
    table: ClassVar[str] = "action_progress"
    id: str
    action_item_id: str
    meeting_id: str
    date: Optional[date] = None
    note: str = ""
    status_after: Optional[str] = None
    extra: dict = field(default_factory=dict)


@dataclass
class LinkageStatus(Doc):
    table: ClassVar[str] = "linkage_statuses"
    id: str
    meeting_id: str
    council_id: str
    linked_system_code: str
    status: str = "NO_CONTACT"
    partner_org_ids: list[str] = field(default_factory=list)
    partner_person_ids: list[str] = field(default_factory=list)
    notes: str = ""
    # key function (the catalog's text, e.g. 「相談」 of the 地域生活支援拠点) ->
    # function_ratings code, as the council rated it at this meeting
    function_ratings: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


@dataclass
class NetworkUpdate(Doc):
    """A change to a network's state reported in a meeting (A03-A06).

    ``changes`` maps field names of IndividualNetwork / ProviderNetwork /
    NeedItem to new values (JSON form)."""
    table: ClassVar[str] = "network_updates"
    id: str
    meeting_id: str
    entity: str                          # individual_networks | provider_networks | need_items
    entity_id: str
    changes: dict = field(default_factory=dict)
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class ReadbackEntry(Doc):
    table: ClassVar[str] = "readback"
    id: str
    meeting_id: str
    target_table: str                    # decisions | action_items
    target_id: str
    result: str = "CONFIRMED"            # CONFIRMED | OBJECTION
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class MinutesRecord(Doc):
    table: ClassVar[str] = "minutes"
    id: str
    meeting_id: str
    variant: str                         # PUBLIC | INTERNAL
    version: int = 1
    drafted_on: Optional[date] = None
    confirmed_on: Optional[date] = None
    confirm_method: str = "NEXT_MEETING"
    published_on: Optional[date] = None
    path: str = ""
    extra: dict = field(default_factory=dict)
