"""Writing the minutes (会議録) from a screen: 公開用 / 内部記録, Word or Markdown.

Mixed into the close screen and the past-meeting screen.  The export runs in
a thread worker: it waits for the writer thread (``app.saver.flush()``) so the
files reflect everything typed, builds the World it needs, and calls the
minutes writer (``kyogitai_tui.minutes.export_minutes``).  The screen then
says where the files were written.  A file that already exists is replaced
only after the user says so.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from textual.binding import Binding

from kyogitai_tui.domain.meeting import discussion_view as dv
from kyogitai_tui.ui.widgets.forms import ChoiceDialog

# (variant, format) pairs per key
EXPORTS = {
    "public": (("PUBLIC", "docx"),),
    "internal": (("INTERNAL", "docx"),),
    "markdown": (("PUBLIC", "md"), ("INTERNAL", "md")),
}

EXPORT_BINDINGS = [
    Binding("f2", "export('public')", "公開用を書き出す", id="minutes.public",
            tooltip="公開用の会議録（住民は一切載りません）を Word で書き出します"),
    Binding("f3", "export('internal')", "内部記録を書き出す", id="minutes.internal",
            tooltip="内部記録の会議録（住民は仮名のみ）を Word で書き出します"),
    Binding("f4", "export('markdown')", "Markdown で書き出す", id="minutes.markdown",
            tooltip="公開用と内部記録の両方を Markdown で書き出します"),
]


def minutes_writer() -> Optional[Callable[..., Any]]:
    """``export_minutes`` when the minutes writer is installed, else None."""
    try:
        from kyogitai_tui.minutes.export import export_minutes
    except ImportError:
        return None
    return export_minutes


def export_dir_of(app: Any) -> Path:
    configured = getattr(app, "export_dir", None)
    if configured:
        return dv.export_folder(configured)
    try:
        import platformdirs

        documents = platformdirs.user_documents_dir()
    except Exception:  # platformdirs missing or no home: fall back to ~/Documents
        documents = None
    return dv.export_folder(None, documents)


class MinutesExportMixin:
    """Needs ``meeting_id``, ``export_world()`` (called in the worker thread),
    ``can_export()`` (a Japanese reason or None) and ``show_export(text, error)``."""

    meeting_id: str
    app: Any

    def export_world(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def can_export(self) -> Optional[str]:
        return None

    def show_export(self, text: str, error: bool = False) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def action_export(self, which: str, force: bool = False) -> None:
        reason = self.can_export()
        if reason:
            self.app.notify(reason, severity="warning")
            return
        writer = minutes_writer()
        if writer is None:
            self.show_export("会議録の書き出し機能がこの版には入っていません。", error=True)
            return
        folder = export_dir_of(self.app)
        self.show_export(f"{folder} に書き出しています。")
        self.run_worker(lambda: self._export_thread(writer, which, EXPORTS[which], folder, force),  # type: ignore[attr-defined]
                        thread=True, group="minutes-export", exclusive=True)

    def _export_thread(self, writer, which: str, jobs: Sequence[tuple[str, str]], folder: Path,
                       force: bool) -> None:
        from kyogitai_tui.minutes import MinutesError
        from kyogitai_tui.store.exports import ExportError, ensure_export_dir

        app = self.app
        try:
            app.saver.flush()
            world = self.export_world()
            ensure_export_dir(folder)
            paths = [writer(world, self.meeting_id, variant, fmt, folder, force=force,
                            today=app.today, catalog=app.catalog, data_root=app.store.root)
                     for variant, fmt in jobs]
        except ExportError as exc:
            app.call_from_thread(self._export_failed, which, exc.message, getattr(exc, "reason", ""))
            return
        except MinutesError as exc:
            app.call_from_thread(self._export_failed, which, exc.message, "")
            return
        except OSError as exc:
            app.call_from_thread(self._export_failed, which,
                                 f"{folder} に書き出せませんでした（{exc.strerror or exc}）。", "")
            return
        app.call_from_thread(self._export_done, paths)

    def _export_done(self, paths: list[Path]) -> None:
        self.last_export_paths = list(paths)
        message = dv.export_done_message(paths)
        self.show_export(message)
        self.app.notify(message, timeout=10)

    def _export_failed(self, which: str, message: str, reason: str) -> None:
        if reason == "EXISTS":
            def chosen(code: Optional[str]) -> None:
                if code == "OVERWRITE":
                    self.action_export(which, force=True)
                else:
                    self.show_export("書き出しをやめました（前のファイルはそのままです）。")

            self.show_export(message.replace("上書きしてよい場合は --force を付けてください。", ""), error=True)
            self.app.push_screen(ChoiceDialog("同じ名前の会議録がすでにあります。上書きしますか。",
                                              [("OVERWRITE", "上書きする"), ("KEEP", "やめる")]), chosen)
            return
        self.show_export(message, error=True)
        self.app.notify(message, severity="error", timeout=10)
