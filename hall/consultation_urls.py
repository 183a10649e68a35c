"""Consultation (咨询), mounted at ``hall/consultations/``: the staff log and the public question form."""

from django.urls import path

from .views import consultation, public

app_name = "consultations"

urlpatterns = [
    path("", consultation.consultation_list_view, name="list"),
    path("new/", consultation.consultation_record_view, name="record"),
    path("faq/", consultation.faq_queue_view, name="faq_queue"),
    path("ask/<str:code>/", public.ask, name="ask"),
    path("<int:pk>/", consultation.consultation_detail_view, name="detail"),
]
