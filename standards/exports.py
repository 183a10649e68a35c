"""The standards' columns in the catalogue's implementation-list export: how far each item's standard has come.

Named in the settings (``CATALOGUE_LOCAL_EXPORT_EXTRAS``): the catalogue below cannot import the standards.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from catalogue.exports import ExtraColumns
from core.xlsx import Column

from .models import StandardState
from .selectors import with_guide_state

GUIDE_STATE_COLUMNS = ExtraColumns(
    annotate=with_guide_state,
    columns=(
        Column(_("审批标准状态"), "guide_state", width=14, labels={"": _("未编写"), **dict(StandardState.choices)}),
        Column(_("已发布版本"), "guide_version", width=10, kind="number"),
    ),
)
