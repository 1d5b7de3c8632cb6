"""ネットワーク図 (seed 4-1) of a council, on the demo: what the outline
holds for the 第2層 北みほん支え合い会議 (C2) and the 第1層 C1, what it
never holds (sensitive data, other areas' residents, person names from
individual networks), and the F3 screen reached from the council screen."""
from __future__ import annotations

import re
from datetime import date

import pytest
from textual.widgets import DataTable, OptionList

from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.network_map import MAX_MEMBERS, MapLine, network_map, short_org_name
from kyogitai_tui.domain.world import World
from ui_helpers import assert_unambiguous, option_texts, screen_text


def _text(lines: list[MapLine]) -> str:
    return "\n".join(line.text for line in lines)


def _lines_of(lines: list[MapLine], entity_id: str) -> list[MapLine]:
    return [line for line in lines if line.entity_id == entity_id]


def test_c2_map_shows_the_area_its_networks_and_residents(demo_world):
    lines = network_map(demo_world, "C2", today=DEMO_TODAY)
    text = _text(lines)
    assert lines[0].kind == "council" and "北みほん支え合い会議" in lines[0].text
    assert "圏域：北みほん圏域" in text
    assert "地域包括支援センター：みほん北地域包括支援センター" in text
    for section in ("日常生活圏域の事業者間ネットワーク（第2層担当）",
                    "市町村域・広域の事業者間ネットワーク（第1層担当）",
                    "地縁組織とNPOのネットワーク", "個別ネットワーク", "他制度との連携"):
        assert any(line.kind == "section" and line.text.startswith(section) for line in lines), section
    providers = [line.entity_id for line in lines if line.kind == "provider"]
    # the area's networks, then the municipal / wide ones serving AR1 (all of them)
    assert providers[0] == "PN04"
    for pn in ("PN01", "PN02", "PN03", "PN06", "PN08", "PN09", "PN07"):
        assert pn in providers
    assert "PN05" not in providers and "PN10" not in providers   # other areas
    # the sections come in the seed's order and the networks sit in theirs
    sections = [i for i, line in enumerate(lines) if line.kind == "section"]
    index = {line.entity_id: i for i, line in enumerate(lines) if line.kind == "provider"}
    assert sections[0] < index["PN04"] < sections[1] < index["PN06"] < sections[2] < index["PN07"] < sections[3]
    pn04 = _text(_lines_of(lines, "PN04"))
    assert "異種" in pn04 and "会合型（定時）" in pn04 and "活動中" in pn04
    assert "構成：みほん北地域包括支援センター" in pn04 and "架空たすけあいの会" in pn04
    assert "NPO法人" not in pn04                        # short names
    pn07 = _text(_lines_of(lines, "PN07"))
    assert "個別ニーズのつなぎ関係" in pn07
    assert "広域" in _text(_lines_of(lines, "PN03"))
    assert all(0 <= line.depth <= 3 for line in lines)


def test_c2_map_shows_residents_by_label_only(demo_world):
    lines = network_map(demo_world, "C2", today=DEMO_TODAY)
    text = _text(lines)
    for sid in ("R-001", "R-002", "R-005", "R-006"):
        assert demo_world.subject_label(sid) in text
    assert "Cさん" not in text and "Dさん" not in text
    a = next(line for line in lines if line.entity_id == "IN-001" and line.kind == "individual")
    assert "稼働中" in a.text and "関係者7" in a.text and "未充足の支援1件" in a.text
    f = next(line for line in lines if line.entity_id == "IN-006" and line.kind == "individual")
    assert "必要だが未形成" in f.text
    # never sensitive data, never free text or person names from individual networks
    for s in demo_world.sensitive.values():
        for word in re.split(r"[、。（）・\s]+", s.notes):
            if len(word) >= 2:
                assert word not in text, word
    for word in ("認知症の診断", "精神", "困窮している", "孫"):
        assert word not in text
    about_residents = _text([line for line in lines if line.kind == "individual"])
    for free_text in ("同じ棟の住民による声かけ", "市外に住む長男", "同居の長女", "近所の民生委員による見守り"):
        assert free_text not in text
    for m in demo_world.individual_network_members:
        if m.service_text:
            assert m.service_text not in about_residents
        if m.person_id:
            assert demo_world.person_name(m.person_id) not in about_residents
    for s in demo_world.subjects.values():
        assert s.code not in text
        if s.place_hint:
            assert s.place_hint not in _text([line for line in lines if line.kind == "individual"])


def test_c2_map_marks_gaps_and_linkage(demo_world):
    lines = network_map(demo_world, "C2", today=DEMO_TODAY)
    gaps = [line for line in lines if line.kind == "gap"]
    assert any(line.entity_id == "PN06" and "未加入の同種事業者あり（C2）" in line.text for line in gaps)
    assert {("PN04", "C1"), ("PN04", "C3")} <= {(line.entity_id, code) for line in gaps
                                                  for code in ("C1", "C2", "C3", "C4")
                                                  if f"（{code}）" in line.text}
    assert not any(line.entity_id == "PN01" for line in gaps)
    linked = {line.entity_id: line.text for line in lines if line.kind == "linked"}
    assert linked["DISABILITY_CLS"].endswith("未接触")
    assert linked["POVERTY_SELF_RELIANCE"].endswith("未接触")
    assert linked["CHILD_CARE_SUPPORT"].endswith("情報交換")
    assert linked["DEMENTIA_PROMOTER"].endswith("協議体へ定例参加")
    partners = {line.entity_id: line.text for line in lines
                if line.kind == "member" and line.entity_id in linked}
    assert "架空ひろば" in partners["CHILD_CARE_SUPPORT"]
    assert "みほん中央地域包括支援センター" in partners["DEMENTIA_PROMOTER"]
    assert "まだ決まっていません" in partners["DISABILITY_CLS"]


def test_c1_map_groups_by_the_three_areas(demo_world):
    lines = network_map(demo_world, "C1", today=DEMO_TODAY)
    text = _text(lines)
    assert "第1層" in lines[0].text
    areas = [line for line in lines if line.kind == "area" and line.depth == 0]
    assert [line.entity_id for line in areas] == ["AR1", "AR2", "AR3"]
    # the municipal networks come once, before the areas
    municipal = [line.entity_id for line in lines if line.kind == "provider" and line.depth == 1]
    assert set(municipal) == {"PN01", "PN02", "PN03", "PN06", "PN08", "PN09"}
    pos = {line.entity_id: i for i, line in enumerate(lines) if line.kind in ("area", "provider", "individual")}
    assert max(pos[p] for p in municipal) < pos["AR1"]
    # each area holds its own networks and residents
    assert pos["AR1"] < pos["PN04"] < pos["PN07"] < pos["IN-001"] < pos["AR2"]
    assert pos["AR2"] < pos["PN10"] < pos["IN-003"] < pos["AR3"]
    assert pos["AR3"] < pos["PN05"] < pos["IN-004"]
    for sid in demo_world.subjects:
        assert demo_world.subject_label(sid) in text
    # C4 for AR3 and C2 for PN02 (out-of-town providers serving AR3)
    gaps = [line for line in lines if line.kind == "gap"]
    assert any(line.entity_id == "AR3" and "（C4）" in line.text for line in gaps)
    assert any(line.entity_id == "PN02" and "（C2）" in line.text for line in gaps)
    assert not any(line.entity_id in ("AR1", "AR2") for line in gaps)
    assert "形骸化の懸念" in _text(_lines_of(lines, "PN05"))
    # Dさん carries the small-number warning
    assert any(line.kind == "warning" and line.entity_id == "IN-004" for line in lines)
    assert all(0 <= line.depth <= 3 for line in lines)
    for s in demo_world.sensitive.values():
        assert s.notes not in text


def test_long_member_lists_are_capped(demo_world):
    from kyogitai_tui.domain.model import Organization, ProviderNetworkMember

    w = World.from_dataset(load_demo(DEMO_TODAY))
    for i in range(MAX_MEMBERS + 3):
        oid = f"OX{i:02d}"
        w.organizations[oid] = Organization(id=oid, name=f"架空事業所{i}", org_type="HOME_CARE")
        w.provider_network_members.append(ProviderNetworkMember(id=f"PX{i}", network_id="PN04", org_id=oid))
    line = next(line for line in network_map(w, "C2", today=DEMO_TODAY)
                if line.entity_id == "PN04" and line.text.startswith("構成："))
    assert line.text.endswith("ほか8団体")        # 5 + 15 members, 12 shown
    assert line.text.count("、") == MAX_MEMBERS - 1


def test_unknown_council_and_short_names(demo_world):
    assert "見つかりません" in network_map(demo_world, "C9", today=DEMO_TODAY)[0].text
    assert short_org_name("NPO法人 架空たすけあいの会") == "架空たすけあいの会"
    assert short_org_name("架空配食サービス株式会社") == "架空配食サービス"
    assert short_org_name("地域子育て支援拠点 架空ひろば（一般型）") == "地域子育て支援拠点 架空ひろば"
    assert short_org_name("みほん市 高齢福祉課") == "みほん市 高齢福祉課"


# --------------------------------------------------------------------------
# the screen
# --------------------------------------------------------------------------

TODAY = date(2025, 9, 16)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.demo_today(TODAY)
async def test_f3_on_the_council_screen_shows_the_map(demo_root, size):
    from kyogitai_tui.commands._common import load_data
    from kyogitai_tui.domain.catalog import default_catalog
    from kyogitai_tui.store import DataStore
    from kyogitai_tui.ui.app import KyogitaiApp
    from kyogitai_tui.ui.screens.council import CouncilScreen
    from kyogitai_tui.ui.screens.network_map import NetworkMapScreen

    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset, today=TODAY)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#councils", DataTable)
            row = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index("北みほん支え合い会議")
            table.move_cursor(row=row)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CouncilScreen)
            await pilot.press("f3")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, NetworkMapScreen)
            text = assert_unambiguous(app, f"network map {size}")
            assert "ネットワーク図 北みほん支え合い会議" in text
            assert "北みほん圏域 多職種連携会議" in text
            options = "\n".join(option_texts(screen.query_one("#map", OptionList)))
            for want in ("Aさん（80代・女性・独居）", "Fさん（80代・女性・三世代）",
                         "未加入の同種事業者あり（C2）", "子ども・子育て支援：情報交換"):
                assert want in options, want
            assert "Cさん" not in options and "Dさん" not in options
            # the whole outline scrolls into view and stays free of ambiguous glyphs
            await pilot.press("end")
            await pilot.pause()
            bottom = assert_unambiguous(app, f"network map bottom {size}")
            assert "他制度との連携" in bottom or "連携先" in bottom
            assert "認知症地域支援推進員" in bottom
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, CouncilScreen)
            assert "ネットワーク図" in screen_text(app)       # the F3 key in the footer / hint
