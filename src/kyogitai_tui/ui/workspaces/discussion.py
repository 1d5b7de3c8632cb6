"""A11 不足の把握 and A12 決定事項と役割分担: the discussion items.

A11: F8 runs the gap checks C1-C4 for the council; Enter on a 問題あり row
turns it into a finding (課題) or dismisses it with a reason; F12 types a
finding heard in the room; Enter on a finding sets its 対応方針 (G5).
A12: F8 registers a decision (type first, then the form); F12 (or Enter on
a decision) adds an action item to the highlighted decision.  Every text
comes from ``domain.discussion_view``; every change from the session.
"""
from __future__ import annotations

import weakref
from typing import Any, Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static


from kyogitai_tui.domain.meeting import discussion_view as dv
from kyogitai_tui.domain.guidebook.guidance import rule_text
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, Field, FormDialog
from kyogitai_tui.ui.widgets.rows import indented
from kyogitai_tui.ui.workspaces.base import Workspace
from kyogitai_tui.ui.widgets.plain import PlainOption, PlainStatic

# The last run of the checks, per session: survives the workspace being rebuilt.
_CHECK_RUNS: "weakref.WeakKeyDictionary[Any, list]" = weakref.WeakKeyDictionary()

_CSS = """
{cls} OptionList {{ height: auto; max-height: 24; border: none; }}
{cls} .ws-section {{ text-style: bold; margin-top: 1; }}
{cls} .ws-prompt {{ height: auto; }}
"""


def _none(value: Optional[str]) -> Optional[str]:
    return None if value in (None, dv.NONE_CODE) else value


class _DiscussionBase(Workspace):
    def _set_prompts(self, text: str) -> None:
        box = self.query_one("#ws-prompts", Static)
        box.display = bool(text)
        box.update(text)

    def _fill(self, ol: OptionList, options: list[PlainOption], empty: str) -> None:
        highlighted = ol.highlighted
        ol.set_options(options or [PlainOption(empty, disabled=True)])
        if highlighted is not None and highlighted < ol.option_count:
            ol.highlighted = highlighted

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_view)

    def _first_view(self) -> None:
        if self.ready():
            self.refresh_view()

    def ready(self) -> bool:
        """Composed and attached (a workspace being replaced may not be)."""
        return self.is_attached and bool(self.query("#ws-prompts"))


class GapWorkspace(_DiscussionBase):
    DEFAULT_CSS = _CSS.format(cls="GapWorkspace")
    BINDINGS = [
        Binding("f8", "run_checks", "チェックを実行", id="a11.run_checks",
                tooltip="C1～C4 のチェックをこの協議体の圏域とネットワークに対して実行します"),
        Binding("f12", "add_finding", "課題を入力", id="a11.add_finding",
                tooltip="会議で出た課題（住民の声など）を直接登録します"),
    ]

    def compose(self) -> ComposeResult:
        yield PlainStatic(self.item.title, classes="ws-title")
        yield PlainStatic("F8でチェックを実行。問題ありの行でEnter：課題に登録か見送り。"
                     "F12で課題を入力。課題の行でEnter：対応方針。", classes="hint")
        yield PlainStatic("", id="ws-prompts", classes="ws-prompt")
        yield PlainStatic("チェック結果", classes="ws-section", id="checks-title")
        yield OptionList(id="checks")
        yield PlainStatic("課題（未解決のもの・この会議で出たもの）", classes="ws-section")
        yield OptionList(id="findings")

    @property
    def results(self) -> list:
        return _CHECK_RUNS.get(self.session, [])

    def refresh_view(self) -> None:
        if not self.ready():
            return
        s = self.session
        # G5 is shown on each undecided finding below; other prompts (if any) here.
        self._set_prompts("\n".join(f"留意{p.rule}：{p.text}" for p in s.prompts(self.item.template)
                                     if p.rule != "G5"))
        results = self.results
        opts = []
        for i, r in enumerate(results):
            mark = dv.check_mark(r, s.record, s._check_id(r))
            opts.append(PlainOption(indented(dv.check_row_text(self.catalog, r, mark), bold_first=r.problem), id=f"C{i}"))
        problems = sum(1 for r in results if r.problem)
        self.query_one("#checks-title", Static).update(
            f"チェック結果（{len(results)}件中 問題あり{problems}件）" if results else "チェック結果")
        self._fill(self.query_one("#checks", OptionList), opts, "まだ実行していません。F8で実行します。")
        g5 = rule_text("G5")[1]
        fopts = [PlainOption(indented(dv.finding_row_text(self.catalog, f, g5), bold_first=True), id=f"F:{f.id}") for f in s.findings_now()]
        self._fill(self.query_one("#findings", OptionList), fopts, "課題はありません。F12で入力できます。")

    # actions ----------------------------------------------------------

    def action_run_checks(self) -> None:
        results = dv.checks_in_order(self.session.run_checks())
        _CHECK_RUNS[self.session] = results
        self.refresh_view()
        problems = sum(1 for r in results if r.problem)
        self.app.notify(f"チェックを実行しました（{len(results)}件、問題あり {problems}件）。")
        checks = self.query_one("#checks", OptionList)
        checks.focus()
        first = next((i for i, r in enumerate(results) if r.problem), None)
        if first is not None:
            checks.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if oid.startswith("C"):
            self.handle_check(int(oid[1:]))
        elif oid.startswith("F:"):
            self.edit_finding(oid[2:])

    def handle_check(self, index: int) -> None:
        result = self.results[index]
        if not result.problem:
            self.app.notify("問題のなかったチェックは課題にできません。F12 で課題を直接入力できます。",
                            severity="warning")
            return

        def chosen(code: Optional[str]) -> None:
            if code == "ACCEPT":
                self.accept_form(result)
            elif code == "DISMISS":
                self.dismiss_form(result)

        title = f"{result.target_name}：{self.label('gap_checks', result.check_code)}"
        self.app.push_screen(ChoiceDialog(title, [("ACCEPT", "課題として登録"), ("DISMISS", "見送る（理由）")]),
                             chosen)

    def accept_form(self, result) -> None:
        note = f"理由：{result.reason}"
        if result.open_finding_id:
            note += f"\nこの件には登録済みの課題 {result.open_finding_id} があります。重ねて登録する場合だけ保存してください。"
        fields = [
            Field("description", "課題の内容", value=f"{result.target_name}：{result.reason}", required=True),
            Field("evidence", "聴取先・調査元", kind="multi", choices=self.choices("evidence_sources"),
                  value=list(result.evidence_sources)),
        ]
        item_id = self.item.id
        self.app.push_screen(FormDialog("課題として登録", fields, self.submitter(
            lambda v: self.session.accept_check(result, description=v["description"],
                                                evidence_sources=v["evidence"], item_id=item_id)), note=note))

    def dismiss_form(self, result) -> None:
        fields = [Field("reason", "見送る理由", required=True, placeholder="例: すでに別の場で対応している")]
        self.app.push_screen(FormDialog("見送る", fields, self.submitter(
            lambda v: self.session.dismiss_check(result, v["reason"])), note=f"理由：{result.reason}"))

    def edit_finding(self, finding_id: str) -> None:
        f = next((x for x in self.session.findings_now() if x.id == finding_id), None)
        if f is None:
            return
        fields = [
            Field("policy", "対応方針", kind="choice", choices=self.choices("network_or_service"),
                  value=f.network_or_service, required=True),
            Field("status", "状態", kind="choice", choices=self.choices("gap_finding_statuses"),
                  value=f.status, required=True),
            Field("note", "メモ"),
        ]
        self.app.push_screen(FormDialog(f"課題 {f.id} の対応方針", fields, self.submitter(
            lambda v: self.session.update_finding(finding_id, status=v["status"],
                                                  network_or_service=v["policy"], note=v["note"])),
            note=f"{f.description}\n留意G5：{rule_text('G5')[1]}"))

    def action_add_finding(self) -> None:
        s = self.session
        areas = [(a.id, a.name) for a in s.world.areas.values()]
        fields = [
            Field("kind", "区分", kind="choice", choices=self.choices("gap_finding_kinds"),
                  value="SERVICE_GAP", required=True),
            Field("description", "課題の内容", required=True, placeholder="例: 北台団地で見守りが足りない（住民の声）"),
            Field("area", "圏域", kind="choice", choices=areas, value=s.council.area_id),
            Field("evidence", "聴取先・調査元", kind="multi", choices=self.choices("evidence_sources")),
            Field("policy", "対応方針", kind="choice", choices=self.choices("network_or_service"),
                  value="UNDECIDED", required=True),
        ]
        item_id = self.item.id
        self.app.push_screen(FormDialog("課題を入力", fields, self.submitter(
            lambda v: s.add_finding(v["kind"], v["description"], area_id=v["area"],
                                    evidence_sources=v["evidence"] or [], network_or_service=v["policy"],
                                    item_id=item_id)),
            note="「足りないサービス」の声は、ネットワークで応えるかサービスをつくるかを決めます（G5）。"),
            self._show_new_finding)

    def _show_new_finding(self, values: Optional[dict]) -> None:
        """After a finding was saved: highlight it in the findings list."""
        if values is None or not self.session.record.gap_findings or not self.ready():
            return
        fid = self.session.record.gap_findings[-1].id
        ol = self.query_one("#findings", OptionList)
        for i in range(ol.option_count):
            if ol.get_option_at_index(i).id == f"F:{fid}":
                ol.focus()
                ol.highlighted = i
                ol.scroll_visible()
                return


class DecisionWorkspace(_DiscussionBase):
    DEFAULT_CSS = _CSS.format(cls="DecisionWorkspace")
    BINDINGS = [
        Binding("f8", "add_decision", "決定を登録", id="a12.add_decision",
                tooltip="決定事項を種類を選んで登録します（決定時の出席と定足数を記録）"),
        Binding("f12", "add_action", "取組を追加", id="a12.add_action",
                tooltip="選んでいる決定事項に取組（担当・期限）を追加します"),
    ]

    def compose(self) -> ComposeResult:
        yield PlainStatic(self.item.title, classes="ws-title")
        yield PlainStatic("F8で決定を登録。決定の行でF12かEnter：取組を追加。F9で読み上げ確認と閉会へ。",
                     classes="hint")
        yield PlainStatic("", id="ws-prompts", classes="ws-prompt")
        yield PlainStatic("この会議の決定事項と取組", classes="ws-section", id="decisions-title")
        yield OptionList(id="decisions")

    # A12 lists every decision of the meeting; an item's own workspace only its own
    SCOPED = False

    def shown_decisions(self) -> list:
        s = self.session
        return s.decisions_of_item(self.item.id) if self.SCOPED else list(s.record.decisions)

    def refresh_view(self) -> None:
        if not self.ready():
            return
        s = self.session
        here = [d.id for d in s.record.decisions]
        lines = []
        if not self.SCOPED:
            for p in dv.a12_prompts(s.prompts(self.item.template), here):
                about = f"（{p.about}）" if p.about else ""
                lines.append(f"留意{p.rule}{about}：{p.text}")
        self._set_prompts("\n".join(lines))
        opts: list[PlainOption] = []
        decisions = self.shown_decisions()
        shown_actions = 0
        for d in decisions:
            opts.append(PlainOption(indented(dv.decision_row_text(s.world, self.catalog, d), bold_first=True), id=f"D:{d.id}"))
            if d.supersedes_decision_id:
                old = s.decision(d.supersedes_decision_id)
                opts.append(PlainOption(indented(f"  {d.supersedes_decision_id}を変更"
                                                 f"{'：' + old.text if old else ''}"), id=f"S:{d.id}"))
            for a in s.record.action_items:
                if a.decision_id == d.id:
                    shown_actions += 1
                    opts.append(PlainOption(indented(dv.action_row_text(s.world, a)), id=f"A:{a.id}"))
        if not self.SCOPED:
            decided = {d.id for d in s.record.decisions}
            for a in s.record.action_items:
                if not a.decision_id or a.decision_id not in decided:
                    shown_actions += 1
                    opts.append(PlainOption(indented(dv.action_row_text(s.world, a)), id=f"A:{a.id}"))
        where = "この議題" if self.SCOPED else "この会議"
        self.query_one("#decisions-title", Static).update(
            f"{where}の決定事項 {len(decisions)}件・取組 {shown_actions}件")
        self._fill(self.query_one("#decisions", OptionList), opts, "まだ決定事項はありません。F8で登録します。")

    def highlighted_decision(self) -> Optional[str]:
        ol = self.query_one("#decisions", OptionList)
        if ol.highlighted is None:
            return None
        oid = ol.get_option_at_index(ol.highlighted).id or ""
        if oid.startswith(("D:", "S:")):
            return oid[2:]
        if oid.startswith("A:"):
            a = next((x for x in self.session.record.action_items if x.id == oid[2:]), None)
            return a.decision_id if a else None
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if oid.startswith("D:"):
            self.action_form(oid[2:])

    # decisions ----------------------------------------------------------

    def action_add_decision(self) -> None:
        def chosen(code: Optional[str]) -> None:
            if code:
                self.decision_form(code)

        self.app.push_screen(ChoiceDialog("決定の種類", dv.decision_type_choices(self.catalog)), chosen)

    def decision_form(self, dtype: str) -> None:
        s = self.session
        entry = self.catalog.entry("decision_types", dtype)
        held_on = s.meeting.held_on
        findings = [(f.id, f"{f.id} {f.description}") for f in s.findings_now()]
        with_admin = "YES" if getattr(entry, "with_administration", True) else "NO"
        fields = [
            Field("text", "決定の内容", required=True),
            Field("findings", "対応する課題", kind="multi", choices=findings),
            Field("network", "対象ネットワーク", kind="choice", choices=dv.network_choices(s.world, s.council),
                  value=dv.NONE_CODE),
            Field("target_text", "対象（自由記入）", placeholder="例: 北台団地の見守り"),
            Field("leader", "働きかける相手", kind="choice",
                  choices=dv.leader_choices(s.world, self.catalog, s.council.id, dtype, held_on),
                  value=dv.NONE_CODE),
            Field("admin", "行政と協力", kind="choice", choices=[("YES", "はい"), ("NO", "いいえ")],
                  value=with_admin),
            Field("tier", "担当層", kind="choice",
                  choices=[("AUTO", "対象ネットワークから（なければ協議体の層）"), ("1", "第1層"), ("2", "第2層")],
                  value="AUTO"),
            Field("review_on", "見直し予定日", kind="date", value=dv.default_review_date(held_on)),
            Field("supersedes", "変更する決定", kind="choice",
                  choices=dv.supersede_choices(s.world, s.earlier_decisions()), value=dv.NONE_CODE),
        ]
        note = getattr(entry, "approach", "") or ""
        if dtype == "FORM_NEW":
            note += f"\n留意G4：{rule_text('G4')[1]}"
            fields.append(Field("parallel", "個別ネットワーク形成の仕組みづくりも並行して進めるか（G4）",
                                kind="choice", required=True, value="NO",
                                choices=[("YES", "はい（並行して進める）"), ("NO", "いいえ・まだ決めていない")]))
        if dtype == "CREATE_SERVICE":
            note += f"\n留意G5：{rule_text('G5')[1]}"
        note += "\n見直し予定日は形骸化していないかを確かめる日です（G6）。"
        note += "\n前に決めたことを変える・置き換えるときは「変更する決定」で元の決定を選びます。"
        item_id = self.item.id

        def op(v: dict):
            tier = None if v["tier"] in (None, "AUTO") else int(v["tier"])
            return s.add_decision(dtype, v["text"], finding_ids=v["findings"] or [],
                                  target_network_id=_none(v["network"]), target_text=v["target_text"],
                                  persuade_leader_id=_none(v["leader"]), with_administration=v["admin"] != "NO",
                                  responsible_tier=tier, review_on=v["review_on"], item_id=item_id,
                                  supersedes_decision_id=_none(v["supersedes"]),
                                  parallel_individual_mechanism=v.get("parallel") == "YES")

        title = f"決定を登録（{self.label('decision_types', dtype)}）"
        self.app.push_screen(FormDialog(title, fields, self.submitter(op), note=note.strip()),
                             self._after_decision)

    def _after_decision(self, values: Optional[dict]) -> None:
        if values is None:
            return
        ol = self.query_one("#decisions", OptionList)
        last = self.session.record.decisions[-1].id if self.session.record.decisions else None
        for i in range(ol.option_count):
            if ol.get_option_at_index(i).id == f"D:{last}":
                ol.highlighted = i
        ol.focus()

    # action items ---------------------------------------------------------

    def action_add_action(self) -> None:
        did = self.highlighted_decision()
        shown = self.shown_decisions()
        if did is None and shown:
            did = shown[-1].id
        self.action_form(did)

    def action_form(self, decision_id: Optional[str]) -> None:
        s = self.session
        on = s.meeting.held_on
        fields = [
            Field("title", "取組の内容", required=True),
            Field("persons", "担当（人）", kind="multi", choices=dv.person_choices(s.world, s.council.id, on)),
            Field("orgs", "担当（団体）", kind="multi", choices=dv.org_choices(s.world, s.council, on)),
            Field("owner_text", "担当（自由記入）", placeholder="例: 民生委員の皆さん"),
            Field("due", "期限", kind="date"),
        ]
        d = next((x for x in s.record.decisions if x.id == decision_id), None)
        if d:
            from kyogitai_tui.domain.world.numbering import decision_order

            no = [x.id for x in decision_order(s.record)].index(d.id) + 1   # as the minutes number it
            note = f"決定事項No.{no}：{d.text}"
        else:
            note = "決定事項にひもづかない取組として登録します。"
        replaced = s.open_actions_of_decision(d.supersedes_decision_id) if d and d.supersedes_decision_id else []
        if replaced:
            fields.append(Field("takes_over", "引き継ぐ取組", kind="multi",
                                choices=[(aid, f"{aid} {s.action_item(aid).title}") for aid in replaced],
                                value=list(replaced)))
            note += (f"\nこの決定は {d.supersedes_decision_id} を変更します。選んだ元の取組は、"
                     "この会議でこの取組に引き継ぎ（変更）として記録されます。")

        def op(v: dict):
            changes = s.add_action(v["title"], decision_id=decision_id, owner_person_ids=v["persons"] or [],
                                   owner_org_ids=v["orgs"] or [], owner_text=v["owner_text"], due_date=v["due"])
            new_id = s.record.action_items[-1].id
            for old in v.get("takes_over") or []:
                changes += s.supersede_action(old, new_id)
            return changes

        self.app.push_screen(FormDialog("取組を追加", fields, self.submitter(op), note=note))


class ItemWorkspace(DecisionWorkspace):
    """Any agenda item without a workspace of its own (custom items such as
    「(1) ニーズ調査について」, 次回開催): statements (F2), and the decisions,
    actions and findings made under this item."""

    DEFAULT_CSS = _CSS.format(cls="ItemWorkspace")
    SCOPED = True
    BINDINGS = [
        Binding("f8", "add_decision", "決定を登録", id="item.add_decision",
                tooltip="この議題の決定事項を登録します（前の決定の変更も記録できます）"),
        Binding("f12", "add_action", "取組を追加", id="item.add_action",
                tooltip="選んでいる決定事項に取組（担当・期限）を追加します"),
        Binding("ctrl+g", "add_finding", "課題を入力", id="item.add_finding",
                tooltip="この議題で出た課題（住民の声・調査の結果など）を登録します"),
    ]

    def compose(self) -> ComposeResult:
        yield PlainStatic(self.item.title, classes="ws-title")
        yield PlainStatic("F2 発言。F6 でここへ移り、F8 決定を登録・F12 取組を追加・ctrl+g 課題を入力。",
                          classes="hint")
        yield PlainStatic("", id="ws-prompts", classes="ws-prompt")
        yield PlainStatic("この議題の決定事項と取組", classes="ws-section", id="decisions-title")
        yield OptionList(id="decisions")
        yield PlainStatic("この議題の課題", classes="ws-section", id="item-findings-title")
        yield OptionList(id="item-findings")

    def refresh_view(self) -> None:
        super().refresh_view()
        if not self.ready():
            return
        s = self.session
        g5 = rule_text("G5")[1]
        mine = [f for f in s.record.gap_findings if f.agenda_item_id == self.item.id]
        fopts = [PlainOption(indented(dv.finding_row_text(self.catalog, f, g5), bold_first=True), id=f"F:{f.id}")
                 for f in mine]
        self._fill(self.query_one("#item-findings", OptionList), fopts, "課題はありません。ctrl+g で入力できます。")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ""
        if oid.startswith("F:"):
            event.stop()
            GapWorkspace.edit_finding(self, oid[2:])   # type: ignore[arg-type]
            return
        super().on_option_list_option_selected(event)

    def action_add_finding(self) -> None:
        GapWorkspace.action_add_finding(self)   # type: ignore[arg-type]

    def _show_new_finding(self, values) -> None:
        if values is not None and self.ready():
            self.refresh_view()
