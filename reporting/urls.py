from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/<str:code>/", views.dashboard, name="division"),
    path("compute/", views.compute, name="compute"),
    path("tasks/<str:task_id>/", views.task_status, name="task_status"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("reports/<int:pk>/send/", views.report_send, name="report_send"),
    path("reports/<int:pk>/restart/", views.report_restart, name="report_restart"),
]
