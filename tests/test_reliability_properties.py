"""Property tests (hypothesis) where text and dates enter the domain: 和暦
conversion, date and time parsing, and the meeting operations a coordinator
types into. Never a traceback: either a value or a Japanese error.

The CSV reader (domain/registry_csv.py) is another branch's; see RELIABILITY.md.
"""
from __future__ import annotations

import re
from datetime import date, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyogitai_tui.domain.dates import (
    DateError,
    fiscal_year,
    fiscal_year_label,
    parse_date,
    parse_time,
    wareki,
    wareki_with_weekday,
)
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore

SHOWA = date(1926, 12, 25)
ERA_START = {"昭和": 1926, "平成": 1989, "令和": 2019}
FIRST_DAY = {"昭和": date(1926, 12, 25), "平成": date(1989, 1, 8), "令和": date(2019, 5, 1)}
WAREKI = re.compile(r"(昭和|平成|令和)(元|[1-9][0-9]*)年([1-9]|1[0-2])月([1-9]|[12][0-9]|3[01])日")
FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
# every code point, surrogates and controls included
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=60)
def read_wareki(text: str) -> date:
    """The test's own reader of 「令和7年9月16日」, independent of the app."""
    m = WAREKI.fullmatch(text)
    assert m, text
    era, n, month, day = m.groups()
    year = ERA_START[era] + (1 if n == "元" else int(n)) - 1
    d = date(year, int(month), int(day))
    assert d >= FIRST_DAY[era]
    return d


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=SHOWA, max_value=date(2300, 12, 31)))
def test_wareki_round_trips_and_names_the_right_era(d):
    assert read_wareki(wareki(d)) == d
    assert wareki_with_weekday(d) == f"{wareki(d)}（{'月火水木金土日'[d.weekday()]}）"
    assert parse_date(d.isoformat()) == d
    assert parse_date(d.isoformat().translate(FULLWIDTH)) == d
    assert parse_date(d.strftime("%Y/%m/%d")) == d
    label = fiscal_year_label(fiscal_year(d))
    assert label.endswith("年度") and label[:2] in ERA_START


@settings(max_examples=100, deadline=None)
@given(st.dates(max_value=SHOWA.replace(day=24)))
def test_dates_before_showa_are_refused_in_japanese(d):
    with pytest.raises(DateError) as info:
        wareki(d)
    assert "昭和より前の日付のため和暦にできません" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.integers(-5, 10_000), st.integers(-2, 14), st.integers(-2, 40))
def test_impossible_dates_are_refused_with_the_input_named(y, m, d):
    text = f"{y}-{m}-{d}"
    try:
        valid = date(y, m, d)
    except (ValueError, TypeError):
        with pytest.raises(DateError) as info:
            parse_date(text)
        assert f"「{text}」は日付として読めません。" in str(info.value)
    else:
        assert parse_date(text) == valid


@pytest.mark.parametrize("text", ["2025-02-30", "2023-02-29", "令和0年1月1日", "令和7年13月1日", "平成31年5月1日",
                                  "0000-01-01", "2025-09-16\x00", "", "   ", "長" * 100_000],
                         ids=lambda t: t if len(t) < 20 else f"{t[:2]}...x{len(t)}")
def test_named_bad_dates_are_refused(text):
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert "は日付として読めません" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_date_and_time_parsers_never_raise_anything_but_date_error(text):
    for parse, kind in ((parse_date, date), (parse_time, time)):
        try:
            value = parse(text)
        except DateError as exc:
            assert "読めません" in str(exc)
        else:
            assert isinstance(value, kind)


# -- meeting operations with arbitrary text -----------------------------------

@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A started 第3回 and a store to save what it returns (shared by examples)."""
    root = tmp_path_factory.mktemp("props") / "data"
    dataset = load_demo(date(2025, 9, 9))
    with DataStore.open(root, create=True) as store:
        store.write_dataset(dataset)
    store = DataStore.open(root)
    session = MeetingSession(dataset, World.from_dataset(dataset), "M-C2-03", today=date(2025, 9, 16))
    for ch in session.start():
        store.meeting_upsert(ch.meeting_id, ch.table, ch.doc)
    yield session, store
    store.close()


def stored_form(text: str) -> str:
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # examples: the profile's
@given(ANY_TEXT, st.sampled_from(["statement", "edit", "summary", "guest", "material", "decision"]))
def test_meeting_operations_take_any_text_or_refuse_it_in_japanese(live, text, op):
    session, store = live
    item = session.current_item().id
    try:
        if op == "statement":
            changes = session.add_statement(item, "MEMBER", text)
        elif op == "edit":
            existing = session.statements(item) or None
            if existing is None:
                changes = session.add_statement(item, "MEMBER", text)
            else:
                changes = session.edit_statement(existing[-1].id, text)
        elif op == "summary":
            changes = session.append_summary(item, text)
        elif op == "guest":
            changes = session.add_guest(text, org_name=text)
        elif op == "material":
            changes = session.add_material(text)
        else:
            changes = session.add_decision("OTHER", text)
    except SessionError as exc:
        assert not text.strip(), f"{op}: refused non-blank text: {exc.message}"
        assert re.search("[ぁ-んァ-ン一-龯]", exc.message)
        return
    assert text.strip(), f"{op}: blank text was accepted"
    for ch in changes:
        store.meeting_upsert(ch.meeting_id, ch.table, ch.doc)
        back = store.meeting_get(ch.meeting_id, ch.table, ch.doc_id)
        assert back == {k: stored_form(v) if isinstance(v, str) else v for k, v in ch.doc.items()} or \
            stored_form(text.strip()) in str(back)
