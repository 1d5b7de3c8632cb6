"""Descriptions that single someone out: free text that, without naming a
resident, combines what the registry knows of one of them.

Rule (also in RELIABILITY.md, section 6)
    For each registered resident, a sentence is matched (after the same
    normalisation as the redactor: NFKC, invisible characters removed, case,
    kana) against what the registry holds of them:

    * place   -- the resident's place hint (「奥みなみの集落（約30世帯）」, its
                 parts 「奥みなみ」), their area's name with or without
                 「圏域」, the area's basis note (「旧みなみ村」);
    * size    -- a hamlet size in the text (「約30世帯」, 「30戸」) of at most
                 ``SMALL_AREA_HOUSEHOLDS`` households, when the resident lives
                 in a small place (their hamlet, or a small area);
    * age     -- their age band in its written forms (90代, 九十代, 90歳代,
                 90歳以上, an age 90-99歳);
    * sex     -- 男性/女性 and their everyday words;
    * household -- 独居/一人暮らし/ひとり暮らし/単身 ..., 老夫婦 ..., 三世代 ...

    A sentence is flagged when, for one resident, it matches a place or a
    size **and** at least two of age / sex / household, or a *small* place
    (a place hint of a hamlet, or a size) **and** at least one of them.
    「北台団地の独居高齢者」 (a large estate and one attribute) is not
    flagged; 「奥みなみの集落（約30世帯）の90代の独居男性」 is.

Every flag has a stable id (``P`` + 6 hex digits of the normalised sentence)
and a Japanese reason.  The 公開用 minutes are not written while a flag is
unconfirmed; a confirmation is recorded in the meeting's data
(``Meeting.extra["privacy_confirmed"]``, see :func:`confirm_change`).

No Textual, no minutes: the caller hands in the finished texts.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.changes import Change
from kyogitai_tui.domain.privacy.normalize import SEP, normalize
from kyogitai_tui.domain.privacy.reidentification import HAMLET_MARKERS, SMALL_AREA_HOUSEHOLDS, area_is_small

__all__ = ["Flag", "find_identifying", "pending_identifying", "confirmed_ids", "confirm_change",
           "flags_message", "CONFIRMED_KEY"]

CONFIRMED_KEY = "privacy_confirmed"

_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")
# place-hint words that say what kind of place it is, not which one
_GENERIC_PLACE = ("の集落", "集落", "団地", "地区", "地域", "町内", "自治会", "圏域", "周辺", "付近", "あたり")
_KANJI_TENS = {"6": "六十", "7": "七十", "8": "八十", "9": "九十", "10": "百"}
_SEX_WORDS = {
    "M": ("男性", "男の方", "男の人", "おじいさん", "お爺さん", "おじいちゃん", "高齢男性", "男"),
    "F": ("女性", "女の方", "女の人", "おばあさん", "お婆さん", "おばあちゃん", "高齢女性", "婦人"),
}
_HOUSEHOLD_WORDS = {
    "ALONE": ("独居", "一人暮らし", "ひとり暮らし", "独り暮らし", "一人住まい", "ひとり住まい", "単身"),
    "ELDERLY_COUPLE": ("老夫婦", "高齢夫婦", "夫婦のみ", "夫婦二人", "夫婦ふたり", "二人暮らし", "ふたり暮らし"),
    "WITH_CHILD": ("子と同居", "息子と同居", "娘と同居", "子どもと同居", "子供と同居", "子と二人"),
    "THREE_GEN": ("三世代", "3世代"),
}
_SIZE_RE = re.compile(r"([0-9]+)(?:世帯|戸|軒)")


@dataclass(frozen=True)
class Flag:
    """One sentence that could single out a resident."""
    id: str
    sentence: str
    reason: str
    subject_id: str


def _age_patterns(band: str) -> list[str]:
    m = re.match(r"([0-9]+)s", band or "")
    if not m:
        return []
    tens = m.group(1)
    kanji = _KANJI_TENS.get(str(int(tens) // 10), "")
    out = [rf"(?<![0-9]){tens}(?:歳|才)?(?:{SEP})?代", rf"(?<![0-9]){tens}(?:歳|才)(?:以上|超)",
           rf"(?<![0-9]){tens[0]}[0-9](?:歳|才)(?![0-9]|代)"]
    if kanji:
        out += [rf"{kanji}(?:歳|才)?代", rf"{kanji}[一二三四五六七八九]?(?:歳|才)"]
    if band.endswith("+"):
        out.append(rf"(?<![0-9]){tens}(?:歳|才)?(?:以上|超)")
    return out


def _place_words(subject: Any, area: Any) -> tuple[list[str], list[str]]:
    """(places, small places) of a subject, normalised."""
    places: list[str] = []
    small: list[str] = []
    hint = (getattr(subject, "place_hint", "") or "").strip()
    hamlet = (getattr(subject, "extra", None) or {}).get("hamlet_households")
    hint_small = (isinstance(hamlet, int) and hamlet <= SMALL_AREA_HOUSEHOLDS) \
        or any(m in hint for m in HAMLET_MARKERS)
    if hint:
        parts = [hint] + re.split(r"[（）()、・\s]", hint)
        parts += [q for p in list(parts) for q in p.split("の")]
        for p in parts:
            p = p.strip()
            for g in _GENERIC_PLACE:
                if p.endswith(g) and len(p) > len(g):
                    parts.append(p[: -len(g)])
        for p in parts:
            n = normalize(p).strip(SEP)
            if len(n) >= 2 and not _SIZE_RE.search(n) and n not in {normalize(g) for g in _GENERIC_PLACE}:
                places.append(n)
                if hint_small:
                    small.append(n)
    if area is not None:
        names = [area.name or "", (getattr(area, "extra", None) or {}).get("basis_note", "") or ""]
        for name in list(names):
            for g in _GENERIC_PLACE:
                if name.endswith(g) and len(name) > len(g):
                    names.append(name[: -len(g)])
        for name in names:
            n = normalize(name).strip(SEP)
            if len(n) >= 2:
                places.append(n)
    return places, small


def _subject_profiles(world: Any) -> list[dict]:
    out = []
    for sid, s in (getattr(world, "subjects", None) or {}).items():
        area = (getattr(world, "areas", None) or {}).get(s.area_id) if s.area_id else None
        places, small = _place_words(s, area)
        hamlet = (s.extra or {}).get("hamlet_households")
        lives_small = bool(small) or (isinstance(hamlet, int) and hamlet <= SMALL_AREA_HOUSEHOLDS) \
            or area_is_small(area)
        out.append({
            "id": sid, "label": s.label, "places": places, "small": small, "lives_small": lives_small,
            "age": [re.compile(p) for p in _age_patterns(s.age_band)], "age_text": s.age_band,
            "sex": [normalize(w) for w in _SEX_WORDS.get(s.sex, ())],
            "household": [normalize(w) for w in _HOUSEHOLD_WORDS.get(s.household, ())],
        })
    return out


def _sentences(texts: Iterable[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        for part in _SENTENCE_END.split(text or ""):
            part = part.strip()
            if part and part not in seen:
                seen.add(part)
                out.append(part)
    return out


def flag_id(sentence: str) -> str:
    return "P" + hashlib.sha1(normalize(sentence).encode("utf-8")).hexdigest()[:6].upper()


def _check(norm: str, p: dict) -> Optional[list[str]]:
    found: list[str] = []
    place = next((w for w in p["places"] if w in norm), None)
    small_place = next((w for w in p["small"] if w in norm), None)
    size = None
    if p["lives_small"]:
        for m in _SIZE_RE.finditer(norm):
            if int(m.group(1)) <= SMALL_AREA_HOUSEHOLDS:
                size = m.group(0)
                break
    attrs: list[str] = []
    age = next((m.group(0) for rx in p["age"] for m in [rx.search(norm)] if m), None)
    if age:
        attrs.append(f"年代「{age}」")
    sex = next((w for w in p["sex"] if w in norm), None)
    if sex:
        attrs.append(f"性別「{sex}」")
    hh = next((w for w in p["household"] if w in norm), None)
    if hh:
        attrs.append(f"世帯「{hh}」")
    if small_place or size:
        if not attrs:
            return None
    elif place:
        if len(attrs) < 2:
            return None
    else:
        return None
    if small_place or place:
        found.append(f"場所「{small_place or place}」")
    if size:
        found.append(f"集落の規模「{size}」")
    return found + attrs


def find_identifying(world: Any, texts: Iterable[str]) -> list[Flag]:
    """Every sentence of ``texts`` that combines what the registry knows of
    one resident (see the module docstring), in order, one flag per sentence."""
    profiles = _subject_profiles(world)
    if not profiles:
        return []
    flags: list[Flag] = []
    for sentence in _sentences(texts):
        norm = normalize(sentence)
        for p in profiles:
            hit = _check(norm, p)
            if hit:
                reason = ("・".join(hit) + f"が、登録されている対象者（{p['label']}）の記録と重なります。"
                          "本人が特定されるおそれがあります。")
                flags.append(Flag(flag_id(sentence), sentence, reason, p["id"]))
                break
    return flags


def confirmed_ids(world: Any, meeting_id: str) -> set[str]:
    """Flags the coordinator confirmed for this meeting (kept in its data)."""
    rec = (getattr(world, "meetings", None) or {}).get(meeting_id)
    if rec is None:
        return set()
    entries = (rec.meeting.extra or {}).get(CONFIRMED_KEY) or []
    return {e.get("id") for e in entries if isinstance(e, dict) and e.get("id")}


def pending_identifying(world: Any, meeting_id: str, texts: Iterable[str],
                        confirmed: Iterable[str] = ()) -> list[Flag]:
    """The flags of ``texts`` not yet confirmed, in the meeting's data or by
    ``confirmed`` (ids given for this one export)."""
    ok = confirmed_ids(world, meeting_id) | {c.strip().upper() for c in confirmed if c}
    return [f for f in find_identifying(world, texts) if f.id not in ok]


def confirm_change(world: Any, meeting_id: str, flags: Iterable[Flag], on: date) -> Change:
    """The meeting document with ``flags`` recorded as confirmed (sentence,
    reason and day kept, so a later reader sees what was confirmed)."""
    meeting = world.meetings[meeting_id].meeting
    doc = meeting.to_doc()
    entries = [e for e in (doc.get(CONFIRMED_KEY) or []) if isinstance(e, dict)]
    have = {e.get("id") for e in entries}
    for f in flags:
        if f.id not in have:
            entries.append({"id": f.id, "sentence": f.sentence, "reason": f.reason, "on": on.isoformat()})
            have.add(f.id)
    doc[CONFIRMED_KEY] = entries
    return Change(meeting_id, "meeting", meeting_id, doc)


def flags_message(flags: list[Flag]) -> str:
    """The Japanese refusal naming each sentence, its reason and its id."""
    lines = [f"公開用の会議録に、本人が特定されるおそれのある文が{len(flags)}件あります。書き出しませんでした。"]
    for f in flags:
        lines.append(f"  [{f.id}] 「{f.sentence}」")
        lines.append(f"      理由：{f.reason}")
    ids = " ".join(f"--confirm {f.id}" for f in flags)
    lines.append("文を書き直すか、公開してよいと確かめた文は、次を付けてもう一度実行してください："
                 f" {ids}（アプリの会議録の書き出し画面で確認することもできます。確認は会議の記録に残ります）")
    return "\n".join(lines)
