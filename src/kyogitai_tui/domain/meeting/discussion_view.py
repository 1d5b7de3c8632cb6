"""What the discussion items (A11 不足の把握, A12 決定事項と役割分担), the
readback, the close and a past meeting show: texts and defaults.

Plain functions over the World, the catalog and the meeting record, so the
screens stay free of rules and a test can check every line a room reads on
the projector.  Residents appear only through ``world.subject_label``
(「Aさん（80代・女性・独居）」); nothing here reads ``world.sensitive``.
No Textual here.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from kyogitai_tui.domain.dates import hhmm, short_date, wareki_with_weekday

__all__ = [
    "REVIEW_MONTHS", "NONE_CODE", "add_months", "default_review_date", "quorum_stamp",
    "tier_label", "owners_text", "due_text", "decision_row_text", "action_row_text",
    "ReadbackCard", "readback_card", "readback_progress", "readback_result_text",
    "readback_counts", "check_mark", "checks_in_order", "check_row_text", "finding_row_text",
    "network_choices", "supersede_choices", "leader_choices", "person_choices", "org_choices",
    "decision_type_choices", "a12_prompts", "next_plan_text", "export_folder",
    "export_done_message", "past_meeting_lines",
]

REVIEW_MONTHS = 6          # 形骸化チェック: look again half a year after deciding
NONE_CODE = "-"            # the 「なし」 choice in pickers (an OptionList id cannot be empty)
RESULT_LABEL = {"PROBLEM": "問題あり", "OK": "問題なし", "UNKNOWN": "未確認"}


def _label(catalog: Any, list_name: str, code: Optional[str], default: str = "") -> str:
    return catalog.label_or_code(list_name, code, default)


# --------------------------------------------------------------------------
# dates and small texts
# --------------------------------------------------------------------------

def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def default_review_date(held_on: date, months: int = REVIEW_MONTHS) -> date:
    """形骸化チェック予定日 suggested for a decision taken on ``held_on``."""
    return add_months(held_on, months)


def quorum_stamp(decision: Any) -> str:
    """「決定時 構成員14名中13名出席・成立」 from the stamp on a decision ("" if none)."""
    members, present, met = decision.quorum_members, decision.quorum_present, decision.quorum_met
    if members is None or present is None:
        return ""
    return f"決定時 構成員{members}名中{present}名出席・{'成立' if met else '不成立'}"


def tier_label(tier: Optional[int]) -> str:
    return f"第{tier}層" if tier else ""


def owners_text(world: Any, action: Any) -> str:
    """「例示 一郎・北みほん地域包括支援センター・自治会長」 (persons, orgs, free text)."""
    names = [world.person_name(p) or p for p in action.owner_person_ids]
    names += [world.org_name(o) or o for o in action.owner_org_ids]
    if action.owner_text:
        names.append(action.owner_text)
    return "・".join(n for n in names if n) or "担当未定"


def due_text(d: Optional[date]) -> str:
    return wareki_with_weekday(d) if d else "期限なし"


# --------------------------------------------------------------------------
# A12 rows
# --------------------------------------------------------------------------

def _target_text(world: Any, decision: Any) -> str:
    parts = []
    if decision.target_network_id:
        net = world.provider_networks.get(decision.target_network_id)
        parts.append(net.name if net is not None else decision.target_network_id)
    if decision.target_text:
        parts.append(decision.target_text)
    parts += [world.subject_label(s) for s in decision.subject_ids]
    return "・".join(parts)


def _decision_facts(world: Any, decision: Any) -> list[str]:
    facts = []
    target = _target_text(world, decision)
    if target:
        facts.append(f"対象：{target}")
    if decision.persuade_leader_id:
        facts.append(f"働きかける相手：{world.person_name(decision.persuade_leader_id) or decision.persuade_leader_id}")
    facts.append("行政と協力" if decision.with_administration else "行政との協力なし")
    if decision.responsible_tier:
        facts.append(f"担当：{tier_label(decision.responsible_tier)}")
    if decision.review_on:
        facts.append(f"見直し：{short_date(decision.review_on)}")
    return facts


def decision_row_text(world: Any, catalog: Any, decision: Any) -> str:
    """Three lines: id, type and text; the facts; the quorum stamp."""
    kind = _label(catalog, "decision_types", decision.type, decision.type)
    lines = [f"{decision.id} [{kind}] {decision.text}", "   " + "・".join(_decision_facts(world, decision))]
    stamp = quorum_stamp(decision)
    if stamp:
        lines.append(f"   {stamp}")
    return "\n".join(lines)


def action_row_text(world: Any, action: Any, status: str = "") -> str:
    """「   - AI-10 打合せを開く（担当：例示 一郎・期限：10/31（金））」"""
    due = short_date(action.due_date) if action.due_date else "期限なし"
    tail = f"・{status}" if status else ""
    return f"   - {action.id} {action.title}（担当：{owners_text(world, action)}・期限：{due}{tail}）"


def a12_prompts(prompts: Iterable[Any], decision_ids_here: Iterable[str]) -> list[Any]:
    """Prompts for A12: G4 only for the decisions taken in this meeting (an
    old FORM_NEW was discussed when it was taken), G6 and others for all."""
    here = set(decision_ids_here)
    return [p for p in prompts if not (p.rule == "G4" and p.entity_id not in here)]


# --------------------------------------------------------------------------
# readback
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class ReadbackCard:
    kind: str                       # 決定事項 | 取組
    heading: str                    # 「D-10 既存ネットワークの機能拡大」
    body: str                       # the decision text / the action's content
    lines: tuple[str, ...] = field(default_factory=tuple)


def readback_card(world: Any, catalog: Any, record: Any, table: str, target_id: str) -> ReadbackCard:
    """The text read aloud for one decision or action item of the meeting."""
    if table == "decisions":
        d = next(x for x in record.decisions if x.id == target_id)
        kind = _label(catalog, "decision_types", d.type, d.type)
        lines = []
        target = _target_text(world, d)
        if target:
            lines.append(f"対象: {target}")
        if d.persuade_leader_id:
            lines.append(f"働きかける相手: {world.person_name(d.persuade_leader_id) or d.persuade_leader_id}")
        lines.append(f"行政との協力: {'あり' if d.with_administration else 'なし'}")
        if d.responsible_tier:
            lines.append(f"担当: {tier_label(d.responsible_tier)}コーディネーター")
        lines.append(f"見直し（形骸化チェック）: {due_text(d.review_on) if d.review_on else '未定'}")
        stamp = quorum_stamp(d)
        if stamp:
            lines.append(stamp)
        return ReadbackCard("決定事項", f"{d.id} {kind}", d.text, tuple(lines))
    a = next(x for x in record.action_items if x.id == target_id)
    lines = [f"担当: {owners_text(world, a)}", f"期限: {due_text(a.due_date)}"]
    if a.decision_id:
        d = next((x for x in record.decisions if x.id == a.decision_id), None)
        lines.append(f"決定事項: {a.decision_id} {d.text if d else ''}".rstrip())
    return ReadbackCard("取組", a.id, a.title, tuple(lines))


def readback_progress(position: int, total: int) -> str:
    """「3件目／7件」 (position counts from 1)."""
    return f"{position}件目／{total}件"


def readback_result_text(entry: Any) -> str:
    if entry is None:
        return "未確認"
    if entry.result == "OBJECTION":
        return f"異議あり：{entry.note}" if entry.note else "異議あり"
    return "確認済み"


def readback_counts(record: Any, targets: Sequence[tuple[str, str]]) -> str:
    """「確認 5件・異議 1件・未確認 1件」"""
    by_id = {r.target_id: r for r in record.readback}
    ok = sum(1 for _, t in targets if t in by_id and by_id[t].result == "CONFIRMED")
    ng = sum(1 for _, t in targets if t in by_id and by_id[t].result == "OBJECTION")
    return f"確認 {ok}件・異議 {ng}件・未確認 {len(targets) - ok - ng}件"


# --------------------------------------------------------------------------
# A11 rows
# --------------------------------------------------------------------------

def check_mark(result: Any, record: Any, check_id: str) -> str:
    """What this meeting did with a check result: 「課題に登録（GF-10）」,
    「見送り: 理由」, an earlier dismissal or an open finding already raised."""
    row = next((c for c in record.gap_checks if c.id == check_id), None)
    if row is not None:
        if row.dismissed_reason:
            return f"今回見送り: {row.dismissed_reason}"
        fid = next((f.id for f in record.gap_findings if f.source_check_id == check_id), "")
        return f"今回課題に登録（{fid}）" if fid else "今回課題に登録"
    if result.dismissed_reason:
        return f"以前に見送り: {result.dismissed_reason}"
    if result.open_finding_id:
        return f"登録済みの課題 {result.open_finding_id} あり"
    return ""


def checks_in_order(results: Iterable[Any]) -> list[Any]:
    """問題あり first (what the room discusses), then 未確認, then 問題なし; stable."""
    rank = {"PROBLEM": 0, "UNKNOWN": 1, "OK": 2}
    return sorted(results, key=lambda r: rank.get(r.result, 3))


def check_row_text(catalog: Any, result: Any, mark: str = "") -> str:
    code = result.check_code.split("_", 1)[0]
    name = _label(catalog, "gap_checks", result.check_code, result.check_code)
    head = f"[{RESULT_LABEL.get(result.result, result.result)}] {code} {name} ー {result.target_name}"
    lines = [head]
    if result.reason:
        lines.append(f"   {result.reason}")
    if mark:
        lines.append(f"   > {mark}")
    return "\n".join(lines)


def finding_row_text(catalog: Any, finding: Any, g5_text: str = "") -> str:
    kind = _label(catalog, "gap_finding_kinds", finding.kind, finding.kind)
    policy = _label(catalog, "network_or_service", finding.network_or_service, finding.network_or_service)
    status = _label(catalog, "gap_finding_statuses", finding.status, finding.status)
    lines = [f"{finding.id} [{kind}] {finding.description}", f"   対応方針：{policy}・状態：{status}"]
    if finding.network_or_service == "UNDECIDED" and g5_text:
        lines.append(f"   留意G5：{g5_text}")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# choices for the forms
# --------------------------------------------------------------------------

def supersede_choices(world: Any, decisions: Iterable[Any]) -> list[tuple[str, str]]:
    """「変更する決定」 picker: なし, then the council's decisions, newest first
    (「D-03 第2回 送迎は無償で行う」)."""
    out = [(NONE_CODE, "なし（新しい決定）")]
    for d in sorted(decisions, key=lambda d: (world.meeting_position(d.meeting_id)
                                               if d.meeting_id in world.meetings else 1 << 30, d.id),
                    reverse=True):
        rec = world.meetings.get(d.meeting_id)
        where = f"第{rec.meeting.seq_no}回 " if rec is not None else ""
        out.append((d.id, f"{d.id} {where}{d.text}"))
    return out


def network_choices(world: Any, council: Any) -> list[tuple[str, str]]:
    """Provider networks a council can decide about: for a tier-2 council the
    AREA networks of its area and every municipal/wide one; all for tier 1."""
    out = [(NONE_CODE, "（なし）")]
    for net in world.provider_networks.values():
        if council.tier == 2 and net.coverage_level == "AREA" and net.area_id != council.area_id:
            continue
        out.append((net.id, net.name))
    return out


def _council_person_ids(world: Any, council_id: str, on: Optional[date]) -> list[str]:
    seen: list[str] = []
    for m in world.members_of_council(council_id, on, include_staff=True):
        if m.person_id not in seen:
            seen.append(m.person_id)
    return seen


def _person_label(world: Any, pid: str) -> str:
    p = world.persons.get(pid)
    if p is None:
        return pid
    org = world.org_name(p.org_id)
    return f"{p.display_name}（{org}）" if org else p.display_name


def leader_choices(world: Any, catalog: Any, council_id: str, decision_type: str,
                   on: Optional[date] = None) -> list[tuple[str, str]]:
    """Persons to persuade: those with the leader trait the decision type asks
    for first, then other leaders, then the council's members; trait shown."""
    wanted = None
    try:
        wanted = getattr(catalog.entry("decision_types", decision_type), "persuade_leader_trait", None)
    except Exception:  # unknown type: no preference
        wanted = None
    leaders = [p for p in world.persons.values() if p.leader_traits]
    leaders.sort(key=lambda p: (0 if wanted in p.leader_traits else 1, p.id))
    out = [(NONE_CODE, "（なし）")]
    for p in leaders:
        traits = "・".join(_label(catalog, "leader_traits", t, t) for t in p.leader_traits)
        out.append((p.id, f"{_person_label(world, p.id)} ー {traits}"))
    taken = {p.id for p in leaders}
    for pid in _council_person_ids(world, council_id, on):
        if pid not in taken:
            out.append((pid, _person_label(world, pid)))
    return out


def person_choices(world: Any, council_id: str, on: Optional[date] = None) -> list[tuple[str, str]]:
    """Owners of an action item: the council's members and staff."""
    return [(pid, _person_label(world, pid)) for pid in _council_person_ids(world, council_id, on)]


def org_choices(world: Any, council: Any, on: Optional[date] = None) -> list[tuple[str, str]]:
    """Organisations that can own an action: the members' organisations, then
    those active in the council's area (all for a tier-1 council)."""
    ids: list[str] = []
    for m in world.members_of_council(council.id, on, include_staff=True):
        oid = m.org_id or getattr(world.persons.get(m.person_id), "org_id", None)
        if oid and oid not in ids and oid in world.organizations:
            ids.append(oid)
    for org in world.organizations.values():
        if org.id in ids:
            continue
        if council.tier == 1 or council.area_id in org.area_ids or org.coverage_level in ("MUNICIPAL", "WIDE"):
            ids.append(org.id)
    return [(oid, world.organizations[oid].name) for oid in ids]


def decision_type_choices(catalog: Any) -> list[tuple[str, str]]:
    """The seed's decision types, the three headline ones first."""
    entries = list(catalog.decision_types)
    entries.sort(key=lambda e: 0 if getattr(e, "headline", False) else 1)
    return [(e.code, e.label) for e in entries]


# --------------------------------------------------------------------------
# close and past meetings
# --------------------------------------------------------------------------

def next_plan_text(meeting: Any) -> str:
    """「令和7年11月18日（火）14:00 北みほん地区会館」, or 「未定」."""
    if meeting.next_plan_date is None:
        return "未定" + (f"（{meeting.next_plan_venue}）" if meeting.next_plan_venue else "")
    parts = [wareki_with_weekday(meeting.next_plan_date)]
    if meeting.next_plan_time:
        parts.append(hhmm(meeting.next_plan_time))
    if meeting.next_plan_venue:
        parts.append(meeting.next_plan_venue)
    return " ".join(parts)


def export_folder(configured: Optional[Path | str], documents_dir: Optional[Path | str] = None) -> Path:
    """Where minutes go: the app's export folder when set, else
    ``<documents>/kyogitai`` (the user's documents folder)."""
    if configured:
        return Path(configured).expanduser()
    base = Path(documents_dir) if documents_dir else Path.home() / "Documents"
    return base / "kyogitai"


def export_done_message(paths: Iterable[Path | str]) -> str:
    """One line per file: 「/home/user/Documents/kyogitai/x.docx に書き出しました」."""
    return "\n".join(f"{p} に書き出しました" for p in paths)


def past_meeting_lines(world: Any, catalog: Any, meeting_id: str, today: date) -> list[str]:
    """A read-only summary of a held meeting (pseudonymous labels only)."""
    from kyogitai_tui.domain.dates import meeting_title
    from kyogitai_tui.domain.guidebook.rules import quorum_for_meeting

    rec = world.meetings[meeting_id]
    m = rec.meeting
    council = world.councils.get(m.council_id)
    status = _label(catalog, "meeting_statuses", m.status, m.status)
    when = wareki_with_weekday(m.held_on)
    if m.start_time:
        when += f" {hhmm(m.start_time)}"
        if m.end_time:
            when += f"～{hhmm(m.end_time)}"
    lines = [f"{council.name if council else m.council_id}  {meeting_title(m.fiscal_year, m.seq_no)}（{status}）",
             f"日時 {when}", f"会場 {m.venue or '未記録'}"]
    if rec.attendance:
        lines.append(f"出席 {quorum_for_meeting(world, meeting_id).text}")
    else:
        lines.append("出席 出欠は未記録")
    lines += ["", f"決定事項 {len(rec.decisions)}件"]
    for d in rec.decisions:
        lines.append(decision_row_text(world, catalog, d))
    lines += ["", f"取組 {len(rec.action_items)}件（現在の状態）"]
    for a in rec.action_items:
        st = world.action_state(a.id)
        code = st.status if st is not None else a.status
        label = _label(catalog, "action_item_statuses", code, code)
        overdue = st is not None and st.is_overdue(today)
        lines.append(action_row_text(world, a, label + ("・期限超過" if overdue else "")))
    if rec.readback:
        lines += ["", f"読み上げ確認 {readback_counts(rec, [(r.target_table, r.target_id) for r in rec.readback])}"]
        for r in rec.readback:
            if r.result == "OBJECTION":
                lines.append(f"   {r.target_id} {readback_result_text(r)}")
    lines += ["", f"次回 {next_plan_text(m)}"]
    if m.next_plan_topics:
        lines.append(f"次回の議題 {m.next_plan_topics}")
    return lines
