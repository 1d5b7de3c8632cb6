"""What every section builder of the minutes shares: the meeting being
written, the variant's ``Redactor`` (with ``redaction.PublicRules``), the
lookups of people, labels, agenda sections and action states, and the two
output helpers ``h1`` and ``para``.

``content._Builder`` combines ``BuilderBase`` with the section mixins
(``sections_front`` 1-7, ``sections_proceedings`` 8, ``sections_tables``
9-10, ``sections_closing`` 11-13); each section appends to ``self.blocks``.
No Textual here.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.meeting.minutes_state import MinutesState
from kyogitai_tui.domain.world.numbering import decision_number
from kyogitai_tui.minutes.blocks import Heading, Para
from kyogitai_tui.minutes.numbering import circled_no
from kyogitai_tui.domain.privacy.redaction import NEUTRAL_ACTION, PublicRules, Redactor

_SECTIONS = (("REPORT", "報告事項"), ("DISCUSSION", "協議事項"), ("OTHER", "その他"))
_COUNCIL_ROLE = {"CHAIR": "会長", "VICE_CHAIR": "副会長"}

# Codes a citizen cannot read (see ``BuilderBase.readable``).
_ACTION_CODE = re.compile(r"(?<![A-Za-z0-9])AI-\d+(?![0-9])")
_DECISION_CODE = re.compile(r"(?<![A-Za-z0-9])D-\d+(?![0-9])")
_FINDING_CODE = re.compile(r"(?<![A-Za-z0-9])GF-\d+(?![0-9])")
_CHECK_RANGE = re.compile(r"(?<![A-Za-z0-9])C([1-4])\s*[〜～~\-－]\s*C?([1-4])(?![0-9])")
_CHECK_ONE = re.compile(r"(?<![A-Za-z0-9])C([1-4])(?![0-9A-Za-z])")
_NW = re.compile(r"(?<![A-Za-z])NW(?![A-Za-z])")
# the guidebook's four checks of what is missing, as a reader can say them
CHECK_NAMES = {"1": "個別ネットワークを支える機能", "2": "同種事業者の未加入",
               "3": "異種事業者の未参加", "4": "ネットワークの不在"}
# abbreviations that may stay on the page, each explained once in 用語
GLOSSARY = (("SC", re.compile(r"(?<![A-Za-z])SC(?![A-Za-z])"), "生活支援コーディネーター"),)


def flat(text: str) -> str:
    """``text`` fit to stand inside （…）: an inner 「（民間）」 becomes 「・民間」,
    so the minutes never nest brackets (「北台商店会（民間））」)."""
    prev = None
    while prev != text:
        prev = text
        text = re.sub(r"（([^（）]*)）", r"・\1", text)
    return text


def _label(catalog: Any, list_name: str, code: Optional[str]) -> str:
    return catalog.label_or_code(list_name, code)


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)


def _join(parts: Iterable[str], sep: str = "、") -> str:
    return sep.join(p for p in parts if p)


class BuilderBase(PublicRules):
    state: MinutesState   # set by ``content._Builder.build`` before the sections run

    def __init__(self, world: Any, meeting_id: str, variant: str, today: date, catalog: Any):
        self.w = world
        self.rec = world.meetings[meeting_id]
        self.m = self.rec.meeting
        self.mid = meeting_id
        self.variant = variant
        self.public = variant == "PUBLIC"
        self.today = today
        self.cat = catalog
        self.council = world.councils.get(self.m.council_id)
        self.r = Redactor(world.subjects.values(), self.public)
        self.blocks: list = []
        self.items = [a for a in self.rec.agenda_items if a.enabled]
        self.item_by_id = {a.id: a for a in self.items}
        self.materials = {mt.id: mt for mt in self.rec.materials}
        self._roster_role: dict[str, str] = {}
        self._roster_rank: dict[str, int] = {}
        if self.council is not None:
            roster = world.members_of_council(self.council.id, None, include_staff=True)
            for i, cm in enumerate(roster):
                self._roster_role.setdefault(cm.person_id, cm.role)
                self._roster_rank.setdefault(cm.person_id, i)
        self._att_role = {a.person_id: a.role_in_meeting for a in self.rec.attendance if a.person_id}
        self._readback = {(rb.target_table, rb.target_id): rb for rb in self.rec.readback}
        self._all_decisions = {d.id: d for r in world.meetings.values() for d in r.decisions}
        self._all_findings = {f.id: f for r in world.meetings.values() for f in r.gap_findings}
        self.decisions = sorted(
            self.rec.decisions,
            key=lambda d: (d.decided_at or datetime.max, self._item_order(d.agenda_item_id), d.id))
        self.decision_no = {d.id: i for i, d in enumerate(self.decisions, start=1)}
        self._action_states = {s.id: s for s in world.action_states()}

    # ---- small lookups ---------------------------------------------------
    def lbl(self, list_name: str, code: Optional[str]) -> str:
        return _label(self.cat, list_name, code)

    def _item_order(self, item_id: Optional[str]) -> int:
        item = self.item_by_id.get(item_id or "")
        return item.order if item else 1 << 30

    def person(self, pid: Optional[str]):
        return self.w.persons.get(pid or "")

    def person_name(self, pid: Optional[str]) -> str:
        p = self.person(pid)
        return self.r.field(p.display_name) if p else ""

    def person_org(self, pid: Optional[str]) -> str:
        p = self.person(pid)
        if p is None:
            return ""
        org = self.w.organizations.get(p.org_id or "")
        if org is not None:
            return self.r.field(org.name)
        return self.r.field((p.extra or {}).get("org_text", "") or "")

    def org_name(self, oid: Optional[str]) -> str:
        o = self.w.organizations.get(oid or "")
        return self.r.field(o.name) if o else ""

    def coordinator_tier(self, pid: Optional[str]) -> Optional[int]:
        for c in self.w.coordinators.values():
            if c.person_id == pid:
                return c.tier
        return None

    def presenter_label(self, pid: Optional[str]) -> str:
        if not pid:
            return ""
        role = self._att_role.get(pid)
        roster = self._roster_role.get(pid)
        if role == "SC" or (role is None and roster == "SC"):
            return "生活支援コーディネーター"
        if role == "SECRETARIAT" or (role is None and roster == "SECRETARIAT"):
            return "事務局"
        if role == "ADVISOR":
            return "アドバイザー"
        if role == "DEPARTMENT":
            return self.person_org(pid) or "関係部署"
        if roster in _COUNCIL_ROLE:
            return _COUNCIL_ROLE[roster]
        if role == "MEMBER" or roster in ("MEMBER",):
            return "委員"
        return "担当者"

    def subject_display(self, subject_id: str) -> str:
        """Internal only: 「Aさん（80代・女性・独居）」."""
        return self.w.subject_label(subject_id)

    # ---- readable numbering instead of codes ------------------------------
    def action_numbers(self) -> dict[str, int]:
        """取組① … : every action item of this council numbered in the order
        the meetings made them, so a number stays the same from one meeting's
        minutes to the next."""
        nums = getattr(self, "_action_nums", None)
        if nums is None:
            council = self.m.council_id
            states = [s for s in self._action_states.values() if s.council_id == council]
            states.sort(key=lambda s: (self.w.meeting_position(s.origin.id), s.id))
            nums = {s.id: i for i, s in enumerate(states, start=1)}
            self._action_nums = nums
        return nums

    def action_ref(self, aid: str) -> str:
        """「取組③」 for an item of this council; its title for any other."""
        n = self.action_numbers().get(aid)
        if n is not None:
            return f"取組{circled_no(n)}"
        st = self._action_states.get(aid)
        if st is not None and not (self.public and self.action_private(st.item)):
            return f"取組「{self.r.field(st.item.title, NEUTRAL_ACTION)}」"
        return "別の取組"

    def decision_ref(self, did: str) -> str:
        """「決定事項No.2」 here, 「第1回会議の決定事項No.2」 for an earlier one."""
        if did in self.decision_no:
            return f"決定事項No.{self.decision_no[did]}"
        found = decision_number(self.w, did)
        if found is not None:
            rec, n = found
            return f"第{rec.meeting.seq_no}回会議の決定事項No.{n}"
        return "以前の決定"

    def readable(self, text: str) -> str:
        """Typed text with the app's codes said in words: AI-07 → 取組⑦,
        D-01 → 決定事項No.1, GF-05 → 「これまでに確認した課題」, C1〜C3 →
        the names of the checks, NW → ネットワーク."""
        if not text:
            return text
        text = _ACTION_CODE.sub(lambda m: self.action_ref(m.group(0)), text)
        text = _DECISION_CODE.sub(lambda m: self.decision_ref(m.group(0)), text)
        text = _FINDING_CODE.sub(lambda m: self.finding_ref(m.group(0)), text)
        text = _CHECK_RANGE.sub(lambda m: "".join(
            f"「{CHECK_NAMES[str(i)]}」" for i in range(int(m.group(1)), int(m.group(2)) + 1)), text)
        text = _CHECK_ONE.sub(lambda m: f"「{CHECK_NAMES[m.group(1)]}」", text)
        return _NW.sub("ネットワーク", text)

    def finding_ref(self, fid: str) -> str:
        f = self._all_findings.get(fid)
        if f is None or (self.public and self.finding_private(f)) or f.subject_ids:
            return "確認した課題"
        return f"課題「{self.r.field(f.description, '確認した課題')}」"

    def status_text(self, status: str, superseded_by: Optional[str], due: Any) -> str:
        """「対応中（期限超過）」 at the meeting's date, 「引継ぎ（取組⑦へ）」."""
        if superseded_by:
            return f"引継ぎ（{self.action_ref(superseded_by)}へ）"
        text = self.lbl("action_item_statuses", status)
        if status in ("NOT_STARTED", "IN_PROGRESS", "ON_HOLD") and due is not None and due < self.m.held_on:
            text += "（期限超過）"
        return text

    # ---- output helpers ----------------------------------------------------
    def h1(self, no: int, label: str, value: str = "") -> None:
        self.blocks.append(Heading(1, f"{no}　{label}", value))

    def para(self, text: str, indent: int = 2, kind: str = "body") -> None:
        if text:
            self.blocks.append(Para(text, indent, kind))

    # ---- agenda sections (7 議題, 8 会議の経過) --------------------------------
    def _sections(self) -> list[tuple[str, str, list]]:
        out = []
        known = {code for code, _ in _SECTIONS}
        for code, label in _SECTIONS:
            items = [a for a in self.items if (a.section if a.section in known else "OTHER") == code]
            out.append((code, label, items))
        return out

    def _item_title(self, item: Any) -> str:
        return self.r.field(item.title, "（議題名は個人に関わるため省略）")

    # ---- action items as of this meeting (8 取組状況, 10 今後の取組) ------------
    def _status_at(self, st: Any) -> tuple[str, Optional[str]]:
        """(status, superseded_by) of an action state as of the end of this meeting."""
        pos = self.w.meeting_position(self.mid)
        status = st.item.status
        sup = st.item.superseded_by
        for p in getattr(st, "history", None) or st.progress:
            try:
                mid = getattr(p, "meeting_id", None)
                # a between-meeting follow-up sorts just before meeting followup_position(date)
                ppos = self.w.meeting_position(mid) if mid else self.w.followup_position(p.date)
            except KeyError:
                continue
            if ppos > pos:
                continue
            if p.status_after:
                status = p.status_after
            sb = getattr(p, "superseded_by", None) or (p.extra or {}).get("superseded_by")
            if sb:
                sup = sb
        if sup:
            # only once the item that takes over exists (it may come from a later meeting)
            succ = self._action_states.get(sup)
            if succ is None or self.w.meeting_position(succ.origin.id) > pos:
                sup = None
        return status, sup
