"""Helpers shared by the Pilot tests: what is on screen, as text."""
from __future__ import annotations

import html
import re
import unicodedata

from rich.cells import cell_len
from textual.geometry import Region
from textual.widgets import Input, OptionList

# One run of text in the SVG that App.export_screenshot writes (Rich's
# export_svg): x in cells of 12.2 px, the line in the clip path's id.
_SVG_TEXT = re.compile(r'<text class="[^"]*-r\d+" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                       r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>', re.S)
_CELL_PX = 12.2


def screen_cells(app) -> list[list[str]]:
    """What the terminal shows, one list of cells per line (a wide character
    fills its first cell, the second is ""): the whole screen painted fresh,
    dialogs over their screen, read from ``App.export_screenshot`` (public
    API: the SVG a person could open)."""
    width, height = app.size
    return svg_cells(app.export_screenshot(), width, height)


def svg_text(svg: str, width: int, height: int) -> str:
    """The text of an SVG screenshot, one line per terminal line."""
    return "\n".join("".join(row) for row in svg_cells(svg, width, height))


def svg_cells(svg: str, width: int, height: int) -> list[list[str]]:
    rows = [[" "] * width for _ in range(height)]
    for x, line, text in _SVG_TEXT.findall(svg):
        text = html.unescape(text).replace("\xa0", " ")
        if text == "\n":
            continue
        col, row = round(float(x) / _CELL_PX), rows[int(line)]
        for ch in text:
            wide = cell_len(ch)
            if col + wide > width:
                break
            row[col] = ch
            if wide == 2:
                row[col + 1] = ""
            col += wide
    return rows


def screen_text(app) -> str:
    """Every line the screen draws."""
    return "\n".join("".join(row) for row in screen_cells(app))


def region_text(app, region: Region) -> str:
    """What is drawn inside ``region`` (a widget's ``region``)."""
    rows = screen_cells(app)[region.y:region.y + region.height]
    return "\n".join("".join(row[region.x:region.x + region.width]) for row in rows)


def assert_unambiguous(app, where: str) -> str:
    """No East Asian Ambiguous character is drawn (a Japanese terminal may draw
    them two cells wide and break the layout); returns the screen text."""
    text = screen_text(app)
    bad = sorted({ch for ch in text if unicodedata.east_asian_width(ch) == "A"})
    assert not bad, f"{where}: East Asian Ambiguous characters on screen: {bad!r}\n{text}"
    return text


def option_texts(ol: OptionList) -> list[str]:
    """The text of each option (indented rows are a rich Group)."""
    out = []
    for i in range(ol.option_count):
        prompt = ol.get_option_at_index(i).prompt
        if hasattr(prompt, "renderables"):
            out.append("\n".join(str(getattr(r, "renderable", r)) for r in prompt.renderables))
        else:
            out.append(str(prompt))
    return out


async def type_statement(pilot, app, text: str) -> None:
    """Type a line into the live screen's statement box and press Enter."""
    box = app.screen.query_one("#statement-input", Input)
    box.focus()
    box.value = text
    await pilot.press("enter")
    await pilot.pause()
