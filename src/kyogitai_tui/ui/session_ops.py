"""Running MeetingSession operations from a screen or widget.

An operation returns the changes to save or raises SessionError with a
Japanese message; nothing is saved then, and the message is shown (as a
notice, or inside the form that is still open so nothing typed is lost).
"""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from kyogitai_tui.domain.changes import SessionError


class SessionOps:
    """Mixin; the class supplies ``apply(changes)`` (save and refresh)."""

    def apply(self, changes: list) -> None:  # pragma: no cover - supplied by the class
        raise NotImplementedError

    def try_op(self, op: Callable[[], Iterable]) -> Optional[str]:
        """Run ``op``; None when done, else the Japanese message (nothing saved)."""
        try:
            changes = list(op())
        except SessionError as exc:
            return exc.message
        self.apply(changes)
        return None

    def run(self, op: Callable[[], Iterable]) -> Optional[str]:
        """Like try_op, but a refusal is also shown as a notice."""
        problem = self.try_op(op)
        if problem:
            self.app.notify(problem, severity="error", timeout=8)
        return problem

    def run_op(self, op: Callable[[], Iterable]) -> bool:
        return self.run(op) is None

    def submitter(self, op: Callable[[dict], Iterable]) -> Callable[[dict], Optional[str]]:
        """For FormDialog: the refusal stays in the dialog, which stays open."""
        return lambda values: self.try_op(lambda: op(values))
