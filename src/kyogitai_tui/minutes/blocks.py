"""The minutes as a list of layout-neutral blocks.

``content.build_minutes`` produces a :class:`MinutesDoc` (already redacted for
its variant); ``docx_writer`` and ``markdown`` only lay the blocks out.  Every
string a writer puts on the page is a field of a block here, so a check over
``MinutesDoc.texts()`` covers everything either writer emits (see
``redaction.guard``).

Block kinds
    Title      the document title (centred, ゴシック)
    Para       a body line: ``indent`` levels of one full-width character;
               ``kind`` "body" | "statement" (hanging indent after 「○委員　」)
               | "right" (flush right: 【公開用】, 以上) | "note"
               | "warning" (the 内部記録's 取扱注意 banner: large, bold, boxed)
    Heading    a numbered heading: level 1 「1　日　時」, level 2 「(1) …」;
               ``value`` is inline body text after the label (「令和7年…」)
    Table      header row ``columns``, ``rows`` of cells, column widths in mm;
               ``align`` per column ("right" for figures, "" otherwise)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator, Optional, Union

__all__ = ["Title", "Para", "Heading", "Table", "Block", "MinutesDoc"]


@dataclass
class Title:
    text: str


@dataclass
class Para:
    text: str
    indent: int = 1
    kind: str = "body"        # body | statement | right | note | warning


@dataclass
class Heading:
    level: int                # 1: 「1　日　時」, 2: 「(1) 前回議事録の確認」
    text: str
    value: str = ""           # inline body text after the label (same line)

    @property
    def full_text(self) -> str:
        """The paragraph as a reader sees it (label, a full-width space, value)."""
        return f"{self.text}　{self.value}" if self.value else self.text


@dataclass
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    widths_mm: tuple[float, ...] = ()
    caption: str = ""
    align: tuple[str, ...] = ()


Block = Union[Title, Para, Heading, Table]


@dataclass
class MinutesDoc:
    """One variant of one meeting's minutes, ready to be written."""
    meeting_id: str
    variant: str                      # PUBLIC | INTERNAL
    title: str                        # 令和7年度 第1回 〇〇（第2層協議体） 会議録（要旨）
    header_lines: tuple[str, ...]     # page header (meeting name; 取扱注意 on INTERNAL)
    blocks: list[Block] = field(default_factory=list)
    file_stem: str = ""               # suggested file name without extension
    state_label: str = ""             # 案 / 確定 / 確定（訂正あり）
    guard_hits: int = 0               # strings the final privacy guard had to replace
    author: str = ""                  # the council's 事務局 (document property 作成者)
    created: Optional[datetime] = None  # when it was built (document property 作成日時)

    def texts(self) -> Iterator[str]:
        """Every string the writers put on the page, one per paragraph/cell."""
        yield from self.header_lines
        for b in self.blocks:
            if isinstance(b, Title):
                yield b.text
            elif isinstance(b, Para):
                yield b.text
            elif isinstance(b, Heading):
                yield b.full_text
            elif isinstance(b, Table):
                if b.caption:
                    yield b.caption
                yield from b.columns
                for row in b.rows:
                    yield from row

    def headings(self, level: int | None = None) -> list[str]:
        return [b.full_text for b in self.blocks
                if isinstance(b, Heading) and (level is None or b.level == level)]
