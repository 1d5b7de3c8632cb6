"""Operations of the item workspaces A01-A12, the readback and the close.

Mixed into ``session.MeetingSession``; every method returns the ``Change``s
to save.  What outlives the meeting (an action item's status, a network's
state, a rating, a finding's policy) is recorded as a row of *this* meeting
(ActionProgress, NetworkUpdate, FunctionAssessment, FindingUpdate ...), which
``World`` folds into the current state.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.guidebook import gaps as gaps
from kyogitai_tui.domain.guidebook.guidance import Prompt, prompts_for
from kyogitai_tui.domain.model import (
    ActionItem, ActionProgress, Decision, FindingUpdate, FunctionAssessment, GapFinding,
    IndividualNetwork, LinkageStatus, NeedItem, NetworkUpdate, ProviderNetwork, ReadbackEntry,
)
from kyogitai_tui.domain.privacy.consent import can_share_subject

from kyogitai_tui.domain.changes import Change, SessionError

def _codes(list_name: str) -> tuple[str, ...]:
    """The codes a field accepts: the catalog's list (data/catalog), the one list."""
    return default_catalog().codes(list_name)


_NETWORK_ENTITIES = {"individual_networks": IndividualNetwork, "provider_networks": ProviderNetwork,
                     "need_items": NeedItem}

# decision type -> the 対応方針 (network_or_service) it settles for the
# findings it answers (seed 4-4(5)-2, G5)
DECISION_POLICY = {"FORM_NEW": "NETWORK", "EXPAND_EXISTING": "NETWORK", "CREATE_SERVICE": "SERVICE"}


def _err(message: str) -> SessionError:
    return SessionError(message)


def _text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise _err(f"{what}を入力してください。")
    return text


class SessionItemsMixin:
    # (attributes provided by MeetingSession)
    meeting_id: str
    world: Any
    record: Any
    today: date

    # ------------------------------------------------------------------
    # A01 前回議事録の確認
    # ------------------------------------------------------------------

    def previous_meeting(self):
        return self.world.previous_meeting(self.meeting_id)

    def confirm_previous_minutes(self, item_id: str, result: str, correction: str = "", *,
                                 corrections: Iterable[tuple[str, str]] = ()) -> list["Change"]:
        """Record 前回議事録の確認.  ``corrections``: (wrong, right) pairs of
        wording; the previous minutes print ``right`` in place of ``wrong`` and
        list the pair as 訂正.  ``correction`` is a free note (or, without
        pairs, the whole correction as before)."""
        if result not in ("CONFIRMED", "CORRECTED"):
            raise _err("前回議事録は「確定」か「訂正あり」で記録してください。")
        pairs = [((a or "").strip(), (b or "").strip()) for a, b in corrections]
        pairs = [(a, b) for a, b in pairs if a or b]
        for wrong, right in pairs:
            if not wrong:
                raise _err("訂正する語句（誤）を入力してください。")
            if wrong == right:
                raise _err(f"「{wrong}」の訂正後（正）が同じです。正しい語句を入力してください。")
        if result == "CORRECTED" and not pairs:
            correction = _text(correction, "訂正の内容")
        if result == "CONFIRMED":
            pairs = []
        item = self.item(item_id)
        prev = self.previous_meeting()
        if pairs and prev is not None:
            from kyogitai_tui.domain.meeting.corrections import missing_wrongs
            missing = missing_wrongs(self.world, prev.id, pairs)
            if missing:
                raise _err(f"「{missing[0]}」は前回の議事録に見当たりません。議事録の語句どおりに入力してください。")
        note = correction.strip()
        if pairs and not note:
            note = "、".join(f"「{a}」を「{b}」に" for a, b in pairs) + "訂正"
        extra = {**item.extra, "confirmed_meeting_id": prev.id if prev else None,
                 "confirmed_on": self.meeting.held_on.isoformat(),
                 "corrections": [{"wrong": a, "right": b} for a, b in pairs]}
        return [self._put(replace(item, result=result, correction=note, extra=extra))]

    # ------------------------------------------------------------------
    # A02 前回からの取組状況
    # ------------------------------------------------------------------

    def carried_action_ids(self) -> list[str]:
        for a in self.record.agenda_items:
            if a.template == "A02":
                return list(a.carried_action_ids)
        return []

    def action_status_now(self, action_id: str) -> tuple[str, str]:
        """(status, last progress note) including what this meeting recorded."""
        mine = [p for p in self.record.action_progress if p.action_item_id == action_id]
        if mine:
            last = mine[-1]
            return (last.status_after or self._world_action_status(action_id)), last.note
        state = self.world.action_state(action_id)
        if state is None:
            for a in self.record.action_items:
                if a.id == action_id:
                    return a.status, ""
            raise _err(f"取組「{action_id}」が見つかりません。")
        note = state.progress[-1].note if state.progress else ""
        return state.status, note

    def _world_action_status(self, action_id: str) -> str:
        state = self.world.action_state(action_id)
        return state.status if state else "NOT_STARTED"

    def action_item(self, action_id: str) -> ActionItem:
        for a in self.record.action_items:
            if a.id == action_id:
                return a
        state = self.world.action_state(action_id)
        if state is None:
            raise _err(f"取組「{action_id}」が見つかりません。")
        return state.item

    def update_action(self, action_id: str, *, status: Optional[str] = None, note: str = "") -> list["Change"]:
        """Progress on an action item, recorded in this meeting (one row per item)."""
        if status is not None and status not in _codes("action_item_statuses"):
            raise _err(f"取組の状況「{status}」は使えません。")
        self.action_item(action_id)
        if status is None and not note.strip():
            raise _err("状況か進捗のメモを入力してください。")
        existing = next((p for p in self.record.action_progress if p.action_item_id == action_id), None)
        pid = existing.id if existing else f"{self.meeting_id}-AP-{action_id}"
        prev_status, prev_note = (existing.status_after, existing.note) if existing else (None, "")
        row = ActionProgress(id=pid, action_item_id=action_id, meeting_id=self.meeting_id,
                             date=self.meeting.held_on, note=note.strip() or prev_note,
                             status_after=status or prev_status or self._world_action_status(action_id),
                             extra=dict(existing.extra or {}) if existing else {})
        return [self._put(row)]

    # ------------------------------------------------------------------
    # A03-A06 networks
    # ------------------------------------------------------------------

    def _updates_here(self, entity: str, entity_id: str) -> dict:
        merged: dict = {}
        for u in self.record.network_updates:
            if u.entity == entity and u.entity_id == entity_id:
                merged.update(u.changes or {})
        return merged

    def network_now(self, entity: str, entity_id: str):
        """A network (or need) as the room sees it now: the World's state plus
        what this meeting has changed (applying it twice is harmless)."""
        klass = _NETWORK_ENTITIES[entity]
        base = getattr(self.world, entity).get(entity_id)
        here = self._updates_here(entity, entity_id)
        if base is None and not here:
            raise _err(f"「{entity_id}」が見つかりません。")
        doc = {**(base.to_doc() if base else {"id": entity_id}), **here}
        return klass.from_doc(doc)

    def update_network(self, entity: str, entity_id: str, note: str = "", **changes: Any) -> list["Change"]:
        if entity not in _NETWORK_ENTITIES:
            raise _err(f"更新できない対象です: {entity}")
        klass = _NETWORK_ENTITIES[entity]
        current = self.network_now(entity, entity_id) if (
            getattr(self.world, entity).get(entity_id) or self._updates_here(entity, entity_id)) else None
        if current is None and entity != "need_items":
            raise _err(f"「{entity_id}」が見つかりません。")
        valid = {f for f in klass.__dataclass_fields__ if f not in ("id", "extra")}
        unknown = set(changes) - valid
        if unknown:
            raise _err(f"変更できない項目です: {', '.join(sorted(unknown))}")
        payload = {k: (v.isoformat() if isinstance(v, (date, datetime, time)) else v) for k, v in changes.items()}
        uid = f"{self.meeting_id}-NU-{entity_id}"
        merged = {**self._updates_here(entity, entity_id), **payload}
        old = next((u for u in self.record.network_updates if u.id == uid), None)
        row = NetworkUpdate(id=uid, meeting_id=self.meeting_id, entity=entity, entity_id=entity_id,
                            changes=merged, note=note.strip() or (old.note if old else ""))
        return [self._put(row)]

    def add_need(self, network_id: str, service_category: str, status: str = "NEW", note: str = "") -> list["Change"]:
        self.network_now("individual_networks", network_id)
        nid = self._next_need_id()
        return self.update_network("need_items", nid, note=note, network_id=network_id,
                                   service_category=service_category, status=status,
                                   identified_on=self.meeting.held_on)

    def _next_need_id(self) -> str:
        taken = set(self.world.need_items) | {u.entity_id for u in self.record.network_updates}
        n = 1
        while f"NI-{self.meeting_id}-{n:02d}" in taken:
            n += 1
        return f"NI-{self.meeting_id}-{n:02d}"

    def ratings_now(self, network_id: str) -> dict[str, FunctionAssessment]:
        out = dict(self.world.current_ratings(network_id))
        for fa in self.record.function_assessments:
            if fa.network_id == network_id:
                out[fa.function_code] = fa
        return out

    def rate_function(self, network_id: str, function_code: str, rating: str, *,
                      evidence: str = "", cause: Optional[str] = None) -> list["Change"]:
        if rating not in _codes("function_ratings"):
            raise _err(f"評価「{rating}」は使えません。")
        self.network_now("provider_networks", network_id)
        if function_code == "DIFF_MONITOR" and rating in ("PARTIAL", "NOT_FULFILLED") and not cause:
            raise _err("果たせていない原因を選んでください（特定事業者の姿勢／同種ネットワークの機能不全／仕組みの不全／その他）。")
        fid = f"{self.meeting_id}-FA-{network_id}-{function_code}"
        return [self._put(FunctionAssessment(
            id=fid, meeting_id=self.meeting_id, network_id=network_id, function_code=function_code,
            rating=rating, evidence=evidence.strip(), cause=cause if rating != "FULFILLED" else None,
            assessed_on=self.meeting.held_on))]

    # ------------------------------------------------------------------
    # A07-A10 linkage with other systems
    # ------------------------------------------------------------------

    def linkage_now(self) -> dict[str, LinkageStatus]:
        out = dict(self.world.linkage(self.meeting.council_id))
        for ls in self.record.linkage_statuses:
            out[ls.linked_system_code] = ls
        return out

    def set_linkage(self, system_code: str, *, status: Optional[str] = None, notes: Optional[str] = None,
                    partner_org_ids: Optional[list[str]] = None) -> list["Change"]:
        if status is not None and status not in _codes("linkage_statuses"):
            raise _err(f"連携の状況「{status}」は使えません。")
        cur = self.linkage_now().get(system_code)
        row = LinkageStatus(
            id=f"{self.meeting_id}-LS-{system_code}", meeting_id=self.meeting_id,
            council_id=self.meeting.council_id, linked_system_code=system_code,
            status=status or (cur.status if cur else "NO_CONTACT"),
            partner_org_ids=list(partner_org_ids if partner_org_ids is not None else (cur.partner_org_ids if cur else [])),
            partner_person_ids=list(cur.partner_person_ids) if cur else [],
            notes=(notes if notes is not None else (cur.notes if cur else "")).strip(),
            function_ratings=dict(cur.function_ratings) if cur and cur.meeting_id == self.meeting_id else {})
        return [self._put(row)]

    def rate_key_functions(self, system_code: str, ratings: dict) -> list["Change"]:
        """The council's rating of a linked system's key functions at this
        meeting (the 5 functions of the 地域生活支援拠点 at the disability
        item): {function text: function_ratings code}; an empty code leaves
        that function unrated here."""
        from kyogitai_tui.domain.meeting.linkage_view import RATED_SYSTEMS

        if system_code not in RATED_SYSTEMS:
            raise _err("この制度の機能は評価の対象ではありません。")
        functions = list(default_catalog().entry("linked_systems", system_code).key_functions)
        clean = {}
        for name, code in ratings.items():
            if name not in functions:
                raise _err(f"「{name}」はこの制度の機能にありません。")
            if code in (None, ""):
                continue
            if code not in _codes("function_ratings"):
                raise _err(f"評価「{code}」は使えません。")
            clean[name] = code
        if not clean:
            raise _err("少なくとも一つの機能を評価してください。")
        cur = self.linkage_now().get(system_code)
        return [self._put(LinkageStatus(
            id=f"{self.meeting_id}-LS-{system_code}", meeting_id=self.meeting_id,
            council_id=self.meeting.council_id, linked_system_code=system_code,
            status=cur.status if cur else "NO_CONTACT",
            partner_org_ids=list(cur.partner_org_ids) if cur else [],
            partner_person_ids=list(cur.partner_person_ids) if cur else [],
            notes=cur.notes if cur else "",
            function_ratings={f: clean[f] for f in functions if f in clean}))]

    def check_sharing(self, subject_id: str, partner: Optional[str] = None) -> tuple[bool, str]:
        """The consent gate: may information on this resident go to a partner?"""
        return can_share_subject(self.world, subject_id, on=self.meeting.held_on, partner=partner)

    # ------------------------------------------------------------------
    # guidance
    # ------------------------------------------------------------------

    def prompts(self, template: Optional[str]) -> list[Prompt]:
        return prompts_for(self.world, today=self.today, context=template,
                           council_id=self.meeting.council_id)

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
            id=fid, meeting_id=self.meeting_id, kind=kind, description=_text(description, "課題の内容"),
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
        text = _text(text, "決定の内容")
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
        title = _text(title, "取組の内容")
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
            note = _text(note, "異議の内容")
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
