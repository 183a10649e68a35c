"""The work-progress page's address; ``config.urls`` mounts it in the ``workflow`` namespace (``workflow:milestones``),
where the page has always been."""

from django.urls import path

from . import views

urlpatterns = [
    path("milestones/", views.milestones, name="milestones"),
]
