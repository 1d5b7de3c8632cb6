"""The agenda column of the live screen: state, number, timer, overrun in words."""
from datetime import datetime

from kyogitai_tui.domain.meeting.live_view import short_title, sidebar_entry
from kyogitai_tui.domain.model import AgendaItem


def _item(**kw):
    base = dict(id="x", meeting_id="m", order=1, section="REPORT", title="同種事業者間ネットワークの状況",
                planned_minutes=10)
    base.update(kw)
    return AgendaItem(**base)


def test_running_item_within_plan():
    e = sidebar_entry(_item(state="ACTIVE", started_at=datetime(2025, 9, 16, 14, 0)), "(4)", 492, True)
    assert e.head == ">進行中 (4) 08:12／10分"
    assert e.title == "同種事業者間ネットワーク"
    assert not e.overrun


def test_overrun_is_said_in_words():
    e = sidebar_entry(_item(state="ACTIVE", started_at=datetime(2025, 9, 16, 14, 0)), "(4)", 725, True)
    assert e.head == ">進行中 (4) 12:05／10分"
    assert e.overrun and e.overrun_text == "02:05"


def test_done_and_pending_items():
    assert sidebar_entry(_item(state="DONE"), "(1)", 180, False).head == " 済 (1) 03:00／10分"
    assert sidebar_entry(_item(), "(2)", 0, False).head == " 未 (2) 00:00／10分"


def test_short_titles_fit_a_narrow_column():
    assert short_title("他制度との連携（認知症地域支援推進員）") == "連携（認知症地域支援推進員）"
    assert short_title("不足しているネットワーク機能・サービス") == "不足している機能・サービス"
    assert short_title("次回開催について") == "次回開催について"


def test_fit_cells_counts_japanese_as_two_cells():
    from kyogitai_tui.domain.meeting.live_view import fit_cells

    assert fit_cells("地縁組織とNPOのネットワーク", 40) == "地縁組織とNPOのネットワーク"
    cut = fit_cells("地縁組織とNPOのネットワーク", 20)
    assert cut.endswith("..") and len(cut.encode("utf-16-le")) // 2 <= 20
    assert cut == "地縁組織とNPOのネ.."


def test_rows_the_app_wraps_keep_japanese_line_breaking_rules():
    from kyogitai_tui.domain.meeting.live_view import kinsoku_wrap

    text = "訂正の内容：「前回の取組5件」を「前回の取組6件」に訂正。決定事項AI-07（民生委員）。"
    for width in range(6, 40):
        lines = kinsoku_wrap(text, width)
        assert "".join(lines) == text                       # nothing lost or added
        for line in lines[1:]:
            assert line[0] not in "。、）」", (width, lines)   # no 。 or ） at a line start
        for line in lines[:-1]:
            assert line[-1] not in "（「", (width, lines)
            assert sum(2 if ord(c) > 0x2000 else 1 for c in line) <= width
    assert kinsoku_wrap("ABC 決定事項AI-07の取組", 10) == ["ABC 決定事", "項AI-07の", "取組"]


def test_hanging_keeps_the_whole_title_within_the_column():
    from kyogitai_tui.domain.meeting.live_view import hanging

    out = hanging(" 未(10) ", "連携（認知症地域支援推進員）", 22)
    lines = out.split("\n")
    assert "".join(line.strip() for line in lines) == "未(10) 連携（認知症地域支援推進員）"
    assert all(len(line.encode("shift_jis")) <= 22 for line in lines) and len(lines) == 2
    assert not lines[1].strip().startswith(("）", "。"))
    assert hanging(" 未(3) ", "個別ネットワーク", 24) == " 未(3) 個別ネットワーク"
