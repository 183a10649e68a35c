"""Work plans and their milestones: the records (``models``) and their administration (``admin``).

Progress against a milestone is counted with the other figures, in ``reporting.deadlines``; only what is recorded by
hand (plans, milestones, filings) lives here, in the workflow's tables.
"""
