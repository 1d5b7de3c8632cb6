"""はじめの設定: an empty folder, through the set-up screens, to the home screen
and a meeting being prepared with a department as 事務局 and a 関係機関 -
no file touched by hand; ``kyogitai check`` passes at the end."""
from __future__ import annotations

from datetime import date

from kyogitai_tui.cli import main
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from ui_helpers import screen_text
from village import AREA, COUNCIL, DEPARTMENT, VILLAGE, fill, set_up_village, settle, village_app


async def test_village_from_an_empty_folder_to_a_prepared_meeting(tmp_path, capsys):
    from kyogitai_tui.ui.screens.prepare import PrepareScreen

    async with village_app(tmp_path) as (app, pilot, root):
        await set_up_village(app, pilot)
        text = screen_text(app)
        assert VILLAGE in text and COUNCIL in text
        assert "第1層・第2層" in text                    # the home row of the both-tier council

        # the council: a new meeting, prepared
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await fill(app, pilot, {"held_on": "2026-05-20", "start_time": "13:30", "venue": "みほん村公民館"})
        assert isinstance(app.screen, PrepareScreen)
        prep = app.screen
        await pilot.press("f3")                       # 出欠
        await pilot.press("f8")                       # 出席者を追加: a 関係機関 without a person
        await pilot.pause()
        await fill(app, pilot, {"org": "相談支援事業所みほん"}, {"role": "PARTNER"})
        roster = [prep.table("roster").get_row_at(i) for i in range(prep.table("roster").row_count)]
        names = [str(r[0]) for r in roster]
        assert DEPARTMENT in names, names             # 事務局 by its name, no person
        assert "相談支援事業所みほん" in names
        assert str(roster[names.index("相談支援事業所みほん")][1]) == "関係機関"
        await settle(app, pilot)

    with DataStore.open(root, read_only=True) as store:
        world = World.from_dataset(store.load_dataset())
    assert world.problems == []
    assert world.municipality.name == VILLAGE and world.municipality.single_area
    (area,) = world.areas.values()
    assert area.name == AREA and area.basis == "WHOLE" and area.municipality_id == world.municipality.id
    (council,) = world.councils.values()
    assert council.both_tiers and council.area_id == area.id
    assert [world.organizations[o].name for o in council.secretariat_org_ids] == [DEPARTMENT]
    assert len(world.members_of_council(council.id)) == 3
    from kyogitai_tui.minutes import build_minutes, render_bytes

    (mid,) = world.meetings
    md = render_bytes(build_minutes(world, mid, "PUBLIC", today=date(2026, 5, 20)), "md").decode("utf-8")
    assert f"{COUNCIL}（第1層・第2層協議体） 会議録" in md
    lines = [line.lstrip("　 ") for line in md.splitlines()]
    assert f"事務局　{DEPARTMENT}" in lines                  # the department, no person, said once
    assert "関係機関　相談支援事業所みほん" in lines
    capsys.readouterr()
    assert main(["check", "--data-dir", str(root)]) == 0, capsys.readouterr().err


async def test_a_name_typed_right_after_enter_on_a_step_lands_in_its_form(tmp_path):
    """From an empty folder: Enter on 「1. 市町村」 and the village's name at once
    (the terminal hands both over before the app reads either).  The form
    opens only after the characters were read - through the list's 'chosen'
    message - yet they land in its first field, in order; letters typed
    before an earlier Enter do not."""
    from textual import events
    from textual.widgets import Input

    from kyogitai_tui.ui.widgets.forms import FormDialog

    async with village_app(tmp_path) as (app, pilot, root):
        await pilot.pause()
        for key, char in [("x", "x"), ("enter", "\r"), *[(ch, ch) for ch in "みほん村"]]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert isinstance(app.focused, Input) and app.focused.value == "みほん村"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    with DataStore.open(root, read_only=True) as store:
        assert World.from_dataset(store.load_dataset()).municipality.name == "みほん村"
