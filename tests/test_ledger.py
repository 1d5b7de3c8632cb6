"""地域課題台帳: every finding with its life (raised, decisions, actions,
reviews), filters, and the 「要検討」 mark for findings left without a decision."""
from __future__ import annotations

import copy
from datetime import timedelta

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.domain.reports.ledger import (
    STATE_STALE, STATE_UNRESOLVED, LedgerFilter, filter_choices, filter_rows, finding_life,
    ledger_rows,
)
from kyogitai_tui.domain.world import World

CAT = default_catalog()


def _row(rows, description_part):
    found = [r for r in rows if description_part in r.description]
    assert len(found) == 1, [r.description for r in rows]
    return found[0]


def test_planted_shopping_finding_shows_its_decision_and_actions(demo):
    world, _today = demo
    rows = ledger_rows(world, CAT)
    row = _row(rows, "北台地区の買い物困難")
    assert row.council_name == "北みほん支え合い会議"
    assert row.area_name == "北みほん圏域"
    assert row.kind_label == "サービス不足"
    assert row.raised.id == "M-C2-01" and row.raised.meeting.seq_no == 1
    assert [(d.id, d.type) for d, _ in row.decisions] == [("D-05", "CREATE_SERVICE")]
    assert [a.id for a in row.actions] == ["AI-05", "AI-07"]
    assert {a.id: a.status for a in row.actions} == {"AI-05": "IN_PROGRESS", "AI-07": "IN_PROGRESS"}
    assert row.approach_label == "サービス創出"          # folded from the 第2回 update
    assert row.last_reviewed.id == "M-C2-02"
    assert not row.resolved and not row.stale
    life = "\n".join(finding_life(row, world, CAT))
    for text in ("北台地区の買い物困難", "D-05 サービス・助け合いの創出", "AI-07 [対応中]",
                 "買い物同行 試行案", "第1回", "第2回"):
        assert text in life


def test_every_demo_finding_is_listed_once_with_its_state(demo):
    world, _ = demo
    rows = ledger_rows(world, CAT)
    assert sorted(r.id for r in rows) == sorted(f"GF-{i:02d}" for i in range(1, 12))
    by_id = {r.id: r for r in rows}
    assert by_id["GF-06"].resolved and by_id["GF-06"].status_label == "解消"
    assert by_id["GF-04"].status == "IN_PROGRESS"
    assert [a.id for a in by_id["GF-04"].actions] == ["AI-02"]
    assert by_id["GF-09"].decisions == [] and by_id["GF-09"].actions == []
    assert by_id["GF-11"].council_name == "南みほん里山支え合い会議"
    assert not any(r.stale for r in rows)      # 第3回 is still planned


def test_filters_by_council_area_kind_and_state(demo):
    world, _ = demo
    rows = ledger_rows(world, CAT)
    c4 = filter_rows(rows, LedgerFilter(council_id="C4"))
    assert [r.id for r in c4] == ["GF-11"]
    ar3 = filter_rows(rows, LedgerFilter(area_id="AR3"))
    assert sorted(r.id for r in ar3) == ["GF-10", "GF-11"]
    svc = filter_rows(rows, LedgerFilter(kind="SERVICE_GAP"))
    assert sorted(r.id for r in svc) == ["GF-05", "GF-09"]
    unresolved = filter_rows(rows, LedgerFilter(state=STATE_UNRESOLVED))
    assert "GF-06" not in [r.id for r in unresolved] and len(unresolved) == 10
    opened = filter_rows(rows, LedgerFilter(council_id="C2", state="OPEN"))
    assert sorted(r.id for r in opened) == ["GF-09"]
    assert filter_rows(rows, LedgerFilter(council_id="C2", kind="NO_NETWORK", area_id="AR3")) == []
    assert LedgerFilter(council_id="C2", state=STATE_UNRESOLVED).describe(world, CAT) \
        == "絞り込み: 北みほん支え合い会議・未解決（解消以外すべて）"
    assert filter_choices(world, CAT, "kind")[0] == ("", "すべて")
    assert ("STALE", "要検討（決定のないまま2回以上）") in filter_choices(world, CAT, "state")


def _hold(dataset, meeting_id):
    dataset["meetings"][meeting_id]["meeting"][0]["status"] = "HELD"


def test_a_finding_left_two_held_meetings_without_decision_is_marked(demo):
    _world, today = demo
    dataset = copy.deepcopy(load_demo(today))
    # 第3回 is held; a 第4回 two months later too; nothing decided on GF-09
    _hold(dataset, "M-C2-03")
    w3 = World.from_dataset(dataset)
    assert not _row(ledger_rows(w3, CAT), "見守りが足りない").stale     # one meeting since
    m4 = copy.deepcopy(dataset["meetings"]["M-C2-03"])
    doc = m4["meeting"][0]
    doc["id"] = "M-C2-04"
    doc["seq_no"] = 4
    held = w3.meetings["M-C2-03"].held_on + timedelta(days=60)
    doc["held_on"] = held.isoformat()
    for table, docs in m4.items():
        for d in docs:
            if "meeting_id" in d:
                d["meeting_id"] = "M-C2-04"
    dataset["meetings"]["M-C2-04"] = {"meeting": [doc]}
    w4 = World.from_dataset(dataset)
    rows = ledger_rows(w4, CAT)
    stale = _row(rows, "見守りが足りない")
    assert stale.stale and stale.meetings_since == 2
    assert stale.state_text == "未対応・要検討"
    assert "要検討: 提起から2回の会議で決定がありません。" in finding_life(stale, w4, CAT)
    # decided or acted on: never stale; GF-03 has only an action item (AI-09)
    assert not _row(rows, "北台地区の買い物困難").stale
    assert not _row(rows, "薬局と移動支援").stale
    assert [r.id for r in filter_rows(rows, LedgerFilter(state=STATE_STALE))] == ["GF-09"]
    # a planned meeting does not count
    dataset["meetings"]["M-C2-04"]["meeting"][0]["status"] = "PLANNED"
    assert not _row(ledger_rows(World.from_dataset(dataset), CAT), "見守りが足りない").stale
