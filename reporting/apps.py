from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = gettext_lazy("统计报表")
