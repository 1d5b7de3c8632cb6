"""Saves off the UI thread, in order, and never loses a change.

One writer thread takes ``Change`` batches from a queue and hands them to the
store (whose writes are atomic and thread-safe): the changes of a batch are
grouped by file and each file's new state is written ONCE (a meeting's
prepare + start, 33 documents, is one write of its file; all of a file's
changes land or none).  A batch that fails (a full
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


def _file_of(ch: Change) -> tuple[str, str]:
    return (ch.scope, ch.meeting_id if ch.scope == "meeting" else "")


def by_file(changes: Iterable[Change]) -> list[tuple[tuple[str, str], list[Change]]]:
    """The changes grouped by the file they go to, files in order of first
    appearance, each file's changes in their order."""
    groups: dict[tuple[str, str], list[Change]] = {}
    for ch in changes:
        groups.setdefault(_file_of(ch), []).append(ch)
    return list(groups.items())


def write_file_changes(store, changes: list[Change]) -> None:
    """The changes of ONE file in one atomic write of that file's new state.
    A ``create`` (the meeting's whole tables) starts the file afresh: changes
    queued before it are part of what it replaces."""
    scope, meeting_id = _file_of(changes[0])
    create = None
    start = 0
    for i, ch in enumerate(changes):
        if ch.create is not None:
            create, start = ch.create, i + 1
    ops = [(ch.table, ch.doc_id, ch.doc) for ch in changes[start:]]
    store.write_file(scope, meeting_id, ops, create=create)


def apply_change(store, ch: Change) -> None:
    """One change on its own (tests and tools that write outside the app)."""
    write_file_changes(store, [ch])


def _rest(groups: list[tuple[tuple[str, str], list[Change]]], n: int) -> list[Change]:
    """The changes of the files from the n-th on (those not written yet)."""
    return [ch for _f, changes in groups[n:] for ch in changes]


class Saver:
    def __init__(self, store, on_result: Callable[[Optional[str], int], None]) -> None:
        """``on_result(error_message_or_None, pending_count)`` is called from the
        writer thread after each batch."""
        self.store = store
        self.on_result = on_result
        self._queue: "queue.Queue[Optional[list[Change]]]" = queue.Queue()
        self._failed: list[Change] = []
        self.files_written = 0          # file writes that succeeded (the summary is stale once > 0)
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
            for n, (_file, changes) in enumerate(groups := by_file(todo)):
                try:
                    write_file_changes(self.store, changes)
                    self.files_written += 1
                except StoreError as exc:
                    self._failed = _rest(groups, n)
                    return exc.message
                except OSError as exc:
                    self._failed = _rest(groups, n)
                    return f"保存できませんでした（{exc.strerror or exc}）。入力した内容は画面に残っています。"
                except Exception as exc:  # a bug must not kill the writer thread (flush would hang)
                    self._failed = _rest(groups, n)
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
