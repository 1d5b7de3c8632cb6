"""Where ctrl+p can jump during a meeting: agenda items, networks, findings
and action items, each mapped to the agenda item that shows it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from kyogitai_tui.domain.catalog import default_catalog


@dataclass(frozen=True)
class JumpTarget:
    category: str        # 議題 / ネットワーク / 個別 / 課題 / 取組
    text: str            # what the palette shows and matches
    item_id: str         # the agenda item to open
    entity_id: str = ""  # the network, finding or action item


def _item_for(session, template: str) -> Optional[str]:
    for a in session.enabled_agenda():
        if a.template == template:
            return a.id
    return None


def jump_targets(session) -> list[JumpTarget]:
    out: list[JumpTarget] = []
    world = session.world
    counters: dict[str, int] = {}
    for a in session.enabled_agenda():
        counters[a.section] = counters.get(a.section, 0) + 1
        out.append(JumpTarget("議題", f"議題 ({counters[a.section]}) {a.title}", a.id))
    council = session.council
    from kyogitai_tui.domain.meeting.report_view import in_use  # not at import: the home screen imports this module

    held_on = session.meeting.held_on
    for net in world.provider_networks.values():
        if not in_use(net, held_on):
            continue
        template = default_catalog().template_for(network_kind=net.kind)
        item = _item_for(session, template.code) if template is not None else None
        if item is None:
            continue
        if council.tier == 2 and net.coverage_level == "AREA" and net.area_id != council.area_id:
            continue
        out.append(JumpTarget("ネットワーク", f"ネットワーク {net.name}", item, net.id))
    a03 = _item_for(session, "A03")
    if a03:
        for inet in world.individual_networks.values():
            if not in_use(inet, held_on):
                continue
            subject = world.subjects.get(inet.subject_id)
            if subject is None or (council.tier == 2 and subject.area_id != council.area_id):
                continue
            out.append(JumpTarget("個別", f"個別ネットワーク {world.subject_label(inet.subject_id)}", a03, inet.id))
    a11 = _item_for(session, "A11")
    if a11:
        for f in session.findings_now():
            out.append(JumpTarget("課題", f"課題 {f.id} {f.description}", a11, f.id))
    a02 = _item_for(session, "A02")
    if a02:
        for aid in session.carried_action_ids():
            item = session.action_item(aid)
            out.append(JumpTarget("取組", f"取組 {aid} {item.title}", a02, aid))
    a12 = _item_for(session, "A12")
    if a12:
        for d in session.decisions_here():
            out.append(JumpTarget("決定", f"決定 {d.id} {d.text}", a12, d.id))
        for act in session.actions_here():
            out.append(JumpTarget("取組", f"取組 {act.id} {act.title}", a12, act.id))
    return out


def filter_targets(targets: list[JumpTarget], query: str) -> list[JumpTarget]:
    """Targets whose text contains every space-separated part of the query
    (full-width spaces and letters folded); all of them for an empty query."""
    import unicodedata

    def norm(s: str) -> str:
        return unicodedata.normalize("NFKC", s).casefold()

    parts = [p for p in norm(query).split() if p]
    return [t for t in targets if all(p in norm(f"{t.category} {t.text} {t.entity_id}") for p in parts)]
