"""Search over every meeting's records (pure; no I/O, no Textual).

What is searched (one ``Entry`` each, with where it comes from)::

    発言  a statement's text                       entity: the statement id
    要旨  an agenda item's summary                 entity: the agenda item id
    課題  a finding's description                  entity: the finding id
          a later meeting's note on a finding      entity: the finding id (at that meeting)
    決定  a decision's text                        entity: the decision id
    取組  an action item's title                   entity: the action item id
          a progress note on an action item        entity: the action item id (at that meeting)

Nothing from sensitive.json is ever read: the index is built from the
meeting files only (texts as stored; residents appear there only by their
pseudonymous label, as in the internal minutes).

Matching
    ``normalize`` = NFKC (ＮＰＯ -> NPO, ｶﾀｶﾅ -> カタカナ, ０１ -> 01, full-width
    space -> space) + casefold + katakana folded to hiragana (ゴミ and ごみ,
    ケアマネ and けあまね match each other: people type both) + whitespace
    removed.  The query is split on whitespace (ASCII or full-width); every
    term must be a substring of the normalised text (Japanese needs no
    spaces between words).

Ranking
    Newest meeting first (meeting order of domain/world.py, reversed);
    within a meeting 決定, 課題, 取組, 要旨, 発言, each in the meeting's own
    order.  "When did we decide that?" is answered by the top rows.

The index of a World is built once and cached (``SearchIndex.for_world``);
a query is a plain scan over precomputed normalised texts.
"""
from __future__ import annotations

import threading
import unicodedata
import weakref
from dataclasses import dataclass
from datetime import date
from collections.abc import Sequence
from typing import Optional

from kyogitai_tui.domain.dates import DateError, meeting_title, wareki

__all__ = ["KINDS", "Entry", "Hit", "Hits", "SearchIndex", "normalize", "query_terms", "plain", "snippet_of"]

KINDS = ("決定", "課題", "取組", "要旨", "発言")   # also the order within a meeting
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}

_KATA_TO_HIRA = {c: c - 0x60 for c in range(0x30A1, 0x30F7)}
_SPACE_DROP = {ord(c): None for c in " \t\r\n\f\v\u3000\u00a0"}


def normalize(text: str) -> str:
    """The form both the texts and the query are compared in."""
    t = unicodedata.normalize("NFKC", text).casefold()
    return t.translate(_KATA_TO_HIRA).translate(_SPACE_DROP)


def query_terms(query: str) -> list[str]:
    """The normalised terms of a query (whitespace separates terms)."""
    return [t for t in (normalize(p) for p in unicodedata.normalize("NFKC", query).split()) if t]


# --------------------------------------------------------------------------
# display: no East Asian Ambiguous characters
# --------------------------------------------------------------------------

_PLAIN = {
    "…": "...", "‥": "..", "→": "->", "←": "<-", "↑": "^", "↓": "v", "⇒": "=>",
    "○": "〇", "◯": "〇", "●": "〇", "◎": "〇", "×": "x", "÷": "/", "±": "+-",
    "△": "-", "▲": "-", "▽": "-", "▼": "-", "■": "-", "□": "-", "◆": "-", "◇": "-",
    "※": "*", "★": "*", "☆": "*", "“": '"', "”": '"', "‘": "'", "’": "'",
    "°": "度", "§": "S", "¶": "", "√": "v", "∞": "oo",
}


def plain(text: str) -> str:
    """Text safe for a terminal that draws Ambiguous characters two cells
    wide: line breaks become spaces, … becomes "...", ○ becomes 〇, others
    their NFKC form (① -> 1) or "?"."""
    out = []
    for ch in text:
        if ch < "\x80":
            out.append(" " if ch in "\r\n\t" else ch)
            continue
        if unicodedata.east_asian_width(ch) != "A":
            out.append(ch)
            continue
        rep = _PLAIN.get(ch)
        if rep is None:
            n = unicodedata.normalize("NFKC", ch)
            rep = n if all(unicodedata.east_asian_width(c) != "A" for c in n) else "?"
        out.append(rep)
    return "".join(out)


def _norm_map(text: str) -> tuple[str, list[int]]:
    """``text`` normalised piece by piece, with the index in ``text`` each
    normalised character comes from (a base character and the combining
    marks after it, e.g. ｶﾞ, are one piece)."""
    norm: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or text[j] in "\uff9e\uff9f"):
            j += 1
        piece = normalize(text[i:j])
        norm.append(piece)
        origin.extend([i] * len(piece))
        i = j
    return "".join(norm), origin


SNIPPET_CHARS = 30
_BEFORE = 10


def snippet_of(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` around the earliest place a
    term matches, "..." where cut; no Ambiguous characters."""
    start = 0
    if terms:
        norm, origin = _norm_map(text)
        found = [p for p in (norm.find(t) for t in terms) if p >= 0]
        if found:
            start = origin[min(found)]
    s = max(0, start - _BEFORE)
    e = min(len(text), s + width)
    s = max(0, min(s, e - width))
    body = plain(text[s:e]).strip()
    return ("..." if s > 0 else "") + body + ("..." if e < len(text) else "")


# --------------------------------------------------------------------------
# entries and hits
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    kind: str                  # 発言 | 要旨 | 課題 | 決定 | 取組
    council_id: str
    council: str
    meeting_id: str
    held_on: date
    fiscal_year: int
    seq_no: int
    agenda_item_id: Optional[str]
    agenda_item: str           # its title, "" when the record names none
    entity_id: str
    text: str                  # as stored
    context: str = ""          # the action item / finding a later note is about

    @property
    def date_wareki(self) -> str:
        try:
            return wareki(self.held_on)
        except DateError:
            return self.held_on.isoformat()

    @property
    def council_short(self) -> str:
        """「北みほん」 for 北みほん支え合い会議: for narrow columns."""
        from kyogitai_tui.domain.followup.overview import short_council_name

        return short_council_name(self.council)

    @property
    def seq_label(self) -> str:
        """「第2回」, or 「会議外」 for a note made between meetings"""
        return f"第{self.seq_no}回" if self.meeting_id else "会議外"

    @property
    def meeting_label(self) -> str:
        """「令和7年度 第2回」, or 「会議外の記録」"""
        if not self.meeting_id:
            return "会議外の記録"
        try:
            return meeting_title(self.fiscal_year, self.seq_no)
        except DateError:
            return f"{self.fiscal_year}年度 第{self.seq_no}回"


@dataclass(frozen=True)
class Hit:
    entry: Entry
    snippet: str

    def to_json(self) -> dict:
        e = self.entry
        return {
            "kind": e.kind, "council_id": e.council_id, "council": e.council,
            "meeting_id": e.meeting_id, "date": e.held_on.isoformat(),
            "date_wareki": e.date_wareki, "fiscal_year": e.fiscal_year, "seq": e.seq_no,
            "agenda_item": e.agenda_item, "text": e.text, "snippet": self.snippet,
            "entity_id": e.entity_id,
        }


class Hits(list):
    """The hits shown (at most ``limit``); ``total`` counts every match."""

    def __init__(self, hits=(), total: int = 0, terms: tuple[str, ...] = ()) -> None:
        super().__init__(hits)
        self.total = total
        self.terms = terms


@dataclass
class _Lookups:
    """Findings, action items and decisions of every meeting, by id (a later
    meeting's note names them; an action item may follow an older decision)."""
    findings: dict
    actions: dict
    decisions: dict

    @classmethod
    def of(cls, world) -> "_Lookups":
        lk = cls({}, {}, {})
        for rec in world.meetings.values():
            lk.findings.update((f.id, f) for f in rec.gap_findings)
            lk.actions.update((a.id, a) for a in rec.action_items)
            lk.decisions.update((d.id, d) for d in rec.decisions)
        return lk


def _entries_of_meeting(world, rec, lk: _Lookups) -> list[Entry]:
    m = rec.meeting
    council = world.councils.get(m.council_id)
    titles = {a.id: a.title for a in rec.agenda_items}
    carried = {aid: a.id for a in rec.agenda_items for aid in a.carried_action_ids}
    base = dict(council_id=m.council_id, council=council.name if council else m.council_id,
                meeting_id=m.id, held_on=m.held_on, fiscal_year=m.fiscal_year, seq_no=m.seq_no)

    def entry(kind, item_id, entity_id, text, context=""):
        return Entry(kind=kind, agenda_item_id=item_id,
                     agenda_item=titles.get(item_id, "") if item_id else "",
                     entity_id=entity_id, text=text, context=context, **base)

    def item_of_action(a) -> Optional[str]:
        d = lk.decisions.get(a.decision_id) if a.decision_id else None
        if d is not None and d.agenda_item_id in titles:
            return d.agenda_item_id
        f = lk.findings.get(a.gap_finding_id) if a.gap_finding_id else None
        return f.agenda_item_id if f is not None and f.agenda_item_id in titles else None

    out: list[Entry] = []
    for d in rec.decisions:
        if d.text:
            out.append(entry("決定", d.agenda_item_id, d.id, d.text))
    for f in rec.gap_findings:
        if f.description:
            out.append(entry("課題", f.agenda_item_id, f.id, f.description))
    for u in rec.finding_updates:
        if u.note:
            f = lk.findings.get(u.finding_id)
            out.append(entry("課題", None, u.finding_id, u.note, f.description if f else ""))
    for a in rec.action_items:
        if a.title:
            out.append(entry("取組", item_of_action(a), a.id, a.title))
    for p in rec.action_progress:
        if p.note:
            a = lk.actions.get(p.action_item_id)
            out.append(entry("取組", carried.get(p.action_item_id), p.action_item_id, p.note,
                             a.title if a else ""))
    for a in rec.agenda_items:
        if a.summary:
            out.append(entry("要旨", a.id, a.id, a.summary))
    for s in rec.statements:
        if s.text:
            out.append(entry("発言", s.agenda_item_id, s.id, s.text))
    return out


def _entries_between_meetings(world, lk: _Lookups) -> list[Entry]:
    """Notes on action items made between meetings (the follow-up screen's
    会議外 rows): no meeting, no agenda item; dated by the note."""
    from kyogitai_tui.domain.dates import fiscal_year

    out: list[Entry] = []
    for f in sorted(getattr(world, "action_followups", []), key=lambda f: (f.date, f.id), reverse=True):
        a = lk.actions.get(f.action_item_id)
        if not f.note or a is None or f.date is None:
            continue
        rec = world.meetings.get(a.origin_meeting_id)
        council_id = rec.council_id if rec is not None else ""
        council = world.councils.get(council_id)
        out.append(Entry(kind="取組", council_id=council_id,
                         council=council.name if council else council_id, meeting_id="",
                         held_on=f.date, fiscal_year=fiscal_year(f.date), seq_no=0,
                         agenda_item_id=None, agenda_item="", entity_id=f.action_item_id,
                         text=f.note, context=a.title))
    return out


# --------------------------------------------------------------------------
# the index
# --------------------------------------------------------------------------

_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def row_text(row: list) -> str:
    """The normalised text a stored row (``SearchIndex.to_rows``) is searched in."""
    return row[5] if row[7] is None else row[7]


class _StoredEntries(Sequence):
    """The entries of a stored index (``SearchIndex.to_rows``), each made an
    ``Entry`` only when asked for (a search shows a hundred of 30,000)."""

    def __init__(self, heads: list, titles: list, rows: list) -> None:
        self._heads, self._titles, self._rows = heads, titles, rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        head, kind, item_id, item, entity_id, text, context = self._rows[i][:7]
        council_id, council, meeting_id, held_on, fiscal_year, seq_no = self._heads[head]
        return Entry(kind=kind, council_id=council_id, council=council, meeting_id=meeting_id,
                     held_on=date.fromisoformat(held_on), fiscal_year=fiscal_year, seq_no=seq_no,
                     agenda_item_id=item_id, agenda_item=self._titles[item], entity_id=entity_id,
                     text=text, context=context)


class SearchIndex:
    """Every searchable text of a World, ranked once, normalised once."""

    def __init__(self, entries: Sequence[Entry], texts: Optional[list[str]] = None) -> None:
        self.entries = entries
        self.texts = texts if texts is not None else [normalize(e.text) for e in entries]

    def to_rows(self) -> dict:
        """The index as plain JSON values (the summary file keeps it): the
        meeting a run of entries comes from once, then one row per entry with
        its normalised text (null when the same as the text); agenda item
        titles once each.  ``from_rows`` gives the same index back."""
        heads: list[list] = []
        where: dict[tuple, int] = {}
        titles: dict[str, int] = {}
        rows = []
        for e, norm in zip(self.entries, self.texts):
            key = (e.council_id, e.council, e.meeting_id, e.held_on.isoformat(), e.fiscal_year, e.seq_no)
            if key not in where:
                where[key] = len(heads)
                heads.append(list(key))
            title = titles.setdefault(e.agenda_item, len(titles))
            rows.append([where[key], e.kind, e.agenda_item_id, title, e.entity_id, e.text, e.context,
                         None if norm == e.text else norm])
        return {"heads": heads, "titles": list(titles), "rows": rows}

    @classmethod
    def from_rows(cls, data: dict) -> "SearchIndex":
        """The index of ``to_rows``' data -- or of any subset of its rows in
        the same order holding every hit (a database returns only the rows
        whose ``row_text`` holds every term): the same hits either way."""
        rows = data["rows"]
        return cls(_StoredEntries(data["heads"], data["titles"], rows), [row_text(r) for r in rows])

    @classmethod
    def build(cls, world) -> "SearchIndex":
        lk = _Lookups.of(world)
        entries: list[Entry] = []
        for rec in reversed(list(world.meetings.values())):    # newest meeting first
            found = _entries_of_meeting(world, rec, lk)
            found.sort(key=lambda e: _KIND_RANK[e.kind])          # stable: meeting order kept
            entries.extend(found)
        between = _entries_between_meetings(world, lk)
        if between:
            entries.extend(between)
            entries.sort(key=lambda e: e.held_on, reverse=True)  # stable: same-day order kept
        return cls(entries)

    @classmethod
    def for_world(cls, world) -> "SearchIndex":
        """The index of ``world``, built on first use and kept while the
        World lives (a rebuilt World gets a new index)."""
        with _CACHE_LOCK:
            index = _CACHE.get(world)
            if index is None:
                index = cls.build(world)
                _CACHE[world] = index
            return index

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, query: str, limit: Optional[int] = 200) -> Hits:
        """Entries holding every term of ``query``, best first; at most
        ``limit`` of them (None: all), ``.total`` = how many matched."""
        terms = query_terms(query)
        if not terms:
            return Hits()
        first, *rest = sorted(terms, key=len, reverse=True)   # the longest term rules most out
        texts = self.texts
        matched = [i for i, t in enumerate(texts) if first in t]
        if rest:
            matched = [i for i in matched if all(r in texts[i] for r in rest)]
        shown = matched if limit is None else matched[:limit]
        entries = [self.entries[i] for i in shown]
        hits = [Hit(e, snippet_of(e.text, terms)) for e in entries]
        return Hits(hits, total=len(matched), terms=tuple(terms))
