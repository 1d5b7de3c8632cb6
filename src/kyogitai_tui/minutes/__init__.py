"""minutes layer: the 会議録 in Word (.docx) and Markdown, 公開用 and 内部記録.

    from kyogitai_tui.minutes import build_minutes, export_minutes, export_both
    export_minutes(world, "M-C2-02", "PUBLIC", "docx", "会議録.docx", today=today)

``content.build_minutes`` is the one place where residents are redacted;
``docx_writer`` and ``markdown`` only lay out its blocks.  No Textual here.
"""
from ..domain.minutes_state import MinutesState, minutes_state
from .content import VARIANT_LABELS, VARIANTS, MinutesError, Redactor, build_minutes
from .export import (
    FORMATS, ExportError, export_both, export_minutes, render_bytes, resolve_meeting,
    suggested_filename,
)

__all__ = [
    "VARIANTS", "VARIANT_LABELS", "FORMATS", "MinutesError", "ExportError", "MinutesState",
    "Redactor", "build_minutes", "export_minutes", "export_both", "render_bytes",
    "resolve_meeting", "suggested_filename", "minutes_state",
]
