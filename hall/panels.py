"""The hall's sections on the public guide page (``settings.GUIDE_PAGE_PANELS``): the booking form for items that
can be booked, and the question form on every guide of an item in force. The standards app draws them without
knowing the hall."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext_lazy as _

from catalogue.models import LocalItemStatus
from core.pages import PagePanel
from standards.models import ItemStandard

from .forms import BookingForm, PublicQuestionForm
from .services import booking as bookings

BOOKING_TEMPLATE = "hall/booking/panel.html"
QUESTION_TEMPLATE = "hall/consultation/panel.html"


def booking_panel_context(standard: ItemStandard, form: BookingForm | None = None) -> dict:
    groups = list(bookings.bookable_groups(standard.local_item))
    slots = bookings.group_slots(groups)
    situations = bookings.situations_of(standard)
    days: dict = {}
    for slot in slots:
        days.setdefault(slot.day, []).append(slot)
    return {
        "item": standard.local_item,
        "groups": groups,
        "slots": slots,
        "slot_days": [{"day": day, "slots": day_slots} for day, day_slots in days.items()],
        "several_groups": len(groups) > 1,
        "open_slots": [slot for slot in slots if slot.remaining > 0],
        "form": form or BookingForm(slots=slots, situations=situations),
    }


def guide_panels(user: User | AnonymousUser, standard: ItemStandard) -> list[PagePanel]:
    if standard.local_item.status != LocalItemStatus.ACTIVE:
        return []
    panels = []
    if bookings.is_bookable(standard):
        panels.append(PagePanel(_("网上预约"), BOOKING_TEMPLATE, booking_panel_context(standard)))
    panels.append(
        PagePanel(_("我要咨询"), QUESTION_TEMPLATE, {"item": standard.local_item, "form": PublicQuestionForm()})
    )
    return panels
