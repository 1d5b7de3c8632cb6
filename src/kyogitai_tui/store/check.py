"""``check_data_dir``: verify a data directory without writing anything.

No lock is taken and nothing is created, migrated or cleaned: it is safe to
run while the app has the directory open. Each file must parse, carry a
valid ``_meta`` of the right kind and a supported ``schema_version``, and
hold documents with unique string ids. Reference checks between documents
are domain logic: pass ``validate(dataset)``; it may return store
``Problem``s, any objects with a ``message`` (and optional ``path``)
attribute, or plain strings (the domain layer need not import the store).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from kyogitai_tui.store.backup import BACKUP_DIR, newest_good_backup
from kyogitai_tui.store.layout import MEETING_ID_RE, MEETINGS_DIR, REGISTRY_FILE, SENSITIVE_FILE
from kyogitai_tui.store.errors import CorruptFileError, NewerSchemaError, StoreError
from kyogitai_tui.store.files import _check_shape
from kyogitai_tui.store.schema import META_TABLE, SCHEMA_VERSION, Migration, file_version, upgrade
from kyogitai_tui.store.storage import AtomicJSONStorage, is_temp_file


@dataclass(frozen=True)
class Problem:
    """One finding: ``path`` (may be None), Japanese ``message``, ``level``."""

    path: Path | None
    message: str
    level: str = "error"  # "error" | "warning"


class CheckReport(list):
    """A ``list[Problem]`` with a summary.

    ``counts``: documents per table, keyed by the file's path relative to
    the root (``registry.json``, ``meetings/M-1.json``); ``files``: how many
    data files were read.
    """

    def __init__(self, problems: Iterable[Problem] = (), *, root: Path | None = None) -> None:
        super().__init__(problems)
        self.root = root
        self.counts: dict[str, dict[str, int]] = {}
        self.files = 0

    @property
    def problems(self) -> list[Problem]:
        """Every problem, errors and warnings (the report itself, as a plain list)."""
        return list(self)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.level != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def total_documents(self) -> int:
        return sum(sum(t.values()) for t in self.counts.values())

    def summary_lines(self) -> list[str]:
        """Japanese lines for ``kyogitai check``: folder, per-file counts, summary."""
        lines = [f"データフォルダ: {self.root}"] if self.root is not None else []
        for name in (REGISTRY_FILE, SENSITIVE_FILE):
            if name in self.counts:
                lines.append(f"{name}: 文書 {sum(self.counts[name].values()):,} 件" + _tables_note(self.counts[name]))
        meetings = {k: v for k, v in self.counts.items() if k.startswith(f"{MEETINGS_DIR}/")}
        if meetings:
            total = sum(sum(v.values()) for v in meetings.values())
            lines.append(f"{MEETINGS_DIR}/: 会議 {len(meetings)} 件、文書 {total:,} 件")
        lines.append(self.summary())
        return lines

    def summary(self) -> str:
        """Japanese one-paragraph summary."""
        meetings = sum(1 for k in self.counts if k.startswith(f"{MEETINGS_DIR}/"))
        head = (
            f"{self.files} 個のファイル（会議 {meetings} 件）、"
            f"文書 {self.total_documents():,} 件を確認しました。"
        )
        if self.ok and not self.warnings:
            return head + "問題はありませんでした。"
        return head + f"エラー {len(self.errors)} 件、注意 {len(self.warnings)} 件があります。"


def _tables_note(counts: Mapping[str, int]) -> str:
    if not counts:
        return ""
    return "（" + "、".join(f"{name} {n:,}" for name, n in counts.items()) + "）"


Validator = Callable[[dict[str, Any]], Iterable[Any]]


def check_data_dir(
    root: Path | str,
    validate: Validator | None = None,
    *,
    schema_version: int = SCHEMA_VERSION,
    migrations: Mapping[int, Migration] | None = None,
) -> CheckReport:
    """Check every file of ``root``; never writes. See the module docstring."""
    root = Path(root).expanduser().absolute()
    report = CheckReport(root=root)
    if not root.is_dir():
        report.append(Problem(root, f"データフォルダ {root} が見つからないか、フォルダではありません。"))
        return report
    dataset: dict[str, Any] = {"registry": {}, "sensitive": {}, "meetings": {}}

    def load(relative: str, kind: str) -> dict[str, list[dict[str, Any]]] | None:
        path = root / relative
        try:
            data = AtomicJSONStorage(path, read_only=True).read()
            version = file_version(data, path, kind)
            upgraded, _ = upgrade(data, path, kind, app_version=schema_version, migrations=migrations)
            _check_shape(upgraded, path)
        except (CorruptFileError, NewerSchemaError) as exc:
            backup = newest_good_backup(root, relative, kind, app_version=schema_version, migrations=migrations)
            report.append(Problem(path, exc.with_backup(backup).message))
            return None
        except StoreError as exc:
            report.append(Problem(path, exc.message))
            return None
        report.files += 1
        if version < schema_version:
            report.append(Problem(
                path,
                f"ファイル {path} は古い形式（{version}）です。次に kyogitai で開いたときに"
                f"形式 {schema_version} に更新されます（更新前の内容はバックアップに残ります）。",
                "warning",
            ))
        tables = {n: list(docs.values()) for n, docs in upgraded.items() if n != META_TABLE}
        report.counts[relative] = {n: len(docs) for n, docs in tables.items()}
        _check_ids(path, tables, report)
        _check_mode(path, 0o600, report)
        return tables

    if not (root / REGISTRY_FILE).is_file():
        report.append(Problem(root / REGISTRY_FILE, f"{root / REGISTRY_FILE} がありません。"
                              f"バックアップ（{BACKUP_DIR}/{REGISTRY_FILE}.1）があれば戻してください。"))
    else:
        dataset["registry"] = load(REGISTRY_FILE, "registry") or {}
    if (root / SENSITIVE_FILE).is_file():
        dataset["sensitive"] = load(SENSITIVE_FILE, "sensitive") or {}

    meetings_dir = root / MEETINGS_DIR
    names = sorted(os.listdir(meetings_dir)) if meetings_dir.is_dir() else []
    for name in names:
        path = meetings_dir / name
        if is_temp_file(name):
            report.append(Problem(path, f"保存途中の一時ファイル {path} が残っています（前回の保存が途中で止まったようです）。"
                                  "データには影響しません。次に kyogitai で開いたときに削除されます。", "warning"))
        elif not name.endswith(".json") or not MEETING_ID_RE.fullmatch(name[:-5]):
            report.append(Problem(path, f"{path} は会議のファイルとして読み込まれません"
                                  "（名前は半角英数字・「-」「_」と .json だけにしてください）。", "warning"))
        else:
            tables = load(f"{MEETINGS_DIR}/{name}", "meeting")
            if tables is not None:
                dataset["meetings"][name[:-5]] = tables
    for name in sorted(os.listdir(root)):
        if is_temp_file(name):
            report.append(Problem(root / name, f"保存途中の一時ファイル {root / name} が残っています。"
                                  "データには影響しません。次に kyogitai で開いたときに削除されます。", "warning"))
    for directory in (root, meetings_dir, root / BACKUP_DIR):
        if directory.is_dir():
            _check_mode(directory, 0o700, report)

    if validate is not None:
        try:
            found = list(validate(dataset) or [])
        except Exception as exc:  # a bug in a domain check must not hide the file results
            report.append(Problem(None, f"内容の検査の途中でエラーが起きました（{type(exc).__name__}: {exc}）。"))
        else:
            report.extend(_as_problem(p) for p in found)
    return report


def _as_problem(item: Any) -> Problem:
    if isinstance(item, Problem):
        return item
    if isinstance(item, str):
        return Problem(None, item)
    path = getattr(item, "path", None)
    return Problem(
        Path(path) if path is not None else None,
        str(getattr(item, "message", item)),
        str(getattr(item, "level", "error")),
    )


def _check_ids(path: Path, tables: Mapping[str, list[Any]], report: CheckReport) -> None:
    for name, docs in tables.items():
        seen: set[str] = set()
        for doc in docs:
            doc_id = doc.get("id")
            if not isinstance(doc_id, str) or not doc_id:
                report.append(Problem(path, f"{path} の表 {name} に id のない文書があります。"))
            elif doc_id in seen:
                report.append(Problem(path, f"{path} の表 {name} で id {doc_id} が重複しています。"))
            else:
                seen.add(doc_id)


def _check_mode(path: Path, wanted: int, report: CheckReport) -> None:
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return
    if mode & 0o077:
        report.append(Problem(
            path,
            f"{path} はほかのユーザーも読める権限（{mode:o}）になっています。"
            f"個人情報を守るため `chmod {wanted:o} {path}` で本人だけにしてください。",
            "warning",
        ))
