from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import views as core_views
from core.api.docs import api_docs_urls
from portal import views as portal_views
from reporting.deadlines import urls as deadline_urls

# Each app keeps its REST API in its own ``api`` package; all of them answer under /api/v1/ in one namespace.
api_v1 = [
    path("", include("catalogue.api.urls")),
    path("", include("standards.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("evaluation.api.urls")),
]

# The work-progress page is counted in reporting (above the workflow) but keeps its workflow address and name.
workflow_pages = (deadline_urls.urlpatterns, "workflow")


admin.site.site_header = _("行政审批标准化门户 · 系统管理")
admin.site.site_title = _("系统管理")
admin.site.index_title = _("基础数据")

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("inbox/", core_views.inbox_view, name="inbox"),
    path("inbox/<int:pk>/", core_views.inbox_open, name="inbox_open"),
    path("inbox/read-all/", core_views.inbox_read_all, name="inbox_read_all"),
    path("exports/<int:pk>/", core_views.export_job_view, name="export_job"),
    path("exports/<int:pk>/status/", core_views.export_job_status, name="export_job_status"),
    path("exports/<int:pk>/download/", core_views.export_job_download, name="export_job_download"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", core_views.favicon),
    path("catalogue/", include("catalogue.urls")),
    path("public/", include("catalogue.public_urls")),
    path("standards/", include("standards.urls")),
    path("guides/", include("standards.public_urls")),
    path("workflow/standards/", include("reviews.story_urls")),
    path("reviews/", include("reviews.urls")),
    path("workflow/", include(workflow_pages)),
    path("reporting/", include("reporting.urls")),
    path("cases/", include("cases.urls")),
    path("progress/", include("cases.public_urls")),
    path("results/", include("cases.results.urls")),
    path("hall/bookings/", include("hall.booking_urls")),
    path("hall/consultations/", include("hall.consultation_urls")),
    path("hall/", include("hall.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("evaluate/", include("evaluation.public_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/", include(api_docs_urls)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
