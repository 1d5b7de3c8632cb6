"""Layout of a data directory: file names, meeting ids, root checks, dataset shape.

Kept apart from ``DataStore`` so ``check`` and the CLI can share it.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterator, Mapping

from kyogitai_tui.store.errors import InvalidDataError, StoreError
from kyogitai_tui.store.files import check_table_name, clean_document
from kyogitai_tui.store.storage import ensure_private_dir, is_temp_file

REGISTRY_FILE = "registry.json"
SENSITIVE_FILE = "sensitive.json"
MEETINGS_DIR = "meetings"
BACKUPS_DIR = "backups"
MEETING_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,100}")

Tables = dict[str, list[dict[str, Any]]]
Dataset = dict[str, Any]  # {"registry": Tables, "sensitive": Tables, "meetings": {id: Tables}}


def check_meeting_id(meeting_id: Any) -> str:
    """Meeting ids become file names: only ``[A-Za-z0-9_-]`` (no path traversal)."""
    if not isinstance(meeting_id, str) or not MEETING_ID_RE.fullmatch(meeting_id):
        raise InvalidDataError(
            f"会議の番号 {meeting_id!r} は使えません（半角英数字・「-」「_」だけ、100文字まで）"
        )
    return meeting_id


def meeting_ids_on_disk(root: Path) -> set[str]:
    found: set[str] = set()
    try:
        entries: Iterator[os.DirEntry] = os.scandir(root / MEETINGS_DIR)
    except FileNotFoundError:
        return found
    with entries:
        for entry in entries:
            name = entry.name
            if name.endswith(".json") and not is_temp_file(name) and MEETING_ID_RE.fullmatch(name[:-5]):
                found.add(name[:-5])
    return found


def prepare_root(root: Path, *, create: bool) -> None:
    if not root.exists():
        if not create:
            raise StoreError(
                f"データフォルダ {root} が見つかりません。場所を確認するか、新しく作る指定で開いてください。",
                path=root,
            )
        try:
            ensure_private_dir(root)
        except OSError as exc:
            raise StoreError(f"データフォルダ {root} を作れませんでした（{exc.strerror}）。", path=root) from exc
        return
    if not root.is_dir():
        raise StoreError(f"{root} はフォルダではありません。データフォルダの場所を確認してください。", path=root)
    if (root / REGISTRY_FILE).exists():
        return
    try:
        others = [p for p in os.listdir(root) if p not in (".lock",)]
    except OSError as exc:
        raise StoreError(f"データフォルダ {root} を読めません（{exc.strerror}）。", path=root) from exc
    if others:
        raise StoreError(
            f"{root} には {REGISTRY_FILE} がありません。kyogitai のデータフォルダではないか、"
            f"ファイルが失われています。正しいフォルダを指定するか、"
            f"バックアップ（{BACKUPS_DIR}/{REGISTRY_FILE}.1）を {REGISTRY_FILE} として戻してください。",
            path=root,
        )


def validate_dataset(dataset: Mapping[str, Any]) -> dict[str, Any]:
    """Check a dataset's shape, ids and documents; return a cleaned copy."""
    if not isinstance(dataset, Mapping):
        raise InvalidDataError("データセットが dict ではありません")
    unknown = set(dataset) - {"registry", "sensitive", "meetings"}
    if unknown:
        raise InvalidDataError(f"データセットに不明な項目があります: {sorted(unknown)}")

    def clean_tables(tables: Any, where: str) -> dict[str, list[dict[str, Any]]]:
        if not isinstance(tables, Mapping):
            raise InvalidDataError(f"{where} が表の dict ではありません")
        out: dict[str, list[dict[str, Any]]] = {}
        for name, docs in tables.items():
            check_table_name(name)
            if not isinstance(docs, (list, tuple)):
                raise InvalidDataError(f"{where} の表 {name} が list ではありません")
            cleaned = [clean_document(d) for d in docs]
            seen: set[str] = set()
            for d in cleaned:
                if d["id"] in seen:
                    raise InvalidDataError(f"{where} の表 {name} に id {d['id']} が重複しています")
                seen.add(d["id"])
            out[name] = cleaned
        return out

    meetings = dataset.get("meetings", {})
    if not isinstance(meetings, Mapping):
        raise InvalidDataError("データセットの meetings が dict ではありません")
    return {
        "registry": clean_tables(dataset.get("registry", {}), "registry"),
        "sensitive": clean_tables(dataset.get("sensitive", {}), "sensitive"),
        "meetings": {
            check_meeting_id(mid): clean_tables(tables, f"会議 {mid}") for mid, tables in meetings.items()
        },
    }
