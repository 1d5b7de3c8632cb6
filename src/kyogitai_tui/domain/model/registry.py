"""Reference-data records: what registry.json (and sensitive.json) holds.

Municipality, areas, organizations, persons, coordinators, councils and their
members, subjects and consent records, individual and provider networks with
their members and need items: data that rarely changes.  ``SubjectSensitive``
(要配慮情報) lives in sensitive.json and is never exported.  A meeting's
changes to these (``NetworkUpdate``) are folded in by ``domain.world.World``.
See domain/model.py for the file layout; import these names from there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Optional

from kyogitai_tui.domain.model.base import Doc

__all__ = [
    "Municipality", "DailyLifeArea", "Organization", "Person", "Coordinator",
    "Council", "CouncilMember", "Subject", "SubjectSensitive", "ConsentRecord",
    "IndividualNetwork", "IndividualNetworkMember", "NeedItem", "ProviderNetwork",
    "ProviderNetworkMember", "ActionFollowup", "council_tier_label",
]


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
    municipality_id: str = ""           # "" = saved before a 市町村 existed (still readable)
    name: str = ""
    basis: str = "JUNIOR_HIGH"          # area_basis code
    support_center_org_id: Optional[str] = None
    character: str = ""
    households_hint: Optional[int] = None  # for the small-number guard
    retired_on: Optional[date] = None     # 廃止日: kept for old minutes, hidden from pickers
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
    retired_on: Optional[date] = None     # 廃止日: kept for old minutes, hidden from pickers
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
    retired_on: Optional[date] = None     # 廃止日: kept for old minutes, hidden from pickers
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
    both_tiers: bool = False             # one council is 第1層 and 第2層 at once (tier stays 1)
    secretariat_org_ids: list[str] = field(default_factory=list)
    chair_person_id: Optional[str] = None
    facilitator_person_id: Optional[str] = None
    planned_frequency: str = ""
    planned_minutes: int = 120
    quorum_rule: str = "MAJORITY"        # MAJORITY | HALF | COUNT:n
    retired_on: Optional[date] = None     # 廃止日: kept for old minutes, hidden from pickers
    extra: dict = field(default_factory=dict)


def council_tier_label(council: Any) -> str:
    """「第1層」「第2層」, or 「第1層・第2層」 for a council that is both."""
    if council is None:
        return ""
    if getattr(council, "both_tiers", False):
        return "第1層・第2層"
    return f"第{council.tier}層"


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
    retired_on: Optional[date] = None     # 廃止日: kept for old minutes, hidden from pickers
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
    retired_on: Optional[date] = None     # 廃止日: kept for old minutes, hidden from pickers
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
    perceived_absent_by: list[str] = field(default_factory=list)  # evidence_sources codes: who said it
    perceived_absent_on: Optional[date] = None                      # when it was heard
    notes: str = ""
    retired_on: Optional[date] = None     # 廃止日: kept for old minutes, hidden from pickers
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


@dataclass
class ActionFollowup(Doc):
    """A change to an action item made BETWEEN meetings (follow-up screen,
    registry.json table ``action_followups``).  It has no meeting: World folds
    it after the meetings held on or before ``date``.  ``kind``:

    * ``PROGRESS``: a note, and optionally a new status / owner / due date
      (``None`` = unchanged; owner = ``owner_person_ids`` and/or ``owner_text``);
    * ``SUPERSEDE``: ``superseded_by`` takes the item over; it is closed;
    * ``SKIP``: the item stays off the A02 of ``skip_meeting_id`` (when empty,
      of the council's next meeting after ``date``) once.

    Rows are only ever added, never rewritten: they are the item's history."""
    table: ClassVar[str] = "action_followups"
    id: str
    action_item_id: str
    date: date
    kind: str = "PROGRESS"               # PROGRESS | SUPERSEDE | SKIP
    note: str = ""
    status_after: Optional[str] = None
    owner_person_ids: Optional[list[str]] = None
    owner_text: Optional[str] = None
    due_date: Optional[date] = None
    superseded_by: Optional[str] = None
    skip_meeting_id: Optional[str] = None
    extra: dict = field(default_factory=dict)
