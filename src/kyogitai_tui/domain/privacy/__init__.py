"""Who may be named where -- the one home of the privacy rules, below both the
minutes and the reports.

``normalize`` and ``patterns`` find a resident however the label or code was
typed; ``redaction`` decides what the public and internal variants may show;
``consent`` is the sharing gate;
``reidentification`` warns where age band, household and a small place could
single someone out; ``identifying`` flags free text that does so, with a
stable id and a reason, and records the coordinator's confirmations.

May import: model, changes (and nothing that could show a resident).
"""
