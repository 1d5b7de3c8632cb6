"""CSV import and export of organisations, persons and provider networks
(Excel-compatible; no Textual).

Reading (``read_csv``)
    UTF-8 with BOM, UTF-8, or Shift_JIS as Excel writes it (cp932); any other
    bytes (an .xlsx workbook, binary data, another encoding) are refused with a
    Japanese ``CsvError``.  Line numbers are Excel's row numbers: the header is
    row 1, the first data row is row 2 (a cell with a line break stays one row).

Columns
    The header names the columns by their Japanese label (``fields(kind)``,
    as in the template) or by the field name; order does not matter; an
    unknown column is a problem of row 1 (a typo must not drop data silently).
    「ID」 is optional: empty = a new record (id generated), an existing id =
    update that record, an unknown id = a new record with that id.
    Choices take the Japanese label or the code; references take the id or the
    name; lists are separated by 「;」; dates are 2025-09-16 or 和暦
    (令和7年9月16日); yes/no columns take はい/いいえ (or 1/0).

Provider networks and their members
    One row per network; the column 「構成団体」 lists the member
    organisations (id or name) separated by 「;」, e.g. 「O13;O14」.  For an
    existing network the list replaces the current members (those left out
    get ``left_on``); an empty cell leaves them as they are (remove the last
    member on the screen).  The leader is the 「リーダー」 column (a person,
    by id: names of people are not unique).

Applying (``apply``) is all-or-nothing: only a preview without problems gives
changes, and the caller writes them in one ``DataStore.apply_batch``
(``write``).  Export (``export_csv``) writes active records with the same
headers in UTF-8 with BOM (Excel opens it directly) and reads back through
the import unchanged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from datetime import date
from typing import Any, Optional

from kyogitai_tui.domain.registry.csv_read import CsvData, CsvError, CsvRow, decode, read_csv
from kyogitai_tui.domain.registry.specs import FieldSpec, choices, fields, norm_text, records
from kyogitai_tui.domain.registry.values import split_list
from kyogitai_tui.domain.changes import Change, registry_change
from kyogitai_tui.domain.csvfile import csv_bytes

__all__ = [
    "CSV_KINDS", "KIND_ALIASES", "CsvError", "CsvRow", "CsvData", "Preview", "kind_of",
    "read_csv", "decode", "header_labels", "preview", "apply", "write", "template_csv", "export_csv",
]

CSV_KINDS = ("organizations", "persons", "provider_networks", "municipality", "areas", "councils")
KIND_ALIASES = {"市町村": "municipality", "圏域": "areas", "日常生活圏域": "areas", "協議体": "councils",
                "area": "areas", "council": "councils",
                "団体": "organizations", "人": "persons", "事業者間ネットワーク": "provider_networks",
                "organization": "organizations", "person": "persons",
                "provider_network": "provider_networks", "ネットワーク": "provider_networks"}
ID_HEADER = "ID"
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,39}$")
MEMBERS_HEADER = "構成団体"
MEMBERS_NAME = "member_org_ids"


@dataclass
class Preview:
    """What an import would do.  ``good``: (line, record id, label, is_new);
    ``problems``: (line, Japanese reason), in line order; ``warnings``: (line,
    Japanese note) that do not stop the import (cells shaped like an Excel
    formula, kept as text)."""
    kind: str
    good: list = dc_field(default_factory=list)
    problems: list = dc_field(default_factory=list)
    warnings: list = dc_field(default_factory=list)
    changes: list = dc_field(default_factory=list)
    unchanged: int = 0        # rows equal to what is stored (nothing to write)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.changes)

    @property
    def added(self) -> int:
        return sum(1 for g in self.good if g[3])

    @property
    def updated(self) -> int:
        return sum(1 for g in self.good if not g[3])


def kind_of(text: str) -> Optional[str]:
    """organizations / persons / provider_networks from a code or Japanese name."""
    t = norm_text(text)
    if t in CSV_KINDS:
        return t
    return KIND_ALIASES.get(t)


# ---------------------------------------------------------------- columns

def _csv_fields(kind: str) -> list[FieldSpec]:
    out = [f for f in fields(kind) if f.csv]
    if kind == "provider_networks":
        out.append(FieldSpec(MEMBERS_NAME, MEMBERS_HEADER, "refs", ref_kind="organizations",
                             help="構成団体のIDか名前を「;」で区切って並べます"))
    return out


def header_labels(kind: str) -> list[str]:
    return [ID_HEADER] + [f.label for f in _csv_fields(kind)]


def _column_map(kind: str, header: list) -> tuple[dict, list]:
    """header text -> field name (ID -> "id"), and problems of row 1."""
    by = {norm_text(ID_HEADER): "id", "id": "id"}
    for f in _csv_fields(kind):
        by[norm_text(f.label)] = f.name
        by[norm_text(f.name)] = f.name
    out, problems, seen = {}, [], {}
    for h in header:
        if not h:
            continue
        name = by.get(norm_text(h)) or by.get(norm_text(h.split("（")[0].split("(")[0]))
        if name is None:
            problems.append((1, f"列「{h}」はこの種類（{kind_label(kind)}）では使えません。"
                                "テンプレートの見出しに合わせてください。"))
        elif name in seen:
            problems.append((1, f"列「{h}」が2回あります（「{seen[name]}」と同じ列）。"))
        else:
            out[h], seen[name] = name, h
    for f in _csv_fields(kind):
        if f.required and f.name not in seen:
            problems.append((1, f"必要な列「{f.label}」がありません。"))
    return out, problems


def kind_label(kind: str) -> str:
    from kyogitai_tui.domain.registry.specs import KINDS
    return KINDS.get(kind, kind)


# ---------------------------------------------------------------- preview

def preview(world: Any, catalog: Any, kind: str, rows: Any, today: Optional[date] = None) -> Preview:
    """Check every row (nothing is written) and prepare the changes."""
    from kyogitai_tui.domain.registry.edit import IdPool, RegistryError, save, validate, values_of
    from kyogitai_tui.domain.registry.specs import NAME_FIELD
    today = today or date.today()
    pv = Preview(kind)
    header = list(rows.header) if isinstance(rows, CsvData) else (list(rows[0].cells) if rows else [])
    colmap, pv.problems = _column_map(kind, header)
    if pv.problems:
        return pv
    labels = {f.name: f.label for f in _csv_fields(kind)}
    existing = records(world, kind)
    every_id = set(existing)
    reserve = IdPool()
    seen_names: dict = {}
    seen_ids: dict = {}
    id_header = next((h for h in header if colmap.get(h) == "id"), None)
    for row in rows:
        if id_header is not None and str(row.cells.get(id_header, "")).strip().startswith("#"):
            continue      # a comment row: the template's 選択肢
        for h in getattr(row, "formulas", ()):
            pv.warnings.append((row.line, formula_warning(h, row.cells.get(h, ""))))
        if "\x00extra" in row.cells:
            pv.problems.append((row.line, "見出しより多くの列に値があります。列がずれていないか確かめてください。"))
            continue
        values = {colmap[h]: v for h, v in row.cells.items() if h in colmap}
        rid = (values.pop("id", "") or "").strip()
        members = values.pop(MEMBERS_NAME, None)
        editing = rid if rid in existing else None
        if editing and members is not None and not split_list(members):
            members = None      # an empty 構成団体 cell leaves the members as they are
        problems = []
        if rid and rid in seen_ids:
            problems.append(f"ID「{rid}」が{seen_ids[rid]}行目と重複しています。")
        if rid and not editing and not _ID_RE.match(rid):
            problems.append(f"ID「{rid}」は使えません。英数字と「-」「_」だけにするか、空にしてください（自動で付けます）。")
        elif rid and not editing and (rid in getattr(world, "organizations", {}) or rid in getattr(world, "persons", {})
                                    or rid in getattr(world, "provider_networks", {})):
            problems.append(f"ID「{rid}」はほかの種類で使われています。")
        errors = validate(world, catalog, kind, values, editing)
        for name, msg in errors.items():
            if name == NAME_FIELD[kind] and "すでに登録されています（" in msg and not rid:
                known = msg.split("すでに登録されています（", 1)[1].split("）", 1)[0]
                msg += f"その行で更新するときは「ID」列に {known} と入れてください。"
            problems.append(f"{labels.get(name, name)}: {msg}")
        key = _dup_key(world, catalog, kind, values)
        if editing and key is not None and key == _dup_key(
                world, catalog, kind, {k: v for k, v in values_of(world, kind, editing).items()}):
            key = None        # an existing record keeping its name: already checked when it was made
        if key and not errors.get(NAME_FIELD[kind]):
            if key in seen_names:
                problems.append(f"{labels[NAME_FIELD[kind]]}: {seen_names[key]}行目と同じ名前です。")
        member_ids: list = []
        if members is not None:
            member_ids, msg = _members(world, catalog, members)
            if msg:
                problems.append(f"{MEMBERS_HEADER}: {msg}")
        if problems:
            pv.problems.extend((row.line, p) for p in problems)
            continue
        if key:
            seen_names[key] = row.line
        if rid:
            seen_ids[rid] = row.line
        try:
            changes = save(world, catalog, kind, values, editing, today, reserve=reserve,
                           new_id=(rid or None) if not editing else None, check=False)
        except RegistryError as exc:   # validate said yes: should not happen
            pv.problems.append((row.line, exc.message))
            continue
        new_id = changes[0].doc_id
        every_id.add(new_id)
        if members is not None:
            changes += _member_changes(world, catalog, new_id, editing, member_ids, today, reserve)
        if editing and all(_same(world, c) for c in changes):
            pv.unchanged += 1
            continue
        pv.changes.extend(changes)
        pv.good.append((row.line, new_id, values.get(NAME_FIELD[kind], ""), editing is None))
    pv.problems.sort(key=lambda p: p[0])
    if not pv.good and not pv.problems and not pv.unchanged:
        pv.problems.append((2, "取り込む行がありません（見出しだけのファイルです）。"))
    return pv


def formula_warning(header: str, value: str) -> str:
    shown = value if len(value) <= 30 else value[:30] + "…"
    return (f"列「{header}」の「{shown}」は Excel で数式として動く形です。文字として取り込み、"
            "CSV に書き出すときは先頭に「'」を付けて数式にならないようにします。")


def _empty(v: Any) -> bool:
    return v is None or v == "" or v == []


def _same(world: Any, change: Change) -> bool:
    """Whether a change would write what is already there (compared as typed
    records, with the meetings' updates folded in, so defaults and key order
    do not matter)."""
    from kyogitai_tui.domain.model import REGISTRY_TABLES
    klass = REGISTRY_TABLES.get(change.table)
    held = getattr(world, change.table, None)
    if klass is None or change.doc is None or held is None:
        return False
    if isinstance(held, dict):
        cur = held.get(change.doc_id)
    elif not isinstance(held, list):          # the one municipality
        cur = held if getattr(held, "id", None) == change.doc_id else None
    else:
        cur = next((r for r in held if r.id == change.doc_id), None)
    if cur is None:
        return False
    try:
        new, now = klass.from_doc(change.doc).to_doc(), cur.to_doc()
    except (TypeError, ValueError):
        return False
    from kyogitai_tui.domain.world import FOLDED_THROUGH   # bookkeeping, not content

    return all(new.get(k) == now.get(k) or (_empty(new.get(k)) and _empty(now.get(k)))
               for k in set(new) | set(now) if k != FOLDED_THROUGH)


def _dup_key(world: Any, catalog: Any, kind: str, values: dict) -> Optional[tuple]:
    """What makes two rows of one file the same record: the name (and, for
    persons, the organisation, read as an id whether given by id or name)."""
    from kyogitai_tui.domain.registry.specs import NAME_FIELD
    from kyogitai_tui.domain.registry.values import coerce
    name = norm_text(values.get(NAME_FIELD[kind], ""))
    if not name:
        return None
    if kind == "persons":
        typed, _ = coerce(world, catalog, kind, {"org_id": values.get("org_id")})
        return (name, typed.get("org_id") or norm_text(values.get("org_id", "")))
    return (name,)


def _members(world: Any, catalog: Any, text: Any) -> tuple[list, str]:
    from kyogitai_tui.domain.registry.values import _choice
    spec = _csv_fields("provider_networks")[-1]
    out, bad = [], []
    for part in split_list(text):
        try:
            oid = _choice(world, catalog, spec, part)
        except ValueError as exc:
            bad.append(str(exc))
            continue
        org = world.organizations.get(oid)
        if org is not None and org.retired_on is not None:
            bad.append(f"「{part}」は休止中です。")
        elif oid in out:
            bad.append(f"「{part}」が2回あります。")
        else:
            out.append(oid)
    return out, " ".join(bad)


def _member_changes(world: Any, catalog: Any, net_id: str, editing: Optional[str],
                    org_ids: list, today: date, reserve: Any) -> list[Change]:
    from kyogitai_tui.domain.registry.members import set_members
    if editing:
        current = [m for m in world.provider_network_members if m.network_id == net_id and m.left_on is None]
        if sorted(m.org_id for m in current) == sorted(org_ids) and len(current) == len(org_ids):
            return []
        return set_members(world, catalog, "provider_networks", net_id,
                           [{"org_id": o} for o in org_ids], today=today)
    num = "".join(ch for ch in net_id if ch.isdigit()) or net_id
    taken = {m.id for m in world.provider_network_members}
    out, n = [], 1
    for oid in org_ids:
        while f"PNM-{num}-{n:02d}" in taken or f"PNM-{num}-{n:02d}" in reserve:
            n += 1
        mid = f"PNM-{num}-{n:02d}"
        taken.add(mid)
        reserve.add(mid)
        out.append(registry_change("provider_network_members", mid, {
            "id": mid, "network_id": net_id, "org_id": oid, "joined_on": today.isoformat()}))
    return out


def apply(pv: Preview) -> list[Change]:
    """The changes of a preview without problems (else CsvError): all rows or none."""
    if pv.problems:
        raise CsvError(f"問題のある行が{len({p[0] for p in pv.problems})}行あるため、取り込みません。"
                       "直してからもう一度取り込んでください。")
    if not pv.changes:
        raise CsvError("登録済みの内容と同じで、取り込む変更がありません。" if pv.unchanged
                       else "取り込む行がありません。")
    return list(pv.changes)


def write(store: Any, changes: list[Change]) -> None:
    """Write registry changes in ONE atomic write (``DataStore.apply_batch``)."""
    upserts = [(c.table, c.doc) for c in changes if c.doc is not None]
    deletes = [(c.table, c.doc_id) for c in changes if c.doc is None]
    if any(c.scope != "registry" for c in changes):
        raise ValueError("registry_csv.write: only registry changes")
    store.apply_batch(upserts, deletes)


# ---------------------------------------------------------------- writing

def _to_bytes(rows: list[list[str]]) -> bytes:
    return csv_bytes(rows)     # cells that Excel would run as formulas get an apostrophe


CHOICES_MARK = "#選択肢"


def choices_row(kind: str, world: Any = None, catalog: Any = None) -> list[str]:
    """The template's second row: under each column with fixed choices, the
    values it takes (「選択肢：行政、社会福祉法人、…」); 「ID」 holds
    ``CHOICES_MARK``, so that the import skips the row (a row whose ID starts
    with 「#」 is a comment)."""
    from kyogitai_tui.domain.registry.values import allowed_text
    if catalog is None:
        from kyogitai_tui.domain.catalog import default_catalog
        catalog = default_catalog()
    row = [CHOICES_MARK]
    for spec in _csv_fields(kind):
        text = ""
        if spec.kind in ("choice", "multi") or (spec.kind == "bool"):
            text = allowed_text(world, catalog, spec)
            if text:
                text = f"選択肢：{text}" + ("（「;」で区切って複数）" if spec.kind == "multi" else "")
        elif spec.kind in ("ref", "refs"):
            what = {"persons": "人", "organizations": "団体", "areas": "圏域"}.get(spec.ref_kind or "", "登録済みのもの")
            text = f"{what}の名前（同名があるときはID）" + ("を「;」で区切って" if spec.kind == "refs" else "")
        elif spec.kind == "date":
            text = "日付（2025-09-16 または 令和7年9月16日）"
        row.append(text)
    return row


def template_csv(kind: str, world: Any = None, catalog: Any = None) -> bytes:
    """An empty CSV (UTF-8 with BOM) for ``kind``: the header and the
    選択肢 row (skipped by the import)."""
    return _to_bytes([header_labels(kind), choices_row(kind, world, catalog)])


def _cell(world: Any, catalog: Any, spec: FieldSpec, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if spec.kind == "bool":
        return "はい" if value else "いいえ"
    if isinstance(value, date):
        return value.isoformat()
    if spec.kind in ("choice", "multi", "ref", "refs"):
        labels = dict(choices(world, catalog, spec))
        items = value if isinstance(value, list) else [value]
        out = []
        for v in items:
            lab = labels.get(str(v))
            if spec.ref_kind == "persons":
                lab = _person_cell(world, str(v))
            if lab is None:
                lab = str(v)
            out.append(lab)
        return ";".join(out)
    return str(value)


def _person_cell(world: Any, pid: str) -> str:
    """A person by name (「見本 二葉」), as every other column names things;
    by id only when another person has the same name (the import reads both)."""
    p = world.persons.get(pid)
    if p is None:
        return pid
    key = norm_text(p.display_name)
    same = [q for q in world.persons.values() if norm_text(q.display_name) == key]
    return p.display_name if len(same) == 1 and p.display_name.strip() else pid


def export_csv(world: Any, catalog: Any, kind: str) -> bytes:
    """Active records of ``kind`` as CSV (UTF-8 with BOM, Japanese headers)."""
    from kyogitai_tui.domain.registry.edit import values_of
    specs = _csv_fields(kind)
    out = [header_labels(kind)]
    for rid in sorted(records(world, kind, include_retired=False)):
        vals = values_of(world, kind, rid)
        if kind == "provider_networks":
            vals[MEMBERS_NAME] = [o.id for o in world.network_members(rid)]
        out.append([rid] + [_cell(world, catalog, s, vals.get(s.name)) for s in specs])
    return _to_bytes(out)
