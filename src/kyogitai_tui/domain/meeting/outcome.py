"""What a meeting settles: A11 (the gap checks and findings), A12 (decisions
and the action items that carry them out), the readback of both, and the
close.

Mixed into ``session.MeetingSession`` beside ``items`` (A01-A10) and
``roll``; every method returns the ``Change``s to save.  A finding's later
policy and status are rows of the meeting that changed them
(FindingUpdate), an action taken over by a later decision is closed by a
row of *this* meeting (ActionProgress with ``superseded_by``).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.guidebook import gaps as gaps
from kyogitai_tui.domain.meeting.items import _codes, _err
from kyogitai_tui.domain.model import (
    ActionItem, ActionProgress, Decision, FindingUpdate, GapFinding, ReadbackEntry,
)
from kyogitai_tui.domain.changes import Change, require_text

# decision type -> the 対応方針 (network_or_service) it settles for the
# findings it answers (seed 4-4(5)-2, G5)
DECISION_POLICY = {"FORM_NEW": "NETWORK", "EXPAND_EXISTING": "NETWORK", "CREATE_SERVICE": "SERVICE"}


class SessionOutcomeMixin:
    # (attributes provided by MeetingSession)
    meeting_id: str
    world: Any
    record: Any
    today: date
    # ------------------------------------------------------------------
    # A11 不足の把握
    # ------------------------------------------------------------------

    def run_checks(self) -> list[gaps.CheckResult]:
        council = self.council
        return gaps.run_gap_checks(self.world, council_id=council.id, today=self.today)

    def _check_id(self, result: gaps.CheckResult) -> str:
        return f"{self.meeting_id}-GC-{result.check_code}-{result.target}"

    def accept_check(self, result: gaps.CheckResult, *, description: Optional[str] = None,
                     evidence_sources: Optional[list[str]] = None, item_id: Optional[str] = None) -> list["Change"]:
        if not result.problem:
            raise _err("問題のなかったチェックは課題にできません。")
        check = gaps.check_record(result, self.meeting_id, check_id=self._check_id(result),
                                  today=self.meeting.held_on, evidence_sources=evidence_sources)
        fid = self._global_next_id("GF-", "gap_findings")
        finding = gaps.finding_from_check(result, self.meeting_id, finding_id=fid, check_id=check.id,
                                          description=(description or "").strip() or None,
                                          agenda_item_id=item_id, evidence_sources=evidence_sources)
        return [self._put(check), self._put(finding)]

    def dismiss_check(self, result: gaps.CheckResult, reason: str) -> list["Change"]:
        try:
            check = gaps.dismiss(result, reason, self.meeting_id, check_id=self._check_id(result),
                                 today=self.meeting.held_on)
        except ValueError as exc:
            raise _err(str(exc)) from None
        return [self._put(check)]

    def add_finding(self, kind: str, description: str, *, area_id: Optional[str] = None,
                    evidence_sources: Iterable[str] = (), network_or_service: str = "UNDECIDED",
                    network_id: Optional[str] = None, subject_ids: Iterable[str] = (),
                    item_id: Optional[str] = None) -> list["Change"]:
        if kind not in _codes("gap_finding_kinds"):
            raise _err(f"課題の区分「{kind}」は使えません。")
        if network_or_service not in _codes("network_or_service"):
            raise _err(f"対応方針「{network_or_service}」は使えません。")
        fid = self._global_next_id("GF-", "gap_findings")
        return [self._put(GapFinding(
            id=fid, meeting_id=self.meeting_id, kind=kind, description=require_text(description, "課題の内容"),
            area_id=area_id or self.council.area_id, network_id=network_id,
            subject_ids=list(subject_ids), evidence_sources=list(evidence_sources),
            network_or_service=network_or_service, status="OPEN", agenda_item_id=item_id))]

    def findings_now(self) -> list[GapFinding]:
        """Open findings of this council (earlier meetings folded) and this meeting's."""
        out: dict[str, GapFinding] = {}
        mine = {m.id for m in self.world.meetings_of(self.meeting.council_id)}
        for st in self.world.finding_states():
            if st.finding.meeting_id in mine and st.is_open:
                out[st.id] = replace(st.finding, status=st.status, network_or_service=st.network_or_service)
        for f in self.record.gap_findings:
            out[f.id] = f
        for u in self.record.finding_updates:
            if u.finding_id in out:
                f = out[u.finding_id]
                out[u.finding_id] = replace(f, status=u.status or f.status,
                                            network_or_service=u.network_or_service or f.network_or_service)
        return list(out.values())

    def update_finding(self, finding_id: str, *, status: Optional[str] = None,
                       network_or_service: Optional[str] = None, note: str = "") -> list["Change"]:
        if network_or_service is not None and network_or_service not in _codes("network_or_service"):
            raise _err(f"対応方針「{network_or_service}」は使えません。")
        for f in self.record.gap_findings:
            if f.id == finding_id:
                return [self._put(replace(f, status=status or f.status,
                                          network_or_service=network_or_service or f.network_or_service))]
        if not any(f.id == finding_id for f in self.findings_now()):
            raise _err(f"課題「{finding_id}」が見つかりません。")
        uid = f"{self.meeting_id}-FU-{finding_id}"
        old = next((u for u in self.record.finding_updates if u.id == uid), None)
        return [self._put(FindingUpdate(
            id=uid, meeting_id=self.meeting_id, finding_id=finding_id,
            status=status or (old.status if old else None),
            network_or_service=network_or_service or (old.network_or_service if old else None),
            note=note.strip() or (old.note if old else "")))]

    # ------------------------------------------------------------------
    # A12 決定事項と役割分担
    # ------------------------------------------------------------------

    def add_decision(self, type: str, text: str, *, finding_ids: Iterable[str] = (),
                     target_network_id: Optional[str] = None, target_text: str = "",
                     persuade_leader_id: Optional[str] = None, with_administration: bool = True,
                     responsible_tier: Optional[int] = None, review_on: Optional[date] = None,
                     parallel_individual_mechanism: bool = False, linked_system: Optional[str] = None,
                     subject_ids: Iterable[str] = (), item_id: Optional[str] = None,
                     supersedes_decision_id: Optional[str] = None) -> list["Change"]:
        if type not in _codes("decision_types"):
            raise _err(f"決定の種類「{type}」は使えません。")
        text = require_text(text, "決定の内容")
        if review_on is not None and review_on <= self.meeting.held_on:
            raise _err("見直し（形骸化チェック）の日付は会議の日より後にしてください。")
        if responsible_tier is None and target_network_id:
            net = self.world.provider_networks.get(target_network_id)
            if net is not None:
                from kyogitai_tui.domain.guidebook.rules import responsible_tier as tier_of
                responsible_tier = tier_of(net)
        if supersedes_decision_id:
            if not any(d.id == supersedes_decision_id for d in self.earlier_decisions()):
                raise _err(f"変更する決定「{supersedes_decision_id}」がこの協議体の決定事項に見つかりません。")
        if item_id is not None:
            self.item(item_id)
        q = self.quorum()
        did = self._global_next_id("D-", "decisions")
        decision = Decision(
            id=did, meeting_id=self.meeting_id, type=type, text=text, agenda_item_id=item_id,
            target_network_id=target_network_id, target_text=target_text.strip(),
            persuade_leader_id=persuade_leader_id, with_administration=with_administration,
            responsible_tier=responsible_tier or self.council.tier,
            parallel_individual_mechanism=parallel_individual_mechanism,
            review_on=review_on, gap_finding_ids=list(finding_ids), subject_ids=list(subject_ids),
            linked_system=linked_system, quorum_present=q.present, quorum_members=q.members,
            quorum_met=q.met, decided_at=self.now().replace(microsecond=0),
            supersedes_decision_id=supersedes_decision_id or None)
        changes = [self._put(decision)]
        policy = DECISION_POLICY.get(type)
        undecided = {f.id for f in self.findings_now()
                     if getattr(f, "network_or_service", "UNDECIDED") == "UNDECIDED"}
        for fid in decision.gap_finding_ids:
            # a decision to form or widen a network (or create a service) IS the
            # finding's 対応方針 (G5): set it unless the room already chose one
            nos = policy if policy and fid in undecided else None
            changes += self.update_finding(fid, status="DECIDED", network_or_service=nos)
        return changes

    def answer_parallel_mechanism(self, decision_id: str, answer: bool) -> list["Change"]:
        """G4: the council's answer to 「個別ネットワーク形成の仕組みづくりも
        並行して進めるか」 for a decision of this meeting."""
        for d in self.record.decisions:
            if d.id == decision_id:
                return [self._put(replace(d, parallel_individual_mechanism=bool(answer)))]
        raise _err(f"決定事項「{decision_id}」が見つかりません。")

    def decisions_here(self) -> list[Decision]:
        return list(self.record.decisions)

    def decisions_of_item(self, item_id: str) -> list[Decision]:
        """The decisions recorded under one agenda item (A12 also shows those without one)."""
        return [d for d in self.record.decisions if d.agenda_item_id == item_id]

    def earlier_decisions(self) -> list[Decision]:
        """Decisions a new one may change or replace: this council's, this meeting's included."""
        mine = {d.id for d in self.record.decisions}
        out = [d for d in self.world.decisions(self.meeting.council_id) if d.id not in mine]
        return out + list(self.record.decisions)

    def decision(self, decision_id: str) -> Optional[Decision]:
        return next((d for d in self.earlier_decisions() if d.id == decision_id), None)

    def open_actions_of_decision(self, decision_id: str) -> list[str]:
        """Open action items made for ``decision_id`` (as this meeting stands)."""
        out = []
        for st in self.world.action_states():
            if st.item.decision_id == decision_id and st.id not in {a.id for a in self.record.action_items}:
                status, _ = self.action_status_now(st.id)
                if status in ("NOT_STARTED", "IN_PROGRESS", "ON_HOLD") and not self._superseded_here(st.id):
                    out.append(st.id)
        for a in self.record.action_items:
            if a.decision_id == decision_id and not self._superseded_here(a.id):
                out.append(a.id)
        return out

    def _superseded_here(self, action_id: str) -> Optional[str]:
        for p in self.record.action_progress:
            if p.action_item_id == action_id and (p.extra or {}).get("superseded_by"):
                return p.extra["superseded_by"]
        return None

    def supersede_action(self, action_id: str, new_action_id: str, note: str = "") -> list["Change"]:
        """Close ``action_id`` in THIS meeting, taken over by ``new_action_id``
        (a later decision changed what was agreed): a row of this meeting, so
        its minutes show 引継ぎ and the follow-up history names this meeting."""
        self.action_item(action_id)
        new_action_id = (new_action_id or "").strip()
        if not new_action_id:
            raise _err("引き継ぐ先の取組を選んでください。")
        if new_action_id == action_id:
            raise _err("取組を自分自身に引き継ぐことはできません。別の取組を選んでください。")
        self.action_item(new_action_id)
        status, _ = self.action_status_now(action_id)
        if status not in ("NOT_STARTED", "IN_PROGRESS", "ON_HOLD") and not self._superseded_here(action_id):
            raise _err(f"取組「{action_id}」はすでに終わっています。")
        pid = f"{self.meeting_id}-AP-{action_id}"
        existing = next((p for p in self.record.action_progress if p.id == pid), None)
        text = note.strip() or f"{new_action_id}に引き継ぎ（決定の変更）"
        row = ActionProgress(id=pid, action_item_id=action_id, meeting_id=self.meeting_id,
                             date=self.meeting.held_on, note=text, status_after="DONE",
                             extra={**((existing.extra or {}) if existing else {}), "superseded_by": new_action_id})
        return [self._put(row)]

    def add_action(self, title: str, *, decision_id: Optional[str] = None,
                   owner_person_ids: Iterable[str] = (), owner_org_ids: Iterable[str] = (),
                   owner_text: str = "", due_date: Optional[date] = None,
                   gap_finding_id: Optional[str] = None) -> list["Change"]:
        title = require_text(title, "取組の内容")
        owners = list(owner_person_ids), list(owner_org_ids)
        if not owners[0] and not owners[1] and not owner_text.strip():
            raise _err("担当（人か団体）を指定してください。")
        if due_date is not None and due_date < self.meeting.held_on:
            raise _err("期限は会議の日以降の日付にしてください。")
        if decision_id and not any(d.id == decision_id for d in self.record.decisions):
            raise _err(f"決定事項「{decision_id}」が見つかりません。")
        aid = self._global_next_id("AI-", "action_items")
        return [self._put(ActionItem(
            id=aid, origin_meeting_id=self.meeting_id, title=title, decision_id=decision_id,
            gap_finding_id=gap_finding_id, owner_person_ids=owners[0], owner_org_ids=owners[1],
            owner_text=owner_text.strip(), due_date=due_date, status="NOT_STARTED"))]

    def actions_here(self) -> list[ActionItem]:
        return list(self.record.action_items)

    # ------------------------------------------------------------------
    # readback and close
    # ------------------------------------------------------------------

    def readback_targets(self) -> list[tuple[str, str]]:
        """(table, id) of every decision and action item of this meeting, in order."""
        out: list[tuple[str, str]] = []
        for d in self.record.decisions:
            out.append(("decisions", d.id))
            out += [("action_items", a.id) for a in self.record.action_items if a.decision_id == d.id]
        out += [("action_items", a.id) for a in self.record.action_items
                if not a.decision_id or a.decision_id not in {d.id for d in self.record.decisions}]
        return out

    def readback_result(self, target_id: str) -> Optional[ReadbackEntry]:
        return next((r for r in self.record.readback if r.target_id == target_id), None)

    def set_readback(self, table: str, target_id: str, result: str, note: str = "") -> list["Change"]:
        if result not in ("CONFIRMED", "OBJECTION"):
            raise _err("確認か異議のどちらかを選んでください。")
        if result == "OBJECTION":
            note = require_text(note, "異議の内容")
        if (table, target_id) not in self.readback_targets():
            raise _err(f"「{target_id}」はこの会議の決定事項・取組ではありません。")
        return [self._put(ReadbackEntry(id=f"{self.meeting_id}-RB-{target_id}", meeting_id=self.meeting_id,
                                        target_table=table, target_id=target_id, result=result,
                                        note=note.strip()))]

    def readback_pending(self) -> list[tuple[str, str]]:
        done = {r.target_id for r in self.record.readback}
        return [t for t in self.readback_targets() if t[1] not in done]

    def end_time_problem(self, end: Optional[time]) -> str:
        """Why ``end`` cannot be the end time ("" when it can): it is before the
        start (a clock read on another day or a wrong entry: 「午後2時00分～午前6時46分」)."""
        start = self.meeting.start_time
        if end is None or start is None:
            return ""
        if (end.hour, end.minute) < (start.hour, start.minute):
            return (f"終了時刻 {end:%H:%M} が開始時刻 {start:%H:%M} より前です。"
                    "終了時刻を入力してください（例: 15:30）。")
        return ""

    def set_notes(self, *, notes: Optional[str] = None,
                  minutes_sent_with_notice: Optional[bool] = None) -> list["Change"]:
        """経緯・特記事項 (why a meeting was postponed...) and whether the
        previous minutes were sent with the notice (会議録の事前送付)."""
        extra = dict(self.meeting.extra or {})
        if notes is not None:
            extra["notes"] = notes.strip()
        if minutes_sent_with_notice is not None:
            extra["minutes_sent_with_notice"] = bool(minutes_sent_with_notice)
        if extra == (self.meeting.extra or {}):
            return []
        return [self._put(replace(self.meeting, extra=extra))]

    def close(self, *, end_time: Optional[time] = None, next_date: Optional[date] = None,
              next_time: Optional[time] = None, next_venue: str = "", next_topics: str = "") -> list["Change"]:
        """Close the meeting: timers stop, 開催済, next meeting noted.  The end
        time is the clock's unless given; one before the start is refused."""
        if self.meeting.status not in ("PLANNED", "IN_PROGRESS"):
            raise _err("この会議はすでに閉会しています。")
        if next_date is not None and next_date <= self.meeting.held_on:
            raise _err("次回の開催日は今回の会議の日より後にしてください。")
        problem = self.end_time_problem(end_time or self.now().time().replace(second=0, microsecond=0))
        if problem:
            raise _err(problem)
        changes: list = []
        now = self.now()
        for item in list(self.record.agenda_items):
            if item.started_at is not None:
                doc = {**item.to_doc(), "elapsed_seconds": self.elapsed(item, now), "started_at": None}
                if item.id == self.meeting.current_agenda_item_id:
                    doc["state"] = "DONE"
                changes.append(self._put(type(item).from_doc(doc)))
        end = end_time or now.time().replace(second=0, microsecond=0)
        changes += self._replace_meeting(
            status="HELD", end_time=end, current_agenda_item_id=None, next_plan_date=next_date,
            next_plan_time=next_time, next_plan_venue=next_venue.strip(),
            next_plan_topics=next_topics.strip(), minutes_drafted_on=self.today)
        return changes
