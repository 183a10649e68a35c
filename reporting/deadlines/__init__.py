"""Progress against the milestones of a work plan (domain decision 7): which units are behind, and by how much.

The plans and milestones are recorded in the workflow (``workflow.deadlines``); the items are counted by
``reporting.rates``, like every other figure, so the work-progress page, the overdue bulletin and the report sheets
agree.
"""
