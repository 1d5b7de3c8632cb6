"""Typed domain model: one dataclass per concept of the seed coverage matrix.

Documents on disk are plain JSON dicts (see store/); these classes turn them
into typed objects and back.  Dates are ISO strings on disk and ``date`` here;
enumerations are the ASCII codes of the seed catalog (data/catalog), whose
Japanese labels the catalog supplies.

Where a record lives (the store's files):

* registry.json  - municipality, areas, organizations, persons, coordinators,
  councils, council_members, subjects, consent_records, individual_networks,
  individual_network_members, need_items, provider_networks,
  provider_network_members  (reference data that rarely changes)
* sensitive.json - subject_sensitive (要配慮情報; never exported)
* meetings/<id>.json - meeting, attendance, materials, agenda_items,
  statements, gap_checks, gap_findings, decisions, action_items,
  action_progress, function_assessments, linkage_statuses, network_updates,
  finding_updates, readback  (everything recorded in or for one meeting)

Changes made during a meeting to things that outlive it (an action item's
status, a network's status, a finding's status) are stored as rows of the
meeting in which they were made (``ActionProgress``, ``NetworkUpdate``,
``FindingUpdate``); ``domain.world.World`` folds them, in meeting order, into
the current state.  So a save during a meeting only ever touches that
meeting's small file.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, ClassVar, Optional

__all__ = [
    "Doc", "Municipality", "DailyLifeArea", "Organization", "Person", "Coordinator",
    "Council", "CouncilMember", "Subject", "SubjectSensitive", "ConsentRecord",
    "IndividualNetwork", "IndividualNetworkMember", "NeedItem", "ProviderNetwork",
    "ProviderNetworkMember", "FunctionAssessment", "GapCheck", "GapFinding",
    "FindingUpdate", "Decision", "ActionItem", "ActionProgress", "Meeting",
    "Attendance", "Material", "AgendaItem", "Statement", "LinkageStatus",
    "NetworkUpdate", "ReadbackEntry", "MinutesRecord", "REGISTRY_TABLES",
    "SENSITIVE_TABLES", "MEETING_TABLES", "TABLE_OF",
]


def _unwrap_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _to_json(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    return value


def _from_json(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    tp = _unwrap_optional(tp)
    if tp is date:
        return value if isinstance(value, date) else date.fromisoformat(value)
    if tp is datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if tp is time:
        return value if isinstance(value, time) else time.fromisoformat(value)
    origin = typing.get_origin(tp)
    if origin is list:
        (inner,) = typing.get_args(tp) or (Any,)
        return [_from_json(inner, v) for v in value]
    return value


class Doc:
    """Mixin: ``from_doc`` / ``to_doc`` for the dataclasses below.

    Unknown keys in a document are kept in ``extra`` so that a newer minor
    field never gets lost by an older reader that rewrites the document.
    """

    table: ClassVar[str] = ""

    @classmethod
    def _hints(cls) -> dict[str, Any]:
        cache = cls.__dict__.get("_hint_cache")
        if cache is None:
            cache = typing.get_type_hints(cls)
            setattr(cls, "_hint_cache", cache)
        return cache

    @classmethod
    def from_doc(cls, doc: dict[str, Any]):
        hints = cls._hints()
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        for key, value in doc.items():
            if key in names and key != "extra":
                kwargs[key] = _from_json(hints[key], value)
            else:
                extra[key] = value
        obj = cls(**kwargs)
        if extra and "extra" in names:
            obj.extra = extra  # type: ignore[attr-defined]
        return obj

    def to_doc(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.name == "extra":
                continue
            out[f.name] = _to_json(getattr(self, f.name))
        out.update(getattr(self, "extra", {}) or {})
        return out


# --------------------------------------------------------------------------
# Reference data (registry.json)
# --------------------------------------------------------------------------

@dataclass
class Municipality(Doc):
    table: ClassVar[str] = "municipality"
    id: str
    name: str
    prefecture: str = ""
    single_area: bool = False          # 第1層=第2層 (as in 江北町)
    fiscal_year_start_month: int = 4
    population: Optional[int] = None
    aging_rate: Optional[float] = None
    extra: dict = field(default_factory=dict)


@dataclass
class DailyLifeArea(Doc):
    """日常生活圏域 (the seed's 地域包括支援センター領域, 4-4(2))."""
    table: ClassVar[str] = "areas"
    id: str
    municipality_id: str
    name: str
    basis: str = "JUNIOR_HIGH"          # area_basis code
    support_center_org_id: Optional[str] = None
    character: str = ""
    households_hint: Optional[int] = None  # for the small-number guard
    extra: dict = field(default_factory=dict)


@dataclass
class Organization(Doc):
    table: ClassVar[str] = "organizations"
    id: str
    name: str
    org_type: str                        # org_types code
    is_chien: bool = False               # 地縁組織 (4-5)
    legal_form: str = ""
    service_categories: list[str] = field(default_factory=list)
    coverage_level: str = "AREA"         # AREA | MUNICIPAL | WIDE
    area_ids: list[str] = field(default_factory=list)
    linked_system: Optional[str] = None  # linked_systems code (3-10)
    serves_area_ids: list[str] = field(default_factory=list)  # served from outside
    out_of_town: bool = False
    notes: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Person(Doc):
    """Members, coordinators and staff.  Never a resident (see Subject)."""
    table: ClassVar[str] = "persons"
    id: str
    display_name: str
    org_id: Optional[str] = None
    title: str = ""
    leader_traits: list[str] = field(default_factory=list)  # LEADER_EXISTING | LEADER_TRUSTED
    extra: dict = field(default_factory=dict)


@dataclass
class Coordinator(Doc):
    """生活支援コーディネーター.  ``tier`` and ``affiliation`` are kept apart:
    the seed's 「3層コーディネーター」 is a 地域包括支援センター (affiliation
    SUPPORT_CENTER), the guideline's 第3層 is a 事業主体 (PROVIDER)."""
    table: ClassVar[str] = "coordinators"
    id: str
    person_id: str
    tier: int
    affiliation: str
    area_id: Optional[str] = None
    alt_title: str = ""                  # e.g. 地域支え合い推進員
    employer_org_id: Optional[str] = None
    extra: dict = field(default_factory=dict)


@dataclass
class Council(Doc):
    table: ClassVar[str] = "councils"
    id: str
    name: str
    tier: int
    municipality_id: str = ""
    area_id: Optional[str] = None
    secretariat_org_ids: list[str] = field(default_factory=list)
    chair_person_id: Optional[str] = None
    facilitator_person_id: Optional[str] = None
    planned_frequency: str = ""
    planned_minutes: int = 120
    quorum_rule: str = "MAJORITY"        # MAJORITY | HALF | COUNT:n
    extra: dict = field(default_factory=dict)


@dataclass
class CouncilMember(Doc):
    table: ClassVar[str] = "council_members"
    id: str
    council_id: str
    person_id: str
    org_id: Optional[str] = None
    member_category: str = ""
    role: str = "MEMBER"                 # CHAIR | VICE_CHAIR | MEMBER | SC | SECRETARIAT | OBSERVER
    term_from: Optional[date] = None
    term_to: Optional[date] = None
    pledge_signed: bool = True
    extra: dict = field(default_factory=dict)


@dataclass
class Subject(Doc):
    """A resident at the centre of an individual network: pseudonymous only."""
    table: ClassVar[str] = "subjects"
    id: str
    code: str
    label: str                           # Aさん
    age_band: str                        # 60s | 70s | 80s | 90s
    sex: str = ""                        # F | M
    household: str = "OTHER"
    area_id: Optional[str] = None
    consent_status: str = "NOT_OBTAINED"
    place_hint: str = ""                 # e.g. 北台 (internal only)
    extra: dict = field(default_factory=dict)


@dataclass
class SubjectSensitive(Doc):
    """要配慮個人情報 (sensitive.json).  Never exported, never in minutes."""
    table: ClassVar[str] = "subject_sensitive"
    id: str
    subject_id: str
    disability_types: list[str] = field(default_factory=list)
    dementia: bool = False
    livelihood_difficulty: bool = False
    child_rearing_household: bool = False
    notes: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class ConsentRecord(Doc):
    table: ClassVar[str] = "consent_records"
    id: str
    subject_id: str
    obtained_on: Optional[date] = None
    obtained_by_person_id: Optional[str] = None
    scope: list[str] = field(default_factory=list)
    joint_use_notice: bool = False
    withdrawn_on: Optional[date] = None
    extra: dict = field(default_factory=dict)


@dataclass
class IndividualNetwork(Doc):
    """個別ネットワーク (seed 4-3)."""
    table: ClassVar[str] = "individual_networks"
    id: str
    subject_id: str
    purpose: str = ""
    initiator_type: str = "OTHER_PROVIDER"
    initiator_person_id: Optional[str] = None
    formation_mode: Optional[str] = None   # ALL_AT_ONCE | SEQUENTIAL
    gathered_once: bool = False
    gathered_on: Optional[date] = None
    confirmed_items: list[str] = field(default_factory=list)
    sharing_methods: list[str] = field(default_factory=list)
    route_to_tier3: bool = True
    route_contact: str = ""
    status: str = "ACTIVE"
    prompted_by_tier2: bool = False
    prompted_via: Optional[str] = None
    via_network_id: Optional[str] = None
    last_reviewed_on: Optional[date] = None
    linked_systems: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass
class IndividualNetworkMember(Doc):
    table: ClassVar[str] = "individual_network_members"
    id: str
    network_id: str
    member_kind: str
    org_id: Optional[str] = None
    person_id: Optional[str] = None
    service_text: str = ""
    joined_on: Optional[date] = None
    left_on: Optional[date] = None
    extra: dict = field(default_factory=dict)


@dataclass
class NeedItem(Doc):
    table: ClassVar[str] = "need_items"
    id: str
    network_id: str
    service_category: str
    status: str = "MET"                  # MET | UNMET | NEW
    identified_on: Optional[date] = None
    provider_found: bool = False
    escalated_to: Optional[str] = None   # TIER3 | TIER2 | SAME_NETWORK
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class ProviderNetwork(Doc):
    """事業者間ネットワーク (seed 4-2 ②, 4-4, 4-5)."""
    table: ClassVar[str] = "provider_networks"
    id: str
    name: str
    kind: str                            # SAME | DIFF | CHIEN_NPO
    coverage_level: str                  # AREA | MUNICIPAL | WIDE
    form: str                            # STANDING | MEETING
    area_id: Optional[str] = None        # for AREA coverage
    provider_category: Optional[str] = None  # SAME: service category
    provider_org_types: list[str] = field(default_factory=list)  # SAME: which org types belong
    expected_org_types: list[str] = field(default_factory=list)  # DIFF: groups that should be in
    standing_subform: Optional[str] = None
    meeting_cadence: Optional[str] = None
    general_purposes: list[str] = field(default_factory=list)
    has_individual_support_unit: bool = False
    leader_person_id: Optional[str] = None
    secretariat_org_id: Optional[str] = None
    convener_person_id: Optional[str] = None
    status: str = "ACTIVE"
    chien_npo_stage: Optional[str] = None
    last_met_on: Optional[date] = None
    linked_system: Optional[str] = None
    created_by_decision_id: Optional[str] = None
    perceived_absent: bool = False       # C4 evidence for its area
    notes: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class ProviderNetworkMember(Doc):
    table: ClassVar[str] = "provider_network_members"
    id: str
    network_id: str
    org_id: str
    joined_on: Optional[date] = None
    left_on: Optional[date] = None
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------
# Meeting records (meetings/<id>.json)
# --------------------------------------------------------------------------

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


REGISTRY_TABLES: dict[str, type[Doc]] = {
    c.table: c for c in (
        Municipality, DailyLifeArea, Organization, Person, Coordinator, Council,
        CouncilMember, Subject, ConsentRecord, IndividualNetwork,
        IndividualNetworkMember, NeedItem, ProviderNetwork, ProviderNetworkMember,
    )
}
SENSITIVE_TABLES: dict[str, type[Doc]] = {SubjectSensitive.table: SubjectSensitive}
MEETING_TABLES: dict[str, type[Doc]] = {
    c.table: c for c in (
        Meeting, Attendance, Material, AgendaItem, Statement, FunctionAssessment,
        GapCheck, GapFinding, FindingUpdate, Decision, ActionItem, ActionProgress,
        LinkageStatus, NetworkUpdate, ReadbackEntry, MinutesRecord,
    )
}
TABLE_OF: dict[str, type[Doc]] = {**REGISTRY_TABLES, **SENSITIVE_TABLES, **MEETING_TABLES}
