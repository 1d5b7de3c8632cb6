"""和暦, weekdays, 年度 and times as a coordinator reads them in minutes."""
from datetime import date, time

import pytest

from kyogitai_tui.domain import dates


@pytest.mark.parametrize(
    "d, expected",
    [
        (date(2025, 9, 16), "令和7年9月16日"),
        (date(2019, 5, 1), "令和元年5月1日"),      # first day of 令和
        (date(2019, 4, 30), "平成31年4月30日"),    # last day of 平成
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
    ],
)
def test_wareki_boundaries(d, expected):
    assert dates.wareki(d) == expected


def test_weekday_in_full_width_brackets():
    assert dates.wareki_with_weekday(date(2025, 9, 16)) == "令和7年9月16日（火）"
    assert dates.wareki_with_weekday(date(2025, 5, 20)) == "令和7年5月20日（火）"
    assert dates.wareki_with_weekday(date(2026, 11, 29)) == "令和8年11月29日（日）"


def test_before_showa_is_a_clear_error():
    with pytest.raises(dates.DateError, match="和暦にできません"):
        dates.wareki(date(1920, 1, 1))


@pytest.mark.parametrize(
    "d, fy",
    [(date(2025, 4, 1), 2025), (date(2025, 3, 31), 2024), (date(2026, 1, 15), 2025), (date(2025, 12, 31), 2025)],
)
def test_fiscal_year_starts_in_april(d, fy):
    assert dates.fiscal_year(d) == fy


def test_fiscal_year_labels_across_era_changes():
    assert dates.fiscal_year_label(2025) == "令和7年度"
    assert dates.fiscal_year_label(2019) == "令和元年度"
    assert dates.fiscal_year_label(2018) == "平成30年度"
    assert dates.fiscal_year_label(1988) == "昭和63年度"
    assert dates.fiscal_year_label(1989) == "平成元年度"
    assert dates.meeting_title(2025, 3) == "令和7年度 第3回"


def test_fiscal_year_with_other_start_month():
    assert dates.fiscal_year(date(2025, 3, 31), start_month=1) == 2025


def test_times_as_written_in_minutes():
    assert dates.jp_time(time(14, 0)) == "午後2時00分"
    assert dates.jp_time(time(9, 5)) == "午前9時05分"
    assert dates.jp_time(time(12, 0)) == "午後0時00分"
    assert dates.jp_time(time(0, 30)) == "午前0時30分"
    assert dates.jp_time_range(time(14, 0), time(15, 50)) == "午後2時00分～午後3時50分"


def test_parse_date_accepts_full_width_and_slashes():
    assert dates.parse_date("２０２５／０９／１６") == date(2025, 9, 16)
    assert dates.parse_date("2025-9-16") == date(2025, 9, 16)
    with pytest.raises(dates.DateError, match="年-月-日"):
        dates.parse_date("9月16日")
    with pytest.raises(dates.DateError):
        dates.parse_date("2025-02-30")


def test_parse_time():
    assert dates.parse_time("１４：００") == time(14, 0)
    with pytest.raises(dates.DateError, match="時:分"):
        dates.parse_time("午後2時")


def test_months_between():
    assert dates.months_between(date(2025, 1, 10), date(2025, 9, 9)) == 7
    assert dates.months_between(date(2025, 1, 9), date(2025, 9, 9)) == 8
