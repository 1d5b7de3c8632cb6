"""The minutes of one meeting as redacted, layout-neutral content.

``build_minutes(world, meeting_id, variant)`` returns a ``blocks.MinutesDoc``
following ``domain/minutes-layout.md``; the Word and Markdown writers only
lay it out.  **This module is the one place where residents are redacted**,
so both formats carry the same content and the same redaction.

Variants
    PUBLIC (公開用)    no resident in any form: no label, code, age band,
                       household, area or network of a person.
    INTERNAL (内部記録) residents only as 「Aさん（80代・女性・独居）」 (structured
                       places) or as the label the coordinator typed; a typed
                       code (R-001) becomes the label.
    Neither variant ever reads ``World.sensitive`` (要配慮個人情報): the
    builder does not touch it (a test builds from a World whose
    ``sensitive`` raises).

Public redaction rules (model.md 5.4, minutes-layout.md)
    * A resident is "mentioned" by a text when, after NFKC, case folding and
      removing spaces, dashes and underscores, it contains a subject's code
      or label (also the label's letter with さん/様/さま/氏/ちゃん/くん/君).
      Codes and labels shorter than 2 characters after that are ignored.
    * Statements linked to subjects (``subject_ids``), statements of an
      individual-network item (template A03) and statements that mention a
      resident are dropped; an item that lost some says so in a note.
    * An A03 item becomes one line: 「個別ネットワークの状況について、事例（計n件）
      をもとに報告があった。」 where n counts the distinct subjects the
      meeting linked to that item (statements, findings, decisions, network
      and need updates).
    * Materials flagged ``internal_only`` (or titled with a resident) are
      left out of 配布資料 and of 「資料nに基づき」; labels keep their numbers.
    * Decisions linked to subjects, targeting an individual network, of type
      PROMOTE_INDIVIDUAL, or whose text mentions a resident keep their row
      (No., 区分, 担当, 定足数, 確認) but the content becomes the neutral
      「個別の事例に関する事項（公開用では内容を省略）」 and the target 「個別の事例」.
      Action items of such decisions, of a private finding, or whose text
      mentions a resident are treated the same way (owner, due date and status
      stay: they name members, not residents).  An action linked only to a
      need item keeps its (generic) title.
    * Findings of kind INDIVIDUAL_NOT_FORMED, or whose description mentions
      a resident, are counted in one line; other findings are area-level and
      are shown (without their subject link).
    * Any other free text (summaries, notes, evidence, topics, corrections,
      venue, titles …): sentences that mention a resident are removed (a
      phrase list without 「。」 loses only the 「、」-separated parts that do);
      if nothing is left the text is omitted or replaced by
      「（個人に関わる記載のため省略）」.
    * Last, a guard walks every string of the finished document and replaces
      any that still mentions a resident (``MinutesDoc.guard_hits`` counts
      them; the demo keeps it at zero).

No Textual here.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Optional

from ..domain.dates import (
    fiscal_year_label, jp_time, jp_time_range, meeting_title, wareki, wareki_with_weekday,
)
from ..domain.minutes_state import CORRECTED, DRAFT, MinutesState, minutes_state
from .blocks import Heading, MinutesDoc, Para, Table, Title
from .numbering import circled_no, paren_no

__all__ = [
    "VARIANTS", "VARIANT_LABELS", "MinutesError", "Redactor", "build_minutes",
    "normalize_variant", "AGGREGATE_LINE", "NEUTRAL_DECISION", "NEUTRAL_ACTION", "OMITTED",
    "HANDLING_NOTE",
]

VARIANTS = ("PUBLIC", "INTERNAL")
VARIANT_LABELS = {"PUBLIC": "公開用", "INTERNAL": "内部記録"}
VARIANT_MARK = {"PUBLIC": "【公開用】", "INTERNAL": "【内部記録】"}
HANDLING_NOTE = "取扱注意（個人情報を含む）"
OMITTED = "（個人に関わる記載のため省略）"
NEUTRAL_DECISION = "個別の事例に関する事項（公開用では内容を省略）"
NEUTRAL_ACTION = "個別の事例に関する取組（公開用では内容を省略）"
NEUTRAL_TARGET = "個別の事例"
AGGREGATE_LINE = "個別ネットワークの状況について、事例（計{n}件）をもとに報告があった。"
AGGREGATE_LINE_NO_COUNT = "個別ネットワークの状況について報告があった。"
DROPPED_NOTE = "※個人に関わる発言・記載は、公開用では省略した。"
PRIVATE_ITEM_LINE = "非公開の議題のため、要旨の記載を省略する。"

_SECTIONS = (("REPORT", "報告事項"), ("DISCUSSION", "協議事項"), ("OTHER", "その他"))
_SECTION_SHORT = {"REPORT": "報告", "DISCUSSION": "協議", "OTHER": "その他"}
_SPEAKERS = {"CHAIR": "会長", "VICE_CHAIR": "副会長", "MEMBER": "委員", "SC": "SC",
             "SECRETARIAT": "事務局", "ADVISOR": "アドバイザー"}
_COUNCIL_ROLE = {"CHAIR": "会長", "VICE_CHAIR": "副会長"}
_KIND_TEMPLATE = {"SAME": "A04", "DIFF": "A05", "CHIEN_NPO": "A06"}
_HONORIFICS = ("さん", "様", "さま", "氏", "ちゃん", "くん", "君")
_PRESENT = {"PRESENT", "PROXY", "LATE", "LEFT_EARLY"}


class MinutesError(ValueError):
    """A request the minutes cannot satisfy; ``message`` is Japanese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalize_variant(variant: str) -> str:
    """"public"/"PUBLIC"/"公開用" -> PUBLIC; "internal"/"内部記録" -> INTERNAL."""
    v = (variant or "").strip()
    aliases = {"PUBLIC": "PUBLIC", "公開用": "PUBLIC", "公開": "PUBLIC",
               "INTERNAL": "INTERNAL", "内部記録": "INTERNAL", "内部": "INTERNAL"}
    out = aliases.get(v.upper(), aliases.get(v))
    if out is None:
        raise MinutesError(
            f"議事録の種類「{variant}」は指定できません。public（公開用）か internal（内部記録）を指定してください。")
    return out


# --------------------------------------------------------------------------
# redaction
# --------------------------------------------------------------------------

_STRIP = dict.fromkeys(map(ord, " \t\r\n\u3000_-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\uff70"), None)
_SENTENCE_RE = re.compile(r"(?<=[。！？!?\n])")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_STRIP)


def _fullwidth(ch: str) -> str:
    o = ord(ch)
    return chr(o + 0xFEE0) if 0x21 <= o <= 0x7E else ch


def _code_pattern(code: str) -> Optional[re.Pattern]:
    """A regex for a code as typed: ASCII or full-width, any case, any dash."""
    parts = []
    for ch in code:
        if ch in _DASHES:
            parts.append(f"[{re.escape(_DASHES)}]?")
        elif ch.isascii() and ch.isalnum():
            alts = {ch, ch.lower(), ch.upper(), _fullwidth(ch), _fullwidth(ch.lower()), _fullwidth(ch.upper())}
            parts.append("[" + "".join(re.escape(a) for a in sorted(alts)) + "]")
        elif ch.isspace():
            parts.append(r"\s*")
        else:
            parts.append(re.escape(ch))
    if not parts:
        return None
    return re.compile(r"(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])" + "".join(parts) + r"(?![0-9０-９])")


class Redactor:
    """Knows every resident's code and label; the only code that decides
    whether a text mentions a resident."""

    def __init__(self, subjects: Iterable[Any], public: bool):
        self.public = public
        tokens: set[str] = set()
        self._code_subs: list[tuple[re.Pattern, str]] = []
        for s in subjects:
            code = getattr(s, "code", "") or ""
            label = getattr(s, "label", "") or ""
            for t in (code, label, getattr(s, "id", "") or ""):
                n = _norm(t)
                if len(n) >= 2:
                    tokens.add(n)
            base = label
            for h in _HONORIFICS:
                if label.endswith(h) and len(label) > len(h):
                    base = label[: -len(h)]
                    break
            if base != label:
                for h in _HONORIFICS:
                    n = _norm(base + h)
                    if len(n) >= 2:
                        tokens.add(n)
            if code and label:
                pat = _code_pattern(code)
                if pat is not None:
                    self._code_subs.append((pat, label))
        self._tokens = tokens
        self._re = (re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))
                    if tokens else None)

    def mentions(self, text: Optional[str]) -> bool:
        if not text or self._re is None:
            return False
        return self._re.search(_norm(text)) is not None

    def clean(self, text: Optional[str]) -> str:
        """Free text for this variant: public drops what mentions a resident
        (by sentence; a phrase list by 「、」 part), internal turns codes into
        labels.  May return ""."""
        text = (text or "").strip()
        if not text:
            return ""
        if not self.public:
            for pat, label in self._code_subs:
                text = pat.sub(label, text)
            return text
        if not self.mentions(text):
            return text
        sentences = [s for s in _SENTENCE_RE.split(text) if s]
        if len(sentences) == 1 and "。" not in text:
            parts = [p for p in text.split("、") if p and not self.mentions(p)]
            out = "、".join(parts).strip()
        else:
            out = "".join(s for s in sentences if not self.mentions(s)).strip()
        if not out or self.mentions(out):
            return ""
        return out

    def field(self, text: Optional[str], neutral: str = OMITTED) -> str:
        """A text that must stay one piece (a title, a cell): public replaces it
        by ``neutral`` when it mentions a resident."""
        text = (text or "").strip()
        if self.public:
            return neutral if self.mentions(text) else text
        return self.clean(text)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def _label(catalog: Any, list_name: str, code: Optional[str]) -> str:
    if not code:
        return ""
    try:
        return catalog.label(list_name, code, default=code)
    except Exception:  # an unknown list: show the code rather than fail the export
        return code


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)


def _join(parts: Iterable[str], sep: str = "、") -> str:
    return sep.join(p for p in parts if p)


@dataclass
class _ActionRow:
    state: Any
    status: str
    superseded_by: Optional[str]
    carry_text: str
    private: bool


# --------------------------------------------------------------------------
# the builder
# --------------------------------------------------------------------------

def build_minutes(world: Any, meeting_id: str, variant: str, *, today: Optional[date] = None,
                  catalog: Any = None) -> MinutesDoc:
    """The minutes of ``meeting_id`` in ``variant`` (PUBLIC | INTERNAL),
    redacted for that variant.  Raises MinutesError for an unknown meeting
    or variant."""
    variant = normalize_variant(variant)
    if meeting_id not in world.meetings:
        raise MinutesError(f"会議「{meeting_id}」が見つかりません。")
    if catalog is None:
        from ..domain.catalog import default_catalog
        catalog = default_catalog()
    return _Builder(world, meeting_id, variant, today or date.today(), catalog).build()


class _Builder:
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

    # ---- privacy predicates (public) --------------------------------------
    def decision_private(self, d: Any) -> bool:
        if d is None:
            return False
        return bool(d.subject_ids) or d.type == "PROMOTE_INDIVIDUAL" \
            or (d.target_network_id or "") in self.w.individual_networks \
            or self.r.mentions(d.text) or self.r.mentions(d.target_text)

    def finding_private(self, f: Any) -> bool:
        if f is None:
            return False
        return f.kind == "INDIVIDUAL_NOT_FORMED" or self.r.mentions(f.description) \
            or (f.network_id or "") in self.w.individual_networks

    def action_private(self, a: Any) -> bool:
        return self.decision_private(self._all_decisions.get(a.decision_id or "")) \
            or self.finding_private(self._all_findings.get(a.gap_finding_id or "")) \
            or self.r.mentions(a.title) or self.r.mentions(a.owner_text)

    # ---- output helpers ----------------------------------------------------
    def h1(self, no: int, label: str, value: str = "") -> None:
        self.blocks.append(Heading(1, f"{no}　{label}", value))

    def para(self, text: str, indent: int = 2, kind: str = "body") -> None:
        if text:
            self.blocks.append(Para(text, indent, kind))

    # ---- build -------------------------------------------------------------
    def build(self) -> MinutesDoc:
        m = self.m
        council_name = self.r.field(self.council.name if self.council else m.council_id)
        tier = self.council.tier if self.council else None
        title_head = meeting_title(m.fiscal_year, m.seq_no)
        tier_text = f"（第{tier}層協議体）" if tier else ""
        title = f"{title_head} {council_name}{tier_text} 会議録（要旨）"
        state = minutes_state(self.w, self.mid)
        self.state = state
        header_name = f"{council_name}　{title_head}　会議録"
        header = (HANDLING_NOTE, header_name) if not self.public else (header_name,)

        self.blocks.append(Title(title))
        if state.is_draft:
            mark = f"{VARIANT_MARK[self.variant]}（案）"
        else:
            mark = f"{VARIANT_MARK[self.variant]}（{wareki(state.confirmed_on)}確定）"
        self.para(mark, 0, "right")

        self.section_datetime(1)
        self.section_place(2)
        self.section_attendees(3)
        self.section_absentees(4)
        self.section_observers(5)
        self.section_materials(6)
        self.section_agenda(7)
        self.section_proceedings(8)
        self.section_decisions(9)
        self.section_actions(10)
        self.section_next(11)
        self.section_publicity(12)
        self.section_record(13)
        self.para("以上", 0, "right")

        stem = _safe_name(f"{fiscal_year_label(m.fiscal_year)}第{m.seq_no}回_{council_name}_会議録_"
                          f"{VARIANT_LABELS[self.variant]}")
        doc = MinutesDoc(meeting_id=self.mid, variant=self.variant, title=title,
                         header_lines=tuple(header), blocks=self.blocks, file_stem=stem,
                         state_label=state.label)
        if self.public:
            _guard(doc, self.r)
        return doc

    # 1 日時
    def section_datetime(self, no: int) -> None:
        m = self.m
        when = wareki_with_weekday(m.held_on)
        times = jp_time_range(m.start_time, m.end_time)
        self.h1(no, "日　時", f"{when}{times}")

    # 2 場所
    def section_place(self, no: int) -> None:
        m = self.m
        venue = self.r.field(m.venue) or "（未記入）"
        if m.mode == "HYBRID":
            venue += "（オンライン併用）"
        elif m.mode == "ONLINE":
            venue = "オンライン開催" if venue == "（未記入）" else f"{venue}（オンライン開催）"
        self.h1(no, "場　所", venue)

    # 3 出席者
    def _att_name(self, a: Any) -> tuple[str, str]:
        if a.person_id and self.person(a.person_id):
            return self.person_name(a.person_id), self.person_org(a.person_id)
        return self.r.field(a.name), self.r.field(a.org_name)

    def _annotations(self, a: Any) -> list[str]:
        notes = []
        if a.status == "LATE":
            notes.append("遅参")
        elif a.status == "LEFT_EARLY":
            notes.append("早退")
        elif a.status == "PROXY":
            proxy = self.r.field(a.proxy_name)
            notes.append(f"代理出席：{proxy}" if proxy else "代理出席")
        if (a.extra or {}).get("mode") == "ONLINE":
            notes.append("オンライン")
        return notes

    def section_attendees(self, no: int) -> None:
        self.h1(no, "出席者（敬称略）")
        att = self.rec.attendance
        members = [a for a in att if a.role_in_meeting == "MEMBER" and a.status in _PRESENT]
        members.sort(key=lambda a: (self._roster_rank.get(a.person_id or "", 1 << 20)))
        entries = []
        for a in members:
            name, org = self._att_name(a)
            role = _COUNCIL_ROLE.get(self._roster_role.get(a.person_id or "", ""), "")
            inner = "／".join(p for p in (role, org) if p)
            extra = self._annotations(a)
            if extra:
                inner = "、".join(p for p in (inner, *extra) if p)
            entries.append(f"{name}（{inner}）" if inner else name)
        roster = []
        if self.council is not None:
            roster = self.w.members_of_council(self.council.id, self.m.held_on)
        n_members = len(roster) or sum(1 for a in att if a.role_in_meeting == "MEMBER")
        roster_ids = {cm.person_id for cm in roster}
        n_present = sum(1 for a in members if not roster_ids or a.person_id in roster_ids)
        count = f"（構成員{n_members}名中{n_present}名出席）"
        if not att:
            self.para(f"構成員　（出欠は未記録）（構成員{n_members}名）")
        else:
            self.para(f"構成員　{_join(entries)}{count}" if entries else f"構成員　なし{count}")

        scs = []
        for a in att:
            if a.role_in_meeting == "SC" and a.status in _PRESENT:
                name, _org = self._att_name(a)
                tier = self.coordinator_tier(a.person_id)
                scs.append(f"{name}（第{tier}層）" if tier else name)
        self.para(f"生活支援コーディネーター　{_join(scs) or '（なし）'}")

        sec = []
        for a in att:
            if a.role_in_meeting == "SECRETARIAT" and a.status in _PRESENT:
                name, org = self._att_name(a)
                sec.append(f"{org}　{name}" if org else name)
        self.para(f"事務局　{_join(sec) or '（なし）'}")

        others = []
        for a in att:
            if a.role_in_meeting in ("DEPARTMENT", "ADVISOR", "OBSERVER") and a.status in _PRESENT:
                name, org = self._att_name(a)
                role = self.lbl("meeting_roles", a.role_in_meeting) if a.role_in_meeting == "ADVISOR" else ""
                inner = "／".join(p for p in (role, org) if p)
                others.append(f"{name}（{inner}）" if inner else name)
        self.para(f"関係機関・オブザーバー　{_join(others) or '（なし）'}")

    # 4 欠席者
    def section_absentees(self, no: int) -> None:
        absent = [a for a in self.rec.attendance if a.status == "ABSENT"]
        absent.sort(key=lambda a: (self._roster_rank.get(a.person_id or "", 1 << 20)))
        entries = []
        for a in absent:
            name, org = self._att_name(a)
            note = self.r.clean(a.note)
            inner = "、".join(p for p in (org, note) if p)
            entries.append(f"{name}（{inner}）" if inner else name)
        self.h1(no, "欠席者（敬称略）", _join(entries) or "なし")

    # 5 傍聴者
    def section_observers(self, no: int) -> None:
        n = self.m.observers_count or 0
        self.h1(no, "傍聴者", f"{n}名" if n else "なし")

    # 6 配布資料
    def _material_visible(self, mt: Any) -> bool:
        if not self.public:
            return True
        return not mt.internal_only and not self.r.mentions(mt.title) and not self.r.mentions(mt.label)

    def section_materials(self, no: int) -> None:
        self.h1(no, "配布資料")
        shown = [mt for mt in self.rec.materials if self._material_visible(mt)]
        if not shown:
            self.para("なし")
            return
        for mt in shown:
            suffix = "　※内部資料" if mt.internal_only else ""
            self.para(f"{self.r.field(mt.label)}　{self.r.field(mt.title)}{suffix}")

    # 7 議題
    def _sections(self) -> list[tuple[str, str, list]]:
        out = []
        known = {code for code, _ in _SECTIONS}
        for code, label in _SECTIONS:
            items = [a for a in self.items if (a.section if a.section in known else "OTHER") == code]
            out.append((code, label, items))
        return out

    def _item_title(self, item: Any) -> str:
        return self.r.field(item.title, "（議題名は個人に関わるため省略）")

    def section_agenda(self, no: int) -> None:
        self.h1(no, "議　題")
        for code, label, items in self._sections():
            if not items and code != "OTHER":
                continue
            self.para(f"【{label}】", 1)
            for i, item in enumerate(items, start=1):
                self.para(f"{paren_no(i)} {self._item_title(item)}", 2)
            if code == "OTHER" and not items:
                self.para("次回開催について", 2)

    # 8 会議の経過
    def _attachments(self) -> None:
        rec = self.rec
        by_template: dict[str, Any] = {}
        explicit_net: dict[str, Any] = {}
        for item in self.items:
            if item.template and item.template not in by_template:
                by_template[item.template] = item
            for nid in (item.extra or {}).get("network_ids", []) or []:
                explicit_net.setdefault(nid, item)
        self.by_template = by_template

        def item_for_network(nid: str) -> Optional[Any]:
            if nid in explicit_net:
                return explicit_net[nid]
            pn = self.w.provider_networks.get(nid)
            if pn is not None:
                return by_template.get(_KIND_TEMPLATE.get(pn.kind, ""))
            return None

        self.net_reports: dict[Optional[str], dict[str, dict]] = defaultdict(dict)
        for fa in rec.function_assessments:
            item = item_for_network(fa.network_id)
            entry = self.net_reports[item.id if item else None].setdefault(fa.network_id, {"fa": [], "nu": []})
            entry["fa"].append(fa)
        self.individual_updates: list = []
        for nu in rec.network_updates:
            if nu.entity == "provider_networks":
                item = item_for_network(nu.entity_id)
                entry = self.net_reports[item.id if item else None].setdefault(nu.entity_id, {"fa": [], "nu": []})
                entry["nu"].append(nu)
            elif nu.entity in ("individual_networks", "need_items"):
                self.individual_updates.append(nu)

        self.linkage_by_item: dict[Optional[str], list] = defaultdict(list)
        for ls in rec.linkage_statuses:
            tpl = self.cat.template_for(linked_system=ls.linked_system_code)
            item = by_template.get(tpl.code) if tpl is not None else None
            if item is None and ls.status == "NO_CONTACT" and not ls.notes:
                continue
            self.linkage_by_item[item.id if item else None].append(ls)

        self.findings_by_item: dict[Optional[str], list] = defaultdict(list)
        a11 = by_template.get("A11")
        for f in rec.gap_findings:
            item = self.item_by_id.get(f.agenda_item_id or "") or a11
            self.findings_by_item[item.id if item else None].append(f)
        self.finding_updates_item = a11.id if a11 else None

        self.decisions_by_item: dict[Optional[str], list] = defaultdict(list)
        a12 = by_template.get("A12")
        for d in self.decisions:
            item = self.item_by_id.get(d.agenda_item_id or "") or a12
            self.decisions_by_item[item.id if item else None].append(d)

        self.statements_by_item: dict[str, list] = defaultdict(list)
        for s in rec.statements:
            self.statements_by_item[s.agenda_item_id].append(s)

    def _subject_of_update(self, nu: Any) -> Optional[str]:
        if nu.entity == "individual_networks":
            net = self.w.individual_networks.get(nu.entity_id)
            return net.subject_id if net else (nu.changes or {}).get("subject_id")
        if nu.entity == "need_items":
            need = self.w.need_items.get(nu.entity_id)
            nid = need.network_id if need else (nu.changes or {}).get("network_id")
            net = self.w.individual_networks.get(nid or "")
            return net.subject_id if net else None
        return None

    def _item_subjects(self, item: Optional[Any]) -> list[str]:
        """Subjects the meeting linked to an individual-network item."""
        ids: set[str] = set()
        if item is not None:
            for s in self.statements_by_item.get(item.id, []):
                ids.update(s.subject_ids)
            for f in self.findings_by_item.get(item.id, []):
                ids.update(f.subject_ids)
            for d in self.decisions_by_item.get(item.id, []):
                ids.update(d.subject_ids)
        if item is None or item is self.by_template.get("A03"):
            for nu in self.individual_updates:
                sid = self._subject_of_update(nu)
                if sid:
                    ids.add(sid)
        return sorted(i for i in ids if i in self.w.subjects) + sorted(i for i in ids if i not in self.w.subjects)

    def section_proceedings(self, no: int) -> None:
        self.h1(no, "会議の経過（要旨）")
        self._attachments()
        a03 = self.by_template.get("A03")
        for code, label, items in self._sections():
            if not items:
                continue
            self.para(f"【{label}】", 1)
            for i, item in enumerate(items, start=1):
                self.blocks.append(Heading(2, f"{paren_no(i)} {self._item_title(item)}"))
                if self.public and item.visibility == "PRIVATE":
                    self.para(PRIVATE_ITEM_LINE)
                    continue
                if item.template == "A03" or item is a03:
                    self.item_individual(item)
                else:
                    self.item_generic(item)
        # what the meeting recorded without an agenda item to hang it on
        leftovers = (self.net_reports.get(None) or self.linkage_by_item.get(None)
                     or self.findings_by_item.get(None) or (self.individual_updates and a03 is None))
        if leftovers:
            self.para("【その他の記録】", 1)
            self.item_details(None)
            if self.individual_updates and a03 is None:
                self.individual_block(None)

    def _presenter_line(self, item: Any) -> None:
        who = self.presenter_label(item.presenter_person_id)
        mats = []
        for mid in item.material_ids:
            mt = self.materials.get(mid)
            if mt is not None and self._material_visible(mt):
                mats.append(self.r.field(mt.label))
        verb = "報告" if item.section == "REPORT" else "説明"
        if who and mats:
            self.para(f"{who}より{'・'.join(mats)}に基づき{verb}。")
        elif who:
            self.para(f"{who}より{verb}。")
        elif mats:
            self.para(f"{'・'.join(mats)}に基づき{verb}。")

    def item_individual(self, item: Any) -> None:
        subjects = self._item_subjects(item)
        if self.public:
            n = len(subjects)
            self.para(AGGREGATE_LINE.format(n=n) if n else AGGREGATE_LINE_NO_COUNT)
            self.decision_refs(item)
            return
        self._presenter_line(item)
        self.para(self.r.clean(item.summary))
        self.individual_block(item)
        self.statements(item)
        self.findings(item)
        self.decision_refs(item)

    def individual_block(self, item: Optional[Any]) -> None:
        """Internal only: each resident discussed, by label, with what this
        meeting recorded about their network and unmet needs."""
        if self.public:
            return
        subjects = self._item_subjects(item)
        if not subjects:
            return
        updates: dict[str, list] = defaultdict(list)
        for nu in self.individual_updates:
            sid = self._subject_of_update(nu)
            if sid:
                updates[sid].append(nu)
        for n, sid in enumerate(subjects, start=1):
            self.para(f"{circled_no(n)} {self.subject_display(sid)}", 3)
            for nu in updates.get(sid, []):
                ch = nu.changes or {}
                if nu.entity == "individual_networks" and ch.get("status"):
                    self.para(f"・状態：{self.lbl('individual_statuses', ch['status'])}", 4)
                if nu.entity == "need_items" and ch.get("service_category"):
                    st = self.lbl("need_statuses", ch.get("status") or "")
                    self.para(f"・必要な支援：{self.lbl('service_categories', ch['service_category'])}"
                              f"{f'（{st}）' if st else ''}", 4)
                note = self.r.clean(nu.note)
                if note:
                    self.para(f"・{note}", 4)
            for net in self.w.networks_of_subject(sid):
                for need in self.w.needs_of(net.id):
                    if need.status == "MET":
                        continue
                    if need.identified_on is not None and need.identified_on > self.m.held_on:
                        continue
                    if any(nu.entity == "need_items" and nu.entity_id == need.id for nu in updates.get(sid, [])):
                        continue
                    self.para(f"・必要な支援：{self.lbl('service_categories', need.service_category)}"
                              f"（{self.lbl('need_statuses', need.status)}）", 4)

    def item_generic(self, item: Any) -> None:
        self._presenter_line(item)
        if item.template == "A01":
            self.item_minutes_review(item)
        self.para(self.r.clean(item.summary))
        if item.template == "A02":
            self.item_action_review(item)
        self.item_details(item.id)
        self.statements(item)
        self.findings(item)
        if item.id == self.finding_updates_item:
            self.finding_updates()
        self.decision_refs(item)

    def item_minutes_review(self, item: Any) -> None:
        if item.result == "CONFIRMED":
            self.para("前回会議録（案）は、訂正なく確定した。")
        elif item.result == "CORRECTED":
            self.para("前回会議録（案）は、次のとおり訂正のうえ確定した。")
            corr = self.r.clean(item.correction)
            self.para(f"訂正：{corr}" if corr else f"訂正：{OMITTED}", 3)

    def _status_at(self, st: Any) -> tuple[str, Optional[str]]:
        """(status, superseded_by) of an action state as of the end of this meeting."""
        pos = self.w.meeting_position(self.mid)
        status = st.item.status
        sup = st.item.superseded_by
        for p in st.progress:
            try:
                ppos = self.w.meeting_position(p.meeting_id)
            except KeyError:
                continue
            if ppos > pos:
                continue
            if p.status_after:
                status = p.status_after
            sb = (p.extra or {}).get("superseded_by")
            if sb:
                sup = sb
        if sup:
            # only once the item that takes over exists (it may come from a later meeting)
            succ = self._action_states.get(sup)
            if succ is None or self.w.meeting_position(succ.origin.id) > pos:
                sup = None
        return status, sup

    def item_action_review(self, item: Any) -> None:
        states = self._action_states
        ids = list(item.carried_action_ids)
        if not ids:
            ids = [s.id for s in self.w.open_actions(self.m.council_id, before_meeting_id=self.mid)]
        progress_here = {p.action_item_id: p for p in self.rec.action_progress}
        n = 0
        for aid in ids:
            st = states.get(aid)
            if st is None:
                continue
            n += 1
            status, sup = self._status_at(st)
            private = self.public and self.action_private(st.item)
            title = NEUTRAL_ACTION if private else self.r.field(st.item.title, NEUTRAL_ACTION)
            status_text = self.lbl("action_item_statuses", status)
            if sup:
                status_text += f"（{sup}に引継ぎ）"
            self.para(f"{circled_no(n)} {aid}　{title}：{status_text}", 3)
            p = progress_here.get(aid)
            if p is not None and not private:
                note = self.r.clean(p.note)
                if note:
                    self.para(f"・{note}", 4)

    def item_details(self, item_id: Optional[str]) -> None:
        n = 0
        for nid in sorted(self.net_reports.get(item_id, {})):
            entry = self.net_reports[item_id][nid]
            pn = self.w.provider_networks.get(nid)
            n += 1
            if pn is not None:
                kind = self.lbl("network_kinds", pn.kind)
                cov = self.lbl("coverage_levels", pn.coverage_level)
                form = self.lbl("network_forms", pn.form)
                head = f"{self.r.field(pn.name)}（{_join((kind, cov, form), '・')}）"
            else:
                head = nid
            self.para(f"{circled_no(n)} {head}", 3)
            for nu in entry["nu"]:
                ch = nu.changes or {}
                if ch.get("status"):
                    self.para(f"・状態：{self.lbl('provider_network_statuses', ch['status'])}", 4)
                if ch.get("chien_npo_stage"):
                    self.para(f"・段階：{self.lbl('chien_npo_stages', ch['chien_npo_stage'])}", 4)
                note = self.r.clean(nu.note)
                if note:
                    self.para(f"・{note}", 4)
            for fa in entry["fa"]:
                ev = self.r.clean(fa.evidence)
                cause = self.lbl("failure_causes", fa.cause) if fa.cause else ""
                extra = _join((ev, f"原因：{cause}" if cause else ""), "。")
                self.para(f"・{self.lbl('network_functions', fa.function_code)}："
                          f"{self.lbl('function_ratings', fa.rating)}{f'（{extra}）' if extra else ''}", 4)
        for ls in self.linkage_by_item.get(item_id, []):
            n += 1
            partners = _join((self.org_name(o) for o in ls.partner_org_ids), "・")
            self.para(f"{circled_no(n)} {self.lbl('linked_systems', ls.linked_system_code)}："
                      f"{self.lbl('linkage_statuses', ls.status)}"
                      f"{f'（連携先：{partners}）' if partners else ''}", 3)
            note = self.r.clean(ls.notes)
            if note:
                self.para(f"・{note}", 4)

    def _speaker(self, s: Any) -> str:
        if s.speaker_label == "DEPARTMENT":
            label = self.r.field(s.department) or "関係部署"
        else:
            label = _SPEAKERS.get(s.speaker_label) or self.lbl("speaker_labels", s.speaker_label) or "発言者"
        if not self.public and s.speaker_person_id:
            name = self.person_name(s.speaker_person_id)
            if name:
                label = f"{label}（{name}）"
        return label

    def statements(self, item: Any) -> None:
        dropped = 0
        for s in self.statements_by_item.get(item.id, []):
            if self.public and (s.subject_ids or item.template == "A03" or self.r.mentions(s.text)
                                or self.r.mentions(s.department)):
                dropped += 1
                continue
            text = self.r.clean(s.text)
            if not text:
                dropped += 1
                continue
            self.blocks.append(Para(f"○{self._speaker(s)}　{text}", 3, "statement"))
        if dropped and self.public:
            self.para(DROPPED_NOTE, 2, "note")

    def findings(self, item: Any) -> None:
        rows = self.findings_by_item.get(item.id if item else None, [])
        if not rows:
            return
        shown = [f for f in rows if not (self.public and self.finding_private(f))]
        hidden = len(rows) - len(shown)
        if shown:
            self.para("課題として、次の点を確認した。")
            for n, f in enumerate(shown, start=1):
                desc = self.r.field(f.description)
                kind = self.lbl("gap_finding_kinds", f.kind)
                nos = self.lbl("network_or_service", f.network_or_service)
                self.para(f"{circled_no(n)} {desc}（{_join((kind, f'対応：{nos}' if nos else ''), '、')}）", 3)
        if hidden:
            self.para(f"このほか、個別の事例に関する課題が{hidden}件あった（公開用では内容を省略）。")

    def finding_updates(self) -> None:
        ups = self.rec.finding_updates
        if not ups:
            return
        shown = []
        hidden = 0
        for u in ups:
            f = self._all_findings.get(u.finding_id)
            if self.public and (f is None or self.finding_private(f)):
                hidden += 1
                continue
            shown.append((u, f))
        if shown:
            self.para("これまでに確認した課題について、次のとおり整理した。")
            for n, (u, f) in enumerate(shown, start=1):
                desc = self.r.field(f.description) if f else u.finding_id
                parts = []
                if u.status:
                    parts.append(self.lbl("gap_finding_statuses", u.status))
                if u.network_or_service:
                    parts.append(self.lbl("network_or_service", u.network_or_service))
                self.para(f"{circled_no(n)} {desc}：{_join(parts, '・') or '更新'}", 3)
                note = self.r.clean(u.note)
                if note:
                    self.para(f"・{note}", 4)
        if hidden:
            self.para(f"このほか、個別の事例に関する課題{hidden}件の対応を確認した（公開用では内容を省略）。")

    def decision_refs(self, item: Any) -> None:
        nos = [self.decision_no[d.id] for d in self.decisions_by_item.get(item.id, [])]
        if nos:
            self.para(f"協議の結果、{'・'.join(f'決定事項No.{n}' for n in nos)}のとおり決定した（9 決定事項を参照）。")

    # 9 決定事項
    def _quorum_text(self, d: Any) -> str:
        if d.quorum_members and d.quorum_present is not None:
            met = d.quorum_met if d.quorum_met is not None else d.quorum_present * 2 > d.quorum_members
            return f"{d.quorum_members}名中{d.quorum_present}名出席・{'成立' if met else '不成立'}"
        try:
            from ..domain.rules import quorum_for_meeting
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
            parts.append("・".join(self.lbl("linked_systems", c) for c in systems))
        if tt:
            parts.append(f"（{tt}）" if parts else tt)
        return "".join(parts) or "－"

    def section_decisions(self, no: int) -> None:
        self.h1(no, "決定事項")
        if not self.decisions:
            self.para("なし")
            return
        rows = []
        for d in self.decisions:
            private = self.public and self.decision_private(d)
            text = NEUTRAL_DECISION if private else self.r.field(d.text, NEUTRAL_DECISION)
            target = NEUTRAL_TARGET if private else self._decision_target(d)
            resp = f"第{d.responsible_tier}層SC" if d.responsible_tier else "SC"
            if d.with_administration:
                resp += "・行政"
            rows.append((str(self.decision_no[d.id]), text, self.lbl("decision_types", d.type),
                         target, resp, self._quorum_text(d), self._readback_text("decisions", d.id)))
        self.blocks.append(Table(("No.", "決定事項", "区分", "対象", "担当", "定足数", "読上げ"),
                                 rows, (10, 50, 24, 30, 16, 24, 16)))

    # 10 今後の取組
    def _owners(self, a: Any) -> str:
        names = [self.person_name(p) for p in a.owner_person_ids]
        names = [n for n in names if n]
        text = self.r.clean(a.owner_text)
        if names:
            out = "・".join(names)
            return f"{out}（{text}）" if text else out
        if text:
            return text
        return "・".join(n for n in (self.org_name(o) for o in a.owner_org_ids) if n) or "－"

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
            rows.append(_ActionRow(st, status, sup, carry, self.public and self.action_private(st.item)))
        rows.sort(key=lambda r: (self.w.meeting_position(r.state.origin.id), r.state.id))
        return rows

    def section_actions(self, no: int) -> None:
        self.h1(no, "今後の取組（役割分担）")
        rows = []
        for r in self.action_rows():
            a = r.state.item
            title = NEUTRAL_ACTION if r.private else self.r.field(a.title, NEUTRAL_ACTION)
            status = self.lbl("action_item_statuses", r.status)
            if r.superseded_by:
                status += f"（{r.superseded_by}に引継ぎ）"
            due = wareki(a.due_date) if a.due_date else "－"
            readback = self._readback_text("action_items", a.id)
            if r.carry_text != "新規" and ("action_items", a.id) not in self._readback:
                readback = "－"   # carried items are read back in the meeting that made them
            rows.append((a.id, title, self._owners(a), due, status, r.carry_text, readback))
        if not rows:
            self.para("なし")
            return
        self.blocks.append(Table(("No.", "取組内容", "担当", "期限", "状況", "継続", "読上げ"),
                                 rows, (15, 47, 30, 28, 18, 16, 16)))

    # 11 次回開催予定
    def section_next(self, no: int) -> None:
        m = self.m
        if m.next_plan_date is None:
            self.h1(no, "次回開催予定", "未定")
            return
        parts = [wareki_with_weekday(m.next_plan_date)]
        if m.next_plan_time is not None:
            parts[0] += jp_time(m.next_plan_time)
        venue = self.r.field(m.next_plan_venue)
        if venue:
            parts.append(venue)
        self.h1(no, "次回開催予定", "　".join(parts))
        topics = self.r.clean(m.next_plan_topics)
        if topics:
            self.para(f"予定議題：{topics}")

    # 12 公開・非公開の別
    def section_publicity(self, no: int) -> None:
        value = "公開" if self.m.public else "非公開"
        if self.m.public and any(a.visibility == "PRIVATE" for a in self.items):
            value += "（一部の議題を非公開とした）"
        self.h1(no, "公開・非公開の別", value)
        if self.public:
            self.para("本書は公開用の要旨であり、個人に関わる内容は記載していない。", 2, "note")
        else:
            self.para("本書は内部記録であり、個人情報を含むため取扱いに注意すること。", 2, "note")

    # 13 記録
    def _drafted_on(self) -> date:
        if self.m.minutes_drafted_on:
            return self.m.minutes_drafted_on
        for mr in self.rec.minutes:
            if mr.variant == self.variant and mr.drafted_on:
                return mr.drafted_on
        return self.today

    def section_record(self, no: int) -> None:
        m = self.m
        self.h1(no, "記　録")
        rec_name = self.person_name(m.recorder_person_id)
        if rec_name:
            p = self.person(m.recorder_person_id)
            title = self.r.field(p.title) if p else ""
            self.para(f"記録者：{rec_name}{f'（{title}）' if title else ''}")
        confirmer = m.confirmer_person_id or m.chair_person_id
        conf_name = self.person_name(confirmer)
        drafted = f"作成日：{wareki(self._drafted_on())}"
        if conf_name:
            role = _COUNCIL_ROLE.get(self._roster_role.get(confirmer or "", ""), "")
            if not role:
                p = self.person(confirmer)
                role = self.r.field(p.title) if p else ""
            self.para(f"確　認：{conf_name}{f'（{role}）' if role else ''}　　{drafted}")
        else:
            self.para(drafted)
        st: MinutesState = self.state
        if st.status == DRAFT:
            self.para("本会議録は案であり、次回の会議で確認する。")
        else:
            if st.confirmed_at_meeting_id and st.confirmed_at_meeting_id in self.w.meetings:
                nxt = self.w.meetings[st.confirmed_at_meeting_id].meeting
                how = f"{meeting_title(nxt.fiscal_year, nxt.seq_no)}会議で確認"
            else:
                how = "書面により確認"
            self.para(f"確定日：{wareki(st.confirmed_on)}（{how}）")
            if st.status == CORRECTED:
                corr = self.r.clean(st.correction)
                self.para(f"訂正内容：{corr or OMITTED}")


def _guard(doc: MinutesDoc, r: Redactor) -> None:
    """Last line of defence for the public variant: no string of the finished
    document may mention a resident."""
    hits = 0
    lines = []
    for line in doc.header_lines:
        if r.mentions(line):
            hits += 1
            line = OMITTED
        lines.append(line)
    doc.header_lines = tuple(lines)
    if r.mentions(doc.title):
        hits += 1
        doc.title = OMITTED
    for b in doc.blocks:
        if isinstance(b, Title) or isinstance(b, Para):
            if r.mentions(b.text):
                hits += 1
                b.text = OMITTED
        elif isinstance(b, Heading):
            if r.mentions(b.full_text):
                hits += 1
                if r.mentions(b.text):
                    b.text = OMITTED
                b.value = OMITTED if b.value else ""
                if r.mentions(b.full_text):   # pragma: no cover - OMITTED mentions nobody
                    b.text, b.value = OMITTED, ""
        elif isinstance(b, Table):
            if r.mentions(b.caption):
                hits += 1
                b.caption = OMITTED
            new_rows = []
            for row in b.rows:
                cells = []
                for c in row:
                    if r.mentions(c):
                        hits += 1
                        c = "（省略）"
                    cells.append(c)
                new_rows.append(tuple(cells))
            b.rows = new_rows
    if r.mentions(doc.file_stem):
        doc.file_stem = "会議録_公開用"
    doc.guard_hits = hits
