from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("export.xlsx", views.queue_export, name="queue_export"),
    path("bulk-pass/", views.bulk_pass_view, name="bulk_pass"),
    path("tasks/<int:pk>/", views.task_view, name="task"),
    path("tasks/<int:pk>/claim/", views.claim_view, name="claim"),
    path("tasks/<int:pk>/decide/", views.decide_view, name="decide"),
]
