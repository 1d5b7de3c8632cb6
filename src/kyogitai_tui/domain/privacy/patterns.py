"""The ways a resident's label or code can be written (honorifics, letter
readings, person words, codes with any separator or padding), as regular
expressions over ``normalize.normalize``'d text; and the words that mark consent
remarks and 要配慮 topics."""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Optional

from kyogitai_tui.domain.privacy.normalize import SEP, normalize, normalize_with_map

__all__ = ["label_patterns", "letter_patterns", "code_patterns", "find_mentions", "mentions_consent",
           "mentions_sensitive_topic", "HONORIFICS", "PERSON_PREFIXES", "LETTER_READINGS", "SENSITIVE_TOPICS"]


# --------------------------------------------------------------------------
# label and code patterns
# --------------------------------------------------------------------------

# honorifics, as normalised (katakana read as hiragana: サン, ｻﾝ -> さん)
HONORIFICS = ("さん", "さま", "様", "氏", "くん", "君", "ちゃん", "殿", "どの", "はん", "たん")
# words before a letter that make it a person: 利用者A, 対象者A, 本人A, ケースA ...
PERSON_PREFIXES = ("利用者", "対象者", "本人", "相談者", "当事者", "事例", "ケース", "世帯", "住民", "高齢者")
# how a letter is read aloud (the normaliser turns ー into the separator)
LETTER_READINGS = {
    "a": ("エー", "エイ"), "b": ("ビー", "ビイ"), "c": ("シー", "スィー"), "d": ("ディー", "デー", "ディ"),
    "e": ("イー", "イイ"), "f": ("エフ",), "g": ("ジー", "ヂー"), "h": ("エイチ", "エッチ", "エッチー"),
    "i": ("アイ",), "j": ("ジェー", "ジェイ"), "k": ("ケー", "ケイ"), "l": ("エル",), "m": ("エム",),
    "n": ("エヌ",), "o": ("オー", "オウ"), "p": ("ピー",), "q": ("キュー",), "r": ("アール",),
    "s": ("エス",), "t": ("ティー", "テー"), "u": ("ユー",), "v": ("ブイ", "ヴィー"),
    "w": ("ダブリュー", "ダブリュ"), "x": ("エックス",), "y": ("ワイ",), "z": ("ゼット", "ズィー"),
}
_S = re.escape(SEP) + "?"          # an optional separator between any two parts
_NOT_ALNUM_BEFORE = r"(?<![a-z0-9])"


def _loose(norm_word: str) -> str:
    """A normalised word with an optional separator between its characters."""
    chars = [c for c in norm_word if c != SEP]
    return _S.join(re.escape(c) for c in chars)


def _honorific_re() -> str:
    return "(?:" + "|".join(_loose(normalize(h)) for h in HONORIFICS) + ")"


def _strip_honorific(norm_label: str) -> str:
    for h in sorted((normalize(h) for h in HONORIFICS), key=len, reverse=True):
        if norm_label.endswith(h) and len(norm_label) > len(h):
            return norm_label[: -len(h)].rstrip(SEP)
    return norm_label


def label_patterns(label: str, letters: Optional[set] = None) -> list[str]:
    """Regex sources (over normalised text) for every way of writing a label:
    the label itself, its base with any honorific (Aさん, Aサン, Aｻﾝ, A様, A氏,
    Aくん, Aちゃん, A君 ...), a letter base read aloud (エーさん, エイさま),
    and a one-character base after a person word (利用者A, 対象者エー).
    A one-letter base is added to ``letters`` when given (see
    :func:`letter_patterns`, which covers many letters in one pattern)."""
    norm = normalize(label).strip(SEP)
    if not norm:
        return []
    base = _strip_honorific(norm)
    pats: list[str] = []
    if len(norm) >= 2:
        pats.append(_loose(norm))
    if not base:
        return pats
    if re.fullmatch(r"[a-z]", base):
        if letters is not None:
            letters.add(base)
        else:
            pats.extend(letter_patterns({base}))
    else:
        pats.append(_loose(base) + _S + _honorific_re())
        if len(base) == 1:
            prefixes = "(?:" + "|".join(_loose(normalize(p)) for p in PERSON_PREFIXES) + ")"
            pats.append(prefixes + _S + _loose(base))
    return pats


def letter_patterns(letters: Iterable[str]) -> list[str]:
    """The patterns of one-letter labels (A, B ... as normalised): the letter
    with an honorific, read aloud with an honorific, after a person word."""
    letters = sorted(set(letters))
    if not letters:
        return []
    cls = "[" + "".join(re.escape(c) for c in letters) + "]"
    hon = _honorific_re()
    prefixes = "(?:" + "|".join(_loose(normalize(p)) for p in PERSON_PREFIXES) + ")"
    # no boundary before the letter: 「JAさん」 is dropped with 「Aさん」 -- the
    # safe side (a false hit costs a sentence, a miss names a resident)
    pats = [cls + _S + hon, prefixes + _S + cls + r"(?![a-z0-9])"]
    readings = sorted({_loose(normalize(r)) + _S for c in letters for r in LETTER_READINGS.get(c, ())},
                      key=len, reverse=True)
    if readings:
        said = "(?:" + "|".join(readings) + ")"
        # no boundary either: 「ではエーさん」 follows a particle; 「おにいさん」 is
        # then dropped as イーさん -- the safe side again
        pats += [said + hon, prefixes + _S + said]
    return pats


def code_patterns(code: str) -> list[str]:
    """Regex sources (over normalised text) for a code however it is typed:
    R-001, R001, R/001, R⁃001, R-1, Ｒ－００１, r 001 ...: the letters, any
    separator or none, the number with or without leading zeros (not followed
    by another digit or by 年, so 「R1年度」 stays a year)."""
    norm = normalize(code).strip(SEP)
    if not norm:
        return []
    m = re.fullmatch(r"([^0-9]*?)" + _S + r"([0-9]+)", norm)
    if m is None:
        return [_NOT_ALNUM_BEFORE + _loose(norm) + r"(?![a-z0-9])"] if len(norm) >= 2 else []
    head, digits = m.group(1).strip(SEP), m.group(2)
    number = "(?:0" + _S + ")*" + _loose(str(int(digits)))
    if not head:
        return []      # a bare number is not a code anyone could be found by
    return [_NOT_ALNUM_BEFORE + _loose(head) + _S + number + r"(?![0-9]|年)",
            _loose(norm)]      # as registered, whatever stands around it


def find_mentions(pattern: Optional[re.Pattern], text: Optional[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` (as typed) that ``pattern`` matches on its normalised copy."""
    if not text or pattern is None:
        return []
    norm, starts, ends = normalize_with_map(text)
    return [(starts[m.start()], ends[m.end() - 1]) for m in pattern.finditer(norm) if m.end() > m.start()]


# remarks that tell a reader a consent is missing or pending (公開用 drops them);
# 「異議なく同意した」 (agreement in the meeting) is not one
_CONSENT_RE = re.compile(
    r"同意は(?:まだ|な|無|未|得|取|いただ|頂)|同意(?:の取得|の確認|を(?:取|と|得|え|もら|いただ|頂)|が(?:取|と|得|え|まだ|な|無|必要)|書|未取得|取得)"
    r"|(?:本人|家族|ご本人|ご家族)(?:・(?:本人|家族|ご本人|ご家族))?の(?:同意|了解|了承)")
# 要配慮 topics: a resident never stands next to one in the 内部記録
SENSITIVE_TOPICS = ("障がい", "障害", "障碍", "認知症", "困窮", "生活保護", "子育て", "育児", "精神", "知的",
                    "発達", "療育", "難病", "虐待", "孫の世話", "ひきこもり", "引きこもり", "自立相談", "相談支援",
                    "後見")
_SENSITIVE_RE = re.compile("|".join(re.escape(normalize(w)) for w in SENSITIVE_TOPICS))


def mentions_consent(text: Optional[str]) -> bool:
    """A remark about a resident's consent (「まずは同意の取得が先です」)."""
    return bool(text) and _CONSENT_RE.search(unicodedata.normalize("NFKC", text)) is not None


def mentions_sensitive_topic(text: Optional[str]) -> bool:
    """Text that names a 要配慮 topic (disability, dementia, poverty, child care ...)."""
    return bool(text) and _SENSITIVE_RE.search(normalize(text)) is not None
