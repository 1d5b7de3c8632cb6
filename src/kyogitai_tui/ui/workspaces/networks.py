"""A03 個別ネットワーク and A04-A06 事業者間ネットワーク.

A03: each individual network of the council's area, the resident by
pseudonymous label only; Enter on a network edits its state, Enter on a need
(or F12) changes the need's status, F8 adds a need.  A04-A06: the provider
networks of the item's kind; Enter on a function rates it, Enter on a network
(or F8) changes its state.  The rows and the prompts come from
domain/report_view; this module only shows them and opens the forms.
"""
from __future__ import annotations

from typing import Optional

from textual.binding import Binding

from kyogitai_tui.domain.meeting.report_view import (
    Line, Row, changed_fields, individual_network_rows, kind_for_template, needs_now,
    network_functions, provider_network_rows,
)
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.domain.registry.edit import perceived_problems
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, Field, FormDialog
from kyogitai_tui.ui.workspaces.rows import YES_NO, RowsWorkspace, yes_no


def _network_of(key: Optional[str]) -> Optional[str]:
    """The network id of a row key (inet:IN-001, need:IN-001:NI-1, pnet:PN04, fn:PN04:X)."""
    if not key or ":" not in key:
        return None
    return key.split(":")[1]


class IndividualNetworksWorkspace(RowsWorkspace):
    BINDINGS = [
        Binding("f8", "primary", "必要な支援を追加", id="networks.a03.add_need",
                tooltip="選んでいる個別ネットワークに、新しく必要になった支援を追加します"),
        Binding("f12", "secondary", "支援の状況を変更", id="networks.a03.need_status",
                tooltip="必要な支援が充足・未充足・新規発生のどれかを記録します"),
    ]
    HINT = "Enter 変更 / F8 支援を追加"

    def rows(self) -> list[Row]:
        rows = individual_network_rows(self.session, self.catalog)
        return rows or [Row("none", (Line("この圏域の個別ネットワークはまだ登録されていません。", "dim"),))]

    def open_row(self, key: str) -> None:
        if key.startswith("inet:"):
            self.edit_network(_network_of(key))
        elif key.startswith("need:"):
            self.edit_need(key.split(":")[2])

    def action_primary(self) -> None:
        net_id = _network_of(self.current_key())
        if net_id is None:
            return
        self.app.push_screen(FormDialog(
            "必要な支援を追加",
            [Field("category", "支援の種類", kind="choice", choices=self.choices("service_categories"),
                   required=True),
             Field("status", "状況", kind="choice", choices=self.choices("need_statuses"), value="NEW",
                   required=True),
             Field("note", "メモ", placeholder="例: 坂道で買い物に行けなくなった")],
            self.submitter(lambda v: self.session.add_need(net_id, v["category"], v["status"], v["note"] or "")),
            note="本人が特定される書き方や病名などは書かないでください。"))

    def action_secondary(self) -> None:
        key = self.current_key()
        if key and key.startswith("need:"):
            self.edit_need(key.split(":")[2])
            return
        net_id = _network_of(key)
        if net_id is None:
            return
        needs = needs_now(self.session, net_id)
        if not needs:
            self.app.notify("この個別ネットワークには必要な支援が登録されていません。F8 で追加します。",
                            severity="warning")
            return
        choices = [(n.id, f"{self.label('service_categories', n.service_category)}: "
                          f"{self.label('need_statuses', n.status)}") for n in needs]

        def chosen(need_id) -> None:
            if need_id:
                self.edit_need(need_id)
        self.app.push_screen(ChoiceDialog("どの支援の状況を変えますか", choices), chosen)

    def edit_network(self, net_id: str) -> None:
        net = self.session.network_now("individual_networks", net_id)
        about = self.session.world.subject_label(net.subject_id)

        def op(v: dict):
            values = {"status": v["status"], "formation_mode": v["formation_mode"],
                      "gathered_once": v["gathered_once"] == "yes",
                      "route_to_tier3": v["route_to_tier3"] == "yes",
                      "route_contact": v["route_contact"] or "",
                      "sharing_methods": list(v["sharing_methods"] or [])}
            changes = changed_fields(net, values)
            if not changes and not v["note"]:
                return []
            return self.session.update_network("individual_networks", net_id, note=v["note"] or "", **changes)

        self.app.push_screen(FormDialog(
            f"{about} の個別ネットワーク",
            [Field("status", "状態", kind="choice", choices=self.choices("individual_statuses"),
                   value=net.status, required=True),
             Field("formation_mode", "形成の仕方", kind="choice", choices=self.choices("formation_modes"),
                   value=net.formation_mode),
             Field("gathered_once", "一堂に会した", kind="choice", choices=YES_NO,
                   value=yes_no(net.gathered_once), required=True),
             Field("sharing_methods", "情報共有の方法", kind="multi", choices=self.choices("sharing_methods"),
                   value=list(net.sharing_methods)),
             Field("route_to_tier3", "3層への連絡ルート", kind="choice", choices=YES_NO,
                   value=yes_no(net.route_to_tier3), required=True),
             Field("route_contact", "連絡先・経路", value=net.route_contact or None,
                   placeholder="例: みほん北地域包括支援センター"),
             Field("note", "メモ")],
            self.submitter(op),
            note="本人が特定される書き方や病名などは書かないでください。"))

    def edit_need(self, need_id: str) -> None:
        need = self.session.network_now("need_items", need_id)

        def op(v: dict):
            changes = changed_fields(need, {"status": v["status"],
                                            "provider_found": v["provider_found"] == "yes"})
            if not changes and not v["note"]:
                return []
            return self.session.update_network("need_items", need_id, note=v["note"] or "", **changes)

        self.app.push_screen(FormDialog(
            f"必要な支援: {self.label('service_categories', need.service_category)}",
            [Field("status", "状況", kind="choice", choices=self.choices("need_statuses"),
                   value=need.status, required=True),
             Field("provider_found", "担い手の見込み", kind="choice", choices=YES_NO,
                   value=yes_no(need.provider_found), required=True),
             Field("note", "メモ")],
            self.submitter(op)))


class ProviderNetworksWorkspace(RowsWorkspace):
    BINDINGS = [
        Binding("f8", "primary", "ネットワークの状況を変更", id="networks.provider.edit",
                tooltip="選んでいるネットワークの状態・最後の会合の日などを変更します"),
        Binding("f12", "secondary", "機能を評価", id="networks.provider.rate",
                tooltip="選んでいる機能が果たされているかを評価します（Enter と同じ）"),
    ]
    HINT = "Enter 評価・変更"

    @property
    def kind(self) -> str:
        return kind_for_template(self.catalog, self.item.template)

    def rows(self) -> list[Row]:
        rows = provider_network_rows(self.session, self.catalog, self.kind)
        return rows or [Row("none", (Line("この種類の事業者間ネットワークはまだ登録されていません。", "dim"),))]

    def open_row(self, key: str) -> None:
        if key.startswith("pnet:"):
            self.edit_network(_network_of(key))
        elif key.startswith("fn:"):
            _, net_id, code = key.split(":")
            self.rate(net_id, code)

    def action_primary(self) -> None:
        net_id = _network_of(self.current_key())
        if net_id:
            self.edit_network(net_id)

    def action_secondary(self) -> None:
        key = self.current_key()
        if key and key.startswith("fn:"):
            _, net_id, code = key.split(":")
            self.rate(net_id, code)
            return
        net_id = _network_of(key)
        if not net_id:
            return
        net = self.session.network_now("provider_networks", net_id)
        codes = network_functions(self.catalog, net, self.session.ratings_now(net_id))
        if not codes:
            codes = [f.code for f in self.catalog.network_functions if net.kind in f.applies_to]

        def chosen(code) -> None:
            if code:
                self.rate(net_id, code)
        self.app.push_screen(ChoiceDialog("どの機能を評価しますか",
                                          [(c, self.label("network_functions", c)) for c in codes]), chosen)

    def edit_network(self, net_id: str) -> None:
        net = self.session.network_now("provider_networks", net_id)
        fields = [
            Field("status", "状態", kind="choice", choices=self.choices("provider_network_statuses"),
                  value=net.status, required=True),
            Field("last_met_on", "最後の会合の日", kind="date", value=net.last_met_on),
            Field("has_individual_support_unit", "個別ネットワーク支援の枠", kind="choice", choices=YES_NO,
                  value=yes_no(net.has_individual_support_unit), required=True),
        ]
        if net.kind == "CHIEN_NPO":
            fields.append(Field("chien_npo_stage", "地縁組織とNPOの段階", kind="choice",
                                choices=self.choices("chien_npo_stages"), value=net.chien_npo_stage))
        # C4's evidence, as heard in the meeting: who said no network supports the area, and when
        fields += [
            Field("perceived_absent", "「頼れるネットワークがない」との声", kind="choice", choices=YES_NO,
                  value=yes_no(net.perceived_absent), required=True),
            Field("perceived_absent_by", "声を聞いた相手", kind="multi", choices=self.choices("evidence_sources"),
                  value=list(net.perceived_absent_by)),
            Field("perceived_absent_on", "声を聞いた日", kind="date",
                  value=net.perceived_absent_on or (self.session.meeting.held_on if not net.perceived_absent else None)),
        ]
        fields.append(Field("note", "メモ"))

        def op(v: dict):
            values = {"status": v["status"], "last_met_on": v["last_met_on"],
                      "has_individual_support_unit": v["has_individual_support_unit"] == "yes",
                      "perceived_absent": v["perceived_absent"] == "yes",
                      "perceived_absent_by": list(v["perceived_absent_by"] or []),
                      "perceived_absent_on": v["perceived_absent_on"] if v["perceived_absent"] == "yes" else None}
            if not values["perceived_absent"]:
                values["perceived_absent_by"] = []
            problems = perceived_problems(values)
            if problems:
                raise SessionError(" ".join(problems.values()))
            if "chien_npo_stage" in v:
                values["chien_npo_stage"] = v["chien_npo_stage"]
            changes = changed_fields(net, values)
            if not changes and not v["note"]:
                return []
            return self.session.update_network("provider_networks", net_id, note=v["note"] or "", **changes)

        self.app.push_screen(FormDialog(net.name, fields, self.submitter(op)))

    def rate(self, net_id: str, code: str) -> None:
        net = self.session.network_now("provider_networks", net_id)
        current = self.session.ratings_now(net_id).get(code)
        self.app.push_screen(FormDialog(
            f"{net.name}: {self.label('network_functions', code)}",
            [Field("rating", "評価", kind="choice", choices=self.choices("function_ratings"),
                   value=current.rating if current else None, required=True),
             Field("evidence", "根拠", value=current.evidence if current and current.evidence else None,
                   placeholder="例: 幹事会で個別の支援状況を共有している"),
             Field("cause", "果たせていない原因", kind="choice", choices=self.choices("failure_causes"),
                   value=current.cause if current else None)],
            self.submitter(lambda v: self.session.rate_function(
                net_id, code, v["rating"], evidence=v["evidence"] or "", cause=v["cause"])),
            note="「一部」「果たしていない」のときは原因も選びます。"))
