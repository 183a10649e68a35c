from django.urls import path

from standards.views import editor

app_name = "standards"

urlpatterns = [
    path("", editor.standard_list, name="list"),
    path("items/<int:item_pk>/start/", editor.standard_start_view, name="start"),
    path("<int:pk>/", editor.standard_detail, name="detail"),
    path("<int:pk>/edit/", editor.standard_edit, name="edit"),
    path("<int:pk>/diff/", editor.standard_diff, name="diff"),
]
