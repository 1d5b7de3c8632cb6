"""Single-writer lock on a data directory (``<root>/.lock``).

Two mechanisms, belt and braces:

* ``fcntl.flock`` on the open lock file, held for the whole session. The
  kernel drops it when the process dies, however it dies, so a lock left by
  a killed process never blocks anyone.
* The file's content names the holder: ``{"pid", "host", "since",
  "start_ticks", "app"}``. It lets the UI say who holds the lock, and covers
  filesystems where ``flock`` does nothing: if we obtain the flock but the
  file names a *live* process on this host other than us, we still treat the
  directory as in use. A holder whose pid is gone, is a zombie, or whose pid
  was reused by another process (start time differs, Linux) is stale and is
  taken over. A holder on another host cannot be checked and is respected.

Release truncates the file (it is not unlinked, so no inode race).
"""
from __future__ import annotations

import errno
import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

try:  # POSIX only; on other systems the pid check alone guards the directory
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from kyogitai_tui.store.storage import FILE_MODE

LOCK_NAME = ".lock"


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or held) a lock. Fields may be unknown (``None``)."""

    pid: int | None
    host: str | None
    since: str | None  # ISO 8601 with UTC offset
    start_ticks: int | None = None
    who: str | None = None  # a person or database role, when known (PostgreSQL meeting locks)

    def since_display(self) -> str | None:
        if not self.since:
            return None
        try:
            return datetime.fromisoformat(self.since).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.since

    def describe(self) -> str:
        """Japanese, e.g. ``pid 1234、ホスト xxx、2026-11-27 09:00 から``."""
        parts = [self.who] if self.who else []
        if self.pid:
            parts.append(f"pid {self.pid}")
        if self.host:
            parts.append(f"ホスト {self.host}")
        since = self.since_display()
        if since:
            parts.append(f"{since} から")
        return "、".join(parts)

    def to_json(self) -> str:
        return json.dumps(
            {
                "pid": self.pid,
                "host": self.host,
                "since": self.since,
                "start_ticks": self.start_ticks,
                "app": "kyogitai-tui",
            },
            ensure_ascii=False,
        )

    @classmethod
    def parse(cls, text: str) -> "LockHolder | None":
        try:
            raw = json.loads(text)
        except ValueError:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("pid"), int):
            return None
        ticks = raw.get("start_ticks")
        return cls(
            pid=raw["pid"],
            host=raw.get("host") if isinstance(raw.get("host"), str) else None,
            since=raw.get("since") if isinstance(raw.get("since"), str) else None,
            start_ticks=ticks if isinstance(ticks, int) else None,
        )

    @classmethod
    def current(cls) -> "LockHolder":
        return cls(
            pid=os.getpid(),
            host=this_host(),
            since=datetime.now().astimezone().isoformat(timespec="seconds"),
            start_ticks=process_start_ticks(os.getpid()),
        )


def this_host() -> str:
    return socket.gethostname()


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    closing = text.rfind(")")
    return text[closing + 2 :].split() if closing >= 0 else None


def process_start_ticks(pid: int) -> int | None:
    fields = _proc_stat(pid)
    try:
        return int(fields[19]) if fields else None  # field 22 of stat(5)
    except (IndexError, ValueError):
        return None


def pid_alive(pid: int, start_ticks: int | None = None) -> bool:
    """Is ``pid`` a live (non-zombie) process on this host, the same one if ``start_ticks``?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    except OSError:
        return False
    fields = _proc_stat(pid)
    if fields:
        if fields[0] in ("Z", "X"):
            return False
        if start_ticks is not None and process_start_ticks(pid) not in (None, start_ticks):
            return False
    return True


def holder_alive(holder: LockHolder) -> bool:
    """Conservative: a holder on another host, or with an unknown host, counts as alive."""
    if holder.host is not None and holder.host != this_host():
        return True
    if holder.pid is None:
        return False
    return pid_alive(holder.pid, holder.start_ticks)


class DataLock:
    """The lock of one data directory. ``acquire`` never blocks."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / LOCK_NAME
        self._fd: int | None = None
        self.holder: LockHolder | None = None  # us, once acquired

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> LockHolder | None:
        """Take the lock. Returns ``None`` on success, else the live holder.

        A stale lock (holder gone) is taken over silently. Raises ``OSError``
        if the lock file cannot be created (the caller reports it).
        """
        if self._fd is not None:
            return None
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        taken = False
        try:
            if not self._flock(fd):
                return self._read_holder(fd, retries=5) or LockHolder(None, None, None)
            existing = self._read_holder(fd, retries=0)
            if existing is not None and existing.pid != os.getpid() and holder_alive(existing):
                return existing
            me = LockHolder.current()
            os.ftruncate(fd, 0)
            os.pwrite(fd, me.to_json().encode("utf-8"), 0)
            os.fsync(fd)
            taken = True
        finally:
            if not taken:
                os.close(fd)  # also drops a flock we may have obtained
        self._fd, self.holder = fd, me
        return None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            current = self._read_holder(fd, retries=0)
            if current is not None and self.holder is not None and current.pid == self.holder.pid:
                os.ftruncate(fd, 0)
                os.fsync(fd)
        except OSError:
            pass
        finally:
            self.holder = None
            os.close(fd)  # drops the flock

    # -- helpers ---------------------------------------------------------
    @staticmethod
    def _flock(fd: int) -> bool:
        if fcntl is None:  # pragma: no cover
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            return True  # flock unsupported here (ENOLCK...): rely on the pid check
        return True

    @staticmethod
    def _read_holder(fd: int, retries: int) -> LockHolder | None:
        """Parse the lock file; retry briefly while a new holder is writing it."""
        for attempt in range(retries + 1):
            size = os.fstat(fd).st_size
            holder = LockHolder.parse(os.pread(fd, max(size, 1), 0).decode("utf-8", "replace"))
            if holder is not None or attempt == retries:
                return holder
            time.sleep(0.02)
        return None


def read_lock_holder(root: Path) -> LockHolder | None:
    """Who the lock file names, without locking (for ``check`` and diagnostics)."""
    try:
        text = (Path(root) / LOCK_NAME).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return LockHolder.parse(text)
