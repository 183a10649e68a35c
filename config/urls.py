from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views

admin.site.site_header = "行政审批标准化门户 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "基础数据"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalogue/", include("catalogue.urls")),
    path("public/", include("catalogue.public_urls")),
    path("standards/", include("standards.urls")),
    path("guides/", include("standards.public_urls")),
    path("workflow/standards/", include("workflow.standard_urls")),
    path("reviews/", include("reviews.urls")),
    path("workflow/", include("workflow.urls")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
