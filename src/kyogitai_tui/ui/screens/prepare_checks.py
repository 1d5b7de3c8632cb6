"""The prepare screen's 点検資料 (materials section, F6): the gap checks C1-C4
run on the current data become the next 資料n of the meeting, and a Word
handout in the minutes' layout is written to the export folder
(domain/guidebook/checks_report.py, minutes/checks_docx.py,
store/exports.py).  No resident is in it.  A mixin of ``PrepareScreen``.
"""
from __future__ import annotations

from textual import work
from textual.message import Message

CHECKS_TITLE = "点検資料（不足しているネットワークの把握）"


class ChecksWritten(Message):
    """The handout's worker is done: ``text`` to show, ``error`` or not
    (handled by ``PrepareScreen``: an ``@on`` handler must be on the screen's
    own class)."""

    def __init__(self, text: str, error: bool = False) -> None:
        super().__init__()
        self.text = text
        self.error = error


class PrepareChecksMixin:
    def action_add_checks(self) -> None:
        s = self.session
        n = len(s.record.materials) + 1
        if self.run(lambda: s.add_material(CHECKS_TITLE)) is None:
            self.write_checks(n)

    @work(thread=True, group="checks-export", exclusive=True)
    def write_checks(self, n: int) -> None:
        """Build and write the handout (disk work: off the UI thread)."""
        from kyogitai_tui.domain.guidebook.checks_report import checks_report
        from kyogitai_tui.minutes.checks_docx import checks_docx_bytes
        from kyogitai_tui.store.exports import ExportError, ensure_export_dir, write_export
        from kyogitai_tui.ui.screens.minutes_offer import export_dir_of

        app = self.app
        world = app.world
        try:
            report = checks_report(world, council_id=self.session.council.id, today=app.today)
            data = checks_docx_bytes(report, world.subjects.values(), material_no=n)
            folder = ensure_export_dir(export_dir_of(app))
            stem = f"資料{n}_{report.file_stem}"
            path, k = folder / f"{stem}.docx", 1
            while path.exists():
                k += 1
                path = folder / f"{stem}_{k}.docx"
            write_export(path, data, data_root=app.store.root)
        except ExportError as exc:
            self.post_message(ChecksWritten(f"点検資料を書き出せませんでした：{exc.message}", error=True))
            return
        self.post_message(ChecksWritten(f"資料{n}として点検資料（問題あり {len(report.problems)}件）を "
                                        f"{path} に書き出しました。"))
