"""Section 8 of the minutes, 会議の経過（要旨）: each agenda item in order, with
what the meeting recorded under it -- presenter and materials, summary,
network and linkage reports, residents (internal only; the public variant
gets one aggregate line), statements, findings, action review and decision
references -- and what it recorded without an item.  No Textual here."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Optional

from kyogitai_tui.minutes.blocks import Heading, Para
from kyogitai_tui.minutes.content_base import _COUNCIL_ROLE, BuilderBase, _join, flat
from kyogitai_tui.minutes.numbering import circled_no, paren_no
from kyogitai_tui.domain.privacy.redaction import (  
    AGGREGATE_LINE, AGGREGATE_LINE_NO_COUNT, NEUTRAL_ACTION, OMITTED, OTHER_SYSTEM_SUPPORT, PRIVATE_ITEM_LINE,
    mentions_sensitive_topic,
)

_SPEAKERS = {"CHAIR": "会長", "VICE_CHAIR": "副会長", "MEMBER": "委員", "SC": "生活支援コーディネーター",
             "SECRETARIAT": "事務局", "ADVISOR": "アドバイザー"}
_KIND_TEMPLATE = {"SAME": "A04", "DIFF": "A05", "CHIEN_NPO": "A06"}
# 「5つの機能: 相談=果たしている、体験の機会・場=一部」 (a label, then key=value pairs)
_RATED = re.compile(r"^\s*([^:：=]{1,40})[:：]\s*((?:[^=、,，]+=[^=、,，]+[、,，]?\s*)+)$")
# what a finding means to be done about it, as a sentence
_APPROACH = {"NETWORK": "ネットワークづくりで対応", "SERVICE": "サービス・助け合いの創出で対応",
             "BOTH": "ネットワークづくりとサービス創出の両方で対応", "UNDECIDED": "対応の方法は検討中"}


class ProceedingsSections(BuilderBase):
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
            # under a heading of its own that says what it holds (never a bare 【その他の記録】)
            others = [items for code, _label, items in self._sections() if code == "OTHER"][0]
            if not others:
                self.para("【その他】", 1)
            self.blocks.append(Heading(2, f"{paren_no(len(others) + 1)} {self._leftover_title()}"))
            self.item_details(None)
            if self.individual_updates and a03 is None:
                self.individual_block(None)

    def _leftover_title(self) -> str:
        parts = []
        if self.net_reports.get(None):
            parts.append("ネットワークの状況")
        if self.linkage_by_item.get(None):
            parts.append("他制度との連携の状況")
        if self.findings_by_item.get(None):
            parts.append("確認した課題")
        if self.individual_updates and self.by_template.get("A03") is None:
            parts.append("個別ネットワークの状況")
        return f"{'・'.join(parts)}（議題外の記録）"

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
                    self.para(f"・必要な支援：{self._service(ch['service_category'])}"
                              f"{f'（{st}）' if st else ''}", 4)
                note = self.r.without_topics(self.r.clean(nu.note))   # placed under the resident
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
                    self.para(f"・必要な支援：{self._service(need.service_category)}"
                              f"（{self.lbl('need_statuses', need.status)}）", 4)

    def _service(self, code: str) -> str:
        """A resident's need: a 要配慮 kind (子育て支援, 後見) is not named."""
        label = self.lbl("service_categories", code)
        return OTHER_SYSTEM_SUPPORT if mentions_sensitive_topic(label) else label

    def item_generic(self, item: Any) -> None:
        self._presenter_line(item)
        summary = self.r.clean(item.summary, self.sensitive_item(item))
        if item.template == "A01":
            self.item_minutes_review(item)
            if (item.result in ("CONFIRMED", "CORRECTED") and "確定" in summary
                    and summary.rstrip("。").count("。") == 0 and len(summary) <= 40):
                summary = ""     # one sentence saying what the result line above already says
        self.para(summary)
        if item.template == "A02":
            self.item_action_review(item)
        self.item_details(item.id)
        self.statements(item)
        self.findings(item)
        if item.id == self.finding_updates_item:
            self.finding_updates()
        self.decision_refs(item)
        if item.template == "A12":
            self.new_action_refs()
        else:
            self.new_action_refs(item)

    def _action_item_of(self, action: Any) -> Optional[str]:
        """The agenda item whose text names an action this meeting made: that
        of its decision, unless the decision is not named there either (a
        resident's case, see decision_refs); None - 決定事項と役割分担 - otherwise."""
        decision = next((d for d in self.rec.decisions if d.id == action.decision_id), None)
        item = next((a for a in self.rec.agenda_items
                     if decision is not None and a.id == decision.agenda_item_id), None)
        if item is None or item.template == "A12" or item.id not in self._generic_item_ids():
            return None
        if (self.public and self.decision_private(decision)) or \
                (self.sensitive_item(item) and self.decision_sensitive(decision)):
            return None
        return item.id

    def _generic_item_ids(self) -> set[str]:
        """The items section_proceedings writes through item_generic."""
        ids = getattr(self, "_generic_ids", None)
        if ids is None:
            a03 = self.by_template.get("A03")
            ids = {item.id for _code, _label, items in self._sections() for item in items
                   if not (self.public and item.visibility == "PRIVATE")
                   and not (item.template == "A03" or item is a03)}
            self._generic_ids = ids
        return ids

    def new_action_refs(self, item: Any = None) -> None:
        """Which 取組 this meeting made (the table is in 10): under the item
        whose decision made them (a custom item, 次回開催 ...), the rest under
        決定事項と役割分担 (``item`` None)."""
        nums = self.action_numbers()
        key = None if item is None else item.id
        mine = [a for a in self.rec.action_items if self._action_item_of(a) == key]
        refs = [self.action_ref(a.id) for a in sorted(mine, key=lambda a: nums.get(a.id, 1 << 30))]
        if refs:
            self.para(f"{'・'.join(refs)}を今後の取組とした（10 今後の取組を参照）。")

    def item_minutes_review(self, item: Any) -> None:
        if (self.m.extra or {}).get("minutes_sent_with_notice"):
            self.para("前回会議録（案）は、開催通知とあわせて事前に送付した。")
        if item.result == "CONFIRMED":
            self.para("前回会議録（案）は、訂正なく確定した。")
        elif item.result == "CORRECTED":
            self.para("前回会議録（案）は、次のとおり訂正のうえ確定した。")
            corr = self.r.clean(item.correction)
            self.para(f"訂正：{corr}" if corr else f"訂正：{OMITTED}", 3)

    def item_action_review(self, item: Any) -> None:
        states = self._action_states
        ids = list(item.carried_action_ids)
        if not ids:
            ids = [s.id for s in self.w.open_actions(self.m.council_id, before_meeting_id=self.mid)]
        progress_here = {p.action_item_id: p for p in self.rec.action_progress}
        before = {s.id: s for s in self.w.action_states(before_meeting_id=self.mid)}
        n = 0
        for aid in ids:
            st = states.get(aid)
            if st is None:
                continue
            n += 1
            status, sup = self._status_at(st)
            private = self.public and self.action_private(st.item)
            title = NEUTRAL_ACTION if private else self.r.field(st.item.title, NEUTRAL_ACTION)
            seen = before.get(aid)      # the due date as the meeting saw it (a later change is not shown)
            status_text = self.status_text(status, sup, seen.due_date if seen is not None else st.item.due_date)
            self.para(f"{self.action_ref(aid)}　{title}：{status_text}", 3)
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
                head = f"{self.r.field(pn.name)}（{flat(_join((kind, cov, form), '・'))}）"
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
                          f"{self.lbl('function_ratings', fa.rating)}", 4)
                if extra:     # on a line of its own: a note may hold brackets of its own
                    self.para(extra if extra.endswith("。") else f"{extra}。", 5)
        for ls in self.linkage_by_item.get(item_id, []):
            n += 1
            partners = _join((self.org_name(o) for o in ls.partner_org_ids), "・")
            self.para(f"{circled_no(n)} {self.lbl('linked_systems', ls.linked_system_code)}："
                      f"{self.lbl('linkage_statuses', ls.status)}", 3)
            if partners:
                self.para(f"・連携先：{partners}", 4)
            note = self.r.clean(ls.notes, sensitive_place=True)   # a linked system's own notes
            if note:
                self.rated_lines(note)
            if ls.function_ratings:          # the council's rating of the system's key functions
                entry = self.cat.entry("linked_systems", ls.linked_system_code)
                self.para(f"・{entry.key_functions_label or '主な機能'}の評価", 4)
                for f in entry.key_functions:
                    if f in ls.function_ratings:
                        self.para(f"{f}：{self.lbl('function_ratings', ls.function_ratings[f])}", 5)

    def rated_lines(self, note: str) -> None:
        """A note such as 「5つの機能: 相談=果たしている、体験の機会・場=一部」 as
        a reader's list (「・5つの機能」 then 「相談：果たしている」 …); any
        other note as one line."""
        m = _RATED.match(note)
        if m is None:
            self.para(f"・{note}", 4)
            return
        pairs = [p.split("=", 1) for p in re.split(r"[、,，]", m.group(2)) if "=" in p]
        self.para(f"・{m.group(1).strip()}の状況", 4)
        for key, value in pairs:
            self.para(f"{key.strip()}：{value.strip()}", 5)

    def _speaker(self, s: Any) -> str:
        if s.speaker_label in ("DEPARTMENT", "PARTNER"):
            label = self.r.field(s.department) or ("関係部署" if s.speaker_label == "DEPARTMENT" else "関係機関")
        else:
            label = _SPEAKERS.get(s.speaker_label) or self.lbl("speaker_labels", s.speaker_label) or "発言者"
            if s.speaker_label == "MEMBER" and s.speaker_person_id:
                # a 会長・副会長 speaks as such, whatever the live screen tagged
                label = _COUNCIL_ROLE.get(self._roster_role.get(s.speaker_person_id, ""), label)
        if not self.public and s.speaker_person_id:
            name = self.person_name(s.speaker_person_id)
            if name:
                label = f"{label}（{name}）"
        return label

    def statements(self, item: Any) -> None:
        for s in self.statements_by_item.get(item.id, []):
            if self.public and self.statement_private(s, item):
                continue
            if self.hidden_here(item, s.subject_ids, s.text, s.department):
                continue          # 内部記録 too: no resident under an other-system item
            text = self.r.clean(s.text, self.sensitive_item(item))
            if s.subject_ids:
                text = self.r.without_topics(text)      # said about a resident
            if not text:
                continue
            self.blocks.append(Para(f"○{self._speaker(s)}　{text}", 3, "statement"))
        # 公開用 says nothing here of what it left out: a note under this item
        # would tell a reader a case exists under it.  Section 12 says once, for
        # every document, that personal matters are not recorded.

    def findings(self, item: Any) -> None:
        rows = self.findings_by_item.get(item.id if item else None, [])
        if not rows:
            return
        shown = [f for f in rows if not (self.public and self.finding_private(f))
                 and not self.hidden_here(item, f.subject_ids, f.description)]
        if shown:
            self.para("課題として、次の点を確認した。")
            for n, f in enumerate(shown, start=1):
                desc = self.r.field(f.description)
                if f.subject_ids:
                    desc = self.r.without_topics(desc) or OMITTED
                approach = _APPROACH.get(f.network_or_service or "")
                heard = "・".join(self.lbl("evidence_sources", c) for c in f.evidence_sources)
                self.para(f"{circled_no(n)} {desc}{f'：{approach}' if approach else ''}"
                          f"{f'（聴取先：{heard}）' if heard else ''}", 3)
        # hidden ones are not counted here: the count would place a case under this item

    def finding_updates(self) -> None:
        ups = self.rec.finding_updates
        if not ups:
            return
        shown = []
        for u in ups:
            f = self._all_findings.get(u.finding_id)
            if self.public and (f is None or self.finding_private(f)):
                continue      # not counted either: a count would tell a case exists
            shown.append((u, f))
        if shown:
            self.para("これまでに確認した課題について、次のとおり整理した。")
            for n, (u, f) in enumerate(shown, start=1):
                desc = self.r.field(f.description) if f else u.finding_id
                status = self.lbl("gap_finding_statuses", u.status) if u.status else "更新"
                note = self.r.clean(u.note)
                approach = (_APPROACH.get(u.network_or_service or "")
                            if u.network_or_service != "UNDECIDED" and not note else "")  # the note says how
                self.para(f"{circled_no(n)} {desc}：{_join((status, approach), '、')}", 3)
                if note:
                    self.para(f"・{note}", 4)

    def decision_refs(self, item: Any) -> None:
        """「決定事項No.nのとおり決定した」 -- not for a decision about a
        resident: 公開用 would tell a case exists under this item, 内部記録
        would place the resident under an other-system item."""
        nos = [self.decision_no[d.id] for d in self.decisions_by_item.get(item.id, [])
               if not (self.public and self.decision_private(d))
               and not (self.sensitive_item(item) and self.decision_sensitive(d))]
        if nos:
            self.para(f"協議の結果、{'・'.join(f'決定事項No.{n}' for n in nos)}のとおり決定した（9 決定事項を参照）。")
