"""Agenda building from the templates A01-A12, carry-over and editing.

* ``build_agenda`` makes one AgendaItem per template (the catalog's
  ``agenda_templates``, the single list of templates), in
  section order REPORT -> DISCUSSION -> OTHER, then the その他 item
  「次回開催について」.  Every open action item of the council's earlier
  meetings is attached to the A02 item (``carried_action_ids``), overdue
  ones first, then by due date.  Items are numbered ``order`` = 1..n.
* Editing helpers return a new list (changed items are copies, the order is
  renumbered): ``move``, ``rename``, ``set_enabled``, ``set_minutes``,
  ``add_custom`` (at the end of its section), ``remove``.
* ``total_planned`` sums the enabled items; ``time_summary`` gives
  「予定 105分／会議時間 120分」 and adds 「・15分超過」 when over.
* ``workspace_of`` names the catalog workspace of a template (the UI maps
  that name to a workspace class in ui/workspaces/__init__.py).
* ``next_meeting_numbers``: 年度 from the municipality's start month (April
  by default); 第n回 = 1 + the council's meetings held earlier that 年度.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional, Sequence

from kyogitai_tui.domain.dates import fiscal_year
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.model import AgendaItem, Meeting

__all__ = [
    "Template", "SECTIONS", "NEXT_MEETING_TITLE", "NOTES_WORKSPACE", "default_templates",
    "workspace_of", "build_agenda",
    "carried_actions", "move", "rename", "set_enabled", "set_minutes", "add_custom", "remove",
    "total_planned", "time_summary", "next_meeting_numbers",
]

SECTIONS = ("REPORT", "DISCUSSION", "OTHER")
NEXT_MEETING_TITLE = "次回開催について"
NEXT_MEETING_MINUTES = 5
CARRY_TEMPLATE = "A02"
NOTES_WORKSPACE = "NOTES"          # the catalog's agenda_workspaces code for a free item


@dataclass(frozen=True)
class Template:
    code: str
    title: str
    section: str
    default_minutes: int
    workspace: str = NOTES_WORKSPACE


def _as_template(t: Any) -> Template:
    if isinstance(t, Template):
        return t
    return Template(t.code, getattr(t, "title", None) or t.label, t.section, int(t.default_minutes),
                    getattr(t, "workspace", None) or NOTES_WORKSPACE)


def default_templates() -> list[Template]:
    """The catalog's ``agenda_templates`` (data/catalog/agenda.json), in its
    order: the one list of templates, their titles, sections, minutes and
    workspaces."""
    return [_as_template(t) for t in default_catalog().agenda_templates]


def workspace_of(template_code: Optional[str]) -> str:
    """The catalog's ``workspace`` of a template; NOTES for an item without
    a template (or one the catalog no longer lists)."""
    for t in default_templates():
        if t.code == template_code:
            return t.workspace
    return NOTES_WORKSPACE


def _resolve(templates: Optional[Iterable[Any]]) -> list[Template]:
    known = {t.code: t for t in default_templates()}
    if templates is None:
        return list(known.values())
    out = []
    for t in templates:
        out.append(known[t] if isinstance(t, str) else _as_template(t))
    return out


def _section_rank(section: str) -> int:
    return SECTIONS.index(section) if section in SECTIONS else len(SECTIONS)


def _renumber(items: Sequence[AgendaItem]) -> list[AgendaItem]:
    return [it if it.order == i else dataclasses.replace(it, order=i)
            for i, it in enumerate(items, start=1)]


# --------------------------------------------------------------------------
# Carry-over
# --------------------------------------------------------------------------

def _held_on(world: Any, meeting_id: str) -> Optional[date]:
    rec = world.meetings.get(meeting_id)
    return rec.meeting.held_on if rec is not None else None


def carried_actions(world: Any, council_id: str, meeting: Meeting,
                    today: Optional[date] = None) -> list[Any]:
    """Open action items (ActionState) of the council's earlier meetings, as
    they stood when ``meeting`` starts: overdue first, then by (current) due
    date.  Closed, cancelled and superseded items are not open; an item
    skipped for this meeting (follow-up SKIP) stays off once."""
    states = world.open_actions(council_id, before_meeting_id=meeting.id)
    states = [s for s in states if s.item.origin_meeting_id != meeting.id and (
        (_held_on(world, s.item.origin_meeting_id) or date.min) < meeting.held_on)
        and meeting.id not in getattr(s, "skip_meeting_ids", ())]
    day = today or meeting.held_on

    def key(s: Any) -> tuple:
        due = s.due_date
        return (not (due is not None and due < day), due or date.max, s.item.id)
    return sorted(states, key=key)


# --------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------

def _item_id(meeting_id: str, n: int) -> str:
    return f"{meeting_id}-AG{n:02d}"


def split_topics(text: str) -> list[str]:
    """「ニーズ調査について、移動支援について」 or one a line -> the topics."""
    import re
    parts = re.split(r"[\n、，,・;；]+", text or "")
    out: list[str] = []
    for p in parts:
        p = re.sub(r"^[\s　]*(?:[(（]?[0-9０-９]+[)）.．]|[・○●])?[\s　]*", "", p).strip()
        if p and p not in out:
            out.append(p)
    return out


def _previous_record(world: Any, meeting: Meeting) -> Any:
    prev = None
    for r in world.meetings_of(meeting.council_id):
        if r.id == meeting.id:
            break
        if r.meeting.held_on <= meeting.held_on:
            prev = r
    return prev


def next_topics_for(world: Any, meeting: Meeting) -> list[str]:
    """次回の議題 set when the council's previous meeting closed: the proposed
    協議事項 of this one (each becomes a custom item the clerk can rename or drop)."""
    prev = _previous_record(world, meeting)
    if prev is None:
        return []
    return split_topics(prev.meeting.next_plan_topics)


def build_agenda(world: Any, meeting: Meeting, templates: Optional[Iterable[Any]] = None, *,
                 today: Optional[date] = None) -> list[AgendaItem]:
    """The agenda of a meeting from templates, with carry-over on A02."""
    temps = sorted(_resolve(templates), key=lambda t: _section_rank(t.section))
    carried = [s.item.id for s in carried_actions(world, meeting.council_id, meeting, today)]
    # a council's first meeting has no previous minutes to confirm: 前回議事録の確認
    # is offered switched off (F12 使う/使わない turns it on for minutes kept before the app)
    first = _previous_record(world, meeting) is None
    items: list[AgendaItem] = []
    for n, t in enumerate(temps, start=1):
        items.append(AgendaItem(
            id=_item_id(meeting.id, n), meeting_id=meeting.id, order=n, section=t.section,
            title=t.title, template=t.code, planned_minutes=t.default_minutes,
            carried_action_ids=list(carried) if t.code == CARRY_TEMPLATE else [],
            enabled=not (first and t.code == "A01")))
    for topic in next_topics_for(world, meeting):
        n = len(items) + 1
        items.append(AgendaItem(
            id=_item_id(meeting.id, n), meeting_id=meeting.id, order=n, section="DISCUSSION",
            title=topic, template=None, planned_minutes=5, extra={"from_previous_topics": True}))
    n = len(items) + 1
    items.append(AgendaItem(
        id=_item_id(meeting.id, n), meeting_id=meeting.id, order=n, section="OTHER",
        title=NEXT_MEETING_TITLE, template=None, planned_minutes=NEXT_MEETING_MINUTES,
        extra={"builtin": "NEXT_MEETING"}))
    return _renumber(sorted(items, key=lambda it: (_section_rank(it.section), it.order)))


# --------------------------------------------------------------------------
# Editing
# --------------------------------------------------------------------------

def _index(items: Sequence[AgendaItem], item_id: str) -> int:
    for i, it in enumerate(items):
        if it.id == item_id:
            return i
    raise KeyError(f"議題 {item_id} が見つかりません。")


def move(items: Sequence[AgendaItem], item_id: str, delta: int) -> list[AgendaItem]:
    """Move an item ``delta`` places (negative = up), clamped; renumbered."""
    out = list(items)
    i = _index(out, item_id)
    j = max(0, min(len(out) - 1, i + delta))
    out.insert(j, out.pop(i))
    return _renumber(out)


def _replace(items: Sequence[AgendaItem], item_id: str, **changes: Any) -> list[AgendaItem]:
    out = list(items)
    i = _index(out, item_id)
    out[i] = dataclasses.replace(out[i], **changes)
    return out


def rename(items: Sequence[AgendaItem], item_id: str, title: str) -> list[AgendaItem]:
    title = title.strip()
    if not title:
        raise ValueError("議題名を入力してください。")
    return _replace(items, item_id, title=title)


def set_enabled(items: Sequence[AgendaItem], item_id: str, enabled: bool) -> list[AgendaItem]:
    return _replace(items, item_id, enabled=enabled)


def set_minutes(items: Sequence[AgendaItem], item_id: str, minutes: int) -> list[AgendaItem]:
    if minutes < 0:
        raise ValueError("予定時間は0分以上にしてください。")
    return _replace(items, item_id, planned_minutes=int(minutes))


def add_custom(items: Sequence[AgendaItem], title: str, section: str = "OTHER",
               minutes: int = 5, *, meeting_id: Optional[str] = None) -> list[AgendaItem]:
    """A free item (no template) at the end of its section."""
    title = title.strip()
    if not title:
        raise ValueError("議題名を入力してください。")
    if section not in SECTIONS:
        raise ValueError(f"区分 {section} は使えません。")
    mid = meeting_id or (items[0].meeting_id if items else "")
    taken = {it.id for it in items}
    n = 1
    while f"{mid}-AGX{n:02d}" in taken:
        n += 1
    new = AgendaItem(id=f"{mid}-AGX{n:02d}", meeting_id=mid, order=0, section=section,
                     title=title, template=None, planned_minutes=int(minutes))
    out = list(items)
    rank = _section_rank(section)
    pos = len(out)
    for i, it in enumerate(out):
        if _section_rank(it.section) > rank:
            pos = i
            break
    # keep 「次回開催について」 last within その他
    if section == "OTHER":
        for i, it in enumerate(out):
            if (it.extra or {}).get("builtin") == "NEXT_MEETING":
                pos = min(pos, i)
    out.insert(pos, new)
    return _renumber(out)


def remove(items: Sequence[AgendaItem], item_id: str) -> list[AgendaItem]:
    """Remove a custom item (template items are switched off instead)."""
    out = list(items)
    i = _index(out, item_id)
    if out[i].template is not None:
        raise ValueError("テンプレートの議題は削除せず、使わない設定にしてください。")
    out.pop(i)
    return _renumber(out)


# --------------------------------------------------------------------------
# Time and numbering
# --------------------------------------------------------------------------

def total_planned(items: Iterable[AgendaItem]) -> int:
    return sum(it.planned_minutes for it in items if it.enabled)


def time_summary(items: Iterable[AgendaItem], meeting_minutes: int) -> str:
    """「予定 105分／会議時間 120分」, plus 「・15分超過」 when over."""
    total = total_planned(items)
    text = f"予定 {total}分／会議時間 {meeting_minutes}分"
    if total > meeting_minutes:
        text += f"・{total - meeting_minutes}分超過"
    return text


def next_meeting_numbers(world: Any, council_id: str, held_on: date) -> tuple[int, int]:
    """(年度, 第n回) for a new meeting of a council held on ``held_on``."""
    start = 4
    municipalities = getattr(world, "municipality", None)
    if municipalities is not None:
        start = getattr(municipalities, "fiscal_year_start_month", 4) or 4
    fy = fiscal_year(held_on, start)
    getter = getattr(world, "meetings_of", None)
    records = getter(council_id) if callable(getter) else [
        r for r in world.meetings.values() if r.meeting.council_id == council_id]
    earlier = [r for r in records
               if fiscal_year(r.meeting.held_on, start) == fy and r.meeting.held_on < held_on]
    return fy, len(earlier) + 1
