"""Shared fixtures."""
from __future__ import annotations

from datetime import date

import pytest

from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.world import World

# A reference date far from the demo's own: every planted fact must hold
# whatever day the demo is anchored to.
SHIFTED = date(2026, 11, 27)


@pytest.fixture(scope="module", params=["demo_today", "shifted"])
def demo(request):
    """(World of the demo municipality, its today), at the demo's reference
    date and at a shifted one."""
    today = DEMO_TODAY if request.param == "demo_today" else SHIFTED
    return World.from_dataset(load_demo(today)), today
