"""World: the typed current state of one dataset (pure; no I/O, no Textual).

A *dataset* is what the store reads and writes::

    {"registry":  {table: [doc, ...]},           # REGISTRY_TABLES
     "sensitive": {"subject_sensitive": [...]},  # SENSITIVE_TABLES
     "meetings":  {meeting_id: {table: [doc, ...]}}}  # MEETING_TABLES

``World.from_dataset`` turns it into typed objects and folds the rows that
meetings record about things outliving them:

* ``NetworkUpdate`` rows (``entity`` = a registry table such as
  ``individual_networks``, ``provider_networks`` or ``need_items``) are
  applied, in meeting order, onto the registry documents.  An update naming an
  id that the registry lacks creates that document (``{"id": entity_id,
  **changes}``), so a need item added during a meeting lives in the meeting.
* ``ActionProgress`` rows give an action item's status (see ``ActionState``);
  the registry's ``action_followups`` (changes made between meetings) are
  folded after the meetings held on or before their date and may also change
  the owner and due date, supersede the item or skip it for one meeting.
* ``FindingUpdate`` rows give a finding's status and ``network_or_service``
  (see ``FindingState``).

Meeting order
    Meetings are ordered by ``(held_on, start_time, seq_no, id)``.  "Before a
    meeting" means strictly earlier in that order.

Held
    A meeting counts as held when its status is HELD, MINUTES_DRAFT,
    MINUTES_CONFIRMED or PUBLISHED (not PLANNED, not IN_PROGRESS).

Carry-over (``ActionState.carry_over_count``)
    The number of *held* meetings of the item's council after its origin
    meeting at whose start the item was still open (NOT_STARTED, IN_PROGRESS or
    ON_HOLD, folding only progress recorded before that meeting).  An item
    created at 第1回 and still open is carried into 第2回 (count 1); at the
    planned 第3回 the count stays 1 until 第3回 itself is held.  A view that
    lists carried items *in* a running meeting shows it as 「継続（count+1回目）」.
    With ``before_meeting_id`` only meetings before that meeting are counted.
    A meeting the item was skipped for (a follow-up SKIP) is not counted.

Everything is built in one pass over the documents (O(n)); queries that
compute across meetings (``action_states``, ``finding_states``) cache their
default (``before_meeting_id=None``) result.

Module layout: MeetingRecord, ActionState, FindingState and the folding of
action items and findings are in world_state, the reference checks behind
``references_problems`` in world_refs; every name stays importable from here.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.model import (
    MEETING_TABLES, REGISTRY_TABLES, ActionFollowup, ConsentRecord, Coordinator, Council, CouncilMember,
    DailyLifeArea, Decision, FunctionAssessment, IndividualNetwork, IndividualNetworkMember,
    LinkageStatus, Meeting, Municipality, NeedItem, Organization, Person, ProviderNetwork,
    ProviderNetworkMember, Subject, SubjectSensitive,
)
from kyogitai_tui.domain.world.refs import _reference_problems
from kyogitai_tui.domain.world.state import (
    _RECORD_ATTR, HELD_STATUSES, OPEN_ACTION_STATUSES, UPCOMING_STATUSES, ActionState,
    FindingState, MeetingRecord, fold_action_states, fold_finding_states, followup_position,
    meeting_sort_key,
)

__all__ = [
    "World", "MeetingRecord", "ActionState", "FindingState", "OPEN_ACTION_STATUSES",
    "HELD_STATUSES", "UPCOMING_STATUSES", "meeting_sort_key", "count_docs",
]



def count_docs(dataset: dict) -> int:
    """Number of documents stored in a dataset (all tables, all files)."""
    n = 0
    for part in ("registry", "sensitive"):
        for docs in (dataset.get(part) or {}).values():
            n += len(docs)
    for tables in (dataset.get("meetings") or {}).values():
        for docs in tables.values():
            n += len(docs)
    return n


def _by_id(items: Iterable[Any]) -> dict[str, Any]:
    return {x.id: x for x in items}


FOLDED_THROUGH = "updates_folded_through"   # see World.from_dataset, registry_edit.save


class World:
    """The current state of a dataset.  Build with :meth:`from_dataset`."""

    def __init__(self) -> None:
        self.municipality: Optional[Municipality] = None
        self.areas: dict[str, DailyLifeArea] = {}
        self.organizations: dict[str, Organization] = {}
        self.persons: dict[str, Person] = {}
        self.coordinators: dict[str, Coordinator] = {}
        self.councils: dict[str, Council] = {}
        self.subjects: dict[str, Subject] = {}
        self.individual_networks: dict[str, IndividualNetwork] = {}
        self.provider_networks: dict[str, ProviderNetwork] = {}
        self.need_items: dict[str, NeedItem] = {}
        self.council_members: list[CouncilMember] = []
        self.consent_records: list[ConsentRecord] = []
        self.individual_network_members: list[IndividualNetworkMember] = []
        self.provider_network_members: list[ProviderNetworkMember] = []
        self.sensitive: dict[str, SubjectSensitive] = {}
        self.action_followups: list[ActionFollowup] = []   # between-meeting rows
        self.meetings: dict[str, MeetingRecord] = {}
        self.problems: list[str] = []          # problems found while loading
        self._dataset: dict = {}
        self._order: dict[str, int] = {}       # meeting id -> position in meeting order
        self._held_on_by_pos: list[date] = []
        self._by_council: dict[str, list[MeetingRecord]] = {}
        self._fa_by_network: dict[str, list[tuple[int, FunctionAssessment]]] = {}
        self._ls_by_council: dict[str, list[tuple[int, LinkageStatus]]] = {}
        self._action_cache: Optional[list[ActionState]] = None
        self._finding_cache: Optional[list[FindingState]] = None

    # ------------------------------------------------------------------
    # construction
    # ------------------------------------------------------------------

    @classmethod
    def from_dataset(cls, dataset: dict) -> "World":
        w = cls()
        w._dataset = dataset
        registry = dataset.get("registry") or {}
        meetings_raw = dataset.get("meetings") or {}

        # 1. meetings, typed, and their order
        for mid, tables in meetings_raw.items():
            mdocs = tables.get("meeting") or []
            if len(mdocs) != 1:
                w.problems.append(f"会議ファイル「{mid}」の meeting 表には会議が1件だけ必要ですが、{len(mdocs)}件あります。")
                if not mdocs:
                    continue
            try:
                meeting = Meeting.from_doc(mdocs[0])
            except (TypeError, ValueError) as exc:
                w.problems.append(f"会議ファイル「{mid}」の会議を読めません: {exc}")
                continue
            rec = MeetingRecord(meeting=meeting)
            for table, docs in tables.items():
                if table == "meeting":
                    continue
                klass = MEETING_TABLES.get(table)
                attr = _RECORD_ATTR.get(table)
                if klass is None or attr is None:
                    w.problems.append(f"会議ファイル「{mid}」に不明な表「{table}」があります。")
                    continue
                out = getattr(rec, attr)
                for d in docs:
                    try:
                        out.append(klass.from_doc(d))
                    except (TypeError, ValueError) as exc:
                        w.problems.append(f"会議「{mid}」の {table}「{d.get('id', '?')}」を読めません: {exc}")
            rec.agenda_items.sort(key=lambda a: (a.order, a.id))
            pos = {a.id: a.order for a in rec.agenda_items}
            rec.statements.sort(key=lambda s: (pos.get(s.agenda_item_id, 1 << 30), s.order, s.id))
            w.meetings[meeting.id] = rec
        ordered = sorted(w.meetings.values(), key=lambda r: meeting_sort_key(r.meeting))
        w.meetings = {r.id: r for r in ordered}
        w._order = {r.id: i for i, r in enumerate(ordered)}
        w._held_on_by_pos = [r.held_on for r in ordered]
        for i, r in enumerate(ordered):
            w._by_council.setdefault(r.council_id, []).append(r)
            for a in r.function_assessments:
                w._fa_by_network.setdefault(a.network_id, []).append((i, a))
            for ls in r.linkage_statuses:
                w._ls_by_council.setdefault(ls.council_id, []).append((i, ls))

        # 2. registry docs with NetworkUpdates folded in meeting order
        # (a register edit made after a meeting already holds what that meeting
        # changed: its doc names the last meeting folded into it,
        # ``updates_folded_through``, and only later meetings' updates apply)
        updates: dict[tuple[str, str], list[tuple[int, dict]]] = {}
        for i, r in enumerate(ordered):
            for u in r.network_updates:
                updates.setdefault((u.entity, u.entity_id), []).append((i, u.changes or {}))
        for (entity, _eid) in updates:
            if entity not in REGISTRY_TABLES:
                w.problems.append(f"ネットワーク更新の対象表「{entity}」は登録データにありません。")

        def typed(table: str) -> list[Any]:
            klass = REGISTRY_TABLES[table]
            out = []
            seen = set()
            for d in registry.get(table) or []:
                key = (table, d.get("id"))
                seen.add(d.get("id"))
                ch = updates.get(key)
                if ch:
                    through = w._order.get(d.get(FOLDED_THROUGH), -1)
                    d = dict(d)
                    for i, c in ch:
                        if i > through:
                            d.update(c)
                try:
                    out.append(klass.from_doc(d))
                except (TypeError, ValueError) as exc:
                    w.problems.append(f"{table}「{d.get('id', '?')}」を読めません: {exc}")
            for (ent, eid), ch in updates.items():   # documents created by a meeting
                if ent != table or eid in seen:
                    continue
                d = {"id": eid}
                for _, c in ch:
                    d.update(c)
                try:
                    out.append(klass.from_doc(d))
                except (TypeError, ValueError) as exc:
                    w.problems.append(f"会議で追加された {table}「{eid}」を読めません: {exc}")
            return out

        munis = typed("municipality")
        w.municipality = munis[0] if munis else None
        w.areas = _by_id(typed("areas"))
        w.organizations = _by_id(typed("organizations"))
        w.persons = _by_id(typed("persons"))
        w.coordinators = _by_id(typed("coordinators"))
        w.councils = _by_id(typed("councils"))
        w.subjects = _by_id(typed("subjects"))
        w.individual_networks = _by_id(typed("individual_networks"))
        w.provider_networks = _by_id(typed("provider_networks"))
        w.need_items = _by_id(typed("need_items"))
        w.council_members = typed("council_members")
        w.consent_records = typed("consent_records")
        w.individual_network_members = typed("individual_network_members")
        w.provider_network_members = typed("provider_network_members")
        w.action_followups = typed("action_followups")
        for table in registry:
            if table not in REGISTRY_TABLES:
                w.problems.append(f"登録データに不明な表「{table}」があります。")

        for d in (dataset.get("sensitive") or {}).get(SubjectSensitive.table) or []:
            try:
                s = SubjectSensitive.from_doc(d)
            except (TypeError, ValueError) as exc:
                w.problems.append(f"subject_sensitive「{d.get('id', '?')}」を読めません: {exc}")
                continue
            w.sensitive[s.subject_id] = s
        return w

    # ------------------------------------------------------------------
    # meetings
    # ------------------------------------------------------------------

    def meeting_position(self, meeting_id: str) -> int:
        """Position of a meeting in the global meeting order."""
        return self._order[meeting_id]

    def followup_position(self, d: Optional[date]) -> int:
        """Where a between-meeting row dated ``d`` folds: just before the
        meeting at this position (after every meeting held on or before ``d``)."""
        return followup_position(self._held_on_by_pos, d)

    def meetings_of(self, council_id: str) -> list[MeetingRecord]:
        """The council's meetings sorted by (held_on, start_time, seq_no)."""
        return list(self._by_council.get(council_id, []))

    def last_meeting(self, council_id: str, today: date) -> Optional[MeetingRecord]:
        """The latest held meeting (status HELD or later) on or before ``today``."""
        last = None
        for r in self._by_council.get(council_id, []):
            if r.is_held and r.held_on <= today:
                last = r
        return last

    def next_meeting(self, council_id: str, today: date) -> Optional[MeetingRecord]:
        """The meeting in progress, else the earliest PLANNED one on or after ``today``."""
        recs = self._by_council.get(council_id, [])
        for r in recs:
            if r.meeting.status == "IN_PROGRESS":
                return r
        for r in recs:
            if r.meeting.status == "PLANNED" and r.held_on >= today:
                return r
        return None

    def previous_meeting(self, meeting_id: str) -> Optional[MeetingRecord]:
        """The same council's meeting just before ``meeting_id`` (any status)."""
        rec = self.meetings[meeting_id]
        prev = None
        for r in self._by_council.get(rec.council_id, []):
            if r.id == meeting_id:
                return prev
            prev = r
        return None

    # ------------------------------------------------------------------
    # councils and networks
    # ------------------------------------------------------------------

    def members_of_council(self, council_id: str, on: Optional[date] = None, *,
                           include_staff: bool = False) -> list[CouncilMember]:
        """構成員 (roles CHAIR, VICE_CHAIR, MEMBER) whose term covers ``on``
        (every row when ``on`` is None).  ``include_staff`` adds SC,
        SECRETARIAT and OBSERVER rows.  Ordered chair, vice-chair, members."""
        roles_rank = {"CHAIR": 0, "VICE_CHAIR": 1, "MEMBER": 2, "SC": 3, "SECRETARIAT": 4, "OBSERVER": 5}
        out = []
        for m in self.council_members:
            if m.council_id != council_id:
                continue
            if not include_staff and m.role not in ("CHAIR", "VICE_CHAIR", "MEMBER"):
                continue
            if on is not None:
                if m.term_from is not None and on < m.term_from:
                    continue
                if m.term_to is not None and on > m.term_to:
                    continue
            out.append(m)
        out.sort(key=lambda m: (roles_rank.get(m.role, 9), m.id))
        return out

    def network_members(self, network_id: str, on: Optional[date] = None) -> list[Organization]:
        """Current member organisations of a provider network (left_on None, or
        membership covering ``on``)."""
        out = []
        for m in self.provider_network_members:
            if m.network_id != network_id:
                continue
            if on is None:
                if m.left_on is not None:
                    continue
            else:
                if m.joined_on is not None and on < m.joined_on:
                    continue
                if m.left_on is not None and on >= m.left_on:
                    continue
            org = self.organizations.get(m.org_id)
            if org is not None:
                out.append(org)
        return out

    def individual_members(self, network_id: str) -> list[IndividualNetworkMember]:
        return [m for m in self.individual_network_members
                if m.network_id == network_id and m.left_on is None]

    def needs_of(self, network_id: str) -> list[NeedItem]:
        return [n for n in self.need_items.values() if n.network_id == network_id]

    def networks_of_subject(self, subject_id: str) -> list[IndividualNetwork]:
        return [n for n in self.individual_networks.values() if n.subject_id == subject_id]

    def _limit(self, before_meeting_id: Optional[str]) -> int:
        if before_meeting_id is None:
            return 1 << 60
        return self._order.get(before_meeting_id, 1 << 60)

    def current_ratings(self, network_id: str,
                        before_meeting_id: Optional[str] = None) -> dict[str, FunctionAssessment]:
        """Latest FunctionAssessment per function code (meeting order, then assessed_on)."""
        limit = self._limit(before_meeting_id)
        rows = [(pos, a.assessed_on or date.min, a.id, a)
                for pos, a in self._fa_by_network.get(network_id, ()) if pos < limit]
        rows.sort(key=lambda t: t[:3])
        return {a.function_code: a for *_, a in rows}

    def last_assessed_on(self, network_id: str) -> Optional[date]:
        last = None
        for pos, a in self._fa_by_network.get(network_id, ()):
            d = a.assessed_on or self._held_on_by_pos[pos]
            if last is None or d > last:
                last = d
        return last

    def linkage(self, council_id: str,
                before_meeting_id: Optional[str] = None) -> dict[str, LinkageStatus]:
        """Latest LinkageStatus per linked-system code for a council."""
        limit = self._limit(before_meeting_id)
        out: dict[str, LinkageStatus] = {}
        for pos, ls in self._ls_by_council.get(council_id, ()):
            if pos < limit:
                out[ls.linked_system_code] = ls
        return out

    # ------------------------------------------------------------------
    # action items and findings across meetings
    # ------------------------------------------------------------------

    def action_states(self, before_meeting_id: Optional[str] = None) -> list[ActionState]:
        """Every action item with its folded status, in meeting order then id.

        ``before_meeting_id``: the state as it stood at the start of that
        meeting (items and progress of earlier meetings only)."""
        if before_meeting_id is None and self._action_cache is not None:
            return list(self._action_cache)
        out = fold_action_states(self.meetings, self._order, self._by_council, before_meeting_id,
                                 self.action_followups)
        if before_meeting_id is None:
            self._action_cache = out
            return list(out)
        return out

    def action_state(self, action_id: str) -> Optional[ActionState]:
        for s in self.action_states():
            if s.item.id == action_id:
                return s
        return None

    def open_actions(self, council_id: str,
                     before_meeting_id: Optional[str] = None) -> list[ActionState]:
        """Open items of a council (as of the start of ``before_meeting_id``
        when given), ordered by due date (none last) then id."""
        states = [s for s in self.action_states(before_meeting_id)
                  if s.council_id == council_id and s.is_open]
        states.sort(key=lambda s: (s.due_date or date.max, s.item.id))
        return states

    def finding_states(self, before_meeting_id: Optional[str] = None) -> list[FindingState]:
        """Every gap finding with its FindingUpdates folded, in meeting order."""
        if before_meeting_id is None and self._finding_cache is not None:
            return list(self._finding_cache)
        out = fold_finding_states(self.meetings, self._order, before_meeting_id)
        if before_meeting_id is None:
            self._finding_cache = out
            return list(out)
        return out

    def decisions(self, council_id: Optional[str] = None) -> list[Decision]:
        out = []
        for r in self.meetings.values():
            if council_id is None or r.council_id == council_id:
                out.extend(sorted(r.decisions, key=lambda d: d.id))
        return out

    # ------------------------------------------------------------------
    # labels
    # ------------------------------------------------------------------

    def subject_label(self, subject_id: str) -> str:
        """「Aさん（80代・女性・独居）」: the only way a resident is ever shown."""
        s = self.subjects.get(subject_id)
        if s is None:
            return "（不明な対象者）"
        cat = default_catalog()
        parts = [cat.label_or_code("age_bands", s.age_band)]
        if s.sex:
            parts.append(cat.label_or_code("sexes", s.sex))
        parts.append(cat.label_or_code("households", s.household))
        return f"{s.label}（{'・'.join(p for p in parts if p)}）"

    def person_name(self, person_id: Optional[str]) -> str:
        p = self.persons.get(person_id or "")
        return p.display_name if p else ""

    def org_name(self, org_id: Optional[str]) -> str:
        o = self.organizations.get(org_id or "")
        return o.name if o else ""

    # ------------------------------------------------------------------
    # integrity
    # ------------------------------------------------------------------

    def references_problems(self) -> list[str]:
        """Japanese messages for every dangling reference (a ``*_id`` /
        ``*_ids`` value pointing at a missing id), duplicate ids, meeting rows
        filed under another meeting, and whatever failed to load."""
        return list(self.problems) + _reference_problems(self._dataset)
