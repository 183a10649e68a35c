from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "审查任务"

    def ready(self) -> None:
        from catalogue.models import LocalItem
        from catalogue.signals import local_items_cancelled
        from standards import annotations
        from workflow import selectors as workflow_selectors
        from workflow.services import on_transition

        from . import lifecycle, notices, selectors

        # Tasks follow every committed transition (following twice changes nothing); the inbox follows the tasks.
        on_transition(lifecycle.follow_transition)
        on_transition(notices.follow_transition)
        # A returned version shows the reasons beside its fields in the editor.
        annotations.register(selectors.return_notes)
        # The story page shows each version's review rounds; decisions are taken on the review screen (with reasons).
        workflow_selectors.add_story_part(selectors.story_rounds)
        workflow_selectors.take_decisions_on(selectors.decision_page)
        local_items_cancelled.connect(_close_cancelled, sender=LocalItem, dispatch_uid="reviews_close_on_cancel")


def _close_cancelled(sender, *, local_item_ids, **kwargs) -> None:
    """A cancelled item's standards are withdrawn (standards.signals): their open review tasks end with them."""
    from .lifecycle import close_for_items

    close_for_items(local_item_ids)
