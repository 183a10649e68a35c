"""What every repeated element of a standard has: its standard, a uid kept across versions, a position."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardRow(models.Model):
    """A repeated element of a standard. ``uid`` stays the same when a version is copied into the next, so the diff
    can tell a changed or moved row from a removed and added one."""

    standard = models.ForeignKey("standards.ItemStandard", on_delete=models.CASCADE)
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(_("顺序"), default=0)

    # Fields the diff and the copy skip.
    technical_fields = ("id", "standard", "uid", "position")

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.row_label()

    def row_label(self) -> str:
        return str(getattr(self, "name", "") or getattr(self, "question", "") or getattr(self, "point", "") or "")
