"""The reviewers' pages (queue, review screen) and the story page of a standard, where its workflow is taken."""

from .story import standard_act, standard_story
from .tasks import bulk_pass_view, claim_view, decide_view, queue_export, queue_view, task_view

__all__ = [
    "bulk_pass_view",
    "claim_view",
    "decide_view",
    "queue_export",
    "queue_view",
    "standard_act",
    "standard_story",
    "task_view",
]
