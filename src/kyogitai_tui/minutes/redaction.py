"""The last guard of the public minutes: no string of a finished document
may mention a resident.  The rules themselves (``Redactor``, ``PublicRules``)
live in ``kyogitai_tui.domain.privacy.redaction``, below both the minutes and
the reports."""
from __future__ import annotations

from kyogitai_tui.domain.privacy.redaction import OMITTED, Redactor
from kyogitai_tui.minutes.blocks import Heading, MinutesDoc, Para, Table, Title

__all__ = ["guard"]


# --------------------------------------------------------------------------
# the final guard
# --------------------------------------------------------------------------

def guard(doc: MinutesDoc, r: Redactor) -> None:
    """Last line of defence for the public variant: no string of the finished
    document may mention a resident."""
    hits = 0
    lines = []
    for line in doc.header_lines:
        if r.mentions(line):
            hits += 1
            line = OMITTED
        lines.append(line)
    doc.header_lines = tuple(lines)
    if r.mentions(doc.title):
        hits += 1
        doc.title = OMITTED
    for b in doc.blocks:
        if isinstance(b, Title) or isinstance(b, Para):
            if r.mentions(b.text):
                hits += 1
                b.text = OMITTED
        elif isinstance(b, Heading):
            if r.mentions(b.full_text):
                hits += 1
                if r.mentions(b.text):
                    b.text = OMITTED
                b.value = OMITTED if b.value else ""
                if r.mentions(b.full_text):   # pragma: no cover - OMITTED mentions nobody
                    b.text, b.value = OMITTED, ""
        elif isinstance(b, Table):
            if r.mentions(b.caption):
                hits += 1
                b.caption = OMITTED
            b.rows, n = r.guard_rows(b.rows, "（省略）")
            hits += n
    if r.mentions(doc.file_stem):
        doc.file_stem = "会議録_公開用"
    doc.guard_hits = hits
