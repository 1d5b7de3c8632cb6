"""Helpers shared by the Pilot tests: what is on screen, as text."""
from __future__ import annotations

import unicodedata

from textual.widgets import OptionList


def screen_text(app) -> str:
    """Every line the current screen draws."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


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
