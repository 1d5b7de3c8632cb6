"""minutes layer: the 会議録 in Word (.docx) and Markdown, 公開用 and 内部記録.

    from kyogitai_tui.minutes import build_minutes, export_minutes, export_both
    export_minutes(world, "M-C2-02", "PUBLIC", "docx", "会議録.docx", today=today)

``content.build_minutes`` is the one place where residents are redacted;
``docx_writer`` and ``markdown`` only lay out its blocks.  No Textual here.
"""
import importlib

# Loaded on first use (PEP 562): importing one part of minutes/ must not load
# the Word writer (the app and the shell commands start faster without it).
_WHERE = {
    "MinutesState": "..domain.minutes_state", "minutes_state": "..domain.minutes_state",
    "VARIANT_LABELS": ".content", "VARIANTS": ".content", "MinutesError": ".content",
    "Redactor": ".content", "build_minutes": ".content",
    "FORMATS": ".export", "ExportError": ".export", "export_both": ".export", "export_minutes": ".export",
    "render_bytes": ".export", "resolve_meeting": ".export", "suggested_filename": ".export",
}

__all__ = [
    "VARIANTS", "VARIANT_LABELS", "FORMATS", "MinutesError", "ExportError", "MinutesState",
    "Redactor", "build_minutes", "export_minutes", "export_both", "render_bytes",
    "resolve_meeting", "suggested_filename", "minutes_state",
]


def __getattr__(name: str):
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
