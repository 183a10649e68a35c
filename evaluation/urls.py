from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.evaluation_list_view, name="list"),
    path("rectifications/", views.rectification_list_view, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_view, name="rectification"),
    path("rectifications/<int:pk>/advance/", views.rectification_advance_view, name="rectification_advance"),
    path("rectifications/<int:pk>/appeal/", views.appeal_file_view, name="appeal_file"),
    path("appeals/", views.appeal_list_view, name="appeals"),
    path("appeals/<int:pk>/decide/", views.appeal_decide_view, name="appeal_decide"),
    path("tickets/<int:pk>/code/", views.ticket_code_view, name="ticket_code"),
]
