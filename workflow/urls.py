from django.urls import path

from workflow import deadline_views

app_name = "workflow"

urlpatterns = [
    path("milestones/", deadline_views.milestones, name="milestones"),
]
