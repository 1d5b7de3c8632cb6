"""Typed domain model: one dataclass per concept of the seed coverage matrix.

Documents on disk are plain JSON dicts (see store/); these classes turn them
into typed objects and back.  Dates are ISO strings on disk and ``date`` here;
enumerations are the ASCII codes of the seed catalog (data/catalog), whose
Japanese labels the catalog supplies.

Where a record lives (the store's files):

* registry.json  - municipality, areas, organizations, persons, coordinators,
  councils, council_members, subjects, consent_records, individual_networks,
  individual_network_members, need_items, provider_networks,
  provider_network_members  (reference data that rarely changes),
  action_followups (action-item changes made between meetings)
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

Module layout: ``Doc`` (JSON <-> dataclass) is in model_base, the registry
and sensitive records in model_registry, the meeting records in model_meeting;
every name is importable from here, together with the table maps below.
"""
from __future__ import annotations

from kyogitai_tui.domain.model.base import Doc
from kyogitai_tui.domain.model.meeting import (
    ActionItem, ActionProgress, AgendaItem, Attendance, Decision, FindingUpdate,
    FunctionAssessment, GapCheck, GapFinding, LinkageStatus, Material, Meeting, MinutesRecord,
    NetworkUpdate, ReadbackEntry, Statement,
)
from kyogitai_tui.domain.model.registry import (
    ActionFollowup, ConsentRecord, Coordinator, Council, CouncilMember, DailyLifeArea, IndividualNetwork,
    IndividualNetworkMember, Municipality, NeedItem, Organization, Person, ProviderNetwork,
    ProviderNetworkMember, Subject, SubjectSensitive,
)

__all__ = [
    "Doc", "Municipality", "DailyLifeArea", "Organization", "Person", "Coordinator",
    "Council", "CouncilMember", "Subject", "SubjectSensitive", "ConsentRecord",
    "IndividualNetwork", "IndividualNetworkMember", "NeedItem", "ProviderNetwork",
    "ProviderNetworkMember", "FunctionAssessment", "GapCheck", "GapFinding",
    "FindingUpdate", "Decision", "ActionItem", "ActionProgress", "Meeting",
    "Attendance", "Material", "AgendaItem", "Statement", "LinkageStatus",
    "NetworkUpdate", "ReadbackEntry", "MinutesRecord", "REGISTRY_TABLES",
    "SENSITIVE_TABLES", "MEETING_TABLES", "TABLE_OF", "ActionFollowup",
]

REGISTRY_TABLES: dict[str, type[Doc]] = {
    c.table: c for c in (
        Municipality, DailyLifeArea, Organization, Person, Coordinator, Council,
        CouncilMember, Subject, ConsentRecord, IndividualNetwork,
        IndividualNetworkMember, NeedItem, ProviderNetwork, ProviderNetworkMember,
        ActionFollowup,
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
