"""Offline entry pages: download a workbook, upload it (or a guide JSON), preview changes and row errors, save.

The upload is kept in the cache between the preview and the save, under a token bound to the user; the save
re-reads it and runs the same checks again, so a change made by a colleague in between is still caught.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.imports.profiles import ProfileError
from core.downloads import attachment
from core.pages import parse_keys, staff_required
from core.xlsx import XLSX_CONTENT_TYPE

from .. import permissions
from ..offline import (
    apply_upload,
    build_workbook,
    items_for_export,
    items_needing_standard,
    load_guide_profile,
    read_guides,
    read_workbook,
)
from ..offline.forms import OfflineUploadForm
from ..offline.inputs import MAX_ITEMS, Parsed, Place, RowError

STASH_SECONDS = 60 * 60


def _stash_key(request: HttpRequest, token: str) -> str:
    return f"standards-offline:{request.user.pk}:{token}"


def _home(request: HttpRequest, form: OfflineUploadForm, *, status: int = 200) -> HttpResponse:
    todo_count = items_needing_standard(user=request.user).count()
    context = {"todo_count": todo_count, "form": form, "max_items": MAX_ITEMS}
    return render(request, "standards/offline.html", context, status=status)


@staff_required
def offline_home(request: HttpRequest) -> HttpResponse:
    return _home(request, OfflineUploadForm())


@staff_required
def offline_workbook(request: HttpRequest) -> HttpResponse:
    """``?item=1&item=2`` for chosen items, ``?scope=todo`` for every item of the user's needing a standard."""
    if request.GET.get("scope") == "todo":
        ids = list(items_needing_standard(user=request.user).values_list("pk", flat=True)[: MAX_ITEMS + 1])
        if not ids:
            messages.info(request, _("您没有需要编写标准的事项"))
            return redirect("standards:offline")
    else:
        try:
            ids = parse_keys(request.GET.getlist("item"))
        except ValueError:
            raise Http404(_("事项不存在或不在您的权限范围内")) from None
    try:
        items = items_for_export(user=request.user, item_ids=ids)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("standards:offline")
    content = build_workbook(items=items, user=request.user)
    label = items[0].name if len(items) == 1 else _("%(n)s个事项") % {"n": len(items)}
    filename = _("离线填报_%(label)s_%(at)s.xlsx") % {"label": label[:40], "at": f"{timezone.localtime():%Y%m%d%H%M}"}
    return attachment(HttpResponse(content, content_type=XLSX_CONTENT_TYPE), filename)


def _parse(stash: dict) -> Parsed:
    if stash["profile"]:
        try:
            profile = load_guide_profile(stash["profile"])
        except ProfileError as exc:
            return Parsed(errors=[RowError(Place(stash["name"]), str(exc))], source_name=stash["name"])
        return read_guides(stash["content"], profile=profile, name=stash["name"])
    return read_workbook(stash["content"], name=stash["name"])


def _whole(stash: dict) -> bool:
    """A workbook is saved whole; guides one by one unless the user asked for all or nothing."""
    return not stash["profile"] or stash.get("all_or_nothing", True)


@staff_required
def offline_upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("standards:offline")
    form = OfflineUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _home(request, form, status=400)
    if form.cleaned_data.get("profile") and not permissions.guide_import_items(request.user).exists():
        # Each guide is checked again when it is applied (``can_import_guides_for``); this says it up front.
        form.add_error("profile", _("您没有可导入办事指南的事项：只有事项所属部门或本级及上级编办可以导入"))
        return _home(request, form, status=403)
    upload = form.cleaned_data["file"]
    token = secrets.token_urlsafe(16)
    stash = {
        "name": upload.name,
        "content": upload.read(),
        "profile": form.cleaned_data.get("profile") or "",
        "all_or_nothing": bool(form.cleaned_data.get("all_or_nothing")),
    }
    cache.set(_stash_key(request, token), stash, STASH_SECONDS)
    return redirect("standards:offline_preview", token=token)


def _stash_or_404(request: HttpRequest, token: str) -> dict:
    stash = cache.get(_stash_key(request, token))
    if stash is None:
        raise Http404(_("上传的文件已过期或不存在，请重新上传"))
    return stash


def _render_outcome(request, token: str, stash: dict, outcome, *, force: bool, status: int = 200) -> HttpResponse:
    names = {item.code: item.name for item in outcome.items}
    return render(
        request,
        "standards/offline_preview.html",
        {
            "token": token,
            "source_name": stash["name"],
            "profile": stash["profile"],
            "outcome": outcome,
            "errors": [(error, names.get(error.item, "")) for error in outcome.errors],
            "force": force,
            "items_with_changes": [i for i in outcome.items if i.changes and not i.rejected],
            "items_unchanged": [i for i in outcome.items if not i.changes and not i.rejected],
        },
        status=status,
    )


@staff_required
def offline_preview(request: HttpRequest, token: str) -> HttpResponse:
    stash = _stash_or_404(request, token)
    force = request.GET.get("force") == "1"
    outcome = apply_upload(
        actor=request.user, parsed=_parse(stash), dry_run=True, force=force, all_or_nothing=_whole(stash)
    )
    return _render_outcome(request, token, stash, outcome, force=force, status=409 if outcome.conflict else 200)


@staff_required
def offline_apply(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("standards:offline_preview", token=token)
    stash = _stash_or_404(request, token)
    force = request.POST.get("force") == "1"
    outcome = apply_upload(
        actor=request.user, parsed=_parse(stash), dry_run=False, force=force, all_or_nothing=_whole(stash)
    )
    if not outcome.applied:
        messages.error(request, _("未保存：请先改正下列问题"))
        return _render_outcome(request, token, stash, outcome, force=force, status=409 if outcome.conflict else 400)
    cache.delete(_stash_key(request, token))
    return _render_outcome(request, token, stash, outcome, force=force)
