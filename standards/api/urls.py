from django.urls import path
from rest_framework.routers import SimpleRouter

from .cpsv import CpsvExportView
from .exports import CsvExportView, JsonExportView, XlsxExportView
from .views import ChangeFeedViewSet, LocalItemViewSet

router = SimpleRouter()
router.register("items", LocalItemViewSet, basename="item")

urlpatterns = [
    path("changes/", ChangeFeedViewSet.as_view({"get": "list"}), name="changes"),
    path("exports/items.csv", CsvExportView.as_view(), name="export-csv"),
    path("exports/items.json", JsonExportView.as_view(), name="export-json"),
    path("exports/items.xlsx", XlsxExportView.as_view(), name="export-xlsx"),
    path("open-data/cpsv-ap.jsonld", CpsvExportView.as_view(), name="open-data-cpsv"),
    *router.urls,
]
