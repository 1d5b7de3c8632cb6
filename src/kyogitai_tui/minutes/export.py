"""Writing the minutes to disk: Word or Markdown, 公開用 or 内部記録.

    path = export_minutes(world, "M-C2-02", "PUBLIC", "docx", Path("会議録.docx"),
                          today=date.today())

* The file is written by the one export writer (``store.exports``):
  atomic, owner-only (0600), never inside the data folder (``data_root``),
  never over a folder, device or fifo.  A crash leaves either the old file
  or the new one, never half.
* Without ``force`` an existing file is never overwritten (ExportError with
  ``reason == "EXISTS"``; the UI may ask and call again with ``force=True``).
* ``out_path`` may be an existing folder: the file then gets
  :func:`suggested_filename`.
* Every problem the user can fix raises ``ExportError`` whose ``message``
  is Japanese and says what to do; ``reason`` is one of NOT_FOUND,
  NO_MEETING, BAD_FORMAT, BAD_VARIANT or a reason of ``store.exports``
  (EXISTS, IN_DATA, NOT_REGULAR, NO_DIR, ...).

For the app (the UI is someone else's): the close screen and any past
meeting call :func:`export_both` (both variants into a folder) or
:func:`export_minutes`, from a worker thread; nothing here touches Textual.
"""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any, Optional

from kyogitai_tui.minutes.blocks import MinutesDoc
from kyogitai_tui.minutes.content import VARIANT_LABELS, MinutesError, build_minutes, normalize_variant
from kyogitai_tui.store.exports import ExportError, write_export

__all__ = [
    "FORMATS", "ExportError", "resolve_meeting", "suggested_filename", "render_bytes",
    "export_minutes", "export_both",
]

FORMATS = ("docx", "md")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_LATEST_STATUSES = {"IN_PROGRESS", "HELD", "MINUTES_DRAFT", "MINUTES_CONFIRMED", "PUBLISHED"}


def normalize_format(fmt: str) -> str:
    f = (fmt or "").strip().lower().lstrip(".")
    if f in ("markdown",):
        f = "md"
    if f in ("word",):
        f = "docx"
    if f not in FORMATS:
        raise ExportError(f"形式「{fmt}」は指定できません。docx（Word）か md（Markdown）を指定してください。",
                          "BAD_FORMAT")
    return f


def resolve_meeting(world: Any, ref: str) -> str:
    """A meeting id from ``"latest"`` (the last held or running meeting, in
    meeting order) or an id; ExportError in Japanese otherwise."""
    ref = (ref or "").strip()
    if ref.lower() == "latest":
        latest = None
        for rec in world.meetings.values():          # World keeps meeting order
            if rec.meeting.status in _LATEST_STATUSES:
                latest = rec.id
        if latest is None:
            raise ExportError("開催済みの会議がまだありません。会議を開いてから書き出してください。",
                              "NO_MEETING")
        return latest
    if ref in world.meetings:
        return ref
    ids = list(world.meetings)
    shown = "、".join(ids[:12]) + ("、…" if len(ids) > 12 else "")
    hint = f"指定できる会議：{shown}。" if ids else "データに会議がありません。"
    raise ExportError(f"会議「{ref}」が見つかりません。{hint}最新の会議は --meeting latest で指定できます。",
                      "NOT_FOUND")


def suggested_filename(minutes: MinutesDoc, fmt: str) -> str:
    """「令和7年度第2回_北みほん支え合い会議_会議録_公開用.docx」"""
    return f"{minutes.file_stem}.{normalize_format(fmt)}"


def render_bytes(minutes: MinutesDoc, fmt: str) -> bytes:
    fmt = normalize_format(fmt)
    if fmt == "md":
        from kyogitai_tui.minutes.markdown import render_markdown
        # A lone surrogate (text that was never valid Unicode) cannot be
        # written as UTF-8: it becomes U+FFFD instead of failing the export.
        return _LONE_SURROGATE.sub("\ufffd", render_markdown(minutes)).encode("utf-8")
    from kyogitai_tui.minutes.docx_writer import write_docx
    buf = io.BytesIO()
    write_docx(minutes, buf)
    return buf.getvalue()


def export_minutes(world: Any, meeting_id: str, variant: str, fmt: str, out_path: Path | str, *,
                   force: bool = False, today: Optional[date] = None, catalog: Any = None,
                   data_root: Optional[Path] = None) -> Path:
    """Build the minutes of ``meeting_id`` for ``variant`` (PUBLIC/INTERNAL,
    or public/internal) and write them as ``fmt`` (docx/md) to ``out_path``
    (a file, or an existing folder).  Returns the path written."""
    fmt = normalize_format(fmt)
    try:
        variant = normalize_variant(variant)
    except MinutesError as exc:
        raise ExportError(exc.message, "BAD_VARIANT") from None
    if meeting_id not in world.meetings:
        resolve_meeting(world, meeting_id)   # raises the Japanese NOT_FOUND message
    minutes = build_minutes(world, meeting_id, variant, today=today, catalog=catalog)
    out = Path(out_path)
    if out.is_dir():
        out = out / suggested_filename(minutes, fmt)
    return write_export(out, render_bytes(minutes, fmt), force=force, data_root=data_root)


def export_both(world: Any, meeting_id: str, out_dir: Path | str, fmt: str = "docx", *,
                force: bool = False, today: Optional[date] = None,
                catalog: Any = None, data_root: Optional[Path] = None) -> dict[str, Path]:
    """Both variants into ``out_dir`` under their suggested names:
    ``{"PUBLIC": path, "INTERNAL": path}``."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ExportError(f"フォルダ {out_dir} が見つかりません。書き出し先のフォルダを指定してください。", "NO_DIR")
    return {v: export_minutes(world, meeting_id, v, fmt, out_dir, force=force, today=today, catalog=catalog,
                              data_root=data_root)
            for v in VARIANT_LABELS}
