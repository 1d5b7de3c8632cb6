"""Sections 11-13 of the minutes: 次回開催予定, 公開・非公開の別, 記録 (who
recorded and confirmed, 案 / 確定 / 訂正).  No Textual here."""
from __future__ import annotations

from datetime import date

from kyogitai_tui.domain.dates import jp_time, meeting_title, wareki, wareki_with_weekday
from kyogitai_tui.domain.meeting.minutes_state import CORRECTED, DRAFT, MinutesState
from kyogitai_tui.minutes.content_base import _COUNCIL_ROLE, BuilderBase, flat
from kyogitai_tui.domain.privacy.redaction import OMITTED


class ClosingSections(BuilderBase):
    # 11 次回開催予定
    def section_next(self, no: int) -> None:
        m = self.m
        frequency = self.r.clean(getattr(self.council, "planned_frequency", "") or "") if self.council else ""
        if m.next_plan_date is None:
            self.h1(no, "次回開催予定", "未定")
            if frequency:
                self.para(f"開催頻度：{frequency}")
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
        if frequency:
            self.para(f"開催頻度：{frequency}")

    # 12 公開・非公開の別
    def section_publicity(self, no: int) -> None:
        value = "公開" if self.m.public else "非公開"
        if self.m.public and any(a.visibility == "PRIVATE" for a in self.items):
            value += "（一部の議題を非公開とした）"
        if not self.public:
            # the meeting's publicity, not this document's: the 内部記録 is never public
            value = f"会議は{value}（本書は内部記録のため非公開）"
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
            self.para(f"記録者：{rec_name}{f'（{flat(title)}）' if title else ''}")
        confirmer = m.confirmer_person_id or m.chair_person_id
        conf_name = self.person_name(confirmer)
        drafted = f"作成日：{wareki(self._drafted_on())}"
        if conf_name:
            role = _COUNCIL_ROLE.get(self._roster_role.get(confirmer or "", ""), "")
            if not role:
                p = self.person(confirmer)
                role = flat(self.r.field(p.title)) if p else ""
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
