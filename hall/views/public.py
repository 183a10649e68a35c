"""The hall's public pages: booking from the guide page, the booking's own page (view, cancel), and the question
form of the guide page.

Anyone may post, so each form is rate-limited per client address (``HALL_PUBLIC_TRIES`` per
``HALL_PUBLIC_WINDOW`` seconds, then 429), carries a honeypot field, and a wrong code/phone pair says only that the
pair is wrong. A form posted with errors comes back on a page of its own, the input kept, the errors at the fields.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.views.common import errors_into
from catalogue.models import LocalItem, LocalItemStatus
from core.exceptions import TransitionNotAllowed
from core.security import client_ip

from ..forms import ArrivalForm, BookingForm, CancelForm, PublicQuestionForm
from ..models import Booking, BookingStatus
from ..panels import booking_panel_context
from ..services import booking as bookings
from ..services.consultation import consultation_submit_web


def spend_try(request: HttpRequest, scope: str) -> bool:
    """Count one post of this address on ``scope``; False once its tries in the window are used up."""
    key = f"hall:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=settings.HALL_PUBLIC_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.HALL_PUBLIC_WINDOW)
        count = 1
    return count <= settings.HALL_PUBLIC_TRIES


def _limited(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    minutes = max(settings.HALL_PUBLIC_WINDOW // 60, 1)
    return render(request, template, {**context, "limited": True, "minutes": minutes}, status=429)


def _guide_item(code: str) -> LocalItem:
    item = LocalItem.objects.select_related("organization").filter(code=code.strip().upper()).first()
    if item is None or item.status != LocalItemStatus.ACTIVE:
        raise Http404(_("没有找到该事项"))
    return item


def _guide_url(item: LocalItem, anchor: str = "") -> str:
    return reverse("guides:guide", args=[item.code]) + anchor


@never_cache
@require_http_methods(["GET", "POST"])
def booking_new(request: HttpRequest, code: str) -> HttpResponse:
    """Book from the guide page's panel. GET leads back to the guide, where the form is."""
    item = _guide_item(code)
    standard = item.standards.published().select_related("guide", "local_item").first()
    if standard is None or not bookings.is_bookable(standard):
        raise Http404(_("该事项不支持预约办理"))
    if request.method != "POST":
        return redirect(_guide_url(item))
    situations = bookings.situations_of(standard)
    context = booking_panel_context(standard)
    form = BookingForm(request.POST, slots=context["slots"], situations=situations)
    page = {"item": item, "standard": standard, "panel": {"context": {**context, "form": form}}}
    if not spend_try(request, "booking"):
        return _limited(request, "hall/booking/new.html", page)
    if form.is_valid() and form.is_robot:
        return redirect(_guide_url(item))
    if form.is_valid():
        slot = form.chosen
        group = next(g for g in context["groups"] if g.pk == slot.group_id)
        try:
            booking = bookings.booking_create(
                group=group,
                local_item=item,
                day=slot.day,
                half_day=slot.half_day,
                situation=form.cleaned_data["situation"],
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
            )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("预约成功，请记下预约码 %(code)s") % {"code": booking.code})
            return redirect("bookings:detail", code=booking.code)
    return render(request, "hall/booking/new.html", page, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def booking_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant's booking page: when and where, what to bring, and the cancel form (code + phone's last 4)."""
    booking = get_object_or_404(
        Booking.objects.select_related("group__hall", "local_item__organization"), code=code.strip().upper()
    )
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not spend_try(request, "cancel"):
            return _limited(request, "hall/booking/detail.html", _detail_context(booking, form))
        if form.is_valid():
            try:
                bookings.booking_cancel(code=booking.code, tail=form.cleaned_data["tail"])
            except ValidationError as exc:
                errors_into(form, exc)
            except TransitionNotAllowed as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("预约已取消"))
                return redirect("bookings:detail", code=booking.code)
        status = 400
    return render(request, "hall/booking/detail.html", _detail_context(booking, form), status=status)


def _detail_context(booking: Booking, form: CancelForm) -> dict:
    standard = booking.local_item.standards.published().first()
    hall = booking.group.hall
    return {
        "booking": booking,
        "hall": hall,
        "starts": hall.morning_opens if booking.half_day == "am" else hall.afternoon_opens,
        "ends": hall.morning_closes if booking.half_day == "am" else hall.afternoon_closes,
        "materials": bookings.materials_for(standard, booking.situation) if standard else [],
        "cancel_form": form,
        "can_cancel": booking.status == BookingStatus.BOOKED,
        "masked_phone": f"{booking.phone[:3]}****{booking.phone[-4:]}" if len(booking.phone) >= 7 else "****",
    }


@never_cache
@require_POST
def ask(request: HttpRequest, code: str) -> HttpResponse:
    """A question from the guide page's panel, for the item's implementing unit."""
    item = _guide_item(code)
    form = PublicQuestionForm(request.POST)
    page = {"item": item, "form": form}
    if not spend_try(request, "ask"):
        return _limited(request, "hall/consultation/ask.html", page)
    if form.is_valid():
        if not form.is_robot:
            try:
                consultation_submit_web(
                    local_item=item,
                    question=form.cleaned_data["question"],
                    asker_name=form.cleaned_data["asker_name"],
                    asker_phone=form.cleaned_data["asker_phone"],
                )
            except ValidationError as exc:
                errors_into(form, exc)
                return render(request, "hall/consultation/ask.html", page, status=400)
        messages.success(
            request,
            _("已收到您的咨询，%(unit)s将在 %(days)d 个工作日内答复。")
            % {"unit": item.organization.name, "days": settings.HALL_CONSULTATION_WORKDAYS},
        )
        return redirect(_guide_url(item))
    return render(request, "hall/consultation/ask.html", page, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_check_in(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The kiosk's booking check-in: the booking code, typed on the hall's kiosk, marks the arrival and prints a
    预约 priority number on the kiosk's own ticket page. Anonymous like the kiosk; only today's bookings of this
    hall are found."""
    from ..models import Hall
    from .hall import TICKET_SALT

    hall = get_object_or_404(Hall, pk=hall_id, is_active=True)
    form = ArrivalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = bookings.booking_check_in(hall=hall, code=form.cleaned_data["code"])
        except ValidationError as exc:
            errors_into(form, exc)
        except TransitionNotAllowed as exc:
            form.add_error("code", exc.message)
        else:
            return redirect("hall:kiosk_ticket", hall_id=hall.pk, key=signing.dumps(ticket.pk, salt=TICKET_SALT))
    status = 400 if form.errors else 200
    return render(request, "hall/booking/kiosk.html", {"hall": hall, "form": form}, status=status)
