"""The demo's 第3回 of 北みほん支え合い会議, walked end to end as a coordinator
runs it, from the home screen and with the keys a user presses: a late
arrival, Japanese notes on several items, a carried action updated, a C2
finding accepted, one decision of each headline type with its action item,
the readback and the close; then the store is reopened and all of it is
there.  Also: a run abandoned mid-meeting reopens at the same item with
nothing lost, and the first screens fit 80x24.  Japanese text is set on the
Input (composition cannot be simulated) and submitted with Enter."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.guidebook.guidance import rule_text
from kyogitai_tui.domain.meeting.live_view import mmss
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, ChoiceField, FormDialog
from test_reliability_privacy import check_walk_privacy
from ui_helpers import assert_unambiguous, option_texts, screen_text

DEMO_REF = date(2025, 9, 9)      # the demo's reference date: 第3回 falls on 9/16
TODAY = date(2025, 9, 16)
M3 = "M-C2-03"
COUNCIL = "北みほん支え合い会議"

# what the room says, item by item (template -> (speaker code, text))
SAID = {
    "A01": ("SECRETARIAT", "前回の議事録は事前に送付し、修正の申し出はありませんでした"),
    "A02": ("MEMBER", "多職種連携会議の幹事会で支援枠の設置が了承されました"),
    "A05": ("MEMBER", "薬局と移動支援のNPOにも参加を呼びかけたい"),
}
AI01_NOTE = "幹事会で個別支援の枠が了承された"


class Clock:
    def __init__(self, t: datetime) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t

    def advance(self, minutes: int) -> None:
        self.t += timedelta(minutes=minutes)


def make_app(store, clock) -> KyogitaiApp:
    dataset, world = load_data(store)
    return KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                       today=TODAY, clock=clock, export_dir=None)


# --------------------------------------------------------------------- reading






def static(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def row_keys(table: DataTable) -> list[str]:
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]




def current_template(app) -> str:
    return app.session.current_item().template


# --------------------------------------------------------------------- driving


async def goto_row(pilot, table: DataTable, key: str) -> None:
    """Arrow keys until the cursor is on the row ``key``."""
    target = row_keys(table).index(key)
    while table.cursor_row != target:
        await pilot.press("down" if table.cursor_row < target else "up")
    assert row_keys(table)[table.cursor_row] == key


async def highlight(pilot, ol: OptionList, index: int) -> None:
    """Arrow keys until option ``index`` of a focused OptionList is highlighted."""
    assert ol.has_focus
    if ol.highlighted is None:
        await pilot.press("down")
    while ol.highlighted != index:
        await pilot.press("down" if ol.highlighted < index else "up")


async def pick(pilot, *codes: str) -> None:
    """In the open ChoiceDialog: arrows + Enter on one code; for a multiple
    choice, Enter toggles each code and ctrl+s closes the picker."""
    picker = pilot.app.screen
    assert isinstance(picker, ChoiceDialog), type(picker)
    order = [c for c, _ in picker.choices]
    ol = picker.query_one("#choices", OptionList)
    for code in codes:
        await highlight(pilot, ol, order.index(code))
        await pilot.press("enter")
        await pilot.pause()
    if picker.multiple:
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert pilot.app.screen is not picker


async def choose_field(pilot, name: str, *codes: str) -> None:
    """A ChoiceField of the open form: focus it, Enter opens its picker."""
    dialog = pilot.app.screen
    field = dialog.query_one(f"#field-{name}", ChoiceField)
    field.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pick(pilot, *codes)
    assert pilot.app.screen is dialog


def type_into(app, name: str, text: str) -> None:
    """What an IME would leave in a form's Input."""
    app.screen.query_one(f"#field-{name}", Input).value = text


async def save_form(pilot) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    await pilot.press("ctrl+s")
    await pilot.pause()
    if pilot.app.screen is dialog:
        raise AssertionError(f"form not saved: {dialog.query_one('#form-error', Static).render()}")


async def say(pilot, speaker: str, text: str) -> None:
    """F3 picks the speaker, F2 goes to the statement line, Enter records."""
    app = pilot.app
    await pilot.press("f3")
    await pilot.pause()
    await pick(pilot, speaker)
    await pilot.press("f2")
    line = app.screen.query_one("#statement-input", Input)
    assert line.has_focus
    line.value = text
    await pilot.press("enter")
    await pilot.pause()
    assert line.value == ""
    assert f"] {text}" in option_texts(app.screen.query_one("#statements", OptionList))[-1]


async def jump(pilot, query: str, expect_first: str) -> None:
    """ctrl+p, type part of a name, Enter on the first match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    dialog = pilot.app.screen
    assert type(dialog).__name__ == "JumpDialog"
    dialog.query_one("#jump-query", Input).value = query
    await pilot.pause()
    shown = option_texts(dialog.query_one("#jump-list", OptionList))
    assert shown and shown[0] == expect_first, shown
    await pilot.press("enter")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "LiveScreen"


async def home_to_prepare(pilot, app):
    """Home: Enter on the council; its meetings: Enter on 第3回 (the cursor waits there)."""
    from kyogitai_tui.ui.screens.council import CouncilScreen
    from kyogitai_tui.ui.screens.prepare import PrepareScreen

    await pilot.pause()
    councils = app.screen.query_one("#councils", DataTable)
    await goto_row(pilot, councils, "C2")
    assert str(councils.get_row_at(councils.cursor_row)[0]) == COUNCIL
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CouncilScreen)
    meetings = app.screen.query_one("#meetings", DataTable)
    assert row_keys(meetings)[meetings.cursor_row] == M3
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, PrepareScreen)
    assert "令和7年度 第3回" in static(app, "#title")
    return app.screen


async def start_meeting(pilot, app):
    from kyogitai_tui.ui.screens.live import LiveScreen

    await pilot.press("f9")
    await pilot.pause()
    assert isinstance(app.screen, ChoiceDialog)
    await pilot.press("enter")                     # 開始する
    await pilot.pause()
    assert isinstance(app.screen, LiveScreen)
    return app.screen


# --------------------------------------------------------------------- the walk


@pytest.mark.usefixtures("umask_zero")
async def test_third_meeting_end_to_end_from_home_then_reopened(demo_root, no_network, tmp_path, capsys):
    """The whole 第3回 from the home screen, then reopened; run under a umask
    of 0 with every network way made to fail, it is also the privacy walk
    (test_reliability_privacy.check_walk_privacy, at the end)."""
    from kyogitai_tui.ui.home import HomeScreen

    clock = Clock(datetime(2025, 9, 16, 13, 40))
    with DataStore.open(demo_root) as store:
        app = make_app(store, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            # ---- prepare: 仮名 五月 will be late ---------------------------
            prepare = await home_to_prepare(pilot, app)
            assert "構成員14名中14名出席・成立" in static(app, "#status")
            await pilot.press("f3")
            roster = prepare.query_one("#sec-roster", DataTable)
            assert roster.has_focus
            p16 = next(a.id for a in app.session.record.attendance if a.person_id == "P16")
            await goto_row(pilot, roster, p16)
            assert str(roster.get_row_at(roster.cursor_row)[0]) == "仮名 五月"
            await pilot.press("enter")
            await pilot.pause()
            await choose_field(pilot, "status", "LATE")
            await save_form(pilot)
            row = [str(c) for c in roster.get_row_at(roster.get_row_index(p16))]
            assert row[2:4] == ["遅参", "未着"]
            assert "構成員14名中13名出席・成立" in static(app, "#status")
            assert_unambiguous(app, "prepare 120x40")

            clock.t = datetime(2025, 9, 16, 14, 0)
            live = await start_meeting(pilot, app)
            s = app.session
            item = {a.template: a for a in s.agenda}
            assert current_template(app) == "A01"
            top_before = static(app, "#topbar")
            assert COUNCIL in top_before and "構成員14名中13名出席・成立" in top_before

            # ---- A01: 事務局 speaks, F8 確定 ---------------------------------
            await say(pilot, *SAID["A01"])
            await pilot.press("f8")
            await pilot.pause()
            assert s.item(item["A01"].id).result == "CONFIRMED"
            assert "この会議での確認：確定" in screen_text(app)
            clock.advance(5)

            # ---- A02: AI-01 is done; a member speaks ---------------------
            await pilot.press("f5")
            await pilot.pause()
            assert current_template(app) == "A02"
            await pilot.press("f6")
            await pilot.pause()
            rows = live._ws.option_list
            assert rows.has_focus and live._ws.current_key() == "action:AI-01"
            await pilot.press("enter")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormDialog) and "AI-01" in form.title_text
            await choose_field(pilot, "status", "DONE")
            await pilot.press("tab")
            assert form.query_one("#field-note", Input).has_focus
            type_into(app, "note", AI01_NOTE)
            await pilot.press("enter")                  # the last field: saves
            await pilot.pause()
            assert app.screen is live
            shown = screen_text(app)
            assert f"メモ：{AI01_NOTE}" in shown
            ai01 = next(line for line in shown.splitlines() if "期限：7/10" in line)
            assert "完了" in ai01 and "期限超過" not in ai01
            await say(pilot, *SAID["A02"])
            assert_unambiguous(app, "A02 120x40")
            clock.advance(8)

            # ---- F7: 仮名 五月 arrives ------------------------------------
            await pilot.press("f7")
            await pilot.pause()
            dialog = app.screen
            roll = dialog.query_one("#att-roster", DataTable)
            await goto_row(pilot, roll, p16)
            await pilot.press("enter")
            await pilot.pause()
            await pick(pilot, "ARRIVE")
            assert "構成員14名中14名出席・成立" in static(app, "#att-quorum")
            assert str(roll.get_row_at(roll.get_row_index(p16))[3]) == "14:13着"
            assert_unambiguous(app, "attendance 120x40")
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is live
            top_after = static(app, "#topbar")
            assert "構成員14名中14名出席・成立" in top_after
            assert top_after != top_before

            # ---- A05 by ctrl+p ------------------------------------------
            await jump(pilot, "圏域 多職種", "ネットワーク 北みほん圏域 多職種連携会議")
            assert current_template(app) == "A05"
            assert "北みほん圏域 多職種連携会議" in screen_text(app)
            await say(pilot, *SAID["A05"])
            clock.advance(10)

            # ---- A11 by ctrl+p: F8 checks, accept C2 for PN06 ------------
            await jump(pilot, "不足", "議題 (1) 不足しているネットワーク機能・サービス")
            assert current_template(app) == "A11"
            await pilot.press("f8")
            await pilot.pause()
            ws = live._ws
            checks = ws.query_one("#checks", OptionList)
            c2 = next(i for i, r in enumerate(ws.results)
                      if r.check_code == "C2_SAME_NONMEMBERS" and r.target == "PN06")
            assert ws.results[c2].problem
            await highlight(pilot, checks, c2)
            await pilot.press("enter")
            await pilot.pause()
            await pick(pilot, "ACCEPT")
            form = app.screen
            assert isinstance(form, FormDialog)
            assert "みほん市生活支援NPO連絡会" in form.query_one("#field-description", Input).value
            await pilot.press("enter")                  # description kept: on to the evidence
            await pilot.pause()
            assert form.query_one("#field-evidence", ChoiceField).has_focus
            before = list(form.query_one("#field-evidence", ChoiceField).value)
            await pilot.press("enter")
            await pilot.pause()
            await pick(pilot, "MINSEI")
            evidence = form.query_one("#field-evidence", ChoiceField).value
            assert evidence == [c for c in ("GROUP_SURVEY", "PROVIDERS", "MINSEI", "SUPPORT_CENTER", "OTHER")
                                if c in before or c == "MINSEI"]
            await save_form(pilot)
            c2_finding = s.record.gap_findings[-1]
            assert (c2_finding.check_code, c2_finding.network_id) == ("C2_SAME_NONMEMBERS", "PN06")
            assert f"今回課題に登録（{c2_finding.id}）" in option_texts(checks)[c2]
            assert_unambiguous(app, "A11 120x40")
            clock.advance(10)

            # ---- A12: three decisions, each with an action item ----------
            await pilot.press("f5")
            await pilot.pause()
            assert current_template(app) == "A12"
            plans = [
                ("EXPAND_EXISTING",
                 dict(text="多職種連携会議に個別ネットワーク支援の枠を設け、薬局の参加を働きかける"),
                 dict(network="PN04", leader="P05"),
                 dict(title="多職種連携会議の幹事会に枠の設置を諮る", persons=["P05"], due="2025-10-31")),
                ("FORM_NEW",
                 dict(text="北台団地の見守りネットワークを立ち上げる", target_text="北台団地"),
                 dict(leader="P08", parallel="YES"),          # G4: the council's answer
                 dict(title="自治会長と立ち上げの打合せを開く", persons=["P02"], due="2025-10-15")),
                ("CREATE_SERVICE",
                 dict(text="買い物同行の助け合いを試行する"),
                 dict(findings=[c2_finding.id]),
                 dict(title="担い手募集のチラシを作る", persons=["P01"], due="2025-11-10")),
            ]
            for dtype, texts, picks, action in plans:
                await pilot.press("f8")
                await pilot.pause()
                await pick(pilot, dtype)
                form = app.screen
                assert isinstance(form, FormDialog)
                note = str(form.query(".hint").first().render())
                if dtype == "FORM_NEW":
                    assert "新しいネットワークの形成" in form.title_text
                    assert f"留意G4：{rule_text('G4')[1]}" in note
                    assert "留意G4" in screen_text(app)
                else:
                    assert "留意G4" not in note
                for name, text in texts.items():
                    type_into(app, name, text)
                for name, value in picks.items():
                    await choose_field(pilot, name, *(value if isinstance(value, list) else [value]))
                await save_form(pilot)
                decision = s.record.decisions[-1]
                assert (decision.type, decision.text) == (dtype, texts["text"])
                await pilot.press("f12")                # an action for the decision just made
                await pilot.pause()
                form = app.screen
                hint = str(form.query(".hint").first().render())
                assert "決定事項No." in hint and decision.text[:10] in hint and decision.id not in hint
                type_into(app, "title", action["title"])
                await choose_field(pilot, "persons", *action["persons"])
                type_into(app, "due", action["due"])
                await save_form(pilot)
                assert s.record.action_items[-1].decision_id == decision.id
                clock.advance(3)
            decisions = live._ws.query_one("#decisions", OptionList)
            rows = option_texts(decisions)
            assert len(rows) == 6
            assert sum("決定時 構成員14名中14名出席・成立" in r for r in rows) == 3
            assert "この会議の決定事項 3件・取組 3件" in screen_text(app)
            assert_unambiguous(app, "A12 120x40")

            # ---- F9: readback, 確認 for every item ----------------------
            await pilot.press("f9")
            await pilot.pause()
            assert type(app.screen).__name__ == "ReadbackScreen"
            text = assert_unambiguous(app, "readback 120x40")
            assert "1件目／6件" in text and "既存ネットワークの機能拡大" in text
            for n in range(6):
                assert f"{n + 1}件目／6件" in screen_text(app)
                await pilot.press("f2")
                await pilot.pause()
            assert s.readback_pending() == []
            assert "確認 6件・異議 0件・未確認 0件" in screen_text(app)

            # ---- close with the next meeting ------------------------------
            clock.t = datetime(2025, 9, 16, 15, 50)
            await pilot.press("f9")
            await pilot.pause()
            close = app.screen
            assert type(close).__name__ == "CloseScreen"
            assert close.query_one("#close-end", Input).value == "15:50"
            close.query_one("#close-next_date", Input).value = "2025-11-18"
            close.query_one("#close-next_time", Input).value = "14:00"
            close.query_one("#close-next_venue", Input).value = "北みほん地区会館"
            assert_unambiguous(app, "close 120x40")
            await pilot.press("f9")
            await pilot.pause()
            assert s.meeting.status == "HELD"
            assert "令和7年11月18日（火） 14:00 北みほん地区会館" in screen_text(app)
            await pilot.press("f5")                     # back to the councils
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            home = screen_text(app)
            kita = next(line for line in home.splitlines() if COUNCIL in line)
            # last 第3回, the next date set at the close, 7 carried - AI-01 + 3 new actions
            assert "第3回 9/16" in kita and "予定 11/18" in kita and "9件（超過5）" in kita
            assert_unambiguous(app, "home after close 120x40")
            app.saver.flush()

    # ---- everything is on disk -------------------------------------------
    with DataStore.open(demo_root) as store:
        world = World.from_dataset(store.load_dataset())
    rec = world.meetings[M3]
    m = rec.meeting
    assert m.status == "HELD" and m.end_time == time(15, 50)
    assert (m.next_plan_date, m.next_plan_time, m.next_plan_venue) == (date(2025, 11, 18), time(14, 0),
                                                                       "北みほん地区会館")
    att = next(a for a in rec.attendance if a.person_id == "P16")
    assert att.status == "LATE" and att.arrived_at.strftime("%H:%M") == "14:13"

    items = {a.template: a for a in rec.agenda_items if a.template}
    assert items["A01"].result == "CONFIRMED"
    for template, (speaker, text) in SAID.items():
        assert [(st.speaker_label, st.text) for st in rec.statements
                if st.agenda_item_id == items[template].id] == [(speaker, text)], template

    state = world.action_state("AI-01")
    assert state.status == "DONE"
    assert (state.progress[-1].note, state.progress[-1].meeting_id) == (AI01_NOTE, M3)

    finding = next(f for f in rec.gap_findings if f.id == c2_finding.id)
    assert (finding.check_code, finding.network_id) == ("C2_SAME_NONMEMBERS", "PN06")
    assert finding.evidence_sources == evidence and "MINSEI" in finding.evidence_sources

    assert [d.type for d in rec.decisions] == ["EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE"]
    assert all((d.quorum_members, d.quorum_present, d.quorum_met) == (14, 14, True) for d in rec.decisions)
    expand, form_new, service = rec.decisions
    assert (expand.target_network_id, expand.persuade_leader_id) == ("PN04", "P05")
    assert expand.responsible_tier == 2                  # PN04 is the area's own network
    assert (form_new.target_text, form_new.persuade_leader_id) == ("北台団地", "P08")
    assert form_new.parallel_individual_mechanism        # G4: answered yes in the form
    assert service.gap_finding_ids == [c2_finding.id]
    actions = {a.decision_id: a for a in rec.action_items}
    assert len(rec.action_items) == 3
    for decision, (_, _, _, plan) in zip(rec.decisions, plans):
        a = actions[decision.id]
        assert a.title == plan["title"]
        assert a.owner_person_ids == plan["persons"]
        assert a.due_date == date.fromisoformat(plan["due"])

    results = {(r.target_table, r.target_id): r.result for r in rec.readback}
    expected = {("decisions", d.id) for d in rec.decisions} | {("action_items", a.id) for a in rec.action_items}
    assert set(results) == expected
    assert set(results.values()) == {"CONFIRMED"}

    # ---- the same walk as the privacy walk: exports, no network, 0600 --------
    check_walk_privacy(demo_root, tmp_path, no_network, capsys)


# --------------------------------------------------------------------- abandoned run


async def test_abandoned_mid_meeting_reopens_at_the_same_item(demo_root):
    from kyogitai_tui.ui.screens.live import LiveScreen

    clock = Clock(datetime(2025, 9, 16, 14, 0))
    with DataStore.open(demo_root) as store:
        app = make_app(store, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await home_to_prepare(pilot, app)
            await start_meeting(pilot, app)
            clock.advance(4)
            await jump(pilot, "圏域 多職種", "ネットワーク 北みほん圏域 多職種連携会議")
            await say(pilot, *SAID["A05"])
            clock.advance(7)
            s = app.session
            cur = s.current_item()
            assert cur.template == "A05"
            timer = s.elapsed(cur)
            assert timer == 7 * 60
            app.saver.flush()
            # no ctrl+q, no close: the run is simply abandoned here

    clock.advance(2)
    with DataStore.open(demo_root) as store:
        app = make_app(store, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            live = app.screen
            assert isinstance(live, LiveScreen)
            s = app.session
            assert s.meeting.status == "IN_PROGRESS"
            cur = s.current_item()
            assert cur.id == app.session.meeting.current_agenda_item_id and cur.template == "A05"
            assert s.elapsed(cur) >= timer
            said = option_texts(live.query_one("#statements", OptionList))
            assert said == [f"[委員] {SAID['A05'][1]}"]
            text = assert_unambiguous(app, "reopened live 120x40")
            assert SAID["A05"][1] in text and "北みほん圏域 多職種連携会議" in text
            assert f">進行中 (5) {mmss(s.elapsed(cur))}／" in text      # the item's timer runs on
            await pilot.press("ctrl+q")


# --------------------------------------------------------------------- 80x24


async def test_walk_to_the_readback_at_80x24(demo_root):
    clock = Clock(datetime(2025, 9, 16, 14, 0))
    with DataStore.open(demo_root) as store:
        app = make_app(store, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = assert_unambiguous(app, "home 80x24")
            assert COUNCIL in text
            await home_to_prepare(pilot, app)
            text = assert_unambiguous(app, "prepare 80x24")
            assert "構成員14名中14名出席" in text and "会議を開始" in text
            await start_meeting(pilot, app)
            text = assert_unambiguous(app, "live A01 80x24")
            assert "構成員14名中14名出席・成立" in text and "前回議事録の確認" in text
            await pilot.press("f5")
            await pilot.pause()
            assert current_template(app) == "A02"
            await pilot.press("f6")
            await pilot.pause()
            text = assert_unambiguous(app, "live A02 80x24")
            assert "前回からの取組状況" in text and "AI-01" in text
            await say(pilot, *SAID["A02"])
            assert SAID["A02"][1][:10] in screen_text(app)
            await pilot.press("f9")
            await pilot.pause()
            assert type(app.screen).__name__ == "ReadbackScreen"
            text = assert_unambiguous(app, "readback 80x24")
            assert "読み上げ確認" in text and "この会議の決定事項・取組はありません" in text
            await pilot.press("escape")
            await pilot.pause()
            assert type(app.screen).__name__ == "LiveScreen"
            app.saver.flush()
