"""The project's URLs plus the public guide URLs, until ``config/urls.py`` mounts them itself."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

already_mounted = any(getattr(p, "namespace", None) == "guides" for p in project_urlpatterns)

urlpatterns = [*project_urlpatterns]
if not already_mounted:
    urlpatterns.append(path("guides/", include("standards.public_urls")))
