"""Sections 1-7 of the minutes: 日時, 場所, 出席者, 欠席者, 傍聴者, 配布資料, 議題
(docs/DOMAIN.md, The minutes).  No Textual here."""
from __future__ import annotations

from typing import Any

from kyogitai_tui.domain.dates import jp_time_range, wareki_with_weekday
from kyogitai_tui.minutes.content_base import _COUNCIL_ROLE, BuilderBase, _join, flat
from kyogitai_tui.minutes.numbering import paren_no

_PRESENT = {"PRESENT", "PROXY", "LATE", "LEFT_EARLY"}


class FrontSections(BuilderBase):
    # 1 日時
    def section_datetime(self, no: int) -> None:
        m = self.m
        when = wareki_with_weekday(m.held_on)
        times = jp_time_range(m.start_time, m.end_time)
        self.h1(no, "日　時", f"{when}{times}")
        # 経緯・特記事項 (延期の理由など) under the date, as a clerk writes it
        notes = self.r.clean(str((m.extra or {}).get("notes") or ""))
        if notes:
            self.para(f"※{notes}")

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
            entries.append(f"{name}（{flat(inner)}）" if inner else name)
        roster = []
        if self.council is not None:
            roster = self.w.members_of_council(self.council.id, self.m.held_on)
        n_members = len(roster) or sum(1 for a in att if a.role_in_meeting == "MEMBER")
        roster_ids = {cm.person_id for cm in roster}
        n_present = sum(1 for a in members if not roster_ids or a.person_id in roster_ids)
        count = f"（構成員{n_members}名中{n_present}名出席{self.quorum_clause()}）"
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
                sec.append(self._org_then_name(a))
        self.para(f"事務局　{_join(sec) or '（なし）'}")

        # 関係機関: partner bodies and departments, by the body's name when no person is named
        partners = [self._org_then_name(a) for a in att
                    if a.role_in_meeting in ("PARTNER", "DEPARTMENT") and a.status in _PRESENT]
        self.para(f"関係機関　{_join(partners) or '（なし）'}")

        others = []
        for a in att:
            if a.role_in_meeting in ("ADVISOR", "OBSERVER") and a.status in _PRESENT:
                name, org = self._att_name(a)
                role = self.lbl("meeting_roles", a.role_in_meeting) if a.role_in_meeting == "ADVISOR" else ""
                inner = "／".join(p for p in (role, org) if p)
                others.append(f"{name}（{flat(inner)}）" if inner and name else name or flat(inner))
        if others:
            self.para(f"アドバイザー・オブザーバー　{_join(others)}")

    def _org_then_name(self, a: Any) -> str:
        """「障害福祉課」 for a department attending as such (no person), 「障害福祉課　山田」
        for a named person; a body's name said once even when the person's own
        label repeats it (「障害福祉課 係長」 of 「みほん市 障害福祉課」)."""
        name, org = self._att_name(a)
        name, org = (name or "").strip(), (org or "").strip()
        if not name:
            return org
        if not org:
            return name
        squash = lambda t: "".join(t.split())  # noqa: E731
        if squash(name) in squash(org):
            return org
        tail = org.split()[-1]
        if squash(name).startswith(squash(tail)):   # the person's label already names the body
            return org[:len(org) - len(tail)] + name       # 「みほん市 障害福祉課 係長」
        return f"{org}　{name}"

    # 4 欠席者
    def section_absentees(self, no: int) -> None:
        absent = [a for a in self.rec.attendance if a.status == "ABSENT"]
        absent.sort(key=lambda a: (self._roster_rank.get(a.person_id or "", 1 << 20)))
        entries = []
        for a in absent:
            name, org = self._att_name(a)
            note = self.r.clean(a.note)
            inner = "、".join(p for p in (org, note) if p)
            entries.append(f"{name}（{flat(inner)}）" if inner else name)
        self.h1(no, "欠席者（敬称略）", _join(entries) or "なし")

    # 5 傍聴者
    def section_observers(self, no: int) -> None:
        n = self.m.observers_count or 0
        self.h1(no, "傍聴者", f"{n}名" if n else "なし")

    # 6 配布資料
    def section_materials(self, no: int) -> None:
        # every 資料 handed out is listed, so the numbers have no gaps; one the
        # 公開用 may not describe is listed by its number as 「（非公開）」
        self.h1(no, "配布資料")
        if not self.rec.materials:
            self.para("なし")
            return
        for mt in self.rec.materials:
            if not self._material_visible(mt):
                label = "" if self.r.mentions(mt.label) else self.r.field(mt.label)
                self.para(f"{label}　（非公開）" if label else "非公開の資料")
                continue
            suffix = "（非公開）" if mt.internal_only else ""
            self.para(f"{self.r.field(mt.label)}　{self.r.field(mt.title)}{suffix}")

    def quorum_clause(self) -> str:
        """「、会議は成立」 once, in the attendance (not on every decision)."""
        q = self.meeting_quorum()
        if q is None:
            return ""
        return "、定足数を満たし会議は成立" if q.met else "、定足数に達せず"

    def meeting_quorum(self):
        if getattr(self, "_quorum_cache", False) is not False:
            return self._quorum_cache
        try:
            from kyogitai_tui.domain.guidebook.rules import quorum_for_meeting
            q = quorum_for_meeting(self.w, self.mid) if self.rec.attendance else None
        except (KeyError, ValueError):
            q = None
        self._quorum_cache = q
        return q

    # 7 議題
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
