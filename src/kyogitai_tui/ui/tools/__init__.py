"""The app's tools outside a meeting: follow-up of action items, search,
the 地域課題台帳, the 年度報告 and the registers of the municipality's data.

Each tool is a module ``kyogitai_tui.ui.tools.<name>`` with ``open(app)``
(push its screen). The home screen binds the keys listed here and its
ctrl+p menu lists the titles; ``open_tool`` imports the module only when it
is used, so start-up stays light.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    name: str      # module name under kyogitai_tui.ui.tools
    key: str       # the home screen's key
    short: str     # footer label
    title: str     # menu text
    help: str      # what it does (F1 help, menu)
    footer: bool = True   # in the home footer (False: F1 help and the ctrl+p menu only, for 80 columns)


TOOLS: tuple[Tool, ...] = (
    Tool("followup", "f2", "取組", "取組の追跡（全協議体の宿題）",
         "すべての協議体の取組を、期限超過を先に一覧します"),
    Tool("search", "f3", "検索", "会議の記録を検索",
         "すべての会議の発言・課題・決定・取組を検索します"),
    Tool("ledger", "f4", "台帳", "地域課題台帳",
         "課題ごとに、出された会議・決定・取組・解決までを一覧します"),
    Tool("report", "f6", "年度報告", "年度報告",
         "協議体の年度ごとの活動を集計し、Word・CSV に書き出します"),
    Tool("registry", "f7", "登録", "登録データ（団体・人・協議体・ネットワーク）",
         "市の団体・人・協議体・ネットワーク・対象者を登録・修正します"),
    Tool("watch", "f8", "見守り", "形骸化の見守り（会合のないネットワーク・見直し日・決定のない課題）",
         "会議と会議のあいだに、形骸化の兆しとどこで対応するかを一覧します", footer=False),
)


def open_tool(app, name: str) -> None:
    """Open a tool's screen (tests/test_bindings.py: every tool has its module)."""
    importlib.import_module(f"{__name__}.{name}").open(app)
