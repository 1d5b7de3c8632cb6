"""The room's screen (``kyogitai view`` / ``kyogitai serve``): what the room and
the members online may see of the meeting in progress, cut from the 公開用
minutes.

``room_view(world, meeting_id, now)`` builds the public minutes of the meeting
(``content`` -- the same builder, the same ``Redactor`` and the same final
guard as an exported 公開用) and takes from them what a projected screen shows:
council and 第n回, the current item with its time against the plan, the lines
recorded under it (statements and 要旨 as they will read in the minutes), this
meeting's decisions and new action items, and the next item.  Nothing is
written here from the meeting's own records except the timer and the order of
the items, so the view can never show more than the 公開用 minutes would.

On top of that:
  * an individual-case item (template A03) or a 非公開 item shows only that a
    case (or a closed item) is being discussed -- not even the minutes'
    aggregate line;
  * every string of the finished view goes once more through the Redactor's
    ``guard_rows`` (a string that still mentions a resident becomes OMITTED).

No Textual here: the view app (``ui/room/``) only lays the strings out.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Iterator, Optional

from kyogitai_tui.domain.dates import meeting_title
from kyogitai_tui.domain.privacy.redaction import OMITTED, Redactor
from kyogitai_tui.minutes.blocks import Heading, Para, Table

__all__ = ["RoomView", "room_view", "waiting_view", "view_to_doc", "view_from_doc", "running_meeting", "timer_text",
           "INDIVIDUAL_LINE", "PRIVATE_LINE", "NO_MEETING"]

INDIVIDUAL_LINE = "個別の事例について協議しています（この画面には内容を表示しません）"
PRIVATE_LINE = "非公開の議題です（この画面には内容を表示しません）"
NO_MEETING = "進行中の会議はありません。会議が始まると、ここに自動で表示されます。"
_STATUS = {"PLANNED": "開会前", "IN_PROGRESS": "進行中"}


@dataclass(frozen=True)
class RoomView:
    """Every string the room's screen shows (already redacted)."""
    meeting_id: Optional[str]
    heading: str = ""                 # 北みほん支え合い会議　令和7年度 第3回
    status: str = ""                  # 開会前 / 進行中 / 閉会
    item_title: str = ""              # the current item, as titled in the 公開用 minutes
    item_position: str = ""           # 議題 3／8
    lines: tuple[str, ...] = ()       # recorded under the current item (minutes' 会議の経過)
    decisions: tuple[str, ...] = ()   # 「No.1 …（区分）」
    actions: tuple[str, ...] = ()     # this meeting's new action items 「… 担当：… 期限：…」
    next_title: str = ""              # the next item not yet done
    message: str = ""                 # when there is no meeting to show, or it could not be read
    # the timer, counted again every second by the screen (``timer_text``)
    elapsed_base: int = 0
    started_at: Optional[datetime] = None
    planned_minutes: int = 0
    guard_hits: int = 0               # strings the final guard had to replace

    def texts(self) -> Iterator[str]:
        yield from (self.heading, self.status, self.item_title, self.item_position)
        yield from self.lines
        yield from self.decisions
        yield from self.actions
        yield from (self.next_title, self.message)


def view_to_doc(view: RoomView) -> dict:
    """The view as JSON-ready data (``serve`` hands it to its browser views)."""
    doc = {k: (list(v) if isinstance(v, tuple) else v) for k, v in view.__dict__.items()}
    doc["started_at"] = view.started_at.isoformat() if view.started_at else None
    return doc


def view_from_doc(doc: dict) -> RoomView:
    """``view_to_doc`` read back; a field of the wrong kind makes a waiting view."""
    try:
        fields = dict(doc)
        for k in ("lines", "decisions", "actions"):
            fields[k] = tuple(str(x) for x in fields.get(k) or ())
        started = fields.get("started_at")
        fields["started_at"] = datetime.fromisoformat(started) if started else None
        return RoomView(**fields)
    except (TypeError, ValueError):
        return waiting_view("表示の内容を読めませんでした。次の保存のあとで自動で表示し直します。")


def waiting_view(message: str = NO_MEETING) -> RoomView:
    return RoomView(meeting_id=None, message=message)


def running_meeting(world: Any) -> Optional[str]:
    """The meeting in progress (the last one, in meeting order), else None."""
    found = None
    for rec in world.meetings.values():
        if rec.meeting.status == "IN_PROGRESS":
            found = rec.id
    return found


def timer_text(view: RoomView, now: datetime) -> tuple[str, bool]:
    """(「08:12／10分」 or 「12:40／10分（2分40秒超過）」, overrun) -- the
    overrun in words, not only in colour."""
    if not view.item_title or view.meeting_id is None:
        return "", False
    elapsed = view.elapsed_base
    if view.started_at is not None:
        elapsed += max(0, int((now - view.started_at).total_seconds()))
    text = f"{elapsed // 60:02d}:{elapsed % 60:02d}／{view.planned_minutes}分"
    over = elapsed - view.planned_minutes * 60
    if view.planned_minutes and over > 0:
        return f"{text}（{over // 60}分{over % 60:02d}秒超過）", True
    return text, False


def _item_blocks(doc: Any, order: list) -> dict[str, list]:
    """The blocks of section 8 (会議の経過) under each item's heading, by item
    id.  Section 8 writes one level-2 heading per item, in ``order``."""
    blocks = doc.blocks
    start = next((i for i, b in enumerate(blocks)
                  if isinstance(b, Heading) and b.level == 1 and "会議の経過" in b.text), None)
    out: dict[str, list] = {}
    if start is None:
        return out
    k = -1
    current: Optional[list] = None
    for b in blocks[start + 1:]:
        if isinstance(b, Heading) and b.level == 1:
            break
        if isinstance(b, Heading) and b.level == 2:
            k += 1
            current = [b]
            if k < len(order):
                out[order[k].id] = current
            continue
        if isinstance(b, Para) and b.indent == 1:      # 【協議事項】, 【その他の記録】: no item's
            current = None
            continue
        if current is not None:
            current.append(b)
    return out


def _table_after(doc: Any, heading_word: str) -> Optional[Table]:
    seen = False
    for b in doc.blocks:
        if isinstance(b, Heading) and b.level == 1:
            if seen:
                return None
            seen = heading_word in b.text
        elif seen and isinstance(b, Table):
            return b
    return None


def _title_of(heading: Heading) -> str:
    """「(3) 地域の課題について」 -> 「地域の課題について」."""
    text = heading.text
    title = text.split(" ", 1)[1] if " " in text else text
    return title.strip() or "（議題名なし）"


def room_view(world: Any, meeting_id: str, now: datetime, catalog: Any = None,
              today: Optional[date] = None) -> RoomView:
    """The room's screen for one meeting, cut from its 公開用 minutes."""
    from kyogitai_tui.minutes.content import _Builder

    if catalog is None:
        from kyogitai_tui.domain.catalog import default_catalog
        catalog = default_catalog()
    rec = world.meetings[meeting_id]
    m = rec.meeting
    builder = _Builder(world, meeting_id, "PUBLIC", today or now.date(), catalog)
    doc = builder.build()                              # redacted and guarded as any 公開用
    order = [item for _code, _label, items in builder._sections() for item in items]
    by_item = _item_blocks(doc, order)

    council = doc.header_lines[0].rsplit("　", 1)[0] if doc.header_lines else meeting_title(m.fiscal_year, m.seq_no)
    status = _STATUS.get(m.status, "閉会")
    current = next((a for a in order if a.id == m.current_agenda_item_id), None)
    item_title = position = ""
    lines: list[str] = []
    elapsed, started, planned = 0, None, 0
    if current is not None:
        blocks = by_item.get(current.id, [])
        item_title = _title_of(blocks[0]) if blocks else OMITTED
        position = f"議題 {order.index(current) + 1}／{len(order)}"
        if current.template == "A03":
            lines = [INDIVIDUAL_LINE]
        elif current.visibility == "PRIVATE":
            lines = [PRIVATE_LINE]
        else:
            lines = [b.text for b in blocks[1:] if isinstance(b, Para)]
        elapsed, started, planned = current.elapsed_seconds, current.started_at, current.planned_minutes
    elif m.status == "PLANNED":
        item_title = "開会前です"
    # the next item not yet done, after the current one (or the first, before it starts)
    after = order[order.index(current) + 1:] if current is not None else order
    nxt = next((a for a in after if a.state != "DONE"), None)
    next_title = ""
    if nxt is not None and by_item.get(nxt.id):
        next_title = _title_of(by_item[nxt.id][0])

    decisions: list[str] = []
    table = _table_after(doc, "決定事項")
    if table is not None:
        for row in table.rows:
            no, text, kind = row[0], row[1], row[2]
            decisions.append(f"No.{no}　{text}（{kind}）")
    actions: list[str] = []
    table = _table_after(doc, "今後の取組")
    if table is not None:
        for row in table.rows:
            _id, title, owner, due, _status, carry = row[:6]
            if carry == "新規":
                actions.append(f"{title}　担当：{owner}　期限：{due}")

    view = RoomView(meeting_id=meeting_id, heading=council, status=status, item_title=item_title,
                    item_position=position, lines=tuple(lines), decisions=tuple(decisions),
                    actions=tuple(actions), next_title=next_title, elapsed_base=elapsed,
                    started_at=started, planned_minutes=planned, guard_hits=doc.guard_hits)
    return guard_view(view, Redactor(world.subjects.values(), public=True))


def guard_view(view: RoomView, redactor: Redactor) -> RoomView:
    """The last guard: every string of the view that still mentions a resident
    becomes OMITTED (the same ``guard_rows`` as the 公開用 tables)."""
    def g(strings: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
        rows, hits = redactor.guard_rows([strings], OMITTED)
        return (rows[0] if rows else ()), hits

    (heading, status, item_title, position, next_title, message), h1 = g(
        (view.heading, view.status, view.item_title, view.item_position, view.next_title, view.message))
    lines, h2 = g(view.lines)
    decisions, h3 = g(view.decisions)
    actions, h4 = g(view.actions)
    return replace(view, heading=heading, status=status, item_title=item_title, item_position=position,
                   next_title=next_title, message=message, lines=lines, decisions=decisions, actions=actions,
                   guard_hits=view.guard_hits + h1 + h2 + h3 + h4)
