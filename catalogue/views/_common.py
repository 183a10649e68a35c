from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from catalogue import access
from catalogue.models import Division


def staff_required(view):
    """Staff pages: anonymous visitors go to the login page, signed-in users without a role get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_staff_user(request.user):
            raise PermissionDenied("您没有访问该页面的权限")
        return view(request, *args, **kwargs)

    return wrapped


def page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("size", settings.PAGE_SIZE_CHOICES[0]))
    except ValueError:
        size = settings.PAGE_SIZE_CHOICES[0]
    return size if size in settings.PAGE_SIZE_CHOICES else settings.PAGE_SIZE_CHOICES[0]


def paginate(request: HttpRequest, queryset, size: int | None = None) -> Page:
    """A page of the queryset; a page number past the end shows the last page instead of an error."""
    paginator = Paginator(queryset, size or page_size(request))
    return paginator.get_page(request.GET.get("page"))


def division_from_request(request: HttpRequest) -> Division:
    """The division a page shows: ``?division=`` if the user may see it (404 otherwise, never revealing whether it
    exists), else the user's own."""
    code = request.GET.get("division")
    if code:
        division = Division.objects.filter(code=code).first()
        if division is None or not access.can_see_division(request.user, division):
            raise Http404("区划不存在或不在您的权限范围内")
        return division
    division = access.home_division(request.user)
    if division is None:
        raise Http404("您的账号未关联任何区划")
    return division


def export_refusal(request: HttpRequest, *, back: str, rows: QuerySet | None) -> HttpResponse | None:
    """Why a list page's export cannot be made, told on the page itself (back to it, same query, with a message),
    or None when it can. ``rows`` is None when the page's filters are invalid: the page shows which and why."""
    if rows is None:
        messages.error(request, _("筛选条件有误，请按页面提示修改后再导出"))
    else:
        count = rows.count()
        if count <= settings.EXPORT_MAX_ROWS:
            return None
        messages.error(
            request,
            _(
                "符合条件的有 %(count)d 条，超过一次导出的上限 %(limit)d 条，"
                "请缩小范围（如选择下级区划、部门或事项类型）后再导出"
            )
            % {"count": count, "limit": settings.EXPORT_MAX_ROWS},
        )
    query = request.GET.urlencode()
    return HttpResponseRedirect(f"{back}?{query}" if query else back)
