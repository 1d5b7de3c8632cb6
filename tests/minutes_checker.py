"""What a clerk checks before publishing a document the app wrote, as a
reusable checker: ``problems(lines)`` returns a list of Japanese-readable
problems (empty = publishable), for any text laid out one paragraph per line
(the Markdown minutes, ``MinutesDoc.texts()``, pdftotext output, an annual
report's cells).

Looked for
    * codes a citizen cannot read: 「AI-01」「D-01」「GF-05」「C1〜C3」, ids such as
      「P14」「O27」「R-001」「M-C2-01」, code values such as 「NOT_STARTED」, the
      speaker 「○SC」 and 「NW」 (「SC」 itself may stay when a 用語 line explains it)
    * a sentence said twice: under the same heading, or -- when it is long
      enough to be a statement of fact (20 characters or more) -- anywhere in
      the document (a formula such as 「課題として、次の点を確認した。」 may open
      the list under each item; 「前回会議録を…確定した。」 twice may not)
    * brackets that do not close, or a （ inside a （ (「北台商店会（民間））」)
    * a heading with nothing under it, and 「【その他の記録】」
    * table columns a published document does not carry: 読上げ, 継続, 定足数
"""
from __future__ import annotations

import re
from typing import Iterable

CODE_PATTERNS = (
    ("取組の番号", re.compile(r"(?<![A-Za-z0-9])AI-\d+")),
    ("決定の番号", re.compile(r"(?<![A-Za-z0-9])D-\d+")),
    ("課題の番号", re.compile(r"(?<![A-Za-z0-9])GF-\d+")),
    ("点検の記号", re.compile(r"(?<![A-Za-z0-9])C[1-4](?![0-9])")),
    ("データのID", re.compile(r"(?<![A-Za-z0-9])(?:P|O|R-|M-C|AG-|LS-|RB-|MIN-|NU-|FA-|AP-)\d")),
    ("コード値", re.compile(r"\b[A-Z]{2,}(?:_[A-Z]+)+\b")),
    ("略語の発言者", re.compile(r"○SC(?![A-Za-z])")),
    ("略語", re.compile(r"(?<![A-Za-z])NW(?![A-Za-z])")),
)
FORBIDDEN_COLUMNS = ("読上げ", "継続", "定足数")
_OPEN_CLOSE = {"（": "）", "(": ")", "「": "」", "『": "』", "【": "】", "〔": "〕", "［": "］"}
_CLOSERS = {v: k for k, v in _OPEN_CLOSE.items()}
_SENTENCE = re.compile(r"[^。]+。")


def code_problems(line: str, glossary: str = "") -> list[str]:
    out = []
    for what, pattern in CODE_PATTERNS:
        for m in pattern.finditer(line):
            out.append(f"{what}「{m.group(0)}」が残っている：{line[:60]}")
    if re.search(r"(?<![A-Za-z])SC(?![A-Za-z])", line) and "SC" not in glossary:
        out.append(f"略語「SC」に用語の説明がない：{line[:60]}")
    return out


def bracket_problems(line: str) -> list[str]:
    stack: list[str] = []
    for ch in line:
        if ch in _OPEN_CLOSE:
            if ch in "（(" and any(o in "（(" for o in stack):
                return [f"括弧の中に括弧がある：{line[:60]}"]
            stack.append(ch)
        elif ch in _CLOSERS:
            if not stack or stack[-1] != _CLOSERS[ch]:
                return [f"括弧が閉じていない：{line[:60]}"]
            stack.pop()
    return [f"括弧が閉じていない：{line[:60]}"] if stack else []


def _body(line: str) -> str:
    """A Markdown line as the reader sees it."""
    line = re.sub(r"^#+\s*|^>\s*|^\*\*|\*\*$", "", line.strip())
    return re.sub(r"</?div[^>]*>", "", line).strip("　 ")


def _is_table(line: str) -> bool:
    return line.lstrip().startswith("|")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def _has_inline_value(line: str) -> bool:
    """「## 1　日　時　令和7年…」 carries its value; 「## 7　議　題」 does not.
    Labels are spaced one character at a time (日　時), a value is longer."""
    parts = line.strip()[3:].split("　")
    return len(parts) >= 3 and len(parts[-1]) > 1


def heading_problems(lines: list[str]) -> list[str]:
    """A heading (## / ###, or a group label 【…】) must have something under
    it before the next heading of the same or a higher level."""
    out = []

    def level(line: str) -> int:
        s = line.strip()
        if s.startswith("## "):
            return 1
        if re.match(r"^【[^】]+】$", _body(s)) and not s.startswith(">") and not s.startswith("**"):
            return 2
        if s.startswith("### "):
            return 3
        return 0

    content = [ln for ln in lines if ln.strip()]
    for i, line in enumerate(content):
        lv = level(line)
        if not lv:
            continue
        if "【その他の記録】" in line:
            out.append("見出し「【その他の記録】」が残っている")
        if lv == 1 and _has_inline_value(line):
            continue
        has_body = False
        for nxt in content[i + 1:]:
            nl = level(nxt)
            if nl and nl <= lv:
                break
            if nl == 0 and _body(nxt) and _body(nxt) != "以上":
                has_body = True
                break
            if nl > lv:
                has_body = True      # a group label / subheading: checked on its own
                break
        if not has_body:
            out.append(f"見出しの下に何もない：{_body(line)}")
    return out


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[、。・\s　（）「」0-9０-９]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _similar(a: str, b: str) -> bool:
    """Two of the app's sentences that say the same thing in other words
    (「前回会議録（案）は、次のとおり訂正のうえ確定した。」 / 「前回会議録を1か所訂正のうえ確定した。」)."""
    x, y = _bigrams(a), _bigrams(b)
    return bool(x and y) and len(x & y) / min(len(x), len(y)) >= 0.6


def problems(lines: Iterable[str], *, markdown: bool = True) -> list[str]:
    """Everything a clerk would still fix in ``lines`` (one paragraph per line)."""
    lines = list(lines)
    glossary = " ".join(ln for ln in lines if "用語" in ln)
    out: list[str] = []
    seen: dict[str, tuple[int, int]] = {}
    section = 0
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.startswith("#") or re.match(r"^【[^】]+】$", _body(line)) or not markdown:
            section = n      # without Markdown headings each paragraph is its own place
        if _is_table(line):
            cells = _cells(line)
            if set(cells) <= {"---", ""}:
                continue
            texts = cells
            if n + 1 <= len(lines) and lines[n:n + 1] and set(_cells(lines[n])) <= {"---", ""}:
                for col in FORBIDDEN_COLUMNS:
                    if col in cells:
                        out.append(f"公開文書に不要な列「{col}」がある")
        else:
            texts = [_body(line)]
        for text in texts:
            out += code_problems(text, glossary)
            out += bracket_problems(text)
            if _is_table(line):
                continue       # a neutral cell (「個別の事例に関する事項」) may repeat by row
            for sentence in _SENTENCE.findall(text):
                key = re.sub(r"^[・\s　①-⑳]+", "", sentence).strip()
                if len(key) < 6:
                    continue
                where = seen.get(key)
                if where is not None and (where[1] == section or len(key) >= 20):
                    out.append(f"同じ文が2回ある（{where[0]}行目と{n}行目）：{key[:40]}")
                    continue
                seen[key] = (n, section)
                if text.startswith("○") or len(key) < 10:
                    continue       # what people said is theirs; only the app's own lines are compared
                for other, (m, sec) in list(seen.items()):
                    if sec == section and other != key and m != n and _similar(key, other):
                        out.append(f"同じことを2回書いている（{m}行目と{n}行目）：{other[:30]}／{key[:30]}")
    if markdown:
        out += heading_problems(lines)
    return out
