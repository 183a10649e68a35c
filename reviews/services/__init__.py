"""Every state change of the review workflow: the transitions of a version with their review tasks, what a
reviewer does with a task, and publishing approved versions."""

from .publication import SkippedVersion, standard_publish_approved, standards_publish_bulk
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
    "SkippedVersion",
    "bulk_pass_obstacle",
    "review_bulk_pass",
    "review_task_claim",
    "review_task_decide",
    "review_task_release",
    "standard_publish_approved",
    "standard_transition",
    "standards_publish_bulk",
    "standards_withdraw",
]
