"""A meeting from preparation to close.

``session.MeetingSession`` holds one meeting and every operation on it (mixed
in from ``statements`` for 発言 and 要旨, ``roll`` for attendance and
materials, ``items`` for the workspaces A01-A10 and ``outcome`` for A11, A12,
the readback and the close); ``agenda`` builds and edits the agenda from the catalog's
templates; the ``*_view`` modules say, as plain text rows, what each screen of
a meeting shows (the widgets only display them); ``minutes_state`` is the
案 → 確定 lifecycle; ``jump`` and ``network_map`` serve ctrl+p and the network
outline.

May import: world, guidebook, privacy, catalog, model, changes, dates.
"""
