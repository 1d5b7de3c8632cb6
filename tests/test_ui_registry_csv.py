"""F7 CSV on the organisations list, as a coordinator uses it: a Shift_JIS
file from Excel with bad rows is previewed (every bad row by line, nothing
written, ctrl+s refused), then the corrected file is applied in one go; the
list and an empty template are exported to the export folder."""
from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, OptionList, Static

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.registry import csv_io as registry_csv
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.screens.registry_csv import CsvScreen
from ui_helpers import assert_unambiguous

TODAY = date(2025, 9, 16)
pytestmark = pytest.mark.demo_today(TODAY)  # demo_root: the demo written for that day
HEADER = "ID,団体名,種別,活動範囲,圏域\r\n"


def lines(screen) -> list[str]:
    ol = screen.query_one("#preview", OptionList)
    return [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]


def summary(screen) -> str:
    return str(screen.query_one("#summary", Static).render())


async def open_csv(app, pilot) -> CsvScreen:
    from test_ui_registry import open_kind

    await open_kind(app, pilot, "organizations")
    await pilot.press("f7")
    await pilot.pause()
    assert isinstance(app.screen, CsvScreen)
    return app.screen


async def test_import_preview_lists_bad_rows_and_writes_nothing_then_applies(demo_root, tmp_path):
    bad = tmp_path / "団体.csv"
    bad.write_bytes((HEADER +
                     ",架空こども食堂 北台,NPO・住民互助団体,日常生活圏域,北みほん圏域\r\n"
                     ",,薬局,日常生活圏域,北みほん圏域\r\n"
                     ",架空ふれあい農園,農業法人,市町村域,\r\n"
                     ",北台サロンの会,住民グループ（サロン等）,日常生活圏域,北みほん圏域\r\n").encode("cp932"))
    registry_before = (demo_root / "registry.json").read_bytes()
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=TODAY, export_dir=tmp_path / "exports")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = await open_csv(app, pilot)
            box = screen.query_one("#path", Input)
            box.value = f'"{bad}"'                    # as Windows' 「パスのコピー」 gives it
            await pilot.press("enter")
            await pilot.pause()
            shown = lines(screen)
            good = shown.index("問題のない行（上の行を直せば、いっしょに取り込みます）:")
            problems, fine = shown[:good], shown[good + 1:]
            assert fine == ["2行目: 架空こども食堂 北台（追加・O33）"]
            assert [p.split(":")[0] for p in problems] == ["3行目", "4行目", "5行目"]
            assert "団体名" in problems[0] and "入力してください" in problems[0]
            assert "農業法人" in problems[1]
            assert "北台サロンの会" in problems[2] and "すでに登録" in problems[2]
            assert "問題のある行が3行" in summary(screen) and "1行も取り込みません" in summary(screen)
            assert_unambiguous(app, "csv preview with bad rows")

            await pilot.press("ctrl+s")               # refused: all or nothing
            await pilot.pause()
            app.saver.flush()
            assert (demo_root / "registry.json").read_bytes() == registry_before
            assert "架空こども食堂 北台" not in {o.name for o in app.world.organizations.values()}

            # corrected in Excel (kept in Shift_JIS), checked again, applied
            bad.write_bytes((HEADER +
                             ",架空こども食堂 北台,NPO・住民互助団体,日常生活圏域,北みほん圏域\r\n"
                             ",架空ふれあい農園,その他,市町村域,\r\n").encode("cp932"))
            await pilot.press("f3")
            await pilot.pause()
            assert "2行を取り込めます（追加2件・更新0件）" in summary(screen)
            await pilot.press("ctrl+s")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "2行を取り込みました" in summary(screen)
            app.saver.flush()

            # export the list and the template; the paths are on screen
            await pilot.press("f6")                   # written by a thread worker
            await app.workers.wait_for_complete()
            await pilot.pause()
            exported = sorted((tmp_path / "exports").glob("*.csv"))
            assert [p.name for p in exported] == ["団体_20250916.csv"]
            assert str(exported[0]) in summary(screen)
            await pilot.press("f7")
            await app.workers.wait_for_complete()
            await pilot.pause()
            template = tmp_path / "exports" / "団体_ひな形.csv"
            assert str(template) in summary(screen)
            for written in (exported[0], template):       # the one export writer: owner only
                assert written.stat().st_mode & 0o777 == 0o600
            assert (tmp_path / "exports").stat().st_mode & 0o777 == 0o700
            assert_unambiguous(app, "csv screen after export")

    with DataStore.open(demo_root) as store:
        world = World.from_dataset(store.load_dataset())
    added = {o.name: o for o in world.organizations.values()}
    assert added["架空こども食堂 北台"].area_ids == ["AR1"]
    assert added["架空ふれあい農園"].org_type == "OTHER"
    data = registry_csv.read_csv(exported[0])
    assert len(data) == len(world.organizations)
    assert "架空こども食堂 北台" in {r.cells["団体名"] for r in data}
    assert registry_csv.read_csv(template.read_bytes() + "\r\n".encode()).header == \
        registry_csv.header_labels("organizations")
    assert exported[0].read_bytes().startswith(b"\xef\xbb\xbf")     # Excel opens it as UTF-8


async def test_unreadable_file_is_explained(demo_root, tmp_path):
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=TODAY, export_dir=tmp_path / "exports")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = await open_csv(app, pilot)
            screen.query_one("#path", Input).value = str(tmp_path / "ない.csv")
            await pilot.press("enter")
            await pilot.pause()
            assert "開けません" in summary(screen)
            book = tmp_path / "団体.xlsx"
            book.write_bytes(b"PK\x03\x04" + b"\x00" * 20)
            screen.query_one("#path", Input).value = str(book)
            await pilot.press("f3")
            await pilot.pause()
            assert "Excel のブック" in summary(screen)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "先に Enter（F3）で内容を確認してください" in summary(screen)
            assert_unambiguous(app, "csv screen 80x24")


async def test_provider_networks_with_members_from_a_bom_file_reach_the_live_meeting(demo_root, tmp_path):
    from kyogitai_tui.domain.meeting.session import MeetingSession
    from test_ui_registry import open_kind

    path = tmp_path / "ネットワーク.csv"
    path.write_bytes("\ufeffネットワーク名,種別,サービスの種類（同種）,カバーする地域,圏域,かたち,構成団体\r\n"
                     "北台配食見守り連絡会,同種事業者間ネットワーク,配食+見守り,日常生活圏域,北みほん圏域,"
                     "会合型,O25;NPO法人 架空たすけあいの会\r\n".encode("utf-8"))
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=TODAY, export_dir=tmp_path / "exports")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await open_kind(app, pilot, "provider_networks")
            await pilot.press("f7")
            await pilot.pause()
            screen = app.screen
            screen.query_one("#path", Input).value = str(path)
            await pilot.press("enter")
            await pilot.pause()
            assert "1行を取り込めます（追加1件・更新0件）" in summary(screen)
            await pilot.press("ctrl+s")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            net_id = next(i for i, n in app.world.provider_networks.items() if n.name == "北台配食見守り連絡会")

            app.session = MeetingSession(app.ensure_dataset(), app.world, "M-C2-03", now=app.clock,
                                         today=app.today)
            app.start_live()
            await pilot.pause()
            item = next(a for a in app.session.agenda if a.template == "A04")
            app.screen.run_op(lambda: app.session.goto(item.id))
            await pilot.pause()
            ol = app.screen._ws.query_one(OptionList)
            a04 = "\n".join(str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count))
            assert "北台配食見守り連絡会" in a04
            assert "構成：架空配食サービス株式会社、NPO法人 架空たすけあいの会" in a04
            app.saver.flush()
    with DataStore.open(demo_root) as store:
        world = World.from_dataset(store.load_dataset())
    assert [o.id for o in world.network_members(net_id)] == ["O25", "O20"]
    assert world.provider_networks[net_id].provider_category == "MEALS_WATCH"


async def test_a_formula_shaped_cell_is_named_in_the_preview(demo_root, tmp_path):
    source = tmp_path / "団体.csv"
    source.write_bytes((HEADER + ',=HYPERLINK("x"),NPO・住民互助団体,日常生活圏域,北みほん圏域\r\n').encode("utf-8"))
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=TODAY, export_dir=tmp_path / "exports")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = await open_csv(app, pilot)
            screen.query_one("#path", Input).value = str(source)
            await pilot.press("enter")
            await pilot.pause()
            assert "1行を取り込めます" in summary(screen)          # a warning, not a problem
            notes = [line for line in lines(screen) if line.startswith("注意 2行目")]
            assert notes and "列「団体名」" in notes[0] and "数式" in notes[0], lines(screen)
