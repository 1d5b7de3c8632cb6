"""The live screen's own keys: a 要旨 typed without a speaker, F8 pressed while
typing reaches the item's workspace, and a statement is corrected or removed."""
from __future__ import annotations

from datetime import date, datetime

from textual.widgets import Input, OptionList

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, FormDialog
from ui_helpers import assert_unambiguous, option_texts, screen_text
from ui_helpers import type_statement as _type

M3 = "M-C2-03"


def _app(store, clock) -> KyogitaiApp:
    """The app on the demo of 2025-09-16, its clock given by the test."""
    dataset, world = load_data(store)
    return KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                       today=date(2025, 9, 16), clock=clock)


async def _live(app, pilot):
    app.session = MeetingSession(app.dataset, app.world, M3, now=app.clock, today=app.today)
    app.start_live()
    await pilot.pause()
    return app.screen


async def _choose(pilot, app, code: str) -> None:
    dialog = app.screen
    assert isinstance(dialog, ChoiceDialog)
    codes = [c for c, _ in dialog.choices]
    dialog.query_one(OptionList).highlighted = codes.index(code)
    await pilot.press("enter")
    await pilot.pause()


async def test_summary_f8_while_typing_and_statement_edit(demo_root):
    clock = lambda: datetime(2025, 9, 16, 14, 5)  # noqa: E731
    with DataStore.open(demo_root) as store:
        app = _app(store, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _live(app, pilot)
            a01 = app.session.current_item()
            assert a01.template == "A01"

            # F3: 要旨 (no speaker), then a line typed goes to the item's summary
            await pilot.press("f3")
            await pilot.pause()
            await _choose(pilot, app, "SUMMARY")
            assert "[要旨]" in str(live.query_one("#speaker").render())
            await _type(pilot, app, "事務局より資料1に基づき説明した。")
            rows = option_texts(live.query_one("#statements", OptionList))
            assert rows[0] == "[要旨] 事務局より資料1に基づき説明した。"

            # back to a speaker; a statement, then corrected through Enter on its row
            await pilot.press("f3")
            await pilot.pause()
            await _choose(pilot, app, "MEMBER")
            await _type(pilot, app, "前回の会議録のとおりでよいです")
            ol = live.query_one("#statements", OptionList)
            ol.focus()
            ol.highlighted = ol.option_count - 1
            await pilot.press("enter")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormDialog)
            form.query_one("#field-text", Input).value = "前回の会議録のとおりで異議ありません"
            await pilot.press("ctrl+s")
            await pilot.pause()
            rows = option_texts(live.query_one("#statements", OptionList))
            assert rows[-1] == "[委員] 前回の会議録のとおりで異議ありません"

            # F8 while the statement line has focus: the A01 workspace records 確定
            live.query_one("#statement-input", Input).focus()
            await pilot.press("f8")
            await pilot.pause()
            assert app.session.item(a01.id).result == "CONFIRMED"
            assert_unambiguous(app, "live A01")
            app.saver.flush()

    with DataStore.open(demo_root) as store:
        rec = World.from_dataset(store.load_dataset()).meetings[M3]
    item = next(a for a in rec.agenda_items if a.id == a01.id)
    assert item.summary == "事務局より資料1に基づき説明した。"
    assert item.result == "CONFIRMED"
    assert [s.text for s in rec.statements if s.agenda_item_id == a01.id] == ["前回の会議録のとおりで異議ありません"]


async def test_a_full_disk_loses_nothing_typed(demo_root, monkeypatch):
    """Saves fail while the disk is full: the screen says so in Japanese, what
    was typed stays queued, and it all reaches the disk once there is room."""
    from kyogitai_tui.store import DiskFullError

    with DataStore.open(demo_root) as store:
        app = _app(store, lambda: datetime(2025, 9, 16, 14, 5))
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _live(app, pilot)
            app.saver.flush()
            real = store.write_file
            full = {"on": True}

            def write_file(scope, mid, ops, **kw):
                if full["on"]:
                    raise DiskFullError(demo_root / "meetings" / f"{mid}.json")
                return real(scope, mid, ops, **kw)

            monkeypatch.setattr(store, "write_file", write_file)
            await _type(pilot, app, "ディスクがいっぱいの間の発言")
            app.saver.flush()
            await pilot.pause()
            bar = str(live.query_one("#savebar").render())
            assert "保存できていません" in bar and "空き" in bar
            assert app.saver.pending > 0

            full["on"] = False
            await _type(pilot, app, "空きができた後の発言")
            app.saver.flush()
            await pilot.pause()
            assert "保存済み" in str(live.query_one("#savebar").render())

    with DataStore.open(demo_root) as store:
        texts = [s.text for s in World.from_dataset(store.load_dataset()).meetings[M3].statements]
    assert "ディスクがいっぱいの間の発言" in texts and "空きができた後の発言" in texts


async def test_the_top_line_follows_the_clock_and_is_redrawn_only_when_it_changes(demo_root):
    now = [datetime(2025, 9, 16, 14, 5, 10)]
    with DataStore.open(demo_root) as store:
        app = _app(store, lambda: now[0])
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _live(app, pilot)
            top = live.query_one("#topbar")
            assert "14:05" in str(top.render())
            shown = top.content
            now[0] = datetime(2025, 9, 16, 14, 5, 50)        # seconds pass: the line stays as drawn
            live.tick()
            await pilot.pause()
            assert top.content is shown
            now[0] = datetime(2025, 9, 16, 14, 6, 1)         # the minute turns: the line says so
            live.tick()
            await pilot.pause()
            assert "14:06" in str(top.render()) and "14:05" not in str(top.render())


async def test_text_typed_right_after_f2_or_f6_reaches_the_field_they_open(demo_root):
    """The terminal hands the app F2 and the text an IME commits in one burst
    (a fast typist, a busy PC): every character must land in the statement
    line, none in the widget that had the focus before F2.  The keys are posted
    together, as the terminal driver posts them, before the app handles any."""
    from textual import events

    with DataStore.open(demo_root) as store:
        app = _app(store, lambda: datetime(2025, 9, 16, 14, 5))
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _live(app, pilot)
            line = live.query_one("#statement-input", Input)
            await pilot.press("f6")                      # the focus in the item's workspace
            await pilot.pause()
            assert app.focused is not line
            for key, char in [("f2", None), *[(ch, ch) for ch in "利用者は７人"]]:
                app.post_message(events.Key(key, char))
            await pilot.pause()
            assert app.focused is line
            assert line.value == "利用者は７人"
            # F12 (A01: 訂正あり) from the statement line and the wrong wording at once:
            # the form's first field has it, the statement line stays empty
            line.value = ""
            app.post_message(events.Key("f12", None))
            for ch in "５人":
                app.post_message(events.Key(ch, ch))
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            assert app.focused.value == "５人" and line.value == ""
            app.focused.value = ""                               # nothing to discard
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is live
            # ctrl+p and the name at once: the jump dialog's search line has it all
            app.post_message(events.Key("ctrl+p", None))
            for ch in "ニーズ":
                app.post_message(events.Key(ch, ch))
            await pilot.pause()
            assert app.screen.query_one("#jump-query", Input).value == "ニーズ"
            await pilot.press("escape")
            await pilot.pause()
            # shift+tab and Enter at once from the line: the statement's row takes the
            # Enter (発言を直す), not the line it was just typed in
            await _type(pilot, app, "移動支援の利用者は５人です")
            assert app.focused is line
            app.post_message(events.Key("shift+tab", None))
            app.post_message(events.Key("enter", "\r"))
            await pilot.pause()
            assert isinstance(app.screen, FormDialog) and "発言を直す" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is live
            # and back: F6 and a key at once reach the workspace, not the line
            app.post_message(events.Key("f6", None))
            app.post_message(events.Key("x", "x"))
            await pilot.pause()
            assert app.focused is not line and line.value == ""
            await pilot.press("ctrl+q")
