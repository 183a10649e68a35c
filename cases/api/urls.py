from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CaseEventView, CaseViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [path("case-events/", CaseEventView.as_view(), name="case-events"), *router.urls]
