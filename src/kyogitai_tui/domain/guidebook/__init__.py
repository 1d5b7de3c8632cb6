"""The guidebook's checks and rules.

``gaps`` runs the gap checks C1-C4 over networks and areas; ``guidance`` gives
the cautions G1-G7 where they apply; ``rules`` holds responsible tier and
quorum.  The catalog (data/catalog) is the single list of checks and prompts.

May import: catalog, model, dates.
"""
