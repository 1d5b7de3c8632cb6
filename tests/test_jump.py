"""ctrl+p targets during 第3回: every agenda item, the council's networks (by
label for residents), findings and action items, each mapped to its item."""
from datetime import date, datetime

from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.jump import jump_targets
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World


def _session():
    ds = load_demo(DEMO_TODAY)
    world = World.from_dataset(ds)
    s = MeetingSession(ds, world, "M-C2-03", now=lambda: datetime(2025, 9, 16, 14, 0), today=date(2025, 9, 16))
    s.prepare()
    return s


def test_targets_cover_items_networks_findings_and_actions():
    s = _session()
    targets = jump_targets(s)
    by_cat = {}
    for t in targets:
        by_cat.setdefault(t.category, []).append(t)
    assert len(by_cat["議題"]) == len(s.enabled_agenda())
    names = [t.text for t in by_cat["ネットワーク"]]
    assert any("北みほん圏域 多職種連携会議" in n for n in names)
    assert not any("中央圏域 認知症支援ネットワーク" in n for n in names)   # another area's network
    a05 = next(a.id for a in s.agenda if a.template == "A05")
    pn04 = next(t for t in by_cat["ネットワーク"] if t.entity_id == "PN04")
    assert pn04.item_id == a05
    personal = [t.text for t in by_cat["個別"]]
    assert any("Aさん（80代・女性・独居）" in p for p in personal)
    assert not any("Dさん" in p for p in personal)                       # 南みほん, not this council
    assert {t.entity_id for t in by_cat["取組"]} >= {"AI-01", "AI-04", "AI-09"}
    assert by_cat["課題"]


def test_residents_appear_only_by_their_pseudonymous_label():
    s = _session()
    for t in jump_targets(s):
        if t.category == "個別":
            net = s.world.individual_networks[t.entity_id]
            assert t.text == f"個別ネットワーク {s.world.subject_label(net.subject_id)}"


def test_filter_matches_japanese_parts_and_ids():
    from kyogitai_tui.domain.meeting.jump import filter_targets

    s = _session()
    targets = jump_targets(s)
    assert any(t.entity_id == "PN04" for t in filter_targets(targets, "多職種"))
    assert [t.entity_id for t in filter_targets(targets, "ai-01")] == ["AI-01"]
    assert all("ネットワーク" in t.text for t in filter_targets(targets, "ネットワーク　北"))
    assert filter_targets(targets, "存在しないことば") == []
    assert len(filter_targets(targets, "")) == len(targets)
