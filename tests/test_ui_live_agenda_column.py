"""The live screen's agenda column at 80x24: every title whole (wrapped in
the column, never cut with 「..」), and the item under discussion - a
協議事項 too - in view with its section heading."""
from __future__ import annotations

from datetime import date, datetime

from textual.widgets import OptionList

from kyogitai_tui.commands._common import load_data
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from ui_helpers import region_text


def column(app) -> str:
    ol = app.screen.query_one("#agenda-list", OptionList)
    return region_text(app, ol.region)


async def test_a_discussion_item_is_shown_whole_when_the_meeting_reaches_it(demo_root):
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=date(2025, 9, 16), clock=lambda: datetime(2025, 9, 16, 14, 5))
        async with app.run_test(size=(80, 24)) as pilot:
            app.session = MeetingSession(app.dataset, app.world, "M-C2-03", now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            text = column(app)
            assert ".." not in text and "[報告事項]" in text
            flat = text.replace(" ", "").replace("\n", "")
            assert "連携（認知症地域支援推進員）" in flat
            # F5 済・次へ through the 報告事項 to the second 協議事項
            s = app.session
            target = [a for a in s.enabled_agenda() if a.section == "DISCUSSION"][2]
            while s.current_item().id != target.id:
                await pilot.press("f5")
                await pilot.pause()
            await pilot.pause()
            text = column(app)
            flat = text.replace(" ", "").replace("\n", "")
            assert "[協議事項]" in text and target.title.replace(" ", "") in flat, text
            assert ".." not in text
