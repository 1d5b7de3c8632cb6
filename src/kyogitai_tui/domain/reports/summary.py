"""What the summary files hold, and the answers read back from them (pure).

Start-up, the home screen and the shell commands ``search`` / ``actions``
must not read and type every meeting ever held.  ``build_parts(world)``
turns a World into two plain-JSON parts the store keeps beside the data
(store/summary.py stamps them with the files they were built from and
refuses them once any of those files changed):

``home``
    the municipality's name, each council (name, tier, area) with the
    ``MeetingLine`` of each of its meetings (for 前回 / 次回) and the due
    dates of its open action items: small, read at every start.
``actions``
    the persons' names (for ``actions --owner``) and every action item's
    day-independent row (``followup.rows.row_facts``).
``search``
    the ranked search entries with their normalised texts
    (``SearchIndex.to_rows``).

``Summary`` answers from them exactly what the World would: the home rows
(``overviews``), the follow-up rows on a day (``followup_rows``) and the
search index (``search_index``) -- the same functions build both, so the
two cannot drift apart (tests/test_summary.py compares them on the demo).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

from kyogitai_tui.domain.followup.overview import CouncilOverview, MeetingLine, area_name, overview_row

if TYPE_CHECKING:
    # Loaded when asked for: start-up reads only the home part, and these
    # two modules cost more to import than the home rows take to build.
    from kyogitai_tui.domain.followup.rows import FollowupRow
    from kyogitai_tui.domain.reports.search import SearchIndex

__all__ = ["SUMMARY_VERSION", "PARTS", "build_parts", "Summary"]

SUMMARY_VERSION = 3
PARTS = ("home", "actions", "search")


def build_parts(world: Any, parts: tuple[str, ...] = PARTS) -> dict[str, dict]:
    """The summary ``parts`` of ``world`` (plain JSON values)."""
    from kyogitai_tui.domain.followup.rows import STATUS_CODES, row_facts, status_label
    from kyogitai_tui.domain.reports.search import SearchIndex

    labels = {c: status_label(c) for c in STATUS_CODES}
    councils = sorted(world.councils.values(), key=lambda c: (c.tier, c.id))
    facts = [row_facts(world, s, labels) for s in world.action_states()]
    dues: dict[str, list] = {}
    for f in facts:
        if f["open"]:
            dues.setdefault(f["council_id"], []).append(f["due"])
    home = {
        "municipality": world.municipality.name if world.municipality else "",
        "councils": [[c.id, c.name, c.tier, area_name(world, c),
                      [MeetingLine.of(r).to_json() for r in world.meetings_of(c.id)], dues.get(c.id, [])]
                     for c in councils],
    }
    actions = {
        "councils": {c.id: c.name for c in councils},
        "persons": {p.id: p.display_name for p in world.persons.values()},
        "actions": facts,
    }
    out = {"home": home, "actions": actions}
    if "search" in parts:
        out["search"] = SearchIndex.for_world(world).to_rows()
    return {part: out[part] for part in parts}


@dataclass(frozen=True)
class CouncilInfo:
    """A council's id and name, as the summary keeps them."""
    id: str
    name: str


@dataclass(frozen=True)
class PersonInfo:
    """A person's id and display name, as the summary keeps them."""
    id: str
    display_name: str


class Summary:
    """The answers of the summary parts that were read (each may be None)."""

    def __init__(self, home: Optional[dict] = None, actions: Optional[dict] = None,
                 search: Optional[dict] = None) -> None:
        self._home, self._actions, self._search = home, actions, search
        self._index: Optional["SearchIndex"] = None
        self.municipality_name: str = home["municipality"] if home else ""
        self.councils: dict[str, CouncilInfo] = {}
        self.persons: dict[str, PersonInfo] = {}
        if actions is not None:
            self.councils = {cid: CouncilInfo(cid, name) for cid, name in actions["councils"].items()}
            self.persons = {pid: PersonInfo(pid, name) for pid, name in actions["persons"].items()}

    @classmethod
    def of_parts(cls, parts: dict) -> "Summary":
        return cls(parts.get("home"), parts.get("actions"), parts.get("search"))

    def person_name(self, person_id: Optional[str]) -> str:
        p = self.persons.get(person_id or "")
        return p.display_name if p else ""

    def owner_texts(self) -> list[str]:
        """The free-text owners of the action items (「第1層SC」...)."""
        return [f["owner_text"] for f in self._need(self._actions)["actions"] if f["owner_text"]]

    def followup_rows(self, today: date) -> list[FollowupRow]:
        """As ``followup.rows.build_rows(world, today)``."""
        from kyogitai_tui.domain.followup.rows import row_from_facts, sort_rows

        return sort_rows([row_from_facts(f, today) for f in self._need(self._actions)["actions"]])

    def overviews(self, today: date) -> list[CouncilOverview]:
        """As ``followup.overview.council_overviews(world, today)``."""
        return [overview_row(cid, name, tier, area, [MeetingLine.from_json(m) for m in lines],
                             [date.fromisoformat(d) if d else None for d in dues], today)
                for cid, name, tier, area, lines, dues in self._need(self._home)["councils"]]

    def search_index(self) -> SearchIndex:
        """As ``SearchIndex.for_world(world)``."""
        from kyogitai_tui.domain.reports.search import SearchIndex

        if self._index is None:
            self._index = SearchIndex.from_rows(self._need(self._search))
        return self._index

    @staticmethod
    def _need(part: Optional[dict]) -> dict:
        if part is None:
            raise ValueError("this summary was read without the part asked for")
        return part
