"""The standards compendium (标准文本汇编) and the acceptance file (验收): print-ready Word documents and pages.

A compendium gathers the published standards of a county, a department or a hand-picked list — cover, table of
contents, each item's service guide and business manual with its flowchart — built item by item (``builder``), in a
background job when it is large (``services``, ``reporting.tasks.build_compendium``). The acceptance file
(``acceptance``) is the county's summary report: work plan and milestones, the figures at the close, evidence lists.
"""
