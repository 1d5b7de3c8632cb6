"""Text typed by users is shown as typed on every screen: brackets that look
like Textual/Rich markup (「[/x]」, 「[b]」) must neither vanish nor crash the
app (a name saved with them would otherwise make a list unopenable)."""
from __future__ import annotations

from datetime import date

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from ui_helpers import screen_text

TODAY = date(2025, 9, 9)
MARK = "[/x][b]"


def _hostile_dataset() -> dict:
    ds = load_demo(TODAY)
    reg = ds["registry"]
    for table, field in (("organizations", "name"), ("persons", "display_name"), ("councils", "name"),
                         ("provider_networks", "name"), ("areas", "name")):
        for doc in reg[table]:
            doc[field] = doc[field] + MARK
    for tables in ds["meetings"].values():
        for table, field in (("action_items", "title"), ("decisions", "text"), ("gap_findings", "description"),
                             ("statements", "text"), ("action_progress", "note"), ("agenda_items", "summary")):
            for doc in tables.get(table, []):
                if doc.get(field):
                    doc[field] = doc[field] + MARK
    return ds


async def _show(pilot, *keys) -> str:
    for k in keys:
        await pilot.press(k)
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.3)
    return screen_text(pilot.app)


async def test_marked_up_names_show_as_typed_on_every_screen(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    ds = _hostile_dataset()
    with DataStore.open(root) as store:
        store.write_dataset(ds)
        dataset = store.load_dataset()
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=World.from_dataset(dataset),
                          dataset=dataset, today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            seen = {}
            seen["home"] = await _show(pilot)
            seen["council"] = await _show(pilot, "down", "enter")
            seen["past"] = await _show(pilot, "up", "up", "enter")           # 第2回 (held)
            await _show(pilot, "escape", "escape")
            seen["followup"] = await _show(pilot, "f2")
            seen["followup detail"] = await _show(pilot, "enter")
            await _show(pilot, "escape", "escape")
            seen["search"] = await _show(pilot, "f3", *list("[/x]"))
            await _show(pilot, "escape")
            seen["ledger"] = await _show(pilot, "f4")
            seen["ledger detail"] = await _show(pilot, "enter")
            await _show(pilot, "escape", "escape")
            seen["report"] = await _show(pilot, "f6")
            await _show(pilot, "escape")
            seen["registry"] = await _show(pilot, "f7", "down", "enter")
            seen["menu"] = await _show(pilot, "escape", "escape", "ctrl+p")
            await _show(pilot, "escape")
            assert app.is_running
    for where, text in seen.items():
        assert MARK in text or where in ("menu", "report"), f"{where}: the typed brackets vanished\n{text}"


async def test_a_statement_typed_with_brackets_shows_as_typed_in_the_live_meeting(tmp_path):
    from textual.widgets import Input

    from kyogitai_tui.domain.meeting.session import MeetingSession

    root = tmp_path / "data"
    root.mkdir()
    with DataStore.open(root) as store:
        store.write_dataset(_hostile_dataset())
        dataset = store.load_dataset()
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=World.from_dataset(dataset),
                          dataset=dataset, today=date(2025, 9, 16))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.session = MeetingSession(app.dataset, app.world, "M-C2-03", now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            box = app.screen.query_one("#statement-input", Input)
            box.focus()
            box.value = "資料[/x]の[b]2ページ[/b]を見てください"
            await pilot.press("enter")
            await pilot.pause()
            text = screen_text(app)
            assert "資料[/x]の[b]2ページ[/b]を見てください" in text
            for key in ("f5", "f5", "f5"):                   # workspaces with the typed names
                await pilot.press(key)
                await pilot.pause()
                assert app.is_running
            assert MARK in screen_text(app)
        app.saver.flush()
