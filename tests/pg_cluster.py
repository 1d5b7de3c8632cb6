"""A throwaway PostgreSQL cluster for the tests and benchmarks of the
PostgreSQL backend: ``initdb`` in a temp directory, listening on a Unix
socket only (``listen_addresses=''``), never on a network port.

PostgreSQL refuses to run as root: as root the cluster is created and run
as the ``postgres`` system user (``runuser``).  When the server binaries
are absent the fixtures skip with the reason (``pg_skip_reason``), so the
README's test command still works on a machine without PostgreSQL.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    return None


def pg_skip_reason() -> str | None:
    bindir = _bin_dir()
    if bindir is None:
        return "PostgreSQL のサーバー（initdb, pg_ctl）が入っていないため、PostgreSQL のテストを飛ばしました（.ci/run は入れます）"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "root で動いていて runuser がないため、PostgreSQL を起動できません"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "root で動いていて postgres ユーザーがないため、PostgreSQL を起動できません"
    return None


def _memory_dir() -> str | None:
    """A folder in memory (Linux's /dev/shm) for a cluster that does not
    fsync, or None (the usual temp folder).  Each test makes its own
    database (about 300 files, 7.5 MB); on disk, creating them and removing
    the cluster at the end took a worker 10-20 s of I/O."""
    shm = Path("/dev/shm")
    try:
        free = shutil.disk_usage(shm).free
    except OSError:
        return None
    return str(shm) if os.access(shm, os.W_OK) and free > 2 * 1024 ** 3 else None


class PgCluster:
    """``start()`` / ``stop()`` / ``url(dbname)`` / ``new_database()``."""

    def __init__(self, *, fsync: bool = False) -> None:
        self.bindir = _bin_dir()
        self.base = Path(tempfile.mkdtemp(prefix="kyogitai-pg-", dir=None if fsync else _memory_dir()))
        self.data = self.base / "data"
        self.sock = self.base / "sock"
        self.fsync = fsync
        self.user = "postgres" if os.geteuid() == 0 else None
        self.superuser = "postgres"
        os.chmod(self.base, 0o755)
        self.sock.mkdir()
        if self.user:
            shutil.chown(self.base, self.user)
            shutil.chown(self.sock, self.user)

    def _run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        full = [str(self.bindir / cmd[0]), *cmd[1:]]
        if self.user:
            full = ["runuser", "-u", self.user, "--", *full]
        return subprocess.run(full, capture_output=True, text=True, check=check, cwd=self.base)

    def init(self) -> "PgCluster":
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.superuser,
                  "-E", "UTF8", "--locale=C", "--no-sync")
        return self

    def start(self) -> "PgCluster":
        opts = (f"-c listen_addresses='' -k {self.sock} -c fsync={'on' if self.fsync else 'off'} "
                f"-c max_connections=60 -c shared_buffers=32MB")
        if not self.fsync:
            opts += " -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "log"), "-w", "-t", "30", "-o", opts, "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, dbname: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{user or self.superuser}@/{dbname}?host={self.sock}"

    def new_database(self) -> str:
        """A fresh empty database; its name."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return name

    def wait_ready(self, timeout: float = 10) -> None:
        import psycopg

        end = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)


# -- fixtures (import them into a test module: ``from pg_cluster import pg_cluster, pg_url``) --
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def pg_cluster():
    """One cluster per test process (PostgreSQL tests share the xdist group
    "postgres", so one worker starts it)."""
    reason = pg_skip_reason()
    if reason:
        pytest.skip(reason)
    cluster = PgCluster().init().start()
    try:
        cluster.wait_ready()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """The URL of a fresh, empty database of the session's cluster."""
    return pg_cluster.url(pg_cluster.new_database())
