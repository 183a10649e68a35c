"""The OpenAPI schema class: every operation documents the error answers the API can give, with their one body
(``core.api.errors.ErrorSerializer``), and conditional GETs document their 304."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema

from .errors import ErrorSerializer

ERROR_CODES = {
    "400": _("请求参数有误（过滤条件、编码、日期或分页游标格式不对）"),
    "401": _("令牌无效或需要登录"),
    "403": _("没有权限"),
    "404": _("不存在或无权查看"),
    "406": _("不支持所请求的响应格式"),
    "429": _("请求过于频繁（匿名访问限流）"),
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_CODES.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = str(description)
                responses[code] = response
        if self.method == "GET" and getattr(self.view, "conditional", False):
            responses.setdefault(
                "304", {"description": gettext("未修改（If-None-Match / If-Modified-Since 与当前版本一致）")}
            )
        return responses


def require_non_empty_parameters(result: dict, generator, request, public) -> dict:
    """Postprocessing hook: an empty query value is refused (``core.api.filtering``), so no string parameter of the
    schema admits one. Enums and patterns exclude it already; the rest get ``minLength: 1``."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("minLength", 1)
    return result
