"""Japanese calendar facts: 和暦, weekdays, 年度, 第n回, times as written in minutes.

Eras (the first day of each):
  昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
The first year of an era is written 元年 (令和元年5月1日).

年度 (fiscal year) starts on the first day of ``start_month`` (April by
default) and is named after the calendar year in which it starts.  Its era
label is the era in force at the end of that calendar year: 令和 began in May
2019, so the fiscal year from April 2019 is 令和元年度 (as municipalities
renamed it), while the one from April 1988 stays 昭和63年度.
"""
from __future__ import annotations

from datetime import date, time

_ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)

_WEEKDAYS = "月火水木金土日"


class DateError(ValueError):
    """A date outside what the app can name (before 昭和)."""


def era_of(d: date) -> tuple[str, int]:
    """(era name, year within era) for a date; raises DateError before 昭和."""
    for start, name in _ERAS:
        if d >= start:
            return name, d.year - start.year + 1
    raise DateError(f"{d.isoformat()} は昭和より前の日付のため和暦にできません。")


def _year_text(n: int) -> str:
    return "元" if n == 1 else str(n)


def wareki_year(d: date) -> str:
    """「令和7年」"""
    era, n = era_of(d)
    return f"{era}{_year_text(n)}年"


def wareki(d: date) -> str:
    """「令和7年9月16日」"""
    return f"{wareki_year(d)}{d.month}月{d.day}日"


def weekday_ja(d: date) -> str:
    """「火」"""
    return _WEEKDAYS[d.weekday()]


def wareki_with_weekday(d: date) -> str:
    """「令和7年9月16日（火）」 (full-width brackets, as in published minutes)."""
    return f"{wareki(d)}（{weekday_ja(d)}）"


def short_date(d: date) -> str:
    """「9/16（火）」 for narrow TUI columns."""
    return f"{d.month}/{d.day}（{weekday_ja(d)}）"


def fiscal_year(d: date, start_month: int = 4) -> int:
    """The 年度 a date belongs to, named by the calendar year it starts in."""
    return d.year if d.month >= start_month else d.year - 1


def fiscal_year_label(fy: int, start_month: int = 4) -> str:
    """「令和7年度」 for fy=2025; 「令和元年度」 for 2019; 「昭和63年度」 for 1988."""
    era, n = era_of(date(fy, 12, 31))
    return f"{era}{_year_text(n)}年度"


def meeting_title(fy: int, seq_no: int, start_month: int = 4) -> str:
    """「令和7年度 第3回」"""
    return f"{fiscal_year_label(fy, start_month)} 第{seq_no}回"


def jp_time(t: time) -> str:
    """「午後2時00分」 (午前0時 = midnight, 午後0時 = noon)."""
    half = "午前" if t.hour < 12 else "午後"
    return f"{half}{t.hour % 12}時{t.minute:02d}分"


def jp_time_range(start: time | None, end: time | None) -> str:
    """「午後2時00分～午後3時50分」; either end may be missing."""
    if start and end:
        return f"{jp_time(start)}～{jp_time(end)}"
    if start:
        return f"{jp_time(start)}～"
    return ""


def hhmm(t: time | None) -> str:
    return t.strftime("%H:%M") if t else ""


def parse_date(text: str) -> date:
    """Parse YYYY-MM-DD (also accepts YYYY/MM/DD and full-width digits)."""
    norm = text.strip().translate(str.maketrans("０１２３４５６７８９／－", "0123456789/-"))
    norm = norm.replace("/", "-")
    try:
        parts = [int(p) for p in norm.split("-")]
        if len(parts) != 3:
            raise ValueError
        return date(*parts)
    except (ValueError, TypeError):
        raise DateError(
            f"「{text}」は日付として読めません。2025-09-16 のように 年-月-日 で入力してください。"
        ) from None


# What the shell accepts for 「今日」 and 年度: 平成 onwards (older dates cannot
# hold a meeting the app records, and the demo reaches back a year from
# 「今日」, which must still have a 和暦), up to 2099 (the demo and the
# deadlines reach months past 「今日」).
FIRST_SUPPORTED = date(1989, 1, 8)
LAST_SUPPORTED = date(2099, 12, 31)
SUPPORTED_RANGE = "平成元年（1989年1月8日）から2099年12月31日まで"


def check_supported(d: date) -> date:
    """``d`` when the app can work with it as 「今日」, else DateError."""
    if not FIRST_SUPPORTED <= d <= LAST_SUPPORTED:
        raise DateError(f"{d.isoformat()} はこのアプリで扱えない日付です。{SUPPORTED_RANGE}の日付を指定してください。")
    return d


def check_supported_fiscal_year(fy: int) -> int:
    """``fy`` when its 年度 lies in the supported range, else DateError."""
    if not FIRST_SUPPORTED.year <= fy <= LAST_SUPPORTED.year - 1:
        raise DateError(f"{fy}年度はこのアプリで扱えない年度です。{FIRST_SUPPORTED.year}（平成元年度）から"
                        f"{LAST_SUPPORTED.year - 1}年度までを指定してください。")
    return fy


def parse_time(text: str) -> time:
    """Parse HH:MM (also full-width digits and ：)."""
    norm = text.strip().translate(str.maketrans("０１２３４５６７８９：", "0123456789:"))
    try:
        h, m = norm.split(":")
        return time(int(h), int(m))
    except (ValueError, TypeError):
        raise DateError(f"「{text}」は時刻として読めません。14:00 のように 時:分 で入力してください。") from None


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later`` (negative if reversed)."""
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    if later.day < earlier.day:
        months -= 1
    return months
