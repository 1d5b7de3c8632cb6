"""Redaction of residents in the minutes: what each variant may show.

``content.build_minutes(world, meeting_id, variant)`` returns a
``blocks.MinutesDoc`` following ``domain/minutes-layout.md``; the Word and
Markdown writers only lay it out.  **This module holds the redaction of
residents** -- ``Redactor`` for any text, ``PublicRules`` for whole records,
``minutes.redaction.guard`` over the finished document -- and the section builders
(``sections_*``) apply the rules below through it, so both formats carry the
same content and the same redaction.

Variants
    PUBLIC (公開用)    no resident in any form: no label, code, age band,
                       household, area or network of a person.
    INTERNAL (内部記録) residents only as 「Aさん（80代・女性・独居）」 (structured
                       places) or as the label the coordinator typed; a typed
                       code (R-001) becomes the label.
    Neither variant ever reads ``World.sensitive`` (要配慮個人情報): the
    builder does not touch it (a test builds from a World whose
    ``sensitive`` raises).

Public redaction rules (model.md 5.4, minutes-layout.md)
    * A resident is "mentioned" by a text when, after NFKC, case folding and
      removing spaces, dashes and underscores, it contains a subject's code
      or label (also the label's letter with さん/様/さま/氏/ちゃん/くん/君).
      Codes and labels shorter than 2 characters after that are ignored.
    * Statements linked to subjects (``subject_ids``), statements of an
      individual-network item (template A03) and statements that mention a
      resident are dropped; an item that lost some says so in a note.
    * An A03 item becomes one line: 「個別ネットワークの状況について、事例（計n件）
      をもとに報告があった。」 where n counts the distinct subjects the
      meeting linked to that item (statements, findings, decisions, network
      and need updates).
    * Materials flagged ``internal_only`` (or titled with a resident) are
      left out of 配布資料 and of 「資料nに基づき」; labels keep their numbers.
    * Decisions linked to subjects, targeting an individual network, of type
      PROMOTE_INDIVIDUAL, or whose text mentions a resident keep their row
      (No., 区分, 担当, 定足数, 確認) but the content becomes the neutral
      「個別の事例に関する事項（公開用では内容を省略）」 and the target 「個別の事例」.
      Action items of such decisions, of a private finding, or whose text
      mentions a resident are treated the same way (owner, due date and status
      stay: they name members, not residents).  An action linked only to a
      need item keeps its (generic) title.
    * Findings of kind INDIVIDUAL_NOT_FORMED, or whose description mentions
      a resident, are counted in one line; other findings are area-level and
      are shown (without their subject link).
    * Any other free text (summaries, notes, evidence, topics, corrections,
      venue, titles …): sentences that mention a resident are removed (a
      phrase list without 「。」 loses only the 「、」-separated parts that do);
      if nothing is left the text is omitted or replaced by
      「（個人に関わる記載のため省略）」.
    * Last, a guard walks every string of the finished document and replaces
      any that still mentions a resident (``MinutesDoc.guard_hits`` counts
      them; the demo keeps it at zero).

No Textual here.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable, Optional


__all__ = [
    "Redactor", "PublicRules", "OMITTED", "NEUTRAL_DECISION", "NEUTRAL_ACTION",
    "NEUTRAL_TARGET", "AGGREGATE_LINE", "AGGREGATE_LINE_NO_COUNT", "DROPPED_NOTE", "PRIVATE_ITEM_LINE",
]

# what the public variant writes in place of what it leaves out
OMITTED = "（個人に関わる記載のため省略）"
NEUTRAL_DECISION = "個別の事例に関する事項（公開用では内容を省略）"
NEUTRAL_ACTION = "個別の事例に関する取組（公開用では内容を省略）"
NEUTRAL_TARGET = "個別の事例"
AGGREGATE_LINE = "個別ネットワークの状況について、事例（計{n}件）をもとに報告があった。"
AGGREGATE_LINE_NO_COUNT = "個別ネットワークの状況について報告があった。"
DROPPED_NOTE = "※個人に関わる発言・記載は、公開用では省略した。"
PRIVATE_ITEM_LINE = "非公開の議題のため、要旨の記載を省略する。"

_HONORIFICS = ("さん", "様", "さま", "氏", "ちゃん", "くん", "君")


# --------------------------------------------------------------------------
# mention matching
# --------------------------------------------------------------------------

_STRIP = dict.fromkeys(map(ord, " \t\r\n\u3000_-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\uff70"), None)
_SENTENCE_RE = re.compile(r"(?<=[。！？!?\n])")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_STRIP)


def _fullwidth(ch: str) -> str:
    o = ord(ch)
    return chr(o + 0xFEE0) if 0x21 <= o <= 0x7E else ch


def _code_pattern(code: str) -> Optional[re.Pattern]:
    """A regex for a code as typed: ASCII or full-width, any case, any dash."""
    parts = []
    for ch in code:
        if ch in _DASHES:
            parts.append(f"[{re.escape(_DASHES)}]?")
        elif ch.isascii() and ch.isalnum():
            alts = {ch, ch.lower(), ch.upper(), _fullwidth(ch), _fullwidth(ch.lower()), _fullwidth(ch.upper())}
            parts.append("[" + "".join(re.escape(a) for a in sorted(alts)) + "]")
        elif ch.isspace():
            parts.append(r"\s*")
        else:
            parts.append(re.escape(ch))
    if not parts:
        return None
    return re.compile(r"(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])" + "".join(parts) + r"(?![0-9０-９])")


class Redactor:
    """Knows every resident's code and label; the only code that decides
    whether a text mentions a resident."""

    def __init__(self, subjects: Iterable[Any], public: bool):
        self.public = public
        tokens: set[str] = set()
        self._code_subs: list[tuple[re.Pattern, str]] = []
        for s in subjects:
            code = getattr(s, "code", "") or ""
            label = getattr(s, "label", "") or ""
            for t in (code, label, getattr(s, "id", "") or ""):
                n = _norm(t)
                if len(n) >= 2:
                    tokens.add(n)
            base = label
            for h in _HONORIFICS:
                if label.endswith(h) and len(label) > len(h):
                    base = label[: -len(h)]
                    break
            if base != label:
                for h in _HONORIFICS:
                    n = _norm(base + h)
                    if len(n) >= 2:
                        tokens.add(n)
            if code and label:
                pat = _code_pattern(code)
                if pat is not None:
                    self._code_subs.append((pat, label))
        self._tokens = tokens
        self._re = (re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))
                    if tokens else None)

    def mentions(self, text: Optional[str]) -> bool:
        if not text or self._re is None:
            return False
        return self._re.search(_norm(text)) is not None

    def clean(self, text: Optional[str]) -> str:
        """Free text for this variant: public drops what mentions a resident
        (by sentence; a phrase list by 「、」 part), internal turns codes into
        labels.  May return ""."""
        text = (text or "").strip()
        if not text:
            return ""
        if not self.public:
            for pat, label in self._code_subs:
                text = pat.sub(label, text)
            return text
        if not self.mentions(text):
            return text
        sentences = [s for s in _SENTENCE_RE.split(text) if s]
        if len(sentences) == 1 and "。" not in text:
            parts = [p for p in text.split("、") if p and not self.mentions(p)]
            out = "、".join(parts).strip()
        else:
            out = "".join(s for s in sentences if not self.mentions(s)).strip()
        if not out or self.mentions(out):
            return ""
        return out

    def field(self, text: Optional[str], neutral: str = OMITTED) -> str:
        """A text that must stay one piece (a title, a cell): public replaces it
        by ``neutral`` when it mentions a resident."""
        text = (text or "").strip()
        if self.public:
            return neutral if self.mentions(text) else text
        return self.clean(text)


# --------------------------------------------------------------------------
# public rules for whole records
# --------------------------------------------------------------------------

class PublicRules:
    """Which records the public variant treats as individual.  Mixed into the
    minutes builder (``content_base.BuilderBase``), which provides the World
    ``w``, the variant's Redactor ``r``, ``public`` and every meeting's
    decisions and findings by id.  The predicates other than
    ``_material_visible`` are asked only for the public variant."""

    w: Any
    r: Redactor
    public: bool
    _all_decisions: dict
    _all_findings: dict

    def decision_private(self, d: Any) -> bool:
        if d is None:
            return False
        return bool(d.subject_ids) or d.type == "PROMOTE_INDIVIDUAL" \
            or (d.target_network_id or "") in self.w.individual_networks \
            or self.r.mentions(d.text) or self.r.mentions(d.target_text)

    def finding_private(self, f: Any) -> bool:
        if f is None:
            return False
        return f.kind == "INDIVIDUAL_NOT_FORMED" or self.r.mentions(f.description) \
            or (f.network_id or "") in self.w.individual_networks

    def action_private(self, a: Any) -> bool:
        return self.decision_private(self._all_decisions.get(a.decision_id or "")) \
            or self.finding_private(self._all_findings.get(a.gap_finding_id or "")) \
            or self.r.mentions(a.title) or self.r.mentions(a.owner_text)

    def statement_private(self, s: Any, item: Any) -> bool:
        """A statement linked to a resident, made under the individual-network
        item (A03), or mentioning a resident (also in its department)."""
        return bool(s.subject_ids) or item.template == "A03" or self.r.mentions(s.text) \
            or self.r.mentions(s.department)

    def _material_visible(self, mt: Any) -> bool:
        if not self.public:
            return True
        return not mt.internal_only and not self.r.mentions(mt.title) and not self.r.mentions(mt.label)
