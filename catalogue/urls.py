from django.urls import path

from catalogue.views import browser, changes, claims, imports

app_name = "catalogue"

urlpatterns = [
    path("", browser.local_list, name="local_list"),
    path("export.xlsx", browser.local_export, name="local_export"),
    path("items/<int:pk>/", browser.local_detail, name="local_detail"),
    path("items/<int:pk>/cancel/", changes.local_cancel, name="local_cancel"),
    path("general/", browser.general_list, name="general_list"),
    path("general/export.xlsx", browser.general_export, name="general_export"),
    path("general/<int:pk>/", browser.general_detail, name="general_detail"),
    path("departments/search/", browser.department_search, name="department_search"),
    path("changes/", changes.change_list, name="change_list"),
    path("changes/<int:pk>/", changes.change_detail, name="change_detail"),
    path("changes/new/<str:kind>/", changes.change_create, name="change_create"),
    path("claims/", claims.claim_start, name="claim_start"),
    path("claims/review/", claims.claim_review, name="claim_review"),
    path("claims/<int:pk>/decide/", claims.claim_decide_view, name="claim_decide"),
    path("claims/report/", claims.claim_report, name="claim_report"),
    path("adjustments/", claims.adjustment_list, name="adjustment_list"),
    path("adjustments/<int:pk>/resolve/", claims.adjustment_resolve_view, name="adjustment_resolve"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", imports.import_status, name="import_status"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/restart/", imports.import_restart, name="import_restart"),
    path("imports/<int:pk>/decide/", imports.import_decide, name="import_decide"),
]
