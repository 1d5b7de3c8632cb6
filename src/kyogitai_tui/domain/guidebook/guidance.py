"""Guidance prompts G1-G7 and hint H1: the seed's cautions, shown when they apply.

Triggers (model.md 6.3), with the decisions taken where the text left room:

* G1 (4-3(4)-1, add providers quickly as needs change): a NeedItem of a
  live individual network (not ENDED) whose status is NEW, or UNMET with
  ``provider_found`` true.  An UNMET need *without* a provider found is a
  supply problem, not a matter of adding someone quickly: it belongs to the
  route to the 3層 (G2), to an escalation (``escalated_to``) and to the gap
  checks.  So on the demo data G1 fires on R-001's new 買い物 need and not
  on R-004's 移動支援 shortage in AR3 (carried by G2's case), and each
  prompt fires exactly once (demo-data 7.7-2).
* G2 (4-3(4)-2): ``route_to_tier3`` false on a formed network (status not
  NEEDED_NOT_FORMED / ENDED; a network not yet formed has G3 instead).
* G3 (4-3(4)-3): status NEEDED_NOT_FORMED.
* G4 (4-4(5)-1): a Decision of type FORM_NEW.
* G5 (4-4(5)-2): an open GapFinding (current state, FindingUpdates folded)
  whose ``network_or_service`` is UNDECIDED.
* G6 (4-4(5)-3): a provider network (not PLANNED) with status HOLLOW_RISK,
  or not met for :data:`STALE_MONTHS` months or more (``last_met_on``);
  also a Decision whose ``review_on`` (形骸化チェック予定日) has come while
  its target network has not been assessed since.
* G7 (4-5): a CHIEN_NPO network at stage LINKING.
* H1 (4-3(3), a hint): a SEQUENTIAL individual network (not ENDED) that
  has not gathered once.

Texts come from the catalog's ``guidance_rules`` when it is available, with
short built-in fallbacks.  ``prompts_for`` takes an optional ``context``:
an agenda template code (A03-A12) keeps the prompts that belong to that
item, any other string keeps the prompts about that entity id.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.dates import months_between
from kyogitai_tui.domain.catalog import catalog_or_none
from kyogitai_tui.domain.guidebook.gaps import label
from kyogitai_tui.domain.model import Decision, GapFinding, IndividualNetwork, NeedItem, ProviderNetwork

__all__ = [
    "Prompt", "prompts_for", "prompts_for_need", "prompts_for_individual_network",
    "prompts_for_provider_network", "prompts_for_finding", "prompts_for_decision",
    "rule_text", "STALE_MONTHS", "CONTEXT_ENTITIES",
]

STALE_MONTHS = 6
RULE_ORDER = ("G1", "G2", "G3", "G4", "G5", "G6", "G7", "H1")
# agenda template -> the entities whose prompts belong to that item
CONTEXT_ENTITIES: dict[str, set[str]] = {
    "A03": {"need_items", "individual_networks"}, "A04": {"provider_networks"},
    "A05": {"provider_networks"}, "A06": {"provider_networks"}, "A11": {"gap_findings"},
    "A12": {"decisions"},
}
_CONTEXT_KIND = {"A04": "SAME", "A05": "DIFF", "A06": "CHIEN_NPO"}

_FALLBACK: dict[str, tuple[str, str]] = {
    "G1": ("4-3(4)-1", "必要な支援は変わっていきます。新しいサービスや助け合いの担い手を早めに加えられないか確かめましょう。"),
    "G2": ("4-3(4)-2", "推進者や本人・家族が3層コーディネーター（地域包括支援センター）に連絡できる道筋を用意しましょう。"),
    "G3": ("4-3(4)-3", "必要なのに形成されていない個別ネットワークです。3層コーディネーターやケアマネジャー、提供者に形成を働きかけましょう。"),
    "G4": ("4-4(5)-1", "新しい事業者間ネットワークの形成は、個別ネットワーク形成の仕組みづくりと並行して進めましょう。"),
    "G5": ("4-4(5)-2", "ネットワークの形成で応えるか、サービスを創出するか、方針を検討しましょう。"),
    "G6": ("4-4(5)-3", "ネットワークが現場の課題に応えられているか（形骸化していないか）確かめましょう。"),
    "G7": ("4-5", "地縁組織が応じきれないニーズをNPO等へつなぐ関係から始め、課題解決を通じて関係を広げ、やがて常設の連絡会議へ進めましょう。"),
    "H1": ("4-3(3)", "順次加わってできたネットワークです。一度関係者が一堂に会する機会をもつことが望ましいです。"),
}


@dataclass(frozen=True)
class Prompt:
    rule: str                # G1..G7 | H1
    seed_ref: str            # e.g. 4-3(4)-1
    text: str                # the caution (Japanese)
    entity: str              # need_items | individual_networks | provider_networks | gap_findings | decisions
    entity_id: str
    about: str = ""          # what it is about (Japanese; pseudonymous labels only)
    title: str = ""          # the rule's short label
    kind: str = "guidance"   # guidance | hint

    @property
    def key(self) -> tuple[str, str]:
        return (self.rule, self.entity_id)


def _rule_entry(code: str) -> Any:
    cat = catalog_or_none()
    if cat is None:
        return None
    try:
        return cat.entry("guidance_rules", code)
    except Exception:  # unknown code or older catalog: fall back
        return None


def rule_text(code: str) -> tuple[str, str, str, str]:
    """(seed_ref, prompt text, title, kind) of a rule: catalog first, then built in."""
    entry = _rule_entry(code)
    if entry is not None:
        return (entry.seed_ref or _FALLBACK[code][0], entry.prompt,
                getattr(entry, "label", "") or "", getattr(entry, "kind", "") or
                ("hint" if code.startswith("H") else "guidance"))
    seed_ref, text = _FALLBACK[code]
    return seed_ref, text, "", ("hint" if code.startswith("H") else "guidance")


def _prompt(code: str, entity: str, entity_id: str, about: str = "") -> Prompt:
    seed_ref, text, title, kind = rule_text(code)
    return Prompt(code, seed_ref, text, entity, entity_id, about, title, kind)


# --------------------------------------------------------------------------
# Per-entity triggers (plain typed inputs)
# --------------------------------------------------------------------------

def prompts_for_need(need: NeedItem, network: Optional[IndividualNetwork] = None,
                     about: str = "") -> list[Prompt]:
    if network is not None and network.status == "ENDED":
        return []
    if need.status == "NEW" or (need.status == "UNMET" and need.provider_found):
        what = label("service_categories", need.service_category)
        return [_prompt("G1", "need_items", need.id, "・".join(x for x in (about, what) if x))]
    return []


def prompts_for_individual_network(net: IndividualNetwork, needs: Iterable[NeedItem] = (),
                                   about: str = "") -> list[Prompt]:
    out: list[Prompt] = []
    for need in needs:
        if need.network_id == net.id:
            out.extend(prompts_for_need(need, net, about))
    if net.status == "ENDED":
        return out
    if net.status == "NEEDED_NOT_FORMED":
        out.append(_prompt("G3", "individual_networks", net.id, about))
    elif not net.route_to_tier3:
        out.append(_prompt("G2", "individual_networks", net.id, about))
    if net.formation_mode == "SEQUENTIAL" and not net.gathered_once \
            and net.status != "NEEDED_NOT_FORMED":
        out.append(_prompt("H1", "individual_networks", net.id, about))
    return out


def prompts_for_provider_network(net: ProviderNetwork, today: date,
                                 ratings: Any = None) -> list[Prompt]:
    """G6 and G7.  ``ratings`` is accepted for symmetry with the UI's calls
    and not used: G6 is about meeting, not about assessment."""
    out: list[Prompt] = []
    if net.status == "PLANNED":
        return out
    stale = net.last_met_on is not None and months_between(net.last_met_on, today) >= STALE_MONTHS
    if net.status == "HOLLOW_RISK" or stale:
        about = net.name
        if stale:
            about += f"（最後の会合から{months_between(net.last_met_on, today)}か月）"
        out.append(_prompt("G6", "provider_networks", net.id, about))
    if net.kind == "CHIEN_NPO" and net.chien_npo_stage == "LINKING":
        out.append(_prompt("G7", "provider_networks", net.id, net.name))
    return out


def prompts_for_finding(finding: Any) -> list[Prompt]:
    """G5 for a GapFinding (or a world FindingState with the updates folded)."""
    f: GapFinding = getattr(finding, "finding", finding)
    status = getattr(finding, "status", f.status)
    nos = getattr(finding, "network_or_service", f.network_or_service)
    if nos == "UNDECIDED" and status != "RESOLVED":
        return [_prompt("G5", "gap_findings", f.id, f.description)]
    return []


def prompts_for_decision(decision: Decision, today: Optional[date] = None,
                         last_assessed_on: Optional[date] = None) -> list[Prompt]:
    """G4 for FORM_NEW; G6 once ``review_on`` has come and the target network
    has not been assessed since (``last_assessed_on``)."""
    out: list[Prompt] = []
    about = decision.text or decision.target_text
    if decision.type == "FORM_NEW":
        out.append(_prompt("G4", "decisions", decision.id, about))
    if (today is not None and decision.review_on is not None and decision.review_on <= today
            and (last_assessed_on is None or last_assessed_on < decision.review_on)):
        out.append(_prompt("G6", "decisions", decision.id,
                           f"{about}（形骸化チェック予定日 {decision.review_on.isoformat()}）"))
    return out


# --------------------------------------------------------------------------
# Over a whole World
# --------------------------------------------------------------------------

def _subject_about(world: Any, subject_id: str) -> str:
    getter = getattr(world, "subject_label", None)
    if callable(getter):
        try:
            return getter(subject_id)
        except Exception:
            pass
    s = world.subjects.get(subject_id)
    return s.label if s is not None else subject_id


def _findings(world: Any) -> list[Any]:
    getter = getattr(world, "finding_states", None)
    if callable(getter):
        return list(getter())
    out = []
    for rec in world.meetings.values():
        out.extend(rec.gap_findings)
    return out


def _last_assessed(world: Any, network_id: Optional[str]) -> Optional[date]:
    getter = getattr(world, "last_assessed_on", None)
    if network_id is None or not callable(getter):
        return None
    return getter(network_id)


def _council_area(world: Any, council_id: Optional[str]) -> Optional[str]:
    if council_id is None:
        return None
    council = world.councils[council_id]
    return council.area_id if council.tier == 2 else None


def prompts_for(world: Any, *, today: date, context: Optional[str] = None,
                council_id: Optional[str] = None) -> list[Prompt]:
    """Every prompt whose trigger holds, ordered by rule then entity id.

    ``council_id`` of a tier-2 council keeps what concerns its area
    (subjects and AREA networks of the area, municipal/wide networks, the
    council's own findings and decisions)."""
    area = _council_area(world, council_id)
    out: list[Prompt] = []
    needs = list(world.need_items.values())
    for net in world.individual_networks.values():
        subject = world.subjects.get(net.subject_id)
        if area is not None and (subject is None or subject.area_id != area):
            continue
        out.extend(prompts_for_individual_network(net, needs, _subject_about(world, net.subject_id)))
    for pnet in world.provider_networks.values():
        if area is not None and pnet.coverage_level == "AREA" and pnet.area_id != area:
            continue
        if context in _CONTEXT_KIND and pnet.kind != _CONTEXT_KIND[context]:
            continue
        out.extend(prompts_for_provider_network(pnet, today))
    for fs in _findings(world):
        if council_id is not None and getattr(fs, "council_id", council_id) != council_id:
            continue
        out.extend(prompts_for_finding(fs))
    for rec in world.meetings.values():
        if council_id is not None and rec.meeting.council_id != council_id:
            continue
        for d in rec.decisions:
            out.extend(prompts_for_decision(d, today, _last_assessed(world, d.target_network_id)))
    if context in CONTEXT_ENTITIES:
        out = [p for p in out if p.entity in CONTEXT_ENTITIES[context]]
    elif context is not None and len(context) == 3 and context[0] == "A" and context[1:].isdigit():
        out = []                     # an agenda item without prompts (A01, A02, A07-A10)
    elif context is not None:
        out = [p for p in out if p.entity_id == context]
    out.sort(key=lambda p: (RULE_ORDER.index(p.rule), p.entity_id))
    return out
