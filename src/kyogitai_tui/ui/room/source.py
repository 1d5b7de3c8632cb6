"""Following the facilitator's saves from another process, without the lock.

The app writes every data file atomically (temp file, rename), so a reader
never sees half a file: it only has to notice that a file changed.  ``poll``
compares the stamps (size, mtime_ns, inode) of registry.json and every
meeting file -- a few ``stat`` calls -- and reads everything again only when
one changed.  The folder is opened read-only: no lock is taken, nothing is
written, the facilitator's app is never blocked.  No Textual here.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Optional

from kyogitai_tui.minutes.room import RoomView, room_view, running_meeting, waiting_view


class RoomSource:
    def __init__(self, root: Path, meeting_id: Optional[str] = None, *, catalog: Any = None,
                 now: Callable[[], datetime] = datetime.now, today: Optional[date] = None) -> None:
        self.root = Path(root)
        self.meeting_id = meeting_id
        self.catalog = catalog
        self.now = now
        self.today = today
        self._stamps: Optional[dict] = None

    def stamps(self) -> dict:
        from kyogitai_tui.store.summary import source_stamps

        return source_stamps(self.root)

    def poll(self) -> Optional[RoomView]:
        """A new view when a data file changed since the last poll, else None."""
        try:
            stamps = self.stamps()
        except OSError as exc:
            return waiting_view(f"データのフォルダを読めません（{exc.strerror}）。")
        if stamps == self._stamps:
            return None
        view = self.read()
        self._stamps = stamps
        return view

    def read(self) -> RoomView:
        """The view as the files are now; a folder that cannot be read gives a
        view that says so (the last good one stays until the next change)."""
        from kyogitai_tui.domain.world import World
        from kyogitai_tui.store import DataStore, StoreError

        try:
            store = DataStore.open(self.root, read_only=True)
            try:
                world = World.from_dataset(store.load_dataset(hand_over=True))
            finally:
                store.close()
        except StoreError as exc:
            return waiting_view(f"データを読めませんでした。{exc.message}")
        except Exception:       # whatever else a half-edited folder causes: the view says so, never crashes
            return waiting_view("データを読めませんでした。進行役のアプリで保存が終わると、自動で表示し直します。")
        mid = self.meeting_id or running_meeting(world)
        if mid is None:
            return waiting_view()
        if mid not in world.meetings:
            return waiting_view(f"会議「{mid}」がデータにありません。")
        try:
            return room_view(world, mid, self.now(), self.catalog, self.today)
        except Exception:
            return waiting_view("この会議の表示を作れませんでした。次の保存のあとで自動で表示し直します。")


class SharedRoomSource:
    """The views that ``serve`` starts for its browsers read the view that
    serve itself computed once per change (``RoomServer.follow``) from a small
    file, instead of each reading the whole data folder again: twenty browsers
    cost one reading, not twenty, so the facilitator's app keeps the processor."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._stamp: Optional[tuple] = None

    def poll(self) -> Optional[RoomView]:
        import json

        from kyogitai_tui.minutes.room import view_from_doc

        try:
            st = self.path.stat()
        except OSError:
            return None if self._stamp is None else waiting_view("配信が終了しました。")
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        if stamp == self._stamp:
            return None
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None               # replaced while read: the next poll reads the new one
        self._stamp = stamp
        return view_from_doc(doc) if isinstance(doc, dict) else None
