"""The reviewers' pages (queue, review screen), the publisher's (待发布), the editor's submission and the story page of
a standard, where its workflow is taken."""

from .publication import publication_queue, publish_bulk_view, publish_view
from .story import standard_act, standard_story
from .submit import editor_submit
from .tasks import bulk_pass_view, claim_view, decide_view, queue_export, queue_view, task_view

__all__ = [
    "bulk_pass_view",
    "claim_view",
    "decide_view",
    "editor_submit",
    "publication_queue",
    "publish_bulk_view",
    "publish_view",
    "queue_export",
    "queue_view",
    "standard_act",
    "standard_story",
    "task_view",
]
