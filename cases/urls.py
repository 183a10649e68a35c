from django.urls import path

from . import views
from .inspection import rectification_views as rect
from .inspection import views as insp
from .views import supervision

app_name = "cases"

urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("accept/", views.accept_view, name="accept"),
    path("extensions/", views.extension_queue_view, name="extensions"),
    # Electronic supervision (电子监察): the supervisor view and the 督办 pages (before the case numbers below).
    path("supervision/", supervision.supervision_view, name="supervision"),
    path("supervision/oversight/<int:pk>/", supervision.oversight_view, name="oversight"),
    path("supervision/oversight/<int:pk>/reply/", supervision.oversight_reply_view, name="oversight_reply"),
    path("supervision/oversight/<int:pk>/close/", supervision.oversight_close_view, name="oversight_close"),
    path("supervision/oversight/<int:pk>/send-back/", supervision.oversight_send_back_view, name="oversight_send_back"),
    # Sampling inspections (抽查) and their rectifications (整改).
    path("inspections/", insp.inspection_list_view, name="inspections"),
    path("inspections/new/", insp.inspection_new_view, name="inspection_new"),
    path("inspections/<int:pk>/", insp.inspection_view, name="inspection"),
    path("inspections/<int:pk>/draw/", insp.inspection_draw_view, name="inspection_draw"),
    path("inspections/<int:pk>/patrol/", insp.inspection_patrol_view, name="inspection_patrol"),
    path("inspections/<int:pk>/finish/", insp.inspection_finish_view, name="inspection_finish"),
    path("inspections/<int:pk>/report/", insp.inspection_report_view, name="inspection_report"),
    path("inspections/<int:pk>/export.xlsx", insp.inspection_export_view, name="inspection_export"),
    path("inspections/cases/<int:pk>/", insp.sampled_score_view, name="inspection_score"),
    path("inspections/cases/<int:pk>/rectify/", insp.sampled_rectify_view, name="inspection_rectify"),
    path("inspections/rectifications/", rect.rectification_list_view, name="inspection_rectifications"),
    path("inspections/rectifications/<int:pk>/", rect.rectification_view, name="inspection_rectification"),
    path(
        "inspections/rectifications/<int:pk>/reply/",
        rect.rectification_reply_view,
        name="inspection_rectification_reply",
    ),
    path(
        "inspections/rectifications/<int:pk>/close/",
        rect.rectification_close_view,
        name="inspection_rectification_close",
    ),
    path(
        "inspections/rectifications/<int:pk>/return/",
        rect.rectification_return_view,
        name="inspection_rectification_return",
    ),
    path("notices/<str:number>/", views.notice_view, name="notice"),
    path("<str:number>/", views.case_detail_view, name="detail"),
    path("<str:number>/personal/", views.personal_data_view, name="personal"),
]
