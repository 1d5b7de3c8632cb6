"""年度報告: choose a council (or 全協議体) and a 年度, read the sections on
screen, and write the Word and CSV files (F4, in a worker thread) to the
export folder.  The figures and the redaction of residents come from
domain/annual_report.py; the files from minutes/annual_docx.py."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from kyogitai_tui.domain.reports.annual import AnnualReport, build_annual_report, report_years
from kyogitai_tui.domain.dates import fiscal_year, fiscal_year_label
from kyogitai_tui.ui.screens.minutes_offer import ExportFinished, export_dir_of
from kyogitai_tui.ui.widgets.forms import ChoiceDialog
from kyogitai_tui.ui.widgets.plain import PlainStatic
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter

ALL = ""   # the council choice meaning every council


def section_renderable(section) -> Group:
    parts = [Text(section.title, style="bold")]
    if section.summary:
        parts.append(Text(section.summary))
    if section.rows:
        table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold")
        for c in section.columns:
            table.add_column(c, overflow="fold")
        for row in section.rows:
            table.add_row(*(Text(c) for c in row))   # names as typed, never markup
        parts.append(table)
    else:
        parts.append(Text(section.empty))
    parts.append(Text(""))
    return Group(*parts)


class AnnualReportScreen(Screen):
    BINDINGS = [
        Binding("f2", "choose_council", "協議体", id="annual.council",
                tooltip="報告する協議体（または全協議体）を選びます"),
        Binding("f3", "choose_year", "年度", id="annual.year", tooltip="報告する年度を選びます"),
        Binding("f4", "export", "Word・CSV 書き出し", id="annual.export",
                tooltip="年度報告を Word と CSV で文書フォルダに書き出します（住民は載りません）"),
        Binding("escape", "back", "戻る", id="annual.back", tooltip="協議体の一覧に戻ります"),
    ]

    DEFAULT_CSS = """
    AnnualReportScreen #annual-body { height: 1fr; padding: 0 1; }
    AnnualReportScreen #annual-export { height: auto; }
    AnnualReportScreen .failed { background: $error 30%; }
    """

    def __init__(self, council_id: str = ALL, year: Optional[int] = None) -> None:
        super().__init__()
        self.council_id = council_id
        self.year = year
        self.report: Optional[AnnualReport] = None
        self.last_export_paths: list[Path] = []

    def compose(self) -> ComposeResult:
        yield PlainStatic("年度報告", id="annual-title", classes="title-bar")
        yield PlainStatic("", id="annual-info", classes="hint")
        with VerticalScroll(id="annual-body"):
            yield PlainStatic("", id="annual-sections")
        yield PlainStatic("", id="annual-export", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.year is None:
            self.year = fiscal_year(self.app.today)
        self.refresh_report()
        self.query_one("#annual-body").focus()

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        self.refresh_report()

    def refresh_report(self) -> None:
        world = self.app.world
        if world is None:
            return
        if self.council_id and self.council_id not in world.councils:
            self.council_id = ALL
        self.report = build_annual_report(world, self.year, self.council_id or None, catalog=self.app.catalog,
                                          today=self.app.today)
        self.query_one("#annual-title", Static).update(f"年度報告  {self.report.title}")
        self.query_one("#annual-info", Static).update(
            f"協議体: {self.report.scope_name}　年度: {fiscal_year_label(self.year)}。"
            "F2 協議体、F3 年度を選ぶ。F4 で Word と CSV に書き出し（住民は載りません）。上下で読み進めます。")
        self.query_one("#annual-sections", Static).update(
            Group(*[section_renderable(s) for s in self.report.sections]))
        self.query_one("#annual-export", Static).update(f"書き出し先：{export_dir_of(self.app)}")

    # choices ------------------------------------------------------------

    def action_choose_council(self) -> None:
        world = self.app.world
        if world is None:
            return
        choices = [(ALL, "全協議体")] + [(c.id, c.name) for c in world.councils.values()]

        def chosen(code: Optional[str]) -> None:
            if code is not None:
                self.council_id = code
                self.refresh_report()

        self.app.push_screen(ChoiceDialog("報告する協議体", choices, selected=self.council_id), chosen)

    def action_choose_year(self) -> None:
        world = self.app.world
        if world is None:
            return
        years = report_years(world, self.app.today)
        choices = [(str(y), f"{fiscal_year_label(y)}（{y}年4月～{y + 1}年3月）") for y in years]

        def chosen(code: Optional[str]) -> None:
            if code:
                self.year = int(code)
                self.refresh_report()

        self.app.push_screen(ChoiceDialog("報告する年度", choices, selected=str(self.year)), chosen)

    # export -------------------------------------------------------------

    def show_export(self, text: str, error: bool = False) -> None:
        box = self.query_one("#annual-export", Static)
        box.set_class(error, "failed")
        box.update(text)

    def action_export(self, force: bool = False) -> None:
        world = self.app.world
        if world is None:
            return
        folder = export_dir_of(self.app)
        self.show_export(f"{folder} に書き出しています。")
        self.export_report(world, self.year, self.council_id or None, folder, force)

    @work(thread=True, group="annual-export", exclusive=True)
    def export_report(self, world, year: int, council: Optional[str], folder: Path, force: bool) -> None:
        """Write the Word and CSV files (disk work: off the UI thread)."""
        from kyogitai_tui.minutes.annual_docx import export_annual
        from kyogitai_tui.store.exports import ExportError, ensure_export_dir

        app = self.app
        try:
            ensure_export_dir(folder)
            paths = [export_annual(world, year, council, fmt, folder, force=force, today=app.today,
                                   catalog=app.catalog, data_root=app.store.root) for fmt in ("docx", "csv")]
        except ExportError as exc:
            finished = ExportFinished("annual", error=exc.message, reason=exc.reason)
        except OSError as exc:
            finished = ExportFinished("annual", error=f"{folder} に書き出せませんでした（{exc.strerror or exc}）。")
        else:
            finished = ExportFinished("annual", paths)
        if not get_current_worker().is_cancelled:
            self.post_message(finished)

    @on(ExportFinished)
    def export_finished(self, message: ExportFinished) -> None:
        if message.error:
            self._export_failed(message.error, message.reason)
        else:
            self._export_done(message.paths)

    def _export_done(self, paths: list[Path]) -> None:
        self.last_export_paths = list(paths)
        message = "\n".join(f"{p} に書き出しました" for p in paths)
        self.show_export(message)
        self.app.notify(message, timeout=10)

    def _export_failed(self, message: str, reason: str) -> None:
        if reason == "EXISTS":
            def chosen(code: Optional[str]) -> None:
                if code == "OVERWRITE":
                    self.action_export(force=True)
                else:
                    self.show_export("書き出しをやめました（前のファイルはそのままです）。")

            self.show_export(message.replace("上書きしてよい場合は --force を付けてください。", ""), error=True)
            self.app.push_screen(ChoiceDialog("同じ名前の年度報告がすでにあります。上書きしますか。",
                                              [("OVERWRITE", "上書きする"), ("KEEP", "やめる")]), chosen)
            return
        self.show_export(message, error=True)
        self.app.notify(message, severity="error", timeout=10)

    def action_back(self) -> None:
        self.app.pop_screen()
