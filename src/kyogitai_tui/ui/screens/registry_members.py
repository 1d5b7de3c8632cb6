"""F4 on a council, a provider network or an individual network: its members.

The rows come from ``registry_members.members``; adding, editing, removing and
the leader all build the whole new member list and hand it to
``registry_members.set_members`` (a removed member's term is ended, never
deleted, so old minutes still name them).
"""
from __future__ import annotations

from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable
from kyogitai_tui.domain.registry import edit as registry_edit
from kyogitai_tui.domain.registry import members as registry_members
from kyogitai_tui.domain.registry import specs as registry_specs
from kyogitai_tui.ui.screens.registry_form import apply, busy
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, Field, FormDialog
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter

COLUMNS = {
    "councils": ("構成員", "役割", "定足数"),
    "provider_networks": ("構成団体（人）", "リーダー"),
    "individual_networks": ("メンバー", "種類", "支援の内容"),
}
WHAT = {"councils": "協議体", "provider_networks": "事業者間ネットワーク",
        "individual_networks": "個別ネットワーク"}
NONE = ("", "（なし）")


class MembersScreen(Screen):
    BINDINGS = [
        Binding("f2", "add", "追加", id="members.add", tooltip="メンバーを追加します"),
        Binding("enter", "edit", "変更", id="members.edit", tooltip="選んだメンバーの役割などを変えます"),
        Binding("f8", "remove", "外す", id="members.remove",
                tooltip="選んだメンバーを外します（過去の記録には残ります）"),
        Binding("f4", "leader", "リーダーにする", id="members.leader",
                tooltip="選んだメンバーをネットワークのリーダーにします"),
        Binding("escape", "back", "戻る", id="members.back", tooltip="一覧に戻ります"),
    ]
    DEFAULT_CSS = """
    MembersScreen #members { height: 1fr; }
    """

    def __init__(self, kind: str, record_id: str, name: str) -> None:
        super().__init__()
        self.kind = kind
        self.record_id = record_id
        self.name_text = name
        self._rows: list = []

    def compose(self) -> ComposeResult:
        yield PlainStatic(f"{WHAT[self.kind]}のメンバー: {self.name_text}", classes="title-bar")
        yield PlainTable(id="members", cursor_type="row", zebra_stripes=True)
        yield PlainStatic("", id="status", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#members", DataTable)
        table.add_columns(*COLUMNS[self.kind])
        self.refresh_view()
        table.focus()

    def check_action(self, action: str, parameters: tuple) -> Optional[bool]:
        if action == "leader":
            return self.kind == "provider_networks"
        return True

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        """The World was rebuilt after a change, or read again from disk."""
        self.refresh_view()

    def refresh_view(self) -> None:
        world = self.app.world
        if world is None:
            return
        self._rows = registry_members.members(world, self.kind, self.record_id, on=self.app.today)
        table = self.query_one("#members", DataTable)
        row = table.cursor_row
        table.clear()
        for m in self._rows:
            cells = list(m.cells) + [""] * len(COLUMNS[self.kind])
            table.add_row(*cells[:len(COLUMNS[self.kind])], key=m.id)
        if row is not None and self._rows:
            table.move_cursor(row=min(row, len(self._rows) - 1))
        keys = "F2 追加、Enter 変更、F8 外す" + ("、F4 リーダーにする" if self.kind == "provider_networks" else "")
        self.query_one("#status", Static).update(
            f"{len(self._rows)}件。{keys}。" if self._rows else f"メンバーはまだいません。{keys}。")

    def current(self):
        table = self.query_one("#members", DataTable)
        if not self._rows or table.cursor_row is None or table.cursor_row >= len(self._rows):
            return None
        return self._rows[table.cursor_row]

    # -- member values ---------------------------------------------------

    def _values(self, m) -> dict:
        """A MemberRow as set_members takes it back."""
        if self.kind == "councils":
            return {"person_id": m.person_id, "org_id": m.org_id, "role": m.role}
        if self.kind == "provider_networks":
            pid = m.person_id
            if m.leader and not pid:
                pid = self.app.world.provider_networks[self.record_id].leader_person_id
            return {"org_id": m.org_id, "person_id": pid, "leader": m.leader}
        service = m.cells[2] if len(m.cells) > 2 else ""
        return {"person_id": m.person_id, "org_id": m.org_id, "member_kind": m.role,
                "service_text": service}

    def _ref_choices(self, kind: str) -> list[tuple[str, str]]:
        spec = registry_specs.FieldSpec("ref", "", "ref", ref_kind=kind)
        return list(registry_specs.choices(self.app.world, self.app.catalog, spec))

    def _fields(self, v: dict) -> list[Field]:
        cat = self.app.catalog
        persons, orgs = self._ref_choices("persons"), self._ref_choices("organizations")
        if self.kind == "councils":
            return [Field("person_id", "構成員（人）", kind="choice", choices=persons,
                          value=v.get("person_id"), required=True),
                    Field("role", "役割", kind="choice", choices=list(cat.labels("council_roles").items()),
                          value=v.get("role") or "MEMBER", required=True)]
        if self.kind == "provider_networks":
            return [Field("org_id", "構成団体", kind="choice", choices=orgs, value=v.get("org_id")),
                    Field("person_id", "担当者（人）", kind="choice", choices=[NONE] + persons,
                          value=v.get("person_id") or ""),
                    Field("leader", "リーダー", kind="choice", choices=[("yes", "はい"), ("no", "いいえ")],
                          value="yes" if v.get("leader") else "no", required=True)]
        return [Field("person_id", "人", kind="choice", choices=[NONE] + persons, value=v.get("person_id") or ""),
                Field("org_id", "団体", kind="choice", choices=[NONE] + orgs, value=v.get("org_id") or ""),
                Field("member_kind", "種類", kind="choice",
                      choices=list(cat.labels("individual_member_kinds").items()),
                      value=v.get("member_kind"), required=True),
                Field("service_text", "支援の内容", value=v.get("service_text") or None,
                      placeholder="例: 週1回の買い物同行")]

    def _apply(self, new_list: list[dict], done_message: str):
        """None when saved, else the Japanese message."""
        app = self.app
        if busy(app):
            return busy(app)
        try:
            changes = registry_members.set_members(app.world, app.catalog, self.kind, self.record_id,
                                                new_list, app.today)
        except registry_edit.RegistryError as exc:
            return exc.message
        apply(app, changes)
        app.notify(done_message)
        return None

    def _form(self, title: str, v: dict, index: Optional[int]) -> None:
        def submit(form: dict):
            new = {**v, **{k: (val or None) for k, val in form.items()}}
            if "leader" in form:
                new["leader"] = form["leader"] == "yes"
            if "service_text" in form:
                new["service_text"] = form["service_text"] or ""
            current = [self._values(m) for m in self._rows]
            if new.get("leader"):
                for other in current:
                    other["leader"] = False
            if index is None:
                current.append(new)
            else:
                current[index] = new
            return self._apply(current, f"{self.name_text} のメンバーを保存しました。")
        self.app.push_screen(FormDialog(title, self._fields(v), submit,
                                        note="一覧にない人・団体は、先に「人」「団体」で登録してください。"))

    # -- actions -------------------------------------------------------------

    def action_add(self) -> None:
        self._form("メンバーを追加", {}, None)

    def action_edit(self) -> None:
        m = self.current()
        if m is not None:
            self._form(f"メンバーを変更: {m.name}", self._values(m), self._rows.index(m))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_remove(self) -> None:
        m = self.current()
        if m is None:
            return

        def chosen(code) -> None:
            if code == "remove":
                rest = [self._values(r) for r in self._rows if r is not m]
                problem = self._apply(rest, f"{m.name} を外しました。")
                if problem:
                    self.app.notify(problem, severity="error", timeout=8)
        self.app.push_screen(ChoiceDialog(f"{m.name} を外しますか（過去の記録には残ります）",
                                          [("remove", "外す"), ("cancel", "やめる")]), chosen)

    def action_leader(self) -> None:
        m = self.current()
        if m is None or self.kind != "provider_networks":
            return
        rows = [self._values(r) for r in self._rows]
        for i, v in enumerate(rows):
            v["leader"] = self._rows[i] is m
        if not rows[self._rows.index(m)].get("person_id"):
            self.app.notify("リーダーは人です。Enter で担当者（人）を選んでから、リーダーにしてください。",
                            severity="warning", timeout=8)
            return
        problem = self._apply(rows, f"{m.name} をリーダーにしました。")
        if problem:
            self.app.notify(problem, severity="error", timeout=8)

    def action_back(self) -> None:
        self.app.pop_screen()
