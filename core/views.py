"""The inbox pages: generic, like the notifications they show (``core.notifications``); /favicon.ico; and the pages
of staff exports built as jobs (``core.export_jobs``)."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import audit, export_jobs, notifications, passwords
from .downloads import attachment
from .models import ExportJob, ExportJobStatus, Notification
from .pages import paginate, staff_required
from .tasks import task_progress
from .xlsx import XLSX_CONTENT_TYPE


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


# --- staff exports built as jobs (core.export_jobs) ---------------------------------------------------------------


def _export_job(request: HttpRequest, pk: int):
    """The asker's own job; anyone else's (or one past its keeping time) is a 404 that reveals nothing."""
    job = export_jobs.jobs_of(request.user).filter(pk=pk).first()
    if job is None:
        raise audit.out_of_scope(request, ExportJob, {"pk": pk}, _("导出任务不存在或已过期"))
    return job


def _job_progress(job) -> tuple[int, str]:
    if job.status != ExportJobStatus.BUILDING:
        return 100, ""
    if not job.task_id:
        return 0, ""
    progress = task_progress(job.task_id)
    return progress.percent or 0, progress.message


@staff_required
def export_job_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A big export's page: its progress while it builds (polled), then the download, for a day."""
    job = _export_job(request, pk)
    percent, message = _job_progress(job)
    return render(
        request,
        "core/export_job.html",
        {
            "job": job,
            "percent": percent,
            "message": message,
            "expires_at": job.created_at + dt.timedelta(hours=settings.EXPORT_KEEP_HOURS),
        },
    )


@staff_required
def export_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _export_job(request, pk)
    percent, message = _job_progress(job)
    return render(request, "core/includes/export_job_status.html", {"job": job, "percent": percent, "message": message})


@staff_required
def export_job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _export_job(request, pk)
    if job.status != ExportJobStatus.READY or not job.file:
        raise Http404(_("导出文件尚未生成"))
    response = FileResponse(job.file.open("rb"), content_type=XLSX_CONTENT_TYPE)
    return attachment(response, job.filename)
