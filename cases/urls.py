from django.urls import path

from .views import supervision

app_name = "cases"

urlpatterns = []

# Electronic supervision (电子监察): the supervisor view and the 督办 pages.
urlpatterns += [
    path("supervision/", supervision.supervision_view, name="supervision"),
    path("supervision/oversight/<int:pk>/", supervision.oversight_view, name="oversight"),
    path("supervision/oversight/<int:pk>/reply/", supervision.oversight_reply_view, name="oversight_reply"),
    path("supervision/oversight/<int:pk>/close/", supervision.oversight_close_view, name="oversight_close"),
    path("supervision/oversight/<int:pk>/send-back/", supervision.oversight_send_back_view, name="oversight_send_back"),
]
