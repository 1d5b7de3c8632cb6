"""A07-A10 他制度との連携: one linked system per item.

Shows the system's key functions, the SC's and the partner's role, the
partners, the council's linkage status and notes, and the consent gate for
any resident whose information would be shared (by pseudonymous label only).
Enter or F8 records the status, notes and partners.  The rows come from
domain/linkage_view.
"""
from __future__ import annotations

from textual.binding import Binding

from kyogitai_tui.domain.meeting.linkage_view import (
    RATED_SYSTEMS, key_function_trend, linkage_rows, partner_choices, system_for_template,
)
from kyogitai_tui.domain.meeting.report_view import Row
from kyogitai_tui.ui.widgets.forms import Field, FormDialog
from kyogitai_tui.ui.workspaces.rows import RowsWorkspace


class LinkageWorkspace(RowsWorkspace):
    BINDINGS = [
        Binding("f8", "primary", "連携の状況を変更", id="linkage.edit",
                tooltip="連携の状況（未接触・情報交換・定例参加・協働事業）、メモ、連携先を記録します"),
        Binding("f12", "secondary", "拠点の機能を評価", id="linkage.rate",
                tooltip="地域生活支援拠点等の5つの機能を、この会議で評価して記録します（障がいの議題）"),
    ]
    HINT = "Enter 状況を記録"

    @property
    def system(self) -> str:
        return system_for_template(self.catalog, self.item.template)

    def rows(self) -> list[Row]:
        return linkage_rows(self.session, self.catalog, self.system)

    def open_row(self, key: str) -> None:
        if key.endswith(":functions") and self.system in RATED_SYSTEMS:
            self.action_secondary()
        else:
            self.action_primary()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "secondary":
            return self.system in RATED_SYSTEMS
        return True

    def action_secondary(self) -> None:
        code = self.system
        if code not in RATED_SYSTEMS:
            return
        s = self.session
        entry = self.catalog.entry("linked_systems", code)
        here = s.linkage_now().get(code)
        mine = here.function_ratings if here is not None and here.meeting_id == s.meeting_id else {}
        trend = key_function_trend(s.world, s.meeting.council_id, code, upto_meeting_id=s.meeting_id)
        last = trend[-1][1] if trend else {}
        fields = [Field(f"f{i}", f, kind="choice", choices=self.choices("function_ratings"),
                        value=mine.get(f) or last.get(f))
                  for i, f in enumerate(entry.key_functions)]
        when = f"前回の評価（{trend[-1][0].month}/{trend[-1][0].day}）を初めに入れています。" if trend else ""

        def op(v: dict):
            return s.rate_key_functions(code, {f: v[f"f{i}"] for i, f in enumerate(entry.key_functions)})

        self.app.push_screen(FormDialog(entry.key_functions_label or "機能の評価", fields, self.submitter(op),
                                        note=("この会議での評価として記録し、会議録に載せます。次の会議では推移を表示します。"
                                              + when)))

    def action_primary(self) -> None:
        code = self.system
        current = self.session.linkage_now().get(code)
        partners = list(current.partner_org_ids) if current else []
        self.app.push_screen(FormDialog(
            self.label("linked_systems", code),
            [Field("status", "連携の状況", kind="choice", choices=self.choices("linkage_statuses"),
                   value=current.status if current else "NO_CONTACT", required=True),
             Field("notes", "メモ", value=current.notes if current and current.notes else None,
                   placeholder="例: 拠点の相談員と情報交換を始めた"),
             Field("partners", "連携先", kind="multi",
                   choices=partner_choices(self.session.world, self.catalog, code, partners),
                   value=partners)],
            self.submitter(lambda v: self.session.set_linkage(
                code, status=v["status"], notes=v["notes"] or "", partner_org_ids=list(v["partners"] or []))),
            note="個人の情報は、同意が取れている場合だけ連携先と共有します。"))
