"""A meeting recorded as it happens in a real room, with the keys a user
presses, from the live screen of any prepared meeting (the demo's 第3回 or a
meeting of a village set up from an empty folder):

* at 前回議事録の確認 the previous minutes are confirmed with a correction
  (誤 → 正), which the previous meeting's minutes then print;
* a custom agenda item (「ニーズ調査について」, a 次回の議題 of the last
  meeting...) gets statements, a 要旨, a decision and an action with both an
  organisation and a free-text owner; optionally the decision changes an
  earlier one and the action takes over that decision's open action;
* a statement typed with the wrong speaker and wording is corrected;
* readback, close with the end time and the meeting's notes, Markdown export.

``record_meeting(pilot, app, plan)`` returns the folder the minutes went to.
Japanese text is set on the Input (composition cannot be simulated).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from textual.widgets import Input, OptionList, Static

from kyogitai_tui.ui.widgets.forms import ChoiceDialog, ChoiceField, FormDialog
from ui_helpers import assert_unambiguous, option_texts, screen_text


@dataclass
class MeetingPlan:
    custom_title: str                       # the custom agenda item (created when missing)
    wrong: str                              # a wording of the previous minutes ...
    right: str                              # ... and what it should say
    decision_text: str
    action_title: str
    action_org: str                         # organisation id (担当（団体）)
    action_owner_text: str                  # 担当（自由記入）
    decision_type: Optional[str] = None     # decision_types code (None: the first offered)
    supersedes: Optional[str] = None        # an earlier decision's id
    takes_over: list[str] = field(default_factory=list)   # its open actions to take over
    said_wrong: str = "ニーズ調査は１００件回収しました"
    said_right: str = "ニーズ調査は１２０件回収しました"
    summary: str = "事務局からニーズ調査の結果を報告した。"
    end_time: str = "15:45"
    notes: str = "台風のため予定日から1週間延期して開催した"


async def pick(pilot, *codes: str) -> None:
    picker = pilot.app.screen
    assert isinstance(picker, ChoiceDialog), type(picker)
    order = [c for c, _ in picker.choices]
    ol = picker.query_one("#choices", OptionList)
    for code in codes:
        ol.focus()
        ol.highlighted = order.index(code)
        await pilot.press("enter")
        await pilot.pause()
    if picker.multiple:
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert pilot.app.screen is not picker


async def choose_field(pilot, name: str, *codes: str) -> None:
    dialog = pilot.app.screen
    dialog.query_one(f"#field-{name}", ChoiceField).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pick(pilot, *codes)
    assert pilot.app.screen is dialog


def type_into(app, name: str, text: str) -> None:
    app.screen.query_one(f"#field-{name}", Input).value = text


async def save_form(pilot) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    await pilot.press("ctrl+s")
    await pilot.pause()
    if pilot.app.screen is dialog:
        raise AssertionError(f"form not saved: {dialog.query_one('#form-error', Static).render()}")


async def type_line(pilot, text: str) -> None:
    await pilot.press("f2")
    line = pilot.app.screen.query_one("#statement-input", Input)
    assert line.has_focus
    line.value = text
    await pilot.press("enter")
    await pilot.pause()
    assert line.value == ""


async def goto_item(pilot, app, item_id: str) -> None:
    app.screen.run_op(lambda: app.session.goto(item_id))
    app.screen.show_workspace(force=True)
    await pilot.pause()


async def record_meeting(pilot, app, plan: MeetingPlan, export_dir: Path) -> Path:
    live = app.screen
    s = app.session
    assert type(live).__name__ == "LiveScreen"

    # ---- 前回議事録の確認: 訂正あり, 誤 → 正 ------------------------------
    a01 = next(a for a in s.agenda if a.template == "A01")
    await goto_item(pilot, app, a01.id)
    await pilot.press("f6")
    await pilot.press("f12")
    await pilot.pause()
    type_into(app, "wrong1", plan.wrong)
    type_into(app, "right1", plan.right)
    await save_form(pilot)
    assert s.item(a01.id).result == "CORRECTED"

    # ---- the custom item ----------------------------------------------------
    custom = next((a for a in s.agenda if a.title == plan.custom_title and a.enabled), None)
    if custom is None:
        live.run_op(lambda: s.agenda_edit("add", title=plan.custom_title, section="DISCUSSION", minutes=10))
        custom = next(a for a in s.agenda if a.title == plan.custom_title)
    assert custom.template is None
    await goto_item(pilot, app, custom.id)
    assert plan.custom_title in screen_text(app)

    # a 要旨 (no speaker): shown in the log at once
    await pilot.press("f3")
    await pilot.pause()
    await pick(pilot, "SUMMARY")
    await type_line(pilot, plan.summary)
    rows = option_texts(live.query_one("#statements", OptionList))
    assert f"[要旨] {plan.summary}" in rows

    # a statement with the wrong speaker and figure, then corrected (Enter on its row)
    await pilot.press("f3")
    await pilot.pause()
    await pick(pilot, "MEMBER")
    await type_line(pilot, plan.said_wrong)
    log = live.query_one("#statements", OptionList)
    log.focus()
    log.highlighted = log.option_count - 1
    await pilot.press("enter")
    await pilot.pause()
    type_into(app, "text", plan.said_right)
    await choose_field(pilot, "speaker", "SECRETARIAT")
    await save_form(pilot)
    rows = option_texts(live.query_one("#statements", OptionList))
    assert f"[{app.label('speaker_labels', 'SECRETARIAT')}] {plan.said_right}" in rows
    assert not any(plan.said_wrong in r for r in rows)

    # ---- F6: the item's own decisions and actions -----------------------
    await pilot.press("f6")
    await pilot.pause()
    await pilot.press("f8")
    await pilot.pause()
    picker = app.screen
    assert isinstance(picker, ChoiceDialog), "F8 on a custom item must offer a decision"
    await pick(pilot, plan.decision_type or picker.choices[0][0])
    type_into(app, "text", plan.decision_text)
    if plan.supersedes:
        await choose_field(pilot, "supersedes", plan.supersedes)
    await save_form(pilot)
    decision = s.record.decisions[-1]
    assert decision.agenda_item_id == custom.id and decision.text == plan.decision_text
    assert decision.supersedes_decision_id == plan.supersedes

    await pilot.press("f12")
    await pilot.pause()
    form = app.screen
    assert f"決定事項No." in str(form.query(".hint").first().render()) and decision.text in str(form.query(".hint").first().render())
    type_into(app, "title", plan.action_title)
    await choose_field(pilot, "orgs", plan.action_org)
    type_into(app, "owner_text", plan.action_owner_text)
    if plan.supersedes and plan.takes_over:
        field_value = form.query_one("#field-takes_over", ChoiceField)
        assert field_value is not None          # offered, all open actions ticked
    await save_form(pilot)
    action = s.record.action_items[-1]
    assert action.decision_id == decision.id
    assert "この議題の決定事項 1件・取組 1件" in screen_text(app)
    assert_unambiguous(app, "custom item with a decision")

    # ---- readback, close, export ----------------------------------------
    await pilot.press("f9")
    await pilot.pause()
    assert type(app.screen).__name__ == "ReadbackScreen"
    for _ in s.readback_pending():
        await pilot.press("f2")
        await pilot.pause()
    assert s.readback_pending() == []
    await pilot.press("f9")
    await pilot.pause()
    close = app.screen
    assert type(close).__name__ == "CloseScreen"
    close.query_one("#close-end", Input).value = plan.end_time
    close.query_one("#close-notes", Input).value = plan.notes
    close.query_one("#close-sent", Input).value = "はい"
    close.query_one("#close-next_topics", Input).value = "ニーズ調査の報告、移動支援について"
    await pilot.press("f9")
    await pilot.pause()
    assert s.meeting.status == "HELD", str(close.query_one("#close-state", Static).render())
    await pilot.press("f4")                     # both variants, Markdown
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.saver.flush()
    return export_dir


async def open_new_meeting(app, pilot, **values: str) -> str:
    """From the home screen (its one council highlighted): Enter, F2 新しい会議
    with ``values`` typed over the proposed ones, ctrl+s; then F9 会議を開始 on
    the prepare screen. Returns the meeting id, the live screen showing."""
    from kyogitai_tui.ui.home import HomeScreen
    from kyogitai_tui.ui.screens.prepare import PrepareScreen

    assert isinstance(app.screen, HomeScreen), type(app.screen)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("f2")
    await pilot.pause()
    for name, text in values.items():
        type_into(app, name, text)
    await save_form(pilot)
    await pilot.pause()
    prep = app.screen
    assert isinstance(prep, PrepareScreen), type(prep)
    await pilot.press("f9")
    await pilot.pause()
    await pick(pilot, "start")
    await pilot.pause()
    assert type(app.screen).__name__ == "LiveScreen", type(app.screen)
    return app.session.meeting_id


async def hold_first_meeting(pilot, app, *, said: str, next_date: str, next_topics: str,
                             end_time: str) -> None:
    """The least a first meeting needs: one statement, readback, close with the
    end time and the next meeting's date and topics; then back to home (F5)."""
    s = app.session
    await type_line(pilot, said)
    await pilot.press("f9")
    await pilot.pause()
    assert type(app.screen).__name__ == "ReadbackScreen"
    for _ in s.readback_pending():
        await pilot.press("f2")
        await pilot.pause()
    await pilot.press("f9")
    await pilot.pause()
    close = app.screen
    assert type(close).__name__ == "CloseScreen"
    close.query_one("#close-end", Input).value = end_time
    close.query_one("#close-next_date", Input).value = next_date
    close.query_one("#close-next_topics", Input).value = next_topics
    await pilot.press("f9")
    await pilot.pause()
    assert s.meeting.status == "HELD", str(close.query_one("#close-state", Static).render())
    await pilot.press("f5")
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.saver.flush()
