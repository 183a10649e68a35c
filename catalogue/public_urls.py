from django.urls import path

from catalogue.views import public

app_name = "public"

urlpatterns = [
    path("", public.index, name="index"),
    path("items/<str:code>/", public.item_detail, name="item"),
    path("<str:code>/", public.division_list, name="division"),
    path("<str:code>/changes/", public.division_changes, name="changes"),
]
