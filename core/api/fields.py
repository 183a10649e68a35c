"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from rest_framework import serializers


class LabelField(serializers.CharField):
    """The translated label of a choice value, looked up in a table made once per serializer: calling the model's
    ``get_FOO_display`` per row costs a translation look-up and a signature inspection each time, the bulk of a
    100-row page."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        self._labels: dict | None = None
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        if self._labels is None:
            self._labels = {key: str(label) for key, label in self.choices}
        return self._labels.get(value, value)


PLACEHOLDER = "0PLACEHOLDER0"


def code_link(context: dict, view_name: str, code: str) -> str:
    """The absolute address of a resource named by a code, from one ``reverse()`` per request and view rather than
    one per row: a placeholder code is reversed once (kept in the serializer context) and replaced."""
    templates = context.setdefault("_link_templates", {})
    template = templates.get(view_name)
    if template is None:
        from django.urls import reverse

        path = reverse(view_name, kwargs={"code": PLACEHOLDER})
        request = context.get("request")
        template = templates[view_name] = request.build_absolute_uri(path) if request else path
    return template.replace(PLACEHOLDER, code)


class CodeLinkField(serializers.URLField):
    """The address of the row's own resource by its code (see ``code_link``)."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        kwargs["read_only"] = True
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, instance) -> str:
        return code_link(self.context, self.view_name, instance.code)
