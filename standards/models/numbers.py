"""Number fields with the range a person may sensibly type: a copy count of 99,999,999,999 or a time limit of a
million days is a slip, and the editor says so at the field instead of storing it.

The range is checked wherever the model is validated (every editor form, the offline workbook, which goes through
the same forms, the admin) and given to the form's number input as ``min``/``max``. It is a rule of input, not of
the schema, so migrations see the plain Django field: changing a range needs no migration.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# The ranges the editor's number fields use.
COPIES = (0, 99)  # copies of a material
LIMIT_DAYS = (0, 3650)  # time limits: ten years in days
VISITS = (0, 10)  # visits to the office
DELIVERY_DAYS = (0, 365)  # working days to deliver a decision
SCORE = (0, 100)  # points of a supervision check, out of 100


class _Bounded:
    def __init__(self, *args, bounds: tuple[int, int], **kwargs):
        self.min_value, self.max_value = bounds
        kwargs["validators"] = [
            *kwargs.get("validators", ()),
            MinValueValidator(self.min_value),
            MaxValueValidator(self.max_value),
        ]
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"min_value": self.min_value, "max_value": self.max_value, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, f"django.db.models.{self.schema_class.__name__}", args, kwargs

    def clone(self):
        _name, _path, args, kwargs = self.deconstruct()
        return self.__class__(*args, bounds=(self.min_value, self.max_value), **kwargs)


class BoundedPositiveIntegerField(_Bounded, models.PositiveIntegerField):
    schema_class = models.PositiveIntegerField


class BoundedPositiveSmallIntegerField(_Bounded, models.PositiveSmallIntegerField):
    schema_class = models.PositiveSmallIntegerField
