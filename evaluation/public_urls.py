"""The applicant's evaluation pages, mounted at ``evaluate/`` (the links and QR codes carry these addresses)."""

from django.urls import path

from .views import public

app_name = "evaluate"

urlpatterns = [
    path("case/<str:token>/", public.evaluate_case, name="case"),
    path("visit/<str:token>/", public.evaluate_visit, name="visit"),
]
