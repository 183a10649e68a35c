from django.urls import path
from rest_framework.routers import SimpleRouter

from .results import PublishedResultViewSet, ResultCsvExportView, ResultJsonExportView
from .views import CaseEventView, CaseViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("licensing-results", PublishedResultViewSet, basename="result")

urlpatterns = [
    path("case-events/", CaseEventView.as_view(), name="case-events"),
    path("exports/licensing-results.csv", ResultCsvExportView.as_view(), name="result-export-csv"),
    path("exports/licensing-results.json", ResultJsonExportView.as_view(), name="result-export-json"),
    *router.urls,
]
