from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("accept/", views.accept_view, name="accept"),
    path("extensions/", views.extension_queue_view, name="extensions"),
    path("notices/<str:number>/", views.notice_view, name="notice"),
    path("<str:number>/", views.case_detail_view, name="detail"),
    path("<str:number>/personal/", views.personal_data_view, name="personal"),
]
