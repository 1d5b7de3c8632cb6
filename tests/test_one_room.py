"""Adding a thing in one room (docs/ADDING.md): each kind of thing has one list,
and these tests fail when a list and the code behind it drift apart.

* gap checks: the catalog's gap_checks <-> the ``@gap_check`` registry;
* guidance prompts: the catalog's guidance_rules <-> ``@guidance_rule``;
* agenda templates: the catalog is the only list (the agenda builder and the
  synthetic demo use it) and every template's workspace has a class;
* minutes sections: every section method is in ``content.SECTIONS`` once;
* home tools: every module in ui/tools is a listed tool (the other direction
  is tests/test_bindings.py::test_every_home_tool_has_its_screen_module);
* shell commands: every module in commands/ adds a subcommand that shows in
  ``kyogitai --help`` with a Japanese help text and runs a function.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from datetime import date

import pytest

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import DEMO_TODAY, generate_scaled, load_demo
from kyogitai_tui.domain.guidebook import gaps
from kyogitai_tui.domain.meeting import agenda
from kyogitai_tui.domain.model import Meeting
from kyogitai_tui.domain.world import World

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


# --------------------------------------------------------------- gap checks

def _catalog_checks():
    """The catalog's gap checks that are checks (C0 only marks the method)."""
    return [c for c in default_catalog().gap_checks if not c.method_marker]


def test_every_catalog_gap_check_is_implemented_and_every_implementation_listed():
    listed = [c.code for c in _catalog_checks()]
    registered = list(gaps.GAP_CHECKS)
    assert [c for c in listed if c not in registered] == [], "catalog check without a @gap_check function"
    assert [c for c in registered if c not in listed] == [], "@gap_check function without a catalog entry"
    assert registered == listed, "checks run in the catalog's order"


def test_gap_check_targets_and_findings_follow_the_catalog():
    for entry in _catalog_checks():
        check = gaps.GAP_CHECKS[entry.code]
        assert check.on == ("area" if "area" in entry.target else "network"), entry.code
        assert entry.finding_kind, f"{entry.code}: the catalog gives no finding_kind"
        assert entry.evidence_sources, f"{entry.code}: the catalog gives no evidence_sources"


def test_gap_results_carry_the_catalog_finding_kind(demo):
    world, today = demo
    results = gaps.run_gap_checks(world, today=today)
    by_code = {c.code: c for c in _catalog_checks()}
    assert {r.check_code for r in results} == set(by_code)
    for r in results:
        assert r.finding_kind == by_code[r.check_code].finding_kind
        assert r.evidence_sources == list(by_code[r.check_code].evidence_sources)


def test_a_gap_check_can_be_added_in_one_place(demo, monkeypatch):
    """A new registered function runs on every network without other edits."""
    world, today = demo
    monkeypatch.setattr(gaps, "GAP_CHECKS", dict(gaps.GAP_CHECKS))
    seen = []

    @gaps.gap_check("C9_TEST")
    def _c9(world, net, **_):
        seen.append(net.id)
        return None

    gaps.run_gap_checks(world, today=today)
    assert sorted(seen) == sorted(world.provider_networks)
    with pytest.raises(ValueError):
        gaps.gap_check("C9_TEST")(_c9)


# ---------------------------------------------------------- guidance rules

def test_every_catalog_guidance_rule_has_a_trigger_and_every_trigger_a_rule():
    from kyogitai_tui.domain.guidebook import guidance

    listed = list(default_catalog().codes("guidance_rules"))
    registered = list(dict.fromkeys(r.code for r in guidance.RULES))
    assert [c for c in listed if c not in registered] == [], "catalog rule without a @guidance_rule trigger"
    assert [c for c in registered if c not in listed] == [], "@guidance_rule trigger without a catalog entry"
    assert registered == listed, "triggers registered in the catalog's order"


def test_guidance_triggers_look_at_the_records_the_catalog_names():
    from kyogitai_tui.domain.guidebook import guidance

    cat = default_catalog()
    for rule in cat.guidance_rules:
        entities = {r.entity for r in guidance.RULES if r.code == rule.code}
        assert rule.trigger.entity + "s" in entities, rule.code
    shown = set().union(*guidance.WORKSPACE_ENTITIES.values())
    assert {r.entity for r in guidance.RULES} <= shown, "prompts on records no agenda item shows"
    assert set(guidance.WORKSPACE_ENTITIES) <= set(cat.codes("agenda_workspaces"))


def test_demo_fires_every_guidance_rule(demo):
    from kyogitai_tui.domain.guidebook.guidance import prompts_for

    world, today = demo
    assert {p.rule for p in prompts_for(world, today=today)} == set(default_catalog().codes("guidance_rules"))


# --------------------------------------------------------- agenda templates

def test_agenda_templates_come_from_the_catalog():
    cat = [(t.code, t.label, t.section, t.default_minutes, t.workspace)
           for t in default_catalog().agenda_templates]
    ours = [(t.code, t.title, t.section, t.default_minutes, t.workspace)
            for t in agenda.default_templates()]
    assert ours == cat


def test_a_new_agenda_template_reaches_the_agenda(monkeypatch):
    """Adding a catalog entry is enough: the builder and the workspace pick it up."""
    cat = default_catalog()
    extra = agenda.Template("A99", "試しの議題", "DISCUSSION", 7, "GAPS")
    monkeypatch.setattr(agenda, "default_templates",
                        lambda: [agenda._as_template(t) for t in cat.agenda_templates] + [extra])
    world = World.from_dataset(load_demo(DEMO_TODAY))
    meeting = Meeting(id="M-T", council_id="C2", fiscal_year=2025, seq_no=9,
                      held_on=date(2025, 9, 16), status="PLANNED")
    items = agenda.build_agenda(world, meeting)
    mine = [it for it in items if it.template == "A99"]
    assert [(it.title, it.section, it.planned_minutes) for it in mine] == [("試しの議題", "DISCUSSION", 7)]
    assert agenda.workspace_of("A99") == "GAPS"


def test_synthetic_meetings_use_the_catalog_templates():
    ds = generate_scaled(1, DEMO_TODAY)
    want = [(t.code, t.label, t.section, t.default_minutes) for t in default_catalog().agenda_templates]
    held = [t for mid, t in ds["meetings"].items() if mid.startswith("M-S001-") and "agenda_items" in t]
    assert held
    for tables in held:
        got = [(a["template"], a["title"], a["section"], a["planned_minutes"]) for a in tables["agenda_items"]]
        assert got == want
        ids = {a["id"] for a in tables["agenda_items"]}
        hung = [x["agenda_item_id"] for x in tables["statements"] + tables["gap_findings"] + tables["decisions"]]
        assert set(hung) <= ids


def test_every_catalog_workspace_has_a_class():
    from kyogitai_tui.ui.workspaces import WORKSPACES
    from kyogitai_tui.ui.workspaces.base import Workspace

    cat = default_catalog()
    named = set(cat.codes("agenda_workspaces"))
    used = {t.workspace for t in cat.agenda_templates}
    assert used - set(WORKSPACES) == set(), "a catalog template names a workspace with no class"
    assert set(WORKSPACES) - named == set(), "a workspace class under a name the catalog does not list"
    assert agenda.NOTES_WORKSPACE in WORKSPACES
    assert all(issubclass(cls, Workspace) for cls in WORKSPACES.values())


def test_each_template_gets_the_workspace_the_catalog_names():
    from types import SimpleNamespace

    from kyogitai_tui.ui.workspaces import WORKSPACES, workspace_for

    class Probe:                     # stands in for a class without composing widgets
        def __init__(self, session, item, classes=""):
            self.item = item

    for t in default_catalog().agenda_templates:
        probes = {name: type(name, (Probe,), {}) for name in WORKSPACES}
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("kyogitai_tui.ui.workspaces.WORKSPACES", probes)
            got = workspace_for(None, SimpleNamespace(template=t.code))
            free = workspace_for(None, SimpleNamespace(template=None))
        assert type(got).__name__ == t.workspace, t.code
        assert type(free).__name__ == agenda.NOTES_WORKSPACE


# ---------------------------------------------------------- minutes sections

def test_every_minutes_section_is_listed_once():
    from kyogitai_tui.minutes import content

    methods = {name for name, _ in inspect.getmembers(content._Builder, inspect.isfunction)
               if name.startswith("section_")}
    listed = [fn.__name__ for fn in content.SECTIONS]
    assert len(listed) == len(set(listed)), "a section listed twice"
    assert methods - set(listed) == set(), "a section method that SECTIONS does not list"
    assert set(listed) - methods == set()


def test_minutes_sections_are_numbered_by_their_place_in_the_list():
    from kyogitai_tui.minutes import build_minutes
    from kyogitai_tui.minutes.blocks import Heading
    from kyogitai_tui.minutes import content

    world = World.from_dataset(load_demo(DEMO_TODAY))
    doc = build_minutes(world, "M-C2-02", "INTERNAL", today=DEMO_TODAY)
    numbers = [b.text.split("　")[0] for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert numbers == [str(n) for n in range(1, len(content.SECTIONS) + 1)]


# --------------------------------------------------------------- home tools

def test_every_tool_module_is_a_listed_tool():
    import kyogitai_tui.ui.tools as tools

    modules = {m.name for m in pkgutil.iter_modules(tools.__path__) if not m.name.startswith("_")}
    assert modules == {t.name for t in tools.TOOLS}


# ----------------------------------------------------------- shell commands

def _command_modules():
    import kyogitai_tui.commands as commands

    return [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]


def _help_text(capsys) -> str:
    from kyogitai_tui.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", _command_modules())
def test_every_shell_command_module_shows_in_help(name, capsys):
    import argparse

    module = importlib.import_module(f"kyogitai_tui.commands.{name}")
    assert callable(getattr(module, "add_parser", None)), f"commands/{name}.py has no add_parser(sub)"
    sub = argparse.ArgumentParser().add_subparsers()
    module.add_parser(sub)
    assert sub.choices, f"commands/{name}.py adds no subcommand"
    lines = _help_text(capsys).splitlines()
    for command, parser in sub.choices.items():
        assert callable(parser.get_default("func")), f"kyogitai {command} runs nothing (set_defaults(func=...))"
        at = [i for i, line in enumerate(lines) if re.match(rf"\s+{re.escape(command)}(\s|$)", line)]
        assert at, f"kyogitai {command} is not in kyogitai --help"
        i = at[0]
        shown = lines[i].strip()[len(command):] + " " + (lines[i + 1] if i + 1 < len(lines) else "")
        assert JAPANESE.search(shown), f"kyogitai {command} has no Japanese help text in kyogitai --help"
