"""ctrl+p on the live screen: jump to any agenda item, network, finding or
action item (the targets come from domain.jump)."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kyogitai_tui.domain.jump import jump_targets


class MeetingJumpProvider(Provider):
    def _targets(self):
        session = getattr(self.app, "session", None)
        return jump_targets(session) if session is not None else []

    def _go(self, item_id: str) -> None:
        screen = self.screen
        if hasattr(screen, "jump_to"):
            screen.jump_to(item_id)

    async def discover(self) -> Hits:
        for t in self._targets():
            yield DiscoveryHit(t.text, partial(self._go, t.item_id), help=t.category)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for t in self._targets():
            score = matcher.match(t.text)
            if score > 0:
                yield Hit(score, matcher.highlight(t.text), partial(self._go, t.item_id), help=t.category)
