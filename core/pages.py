"""What every staff page shares: the staff-only gate, paging, and the refusal of an export that is too large.

``core`` knows no domain, so who counts as staff is the project's setting ``STAFF_USER_CHECK`` (the dotted path of a
``user -> bool`` function): the app that holds the roles answers it, and these helpers never import that app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


def is_staff_user(user) -> bool:
    """The project's answer to "may this signed-in person open staff pages" (``settings.STAFF_USER_CHECK``)."""
    check: Callable[[object], bool] = import_string(settings.STAFF_USER_CHECK)
    return check(user)


def staff_required(view):
    """Staff pages: anonymous visitors go to the login page, signed-in users without a role get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_user(request.user):
            raise PermissionDenied(_("您没有访问该页面的权限"))
        return view(request, *args, **kwargs)

    return wrapped


def page_rule(predicate: Callable[[object], bool], refusal: str | None = None):
    """A staff page whose door is ``predicate(user)`` — the very function the navigation asks before it shows the
    page's entry, so a menu never offers a page that refuses, nor hides one that opens. Anonymous visitors go to the
    login page; a signed-in user the predicate refuses gets 403 with ``refusal`` (a lazy message) as the reason."""

    def decorate(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied(str(refusal) if refusal else _("您没有访问该页面的权限"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("size", settings.PAGE_SIZE_CHOICES[0]))
    except ValueError:
        size = settings.PAGE_SIZE_CHOICES[0]
    return size if size in settings.PAGE_SIZE_CHOICES else settings.PAGE_SIZE_CHOICES[0]


class CappedPaginator(Paginator):
    """Pages whose count stops at ``cap`` rows: ``SELECT COUNT(*) FROM (… LIMIT cap + 1)``.

    A staff list's rows are read off an index a page at a time, so its cost would not grow with the province but for
    the total in "共 N 条": counting 240,000 items costs twice 120,000. Past the cap the list says "more than N", the
    first N rows can be paged through, and filters (or the reports, which hold the exact figures) narrow it down."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        # Only the keys are counted: the page's annotations (a row's published version…) are not computed for it.
        counted = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


def paginate(request: HttpRequest, queryset, size: int | None = None) -> Page:
    """A page of the queryset, counted up to ``LIST_COUNT_CAP`` rows; a page number past the end shows the last page
    instead of an error."""
    paginator = CappedPaginator(queryset, size or page_size(request), cap=settings.LIST_COUNT_CAP)
    return paginator.get_page(request.GET.get("page"))


def export_refusal(
    request: HttpRequest, *, back: str, rows: QuerySet | None, count: int | None = None
) -> HttpResponse | None:
    """Why a list page's export cannot be made, told on the page itself (back to it, same query, with a message),
    or None when it can. ``rows`` is None when the page's filters are invalid: the page shows which and why;
    ``count`` is their number when the caller has it already."""
    if rows is None:
        messages.error(request, _("筛选条件有误，请按页面提示修改后再导出"))
    else:
        count = rows.count() if count is None else count
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


@dataclass(frozen=True)
class PageAction:
    """A button one app puts on another app's page (the lower app names the provider in the settings and knows
    nothing else of it): what it says, where it leads, and its Bootstrap icon and button style."""

    label: str
    url: str
    icon: str = ""
    style: str = "btn-outline-primary"


def page_actions(setting: str, user, obj) -> list[PageAction]:
    """The buttons the providers named in ``settings.<setting>`` (dotted paths of ``(user, obj) -> list[PageAction]``)
    offer ``user`` on the page of ``obj``."""
    return [action for path in getattr(settings, setting, ()) for action in import_string(path)(user, obj)]


# The largest primary key any database here stores (a signed 64-bit integer); a larger number is no row's key, and
# SQLite refuses it outright.
MAX_KEY = 2**63 - 1


def parse_keys(values: list[str]) -> list[int]:
    """Primary keys from query parameters; ValueError for anything that is not one (text, zero, negative, too big)."""
    keys = [int(value) for value in values]
    if any(not 0 < key <= MAX_KEY for key in keys):
        raise ValueError("not a primary key")
    return keys


@dataclass(frozen=True)
class PagePanel:
    """A section one app adds to another app's page (named in the settings, like ``PageAction``): its heading, the
    template that draws it and that template's context."""

    title: str
    template: str
    context: dict


def page_panels(setting: str, user, obj) -> list[PagePanel]:
    """The panels the providers named in ``settings.<setting>`` (dotted paths of ``(user, obj) -> list[PagePanel]``)
    show ``user`` on the page of ``obj``."""
    return [panel for path in getattr(settings, setting, ()) for panel in import_string(path)(user, obj)]
