"""A village set up from an EMPTY data folder through the app's screens only
(no file touched by hand): reusable by any Pilot test that needs a real
municipality rather than the demo.

    async with village_app(tmp_path) as (app, pilot, root):
        await set_up_village(app, pilot)        # はじめの設定, then the home screen
        ...

The village (``VILLAGE``): みほん村 (佐賀県), 第1層 and 第2層 are one, one
圏域 「みほん村全域」 (市町村全域), one council that is both tiers, the
事務局 a department (障害福祉課, no person), three members.
"""
from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path

from textual.widgets import Input, OptionList

VILLAGE = "みほん村"
PREFECTURE = "佐賀県"
AREA = "みほん村全域"
COUNCIL = "みほん村生活支援体制整備協議体"
DEPARTMENT = "障害福祉課"
MEMBERS = (("山田 花子", "みほん村社会福祉協議会", "CHAIR"),
           ("佐藤 一郎", "上区自治会", "MEMBER"),
           ("鈴木 次郎", "みほん村民生委員児童委員協議会", "MEMBER"))
TODAY = date(2026, 5, 11)


@contextlib.asynccontextmanager
async def village_app(tmp_path: Path, size=(120, 40), today: date = TODAY, export_dir: Path | None = None):
    """The app on an empty data folder, as `kyogitai --data-dir` opens it
    (minutes written from the app go to ``export_dir``)."""
    from kyogitai_tui.commands._common import load_for_start
    from kyogitai_tui.domain.catalog import default_catalog
    from kyogitai_tui.store import DataStore
    from kyogitai_tui.ui.app import KyogitaiApp

    root = tmp_path / "village"
    root.mkdir()
    with DataStore.open(root) as store:
        dataset, world = load_for_start(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=today, clock=lambda: datetime.combine(today, datetime(2026, 1, 1, 13, 55).time()),
                          export_dir=export_dir)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield app, pilot, root
            app.saver.flush()


async def settle(app, pilot) -> None:
    """Let the save and the World rebuild that follow a form finish."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()
    app.saver.flush()


async def fill(app, pilot, values: dict, choices: dict | None = None) -> None:
    """Fill the open FormDialog: text fields by typing, choices by code; ctrl+s."""
    from kyogitai_tui.ui.widgets.forms import ChoiceField, FormDialog

    form = app.screen
    assert isinstance(form, FormDialog), type(form)
    for name, text in values.items():
        form.query_one(f"#field-{name}", Input).value = text
    for name, code in (choices or {}).items():
        form.query_one(f"#field-{name}", ChoiceField).value = code
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert not isinstance(app.screen, FormDialog), str(form.query_one("#form-error").render())


async def choose_step(app, pilot, code: str) -> None:
    ol = app.screen.query_one("#steps", OptionList)
    ol.focus()
    ol.highlighted = [ol.get_option_at_index(i).id for i in range(ol.option_count)].index(code)
    await pilot.press("enter")
    await pilot.pause()


async def set_up_village(app, pilot) -> None:
    """はじめの設定 from the empty folder to the home screen."""
    from kyogitai_tui.ui.home import HomeScreen
    from kyogitai_tui.ui.screens.setup import SetupScreen

    assert isinstance(app.screen, SetupScreen), "an empty folder opens はじめの設定"
    await choose_step(app, pilot, "municipality")
    await fill(app, pilot, {"name": VILLAGE, "prefecture": PREFECTURE}, {"single_area": "yes"})
    await choose_step(app, pilot, "areas")          # proposed: みほん村全域 (市町村全域)
    await fill(app, pilot, {})
    await choose_step(app, pilot, "councils")       # proposed: both tiers over that area
    await fill(app, pilot, {"name": COUNCIL})
    await choose_step(app, pilot, "secretariat")
    await fill(app, pilot, {"department": DEPARTMENT})
    for name, org, role in MEMBERS:
        await choose_step(app, pilot, "members")
        await fill(app, pilot, {"name": name, "org": org}, {"role": role})
    await pilot.press("f9")
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)
