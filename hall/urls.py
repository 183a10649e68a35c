from django.urls import path

from . import views

app_name = "hall"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("windows/", views.windows_view, name="windows"),
    path("windows/<int:window_id>/", views.caller_view, name="caller"),
    path("windows/<int:window_id>/act/", views.act_view, name="act"),
    path("windows/<int:window_id>/accept/<int:ticket_id>/", views.accept_view, name="accept"),
    path("<int:hall_id>/kiosk/", views.kiosk_view, name="kiosk"),
    path("<int:hall_id>/kiosk/ticket/<str:key>/", views.kiosk_ticket_view, name="kiosk_ticket"),
    path("<int:hall_id>/display/", views.display_view, name="display"),
    path("<int:hall_id>/display.json", views.display_json_view, name="display_json"),
    path("<int:hall_id>/figures/", views.figures_view, name="figures"),
    path("<int:hall_id>/manage/", views.manage_view, name="manage"),
    path("<int:hall_id>/manage/windows/<int:window_id>/", views.window_edit_view, name="window_edit"),
]
