"""Workspaces by agenda item: ``workspace_for(session, item)`` picks one.

The catalog says which workspace a template uses (``workspace`` in
data/catalog/agenda.json, a code of its ``agenda_workspaces`` list);
``WORKSPACES`` below is the one mapping from that name to a class.  An item
without a template gets NOTES (ItemWorkspace: statements, decisions, actions, findings).  A new template on an existing workspace is a
catalog entry only; a new workspace is a class plus one line here, and
tests/test_one_room.py fails when a catalog template names a workspace that is
not in this mapping.
"""
from __future__ import annotations

from kyogitai_tui.domain.meeting.agenda import NOTES_WORKSPACE, workspace_of
from kyogitai_tui.ui.workspaces.base import NotesWorkspace, Workspace  # noqa: F401 - NotesWorkspace kept for importers
from kyogitai_tui.ui.workspaces.discussion import DecisionWorkspace, GapWorkspace, ItemWorkspace
from kyogitai_tui.ui.workspaces.linkage import LinkageWorkspace
from kyogitai_tui.ui.workspaces.networks import IndividualNetworksWorkspace, ProviderNetworksWorkspace
from kyogitai_tui.ui.workspaces.report import ActionReviewWorkspace, MinutesReviewWorkspace

# catalog agenda_workspaces code -> Workspace subclass
WORKSPACES: dict[str, type[Workspace]] = {
    "MINUTES_REVIEW": MinutesReviewWorkspace,
    "ACTION_REVIEW": ActionReviewWorkspace,
    "INDIVIDUAL_NETWORKS": IndividualNetworksWorkspace,
    "PROVIDER_NETWORKS": ProviderNetworksWorkspace,
    "LINKAGE": LinkageWorkspace,
    "GAPS": GapWorkspace,
    "DECISIONS": DecisionWorkspace,
    NOTES_WORKSPACE: ItemWorkspace,
}


def workspace_for(session, item) -> Workspace:
    cls = WORKSPACES.get(workspace_of(item.template), ItemWorkspace)
    return cls(session, item, classes="workspace")
