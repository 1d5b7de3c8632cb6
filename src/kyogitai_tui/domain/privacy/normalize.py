"""Text as a resident's label is matched: a normalised copy of what was typed
(NFKC, invisible and format characters gone, every dash and separator read as
one, kana folded, case folded) with a map from each normalised character back
to the typed text, so that what is kept stays exactly as typed.  The rules
themselves are listed in redaction.py's docstring and RELIABILITY.md §6a."""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Optional

__all__ = ["normalize", "normalize_with_map", "SEP", "SENTENCE_RE"]


# --------------------------------------------------------------------------
# normalisation: match on a normalised copy, map every match back
# --------------------------------------------------------------------------

# Removed before matching: format characters (category Cf: U+200B..U+200F,
# U+2060..U+2064, U+FEFF, soft hyphen U+00AD ...), combining marks other than
# the kana voicing marks (variation selectors, U+034F ...), other control
# characters, and the Hangul fillers that render as nothing.
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Read as one separator ("-"): every space, every hyphen and dash (category
# Pd, minus signs, U+2043 ⁃, U+FE63, U+2E3A/B, the long-vowel marks), slashes,
# dots and middle dots, underscores.  Runs collapse to one.
_SEPARATORS = frozenset(
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\u30fc\uff70"
    "\u2500\u2501\u23af\u2574\u2576\u02d7\u058a\u05be\u1806\u2053"
    "/\\\uff0f\uff3c\u2215\u2044.\uff0e\u3002\u30fb\uff65\u00b7\u2027\u2022\u2219_\uff3f")
SEP = "-"
SENTENCE_RE = re.compile(r"(?<=[。！？!?\n])")
_VOICING = frozenset("\u3099\u309a")


def _is_invisible(ch: str) -> bool:
    if ch in _INVISIBLE_EXTRA:
        return True
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return True
    if cat in ("Mn", "Me") and ch not in _VOICING:
        return True
    return cat == "Cc" and ch not in "\t\n\r"


def _fold(ch: str) -> str:
    """One (already NFKC) character: case-folded, katakana as hiragana."""
    o = ord(ch)
    if 0x30A1 <= o <= 0x30F6:
        return chr(o - 0x60)
    return ch.casefold()


@functools.lru_cache(maxsize=None)
def _char(ch: str) -> str:
    """What one typed character becomes: "" (invisible), SEP, or its NFKC
    form case-folded with katakana as hiragana (kana voicing marks kept, to
    be composed with the character before)."""
    if ch.isspace() or ch in _SEPARATORS:
        return SEP
    if _is_invisible(ch):
        return ""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if c in _VOICING:
            out.append(c)
        elif _is_invisible(c):
            continue
        elif c.isspace() or c in _SEPARATORS:
            out.append(SEP)
        else:
            out.append(_fold(c))
    return "".join(out)


def normalize_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` as the matcher reads it, with where each character came from:
    ``(norm, starts, ends)``; ``norm[i]`` stems from ``text[starts[i]:ends[i]]``.

    NFKC (full/half width, ①, ㍻ ...), invisible characters removed,
    separators (spaces, every dash, slashes, dots) as one ``-``, case folded,
    katakana as hiragana."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text or ""):
        r = _char(ch)
        if not r:
            if ends:
                ends[-1] = i + 1
            continue
        for c in r:
            if c in _VOICING:            # ｶﾞ: composed with the kana before
                if out:
                    out[-1] = unicodedata.normalize("NFC", out[-1] + c)
                    ends[-1] = i + 1
                continue
            if c == SEP and out and out[-1] == SEP:
                ends[-1] = i + 1
                continue
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    return "".join(out), starts, ends


@functools.lru_cache(maxsize=8192)
def _normalize_cached(text: str) -> str:
    return normalize_with_map(text)[0]


def normalize(text: Optional[str]) -> str:
    """The normalised copy alone (see :func:`normalize_with_map`)."""
    return _normalize_cached(text or "")
