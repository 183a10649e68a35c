from django.urls import path

from reviews import views

app_name = "flow"

urlpatterns = [
    path("<int:pk>/", views.standard_story, name="story"),
    path("<int:pk>/act/", views.standard_act, name="act"),
    path("<int:pk>/submit/", views.editor_submit, name="submit"),
]
