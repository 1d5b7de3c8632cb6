"""Saves off the UI thread, in order, and never loses a change.

One writer thread takes ``Change`` batches from a queue and hands them to the
store (whose writes are atomic and thread-safe).  A batch that fails (a full
disk, say) stays at the head of the queue and is tried again with the next
save, on the app's retry timer (``retry``) or at quit, so nothing typed is
dropped; the app shows the store's Japanese message until a save succeeds again.
"""
from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Callable, Iterable, Optional

if TYPE_CHECKING:  # annotations only: the session module loads with the first meeting, not at start-up
    from kyogitai_tui.domain.changes import Change


def apply_change(store, ch: Change) -> None:
    if ch.scope in ("registry", "sensitive"):
        apply_file_batch(store, [ch])
        return
    if ch.create is not None:
        store.create_meeting(ch.meeting_id, ch.create, replace=store.has_meeting(ch.meeting_id))
    elif ch.doc is None:
        store.meeting_delete(ch.meeting_id, ch.table, ch.doc_id)
    else:
        store.meeting_upsert(ch.meeting_id, ch.table, ch.doc)


def apply_file_batch(store, changes: list[Change]) -> None:
    """Registry (or sensitive) changes of one scope in one atomic write."""
    upserts = [(c.table, c.doc) for c in changes if c.doc is not None]
    deletes = [(c.table, c.doc_id) for c in changes if c.doc is None]
    store.apply_batch(upserts, deletes, sensitive=changes[0].scope == "sensitive")


def _runs(todo: list[Change]) -> list[tuple[int, list[Change]]]:
    """Split a batch into runs: consecutive registry/sensitive changes of the
    same scope are written together (all or nothing); meeting changes one by one."""
    out: list[tuple[int, list[Change]]] = []
    for i, ch in enumerate(todo):
        if out and ch.scope != "meeting" and out[-1][1][-1].scope == ch.scope:
            out[-1][1].append(ch)
        else:
            out.append((i, [ch]))
    return out


class Saver:
    def __init__(self, store, on_result: Callable[[Optional[str], int], None]) -> None:
        """``on_result(error_message_or_None, pending_count)`` is called from the
        writer thread after each batch."""
        self.store = store
        self.on_result = on_result
        self._queue: "queue.Queue[Optional[list[Change]]]" = queue.Queue()
        self._failed: list[Change] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="kyogitai-saver", daemon=True)
        self._thread.start()

    def save(self, changes: Iterable[Change]) -> None:
        batch = list(changes)
        if batch:
            self._queue.put(batch)

    def _write(self, batch: list[Change]) -> Optional[str]:
        from kyogitai_tui.store import StoreError

        with self._lock:
            todo = self._failed + batch
            self._failed = []
            for i, run in _runs(todo):
                try:
                    if run[0].scope == "meeting":
                        apply_change(self.store, run[0])
                    else:
                        apply_file_batch(self.store, run)
                except StoreError as exc:
                    self._failed = todo[i:]
                    return exc.message
                except OSError as exc:
                    self._failed = todo[i:]
                    return f"保存できませんでした（{exc.strerror or exc}）。入力した内容は画面に残っています。"
                except Exception as exc:  # a bug must not kill the writer thread (flush would hang)
                    self._failed = todo[i:]
                    return (f"保存中に予期しないエラーが起きました（{type(exc).__name__}: {exc}）。"
                            "入力した内容は保存を待っています。")
        return None

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is None:
                self._queue.task_done()
                return
            error = self._write(batch)
            self._queue.task_done()
            try:
                self.on_result(error, len(self._failed))
            except Exception:  # the UI may be gone at shutdown
                pass

    def retry(self) -> None:
        """Try the failed changes again now (the app calls this on a timer)."""
        if self._failed:
            self._queue.put([])

    @property
    def unsaved(self) -> list[Change]:
        """The changes that failed to save and wait for a retry."""
        return list(self._failed)

    @property
    def pending(self) -> int:
        return self._queue.qsize() + len(self._failed)

    def flush(self) -> bool:
        """Wait until everything queued is written (or failed). True if clean."""
        self._queue.join()
        if self._failed:
            self._write([])
        return not self._failed

    def close(self, timeout: float = 10.0) -> bool:
        ok = self.flush()
        self._queue.put(None)
        self._thread.join(timeout)
        return ok
