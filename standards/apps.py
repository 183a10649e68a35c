from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = gettext_lazy("审批标准")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)

        _export_guide_columns()


def _export_guide_columns() -> None:
    """The catalogue browser's Excel export shows, for each item, how far its standard has come."""
    from django.utils.translation import gettext_lazy as _

    from catalogue.exports import ExtraColumns, add_local_columns
    from core.xlsx import Column

    from .models import StandardState
    from .selectors import with_guide_state

    states = {"": _("未编写"), **dict(StandardState.choices)}
    add_local_columns(
        ExtraColumns(
            annotate=with_guide_state,
            columns=(
                Column(_("审批标准状态"), "guide_state", width=14, labels=states),
                Column(_("已发布版本"), "guide_version", width=10, kind="number"),
            ),
        )
    )
