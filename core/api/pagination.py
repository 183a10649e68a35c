"""Cursor pagination for the big lists: a page is one indexed range query (``code > last``) whatever its depth, so a
client can walk 150,000 items and the last page costs what the first does. No ``COUNT(*)`` of the table either."""

from __future__ import annotations

from base64 import b64decode
from urllib import parse

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class PortalCursorPagination(CursorPagination):
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    page_size_query_description = gettext_lazy("每页条数（1–500，默认 50）")
    cursor_query_description = gettext_lazy("分页游标：取自上一页的 next / previous 链接，不要自己构造")
    ordering = "code"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("每页条数须为 1 至 %(max)d 的整数") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def decode_cursor(self, request):
        invalid = exceptions.ValidationError(
            {self.cursor_query_param: [_("分页游标无效，请使用上一页返回的 next / previous 链接")]}
        )
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is not None:
            # DRF reads anything that decodes as the first page; a cursor it made always says where it points.
            try:
                tokens = parse.parse_qs(b64decode(encoded.encode("ascii")).decode("ascii"), keep_blank_values=True)
            except (TypeError, ValueError):
                raise invalid from None
            if not tokens.keys() & {"o", "r", "p"}:
                raise invalid
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise invalid from None

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor decodes to a position of the ordering field; a forged one may not fit the field's type.
        try:
            return super().paginate_queryset(queryset, request, view)
        except DjangoValidationError:
            raise exceptions.ValidationError({self.cursor_query_param: [_("分页游标无效")]}) from None

    def get_paginated_response_schema(self, schema: dict) -> dict:
        body = super().get_paginated_response_schema(schema)
        body["required"] = ["next", "previous", "results"]
        return body
