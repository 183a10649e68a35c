"""Public guide addresses, mounted at ``guides/``: one stable address per implementation code."""

from django.urls import path

from standards.views import files, public

app_name = "guides"

urlpatterns = [
    path("files/<str:model>/<int:pk>/<str:field>/", files.download, name="file"),
    path("<str:code>/", public.guide, name="guide"),
    path("<str:code>/manual/", public.manual, name="manual"),
]
