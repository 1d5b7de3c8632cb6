"""Between meetings: the action items of every council.

``rows`` builds and filters the follow-up list; ``ops`` records changes made
between meetings (status, owner, due date, handover, skip) as new rows, never
overwriting; ``overview`` is what the home screen shows per council.

May import: world, catalog, model, changes, dates.
"""
