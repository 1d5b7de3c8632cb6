"""The consent gate: may a resident's information be shared with a linked
system's partner?  ``can_share_subject`` answers with a Japanese reason.

Information about a resident may be shared with the partners of a linked
system only while a ConsentRecord exists with ``obtained_on`` set (on or
before the day asked about) and not withdrawn.  When the record has a
``scope`` list and a partner is named, the partner must be in it.  A
subject whose ``consent_status`` is WITHDRAWN while no record carries a
``withdrawn_on`` date is blocked on every day (the register records the
date; older data may only have the status).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

from kyogitai_tui.domain.model import ConsentRecord

__all__ = ["can_share_subject"]


def _consent_records(world_or_records: Any) -> list[ConsentRecord]:
    records = getattr(world_or_records, "consent_records", world_or_records)
    if isinstance(records, dict):
        records = records.values()
    return list(records or [])


def can_share_subject(world_or_records: Any, subject_id: str, *,
                      on: Optional[date] = None,
                      partner: Optional[str] = None) -> tuple[bool, str]:
    """(allowed, Japanese reason) for sharing a resident's information with a
    linked-system partner (``partner``: an org id or linked-system code)."""
    records = [r for r in _consent_records(world_or_records) if r.subject_id == subject_id]
    subject = (getattr(world_or_records, "subjects", None) or {}).get(subject_id) \
        if isinstance(getattr(world_or_records, "subjects", None), dict) else None
    if (subject is not None and subject.consent_status == "WITHDRAWN"
            and not any(r.withdrawn_on is not None for r in records)):
        # withdrawn without a date on the records: withdrawn as of now, whatever the day
        return False, "同意が撤回されているため、連携先と情報を共有できません。"
    if not records:
        return False, "本人・家族の同意が記録されていないため、連携先と情報を共有できません。"
    valid = [
        r for r in records
        if r.obtained_on is not None and (on is None or r.obtained_on <= on)
        and (r.withdrawn_on is None or (on is not None and on < r.withdrawn_on))
    ]
    if not valid:
        if any(r.withdrawn_on is not None for r in records):
            return False, "同意が撤回されているため、連携先と情報を共有できません。"
        return False, "同意の取得日が記録されていないため、連携先と情報を共有できません。"
    if partner is not None:
        in_scope = [r for r in valid if not r.scope or partner in r.scope]
        if not in_scope:
            return False, "同意の範囲にこの連携先が含まれていないため、情報を共有できません。"
        valid = in_scope
    latest = max(valid, key=lambda r: r.obtained_on)
    return True, f"{latest.obtained_on.isoformat()}に同意を取得済みです。"


