"""Guidance prompts G1-G7 and hint H1: the seed's cautions, shown when they apply.

Triggers, with the decisions taken where the text left room:

* G1 (4-3(4)-1, add providers quickly as needs change): a NeedItem of a
  live individual network (not ENDED) whose status is NEW or UNMET, as the
  catalog states it (an UNMET need with no provider found yet is the case
  the guidebook most wants handled quickly: R-004's 移動支援 in AR3 on the
  demo, besides R-001's new 買い物 need).
* G2 (4-3(4)-2): no route to the 3層コーディネーター at the 地域包括支援
  センター on a formed network (status not NEEDED_NOT_FORMED / ENDED; a
  network not yet formed has G3 instead): ``rules.reaches_support_center``
  -- a route ending at a care provider does not count.
* G3 (4-3(4)-3): status NEEDED_NOT_FORMED.
* G4 (4-4(5)-1): a Decision of type FORM_NEW while the council has not
  answered yes to 「個別ネットワーク形成の仕組みづくりも並行して進めるか」
  (``parallel_individual_mechanism``; the decision form asks it, the
  answer is recorded and printed in the minutes).  The guidebook's reason:
  the mechanism that forms individual networks is not yet in place.
* G5 (4-4(5)-2): an open GapFinding (current state, FindingUpdates folded)
  whose ``network_or_service`` is UNDECIDED.
* G6 (4-4(5)-3): a provider network (not PLANNED) with status HOLLOW_RISK,
  or not met for :data:`STALE_MONTHS` months or more (``last_met_on``);
  also a Decision whose ``review_on`` (形骸化チェック予定日) has come while
  its target network has not been assessed since.
* G7 (4-5): a CHIEN_NPO network at stage LINKING.
* H1 (4-3(3), a hint): a SEQUENTIAL individual network (not ENDED) that
  has not gathered once.

The catalog's ``guidance_rules`` (data/catalog/guidance_rules.json) is the
list of rules, their order and their texts.  Each rule's trigger is one
function here decorated ``@guidance_rule(CODE, ENTITY)``; ``RULES`` is that
registry.  Adding a rule = a catalog entry plus one decorated trigger (and
``WORKSPACE_ENTITIES`` only for a new kind of record); tests/test_one_room.py
fails when the two lists differ.

``prompts_for`` takes an optional ``context``: an agenda template code keeps
the prompts that belong to that item (for A04-A06 only networks of the
template's catalog ``network_kind``), any other string keeps the prompts
about that entity id.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Optional

from kyogitai_tui.domain.dates import months_between
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.guidebook.gaps import label
from kyogitai_tui.domain.guidebook.rules import reaches_support_center
from kyogitai_tui.domain.model import Decision, GapFinding, IndividualNetwork, NeedItem, ProviderNetwork

__all__ = [
    "Prompt", "prompts_for", "prompts_for_need", "prompts_for_individual_network",
    "prompts_for_provider_network", "prompts_for_finding", "prompts_for_decision",
    "rule_text", "guidance_rule", "RULES", "STALE_MONTHS", "WORKSPACE_ENTITIES",
]

STALE_MONTHS = 6
# an agenda template's catalog workspace -> the records whose prompts belong to
# that item (the other workspaces show no prompts)
WORKSPACE_ENTITIES: dict[str, set[str]] = {
    "INDIVIDUAL_NETWORKS": {"need_items", "individual_networks"},
    "PROVIDER_NETWORKS": {"provider_networks"}, "GAPS": {"gap_findings"}, "DECISIONS": {"decisions"},
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


def rule_text(code: str) -> tuple[str, str, str, str]:
    """(seed_ref, prompt text, title, kind) of a rule, from the catalog."""
    entry = default_catalog().entry("guidance_rules", code)
    return entry.seed_ref, entry.prompt, entry.label, entry.kind


def _prompt(code: str, entity: str, entity_id: str, about: str = "") -> Prompt:
    seed_ref, text, title, kind = rule_text(code)
    return Prompt(code, seed_ref, text, entity, entity_id, about, title, kind)


# --------------------------------------------------------------------------
# The registry: one decorated trigger per rule (and entity)
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Rule:
    code: str                # the catalog's guidance_rules code
    entity: str              # the records it looks at (need_items, decisions, ...)
    fires: Callable[..., Optional[str]]


# Every trigger, in the catalog's order (tests/test_one_room.py keeps the two
# the same); a rule that looks at two kinds of record (G6) has two triggers.
RULES: list[_Rule] = []


def guidance_rule(code: str, entity: str) -> Callable:
    """Register the trigger of catalog rule ``code`` on ``entity`` records.

    The function is called ``fn(record, **context)`` and returns the prompt's
    ``about`` text when the rule applies, else None.  Its entity's
    ``prompts_for_*`` function below passes the context (``about``,
    ``network``, ``today``, ``last_assessed_on``) and skips records no rule
    looks at (an ENDED network, a PLANNED provider network)."""
    def deco(fn: Callable[..., Optional[str]]) -> Callable[..., Optional[str]]:
        if any(r.code == code and r.entity == entity for r in RULES):
            raise ValueError(f"guidance rule {code} on {entity} is registered twice")
        RULES.append(_Rule(code, entity, fn))
        return fn
    return deco


def _fire(entity: str, record: Any, *, entity_id: Optional[str] = None, **context: Any) -> list[Prompt]:
    """The prompts of every rule registered on ``entity`` that fire for ``record``."""
    out = []
    for rule in RULES:
        if rule.entity == entity:
            about = rule.fires(record, **context)
            if about is not None:
                out.append(_prompt(rule.code, entity, entity_id or record.id, about))
    return out


def _rule_order() -> list[str]:
    return list(default_catalog().codes("guidance_rules"))


@guidance_rule("G1", "need_items")
def _g1_need_changed(need: NeedItem, *, about: str = "", **_: Any) -> Optional[str]:
    if need.status in ("NEW", "UNMET"):
        what = label("service_categories", need.service_category)
        return "・".join(x for x in (about, what) if x)
    return None


@guidance_rule("G2", "individual_networks")
def _g2_no_route(net: IndividualNetwork, *, about: str = "", **_: Any) -> Optional[str]:
    return about if net.status != "NEEDED_NOT_FORMED" and not reaches_support_center(net) else None


@guidance_rule("G3", "individual_networks")
def _g3_not_formed(net: IndividualNetwork, *, about: str = "", **_: Any) -> Optional[str]:
    return about if net.status == "NEEDED_NOT_FORMED" else None


@guidance_rule("G4", "decisions")
def _g4_form_new(decision: Decision, **_: Any) -> Optional[str]:
    """Asks until the council answers yes: will the mechanism that forms
    individual networks be pushed forward alongside this new network?"""
    if decision.type != "FORM_NEW" or decision.parallel_individual_mechanism:
        return None
    return decision.text or decision.target_text


@guidance_rule("G5", "gap_findings")
def _g5_undecided(finding: Any, **_: Any) -> Optional[str]:
    f: GapFinding = getattr(finding, "finding", finding)
    status = getattr(finding, "status", f.status)
    nos = getattr(finding, "network_or_service", f.network_or_service)
    return f.description if nos == "UNDECIDED" and status != "RESOLVED" else None


@guidance_rule("G6", "provider_networks")
def _g6_hollow(net: ProviderNetwork, *, today: date, **_: Any) -> Optional[str]:
    stale = net.last_met_on is not None and months_between(net.last_met_on, today) >= STALE_MONTHS
    if net.status != "HOLLOW_RISK" and not stale:
        return None
    if stale:
        return net.name + f"（最後の会合から{months_between(net.last_met_on, today)}か月）"
    return net.name


@guidance_rule("G6", "decisions")
def _g6_review_due(decision: Decision, *, today: Optional[date] = None,
                   last_assessed_on: Optional[date] = None, **_: Any) -> Optional[str]:
    if (today is not None and decision.review_on is not None and decision.review_on <= today
            and (last_assessed_on is None or last_assessed_on < decision.review_on)):
        about = decision.text or decision.target_text
        return f"{about}（形骸化チェック予定日 {decision.review_on.isoformat()}）"
    return None


@guidance_rule("G7", "provider_networks")
def _g7_linking(net: ProviderNetwork, **_: Any) -> Optional[str]:
    return net.name if net.kind == "CHIEN_NPO" and net.chien_npo_stage == "LINKING" else None


@guidance_rule("H1", "individual_networks")
def _h1_never_gathered(net: IndividualNetwork, *, about: str = "", **_: Any) -> Optional[str]:
    if net.formation_mode == "SEQUENTIAL" and not net.gathered_once \
            and net.status != "NEEDED_NOT_FORMED":
        return about
    return None


# --------------------------------------------------------------------------
# Per-entity triggers (plain typed inputs)
# --------------------------------------------------------------------------

def prompts_for_need(need: NeedItem, network: Optional[IndividualNetwork] = None,
                     about: str = "") -> list[Prompt]:
    if network is not None and network.status == "ENDED":
        return []
    return _fire("need_items", need, network=network, about=about)


def prompts_for_individual_network(net: IndividualNetwork, needs: Iterable[NeedItem] = (),
                                   about: str = "") -> list[Prompt]:
    out: list[Prompt] = []
    for need in needs:
        if need.network_id == net.id:
            out.extend(prompts_for_need(need, net, about))
    if net.status == "ENDED":
        return out
    return out + _fire("individual_networks", net, about=about)


def prompts_for_provider_network(net: ProviderNetwork, today: date,
                                 ratings: Any = None) -> list[Prompt]:
    """G6 and G7.  ``ratings`` is accepted for symmetry with the UI's calls
    and not used: G6 is about meeting, not about assessment."""
    if net.status == "PLANNED":
        return []
    return _fire("provider_networks", net, today=today)


def prompts_for_finding(finding: Any) -> list[Prompt]:
    """G5 for a GapFinding (or a world FindingState with the updates folded)."""
    f: GapFinding = getattr(finding, "finding", finding)
    return _fire("gap_findings", finding, entity_id=f.id)


def prompts_for_decision(decision: Decision, today: Optional[date] = None,
                         last_assessed_on: Optional[date] = None) -> list[Prompt]:
    """G4 for FORM_NEW; G6 once ``review_on`` has come and the target network
    has not been assessed since (``last_assessed_on``)."""
    return _fire("decisions", decision, today=today, last_assessed_on=last_assessed_on)


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
    templates = {t.code: t for t in default_catalog().agenda_templates}
    kind = templates[context].network_kind if context in templates else None
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
        if kind is not None and pnet.kind != kind:
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
    if context in templates:         # an agenda item: the prompts its workspace shows
        entities = WORKSPACE_ENTITIES.get(templates[context].workspace, set())
        out = [p for p in out if p.entity in entities]
    elif context is not None:
        out = [p for p in out if p.entity_id == context]
    order = _rule_order()
    out.sort(key=lambda p: (order.index(p.rule), p.entity_id))
    return out
