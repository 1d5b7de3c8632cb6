"""Small-number re-identification: a resident whose age band, household and
small area (hamlet) together could single them out gets a warning.

A pseudonymous description 「年代・世帯・圏域」 can point at one person when
the combination is rare in a small population.  We warn when the subject
(1) is in the top age band (90代以上: ``90s``/``100s``), (2) lives alone
(``ALONE``) and (3) lives in a small area: the area's ``households_hint``
is at most ``SMALL_AREA_HOUSEHOLDS`, or its ``character`` marks it
as hamlets (集落, 中山間, 山間, 過疎, 離島, 旧村), or the subject's
``extra["hamlet_households"]`` (the size of the place they live in) is at
most that.  In a tiny place (at most ``TINY_AREA_HOUSEHOLDS`
households, by ``hamlet_households`` or the area's hint) one of (1) or
(2) is enough.  On the demo data this flags R-004 Dさん (90代以上・独居・
南みほんの中山間の集落) and nobody else.
"""
from __future__ import annotations

from typing import Any, Optional

from kyogitai_tui.domain.model import DailyLifeArea, Subject

__all__ = ["reidentification_warning", "small_number_warnings", "area_is_small",
           "SMALL_AREA_HOUSEHOLDS", "TINY_AREA_HOUSEHOLDS", "HAMLET_MARKERS"]


SMALL_AREA_HOUSEHOLDS = 300
TINY_AREA_HOUSEHOLDS = 50
HAMLET_MARKERS = ("集落", "中山間", "山間", "過疎", "離島", "旧村")
_TOP_AGE_BANDS = {"90s", "90s+", "100s"}
_ALONE = {"ALONE"}


def area_is_small(area: Optional[DailyLifeArea]) -> bool:
    if area is None:
        return False
    if area.households_hint is not None and area.households_hint <= SMALL_AREA_HOUSEHOLDS:
        return True
    return any(m in (area.character or "") for m in HAMLET_MARKERS)


def reidentification_warning(subject: Subject, area: Optional[DailyLifeArea]) -> Optional[str]:
    """A Japanese warning when the subject's description could identify them."""
    old = subject.age_band in _TOP_AGE_BANDS
    alone = subject.household in _ALONE
    hamlet = (subject.extra or {}).get("hamlet_households")
    place = hamlet if isinstance(hamlet, int) else (area.households_hint if area else None)
    tiny = place is not None and place <= TINY_AREA_HOUSEHOLDS
    small = area_is_small(area) or (place is not None and place <= SMALL_AREA_HOUSEHOLDS)
    if not ((old and alone and small) or (tiny and (old or alone))):
        return None
    where = area.name if area is not None else "この圏域"
    return (f"{subject.label}は、年代・世帯・圏域（{where}）の組み合わせで本人が特定される"
            "おそれがあります。資料や議事録では圏域名や年代を伏せるなど、表記に注意してください。")


def small_number_warnings(world: Any) -> dict[str, str]:
    """subject_id -> warning text, for every subject the guard flags."""
    out: dict[str, str] = {}
    for sid, subject in world.subjects.items():
        area = world.areas.get(subject.area_id) if subject.area_id else None
        text = reidentification_warning(subject, area)
        if text:
            out[sid] = text
    return out
