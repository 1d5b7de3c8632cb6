"""Writing the minutes (会議録) from a screen: 公開用 / 内部記録, Word or Markdown.

The base of the close screen and the past-meeting screen.  The export runs in
a thread worker (``@work``): it waits for the writer thread (``app.saver.flush()``) so the
files reflect everything typed, builds the World it needs, and calls the
minutes writer (``kyogitai_tui.minutes.export_minutes``).  The screen then
says where the files were written.  A file that already exists is replaced
only after the user says so.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from kyogitai_tui.domain.meeting import discussion_view as dv
from kyogitai_tui.ui.host import Host
from kyogitai_tui.ui.widgets.forms import ChoiceDialog

# (variant, format) pairs per key
EXPORTS = {
    "public": (("PUBLIC", "docx"),),
    "internal": (("INTERNAL", "docx"),),
    "markdown": (("PUBLIC", "md"), ("INTERNAL", "md")),
}

EXPORT_BINDINGS = [
    Binding("f2", "export('public')", "公開用Word", id="minutes.public",
            tooltip="公開用の会議録（住民は一切載りません）を Word で書き出します"),
    Binding("f3", "export('internal')", "内部記録Word", id="minutes.internal",
            tooltip="内部記録の会議録（住民は仮名のみ）を Word で書き出します"),
    Binding("f4", "export('markdown')", "Markdown形式", id="minutes.markdown",
            tooltip="公開用と内部記録の両方を Markdown で書き出します"),
]


def minutes_writer() -> Optional[Callable[..., Any]]:
    """``export_minutes`` when the minutes writer is installed, else None."""
    try:
        from kyogitai_tui.minutes.export import export_minutes
    except ImportError:
        return None
    return export_minutes


def export_dir_of(app: Host) -> Path:
    configured = app.export_dir
    if configured:
        return dv.export_folder(configured)
    try:
        import platformdirs

        documents = platformdirs.user_documents_dir()
    except Exception:  # platformdirs missing or no home: fall back to ~/Documents
        documents = None
    return dv.export_folder(None, documents)


class ExportFinished(Message):
    """An export worker ended: the files written, or the Japanese ``error``
    and its ``reason`` ("EXISTS": a file of that name is already there)."""

    def __init__(self, which: str, paths: Sequence[Path] = (), error: str = "", reason: str = "",
                 flags: Sequence[Any] = (), world: Any = None, force: bool = False) -> None:
        super().__init__()
        self.which = which
        self.paths = list(paths)
        self.error = error
        self.reason = reason
        self.flags = list(flags)   # IDENTIFYING: the sentences to confirm
        self.world = world
        self.force = force


class MinutesExportScreen(Screen):
    """A screen that writes a meeting's minutes (the close and past-meeting
    screens).  Needs ``meeting_id``, ``export_world()`` (called in the worker
    thread), ``can_export()`` (a Japanese reason or None) and
    ``show_export(text, error)``."""

    meeting_id: str

    def export_world(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def can_export(self) -> Optional[str]:
        return None

    def show_export(self, text: str, error: bool = False) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def action_export(self, which: str, force: bool = False, confirm: Sequence[str] = ()) -> None:
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
        self.export_minutes(writer, which, folder, force, tuple(confirm))

    @work(thread=True, group="minutes-export", exclusive=True)
    def export_minutes(self, writer, which: str, folder: Path, force: bool,
                       confirm: Sequence[str] = ()) -> None:
        """Wait for the writer thread, then write the files (disk work: off the UI thread)."""
        from kyogitai_tui.minutes import MinutesError
        from kyogitai_tui.store.exports import ExportError, ensure_export_dir

        app = self.app
        try:
            app.saver.flush()
            world = self.export_world()
            ensure_export_dir(folder)
            paths = [writer(world, self.meeting_id, variant, fmt, folder, force=force,
                            today=app.today, catalog=app.catalog, data_root=app.store.root,
                            confirm=confirm)
                     for variant, fmt in EXPORTS[which]]
        except ExportError as exc:
            if getattr(exc, "reason", "") == "IDENTIFYING":
                finished = ExportFinished(which, error=exc.message, reason="IDENTIFYING",
                                          flags=list(getattr(exc, "flags", [])), world=world, force=force)
            else:
                finished = ExportFinished(which, error=exc.message, reason=getattr(exc, "reason", ""))
        except MinutesError as exc:
            finished = ExportFinished(which, error=exc.message)
        except OSError as exc:
            finished = ExportFinished(which, error=f"{folder} に書き出せませんでした（{exc.strerror or exc}）。")
        else:
            finished = ExportFinished(which, paths)
        if not get_current_worker().is_cancelled:
            self.post_message(finished)

    @on(ExportFinished)
    def export_finished(self, message: ExportFinished) -> None:
        if message.reason == "IDENTIFYING":
            self._identifying(message.which, message.force, message.flags, message.world)
        elif message.error:
            self._export_failed(message.which, message.error, message.reason)
        else:
            self._export_done(message.paths)

    def _export_done(self, paths: list[Path]) -> None:
        self.last_export_paths = list(paths)
        message = dv.export_done_message(paths)
        self.show_export(message)
        self.app.notify(message, timeout=10)

    def _identifying(self, which: str, force: bool, flags: list, world: Any) -> None:
        """List each flagged sentence with its reason; the ones the coordinator
        confirms are recorded in the meeting's data, then the export runs again."""
        self.show_export(f"公開用の会議録に、本人が特定されるおそれのある文が{len(flags)}件あります。"
                         "確認するまで公開用は書き出しません。", error=True)
        choices = [(f.id, f"「{f.sentence}」　理由：{f.reason}") for f in flags]

        def chosen(ids) -> None:
            ids = [i for i in (ids or []) if i in {f.id for f in flags}]
            if not ids:
                self.show_export("公開用は書き出していません。示された文を議事の画面で書き直すか、"
                                 "公開してよいと確かめてから、もう一度書き出してください。", error=True)
                return
            self._record_confirmations(world, [f for f in flags if f.id in ids])
            left = [f for f in flags if f.id not in ids]
            if left:
                self.show_export("確認を記録しました。まだ確認していない文があるため、公開用は書き出していません："
                                 + "、".join(f"「{f.sentence}」" for f in left), error=True)
                return
            self.action_export(which, force=force, confirm=ids)

        self.app.push_screen(ChoiceDialog(
            "本人が特定されるおそれのある文です。公開してよいと確かめた文を Enter で選び、ctrl+s で決定してください"
            "（選ばなかった文は、書き直すまで公開用を書き出しません）。",
            choices, multiple=True), chosen)

    def _record_confirmations(self, world: Any, flags: list) -> None:
        """A Change of the meeting document through the normal saver; the
        app's dataset (and the open session, if any) take the same document."""
        from kyogitai_tui.domain.model import Meeting
        from kyogitai_tui.domain.privacy.identifying import confirm_change

        app = self.app
        if getattr(app.store, "read_only", False):
            app.notify("読み取り専用で開いているため、確認を記録できません。", severity="error")
            return
        change = confirm_change(world, self.meeting_id, flags, app.today)
        rows = app.ensure_dataset().setdefault("meetings", {}).setdefault(self.meeting_id, {}) \
            .setdefault("meeting", [])
        rows[:] = [d for d in rows if d.get("id") != change.doc_id] + [dict(change.doc)]
        session = getattr(app, "session", None)
        if session is not None and getattr(session, "meeting_id", None) == self.meeting_id:
            session.record.meeting = Meeting.from_doc(dict(change.doc))
        app.save([change])
        app.rebuild_world(session)

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
