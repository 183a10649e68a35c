from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("export.xlsx", views.queue_export, name="queue_export"),
    path("bulk-pass/", views.bulk_pass_view, name="bulk_pass"),
    path("publish/", views.publication_queue, name="publication_queue"),
    path("publish/bulk/", views.publish_bulk_view, name="publish_bulk"),
    path("publish/<int:pk>/", views.publish_view, name="publish"),
    path("tasks/<int:pk>/", views.task_view, name="task"),
    path("tasks/<int:pk>/claim/", views.claim_view, name="claim"),
    path("tasks/<int:pk>/decide/", views.decide_view, name="decide"),
]
