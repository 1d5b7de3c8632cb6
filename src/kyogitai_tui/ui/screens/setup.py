"""はじめの設定: from an empty data folder to the home screen.

Opened by the home screen when the folder holds no council yet
(``domain.registry.setup.setup_needed``: an empty folder, or a set-up left
half-way).  Every record made here is
an ordinary register record, editable later in F7 登録データ.  The steps and their rules are in domain/registry/setup.py;
this screen lists them with what is there now, and Enter on a step opens
its form (the register's own form for 市町村・圏域・協議体).  Each save is
applied at once (``app.apply_changes``), so quitting half-way keeps what
was entered and the set-up opens again where it stopped.
"""
from __future__ import annotations

from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static

from kyogitai_tui.domain.registry import setup as setup_steps
from kyogitai_tui.domain.registry.base import RegistryError
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.screens.registry_form import apply, busy, open_form
from kyogitai_tui.ui.widgets.forms import Field, FormDialog
from kyogitai_tui.ui.widgets.plain import PlainOption, PlainStatic
from kyogitai_tui.ui.widgets.footer import KeyFooter

_NOTES = {
    "municipality": "市町村名と、第1層と第2層が同じか（圏域を分けない小さな町村）を入れます。",
    "areas": "日常生活圏域を登録します。第1層と第2層が同じときは「市町村全域」を1つ。",
    "councils": "協議体を登録します。1つの協議体が第1層と第2層を兼ねるときは層で「第1層・第2層」を選びます。",
    "secretariat": "事務局の部署名（例: 障害福祉課）。担当者の氏名がなくても、部署名で出席者に載ります。",
    "members": "構成員を1人ずつ追加します（氏名・所属・役割）。所属の団体はなければ登録します。",
}


class SetupScreen(Screen):
    BINDINGS = [
        Binding("f9", "finish", "完了してホームへ", id="setup.finish",
                tooltip="設定を終えて協議体の一覧（ホーム）へ進みます。あとから F7 で直せます"),
        Binding("f4", "add_member", "構成員を追加", id="setup.member_add",
                tooltip="構成員を1人追加します"),
        Binding("f7", "registry", "登録データ", id="setup.registry",
                tooltip="登録データ（圏域・協議体・団体…、CSV の取り込み）を開きます。Esc でこの設定に戻ります"),
    ]
    DEFAULT_CSS = """
    SetupScreen #steps { height: 1fr; }
    SetupScreen #step-note { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield PlainStatic("kyogitai  はじめの設定", classes="title-bar")
        yield PlainStatic("データがまだありません。市町村・圏域・協議体・事務局・構成員の順に登録します。"
                          "上下キーで手順を選び Enter。どの手順も保存はすぐ行われ、あとから F7 登録データで直せます。",
                          id="intro", classes="hint")
        yield OptionList(id="steps")
        yield PlainStatic("", id="step-note", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_steps()
        self.query_one("#steps", OptionList).focus()

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        self.refresh_steps()

    def refresh_steps(self) -> None:
        world = self.app.world
        if world is None:
            return
        ol = self.query_one("#steps", OptionList)
        steps = setup_steps.steps(world)
        todo = next((i for i, st in enumerate(steps) if not st.done and st.ready), None)
        options = []
        for n, st in enumerate(steps, start=1):
            mark = "済" if st.done else ("次" if n - 1 == todo else "  ")
            wait = "" if st.ready else "（前の手順のあとで）"
            options.append(PlainOption(f"{mark} {n}. {st.title}: {st.state}{wait}", id=st.code))
        ol.set_options(options)
        ol.highlighted = todo if todo is not None else 0
        self.show_note()

    @on(OptionList.OptionHighlighted, "#steps")
    def show_note(self, event: Optional[OptionList.OptionHighlighted] = None) -> None:
        ol = self.query_one("#steps", OptionList)
        code = None
        if ol.highlighted is not None and ol.option_count:
            code = ol.get_option_at_index(ol.highlighted).id
        done = self.app.world is not None and all(st.done for st in setup_steps.steps(self.app.world))
        tail = "すべて済みました。F9 でホームへ進みます。" if done else "F9 で設定を終えてホームへ（あとで続けられます）。"
        self.query_one("#step-note", Static).update(f"{_NOTES.get(code or '', '')}\n{tail}")

    @on(OptionList.OptionSelected, "#steps")
    def step_chosen(self, event: OptionList.OptionSelected) -> None:
        self.run_step(event.option.id or "")

    # ------------------------------------------------------------------

    def run_step(self, code: str) -> None:
        world = self.app.world
        if world is None:
            return
        step = next((s for s in setup_steps.steps(world) if s.code == code), None)
        if step is None:
            return
        if not step.ready:
            self.app.notify("前の手順を先に済ませてください。", severity="warning")
            return
        if code == "municipality":
            m = world.municipality
            open_form(self.app, "municipality", m.id if m else None, note=_NOTES[code])
        elif code == "areas":
            open_form(self.app, "areas", None, initial=setup_steps.area_defaults(world), note=_NOTES[code])
        elif code == "councils":
            open_form(self.app, "councils", None, initial=setup_steps.council_defaults(world),
                      note=_NOTES[code])
        elif code == "secretariat":
            self.secretariat_form()
        elif code == "members":
            self.action_add_member()

    def _council_field(self) -> list[Field]:
        world = self.app.world
        councils = [(cid, c.name) for cid, c in world.councils.items() if c.retired_on is None]
        return [Field("council", "協議体", kind="choice", choices=councils,
                      value=councils[0][0] if councils else None, required=True)]

    def _submit(self, make):
        def submit(values: dict):
            app = self.app
            if busy(app):
                return busy(app)
            try:
                changes = make(values)
            except RegistryError as exc:
                return exc.message
            apply(app, changes)
            return None
        return submit

    def secretariat_form(self) -> None:
        app = self.app
        council = next(iter(app.world.councils.values()), None)
        current = setup_steps.secretariat_names(app.world, council) if council else []
        fields = self._council_field() + [
            Field("department", "事務局の部署名", value=current[0] if current else None,
                  required=True, placeholder="例: 障害福祉課")]
        app.push_screen(FormDialog("事務局（部署）", fields, self._submit(
            lambda v: setup_steps.set_secretariat(app.world, app.catalog, v["council"], v["department"])),
            note=_NOTES["secretariat"]))

    def action_add_member(self) -> None:
        app = self.app
        if app.world is None or not app.world.councils:
            app.notify("先に協議体を登録してください。", severity="warning")
            return
        roles = [(c, lab) for c, lab in app.catalog.labels("council_roles").items()]
        fields = self._council_field() + [
            Field("name", "氏名", required=True, placeholder="例: 山田 花子"),
            Field("org", "所属（団体名）", placeholder="例: 〇〇地区社協"),
            Field("role", "役割", kind="choice", choices=roles, value="MEMBER", required=True),
        ]
        app.push_screen(FormDialog("構成員を追加", fields, self._submit(
            lambda v: setup_steps.add_member(app.world, app.catalog, v["council"], v["name"], v["org"] or "",
                                             v["role"] or "MEMBER", app.today)),
            note=_NOTES["members"]))

    def action_registry(self) -> None:
        """F7: the whole register (and its CSV import) during the set-up; Esc comes back here."""
        from kyogitai_tui.ui.screens.registry import RegistryScreen

        self.app.push_screen(RegistryScreen())

    def action_finish(self) -> None:
        world = self.app.world
        if world is None or world.municipality is None or not world.councils:
            self.app.notify("市町村と協議体を登録すると、ホームに進めます。", severity="warning")
            return
        self.app.pop_screen()
        self.app.notify("はじめの設定を終えました。協議体を選んで Enter、F2 で新しい会議を作ります。")
