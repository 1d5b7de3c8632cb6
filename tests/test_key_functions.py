"""The five functions of the 地域生活支援拠点 rated by a council at its
disability item (A07), per council and meeting date: recorded in the
meeting, printed in the minutes, shown as a trend at the next meeting; and
the guidebook's reference content readable from each other-system item."""
from __future__ import annotations

from datetime import date

import pytest

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.domain.demo import DEMO_TODAY
from kyogitai_tui.domain.meeting import linkage_view as lv
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World

FIVE = ["相談", "体験の機会・場", "緊急時の受け入れ・対応", "専門性", "地域の体制づくり"]


def _texts(rows) -> str:
    return "\n".join(line.text for r in rows for line in r.lines)


def _session(dataset, mid="M-C1-02"):
    world = World.from_dataset(dataset)
    return MeetingSession(dataset, world, mid, today=world.meetings[mid].held_on)


def test_ratings_are_recorded_per_meeting_and_shown_as_a_trend(demo_dataset):
    cat = default_catalog()
    s = _session(demo_dataset)
    before = _texts(lv.linkage_rows(s, cat, "DISABILITY_CLS"))
    assert "・地域の体制づくり：果たしていない" in before          # rated at M-C1-01 (8/26)
    assert "評価した会議：8/26" in before
    s.rate_key_functions("DISABILITY_CLS", {"地域の体制づくり": "PARTIAL", "相談": "FULFILLED",
                                            "専門性": ""})
    rec = next(x for x in s.record.linkage_statuses if x.linked_system_code == "DISABILITY_CLS")
    assert rec.function_ratings == {"相談": "FULFILLED", "地域の体制づくり": "PARTIAL"}
    assert rec.status == "REGULAR_MEMBER" and rec.partner_org_ids == ["O27"]     # the status carried on
    after = _texts(lv.linkage_rows(s, cat, "DISABILITY_CLS"))
    assert "・地域の体制づくり：果たしていない→一部" in after
    assert "・専門性：果たしている" in after                        # not rated again: the earlier one
    # setting the status afterwards keeps this meeting's ratings
    s.set_linkage("DISABILITY_CLS", notes="拠点と定例で情報交換")
    rec = next(x for x in s.record.linkage_statuses if x.linked_system_code == "DISABILITY_CLS")
    assert rec.function_ratings["地域の体制づくり"] == "PARTIAL"


def test_ratings_refuse_what_is_not_a_function_or_a_rating(demo_dataset):
    s = _session(demo_dataset)
    with pytest.raises(SessionError, match="機能にありません"):
        s.rate_key_functions("DISABILITY_CLS", {"送迎": "FULFILLED"})
    with pytest.raises(SessionError, match="評価「"):
        s.rate_key_functions("DISABILITY_CLS", {"相談": "GOOD"})
    with pytest.raises(SessionError, match="少なくとも"):
        s.rate_key_functions("DISABILITY_CLS", {"相談": ""})
    with pytest.raises(SessionError, match="評価の対象"):
        s.rate_key_functions("CHILD_CARE_SUPPORT", {"市町村が実施主体": "FULFILLED"})


def test_minutes_print_the_ratings(demo_world):
    from kyogitai_tui.minutes.content import build_minutes
    for variant in ("INTERNAL", "PUBLIC"):
        doc = build_minutes(demo_world, "M-C1-01", variant, today=DEMO_TODAY)
        text = "\n".join(doc.texts())
        assert "地域生活支援拠点等の5つの機能の評価\n相談：果たしている\n体験の機会・場：一部" in text, variant


def test_reference_content_of_every_other_system_item():
    cat = default_catalog()
    dis = "\n".join(lv.reference_lines(cat, "DISABILITY_CLS"))
    assert "身体障がい" in dis and "第77条第1項第2号" in dis and "平成27年度" in dis
    dem = "\n".join(lv.reference_lines(cat, "DEMENTIA_PROMOTER"))
    assert "平成22年度" in dem and "認知症連携担当者" in dem
    child = "\n".join(lv.reference_lines(cat, "CHILD_CARE_SUPPORT"))
    assert "居場所" in child and "地域子育て支援拠点" in child
    for code in cat.codes("linked_systems"):
        assert len(lv.reference_lines(cat, code)) >= 4, code


async def test_rate_the_five_functions_and_record_a_voice_in_the_meeting(demo_root):
    """Live 第3回 of 北みほん: F12 at the disability item (A07) rates the 拠点's
    functions; the reference content is on the item; at A05 the voice that no
    network supports the area is recorded with who said it and when."""
    from textual.widgets import Input

    from kyogitai_tui.ui.widgets.forms import FormDialog
    from test_ui_report import M3, _open, _reopen, _start

    store, app = await _open(demo_root)
    with store:
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _start(app, pilot)
            await live.goto("A07")
            text = live.options_text()
            assert "・地域の体制づくり：未評価" in text
            assert "制度の説明：障がい者等への地域生活支援" in text and "第77条第1項第2号" in text
            await pilot.press("f12")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormDialog)
            form.query_one("#field-f0").focus()           # 相談
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("enter")                    # 果たしている (the first choice)
            await pilot.pause()
            await live.save_form()
            assert not isinstance(app.screen, FormDialog)
            assert "・相談：果たしている" in live.options_text()
            await live.goto("A09")                        # 子育て: not rated here
            await pilot.press("f12")
            await pilot.pause()
            assert not isinstance(app.screen, FormDialog)
            assert "居場所" in live.options_text()         # its own reference content

            await live.goto("A05")
            await live.highlight("pnet:PN04")
            await pilot.press("f8")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormDialog)
            await pilot.press("tab")                      # (status) -> next fields are set directly
            form.query_one("#field-perceived_absent_on", Input).value = "2025-09-10"
            for name, value in (("perceived_absent", "yes"),):
                field = form.query_one(f"#field-{name}")
                field.focus()
                await pilot.press("enter")
                await pilot.pause()
                dialog = app.screen
                codes = [c for c, _ in dialog.choices]
                from textual.widgets import OptionList
                dialog.query_one(OptionList).highlighted = codes.index(value)
                await pilot.press("enter")
                await pilot.pause()
            await live.save_form()
            assert isinstance(app.screen, FormDialog)     # who said it is missing: refused, kept open
            assert "誰から聞いたか" in live.screen_text()
            field = app.screen.query_one("#field-perceived_absent_by")
            field.focus()
            await pilot.press("enter")
            await pilot.pause()
            dialog = app.screen
            codes = [c for c, _ in dialog.choices]
            from textual.widgets import OptionList
            dialog.query_one(OptionList).highlighted = codes.index("MINSEI")
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            await live.save_form()
            assert not isinstance(app.screen, FormDialog)
            app.saver.flush()
    world = _reopen(demo_root)
    ls = world.meetings[M3].linkage_statuses
    assert next(x for x in ls if x.linked_system_code == "DISABILITY_CLS").function_ratings == {"相談": "FULFILLED"}
    pn04 = world.provider_networks["PN04"]
    assert pn04.perceived_absent and pn04.perceived_absent_by == ["MINSEI"]
    assert pn04.perceived_absent_on == date(2025, 9, 10)
