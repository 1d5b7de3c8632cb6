"""The municipality's registers (F7 登録データ and CSV import/export).

``specs`` is the single description of each kind (its fields, list columns
and CSV columns); ``values`` turns typed-in or CSV text into typed values with
Japanese messages; ``edit`` adds, edits, retires and reactivates; ``members``
handles members of councils and networks, needs and consent; ``csv_read`` and
``csv_io`` read and write Excel's CSV; ``ids`` hands out new ids; ``base``
holds what they all share.  Every operation returns ``Change`` lists.

May import: world, privacy, catalog, model, changes, dates.
"""
