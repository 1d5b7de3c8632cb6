"""Prepare-screen and form faults of issue 15, each as a user meets it: the
section tabs, Tab then typing, Esc on a filled form, the 開始時刻 placeholder,
the 次回 date proposed for a new meeting, and the F3 speaker list whose keys
do not move once a 部署名 is typed."""
from __future__ import annotations

from datetime import date, datetime

from textual import events
from textual.widgets import Input, OptionList

from kyogitai_tui.commands._common import load_data
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.domain.meeting.prepare_view import new_meeting_defaults
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.screens.prepare import PrepareScreen, section_tabs
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, Field, FormDialog
from ui_helpers import screen_text

TODAY = date(2025, 9, 16)
M3 = "M-C2-03"


def make_app(store) -> KyogitaiApp:
    dataset, world = load_data(store)
    return KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                       today=TODAY, clock=lambda: datetime(2025, 9, 16, 13, 30))


async def test_tabs_are_drawn_not_printed_as_markup(demo_root):
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_meeting(M3)
            await pilot.pause()
            assert isinstance(app.screen, PrepareScreen)
            for key in ("f2", "f3", "f4", "f5"):
                await pilot.press(key)
                await pilot.pause()
                text = screen_text(app)
                assert "[reverse]" not in text and "[/reverse]" not in text
                assert "F2 基本" in text and "F3 出欠" in text
                footer = text.splitlines()[-1]
                assert "^q 終了" in footer and "f1 ヘルプ" in footer, footer    # nothing cut at 80
            # a venue longer than the screen: cut with 「⋯」, whole in the hint line
            venue = "北みほん地区会館 2階和室（エレベーターなし・駐車場は裏手の第二駐車場をご利用ください）"
            app.save(app.session.set_basics(venue=venue))
            app.screen.refresh_all()
            await pilot.press("f2")
            await pilot.pause()
            table = app.screen.table("basics")
            table.move_cursor(row=table.get_row_index("venue"))
            await pilot.pause()
            text = screen_text(app)
            shown = next(line for line in text.splitlines() if line.lstrip().startswith("会場"))
            assert shown.rstrip().endswith("⋯") and venue not in shown
            hint = "".join("".join(line.split()) for line in text.splitlines()[-5:-2])
            assert "会場:" + "".join(venue.split()) in hint     # the hint line has it whole (wrapped)
            app.saver.flush()
    tabs = section_tabs("roster")
    shown = [tabs.plain[s.start:s.end] for s in tabs.spans if "reverse" in str(s.style)]
    assert shown == [" F3 出欠 "]


async def _form(app, pilot, fields) -> FormDialog:
    form = FormDialog("テスト", fields, lambda v: None)
    app.push_screen(form)
    await pilot.pause()
    return form


async def test_text_typed_right_after_tab_goes_to_the_next_field(demo_root):
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            form = await _form(app, pilot, [Field("a", "会場"), Field("b", "備考")])
            # the keys arrive together, as from a fast typist or a paste: none waits for the focus
            for key, char in (("a", "a"), ("tab", "\t"), ("x", "x"), ("y", "y")):
                app.post_message(events.Key(key, char))
            await pilot.pause()
            await pilot.pause()
            assert form.query_one("#field-a", Input).value == "a"
            assert form.query_one("#field-b", Input).value == "xy"


async def test_esc_on_a_filled_form_asks_before_discarding(demo_root):
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            form = await _form(app, pilot, [Field("a", "会場")])
            await pilot.press("escape")                 # nothing typed: closes at once
            await pilot.pause()
            assert app.screen is not form
            form = await _form(app, pilot, [Field("a", "会場", value="公民館")])
            await pilot.press("end", "2", "f")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog) and "入力を破棄しますか" in screen_text(app)
            await pilot.press("escape")                 # Esc again = back to the form, nothing lost
            await pilot.pause()
            assert app.screen is form and form.query_one("#field-a", Input).value == "公民館2f"
            await pilot.press("escape")
            await pilot.pause()
            dialog = app.screen
            dialog.query_one(OptionList).highlighted = [c for c, _ in dialog.choices].index("discard")
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is not form and not isinstance(app.screen, ChoiceDialog)


async def test_an_empty_start_time_says_it_is_empty(demo_root):
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await _form(app, pilot, [Field("start_time", "開始時刻", kind="time")])
            text = screen_text(app)
            assert "空欄＝未定" in text
            assert app.screen.query_one("#field-start_time", Input).value == ""


def test_a_new_meeting_starts_on_the_next_date_set_last_time():
    ds = load_demo(date(2025, 9, 9))
    world = World.from_dataset(ds)
    last = world.meetings["M-C2-02"].meeting
    assert last.next_plan_date == date(2025, 9, 16)
    # 第3回 is already planned on that day: the form does not propose it twice
    assert new_meeting_defaults(world, "C2", date(2025, 9, 9))["held_on"] is None
    del ds["meetings"][M3]
    d = new_meeting_defaults(World.from_dataset(ds), "C2", date(2025, 9, 9))
    assert d["held_on"] == date(2025, 9, 16)
    assert d["start_time"] == (last.next_plan_time or last.start_time)
    assert d["venue"] == (last.next_plan_venue or last.venue)
    # once that day has passed, no date is proposed
    assert new_meeting_defaults(World.from_dataset(ds), "C2", date(2025, 9, 17))["held_on"] is None


async def test_speaker_keys_stay_after_a_department_is_typed(demo_root):
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            app.session = MeetingSession(app.dataset, app.world, M3, now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            live = app.screen
            await pilot.press("f3")
            await pilot.pause()
            first = list(app.screen.choices)
            ol = app.screen.query_one(OptionList)
            ol.highlighted = [c for c, _ in first].index("DEPT:")
            await pilot.press("enter")
            await pilot.pause()
            app.screen.query_one("#field-dept", Input).value = "障害福祉課"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "[障害福祉課]" in str(live.query_one("#speaker").render())
            await pilot.press("f3")
            await pilot.pause()
            again = list(app.screen.choices)
            assert again[:len(first)] == first           # the same keys pick the same speaker
            assert again[len(first):] == [("DEPT:障害福祉課", "障害福祉課（関係部署）")]
            await pilot.press("escape")
            app.saver.flush()
