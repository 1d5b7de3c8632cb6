"""Redaction of residents in the minutes: what each variant may show.

``content.build_minutes(world, meeting_id, variant)`` returns a
``blocks.MinutesDoc`` following the layout in docs/DOMAIN.md (The minutes); the Word and
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
    ``sensitive`` raises).  Nor can the INTERNAL variant say it by placement
    (``PublicRules.hidden_here``, ``Redactor.clean(sensitive_place=)``,
    ``without_topics``): under an other-system item (障がい, 生活困窮, 子育て,
    認知症 -- every agenda template with a linked system) no statement,
    finding, sentence or decision reference names or is linked to a
    resident; a decision about a resident whose partner is such a system
    names 「他制度の相談機関」, not the system; a sentence naming a resident
    and a 要配慮 topic (障がい, 認知症, 困窮, 生活保護, 子育て, 後見 ...), and
    such a sentence in text linked to or placed under a resident, is left
    out; a resident's need of such a kind reads 「他制度の支援」.

Public redaction rules (docs/DOMAIN.md, Privacy rules)
    * A resident is "mentioned" by a text when its normalised copy
      (``normalize_with_map``: NFKC -- half/full width, circled letters --;
      format and invisible characters removed -- category Cf, U+200B..U+200F,
      U+2060.., soft hyphen, variation selectors and other combining marks
      except the kana voicing marks --; every space, hyphen and dash
      (U+2010.., U+2212, U+2043 ⁃, U+FE63, U+2E3A/B, ー), slash and dot read
      as one separator; case folded; katakana read as hiragana) matches one
      of the resident's patterns: the label; a one-letter label's letter
      with any honorific (さん・様・さま・氏・くん・君・ちゃん・殿 ..., so also
      サン, ｻﾝ, サマ, クン, チャン), read aloud (エー/エイさん, ビーさん ...),
      after a person word (利用者A, 対象者A, 本人A, 利用者エー ...); a code
      with any separator or none and with or without leading zeros (R-001,
      R001, R/001, R⁃001, R-1, Ｒ－００１; not 「R1年」).  Matching is on the
      normalised copy; an index map leads every match back to the text as
      typed, so what is kept stays as typed (the internal variant replaces
      only the code's own characters by the label).  The patterns err on the
      safe side: 「JAさん」 or 「おにいさん」 may cost a sentence when A or E
      is a label.
    * A remark about a resident's consent (「まずは同意の取得が先です」,
      「同意はまだいただいていません」) is dropped like a mention: it tells
      a reader a case exists and lacks a consent.
    * Nothing is said under an item of what was left out there (no 「※個人に
      関わる発言…省略した」, no 「個別の事例に関する課題がn件あった」, no
      reference to a decision about a resident): section 12 says once, in
      every 公開用, that personal matters are not recorded.
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
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.privacy.normalize import SENTENCE_RE as _SENTENCE_RE, normalize
from kyogitai_tui.domain.privacy.patterns import (
    code_patterns, find_mentions, label_patterns, letter_patterns, mentions_consent, mentions_sensitive_topic,
)


__all__ = [
    "Redactor", "PublicRules", "OMITTED", "NEUTRAL_DECISION", "NEUTRAL_ACTION",
    "NEUTRAL_TARGET", "AGGREGATE_LINE", "AGGREGATE_LINE_NO_COUNT", "PRIVATE_ITEM_LINE",
    "OTHER_SYSTEM_TARGET", "OTHER_SYSTEM_SUPPORT",
]

# what the public variant writes in place of what it leaves out
OMITTED = "（個人に関わる記載のため省略）"
NEUTRAL_DECISION = "個別の事例に関する事項（公開用では内容を省略）"
NEUTRAL_ACTION = "個別の事例に関する取組（公開用では内容を省略）"
NEUTRAL_TARGET = "個別の事例"
AGGREGATE_LINE = "個別ネットワークの状況について、事例（計{n}件）をもとに報告があった。"
AGGREGATE_LINE_NO_COUNT = "個別ネットワークの状況について報告があった。"
PRIVATE_ITEM_LINE = "非公開の議題のため、要旨の記載を省略する。"
OTHER_SYSTEM_TARGET = "他制度の相談機関"   # 内部記録: a resident's decision never names the system
OTHER_SYSTEM_SUPPORT = "他制度の支援"      # 内部記録: a resident's need of a 要配慮 kind (子育て支援, 後見)

class Redactor:
    """Knows every resident's code and label; the only code that decides
    whether a text mentions a resident."""

    def __init__(self, subjects: Iterable[Any], public: bool):
        self.public = public
        sources: list[str] = []
        letters: set[str] = set()
        self._code_subs: list[tuple[re.Pattern, str]] = []
        for s in subjects:
            code = getattr(s, "code", "") or ""
            label = getattr(s, "label", "") or ""
            sources.extend(label_patterns(label, letters))
            codes: list[str] = []
            for c in dict.fromkeys((code, getattr(s, "id", "") or "")):
                codes.extend(code_patterns(c))
            codes.sort(key=len, reverse=True)    # R-100 before an id 「S1」 inside it
            sources.extend(codes)
            if codes and label:
                self._code_subs.append((re.compile("|".join(codes)), label))
        sources.extend(letter_patterns(letters))
        uniq = sorted(set(sources), key=len, reverse=True)
        self._re = re.compile("|".join(f"(?:{p})" for p in uniq)) if uniq else None

    def mentions(self, text: Optional[str]) -> bool:
        if not text or self._re is None:
            return False
        return self._re.search(normalize(text)) is not None

    def spans(self, text: Optional[str]) -> list[tuple[int, int]]:
        """Where ``text`` (as typed) names a resident."""
        return find_mentions(self._re, text)

    def codes_to_labels(self, text: str) -> str:
        """Every typed code replaced by its label; the rest kept as typed."""
        for pat, label in self._code_subs:
            spans = find_mentions(pat, text)
            for a, b in reversed(spans):
                text = text[:a] + label + text[b:]
        return text

    def clean(self, text: Optional[str], sensitive_place: bool = False) -> str:
        """Free text for this variant.  Public drops what mentions a resident
        (by sentence; a phrase list by 「、」 part) and every remark about a
        consent.  Internal turns codes into labels and drops a sentence that
        names a resident next to a 要配慮 topic (障がい, 認知症, 困窮, 子育て
        ...), or anywhere when ``sensitive_place`` (text under an other-system
        item).  May return ""."""
        text = (text or "").strip()
        if not text:
            return ""
        if not self.public:
            if self.mentions(text) and (sensitive_place or mentions_sensitive_topic(text)):
                text = "".join(s for s in _SENTENCE_RE.split(text)
                               if s and not (self.mentions(s) and (sensitive_place or mentions_sensitive_topic(s))))
                text = text.strip()
            return self.codes_to_labels(text)

        def bad(part: str) -> bool:
            return self.mentions(part) or mentions_consent(part)

        if not bad(text):
            return text
        sentences = [s for s in _SENTENCE_RE.split(text) if s]
        if len(sentences) == 1 and "。" not in text:
            parts = [p for p in text.split("、") if p and not bad(p)]
            out = "、".join(parts).strip()
        else:
            out = "".join(s for s in sentences if not bad(s)).strip()
        if not out or bad(out):
            return ""
        return out

    def without_topics(self, text: str) -> str:
        """Text about one resident (placed under them, or linked to them) with
        every sentence naming a 要配慮 topic left out."""
        if not mentions_sensitive_topic(text):
            return text
        return "".join(s for s in _SENTENCE_RE.split(text) if s and not mentions_sensitive_topic(s)).strip()

    def field(self, text: Optional[str], neutral: str = OMITTED) -> str:
        """A text that must stay one piece (a title, a cell): public replaces it
        by ``neutral`` when it mentions a resident."""
        text = (text or "").strip()
        if self.public:
            return neutral if self.mentions(text) else text
        return self.clean(text)

    def guard_rows(self, rows: Iterable[Iterable[str]], neutral: str) -> tuple[list[tuple], int]:
        """The last guard over a table: every cell that still mentions a
        resident becomes ``neutral``.  Returns (rows, how many were replaced)."""
        hits = 0
        out = []
        for row in rows:
            cells = []
            for c in row:
                if self.mentions(c):
                    hits += 1
                    c = neutral
                cells.append(c)
            out.append(tuple(cells))
        return out, hits


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
    cat: Any
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

    # ---- other-system items: where a resident must never stand ----------
    def sensitive_item(self, item: Any) -> bool:
        """An agenda item of an other system (障がい, 生活困窮, 子育て, 認知症:
        every template with a linked system)."""
        if item is None or not getattr(item, "template", None):
            return False
        codes = getattr(self, "_linked_templates", None)
        if codes is None:
            codes = {t.code for t in getattr(getattr(self, "cat", None), "agenda_templates", ()) if t.linked_system}
            self._linked_templates = codes
        return item.template in codes

    def names_resident(self, subject_ids: Any, *texts: Any) -> bool:
        return bool(subject_ids) or any(self.r.mentions(t) for t in texts)

    def hidden_here(self, item: Any, subject_ids: Any, *texts: Any) -> bool:
        """Both variants: a record that names or is linked to a resident is
        left out under an other-system item (its place would tell which
        system the resident is involved with)."""
        return self.sensitive_item(item) and self.names_resident(subject_ids, *texts)

    def decision_sensitive(self, d: Any) -> bool:
        """A decision about a resident whose partner is an other system, or
        made under an other-system item."""
        if d is None or not self.names_resident(d.subject_ids, d.text, d.target_text):
            return False
        systems = (d.extra or {}).get("linked_systems") or ([d.linked_system] if d.linked_system else [])
        item = getattr(self, "item_by_id", {}).get(d.agenda_item_id or "")
        return bool(systems) or self.sensitive_item(item)

    def _material_visible(self, mt: Any) -> bool:
        if not self.public:
            return True
        return not mt.internal_only and not self.r.mentions(mt.title) and not self.r.mentions(mt.label)
