"""Carry-over rules of action items across three consecutive meetings (M1,
M2, M3 held; M4 planned): an open item comes onto each next meeting's 取組状況
(A02) by itself, a skip keeps it off one meeting only, a supersede / close /
cancel takes it off, the carry count rises per meeting survived, and
between-meeting changes are folded after the meetings held on or before
their date."""
from __future__ import annotations

from datetime import date

from kyogitai_tui.domain.followup import ops as ops
from kyogitai_tui.domain.meeting.agenda import build_agenda
from kyogitai_tui.domain.changes import apply_to_dataset
from kyogitai_tui.domain.world import World

DAYS = {"M1": date(2025, 4, 10), "M2": date(2025, 5, 10), "M3": date(2025, 6, 10),
        "M4": date(2025, 7, 10)}


def _meeting(mid: str, seq: int, status: str) -> dict:
    return {"id": mid, "council_id": "C1", "fiscal_year": 2025, "seq_no": seq,
            "held_on": DAYS[mid].isoformat(), "status": status}


def _item(aid: str, origin: str, due: str, status: str = "NOT_STARTED") -> dict:
    return {"id": aid, "origin_meeting_id": origin, "title": f"取組{aid}",
            "owner_person_ids": ["P1"], "due_date": due, "status": status}


def _dataset(progress: dict | None = None) -> dict:
    """M1 creates A1, A2, A3; M2 creates A4.  ``progress``: meeting id ->
    ActionProgress docs recorded there."""
    progress = progress or {}
    meetings = {}
    for seq, mid in enumerate(("M1", "M2", "M3", "M4"), start=1):
        tables = {"meeting": [_meeting(mid, seq, "PLANNED" if mid == "M4" else "HELD")]}
        if mid == "M1":
            tables["action_items"] = [_item("A1", "M1", "2025-05-01"), _item("A2", "M1", "2025-06-01"),
                                      _item("A3", "M1", "2025-08-01")]
        if mid == "M2":
            tables["action_items"] = [_item("A4", "M2", "2025-09-01")]
        if mid in progress:
            tables["action_progress"] = progress[mid]
        meetings[mid] = tables
    return {"registry": {"councils": [{"id": "C1", "name": "テスト協議体", "tier": 2}],
                         "persons": [{"id": "P1", "display_name": "見本 一郎"},
                                     {"id": "P2", "display_name": "仮名 花子"}]},
            "sensitive": {}, "meetings": meetings}


def _a02(world: World, mid: str) -> list[str]:
    items = build_agenda(world, world.meetings[mid].meeting)
    return next(a for a in items if a.template == "A02").carried_action_ids


def _apply(ds: dict, changes) -> World:
    apply_to_dataset(ds, changes)
    return World.from_dataset(ds)


def test_open_items_come_back_on_every_next_meeting_and_the_count_rises():
    w = World.from_dataset(_dataset())
    assert _a02(w, "M2") == ["A1", "A2", "A3"]
    assert _a02(w, "M3") == ["A1", "A2", "A3", "A4"]
    assert _a02(w, "M4") == ["A1", "A2", "A3", "A4"]
    counts = {mid: {s.id: s.carry_over_count for s in w.action_states(before_meeting_id=mid)}
              for mid in ("M2", "M3", "M4")}
    assert counts["M2"] == {"A1": 0, "A2": 0, "A3": 0}
    assert counts["M3"] == {"A1": 1, "A2": 1, "A3": 1, "A4": 0}
    assert counts["M4"] == {"A1": 2, "A2": 2, "A3": 2, "A4": 1}
    # M4 is only planned: it is not survived yet
    assert {s.id: s.carry_over_count for s in w.action_states()}["A1"] == 2


def test_closed_and_cancelled_items_leave_the_agenda():
    ds = _dataset({"M2": [{"id": "P-1", "action_item_id": "A1", "meeting_id": "M2",
                           "date": "2025-05-10", "status_after": "DONE", "note": "完了"}]})
    w = World.from_dataset(ds)
    assert _a02(w, "M3") == ["A2", "A3", "A4"]
    # cancelled between M2 and M3 (a follow-up row)
    w = _apply(ds, ops.change_status(w, "A2", "CANCELLED", "不要になった", date(2025, 5, 20)))
    assert _a02(w, "M3") == ["A3", "A4"]
    assert _a02(w, "M2") == ["A1", "A2", "A3"]          # M2's start is before the change
    assert w.action_state("A2").carry_over_count == 1   # survived M2 only


def test_a_skipped_item_stays_off_one_meeting_and_comes_back_the_time_after():
    ds = _dataset()
    w = World.from_dataset(ds)
    # between M1 and M2: skip A3 for the next meeting (M2)
    w = _apply(ds, ops.skip_next(w, "A3", "担当者が不在のため次回は見送り", date(2025, 4, 20),
                                meeting_id="M2"))
    assert _a02(w, "M2") == ["A1", "A2"]
    assert _a02(w, "M3") == ["A1", "A2", "A3", "A4"]
    assert _a02(w, "M4") == ["A1", "A2", "A3", "A4"]
    counts = {s.id: s.carry_over_count for s in w.action_states()}
    assert counts["A3"] == 1 and counts["A1"] == 2       # M2 not counted for A3
    assert w.action_state("A3").is_open


def test_a_skip_without_a_planned_meeting_applies_to_the_next_one_after_its_date():
    ds = _dataset()
    w = World.from_dataset(ds)
    # dated after M2: with no explicit meeting, the next meeting is M3
    changes = ops.skip_next(w, "A2", "次回は見送り", date(2025, 5, 20), meeting_id=None)
    doc = changes[0].doc
    doc["skip_meeting_id"] = None          # as when no next meeting was registered
    w = _apply(ds, changes)
    assert _a02(w, "M3") == ["A1", "A3", "A4"]
    assert _a02(w, "M4") == ["A1", "A2", "A3", "A4"]


def test_a_superseded_item_is_closed_with_a_pointer_and_leaves_the_agenda():
    ds = _dataset()
    w = World.from_dataset(ds)
    w = _apply(ds, ops.supersede(w, "A1", "A4", "", date(2025, 5, 20)))
    s = w.action_state("A1")
    assert not s.is_open and s.is_superseded and s.superseded_by == "A4"
    assert _a02(w, "M2") == ["A1", "A2", "A3"]
    assert _a02(w, "M3") == ["A2", "A3", "A4"]
    assert _a02(w, "M4") == ["A2", "A3", "A4"]
    assert s.carry_over_count == 1
    assert s.followups[-1].kind == "SUPERSEDE"


def test_between_meeting_owner_and_due_changes_fold_in_date_order_and_keep_the_original():
    ds = _dataset()
    w = World.from_dataset(ds)
    w = _apply(ds, ops.change_due(w, "A1", "2025-06-30", "幹事会の回答待ち", date(2025, 5, 20)))
    w = _apply(ds, ops.change_owner(w, "A1", ["P2"], "", "担当交代", date(2025, 5, 21)))
    s = w.action_state("A1")
    assert s.due_date == date(2025, 6, 30) and s.item.due_date == date(2025, 5, 1)
    assert s.owner_person_ids == ["P2"] and s.item.owner_person_ids == ["P1"]
    assert not s.is_overdue(date(2025, 6, 1))
    assert [f.id for f in s.followups] == ["AF-A1-001", "AF-A1-002"]
    # as M2 started (before both changes) nothing had changed
    before = {x.id: x for x in w.action_states(before_meeting_id="M2")}["A1"]
    assert before.due_date == date(2025, 5, 1) and before.owner_person_ids == ["P1"]
    # a change dated on M3's day comes after M3's own progress rows
    ds["meetings"]["M3"]["action_progress"] = [{
        "id": "P-9", "action_item_id": "A1", "meeting_id": "M3", "date": "2025-06-10",
        "status_after": "ON_HOLD", "note": "会議で保留"}]
    w = World.from_dataset(ds)
    w = _apply(ds, ops.change_status(w, "A1", "IN_PROGRESS", "会議の後に再開", date(2025, 6, 10)))
    assert w.action_state("A1").status == "IN_PROGRESS"


def test_a_prepared_meetings_a02_follows_later_follow_up_changes():
    from kyogitai_tui.domain.demo import load_demo
    from kyogitai_tui.domain.meeting.session import MeetingSession

    today = date(2025, 9, 9)
    ds = load_demo(today)
    w = World.from_dataset(ds)
    s = MeetingSession(ds, w, "M-C2-03", today=today)
    s.prepare()
    a02 = next(a for a in s.record.agenda_items if a.template == "A02")
    assert "AI-09" in a02.carried_action_ids and "AI-05" in a02.carried_action_ids
    apply_to_dataset(ds, ops.skip_next(w, "AI-09", "担当者が不在", today))
    w = World.from_dataset(ds)
    apply_to_dataset(ds, ops.supersede(w, "AI-05", "AI-07", "", today))
    w = World.from_dataset(ds)
    s = MeetingSession(ds, w, "M-C2-03", today=today)
    changes = s.prepare()
    a02 = next(a for a in s.record.agenda_items if a.template == "A02")
    assert a02.carried_action_ids == ["AI-01", "AI-08", "AI-04", "AI-06", "AI-07"]
    assert [c.table for c in changes] == ["agenda_items"]
    assert MeetingSession(ds, w, "M-C2-03", today=today).prepare() == []   # nothing more to do
