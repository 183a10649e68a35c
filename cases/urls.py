from django.urls import path

from . import views
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
    path("notices/<str:number>/", views.notice_view, name="notice"),
    path("<str:number>/", views.case_detail_view, name="detail"),
    path("<str:number>/personal/", views.personal_data_view, name="personal"),
]
