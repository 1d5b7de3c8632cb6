"""A municipality from an empty folder at the domain level: 市町村, 圏域
(市町村全域), a council that is both tiers, a department as 事務局 and the
members - each step written to a real data folder and ``kyogitai check``
run after it; the same through CSV; the minutes' title of a both-tier
council."""
from __future__ import annotations

from datetime import date

import pytest

from kyogitai_tui.cli import main
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.changes import apply_to_dataset
from kyogitai_tui.domain.registry import csv_io as C
from kyogitai_tui.domain.registry import edit as E
from kyogitai_tui.domain.registry import setup as SU
from kyogitai_tui.domain.registry import specs as S
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore

CAT = default_catalog()
TODAY = date(2026, 5, 11)


class Folder:
    """An empty data folder; ``step`` writes changes as the app does and
    checks the folder as ``kyogitai check`` would."""

    def __init__(self, root, capsys) -> None:
        self.root, self.capsys = root, capsys
        root.mkdir()
        with DataStore.open(root) as store:
            self.dataset = store.load_dataset()

    @property
    def world(self) -> World:
        return World.from_dataset(self.dataset)

    def step(self, changes) -> World:
        with DataStore.open(self.root) as store:
            store.apply_batch([(c.table, c.doc) for c in changes], [])
        apply_to_dataset(self.dataset, changes)
        self.capsys.readouterr()
        code = main(["check", "--data-dir", str(self.root)])
        out = self.capsys.readouterr()
        assert code == 0, out.err
        with DataStore.open(self.root, read_only=True) as store:
            world = World.from_dataset(store.load_dataset())
        assert world.problems == []
        return world


@pytest.fixture
def folder(tmp_path, capsys):
    return Folder(tmp_path / "data", capsys)


def test_a_village_step_by_step_and_check_passes_after_each(folder):
    w = folder.world
    assert SU.setup_needed(w)
    assert [s.code for s in SU.steps(w) if s.ready] == ["municipality"]

    # an area before the municipality is refused, with what to do (it could not be read back)
    errors = E.validate(w, CAT, "areas", {"name": "みほん村全域", "basis": "WHOLE"})
    assert "市町村" in errors["name"]

    w = folder.step(E.save(w, CAT, "municipality", {"name": "みほん村", "prefecture": "佐賀県",
                                                    "single_area": True}))
    assert w.municipality.name == "みほん村" and w.municipality.fiscal_year_start_month == 4
    assert SU.setup_needed(w)                    # quit here: the set-up opens again at 圏域
    # one municipality only
    assert "すでに" in E.validate(w, CAT, "municipality", {"name": "べつ村"})["name"]
    assert [r.cells[1] for r in S.rows(w, "municipality")] == ["みほん村"]

    area_values = SU.area_defaults(w)
    assert area_values == {"name": "みほん村全域", "basis": "WHOLE"}
    w = folder.step(E.save(w, CAT, "areas", area_values))
    (area,) = w.areas.values()
    assert area.municipality_id == w.municipality.id
    assert len(S.rows(w, "areas")) == 1          # the list shows it (it read 0件 before)

    council_values = {**SU.council_defaults(w), "name": "みほん村協議体"}
    assert council_values["tier"] == S.BOTH_TIERS and council_values["area_id"] == area.id
    w = folder.step(E.save(w, CAT, "councils", council_values))
    (council,) = w.councils.values()
    assert not SU.setup_needed(w)
    assert council.tier == 1 and council.both_tiers and council.planned_minutes == 120
    assert S.rows(w, "councils")[0].cells[2] == "第1層・第2層"
    assert E.values_of(w, "councils", council.id)["tier"] == S.BOTH_TIERS

    w = folder.step(SU.set_secretariat(w, CAT, council.id, "障害福祉課"))
    dept = w.organizations[w.councils[council.id].secretariat_org_ids[0]]
    assert dept.name == "障害福祉課" and dept.org_type == "GOV"

    w = folder.step(SU.add_member(w, CAT, council.id, "山田 花子", "みほん村社協", "CHAIR", TODAY))
    w = folder.step(SU.add_member(w, CAT, council.id, "佐藤 一郎", "みほん村社協", "MEMBER", TODAY))
    assert [w.persons[m.person_id].display_name for m in w.members_of_council(council.id)] == \
        ["山田 花子", "佐藤 一郎"]
    assert len([o for o in w.organizations.values() if o.name == "みほん村社協"]) == 1
    with pytest.raises(E.RegistryError):
        SU.add_member(w, CAT, council.id, "山田 花子", "みほん村社協", "MEMBER", TODAY)
    assert all(s.done for s in SU.steps(w))


def test_an_area_saved_without_a_municipality_is_still_read(folder):
    """Data written before this fix (an area with no municipality_id) loads and checks."""
    w = folder.step([C.registry_change("areas", "AR1", {"id": "AR1", "name": "北区", "basis": "OTHER"})])
    assert [a.name for a in w.areas.values()] == ["北区"]
    assert len(S.rows(w, "areas")) == 1
    # an edit once a municipality exists gives it one
    w = folder.step(E.save(w, CAT, "municipality", {"name": "みほん町"}))
    w = folder.step(E.save(w, CAT, "areas", {"character": "山あい"}, editing_id="AR1"))
    assert w.areas["AR1"].municipality_id == w.municipality.id


def _csv(text: str):
    return C.read_csv(("\ufeff" + text).encode("utf-8"))


def test_municipality_areas_and_councils_by_csv(folder):
    w = folder.world
    pv = C.preview(w, CAT, "municipality", _csv("市町村名,都道府県,第1層と第2層が同じ\r\nみほん村,佐賀県,はい\r\n"))
    assert pv.ok, pv.problems
    w = folder.step(C.apply(pv))
    assert w.municipality.single_area
    pv = C.preview(w, CAT, "areas", _csv("圏域名,設定単位\r\nみほん村全域,市町村全域\r\n"))
    assert pv.ok, pv.problems
    w = folder.step(C.apply(pv))
    # a row naming the new 圏域 is accepted (by name)
    pv = C.preview(w, CAT, "councils", _csv("協議体名,層,圏域\r\nみほん村協議体,第1層・第2層（1つの協議体が両方を兼ねる）,みほん村全域\r\n"))
    assert pv.ok, pv.problems
    w = folder.step(C.apply(pv))
    (council,) = w.councils.values()
    assert council.both_tiers and w.areas[council.area_id].name == "みほん村全域"
    pv = C.preview(w, CAT, "organizations", _csv("団体名,種別,活動範囲,圏域\r\n上区自治会,自治会・町内会（区長会）,日常生活圏域,みほん村全域\r\n"))
    assert pv.ok, pv.problems
    folder.step(C.apply(pv))
    # export reads back unchanged
    for kind in ("municipality", "areas", "councils"):
        again = C.preview(w, CAT, kind, C.read_csv(C.export_csv(w, CAT, kind)))
        assert again.unchanged == 1 and not again.problems, (kind, again.problems)


def test_csv_area_before_a_municipality_is_refused_with_a_reason(folder):
    pv = C.preview(folder.world, CAT, "areas", _csv("圏域名,設定単位\r\n北区,その他\r\n"))
    assert not pv.ok and "市町村" in pv.problems[0][1]


def test_both_tier_council_title_does_not_say_only_tier_1(folder):
    from kyogitai_tui.domain.model.registry import Council, council_tier_label

    both = Council(id="C1", name="みほん村協議体", tier=1, both_tiers=True)
    assert council_tier_label(both) == "第1層・第2層"
    assert council_tier_label(Council(id="C2", name="x", tier=2)) == "第2層"


def test_the_shell_imports_a_municipality_and_its_area(tmp_path, capsys):
    root = tmp_path / "data"
    root.mkdir()
    m = tmp_path / "m.csv"
    m.write_text("市町村名,都道府県,第1層と第2層が同じ\r\nやまなか村,架空県,はい\r\n", encoding="utf-8-sig")
    a = tmp_path / "a.csv"
    a.write_text("圏域名,設定単位\r\nやまなか村全域,市町村全域\r\n", encoding="cp932")
    assert main(["import-csv", "圏域", str(a), "--data-dir", str(root)]) == 1   # no municipality yet
    assert "市町村" in capsys.readouterr().out
    assert main(["import-csv", "市町村", str(m), "--data-dir", str(root)]) == 0
    assert main(["import-csv", "圏域", str(a), "--data-dir", str(root)]) == 0
    assert main(["check", "--data-dir", str(root)]) == 0
    with DataStore.open(root, read_only=True) as store:
        world = World.from_dataset(store.load_dataset())
    assert [x.name for x in world.areas.values()] == ["やまなか村全域"]
