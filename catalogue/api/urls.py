from rest_framework.routers import SimpleRouter

from .views import DivisionViewSet, GeneralItemViewSet, OrganizationViewSet

router = SimpleRouter()
router.register("divisions", DivisionViewSet, basename="division")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("general-items", GeneralItemViewSet, basename="general-item")

urlpatterns = router.urls
