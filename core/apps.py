from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("公共")

    def ready(self) -> None:
        # Connect the audit receivers, and those that drop the cached working-day overrides when one changes.
        from core import checks, signals, workdays  # noqa: F401
