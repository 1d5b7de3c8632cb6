"""F7 on the organisations, persons or provider networks list: CSV.

Import: the coordinator types (or pastes) the file's path; Enter / F3 shows
the preview from ``registry_csv.preview``: how many rows would be added or
updated and EVERY bad row with its line number and reason.  ctrl+s applies,
only when there is no bad row, all rows in one write (all-or-nothing); the
file is read and checked again at that moment.  Export: F6 writes the list,
F7 an empty template, into the export folder (Documents/kyogitai); the path
is shown.  Files are written in a thread worker by the one export writer
(``store.exports``: atomic, 0600, never over an existing file).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.worker import get_current_worker


from kyogitai_tui.domain.registry import csv_io as registry_csv
from kyogitai_tui.domain.registry import specs as registry_specs
from kyogitai_tui.ui.screens.registry_form import apply, busy
from kyogitai_tui.ui.widgets.plain import PlainOption, PlainStatic
from kyogitai_tui.ui.widgets.footer import KeyFooter


def unique_path(folder: Path, stem: str) -> Path:
    """folder/stem.csv, or stem_2.csv ... when it exists (never overwrite)."""
    path = folder / f"{stem}.csv"
    n = 2
    while os.path.lexists(path):
        path = folder / f"{stem}_{n}.csv"
        n += 1
    return path


def write_new_file(folder: Path, stem: str, data: bytes, data_root: Optional[Path] = None) -> Path:
    """``data`` in a new file folder/stem[_n].csv through the one export writer
    (atomic, 0600, never over an existing file, never inside the data folder)."""
    from kyogitai_tui.store.exports import ExportError, ensure_export_dir, write_export

    ensure_export_dir(folder)
    for _ in range(100):
        try:
            return write_export(unique_path(folder, stem), data, data_root=data_root)
        except ExportError as exc:
            if exc.reason != "EXISTS":      # taken meanwhile: try the next name
                raise
    raise ExportError(f"{folder} に空いているファイル名が見つかりません。古いファイルを整理してください。", "EXISTS")



class CsvWritten(Message):
    """The CSV export worker ended: the file written, or the Japanese ``error``."""

    def __init__(self, path: Optional[Path], error: str, what: str) -> None:
        super().__init__()
        self.path = path
        self.error = error
        self.what = what

class CsvScreen(Screen):
    BINDINGS = [
        Binding("f3", "preview", "確認", id="csv.preview",
                tooltip="ファイルを読み、取り込む内容と問題のある行を表示します（まだ保存しません）"),
        Binding("ctrl+s", "apply", "取り込む", id="csv.apply",
                tooltip="確認して問題がなければ、すべての行をまとめて取り込みます"),
        Binding("f6", "export", "一覧を書き出す", id="csv.export",
                tooltip="今の一覧を CSV（Excel で開けます）に書き出します"),
        Binding("f7", "template", "ひな形", id="csv.template",
                tooltip="見出しだけの CSV を書き出します。Excel で行を足して取り込みます"),
        Binding("escape", "back", "戻る", id="csv.back", tooltip="一覧に戻ります"),
    ]
    DEFAULT_CSS = """
    CsvScreen #path { margin: 0 1; }
    CsvScreen #preview { height: 1fr; background: $surface; }
    CsvScreen #summary { height: auto; padding: 0 1; }
    CsvScreen #summary.bad { color: $error; text-style: bold; }
    CsvScreen #summary.good { color: $success; text-style: bold; }
    """

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.title_text = registry_specs.KINDS.get(kind, kind)
        self._checked: Optional[str] = None       # the path whose preview is shown

    def compose(self) -> ComposeResult:
        yield PlainStatic(f"CSV の取り込み・書き出し: {self.title_text}", classes="title-bar")
        yield PlainStatic("取り込むファイルの場所を入れて Enter（F3）で確認、問題がなければ ctrl+s で取り込みます。"
                     "F6 一覧を書き出す、F7 ひな形。", classes="hint")
        yield Input(placeholder="例: C:\\Users\\me\\Documents\\団体.csv", id="path", compact=True)
        yield PlainStatic("", id="summary")
        yield OptionList(id="preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    # -- the file ----------------------------------------------------------

    def path_text(self) -> str:
        return self.query_one("#path", Input).value.strip().strip('"').strip("'")

    def resolve(self, text: str) -> Path:
        """~ expanded; a bare name is also looked for in the export folder
        (where the template was written)."""
        path = Path(text).expanduser()
        if not path.is_absolute() and not path.exists():
            other = Path(self.app.export_dir) / path
            if other.exists():
                return other
        return path

    def _summary(self, text: str, style: str = "") -> None:
        w = self.query_one("#summary", Static)
        w.set_class(style == "bad", "bad")
        w.set_class(style == "good", "good")
        w.update(text)

    def _check(self):
        """(preview or None, message); shows the result on screen."""
        ol = self.query_one("#preview", OptionList)
        ol.clear_options()
        self._checked = None
        text = self.path_text()
        if not text:
            self._summary("取り込むファイルの場所を入力してください。", "bad")
            return None
        path = self.resolve(text)
        app = self.app
        try:
            data = registry_csv.read_csv(path)
        except registry_csv.CsvError as exc:
            self._summary(exc.message, "bad")
            return None
        pv = registry_csv.preview(app.world, app.catalog, self.kind, data, app.today)
        options = []
        if pv.problems:
            lines = len({line for line, _ in pv.problems})
            self._summary(f"問題のある行が{lines}行あります。直してからもう一度確認してください。"
                          "このままでは1行も取り込みません。", "bad")
            options = [PlainOption(f"{line}行目: {reason}", id=f"bad:{i}")
                       for i, (line, reason) in enumerate(pv.problems)]
        else:
            self._summary(f"{len(pv.good)}行を取り込めます（追加{pv.added}件・更新{pv.updated}件）。"
                          "ctrl+s で取り込みます。", "good")
            self._checked = text
        if pv.problems and pv.good:
            options.append(PlainOption("問題のない行（上の行を直せば、いっしょに取り込みます）:", id="ok-head",
                                  disabled=True))
        options += [PlainOption(f"{line}行目: {label or rid}（{'追加' if new else '更新'}・{rid}）", id=f"ok:{i}")
                    for i, (line, rid, label, new) in enumerate(pv.good)]
        options += [PlainOption(f"注意 {line}行目: {note}", id=f"note:{i}")
                    for i, (line, note) in enumerate(pv.warnings)]
        ol.add_options(options)
        return pv

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._checked is not None and self.path_text() != self._checked:
            self._checked = None
            self._summary("ファイルが変わりました。Enter（F3）で確認し直してください。")

    def action_preview(self) -> None:
        self._check()

    def action_apply(self) -> None:
        if self._checked is None or self._checked != self.path_text():
            self._summary("先に Enter（F3）で内容を確認してください。", "bad")
            return
        if busy(self.app):
            self._summary(busy(self.app), "bad")
            return
        pv = self._check()      # read again: the file may have been edited meanwhile
        if pv is None or pv.problems:
            return
        try:
            changes = registry_csv.apply(pv)
        except registry_csv.CsvError as exc:
            self._summary(exc.message, "bad")
            return
        apply(self.app, changes)
        self._checked = None
        self._summary(f"{len(pv.good)}行を取り込みました（追加{pv.added}件・更新{pv.updated}件）。", "good")
        self.app.notify(f"{self.title_text}を{len(pv.good)}件取り込みました。")

    # -- export ------------------------------------------------------------

    def _write(self, stem: str, make_data, what: str) -> None:
        """Build and write the file in a thread worker; the result is shown on screen."""
        folder = Path(self.app.export_dir)
        root = getattr(self.app.store, "root", None)
        self._summary(f"{folder} に書き出しています。")
        self.write_csv(folder, stem, make_data, what, root)

    @work(thread=True, group="csv-export", exclusive=True)
    def write_csv(self, folder: Path, stem: str, make_data, what: str, root) -> None:
        from kyogitai_tui.store.exports import ExportError

        try:
            done = CsvWritten(write_new_file(folder, stem, make_data(), root), "", what)
        except ExportError as exc:
            done = CsvWritten(None, exc.message, what)
        if not get_current_worker().is_cancelled:
            self.post_message(done)

    @on(CsvWritten)
    def csv_written(self, message: CsvWritten) -> None:
        self._written(message.path, message.error, message.what)

    def _written(self, path: Optional[Path], error: str, what: str) -> None:
        if path is None:
            self._summary(f"書き出せませんでした。{error}", "bad")
            self.app.notify(error, severity="error", timeout=10)
            return
        self._summary(f"{what}を書き出しました: {path}", "good")
        self.app.notify(f"{what}を書き出しました。", timeout=6)

    def action_export(self) -> None:
        app = self.app
        world, catalog, kind = app.world, app.catalog, self.kind
        self._write(f"{self.title_text}_{app.today:%Y%m%d}", lambda: registry_csv.export_csv(world, catalog, kind),
                    f"{self.title_text}の一覧")

    def action_template(self) -> None:
        kind = self.kind
        self._write(f"{self.title_text}_ひな形", lambda: registry_csv.template_csv(kind), f"{self.title_text}のひな形")

    def action_back(self) -> None:
        self.app.pop_screen()
