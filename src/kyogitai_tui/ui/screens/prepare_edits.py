"""The edits of the prepare screen, one group per section (基本・出欠・資料・議題).

A mixin of ``PrepareScreen``: it uses the screen's ``session``, ``submitter``
(FormDialog submit that runs a session operation), ``run``, ``selected`` and
``select``.  Every edit is a MeetingSession operation; a SessionError's
Japanese message stays in the dialog.
"""
from __future__ import annotations

from kyogitai_tui.domain.meeting.prepare_view import basics_problem, move_within_section
from kyogitai_tui.domain.meeting.roster import roster_rows
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, Field, FormDialog


class PrepareEditsMixin:
    # ------------------------------------------------------------------
    # 基本
    # ------------------------------------------------------------------

    def action_edit_basics(self) -> None:
        s = self.session
        m = s.meeting
        fields = [
            Field("held_on", "開催日", kind="date", value=m.held_on, required=True),
            Field("start_time", "開始時刻", kind="time", value=m.start_time),
            Field("planned_minutes", "会議時間（分）", kind="int", value=m.planned_minutes, required=True),
            Field("venue", "会場", value=m.venue),
            Field("mode", "開催形式", kind="choice", value=m.mode,
                  choices=list(self.app.catalog.labels("meeting_modes").items())),
            Field("seq_no", "第n回（回数）", kind="int", value=m.seq_no, required=True),
        ]

        def op(values: dict) -> list:
            problem = basics_problem(values)
            if problem:
                raise SessionError(problem)
            return s.set_basics(held_on=values["held_on"], start_time=values["start_time"],
                                planned_minutes=values["planned_minutes"], venue=values["venue"],
                                mode=values["mode"] or m.mode, seq_no=values["seq_no"])

        self.app.push_screen(FormDialog("会議の基本", fields, self.submitter(op),
                                        note="年度は開催日から決まります。"))

    # ------------------------------------------------------------------
    # 出欠
    # ------------------------------------------------------------------

    def edit_attendance(self, attendance_id: str) -> None:
        s = self.session
        row = s.attendance_row(attendance_id)
        name = next((r.name for r in roster_rows(s.world, s.meeting.council_id, [row])), "")
        fields = [
            Field("status", "出欠", kind="choice", value=row.status,
                  choices=list(self.app.catalog.labels("attendance_statuses").items())),
            Field("role", "会議での立場", kind="choice", value=row.role_in_meeting,
                  choices=list(self.app.catalog.labels("meeting_roles").items())),
            Field("proxy_name", "代理出席者の氏名", value=row.proxy_name),
            Field("at", "到着・退出の時刻", kind="time", value=row.arrived_at or row.left_at),
            Field("note", "備考", value=row.note, placeholder="書面で意見提出 など"),
        ]
        guest = row.person_id is None
        if guest:  # someone added for this meeting: name and 所属 can be corrected
            fields = [Field("name", "氏名", value=row.name, placeholder="部署・機関として出席するときは空欄"),
                      Field("org", "所属（部署・機関）", value=row.org_name)] + fields

        def op(values: dict) -> list:
            changes = s.edit_guest(attendance_id, name=values["name"], org_name=values["org"]) if guest else []
            return changes + s.set_attendance(attendance_id, status=values["status"], role=values["role"],
                                              proxy_name=values["proxy_name"], at=values["at"],
                                              note=values["note"])

        self.app.push_screen(FormDialog(
            f"出欠: {name}", fields, self.submitter(op),
            note="代理出席は氏名が必要です。遅参・早退は、わかれば時刻も。"))

    def action_add_guest(self) -> None:
        s = self.session
        fields = [
            Field("name", "氏名", placeholder="部署・機関として出席するときは空欄"),
            Field("org", "所属（部署・機関）", placeholder="例: 障害福祉課、相談支援事業所"),
            Field("role", "会議での立場", kind="choice", value="ADVISOR",
                  choices=list(self.app.catalog.labels("meeting_roles").items())),
        ]

        def op(values: dict) -> list:
            return s.add_guest(values["name"], org_name=values["org"], role=values["role"] or "ADVISOR")

        self.app.push_screen(FormDialog("名簿にない出席者を追加", fields, self.submitter(op),
                                        note="例: 県社協のアドバイザー、関係機関（相談支援事業所）、"
                                             "関係部署。氏名か所属のどちらかを入れます。"))

    def action_observers(self) -> None:
        s = self.session
        fields = [Field("n", "傍聴者の人数", kind="int", value=s.meeting.observers_count, required=True)]
        self.app.push_screen(FormDialog(
            "傍聴者", fields, self.submitter(lambda v: s.set_basics(observers_count=v["n"])),
            note="傍聴者は人数だけを記録します。"))

    # ------------------------------------------------------------------
    # 資料
    # ------------------------------------------------------------------

    def _material_fields(self, title: str = "", internal: bool = False) -> list[Field]:
        return [Field("title", "題名", value=title, required=True),
                Field("kind", "区分", kind="choice", value="INTERNAL" if internal else "PUBLIC",
                      choices=[("PUBLIC", "配布"), ("INTERNAL", "内部のみ（対象者の記載あり等）")])]

    def action_add_material(self) -> None:
        s = self.session
        n = len(s.record.materials) + 1

        def op(values: dict) -> list:
            return s.add_material(values["title"], internal_only=values["kind"] == "INTERNAL")

        self.app.push_screen(FormDialog(f"資料{n}を追加", self._material_fields(), self.submitter(op)))

    def edit_material(self, material_id: str) -> None:
        s = self.session
        mt = next((x for x in s.record.materials if x.id == material_id), None)
        if mt is None:
            return

        def op(values: dict) -> list:
            return s.edit_material(material_id, title=values["title"],
                                 internal_only=values["kind"] == "INTERNAL")

        self.app.push_screen(FormDialog(f"{mt.label}を直す", self._material_fields(mt.title, mt.internal_only),
                                        self.submitter(op)))

    def action_remove_material(self) -> None:
        mid = self.selected("materials")
        if mid is None:
            self.app.notify("削除する資料を選んでください。", severity="warning")
            return
        mt = next(x for x in self.session.record.materials if x.id == mid)

        def done(code) -> None:
            if code == "yes":
                self.run(lambda: self.session.remove_material(mid))

        self.app.push_screen(ChoiceDialog(f"{mt.label}「{mt.title}」を削除しますか",
                                          [("yes", "削除する"), ("no", "やめる")]), done)

    # ------------------------------------------------------------------
    # 議題
    # ------------------------------------------------------------------

    def edit_item(self, item_id: str) -> None:
        s = self.session
        item = s.item(item_id)
        fields = [
            Field("title", "議題名", value=item.title, required=True),
            Field("minutes", "予定（分）", kind="int", value=item.planned_minutes, required=True),
            Field("enabled", "使う/使わない", kind="choice", value="ON" if item.enabled else "OFF",
                  choices=[("ON", "使う"), ("OFF", "使わない")]),
        ]

        def op(values: dict) -> list:
            changes = []
            if values["title"] != item.title:
                changes += s.agenda_edit("rename", item_id, title=values["title"])
            if values["minutes"] != item.planned_minutes:
                changes += s.agenda_edit("minutes", item_id, minutes=values["minutes"])
            enabled = values["enabled"] != "OFF"
            if enabled != item.enabled:
                changes += s.agenda_edit("enable", item_id, enabled=enabled)
            return changes

        self.app.push_screen(FormDialog("議題を直す", fields, self.submitter(op)))

    def action_add_item(self) -> None:
        s = self.session
        fields = [
            Field("title", "議題名", required=True),
            Field("section", "区分", kind="choice", value="DISCUSSION",
                  choices=[("REPORT", "報告事項"), ("DISCUSSION", "協議事項"), ("OTHER", "その他")]),
            Field("minutes", "予定（分）", kind="int", value=10, required=True),
        ]

        def op(values: dict) -> list:
            changes = s.agenda_edit("add", title=values["title"], section=values["section"] or "OTHER",
                                    minutes=values["minutes"])
            new = [ch.doc_id for ch in changes if ch.doc_id.rsplit("-", 1)[-1].startswith("AGX")
                   and ch.doc_id not in self._known_items]
            self._select_after = new[0] if new else None
            return changes

        self._known_items = {a.id for a in s.agenda}
        self._select_after = None

        def done(values) -> None:
            if values is not None and self._select_after:
                self.select("agenda", self._select_after)

        self.app.push_screen(FormDialog("議題を追加", fields, self.submitter(op)), done)

    def action_toggle_item(self) -> None:
        item_id = self.selected("agenda")
        if item_id is None:
            return
        item = self.session.item(item_id)
        self.run(lambda: self.session.agenda_edit("enable", item_id, enabled=not item.enabled))
        self.select("agenda", item_id)

    def action_move_item(self, delta: int) -> None:
        item_id = self.selected("agenda")
        if item_id is None:
            return
        step = move_within_section(self.session.agenda, item_id, delta)
        if step is None:
            self.app.notify("区分（報告事項・協議事項・その他）の中でだけ移動できます。", severity="warning")
            return
        self.run(lambda: self.session.agenda_edit("move", item_id, delta=step))
        self.select("agenda", item_id)

    def action_remove_item(self) -> None:
        item_id = self.selected("agenda")
        if item_id is None:
            return
        item = self.session.item(item_id)

        def done(code) -> None:
            if code == "yes":
                self.run(lambda: self.session.agenda_edit("remove", item_id))

        self.app.push_screen(ChoiceDialog(f"議題「{item.title}」を削除しますか",
                                          [("yes", "削除する"), ("no", "やめる")]), done)
