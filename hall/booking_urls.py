"""Appointments, mounted at ``hall/bookings/``: the public booking and booking pages, and the staff arrival desk."""

from django.urls import path

from .views import booking, public

app_name = "bookings"

urlpatterns = [
    path("arrive/", booking.arrive_view, name="arrive"),
    path("kiosk/<int:hall_id>/", public.kiosk_check_in, name="kiosk"),
    path("new/<str:code>/", public.booking_new, name="new"),
    path("<str:code>/", public.booking_detail, name="detail"),
]
