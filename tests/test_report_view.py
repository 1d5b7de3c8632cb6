"""The rows the report workspaces A01-A10 show, on the demo's 第3回 of
北みほん支え合い会議 (run on 2025-09-16): which networks the council sees,
the action rows with 「期限超過」 and 「継続n回目」, residents by label only,
the prompts where their trigger holds, and the consent gate for Eさん."""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from kyogitai_tui.domain.meeting import linkage_view as lv
from kyogitai_tui.domain.meeting import report_view as rv
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.domain.world import World

M3 = "M-C2-03"
TODAY = date(2025, 9, 16)
SENSITIVE_WORDS = ("認知症", "精神", "障がい", "困窮", "診断")


@pytest.fixture
def cat():
    return default_catalog()


@pytest.fixture
def s():
    dataset = load_demo(DEMO_TODAY)
    session = MeetingSession(dataset, World.from_dataset(dataset), M3, today=TODAY)
    session.start()
    return session


def _item(session, template):
    return next(a for a in session.agenda if a.template == template)


def _texts(rows):
    return "\n".join(r.text for r in rows)


# ---------------------------------------------------------------- A01

def test_previous_minutes_lines_follow_the_recorded_result(s, cat):
    a01 = _item(s, "A01")
    text = "\n".join(line.text for line in rv.previous_minutes_lines(s, a01.id, cat))
    assert "令和7年度 第2回" in text and "令和7年7月15日（火）" in text
    assert "議事録の状態：議事録案" in text
    assert "まだ記録していません" in text
    s.confirm_previous_minutes(a01.id, "CORRECTED", "出席者に試験委員を追加")
    text = "\n".join(line.text for line in rv.previous_minutes_lines(s, a01.id, cat))
    assert "この会議での確認：訂正あり" in text and "訂正の内容：出席者に試験委員を追加" in text


# ---------------------------------------------------------------- A02

def test_due_carry_and_owner_rules():
    assert rv.is_overdue(date(2025, 7, 10), "IN_PROGRESS", TODAY)
    assert not rv.is_overdue(date(2025, 7, 10), "DONE", TODAY)
    assert not rv.is_overdue(date(2025, 9, 16), "NOT_STARTED", TODAY)   # due today is not late
    assert rv.due_text(date(2025, 7, 10), "IN_PROGRESS", TODAY) == "7/10（木）期限超過"
    assert rv.due_text(date(2025, 9, 30), "NOT_STARTED", TODAY) == "9/30（火）"
    assert rv.due_text(None, "NOT_STARTED", TODAY) == "期限なし"
    assert rv.carry_text(0) == "継続1回目"
    assert rv.carry_text(1) == "継続2回目"
    assert rv.carry_text(None) == ""


def test_action_rows_of_the_demo(s, cat):
    rows = rv.action_rows(s, cat)
    assert [r.key for r in rows] == [f"action:{a}" for a in
                                     ("AI-01", "AI-05", "AI-08", "AI-04", "AI-06", "AI-07", "AI-09")]
    by = {r.key.split(":")[1]: r.text for r in rows}
    assert "AI-01 多職種連携会議への個別NW支援枠の提案" in by["AI-01"]
    assert "担当：例示 北子・見本 二葉" in by["AI-01"]
    assert "期限：7/10（木）期限超過" in by["AI-01"]
    assert "対応中" in by["AI-01"] and "継続2回目" in by["AI-01"]
    assert "メモ：多職種連携会議の幹事会で検討中" in by["AI-01"]
    assert "見本 一郎（第1層生活支援コーディネーター）" in by["AI-04"]
    assert "AI-07に引き継ぎ" in by["AI-05"]
    assert "継続1回目" in by["AI-06"]
    assert "期限超過" not in by["AI-09"]


def test_action_row_changes_when_progress_is_recorded(s, cat):
    s.update_action("AI-01", status="DONE", note="幹事会で個別支援の枠が了承された")
    text = rv.action_row(s, "AI-01", cat).text
    assert "完了" in text and "期限超過" not in text
    assert "メモ：幹事会で個別支援の枠が了承された" in text
    assert "継続2回目" in text


def test_a_status_without_a_note_keeps_the_last_note_in_view(s, cat):
    s.update_action("AI-04", status="IN_PROGRESS")
    text = rv.action_row(s, "AI-04", cat).text
    assert "対応中" in text and "メモ：第1層の日程が合わず未着手" in text


# ---------------------------------------------------------------- which networks

def test_a_tier2_council_sees_its_area_and_the_municipal_networks(s):
    w = s.world
    c2, c1 = w.councils["C2"], w.councils["C1"]
    assert [n.subject_id for n in rv.individual_networks_for(w, c2)] == ["R-001", "R-002", "R-005", "R-006"]
    assert len(rv.individual_networks_for(w, c1)) == 6
    assert [n.id for n in rv.provider_networks_for(w, c2, "SAME")] == ["PN01", "PN02", "PN03", "PN06", "PN08"]
    assert [n.id for n in rv.provider_networks_for(w, c2, "DIFF")] == ["PN04", "PN09"]
    assert [n.id for n in rv.provider_networks_for(w, c2, "CHIEN_NPO")] == ["PN07"]
    assert [n.id for n in rv.provider_networks_for(w, w.councils["C4"], "DIFF")] == ["PN05", "PN09"]
    assert len(rv.provider_networks_for(w, c1)) == 10


def test_kind_and_system_by_template(cat):
    assert [rv.kind_for_template(cat, t) for t in ("A04", "A05", "A06")] == ["SAME", "DIFF", "CHIEN_NPO"]
    assert [lv.system_for_template(cat, t) for t in ("A07", "A08", "A09", "A10")] == [
        "DISABILITY_CLS", "POVERTY_SELF_RELIANCE", "CHILD_CARE_SUPPORT", "DEMENTIA_PROMOTER"]


# ---------------------------------------------------------------- A03

def test_individual_rows_show_labels_prompts_and_nothing_sensitive(s, cat):
    rows = rv.individual_network_rows(s, cat)
    text = _texts(rows)
    heads = {r.key: r.text for r in rows if r.key.startswith("inet:")}
    assert [h.split("  ")[0] for h in heads.values()] == [
        "Aさん（80代・女性・独居）", "Bさん（70代・男性・独居）", "Eさん（70代・女性・子と同居）",
        "Fさん（80代・女性・三世代）"]
    assert "Cさん" not in text and "Dさん" not in text
    assert "留意G1：" in heads["inet:IN-001"]
    assert "ヒントH1：" in heads["inet:IN-002"]
    assert "留意G3：" in heads["inet:IN-006"] and "必要だが未形成" in heads["inet:IN-006"]
    assert "留意" not in heads["inet:IN-005"]
    assert "形成者：医師（退院時ケア会議など）" in heads["inet:IN-001"]
    assert "一堂に会した：なし" in heads["inet:IN-002"]
    assert "3層への連絡ルート：あり（みほん北地域包括支援センター）" in heads["inet:IN-001"]
    assert "必要な支援：買い物支援／新規発生" in text
    for word in SENSITIVE_WORDS:
        assert word not in text
    for sens in s.world.sensitive.values():
        assert sens.notes not in text


def test_changing_a_network_changes_its_row_and_prompts_at_once(s, cat):
    s.update_network("individual_networks", "IN-002", gathered_once=True)
    s.add_need("IN-005", "WATCH", "NEW", note="見守りの担い手")
    rows = {r.key: r.text for r in rv.individual_network_rows(s, cat)}
    assert "ヒントH1" not in rows["inet:IN-002"]
    assert "留意G1：" in rows["inet:IN-005"]
    assert any(k.startswith("need:IN-005:NI-M-C2-03-") and "見守り・安否確認／新規発生" in t
               for k, t in rows.items())


def test_small_number_warning_for_dさん_on_the_tier1_council(cat):
    dataset = load_demo(DEMO_TODAY)
    world = World.from_dataset(dataset)
    c1_meeting = next(r.id for r in world.meetings_of("C1"))
    s1 = MeetingSession(dataset, world, c1_meeting, today=TODAY)
    text = _texts(rv.individual_network_rows(s1, cat))
    assert "Dさん（90代以上・男性・独居）" in text
    assert "注意：Dさんは、年代・世帯・圏域" in text
    assert "留意G2：" in text


# ---------------------------------------------------------------- A04-A06

def test_provider_rows_of_pn04_and_pn07(s, cat):
    rows = {r.key: r.text for r in rv.provider_network_rows(s, cat, "DIFF")}
    head = rows["pnet:PN04"]
    assert "北みほん圏域 多職種連携会議  活動中" in head
    assert "かたち：会合型（定時・隔月）" in head
    assert "範囲：日常生活圏域（北みほん圏域）・第2層担当" in head
    assert "個別ネットワーク支援の枠：なし" in head
    assert "構成：みほん北地域包括支援センター、" in head
    assert "最後の会合：7/24（木）・1か月前" in head
    assert "一部（原因：仕組みの不全）" in rows["fn:PN04:DIFF_MONITOR"]
    assert "果たしていない" in rows["fn:PN04:DIFF_FORM"]
    assert "第1層担当" in rows["pnet:PN09"]
    chien = {r.key: r.text for r in rv.provider_network_rows(s, cat, "CHIEN_NPO")}
    assert "段階：個別ニーズのつなぎ関係" in chien["pnet:PN07"]
    assert "留意G7：" in chien["pnet:PN07"]
    assert set(chien) == {"pnet:PN07", "fn:PN07:PURPOSE_COORDINATION", "fn:PN07:PURPOSE_INFO_SHARING"}
    same = {r.key: r.text for r in rv.provider_network_rows(s, cat, "SAME")}
    assert "範囲：広域・第1層担当" in same["pnet:PN03"]
    assert "未評価" in same["fn:PN01:SAME_DEVELOP"]


def test_g6_shows_for_a_network_not_met_for_months(s, cat):
    s.update_network("provider_networks", "PN04", last_met_on=date(2025, 1, 10))
    head = next(r.text for r in rv.provider_network_rows(s, cat, "DIFF") if r.key == "pnet:PN04")
    assert "8か月前" in head and "留意G6：" in head


def test_rating_a_function_changes_its_row(s, cat):
    with pytest.raises(SessionError, match="原因"):
        s.rate_function("PN04", "DIFF_MONITOR", "NOT_FULFILLED")
    s.rate_function("PN04", "DIFF_MONITOR", "NOT_FULFILLED", evidence="枠の提案が保留",
                    cause="PROVIDER_ATTITUDE")
    s.rate_function("PN04", "DIFF_FORM", "FULFILLED", evidence="Fさんの関係者会議を呼びかけた")
    rows = {r.key: r.text for r in rv.provider_network_rows(s, cat, "DIFF")}
    assert "果たしていない（原因：特定事業者の姿勢（協調性の欠如））" in rows["fn:PN04:DIFF_MONITOR"]
    assert "根拠：枠の提案が保留" in rows["fn:PN04:DIFF_MONITOR"]
    assert "果たしている" in rows["fn:PN04:DIFF_FORM"] and "原因" not in rows["fn:PN04:DIFF_FORM"]


def test_changed_fields_keeps_only_what_differs(s):
    net = s.network_now("provider_networks", "PN04")
    assert rv.changed_fields(net, {"status": "ACTIVE", "has_individual_support_unit": True,
                                   "last_met_on": net.last_met_on}) == {"has_individual_support_unit": True}


def test_ago_text():
    assert rv.ago_text(date(2025, 8, 20), TODAY) == "27日前"
    assert rv.ago_text(date(2025, 7, 24), TODAY) == "1か月前"
    assert rv.ago_text(TODAY, TODAY) == "今日"


# ---------------------------------------------------------------- A07-A10

def test_linkage_rows_show_functions_partners_and_status(s, cat):
    dem = _texts(lv.linkage_rows(s, cat, "DEMENTIA_PROMOTER"))
    assert "連携の状況：協議体へ定例参加" in dem
    assert "連携先：みほん中央地域包括支援センター（例示 中太）" in dem
    assert "・地域で認知症の人とその家族を支えるネットワークをつくる" in dem
    assert "SCの役割：" in dem and "連携先の役割：" in dem
    dis = _texts(lv.linkage_rows(s, cat, "DISABILITY_CLS"))
    assert "この制度の窓口：架空障がい者相談支援室（地域生活支援拠点）" in dis
    assert "・地域の体制づくり：未評価" in dis      # 北みほん has not rated the 拠点's 5 functions


def test_consent_gate_for_eさん(s, cat):
    gates = lv.consent_gates(s, "DISABILITY_CLS")
    assert gates == [("Eさん（70代・女性・子と同居）", "架空障がい者相談支援室（地域生活支援拠点）",
                      "本人・家族の同意が記録されていないため、連携先と情報を共有できません。", False)]
    assert [g[1] for g in lv.consent_gates(s, "POVERTY_SELF_RELIANCE")] == ["みほん市自立相談支援センター"]
    assert lv.consent_gates(s, "DEMENTIA_PROMOTER") == []
    text = _texts(lv.linkage_rows(s, cat, "POVERTY_SELF_RELIANCE"))
    assert "情報共有の同意：Eさん（70代・女性・子と同居） > みほん市自立相談支援センター" in text
    for sens in s.world.sensitive.values():
        assert sens.notes not in text


def test_set_linkage_changes_the_rows(s, cat):
    s.set_linkage("DISABILITY_CLS", status="INFO_EXCHANGE", notes="拠点の相談員と顔合わせ",
                  partner_org_ids=["O27"])
    text = _texts(lv.linkage_rows(s, cat, "DISABILITY_CLS"))
    assert "連携の状況：情報交換" in text
    assert "連携先：架空障がい者相談支援室（地域生活支援拠点）" in text
    assert "この制度の窓口" not in text
    assert "メモ：拠点の相談員と顔合わせ" in text
    choices = dict(lv.partner_choices(s.world, cat, "DISABILITY_CLS", ["O27"]))
    assert list(choices)[0] == "O27" and "O01" in choices


# ---------------------------------------------------------------- characters

def test_no_east_asian_ambiguous_character_in_any_row(s, cat):
    rows = (rv.action_rows(s, cat) + rv.individual_network_rows(s, cat)
            + [r for k in ("SAME", "DIFF", "CHIEN_NPO") for r in rv.provider_network_rows(s, cat, k)]
            + [r for t in cat.agenda_templates if t.linked_system for r in lv.linkage_rows(s, cat, t.linked_system)])
    lines = [line.text for r in rows for line in r.lines]
    lines += [line.text for line in rv.previous_minutes_lines(s, _item(s, "A01").id, cat)]
    bad = sorted({ch for t in lines for ch in t if unicodedata.east_asian_width(ch) == "A"})
    assert bad == []


def test_capped_puts_changed_and_prompted_networks_first_and_counts_the_rest(s):
    nets = rv.provider_networks_for(s.world, s.world.councils["C1"])      # PN01..PN10
    shown, hidden = rv.capped(nets, lambda n: n.id == "PN07", {"PN09"}, limit=3)
    assert [n.id for n in shown] == ["PN01", "PN07", "PN09"] and hidden == 7
    shown, hidden = rv.capped(nets, lambda n: False, set(), limit=20)
    assert len(shown) == 10 and hidden == 0


def test_a_retired_network_leaves_later_meetings_but_stays_in_earlier_ones():
    from kyogitai_tui.domain.registry.edit import retire
    from kyogitai_tui.domain.changes import apply_to_dataset

    dataset = load_demo(DEMO_TODAY)
    world = World.from_dataset(dataset)
    council = world.councils["C2"]
    pn = rv.provider_networks_for(world, council)[0]
    inet = rv.individual_networks_for(world, council)[0]
    apply_to_dataset(dataset, retire(world, "provider_networks", pn.id, date(2025, 8, 1))
                     + retire(world, "individual_networks", inet.id, date(2025, 8, 1)))
    world = World.from_dataset(dataset)
    later, earlier = date(2025, 9, 16), date(2025, 7, 15)
    assert pn.id not in [n.id for n in rv.provider_networks_for(world, council, on=later)]
    assert pn.id in [n.id for n in rv.provider_networks_for(world, council, on=earlier)]
    assert inet.id not in [n.id for n in rv.individual_networks_for(world, council, on=later)]
    assert inet.id in [n.id for n in rv.individual_networks_for(world, council, on=earlier)]
    # the live meeting of 2025-09-16 no longer offers it to jump to
    from kyogitai_tui.domain.meeting.jump import jump_targets

    session = MeetingSession(dataset, world, "M-C2-03", today=later)
    assert all(t.entity_id != pn.id for t in jump_targets(session))
