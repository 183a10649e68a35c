from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("审批标准")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (an item list's guide fields fill the drafts in the same import)
