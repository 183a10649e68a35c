"""Every state change of the review workflow: the transitions of a version with their review tasks, and what a
reviewer does with a task."""

from .tasks import (
    Skipped,
    bulk_pass_obstacle,
    review_bulk_pass,
    review_task_claim,
    review_task_decide,
    review_task_release,
)
from .transitions import CommentInput, standard_transition, standards_withdraw

__all__ = [
    "CommentInput",
    "Skipped",
    "bulk_pass_obstacle",
    "review_bulk_pass",
    "review_task_claim",
    "review_task_decide",
    "review_task_release",
    "standard_transition",
    "standards_withdraw",
]
