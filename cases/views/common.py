"""What the case pages share: putting a service's refusal at the right field, and a POSTed form put to a service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from core.exceptions import TransitionNotAllowed


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


def form_action(
    request: HttpRequest, form: forms.Form, form_name: str, call, done: str, *, render_page, back: HttpResponse
) -> HttpResponse:
    """A POSTed form put to a service (``call(cleaned_data)``): refused input goes back to the page (400) with the
    messages at the fields, a refused transition is said as a warning, success as a message; then ``back``.
    ``render_page(status, **forms)`` draws the page again with the form under ``form_name``."""
    if not form.is_valid():
        messages.error(request, _("有内容需要填写，请查看标红的字段"))
        return render_page(400, **{form_name: form})
    try:
        call(form.cleaned_data)
    except TransitionNotAllowed as exc:
        messages.warning(request, exc.message)
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc) or _("没有权限")) from exc
    except ValidationError as exc:
        errors_into(form, exc)
        return render_page(400, **{form_name: form})
    else:
        messages.success(request, done)
    return back


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
