"""訂正: the corrections the next meeting made to these minutes, applied.

``apply_corrections(builder)`` runs once the sections are built: every body
text shows the right wording in place of the wrong one, and a 訂正 list
follows the 案/確定 mark under the title (「訂正（令和…の第n回会議で訂正）：
『誤』を『正』に訂正」).  The right wording is redacted like any text of the
variant before it goes in.  See domain/meeting/corrections.py for where
the pairs come from.  No Textual here.
"""
from __future__ import annotations

from typing import Any

from kyogitai_tui.domain.meeting.corrections import correction_note, corrections_for
from kyogitai_tui.minutes.blocks import Heading, Para, Table

__all__ = ["apply_corrections"]

# lines that state a correction (section 13's 訂正内容, an A01 訂正) are not corrected themselves
_LISTINGS = ("訂正内容：", "訂正：", "訂正（")


def _fix(text: str, pairs: list[tuple[str, str]]) -> str:
    for wrong, right in pairs:
        text = text.replace(wrong, right)
    return text


def apply_corrections(builder: Any) -> None:
    pairs = corrections_for(builder.w, builder.mid)
    if not pairs:
        return
    pairs = [(builder.r.clean(w), builder.r.clean(r)) for w, r in pairs]
    pairs = [(w, r) for w, r in pairs if w]
    if not pairs:
        return
    for block in builder.blocks:
        if isinstance(block, Para):
            if block.text.startswith(_LISTINGS):
                continue      # the record of the correction itself keeps the wrong wording
            block.text = _fix(block.text, pairs)
        elif isinstance(block, Heading):
            block.text, block.value = _fix(block.text, pairs), _fix(block.value, pairs)
        elif isinstance(block, Table):
            block.rows = [tuple(_fix(c, pairs) for c in row) for row in block.rows]
    where = correction_note(builder.w, builder.mid)
    listing = "、".join(f"『{w}』を『{r}』に" for w, r in pairs) + "訂正"
    # after the title and the 案/確定 mark
    builder.blocks.insert(2, Para(f"訂正（{where}）：{listing}" if where else f"訂正：{listing}", 0, "note"))
