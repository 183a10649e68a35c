from django.urls import path

from . import views

# Included by ``reporting.urls`` under /reporting/scorecards/, in the ``reporting`` namespace.
urlpatterns = [
    path("", views.scorecard_list, name="scorecards"),
    path("new/", views.scorecard_create, name="scorecard_create"),
    path("<int:pk>/", views.scorecard_detail, name="scorecard"),
    path("<int:pk>/edit/", views.scorecard_edit, name="scorecard_edit"),
    path("<int:pk>/compute/", views.scorecard_compute, name="scorecard_compute"),
    path("<int:pk>/freeze/", views.scorecard_freeze, name="scorecard_freeze"),
    path("<int:pk>/units/<int:result_id>/", views.scorecard_unit, name="scorecard_unit"),
    path("<int:pk>/bulletin/", views.scorecard_bulletin, name="scorecard_bulletin"),
]
