"""The OpenAPI schema at /api/schema/ and the interactive docs at /api/docs/, with Swagger UI's files served from the
drf-spectacular-sidecar package (no CDN). The split view loads its start-up script from its own address, and the
page's few styles come from a static file, so the strict Content Security Policy holds on the docs page too."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = _("行政审批标准化门户 API")


api_docs_urls = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]
