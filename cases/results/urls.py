"""Published results (结果公开), mounted at ``results/``: public list and detail, the supervisor's withdrawal."""

from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.result_list, name="list"),
    path("<int:pk>/", views.result_detail, name="detail"),
    path("<int:pk>/withdraw/", views.result_withdraw, name="withdraw"),
]
