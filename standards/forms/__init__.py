"""Forms of the standard editor: one form for the guide's scalar elements, one for the manual's, and an inline
formset per kind of row. They check the shape of input; content rules are the quality checks' job."""

from .fields import MultiChoiceJSONField
from .rows import ROW_FORMSETS, RowForm, RowFormSet
from .scalars import GuideForm, ManualForm
from .sections import SECTIONS
from .start import StartForm

__all__ = [
    "ROW_FORMSETS",
    "SECTIONS",
    "GuideForm",
    "ManualForm",
    "MultiChoiceJSONField",
    "RowForm",
    "RowFormSet",
    "StartForm",
]
