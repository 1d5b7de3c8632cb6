"""The domain: what a 協議体 records and the rules the guidebook gives, with no
I/O, no Textual and no Word.  Everything here works on plain typed records and
returns values or ``changes.Change`` lists; the store writes, the UI shows.

Rooms (each a sub-package; a room imports only the rooms below it, checked by
tests/test_import_contracts.py):

    meeting/    a meeting being prepared, held and closed: the session, agenda,
                roll call, and what each screen of a meeting shows
    reports/    looking back over many meetings: search, 地域課題台帳, 年度報告
    registry/   the municipality's registers (F7): forms, members, CSV
    followup/   action items between meetings, and the home screen's overview
    guidebook/  the guidebook's checks: gap checks C1-C4, prompts G1-G7, quorum
    world/      ``World``: the typed state of one dataset, folded across meetings
    privacy/    who may be named where: redaction, consent, re-identification
    catalog/    the seed code lists loaded from data/catalog
    model/      one dataclass per concept, to and from the JSON documents
    changes.py  ``Change`` and ``SessionError``: what every operation returns
    dates.py    和暦, 年度, 第n回, times as minutes write them
    csvfile.py  CSV as Excel opens it: BOM, CRLF, no cell run as a formula
    demo.py     the demo municipality (fictional) and its scaled variant

Never imported from here: kyogitai_tui.minutes, .ui, .commands, .cli, .store,
textual, rich, docx.
"""
