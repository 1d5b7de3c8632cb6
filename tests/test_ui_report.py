"""The report workspaces A01-A10 of the live meeting, driven with keys on the
demo's 第3回 of 北みほん支え合い会議 (2025-09-16): what the facilitator sees,
what reaches the disk, residents by label only, and no East Asian Ambiguous
character on screen at 120x40 and 80x24."""
from __future__ import annotations

import unicodedata
from datetime import date

from textual.widgets import Input, OptionList

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.widgets.forms import FormDialog
from ui_helpers import region_text, screen_text

M3 = "M-C2-03"
TODAY = date(2025, 9, 16)
SENSITIVE_WORDS = ("認知症", "精神", "障がい")


class Live:
    """The app opened live on 第3回, with helpers to read the screen."""

    def __init__(self, app, pilot) -> None:
        self.app, self.pilot = app, pilot

    async def goto(self, template: str) -> None:
        item = next(a for a in self.app.session.agenda if a.template == template)
        self.app.screen.run_op(lambda: self.app.session.goto(item.id))
        await self.pilot.pause()
        await self.pilot.press("f6")          # focus the workspace, as the facilitator does
        await self.pilot.pause()

    @property
    def ws(self):
        return self.app.screen._ws

    @property
    def keys(self) -> list[str]:
        return [r.key for r in self.ws._rows]

    def options_text(self) -> str:
        ol = self.ws.query_one(OptionList)
        return "\n".join(str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count))

    def screen_text(self) -> str:
        return screen_text(self.app)

    def region_text(self, widget) -> str:
        """What is drawn inside a widget's region (the workspace, not the sidebar)."""
        return region_text(self.app, widget.region)

    async def highlight(self, key: str) -> None:
        self.ws.query_one(OptionList).highlighted = self.keys.index(key)
        await self.pilot.pause()

    async def save_form(self) -> None:
        await self.pilot.press("ctrl+s")
        await self.pilot.pause()


async def _open(demo_root, size=(120, 40)):
    store = DataStore.open(demo_root)
    dataset, world = load_data(store)
    app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset, today=TODAY)
    return store, app


async def _start(app, pilot) -> Live:
    await pilot.pause()
    app.session = MeetingSession(app.dataset, app.world, M3, now=app.clock, today=app.today)
    app.start_live()
    await pilot.pause()
    return Live(app, pilot)


def _reopen(root) -> World:
    with DataStore.open(root) as store:
        return World.from_dataset(store.load_dataset())


# ---------------------------------------------------------------- A01

async def test_a01_confirm_and_correct_the_previous_minutes(demo_root):
    store, app = await _open(demo_root)
    with store:
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _start(app, pilot)
            await live.goto("A01")
            text = live.region_text(live.ws)
            assert "前回の会議：令和7年度 第2回" in text
            assert "議事録の状態：議事録案" in text
            assert "まだ記録していません" in text
            await pilot.press("f8")
            await pilot.pause()
            assert "この会議での確認：確定" in live.region_text(live.ws)
            await pilot.press("f12")
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            await pilot.press("ctrl+s")            # empty correction: refused, dialog stays
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            assert "訂正の内容" in str(app.screen.query_one("#form-error").render())
            app.screen.query_one("#field-correction", Input).value = "出席者に試験委員を追加する"
            await live.save_form()
            assert not isinstance(app.screen, FormDialog)
            text = live.region_text(live.ws)
            assert "この会議での確認：訂正あり" in text
            assert "訂正の内容：出席者に試験委員を追加する" in text
            app.saver.flush()
    a01 = next(a for a in _reopen(demo_root).meetings[M3].agenda_items if a.template == "A01")
    assert (a01.result, a01.correction) == ("CORRECTED", "出席者に試験委員を追加する")
    assert a01.extra["confirmed_meeting_id"] == "M-C2-02"


# ---------------------------------------------------------------- A02

async def test_a02_lists_carried_actions_and_records_progress_in_place(demo_root):
    store, app = await _open(demo_root)
    with store:
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _start(app, pilot)
            await live.goto("A02")
            assert live.keys == [f"action:{a}" for a in
                                 ("AI-01", "AI-05", "AI-08", "AI-04", "AI-06", "AI-07", "AI-09")]
            text = live.region_text(live.ws)
            for aid in ("AI-01", "AI-04", "AI-05", "AI-06", "AI-07", "AI-08", "AI-09"):
                assert aid in text
            for other in ("AI-02", "AI-03", "AI-10", "AI-11", "AI-12"):
                assert other not in text
            ai01 = next(line for line in text.splitlines() if "期限：7/10" in line)
            assert "期限超過" in ai01 and "継続2回目" in ai01
            assert app.focused is live.ws.query_one(OptionList)
            await pilot.press("enter")              # AI-01 is highlighted first
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            await pilot.press("right")              # 対応中 -> 完了
            await pilot.press("tab")
            app.screen.query_one("#field-note", Input).value = "幹事会で個別支援の枠が了承された"
            await pilot.press("enter")              # last field: saves
            await pilot.pause()
            assert not isinstance(app.screen, FormDialog)
            assert live.keys[0] == "action:AI-01"
            assert live.ws.query_one(OptionList).highlighted == 0
            text = live.region_text(live.ws)
            ai01 = next(line for line in text.splitlines() if "期限：7/10" in line)
            assert "完了" in ai01 and "期限超過" not in ai01
            assert "メモ：幹事会で個別支援の枠が了承された" in text
            app.saver.flush()
    world = _reopen(demo_root)
    state = world.action_state("AI-01")
    assert state.status == "DONE"
    assert state.progress[-1].note == "幹事会で個別支援の枠が了承された"
    assert state.progress[-1].meeting_id == M3


# ---------------------------------------------------------------- A03

async def test_a03_shows_the_areas_networks_by_label_with_prompts(demo_root):
    store, app = await _open(demo_root)
    with store:
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _start(app, pilot)
            await live.goto("A03")
            heads = [k for k in live.keys if k.startswith("inet:")]
            assert heads == ["inet:IN-001", "inet:IN-002", "inet:IN-005", "inet:IN-006"]
            options = live.options_text()
            for label in ("Aさん（80代・女性・独居）", "Bさん（70代・男性・独居）",
                          "Eさん（70代・女性・子と同居）", "Fさん（80代・女性・三世代）"):
                assert label in options
            assert "Cさん" not in options and "Dさん" not in options
            by_key = {r.key: r.text for r in live.ws._rows}
            assert "留意G1：" in by_key["inet:IN-001"]
            assert "ヒントH1：" in by_key["inet:IN-002"]
            assert "留意G3：" in by_key["inet:IN-006"]
            screen = live.region_text(live.ws)
            assert "Aさん（80代・女性・独居）" in screen and "留意G1" in screen
            main = live.region_text(app.screen.query_one("#main"))
            for text in (options, main):
                for word in SENSITIVE_WORDS:
                    assert word not in text
                for sens in app.world.sensitive.values():
                    assert sens.notes not in text

            # Bさん's network met everyone once: H1 goes away, on screen and on disk
            await live.highlight("inet:IN-002")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            field = app.screen.query_one("#field-gathered_once")
            field.focus()
            await pilot.press("right")             # なし -> あり
            await live.save_form()
            assert not isinstance(app.screen, FormDialog)
            by_key = {r.key: r.text for r in live.ws._rows}
            assert "一堂に会した：あり" in by_key["inet:IN-002"]
            assert "ヒントH1" not in by_key["inet:IN-002"]

            # F8 adds a need to Eさん's network: it shows, with G1
            await live.highlight("inet:IN-005")
            await pilot.press("f8")
            await pilot.pause()
            app.screen.query_one("#field-category").value = "WATCH"
            await live.save_form()
            by_key = {r.key: r.text for r in live.ws._rows}
            assert "留意G1：" in by_key["inet:IN-005"]
            assert any(k.startswith("need:IN-005:") and "見守り・安否確認／新規発生" in t
                       for k, t in by_key.items())
            app.saver.flush()
    world = _reopen(demo_root)
    assert world.individual_networks["IN-002"].gathered_once is True
    assert any(n.service_category == "WATCH" and n.status == "NEW" for n in world.needs_of("IN-005"))


# ---------------------------------------------------------------- A04-A06

async def test_a04_to_a06_show_provider_networks_and_rate_a_function(demo_root):
    store, app = await _open(demo_root)
    with store:
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _start(app, pilot)
            await live.goto("A04")
            assert [k for k in live.keys if k.startswith("pnet:")] == [
                "pnet:PN01", "pnet:PN02", "pnet:PN03", "pnet:PN06", "pnet:PN08"]
            assert "範囲：広域・第1層担当" in live.options_text()

            await live.goto("A05")
            assert [k for k in live.keys if k.startswith("pnet:")] == ["pnet:PN04", "pnet:PN09"]
            screen = live.region_text(live.ws)
            assert "北みほん圏域 多職種連携会議" in screen
            assert "個別ネットワーク支援の枠：なし" in screen
            assert "第2層担当" in screen
            assert "一部（原因：仕組みの不全）" in screen

            # PN09's monitoring drops to 一部: the cause is required, nothing is lost
            await live.highlight("fn:PN09:DIFF_MONITOR")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            await pilot.press("right")              # 果たしている -> 一部
            await pilot.press("tab")
            app.screen.query_one("#field-evidence", Input).value = "事例検討が2か月止まっている"
            await live.save_form()
            assert isinstance(app.screen, FormDialog)
            assert "原因" in str(app.screen.query_one("#form-error").render())
            app.screen.query_one("#field-cause").value = "MECHANISM_FAILURE"
            await live.save_form()
            assert not isinstance(app.screen, FormDialog)
            row = next(r.text for r in live.ws._rows if r.key == "fn:PN09:DIFF_MONITOR")
            assert "一部（原因：仕組みの不全）" in row and "根拠：事例検討が2か月止まっている" in row

            # F8 on PN04: the support unit is set up
            await live.highlight("pnet:PN04")
            await pilot.press("f8")
            await pilot.pause()
            app.screen.query_one("#field-has_individual_support_unit").value = "yes"
            await live.save_form()
            head = next(r.text for r in live.ws._rows if r.key == "pnet:PN04")
            assert "個別ネットワーク支援の枠：あり" in head

            await live.goto("A06")
            screen = live.region_text(live.ws)
            assert "北地区 自治会・NPOつなぎの会" in screen
            assert "段階：個別ニーズのつなぎ関係" in screen
            assert "留意G7" in screen
            app.saver.flush()
    world = _reopen(demo_root)
    fa = world.current_ratings("PN09")["DIFF_MONITOR"]
    assert (fa.meeting_id, fa.rating, fa.cause) == (M3, "PARTIAL", "MECHANISM_FAILURE")
    assert fa.evidence == "事例検討が2か月止まっている"
    assert world.provider_networks["PN04"].has_individual_support_unit is True


# ---------------------------------------------------------------- A07-A10

async def test_a07_to_a10_show_the_linked_systems_and_the_consent_gate(demo_root):
    store, app = await _open(demo_root)
    with store:
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _start(app, pilot)
            await live.goto("A10")
            screen = live.region_text(live.ws)
            assert "認知症地域支援推進員  連携の状況：協議体へ定例参加" in screen
            assert "連携先：みほん中央地域包括支援センター（例示 中太）" in screen
            assert "・地域で認知症の人とその家族を支えるネットワークをつくる" in screen

            for template, partner in (("A07", "架空障がい者相談支援室"), ("A08", "みほん市自立相談支援センター")):
                await live.goto(template)
                options = live.options_text()
                assert f"情報共有の同意：Eさん（70代・女性・子と同居） > {partner}" in options
                assert "本人・家族の同意が記録されていないため、連携先と情報を共有できません。" in options
                for sens in app.world.sensitive.values():
                    assert sens.notes not in options

            await live.goto("A09")
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            await pilot.press("right")              # 情報交換 -> 協議体へ定例参加
            await pilot.press("tab")
            app.screen.query_one("#field-notes", Input).value = "拠点の職員が次回から参加する"
            await live.save_form()
            assert not isinstance(app.screen, FormDialog)
            screen = live.region_text(live.ws)
            assert "連携の状況：協議体へ定例参加" in screen
            assert "メモ：拠点の職員が次回から参加する" in screen
            app.saver.flush()
    ls = _reopen(demo_root).linkage("C2")["CHILD_CARE_SUPPORT"]
    assert (ls.meeting_id, ls.status, ls.partner_org_ids) == (M3, "REGULAR_MEMBER", ["O29"])
    assert ls.notes == "拠点の職員が次回から参加する"


# ---------------------------------------------------------------- characters

async def test_no_east_asian_ambiguous_character_in_the_report_workspaces(demo_root):
    """Every row of A01-A10 brought into view, and the last row's form, at
    120x40 and then, the terminal resized in the same meeting, at 80x24."""
    store, app = await _open(demo_root)
    with store:
        async with app.run_test(size=(120, 40)) as pilot:
            live = await _start(app, pilot)
            seen: set[str] = set()
            for size in ((120, 40), (80, 24)):      # one resize: each is a layout of the whole meeting
                if tuple(app.size) != size:
                    await pilot.resize_terminal(*size)
                for template in ("A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10"):
                    await live.goto(template)
                    assert tuple(app.size) == size
                    ol = live.ws.query_one(OptionList)
                    step = max(1, ol.scrollable_content_region.height - 1)
                    for y in range(0, max(1, ol.virtual_size.height), step):   # every row into view
                        ol.scroll_to(y=y, animate=False, immediate=True)
                        await pilot.pause()
                        seen.update(live.screen_text())
                    ol.highlighted = ol.option_count - 1
                    await pilot.pause()
                    await pilot.press("enter")            # the row's form (A01: 確定, no form)
                    await pilot.pause()
                    seen.update(live.screen_text())
                    if isinstance(app.screen, FormDialog):
                        await pilot.press("escape")
                        await pilot.pause()
            ambiguous = sorted(ch for ch in seen if unicodedata.east_asian_width(ch) == "A")
            assert ambiguous == []
