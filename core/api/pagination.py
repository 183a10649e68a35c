"""Cursor pagination for the big lists: a page is one indexed range query (``code > last``) whatever its depth, so a
client can walk 150,000 items and the last page costs what the first does. No ``COUNT(*)`` of the table either."""

from __future__ import annotations

import re
from base64 import b64decode
from urllib import parse

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination

from .filtering import EMPTY_MESSAGE


class PortalCursorPagination(CursorPagination):
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    page_size_query_description = gettext_lazy("每页条数（1–500，默认 50）")
    cursor_query_description = gettext_lazy("分页游标：取自上一页的 next / previous 链接，不要自己构造")
    ordering = "code"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("每页条数须为 1 至 %(max)d 的整数") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def unknown_cursor(self) -> exceptions.NotFound:
        """The schema knows a cursor only as a non-empty string, so one this API did not make is a well-formed
        request for a page that does not exist: 404 naming the parameter, as DRF itself answers."""
        return exceptions.NotFound(
            {self.cursor_query_param: [_("分页游标无效，请使用上一页返回的 next / previous 链接")]}
        )

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded == "":
            raise exceptions.ValidationError({self.cursor_query_param: [str(EMPTY_MESSAGE)]})
        if encoded is not None:
            # DRF reads anything that decodes as the first page; a cursor it made always says where it points.
            try:
                tokens = parse.parse_qs(b64decode(encoded.encode("ascii")).decode("ascii"), keep_blank_values=True)
            except (TypeError, ValueError):
                raise self.unknown_cursor() from None
            if not tokens.keys() & {"o", "r", "p"}:
                raise self.unknown_cursor()
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise self.unknown_cursor() from None

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor decodes to a position of the ordering field; a forged one may not fit the field's type.
        try:
            return super().paginate_queryset(queryset, request, view)
        except DjangoValidationError:
            raise self.unknown_cursor() from None

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"]["minLength"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_paginated_response_schema(self, schema: dict) -> dict:
        body = super().get_paginated_response_schema(schema)
        body["required"] = ["next", "previous", "results"]
        return body
