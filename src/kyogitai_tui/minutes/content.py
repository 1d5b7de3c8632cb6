"""The minutes of one meeting as redacted, layout-neutral content.

``build_minutes(world, meeting_id, variant)`` returns a ``blocks.MinutesDoc``
in the layout tests/test_minutes_demo.py checks; the Word and Markdown writers only
lay it out.  This module is the public face of the content: import from here.
The code lives in sibling modules:

    variants.py              VARIANTS, VARIANT_LABELS, MinutesError, normalize_variant
    redaction.py             Redactor, the public rules for records, the final guard;
                             **its docstring documents every redaction decision**
    content_base.py          the builder's shared state, lookups and output helpers
    sections_front.py        1-7    日時, 場所, 出席者, 欠席者, 傍聴者, 配布資料, 議題
    sections_proceedings.py  8      会議の経過（要旨）
    sections_tables.py       9-10   決定事項, 今後の取組（役割分担）
    sections_closing.py      11-13  次回開催予定, 公開・非公開の別, 記録

``SECTIONS`` at the end of this module is the one list of sections and their
order (a section's number is its place in that list).

No Textual here.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Optional

from kyogitai_tui.domain.dates import fiscal_year_label, meeting_title, wareki
from kyogitai_tui.domain.meeting.minutes_state import minutes_state
from kyogitai_tui.domain.model.registry import council_tier_label
from kyogitai_tui.minutes.blocks import Heading, MinutesDoc, Para, Table, Title
from kyogitai_tui.minutes.content_base import GLOSSARY, _safe_name, flat
from kyogitai_tui.minutes.corrections import apply_corrections
from kyogitai_tui.domain.privacy.redaction import AGGREGATE_LINE, NEUTRAL_ACTION, NEUTRAL_DECISION, OMITTED, Redactor  # noqa: F401 - the names listed in __all__
from kyogitai_tui.minutes.redaction import guard
from kyogitai_tui.minutes.sections_closing import ClosingSections
from kyogitai_tui.minutes.sections_front import FrontSections
from kyogitai_tui.minutes.sections_proceedings import ProceedingsSections
from kyogitai_tui.minutes.sections_tables import TableSections
from kyogitai_tui.minutes.variants import (
    HANDLING_NOTE, VARIANT_LABELS, VARIANT_MARK, VARIANTS, MinutesError, normalize_variant,
)

__all__ = [
    "VARIANTS", "VARIANT_LABELS", "MinutesError", "Redactor", "build_minutes",
    "normalize_variant", "AGGREGATE_LINE", "NEUTRAL_DECISION", "NEUTRAL_ACTION", "OMITTED",
    "HANDLING_NOTE",
]


def build_minutes(world: Any, meeting_id: str, variant: str, *, today: Optional[date] = None,
                  catalog: Any = None) -> MinutesDoc:
    """The minutes of ``meeting_id`` in ``variant`` (PUBLIC | INTERNAL),
    redacted for that variant.  Raises MinutesError for an unknown meeting
    or variant."""
    variant = normalize_variant(variant)
    if meeting_id not in world.meetings:
        raise MinutesError(f"会議「{meeting_id}」が見つかりません。")
    if catalog is None:
        from kyogitai_tui.domain.catalog import default_catalog
        catalog = default_catalog()
    return _Builder(world, meeting_id, variant, today or date.today(), catalog).build()


class _Builder(FrontSections, ProceedingsSections, TableSections, ClosingSections):
    """The minutes of one meeting: the title, then the sections of ``SECTIONS`` in order."""

    def build(self) -> MinutesDoc:
        m = self.m
        council_name = self.r.field(self.council.name if self.council else m.council_id)
        tier = self.council.tier if self.council else None
        title_head = meeting_title(m.fiscal_year, m.seq_no)
        tier_text = f"（{council_tier_label(self.council)}協議体）" if tier else ""
        title = f"{title_head} {council_name}{tier_text} 会議録（要旨）"
        state = minutes_state(self.w, self.mid)
        self.state = state
        header_name = f"{council_name}　{title_head}　会議録"
        header = (HANDLING_NOTE, header_name) if not self.public else (header_name,)

        if not self.public:
            # impossible to miss: the first thing on the first page, boxed
            self.blocks.append(Para(f"【{HANDLING_NOTE}】　本書は公開しないこと。", 0, "warning"))
        self.blocks.append(Title(title))
        if state.is_draft:
            mark = f"{VARIANT_MARK[self.variant]}（案）"
        else:
            mark = f"{VARIANT_MARK[self.variant]}（{wareki(state.confirmed_on)}確定）"
        self.para(mark, 0, "right")

        for no, section in enumerate(SECTIONS, start=1):
            section(self, no)
        self._say_codes_in_words()
        self._glossary()
        self.para("以上", 0, "right")
        apply_corrections(self)

        stem = _safe_name(f"{fiscal_year_label(m.fiscal_year)}第{m.seq_no}回_{council_name}_会議録_"
                          f"{VARIANT_LABELS[self.variant]}")
        doc = MinutesDoc(meeting_id=self.mid, variant=self.variant, title=title,
                         header_lines=tuple(header), blocks=self.blocks, file_stem=stem,
                         state_label=state.label, author=self._author(),
                         created=datetime.now().replace(microsecond=0))
        if self.public:
            guard(doc, self.r)
        return doc

    def _say_codes_in_words(self) -> None:
        """Every text on the page with the app's codes in words (取組⑦, not AI-07)."""
        rd = self.readable
        for b in self.blocks:
            if isinstance(b, Para):
                b.text = rd(b.text)
            elif isinstance(b, Heading):
                b.text, b.value = rd(b.text), rd(b.value)
            elif isinstance(b, Table):
                b.rows = [tuple(rd(c) for c in row) for row in b.rows]

    def _glossary(self) -> None:
        """A short 用語 note for each abbreviation left on the page."""
        texts = [t for b in self.blocks if isinstance(b, (Para, Heading, Table))
                 for t in ((b.text,) if isinstance(b, Para) else (b.full_text,) if isinstance(b, Heading)
                           else tuple(c for row in b.rows for c in row) + b.columns)]
        used = [f"{abbr}＝{meaning}" for abbr, pattern, meaning in GLOSSARY
                if any(pattern.search(t) for t in texts)]
        if used:
            self.para(f"（用語）{'、'.join(used)}", 0, "note")

    def _author(self) -> str:
        """The council's 事務局 (its secretariat organisations), for the
        document's 作成者."""
        names = []
        if self.council is not None:
            names = [self.org_name(o) for o in self.council.secretariat_org_ids]
        names = [n for n in names if n]
        council = self.r.field(self.council.name) if self.council else ""
        head = f"{council} 事務局" if council else "協議体事務局"
        return f"{head}（{flat('・'.join(names))}）" if names else head


# The numbered sections of the minutes, in order: section n is written by
# ``SECTIONS[n - 1](builder, n)``.  Each is one method of a sections_*.py
# mixin that starts with ``self.h1(no, ...)``.  Adding a section = its method
# plus one line here; tests/test_one_room.py checks that every section method
# is listed once and that the demo's headings follow this order.
SECTIONS: tuple[Callable[[_Builder, int], None], ...] = (
    _Builder.section_datetime,       # 1  日時
    _Builder.section_place,          # 2  場所
    _Builder.section_attendees,      # 3  出席者
    _Builder.section_absentees,      # 4  欠席者
    _Builder.section_observers,      # 5  傍聴者
    _Builder.section_materials,      # 6  配布資料
    _Builder.section_agenda,         # 7  議題
    _Builder.section_proceedings,    # 8  会議の経過（要旨）
    _Builder.section_decisions,      # 9  決定事項
    _Builder.section_actions,        # 10 今後の取組（役割分担）
    _Builder.section_next,           # 11 次回開催予定
    _Builder.section_publicity,      # 12 公開・非公開の別
    _Builder.section_record,         # 13 記録
)
