from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "审批标准"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
