"""Operations of the item workspaces A01-A10: the previous minutes, the
actions carried from earlier meetings, the networks and their ratings, the
linkage with other systems, and the guidebook's prompts.

Mixed into ``session.MeetingSession``; every method returns the ``Change``s
to save.  What outlives the meeting (an action item's status, a network's
state, a rating ...) is recorded as a row of *this* meeting (ActionProgress,
NetworkUpdate, FunctionAssessment ...), which ``World`` folds into the
current state.  A11 (gaps), A12 (decisions and actions), the readback and
the close are in ``outcome``.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.guidebook.guidance import Prompt, prompts_for
from kyogitai_tui.domain.model import (
    ActionItem, ActionProgress, FunctionAssessment, IndividualNetwork, LinkageStatus, NeedItem,
    NetworkUpdate, ProviderNetwork,
)
from kyogitai_tui.domain.privacy.consent import can_share_subject

from kyogitai_tui.domain.changes import Change, SessionError, require_text

def _codes(list_name: str) -> tuple[str, ...]:
    """The codes a field accepts: the catalog's list (data/catalog), the one list."""
    return default_catalog().codes(list_name)


_NETWORK_ENTITIES = {"individual_networks": IndividualNetwork, "provider_networks": ProviderNetwork,
                     "need_items": NeedItem}

def _err(message: str) -> SessionError:
    return SessionError(message)




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
            correction = require_text(correction, "訂正の内容")
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
