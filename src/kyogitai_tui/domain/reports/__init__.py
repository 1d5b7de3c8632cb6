"""Looking back across meetings: ``search`` (every statement, finding, decision
and action), ``ledger`` (地域課題台帳: each finding's life) and ``annual``
(年度報告).  Residents never reach a report: ``annual`` uses privacy.redaction.

May import: followup, world, privacy, catalog, model, dates.
"""
