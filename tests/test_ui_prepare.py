"""Preparing 第3回 of 北みほん支え合い会議 as a coordinator would: Home -> the
council's meetings -> 基本 / 出欠 / 資料 / 議題 -> F9 starts the meeting; a
late arrival during it changes the quorum in the live top bar; everything is
on disk afterwards.  Also: a new meeting (F2) is numbered 第4回, a bad date
is refused in Japanese, and no screen shows an East Asian Ambiguous glyph."""
from __future__ import annotations

import html
import re
import unicodedata
from datetime import date, datetime, timedelta

from textual.widgets import DataTable, Input, Static

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, ChoiceField, FormDialog

DEMO_REF = date(2025, 9, 9)      # the demo's reference date: 第3回 falls on 9/16
TODAY = date(2025, 9, 16)
M3 = "M-C2-03"


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2025, 9, 16, 13, 30)

    def __call__(self) -> datetime:
        return self.t


def make_app(store, clock=None) -> KyogitaiApp:
    dataset, world = load_data(store)
    return KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                       today=TODAY, clock=clock)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def row_key(table: DataTable) -> str:
    return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value


async def goto_row(pilot, table: DataTable, key: str) -> None:
    """Arrow keys until the cursor is on ``key``."""
    target = table.get_row_index(key)
    while table.cursor_row != target:
        await pilot.press("down" if table.cursor_row < target else "up")
    assert row_key(table) == key


async def fill(pilot, values: dict) -> None:
    """Type into the open FormDialog; choice fields go through their picker."""
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    for name, value in values.items():
        widget = dialog.query_one(f"#field-{name}")
        if isinstance(widget, ChoiceField):
            widget.focus()
            await pilot.press("enter")
            picker = pilot.app.screen
            assert isinstance(picker, ChoiceDialog)
            await choose(pilot, value)
        else:
            assert isinstance(widget, Input)
            widget.value = value
    await pilot.pause()


async def choose(pilot, label: str) -> None:
    picker = pilot.app.screen
    assert isinstance(picker, ChoiceDialog)
    labels = [lbl for _, lbl in picker.choices]
    ol = picker.query_one("#choices")
    target = labels.index(label)
    if ol.highlighted is None:
        await pilot.press("down")
    while ol.highlighted != target:
        await pilot.press("down" if ol.highlighted < target else "up")
    await pilot.press("enter")
    await pilot.pause()


def ambiguous(app) -> set[str]:
    svg = app.export_screenshot()
    shown = html.unescape(re.sub(r"<[^>]+>", "", svg.split("</style>", 1)[-1]))
    return {ch for ch in shown if unicodedata.east_asian_width(ch) == "A"}


async def open_council(pilot, app) -> DataTable:
    await pilot.pause()
    await pilot.press("down")          # 北みほん支え合い会議
    await pilot.press("enter")
    await pilot.pause()
    from kyogitai_tui.ui.screens.council import CouncilScreen
    assert [type(s) for s in app.screen_stack].count(CouncilScreen) == 1
    return app.screen.query_one("#meetings", DataTable)


async def test_prepare_third_meeting_then_start_and_record_a_late_arrival(demo_root):
    from kyogitai_tui.ui.screens.live import LiveScreen
    from kyogitai_tui.ui.screens.prepare import PrepareScreen

    clock = Clock()
    with DataStore.open(demo_root) as store:
        app = make_app(store, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            table = await open_council(pilot, app)
            rows = cells(table)
            assert [r[0] for r in rows] == ["令和7年度 第1回", "令和7年度 第2回", "令和7年度 第3回"]
            assert rows[2][1] == "9/16（火）" and rows[2][3] == "予定"
            assert rows[1][4] == "案"
            assert row_key(table) == M3          # the cursor waits on the next meeting
            assert not ambiguous(app)
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PrepareScreen)
            assert "令和7年度 第3回" in text_of(app, "#title")
            assert "令和7年9月16日（火）" in text_of(app, "#title")
            assert "構成員14名中14名出席・成立" in text_of(app, "#status")
            assert "予定 120分／会議時間 120分" in text_of(app, "#status")
            assert not ambiguous(app)

            # 出欠 ---------------------------------------------------------
            await pilot.press("f3")
            roster = screen.query_one("#sec-roster", DataTable)
            assert roster.has_focus
            names = [r[0] for r in cells(roster)]
            assert len(names) == 17 and names[0] == "試験 春男"
            members = [k for k in (roster.coordinate_to_cell_key((i, 0)).row_key.value
                                   for i in range(roster.row_count))][:14]
            absent, proxy, late = members[10], members[11], members[5]

            await goto_row(pilot, roster, absent)
            await pilot.press("enter")
            await fill(pilot, {"status": "欠席", "note": "書面で意見提出"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert cells(roster)[roster.get_row_index(absent)][2] == "欠席"
            assert "構成員14名中13名出席・成立" in text_of(app, "#status")

            await goto_row(pilot, roster, proxy)
            await pilot.press("enter")
            await fill(pilot, {"status": "代理出席"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "代理出席の方の氏名を入力してください" in text_of(app, "#form-error")
            await fill(pilot, {"proxy_name": "仮名 代理子"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, PrepareScreen)
            row = cells(roster)[roster.get_row_index(proxy)]
            assert (row[2], row[4]) == ("代理出席", "仮名 代理子")

            await goto_row(pilot, roster, late)
            await pilot.press("enter")
            await fill(pilot, {"status": "遅参"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            row = cells(roster)[roster.get_row_index(late)]
            assert (row[2], row[3]) == ("遅参", "未着")
            assert "構成員14名中12名出席・成立（うち代理1名）" in text_of(app, "#status")

            await pilot.press("f8")
            await fill(pilot, {"name": "例示 県子", "org": "架空県社会福祉協議会"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            guest = cells(roster)[-1]
            assert guest[:3] == ["例示 県子", "アドバイザー", "出席"] and guest[5] == "架空県社会福祉協議会"
            assert "構成員14名中12名出席" in text_of(app, "#status")   # a guest is no member

            await pilot.press("f12")
            await fill(pilot, {"n": "2"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "傍聴者2名" in text_of(app, "#status")

            # 資料 ---------------------------------------------------------
            await pilot.press("f4")
            for title in ("会議次第", "北台地区 買い物同行の試行案"):
                await pilot.press("f8")
                await fill(pilot, {"title": title})
                await pilot.press("ctrl+s")
                await pilot.pause()
            mats = cells(screen.query_one("#sec-materials", DataTable))
            assert [r[:2] for r in mats] == [["資料1", "会議次第"], ["資料2", "北台地区 買い物同行の試行案"]]

            # 議題 ---------------------------------------------------------
            await pilot.press("f5")
            agenda = screen.query_one("#sec-agenda", DataTable)
            s = screen.session
            by_tpl = {a.template: a.id for a in s.agenda}
            a02 = cells(agenda)[agenda.get_row_index(by_tpl["A02"])]
            assert a02[1:3] == ["(2)", "前回からの取組状況"] and a02[4].startswith("継続7件")

            await goto_row(pilot, agenda, by_tpl["A09"])
            await pilot.press("f12")                       # switch A09 off
            await pilot.pause()
            row = cells(agenda)[agenda.get_row_index(by_tpl["A09"])]
            assert row[:2] == ["[ ]", "-"]
            assert "予定 116分／会議時間 120分" in text_of(app, "#status")

            await goto_row(pilot, agenda, by_tpl["A10"])
            await pilot.press("f6")                        # A10 above A09
            await pilot.pause()
            assert agenda.get_row_index(by_tpl["A10"]) < agenda.get_row_index(by_tpl["A09"])
            assert row_key(agenda) == by_tpl["A10"]
            assert cells(agenda)[agenda.get_row_index(by_tpl["A10"])][1] == "(9)"

            await goto_row(pilot, agenda, by_tpl["A03"])
            await pilot.press("enter")
            await fill(pilot, {"title": "北圏域の個別ネットワークの状況", "minutes": "15"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            row = cells(agenda)[agenda.get_row_index(by_tpl["A03"])]
            assert row[2:4] == ["北圏域の個別ネットワークの状況", "15分"]
            assert "予定 119分／会議時間 120分" in text_of(app, "#status")

            await pilot.press("f8")
            await fill(pilot, {"title": "買い物同行の試行について", "minutes": "10"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            custom = next(a for a in s.agenda if a.template is None and a.title == "買い物同行の試行について")
            assert row_key(agenda) == custom.id
            row = cells(agenda)[agenda.get_row_index(custom.id)]
            assert row[1:] == ["(6)", "買い物同行の試行について", "10分", "追加"]
            assert "予定 129分／会議時間 120分" in text_of(app, "#status")
            assert not ambiguous(app)

            # 開始 ---------------------------------------------------------
            clock.t = datetime(2025, 9, 16, 14, 0)
            await pilot.press("f9")
            await pilot.press("enter")                     # 開始する
            await pilot.pause()
            live = app.screen
            assert isinstance(live, LiveScreen)
            top = str(live.query_one("#topbar", Static).render())
            assert "構成員14名中12名出席・成立" in top

            # a late member arrives during the meeting (F7)
            clock.t += timedelta(minutes=12)
            await pilot.press("f7")
            await pilot.pause()
            dialog = app.screen
            roll = dialog.query_one("#att-roster", DataTable)
            await goto_row(pilot, roll, late)
            await pilot.press("enter")
            await choose(pilot, "遅参（いま到着）")
            assert "構成員14名中13名出席・成立" in str(dialog.query_one("#att-quorum", Static).render())
            assert cells(roll)[roll.get_row_index(late)][3] == "14:12着"
            assert not ambiguous(app)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is live
            assert "構成員14名中13名出席・成立" in str(live.query_one("#topbar", Static).render())
            app.saver.flush()

    with DataStore.open(demo_root) as store:
        world = World.from_dataset(store.load_dataset())
    rec = world.meetings[M3]
    assert rec.meeting.status == "IN_PROGRESS" and rec.meeting.observers_count == 2
    att = {a.id: a for a in rec.attendance}
    assert (att[absent].status, att[absent].note) == ("ABSENT", "書面で意見提出")
    assert (att[proxy].status, att[proxy].proxy_name) == ("PROXY", "仮名 代理子")
    assert att[late].status == "LATE" and att[late].arrived_at.strftime("%H:%M") == "14:12"
    guest = next(a for a in rec.attendance if a.person_id is None)
    assert (guest.name, guest.org_name, guest.role_in_meeting) == ("例示 県子", "架空県社会福祉協議会", "ADVISOR")
    assert [(m.label, m.title) for m in rec.materials] == [("資料1", "会議次第"), ("資料2", "北台地区 買い物同行の試行案")]
    items = {a.template or a.title: a for a in rec.agenda_items}
    assert not items["A09"].enabled
    assert items["A10"].order < items["A09"].order
    assert (items["A03"].title, items["A03"].planned_minutes) == ("北圏域の個別ネットワークの状況", 15)
    assert items["買い物同行の試行について"].section == "DISCUSSION"
    assert len(items["A02"].carried_action_ids) == 7


async def test_new_meeting_is_numbered_from_its_date_and_a_bad_date_is_refused(demo_root):
    from kyogitai_tui.ui.screens.prepare import PrepareScreen

    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            table = await open_council(pilot, app)
            await pilot.press("f2")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, FormDialog)
            assert "開催日を入れると" in text_of(app, "#suggest")
            await fill(pilot, {"held_on": "2025-13-45"})
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is dialog
            error = text_of(app, "#form-error")
            assert "日付として読めません" in error and "2025-09-16 のように" in error
            assert len(app.world.meetings_of("C2")) == 3
            assert not ambiguous(app)

            await fill(pilot, {"held_on": "2025-10-21", "venue": "北みほん地区会館 1階集会室"})
            assert "令和7年度 第4回" in text_of(app, "#suggest")
            await pilot.press("ctrl+s")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PrepareScreen)
            assert "令和7年度 第4回" in text_of(app, "#title")
            assert "令和7年10月21日（火）" in text_of(app, "#title")
            new_id = screen.session.meeting_id
            assert app.session is screen.session
            await pilot.press("escape")
            await pilot.pause()
            rows = cells(table)
            assert rows[-1][0] == "令和7年度 第4回" and rows[-1][3] == "予定"
            app.saver.flush()

    with DataStore.open(demo_root) as store:
        world = World.from_dataset(store.load_dataset())
    m = world.meetings[new_id]
    assert (m.meeting.seq_no, m.meeting.fiscal_year, m.meeting.held_on) == (4, 2025, date(2025, 10, 21))
    assert m.meeting.venue == "北みほん地区会館 1階集会室" and m.meeting.mode == "HYBRID"
    assert len([a for a in m.attendance if a.role_in_meeting == "MEMBER"]) == 14
    assert len(m.agenda_items) == 13
    assert len(world.meetings_of("C2")) == 4


async def test_screens_fit_80x24(demo_root):
    from kyogitai_tui.ui.screens.prepare import PrepareScreen

    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_council(pilot, app)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PrepareScreen)
            for key in ("f2", "f3", "f4", "f5"):
                await pilot.press(key)
                await pilot.pause()
                status = app.screen.query_one("#status", Static)
                assert status.region.height >= 1 and status.region.y < 24
                assert "構成員14名中14名出席" in text_of(app, "#status")
                assert not ambiguous(app)
            await pilot.press("f1")
            await pilot.pause()
            help_text = str(app.screen.query_one("#help-text", Static).render())
            assert "会議を開始" in help_text


def test_every_binding_has_an_id_and_japanese_description():
    from kyogitai_tui.ui.screens.attendance import AttendanceDialog
    from kyogitai_tui.ui.screens.council import CouncilScreen
    from kyogitai_tui.ui.screens.prepare import PrepareScreen

    for owner in (CouncilScreen, PrepareScreen, AttendanceDialog):
        ids = [b.id for b in owner.BINDINGS]
        assert all(ids) and len(ids) == len(set(ids)), owner.__name__
        for binding in owner.BINDINGS:
            assert any("\u3040" <= ch <= "\u9fff" for ch in binding.description), binding
            # no bare letters: people type Japanese in the dialogs of these screens
            assert len(binding.key) > 1, binding
