from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("审查任务")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the one receiver: cancelled items withdraw their standards)
