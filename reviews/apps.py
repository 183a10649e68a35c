from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "审查任务"

    def ready(self) -> None:
        from catalogue.models import LocalItem
        from catalogue.signals import local_items_cancelled
        from workflow.services import on_transition

        from . import lifecycle

        # Tasks follow every committed transition (following twice changes nothing).
        on_transition(lifecycle.follow_transition)
        local_items_cancelled.connect(_close_cancelled, sender=LocalItem, dispatch_uid="reviews_close_on_cancel")


def _close_cancelled(sender, *, local_item_ids, **kwargs) -> None:
    """A cancelled item's standards are withdrawn (standards.signals): their open review tasks end with them."""
    from .lifecycle import close_for_items

    close_for_items(local_item_ids)
