"""The applicant's progress page, mounted at ``progress/`` outside any namespace (notices print its address)."""

from django.urls import path

from cases.views import public

urlpatterns = [path("", public.progress, name="case_progress")]
