"""What the live screen's agenda column says about each item: its state,
number, timer against the plan (overrun in words, not only colour) and a
title short enough for a narrow column."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

STATE_LABEL = {"PENDING": "未", "ACTIVE": "進行中", "DONE": "済"}


def mmss(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def short_title(title: str) -> str:
    """「他制度との連携（認知症地域支援推進員）」 -> 「連携（認知症地域支援推進員）」,
    「同種事業者間ネットワークの状況」 -> 「同種事業者間ネットワーク」."""
    t = title.strip()
    t = re.sub(r"^他制度との連携", "連携", t)
    t = re.sub(r"の状況(について)?$", "", t)
    t = t.replace("不足しているネットワーク機能・サービス", "不足している機能・サービス")
    return t or title


@dataclass(frozen=True)
class SidebarEntry:
    head: str          # 「>進行中 (3) 08:12／10分」
    title: str         # 「個別ネットワーク」
    overrun: bool
    overrun_text: str  # 「02:05」 (empty when within the plan)


def fit_cells(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` terminal cells (Japanese counts 2), ending
    with ".." when cut, so a narrow column never breaks a word across lines."""
    import unicodedata

    def cells(ch: str) -> int:
        return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1

    if sum(cells(c) for c in text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        if used + cells(ch) > width - 2:
            break
        out += ch
        used += cells(ch)
    return out + ".."


def hanging(head: str, text: str, width: int, indent: int = 2) -> str:
    """``head`` + ``text`` wrapped in ``width`` cells (禁則 kept), the
    following lines indented by ``indent``: a title shown whole, never cut."""
    lines = kinsoku_wrap(head + text, max(4, width))
    first, rest = lines[0], "".join(lines[1:])
    if not rest:
        return first
    return "\n".join([first] + [" " * indent + line for line in kinsoku_wrap(rest, max(4, width - indent))])


def sidebar_entry(item, number: str, elapsed: int, current: bool) -> SidebarEntry:
    state = "進行中" if current and item.started_at is not None else STATE_LABEL.get(item.state, item.state)
    planned = item.planned_minutes * 60
    timer = f"{mmss(elapsed)}／{item.planned_minutes}分"
    over = bool(planned) and elapsed > planned
    marker = ">" if current else " "
    return SidebarEntry(f"{marker}{state} {number} {timer}", short_title(item.title), over,
                        mmss(elapsed - planned) if over else "")


# 禁則: characters that may not begin a line, and those that may not end one
NO_LINE_START = set("。、，．）」』】〕］｝〉》・ー！？：；ぁぃぅぇぉっゃゅょァィゥェォッャュョ%)]}.,!?:;")
NO_LINE_END = set("（「『【〔［｛〈《([{")


def _char_cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def kinsoku_wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells where the app wraps a
    row itself, with Japanese line-breaking rules: no 「。」「、」「）」 at the start
    of a line, no 「（」「「」 at its end (the neighbouring character moves down
    with it), and an ASCII word (F8, AI-07) not split when it fits on a line.
    The line's width is kept as it grows (the live screen wraps every
    statement at each change; measuring the line again at each character
    made a long statement cost the square of its length)."""
    width = max(2, width)
    out: list[str] = []
    for para in text.split("\n"):
        lines: list[str] = []
        cur = ""
        cur_cells = 0
        for ch in para:
            cells = _char_cells(ch)
            if cur_cells + cells > width and cur:
                rest = cur + ch

                def bad(p: int) -> bool:
                    before, after = rest[p - 1], rest[p]
                    word = (before.isascii() and (before.isalnum() or before == "-")
                            and after.isascii() and (after.isalnum() or after == "-"))
                    return after in NO_LINE_START or before in NO_LINE_END or word

                p = len(cur)
                while p > 1 and bad(p):
                    p -= 1
                if bad(p):
                    p = len(cur)      # no allowed break point: break where it overflows
                lines.append(cur[:p])
                cur = cur[p:]
                cur_cells = sum(_char_cells(c) for c in cur)
            cur += ch
            cur_cells += cells
        lines.append(cur)
        out.extend(lines)
    return out
