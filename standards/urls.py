from django.urls import path

from standards.views import editor, offline

app_name = "standards"

urlpatterns = [
    path("", editor.standard_list, name="list"),
    path("items/<int:item_pk>/start/", editor.standard_start_view, name="start"),
    path("<int:pk>/", editor.standard_detail, name="detail"),
    path("<int:pk>/edit/", editor.standard_edit, name="edit"),
    path("<int:pk>/diff/", editor.standard_diff, name="diff"),
    path("offline/", offline.offline_home, name="offline"),
    path("offline/workbook/", offline.offline_workbook, name="offline_workbook"),
    path("offline/upload/", offline.offline_upload, name="offline_upload"),
    path("offline/preview/<str:token>/", offline.offline_preview, name="offline_preview"),
    path("offline/apply/<str:token>/", offline.offline_apply, name="offline_apply"),
]
