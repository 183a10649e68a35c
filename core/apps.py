from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        # Connect the audit receivers, and those that drop the cached working-day overrides when one changes.
        from core import signals, workdays  # noqa: F401
