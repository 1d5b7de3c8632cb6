"""Agenda building, carry-over, editing, time summary and meeting numbering."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from kyogitai_tui.domain.meeting.agenda import (
    NEXT_MEETING_TITLE, add_custom, build_agenda, move, next_meeting_numbers, remove, rename,
    set_enabled, set_minutes, time_summary, total_planned,
)
from kyogitai_tui.domain.model import ActionItem, ActionProgress, Council, Meeting, Municipality
from kyogitai_tui.domain.world import World


def _meeting(i, seq, held, fy=2025, council="C2", status="HELD"):
    return Meeting(id=i, council_id=council, fiscal_year=fy, seq_no=seq, held_on=held, status=status)


def small_world() -> tuple[World, Meeting]:
    m1 = _meeting("M1", 1, date(2025, 5, 20))
    m2 = _meeting("M2", 2, date(2025, 7, 15))
    m3 = _meeting("M3", 3, date(2025, 9, 16), status="PLANNED")
    other = _meeting("MX", 1, date(2025, 6, 1), council="C3")
    ai = lambda i, m, due, st="NOT_STARTED": ActionItem(id=i, origin_meeting_id=m, title=i,
                                                        due_date=due, status=st)
    dataset = {
        "registry": {
            "municipality": [Municipality(id="MU", name="みほん市").to_doc()],
            "councils": [Council(id="C2", name="北", tier=2).to_doc(),
                         Council(id="C3", name="中央", tier=2).to_doc()],
        },
        "meetings": {
            "M1": {"meeting": [m1.to_doc()],
                   "action_items": [ai("AI-01", "M1", date(2025, 7, 10)).to_doc(),
                                    ai("AI-02", "M1", date(2025, 6, 30)).to_doc()]},
            "M2": {"meeting": [m2.to_doc()],
                   "action_items": [ai("AI-06", "M2", date(2025, 8, 31)).to_doc(),
                                    ai("AI-07", "M2", date(2025, 9, 10), "IN_PROGRESS").to_doc()],
                   "action_progress": [ActionProgress(id="AP1", action_item_id="AI-02", meeting_id="M2",
                                                      status_after="DONE").to_doc()]},
            "M3": {"meeting": [m3.to_doc()]},
            "MX": {"meeting": [other.to_doc()],
                   "action_items": [ai("AI-X", "MX", date(2025, 7, 1)).to_doc()]},
        },
    }
    return World.from_dataset(dataset), m3


def test_build_agenda_order_sections_and_carry_over():
    world, m3 = small_world()
    items = build_agenda(world, m3, today=date(2025, 9, 9))
    assert [it.order for it in items] == list(range(1, len(items) + 1))
    assert [it.template for it in items][:12] == [f"A{i:02d}" for i in range(1, 13)]
    assert items[-1].title == NEXT_MEETING_TITLE and items[-1].section == "OTHER"
    ranks = [("REPORT", "DISCUSSION", "OTHER").index(it.section) for it in items]
    assert ranks == sorted(ranks)
    a02 = next(it for it in items if it.template == "A02")
    # AI-02 done, AI-X another council's: not carried; overdue first
    assert a02.carried_action_ids == ["AI-01", "AI-06", "AI-07"]
    assert all(not it.carried_action_ids for it in items if it.template != "A02")
    assert total_planned(items) == 105
    assert time_summary(items, 120) == "予定 105分／会議時間 120分"
    # as of 第2回: only 第1回's open items
    m2 = world.meetings["M2"].meeting
    a02 = next(it for it in build_agenda(world, m2) if it.template == "A02")
    assert a02.carried_action_ids == ["AI-02", "AI-01"]   # by due date


def test_templates_subset_and_unknown():
    world, m3 = small_world()
    items = build_agenda(world, m3, ["A12", "A01", "A02"])
    assert [it.template for it in items] == ["A01", "A02", "A12", None]


def test_edit_operations():
    world, m3 = small_world()
    items = build_agenda(world, m3)
    a11 = next(it for it in items if it.template == "A11")
    moved = move(items, a11.id, -2)
    assert [it.order for it in moved] == list(range(1, len(items) + 1))
    assert moved[a11.order - 3].id == a11.id
    assert items[a11.order - 1].id == a11.id            # the original list is untouched
    assert move(items, items[0].id, -5)[0].id == items[0].id   # clamped
    assert move(items, items[0].id, 99)[-1].id == items[0].id
    renamed = rename(items, a11.id, "買い物困難への対応")
    assert next(it for it in renamed if it.id == a11.id).title == "買い物困難への対応"
    with pytest.raises(ValueError):
        rename(items, a11.id, "  ")
    off = [it for it in items if it.template in ("A07", "A08", "A09")]
    edited = items
    for it in off:
        edited = set_enabled(edited, it.id, False)
    assert total_planned(edited) == 93
    edited = set_minutes(edited, a11.id, 45)
    assert total_planned(edited) == 118
    edited = add_custom(edited, "防災訓練のお知らせ", "OTHER", 10)
    assert edited[-1].title == NEXT_MEETING_TITLE
    custom = edited[-2]
    assert custom.title == "防災訓練のお知らせ" and custom.template is None and custom.section == "OTHER"
    assert time_summary(edited, 120) == "予定 128分／会議時間 120分・8分超過"
    edited = add_custom(edited, "追加の協議", "DISCUSSION", 5)
    disc = [it for it in edited if it.section == "DISCUSSION"]
    assert disc[-1].title == "追加の協議"
    assert len({it.id for it in edited}) == len(edited)
    assert [it.order for it in edited] == list(range(1, len(edited) + 1))
    edited = remove(edited, custom.id)
    assert custom.id not in {it.id for it in edited}
    with pytest.raises(ValueError):
        remove(edited, a11.id)


def test_next_meeting_numbers():
    world, _ = small_world()
    assert next_meeting_numbers(world, "C2", date(2025, 11, 18)) == (2025, 4)
    assert next_meeting_numbers(world, "C2", date(2025, 9, 16)) == (2025, 3)
    assert next_meeting_numbers(world, "C2", date(2025, 4, 10)) == (2025, 1)
    assert next_meeting_numbers(world, "C2", date(2026, 3, 31)) == (2025, 4)
    assert next_meeting_numbers(world, "C2", date(2026, 4, 1)) == (2026, 1)
    assert next_meeting_numbers(world, "C3", date(2025, 9, 1)) == (2025, 2)
    assert next_meeting_numbers(world, "C9", date(2025, 9, 1)) == (2025, 1)


# ---------------------------------------------------------------- demo data (みほん市)





def test_demo_third_meeting_carries_exactly_the_open_items(demo):
    world, today = demo
    third = world.meetings["M-C2-03"].meeting
    items = build_agenda(world, third, today=today)
    a02 = next(it for it in items if it.template == "A02")
    assert set(a02.carried_action_ids) == {"AI-01", "AI-04", "AI-05", "AI-06", "AI-07",
                                           "AI-08", "AI-09"}
    assert not {"AI-02", "AI-03"} & set(a02.carried_action_ids)       # done in 第2回
    # overdue first (AI-07 is due the day after "today"), then by due date
    assert a02.carried_action_ids == ["AI-01", "AI-05", "AI-08", "AI-04", "AI-06", "AI-07", "AI-09"]
    # 次回の議題 set when 第2回 closed are proposed as 協議事項 of 第3回 (5 min each)
    proposed = [it.title for it in items if (it.extra or {}).get("from_previous_topics")]
    assert proposed == ["買い物同行の試行案", "Fさん宅での関係者会議", "多職種連携会議からの回答"]
    assert all(it.section == "DISCUSSION" and it.enabled for it in items
               if (it.extra or {}).get("from_previous_topics"))
    assert time_summary(items, third.planned_minutes) == "予定 120分／会議時間 120分"
    assert next_meeting_numbers(world, "C2", third.held_on) == (third.fiscal_year, 3)
    assert next_meeting_numbers(world, "C2", third.held_on + timedelta(days=63))[1] == 4
