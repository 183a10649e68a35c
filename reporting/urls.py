from django.urls import include, path

from reporting import views
from reporting.case_figures import views as case_views
from reporting.compendium import views as compendium_views
from reporting.evaluation_figures import views as evaluation_views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/<str:code>/", views.dashboard, name="division"),
    path("cases/", case_views.case_figures, name="case_figures"),
    path("cases/<str:code>/", case_views.case_figures, name="case_figures_division"),
    path(
        "cases/departments/<int:organization_id>/", case_views.case_figures_department, name="case_figures_department"
    ),
    path("evaluations/", evaluation_views.evaluation_figures, name="evaluation_figures"),
    path("evaluations/<str:code>/", evaluation_views.evaluation_figures, name="evaluation_figures_division"),
    path(
        "evaluations/departments/<int:organization_id>/",
        evaluation_views.evaluation_figures_department,
        name="evaluation_figures_department",
    ),
    path("evaluations/<str:code>/export/", evaluation_views.evaluation_export, name="evaluation_export"),
    path("compute/", views.compute, name="compute"),
    path("tasks/<str:task_id>/", views.task_status, name="task_status"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("reports/<int:pk>/send/", views.report_send, name="report_send"),
    path("reports/<int:pk>/restart/", views.report_restart, name="report_restart"),
    path("compendium/", compendium_views.compendium_list, name="compendium"),
    path("compendium/<int:pk>/status/", compendium_views.compendium_status, name="compendium_status"),
    path("compendium/<int:pk>/download/", compendium_views.compendium_download, name="compendium_download"),
    path("compendium/<int:pk>/print/", compendium_views.compendium_print, name="compendium_print"),
    path("compendium/<int:pk>/restart/", compendium_views.compendium_restart, name="compendium_restart"),
    path("acceptance/<str:code>/", compendium_views.acceptance, name="acceptance"),
    path("acceptance/<str:code>/word/", compendium_views.acceptance_word, name="acceptance_word"),
    path("scorecards/", include("reporting.scorecards.urls")),
]
