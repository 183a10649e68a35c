"""A system sending case events signs each request with its own token: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from cases.external import system_for_token
from cases.models import ExternalSystem

KEYWORD = "Bearer"


class ExternalSystemAuthentication(BaseAuthentication):
    """The request's ``auth`` is the ``ExternalSystem``; there is no user. A missing header leaves the request
    unauthenticated (401 from the permission); a malformed header, an unknown token or an inactive system is 401."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式应为 Authorization: Bearer <令牌>"))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌无效")) from None
        system = system_for_token(token)
        if system is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或所属系统已停用"))
        return AnonymousUser(), system

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="case-events"'


class IsExternalSystem(BasePermission):
    message = gettext_lazy("须以外部办件系统的令牌访问")

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ExternalSystem)


class ExternalSystemScheme(OpenApiAuthenticationExtension):
    target_class = "cases.api.authentication.ExternalSystemAuthentication"
    name = "caseSystemToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("外部办件系统的令牌（由管理员以 issue_case_token 签发，只显示一次）"),
        }
