"""The follow-up list: every action item of every council, filtered and sorted.

``build_rows(world, today)`` turns ``World.action_states()`` into flat
``FollowupRow``s (computed once per World; filtering is then a cheap pass
over plain values, 10,000 rows well under 100 ms).  Order: overdue first,
then the other open items by due date (none last), then closed items by due
date.  ``FollowupFilter`` + ``apply_filter``: status, owner, council,
overdue only, due within N days (open items due on or before today + N,
overdue ones included), free text (NFKC + casefold substring: 「ＡＩ-０１」
finds AI-01).  ``DUE_SOON_DAYS``: an open item due within 7 days (today
included) is 「間近」, one past its due date 「超過」.

Detail: ``origin_lines`` (the origin in full) and ``history_rows`` (the
creation, every meeting progress row and every between-meeting change, in
fold order, 「会議外」 for the latter).  ``council_summaries``: counts by
status, overdue by owner, items closed since the council's last held
meeting.  Pure; no I/O, no Textual.
"""
from __future__ import annotations

import unicodedata
import weakref
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable, Optional, Sequence

from kyogitai_tui.domain.dates import meeting_title, wareki
from kyogitai_tui.domain.world.numbering import decision_number

# The catalog and the model load on first use: ``kyogitai actions`` reads its
# rows from the summary file and never needs them (start-up time, issue 13).

__all__ = [
    "DUE_SOON_DAYS", "STATUS_CODES", "SUPERSEDED_LABEL", "FollowupRow", "FollowupFilter",
    "normalize", "owner_display", "build_rows", "row_facts", "row_from_facts", "sort_rows",
    "apply_filter", "public_rows", "origin_lines",
    "HistoryRow", "history_rows", "CouncilSummary", "council_summaries", "status_label",
]

DUE_SOON_DAYS = 7
STATUS_CODES = ("NOT_STARTED", "IN_PROGRESS", "DONE", "ON_HOLD", "CANCELLED")
SUPERSEDED_LABEL = "引継ぎ済"
_CLOSED = ("DONE", "CANCELLED")


def normalize(text: str) -> str:
    """For search: NFKC (full-width letters/digits to ASCII) and casefold."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def status_label(code: Optional[str]) -> str:
    from kyogitai_tui.domain.catalog import default_catalog

    return default_catalog().label_or_code("action_item_statuses", code) if code else ""


def owner_display(world: Any, person_ids: Sequence[str], owner_text: str = "") -> str:
    """「佐藤・鈴木（第1層生活支援コーディネーター）」: persons, then the free text."""
    names = [world.person_name(p) or p for p in person_ids]
    text = "・".join(names)
    if owner_text:
        text = f"{text}（{owner_text}）" if text else owner_text
    return text


@dataclass(frozen=True)
class FollowupRow:
    id: str
    title: str
    council_id: str
    council: str
    owner: str
    owner_person_ids: tuple[str, ...]
    due_date: Optional[date]
    due_wareki: str
    status: str
    status_label: str            # 「引継ぎ済」 for a superseded item
    is_open: bool
    overdue: bool
    due_soon: bool
    days_until_due: Optional[int]
    carry_over_count: int
    superseded_by: Optional[str]
    origin_meeting_id: str
    origin: str                  # 「第1回 決定D-01」
    origin_kind: str             # DECISION | FINDING | NEED | ""
    origin_ref: Optional[str]
    search_text: str = field(repr=False, default="")
    owner_key: str = field(repr=False, default="")   # normalize(owner)

    @property
    def mark(self) -> str:
        """「超過」 / 「間近」 / ""."""
        return "超過" if self.overdue else ("間近" if self.due_soon else "")

    @property
    def sort_key(self) -> tuple:
        return (not self.overdue, not self.is_open, self.due_date or date.max, self.id)


def public_rows(world: Any, rows: Iterable[FollowupRow]) -> list[FollowupRow]:
    """The rows as they may leave the council (``actions --variant public``):
    a title or owner that names a resident (label or code, as the public
    minutes judge it: ``privacy.redaction.Redactor``) is replaced by the
    neutral wording of the public minutes."""
    from kyogitai_tui.domain.privacy.redaction import NEUTRAL_ACTION, NEUTRAL_TARGET, Redactor

    r = Redactor(world.subjects.values(), public=True)
    out = []
    for row in rows:
        title, owner = r.field(row.title, NEUTRAL_ACTION), r.field(row.owner, NEUTRAL_TARGET)
        origin = r.field(row.origin, row.origin.split(" ", 1)[0])   # a 課題 may describe a resident
        out.append(row if (title, owner, origin) == (row.title, row.owner, row.origin) else
                   replace(row, title=title, owner=owner, origin=origin, search_text="", owner_key=""))
    return out


_FINDINGS: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def _findings(world: Any) -> dict:
    """finding id -> GapFinding, once per World."""
    try:
        found = _FINDINGS.get(world)
    except TypeError:
        found = None
    if found is None:
        found = {g.id: g for r in world.meetings.values() for g in r.gap_findings}
        try:
            _FINDINGS[world] = found
        except TypeError:
            pass
    return found


def _origin(state: Any, world: Any = None) -> tuple[str, str, Optional[str]]:
    """「第1回 決定事項No.2」 / 「第1回 課題「…」」 / 「第1回 支援の必要」: where an item
    came from, in the words of the minutes (no stored ids)."""
    it = state.item
    seq = f"第{state.origin.meeting.seq_no}回"
    if it.decision_id:
        found = decision_number(world, it.decision_id) if world is not None else None
        if found is not None:
            rec, n = found
            return f"第{rec.meeting.seq_no}回 決定事項No.{n}", "DECISION", it.decision_id
        return f"{seq} 決定事項", "DECISION", it.decision_id
    if it.gap_finding_id:
        f = _findings(world).get(it.gap_finding_id) if world is not None else None
        # a 課題 about a resident is named by its meeting only
        desc = (f.description or "").strip() if f is not None and not f.subject_ids else ""
        return (f"{seq} 課題「{desc}」" if desc else f"{seq} 課題"), "FINDING", it.gap_finding_id
    if it.need_item_id:
        return f"{seq} 個別の支援の必要", "NEED", it.need_item_id
    return seq, "", None


def item_count(world: Any) -> int:
    """How many action items the World holds (cheap: no folding)."""
    return sum(len(r.action_items) for r in world.meetings.values())


def row_facts(world: Any, s: Any, labels: Optional[dict] = None) -> dict:
    """What a row says that does not depend on the day, as plain JSON values
    (kept in the summary file, domain/reports/summary.py)."""
    labels = labels or {}
    council = world.councils.get(s.council_id)
    owner = owner_display(world, s.owner_person_ids or [], s.owner_text or "")
    origin, kind, ref = _origin(s, world)
    return {
        "id": s.id, "title": s.item.title, "council_id": s.council_id,
        "council": council.name if council else s.council_id, "owner": owner,
        "owner_person_ids": list(s.owner_person_ids or ()), "owner_text": s.owner_text or "",
        "due": s.due_date.isoformat() if s.due_date else None,
        "due_wareki": wareki(s.due_date) if s.due_date else "", "status": s.status,
        # handed over (even while the data still says 対応中): the work goes on under the other item
        "status_label": SUPERSEDED_LABEL if s.superseded_by else (labels.get(s.status) or status_label(s.status)),
        "open": s.is_open, "carry": s.carry_over_count, "superseded_by": s.superseded_by,
        "origin_meeting_id": s.origin.id, "origin": origin, "origin_kind": kind, "origin_ref": ref,
    }


def row_from_facts(f: dict, today: date) -> FollowupRow:
    """The list row of ``row_facts`` on ``today`` (overdue, due soon, days left)."""
    due = date.fromisoformat(f["due"]) if f["due"] else None
    days = (due - today).days if due is not None else None
    is_open = f["open"]
    handed_over = bool(f["superseded_by"])     # never 超過 / 間近: the successor carries the due date
    owner, cname, origin = f["owner"], f["council"], f["origin"]
    return FollowupRow(
        id=f["id"], title=f["title"], council_id=f["council_id"], council=cname,
        owner=owner, owner_person_ids=tuple(f["owner_person_ids"]),
        due_date=due, due_wareki=f["due_wareki"], status=f["status"], status_label=f["status_label"],
        is_open=is_open, overdue=is_open and not handed_over and days is not None and days < 0,
        due_soon=is_open and not handed_over and days is not None and 0 <= days <= DUE_SOON_DAYS,
        days_until_due=days, carry_over_count=f["carry"], superseded_by=f["superseded_by"],
        origin_meeting_id=f["origin_meeting_id"], origin=origin, origin_kind=f["origin_kind"],
        origin_ref=f["origin_ref"], owner_key=normalize(owner),
        search_text=normalize(" ".join((f["id"], f["title"], owner, cname, origin, f["superseded_by"] or ""))))


def sort_rows(rows: list[FollowupRow]) -> list[FollowupRow]:
    rows.sort(key=lambda r: r.sort_key)
    return rows


def build_rows(world: Any, today: date) -> list[FollowupRow]:
    """Every action item as a list row, sorted (see module doc)."""
    labels = {c: status_label(c) for c in STATUS_CODES}
    return sort_rows([row_from_facts(row_facts(world, s, labels), today) for s in world.action_states()])


@dataclass(frozen=True)
class FollowupFilter:
    statuses: frozenset = frozenset()    # empty = every status
    owner: str = ""                      # person id, or part of the owner's name
    council_id: str = ""
    overdue: bool = False
    due_within: Optional[int] = None
    text: str = ""

    def describe(self, world: Any = None) -> str:
        """「状態: 未着手・対応中 / 超過のみ」 for the filter line."""
        parts = []
        if self.statuses:
            parts.append("状態: " + "・".join(
                SUPERSEDED_LABEL if c == "SUPERSEDED" else status_label(c)
                for c in STATUS_CODES + ("SUPERSEDED",) if c in self.statuses))
        if self.owner:
            name = world.person_name(self.owner) if world is not None else ""
            parts.append(f"担当: {name or self.owner}")
        if self.council_id:
            c = world.councils.get(self.council_id) if world is not None else None
            parts.append(f"協議体: {c.name if c else self.council_id}")
        if self.overdue:
            parts.append("超過のみ")
        if self.due_within is not None:
            parts.append(f"{self.due_within}日以内が期限")
        return " / ".join(parts) if parts else "絞り込みなし"


def _owner_matcher(owner: str):
    key = normalize(owner)

    def match(r: FollowupRow) -> bool:
        return owner in r.owner_person_ids or key in r.owner_key
    return match


def apply_filter(rows: Sequence[FollowupRow], f: FollowupFilter, today: date) -> list[FollowupRow]:
    """The rows ``f`` keeps, in their order (``today`` for due-within)."""
    out: Iterable[FollowupRow] = rows
    if f.statuses:
        want = f.statuses
        out = [r for r in out if ("SUPERSEDED" if r.status_label == SUPERSEDED_LABEL
                                   else r.status) in want]
    if f.council_id:
        out = [r for r in out if r.council_id == f.council_id]
    if f.overdue:
        out = [r for r in out if r.overdue]
    if f.due_within is not None:
        limit = f.due_within
        out = [r for r in out if r.is_open and not r.superseded_by and r.days_until_due is not None
               and r.days_until_due <= limit]
    if f.owner:
        m = _owner_matcher(f.owner)
        out = [r for r in out if m(r)]
    text = normalize(f.text.strip())
    if text:
        out = [r for r in out if text in r.search_text]
    return list(out)


# --------------------------------------------------------------------------
# Detail
# --------------------------------------------------------------------------

def _meeting_text(rec: Any) -> str:
    m = rec.meeting
    return f"{meeting_title(m.fiscal_year, m.seq_no)}（{wareki(m.held_on)}）"


def origin_lines(world: Any, state: Any) -> list[tuple[str, str]]:
    """(label, text) lines: council, meeting, agenda item, decision, finding, need."""
    rec = state.origin
    council = world.councils.get(state.council_id)
    lines = [("協議体", council.name if council else state.council_id),
             ("会議", _meeting_text(rec))]
    agenda_id = None
    it = state.item
    decision = next((d for d in rec.decisions if d.id == it.decision_id), None) \
        if it.decision_id else None
    if decision is None and it.decision_id:
        decision = next((d for d in world.decisions() if d.id == it.decision_id), None)
    finding = None
    if it.gap_finding_id:
        finding = next((f.finding for f in world.finding_states() if f.id == it.gap_finding_id), None)
    if decision is not None:
        agenda_id = decision.agenda_item_id
    elif finding is not None:
        agenda_id = finding.agenda_item_id
    agenda = next((a for a in rec.agenda_items if a.id == agenda_id), None) if agenda_id else None
    if agenda is not None:
        lines.append(("議題", agenda.title))
    if decision is not None:
        lines.append((f"決定 {decision.id}", decision.text))
    if finding is not None:
        lines.append((f"課題 {finding.id}", finding.description))
    if it.need_item_id:
        need = world.need_items.get(it.need_item_id)
        if need is not None:
            net = world.individual_networks.get(need.network_id)
            who = world.subject_label(net.subject_id) if net is not None else ""
            from kyogitai_tui.domain.catalog import default_catalog

            cat = default_catalog().label_or_code("service_categories", need.service_category)
            lines.append((f"必要な支援 {need.id}", f"{cat}（{who}）" if who else cat))
    lines.append(("当初の担当", owner_display(world, it.owner_person_ids, it.owner_text)))
    lines.append(("当初の期限", wareki(it.due_date) if it.due_date else "なし"))
    return lines


@dataclass(frozen=True)
class HistoryRow:
    date: Optional[date]
    date_text: str
    where: str          # 「第2回」 or 「会議外」
    what: str           # 「作成」「進捗」「引継ぎ」「見送り」
    note: str
    status_after: str   # label, "" when unchanged
    changes: str        # 「担当: 佐藤」「期限: 令和7年10月31日」「AI-07に引継ぎ」


def _row_changes(world: Any, row: Any) -> tuple[str, str]:
    from kyogitai_tui.domain.model import ActionProgress

    if isinstance(row, ActionProgress):
        sb = (row.extra or {}).get("superseded_by")
        return ("進捗", f"{sb}に引継ぎ" if sb else "")
    parts = []
    if row.owner_person_ids is not None or row.owner_text is not None:
        parts.append("担当: " + (owner_display(world, row.owner_person_ids or [],
                                                row.owner_text or "") or "なし"))
    if row.due_date is not None:
        parts.append(f"期限: {wareki(row.due_date)}")
    if row.kind == "SUPERSEDE":
        parts.append(f"{row.superseded_by}に引継ぎ")
        return "引継ぎ", "・".join(parts)
    if row.kind == "SKIP":
        rec = world.meetings.get(row.skip_meeting_id or "")
        parts.append(f"第{rec.meeting.seq_no}回は見送り" if rec else "次回は見送り")
        return "見送り", "・".join(parts)
    if parts:
        return "変更", "・".join(parts)
    return ("状態変更" if row.status_after else "経過"), ""


def history_rows(world: Any, state: Any) -> list[HistoryRow]:
    """The item's history, oldest first: its creation, then every row."""
    from kyogitai_tui.domain.model import ActionFollowup

    origin = state.origin.meeting
    it = state.item
    out = [HistoryRow(origin.held_on, wareki(origin.held_on), f"第{origin.seq_no}回", "作成",
                      "会議で決定", status_label(it.status),
                      f"担当: {owner_display(world, it.owner_person_ids, it.owner_text) or 'なし'}"
                      + (f"・期限: {wareki(it.due_date)}" if it.due_date else ""))]
    for row in state.history:
        what, changes = _row_changes(world, row)
        if isinstance(row, ActionFollowup):
            where = "会議外"
        else:
            rec = world.meetings.get(row.meeting_id)
            where = f"第{rec.meeting.seq_no}回" if rec else row.meeting_id
        d = row.date
        out.append(HistoryRow(d, wareki(d) if d else "", where, what, row.note,
                              status_label(row.status_after), changes))
    return out


# --------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class CouncilSummary:
    council_id: str
    council: str
    by_status: dict          # label -> count (every status, 0 included, then 引継ぎ済)
    overdue_by_owner: dict   # owner name -> count, most first
    closed_since_last: list  # ids closed after the last held meeting
    last_meeting: str        # 「第2回（令和7年7月15日）」 or 「なし」


def _closed_on(state: Any) -> Optional[tuple[bool, Optional[date]]]:
    """(closed between meetings?, date) of the row that closed the item."""
    last = None
    for row in state.history:
        if row.status_after:
            last = row if row.status_after in _CLOSED else None
    if last is None:
        return None
    from kyogitai_tui.domain.model import ActionFollowup

    return isinstance(last, ActionFollowup), last.date


def council_summaries(world: Any, today: date) -> list[CouncilSummary]:
    """One summary per council that has action items, by tier then id."""
    states_by: dict[str, list] = {}
    for s in world.action_states():
        states_by.setdefault(s.council_id, []).append(s)
    out = []
    for council in sorted(world.councils.values(), key=lambda c: (c.tier, c.id)):
        states = states_by.get(council.id)
        if not states:
            continue
        counts = {status_label(c): 0 for c in STATUS_CODES}
        counts[SUPERSEDED_LABEL] = 0
        overdue: dict[str, int] = {}
        for s in states:
            counts[SUPERSEDED_LABEL if s.is_superseded else status_label(s.status)] += 1
            if s.is_overdue(today):
                owners = [world.person_name(p) or p for p in s.owner_person_ids or []] \
                    or [s.owner_text or "担当なし"]
                for o in owners:
                    overdue[o] = overdue.get(o, 0) + 1
        last = world.last_meeting(council.id, today)
        closed = []
        for s in states:
            if s.is_open:
                continue
            how = _closed_on(s)
            if how is None:
                continue
            between, d = how
            if last is None or (d is not None and (d > last.held_on or (between and d >= last.held_on))):
                closed.append(s.id)
        out.append(CouncilSummary(
            council_id=council.id, council=council.name, by_status=counts,
            overdue_by_owner=dict(sorted(overdue.items(), key=lambda t: (-t[1], t[0]))),
            closed_since_last=sorted(closed),
            last_meeting=(f"第{last.meeting.seq_no}回（{wareki(last.held_on)}）" if last else "なし")))
    return out
