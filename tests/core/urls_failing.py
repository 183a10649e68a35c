"""The project's URLs plus a page that fails, to see which 500 page people get."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [*project_urlpatterns, path("broken/", broken)]
