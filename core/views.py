"""The inbox pages: generic, like the notifications they show (``core.notifications``); and /favicon.ico."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import audit, notifications, passwords
from .models import Notification
from .pages import paginate


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The signed-in person's messages, unread first when asked (``?unread=1``)."""
    messages_ = notifications.inbox(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        messages_ = messages_.filter(read_at__isnull=True)
    return render(
        request,
        "core/inbox.html",
        {"page": paginate(request, messages_), "unread_only": unread_only},
    )


@login_required
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a message: mark it read and go where it points. Someone else's message is a 404."""
    message = notifications.inbox(request.user).filter(pk=pk).first()
    if message is None:
        raise audit.out_of_scope(request, Notification, {"pk": pk}, _("消息不存在"))
    notifications.mark_read(request.user, pk=message.pk)
    target = message.url if url_has_allowed_host_and_scheme(message.url, allowed_hosts=None) else ""
    return redirect(target or "inbox")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_read(request.user)
    messages.success(request, _("已将 %(n)d 条消息标为已读") % {"n": count})
    return redirect("inbox")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and other tools ask for /favicon.ico whatever a page links: send them to the static icon."""
    return redirect(static("favicon.ico"))


class PasswordChangeView(auth_views.PasswordChangeView):
    """The owner's own password change: the page a first sign-in or an expired password is sent to."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reason"] = self.request.session.get(passwords.SESSION_KEY, "")
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_changed(self.request.user)
        self.request.session.pop(passwords.SESSION_KEY, None)
        messages.success(self.request, _("密码已修改。"))
        return response
