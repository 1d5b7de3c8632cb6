"""kyogitai-tui: 協議体の会議を進行するターミナルアプリ。"""

__version__ = "0.1.0"
