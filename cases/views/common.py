"""What the case pages share: putting a service's refusal at the right field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError


def errors_into(form: forms.Form, exc: ValidationError, *, fields: dict[str, str] | None = None) -> None:
    """Show a service's ``ValidationError`` on the form: at the field it names (``fields`` maps a service argument
    to the form's field when they differ), or above the form."""
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            target = fields.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@dataclass
class Action:
    """One thing the user may do next on a page of actions (a case, a consultation): its form and the service call
    it makes."""

    name: str
    title: str
    form: forms.Form
    run: Callable[[forms.Form], object]
    button: str
    style: str = "btn-primary"
