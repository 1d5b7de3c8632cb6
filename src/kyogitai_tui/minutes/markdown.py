"""Markdown writer for the minutes: the same blocks as the Word file, so the
same content and the same redaction (content.py decides both).

Layout: header lines as a quote at the top (「取扱注意（個人情報を含む）」 on the
internal variant), the title as ``#``, numbered headings as ``##`` / ``###``,
indented body lines as plain paragraphs (full-width spaces keep the
indentation visible), statements as paragraphs, tables as pipe tables
(``|`` in a cell escaped).  One block is one line, so a line-by-line check
sees exactly what a reader sees.
"""
from __future__ import annotations

from pathlib import Path
from typing import IO, Union

from kyogitai_tui.minutes.blocks import Heading, MinutesDoc, Para, Table, Title

__all__ = ["render_markdown", "write_markdown"]

_INDENT = "　"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _escape_line(text: str) -> str:
    """Keep a body line from turning into Markdown syntax."""
    if text[:1] in "#>-+*|" or text[:2].rstrip(".").isdigit() and text[1:2] == ".":
        return "\\" + text
    return text


def render_markdown(minutes: MinutesDoc) -> str:
    out: list[str] = []
    for line in minutes.header_lines:
        out.append(f"> {line}")
        out.append("")
    for b in minutes.blocks:
        if isinstance(b, Title):
            out.append(f"# {b.text}")
            out.append("")
        elif isinstance(b, Heading):
            out.append(f"{'##' if b.level <= 1 else '###'} {b.full_text}")
            out.append("")
        elif isinstance(b, Para):
            if b.kind == "right":
                out.append(f"<div align=\"right\">{b.text}</div>")
            elif b.kind == "warning":
                out.append(f"**{b.text}**")
            elif b.kind == "note":
                out.append(f"{_INDENT * 2}{b.text}")
            else:
                indent = _INDENT * max(b.indent - 1, 0)
                out.append(f"{indent}{_escape_line(b.text)}")
            out.append("")
        elif isinstance(b, Table):
            if b.caption:
                out.append(b.caption)
                out.append("")
            out.append("| " + " | ".join(_cell(c) for c in b.columns) + " |")
            right = [i < len(b.align) and b.align[i] == "right" for i in range(len(b.columns))]
            out.append("|" + "|".join("---:" if r else "---" for r in right) + "|")
            for row in b.rows:
                out.append("| " + " | ".join(_cell(c) for c in row) + " |")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def write_markdown(minutes: MinutesDoc, target: Union[str, Path, IO[bytes]]) -> None:
    data = render_markdown(minutes).encode("utf-8")
    if hasattr(target, "write"):
        target.write(data)  # type: ignore[union-attr]
    else:
        Path(target).write_bytes(data)
