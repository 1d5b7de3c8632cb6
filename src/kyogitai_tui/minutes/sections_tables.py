"""Sections 9 and 10 of the minutes, the two tables: 決定事項 and 今後の取組
（役割分担） (carried-over open action items and this meeting's new ones).
No Textual here."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from kyogitai_tui.domain.dates import wareki
from kyogitai_tui.minutes.blocks import Table
from kyogitai_tui.minutes.content_base import BuilderBase
from kyogitai_tui.minutes.numbering import circled_no
from kyogitai_tui.domain.privacy.redaction import (
    NEUTRAL_ACTION, NEUTRAL_DECISION, NEUTRAL_TARGET, OMITTED, OTHER_SYSTEM_TARGET,
)


@dataclass
class _ActionRow:
    state: Any
    status: str
    superseded_by: Optional[str]
    carry_text: str
    private: bool
    owners_of: Any = None   # the ActionState whose owner / due the meeting saw



class TableSections(BuilderBase):
    # 9 決定事項
    def _quorum_text(self, d: Any) -> str:
        if d.quorum_members and d.quorum_present is not None:
            met = d.quorum_met if d.quorum_met is not None else d.quorum_present * 2 > d.quorum_members
            return f"{d.quorum_members}名中{d.quorum_present}名出席・{'成立' if met else '不成立'}"
        try:
            from kyogitai_tui.domain.guidebook.rules import quorum_for_meeting
            at = d.decided_at.time() if d.decided_at else None
            q = quorum_for_meeting(self.w, self.mid, at=at)
            return f"{q.members}名中{q.present}名出席・{'成立' if q.met else '不成立'}"
        except Exception:
            return "－"

    def _readback_text(self, table: str, target_id: str) -> str:
        rb = self._readback.get((table, target_id))
        if rb is None:
            return "未確認"
        text = self.lbl("readback_results", rb.result)
        note = self.r.clean(rb.note)
        return f"{text}（{note}）" if note and rb.result != "CONFIRMED" else text

    def _decision_target(self, d: Any) -> str:
        parts = []
        nid = d.target_network_id or ""
        if nid in self.w.provider_networks:
            parts.append(self.r.field(self.w.provider_networks[nid].name))
        elif nid in self.w.individual_networks:
            parts.append(f"{self.subject_display(self.w.individual_networks[nid].subject_id)}の個別ネットワーク")
        systems = list((d.extra or {}).get("linked_systems") or ([d.linked_system] if d.linked_system else []))
        tt = self.r.clean(d.target_text)
        if systems and not parts and not tt:
            # a resident's decision never names the system (内部記録 keeps 要配慮 out)
            parts.append(OTHER_SYSTEM_TARGET if self.decision_sensitive(d)
                         else "・".join(self.lbl("linked_systems", c) for c in systems))
        if tt:
            parts.append(f"（{tt}）" if parts else tt)
        return "".join(parts) or "－"

    def section_decisions(self, no: int) -> None:
        """決定事項 as a table of what was decided, its kind, target and who
        carries it.  The quorum is said once in 3 出席者; a decision whose
        quorum differed (members left, or came) is named under the table.
        The readback is one sentence, not a column."""
        self.h1(no, "決定事項")
        if not self.decisions:
            self.para("なし")
            return
        rows = []
        quorum_notes = []
        meeting_q = self.meeting_quorum()
        meeting_text = (f"{meeting_q.members}名中{meeting_q.present}名出席・{'成立' if meeting_q.met else '不成立'}"
                        if meeting_q is not None else "")
        for d in self.decisions:
            private = self.public and self.decision_private(d)
            text = NEUTRAL_DECISION if private else self.r.field(d.text, NEUTRAL_DECISION)
            if not self.public and self.names_resident(d.subject_ids, d.text):
                text = self.r.without_topics(text) or NEUTRAL_DECISION   # no 要配慮 next to a resident
            if not private:
                text = self.supersede_prefix(d) + text
            target = NEUTRAL_TARGET if private else self._decision_target(d)
            # a council that is 第1層 and 第2層 at once has one SC for both: no tier to name
            both = self.council is not None and self.council.both_tiers
            resp = f"第{d.responsible_tier}層SC" if d.responsible_tier and not both else "SC"
            if d.with_administration:
                resp += "・行政"
            n = self.decision_no[d.id]
            rows.append((str(n), text, self.lbl("decision_types", d.type), target, resp))
            q = self._quorum_text(d)
            if q != meeting_text and q != "－":
                quorum_notes.append(f"決定事項No.{n}の議決時は{q.replace('・', '、')}。")
        self.blocks.append(Table(("No.", "決定事項", "区分", "対象", "担当"),
                                 rows, (10, 60, 34, 38, 28)))
        for line in quorum_notes:
            self.para(line)
        self.readback_line("決定事項", [("decisions", d.id) for d in self.decisions])
        self.decision_details()

    def decision_details(self) -> None:
        """Under the table, one line per decision with what the guidebook asks
        a decision to carry: the leader to approach (4-4(4)), the review date
        against 形骸化 (4-4(5)-3), the findings it answers, and for a new
        network the council's answer to G4.  Public: not for a private one."""
        for d in self.decisions:
            if self.public and self.decision_private(d):
                continue
            parts = []
            leader = self.person_name(d.persuade_leader_id) if d.persuade_leader_id else ""
            if leader:
                parts.append(f"働きかける相手：{leader}")
            if d.review_on:
                parts.append(f"見直し予定日：{wareki(d.review_on)}")
            answered = []
            for fid in d.gap_finding_ids:
                f = self._all_findings.get(fid)
                if f is None or (self.public and self.finding_private(f)):
                    continue
                answered.append(self.r.field(f.description, OMITTED))
            if answered:
                parts.append("対応する課題：" + "／".join(answered))
            if d.type == "FORM_NEW":
                yes = "はい" if d.parallel_individual_mechanism else "いいえ（未決定）"
                parts.append(f"個別ネットワーク形成の仕組みづくりと並行：{yes}")
            if parts:
                self.para(f"No.{self.decision_no[d.id]}　" + "、".join(parts), 1)

    def readback_line(self, what: str, targets: list[tuple[str, str]]) -> None:
        """One sentence on the readback of this meeting's 決定事項 / 取組."""
        if not targets:
            return
        rbs = [self._readback.get(t) for t in targets]
        if all(rb is not None and rb.result == "CONFIRMED" for rb in rbs):
            self.para(f"{what}は、会議中に読み上げて確認した。")
            return
        objected = [i for i, rb in enumerate(rbs, start=1) if rb is not None and rb.result != "CONFIRMED"]
        if objected and what == "決定事項":
            self.para(f"読上げの際、{'・'.join(f'No.{i}' for i in objected)}に異議があった。")
        elif objected:
            self.para(f"{what}の読上げの際、異議があった。")
        elif any(rb is not None for rb in rbs):
            self.para(f"{what}は、一部を会議中に読み上げて確認した。")

    def supersede_prefix(self, d: Any) -> str:
        """「第2回（令和7年6月10日）の決定『…』を変更し、」 for a decision that
        changes an earlier one ("" otherwise; the old text only when it may be shown)."""
        old_id = getattr(d, "supersedes_decision_id", None)
        if not old_id:
            return ""
        old, rec = None, None
        for r in self.w.meetings.values():
            old = next((x for x in r.decisions if x.id == old_id), None)
            if old is not None:
                rec = r
                break
        if old is None:
            return ""
        if old.meeting_id == self.mid:
            where = "本会議"
        else:
            where = f"第{rec.meeting.seq_no}回（{wareki(rec.meeting.held_on)}）"
        hidden = (self.public and self.decision_private(old)) or (
            not self.public and self.names_resident(old.subject_ids, old.text))
        old_text = NEUTRAL_DECISION if hidden else self.r.field(old.text, NEUTRAL_DECISION)
        return f"{where}の決定『{old_text}』を変更し、"

    # 10 今後の取組
    def _owners(self, a: Any, state: Any = None) -> str:
        """The owners as the meeting saw them: for a carried item, after the
        changes made between meetings (``state``); the item's own otherwise.
        People and organisations are both named (「みほん社協（民生委員の皆さん）」)."""
        src = state if state is not None else a
        names = [self.person_name(p) for p in src.owner_person_ids]
        # an organisation already stood for by one of its named people is not said twice
        staffed = {getattr(self.person(p), "org_id", None) for p in src.owner_person_ids}
        names += [self.org_name(o) for o in a.owner_org_ids if o not in staffed]
        names = [n for n in names if n]
        text = self.r.clean(src.owner_text)
        if names:
            out = "・".join(names)
            return f"{out}（{text}）" if text else out
        return text or "－"

    def action_rows(self) -> list[_ActionRow]:
        council = self.m.council_id
        before = {s.id: s for s in self.w.action_states(before_meeting_id=self.mid)}
        rows = []
        for st in self.w.action_states():
            if st.council_id != council:
                continue
            status, sup = self._status_at(st)
            if st.origin.id == self.mid:
                carry = "新規"
            else:
                prev = before.get(st.id)
                if prev is None or not prev.is_open:
                    continue
                if status not in ("NOT_STARTED", "IN_PROGRESS", "ON_HOLD"):
                    continue   # closed in this meeting: reported under 取組状況
                carry = f"{prev.carry_over_count + 1}回目"
            rows.append(_ActionRow(st, status, sup, carry, self.public and self.action_private(st.item),
                                   before.get(st.id)))
        rows.sort(key=lambda r: (self.w.meeting_position(r.state.origin.id), r.state.id))
        return rows

    def section_actions(self, no: int) -> None:
        """取組① … : the open items carried into this meeting and the new
        ones.  An item handed over to another is reported under 取組状況, not
        here (its work continues under the item that took it over)."""
        self.h1(no, "今後の取組（役割分担）")
        rows = []
        new_ids = []
        for r in self.action_rows():
            if r.superseded_by:
                continue
            a = r.state.item
            title = NEUTRAL_ACTION if r.private else self.r.field(a.title, NEUTRAL_ACTION)
            seen = r.owners_of
            due_date = seen.due_date if seen is not None else a.due_date
            due = wareki(due_date) if due_date else "－"
            status = self.status_text(r.status, None, due_date)
            if r.carry_text == "新規":
                new_ids.append(("action_items", a.id))
            n = self.action_numbers().get(a.id)
            rows.append((circled_no(n) if n else "－", title, self._owners(a, seen), due, status))
        if not rows:
            self.para("なし")
            return
        self.blocks.append(Table(("No.", "取組内容", "担当", "期限", "状況"),
                                 rows, (10, 52, 40, 34, 34)))   # 期限 and 状況 on one line
        self.readback_line("新しい取組", new_ids)
