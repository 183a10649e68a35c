"""Downloads of a standard's uploaded files, which live in private storage with no URL of their own.

Only the (row model, field) pairs listed here can be asked for. A guide's files (blank forms, samples, result samples)
are public once their version is published; any other file — a draft's, or the business manual's internal forms — only
for signed-in staff who may read the standard. Everyone else gets 404, the same answer as for a row that does not exist,
so the address reveals nothing.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from standards import permissions
from standards.models import InternalForm, Material, ResultSample, StandardState

GUIDE, MANUAL = "guide", "manual"

# (model name in the address, field) → (model, which part of the standard the file belongs to)
DOWNLOADABLE = {
    ("material", "blank_form"): (Material, GUIDE),
    ("material", "sample_form"): (Material, GUIDE),
    ("resultsample", "sample"): (ResultSample, GUIDE),
    ("internalform", "template"): (InternalForm, MANUAL),
}


def is_public(part: str, state: str) -> bool:
    return part == GUIDE and state == StandardState.PUBLISHED


@require_safe
def download(request: HttpRequest, model: str, pk: int, field: str) -> FileResponse:
    try:
        model_class, part = DOWNLOADABLE[(model, field)]
    except KeyError:
        raise Http404(_("没有这个文件")) from None
    row = get_object_or_404(model_class.objects.select_related("standard"), pk=pk)
    stored = getattr(row, field)
    if not stored:
        raise Http404(_("没有这个文件"))
    public = is_public(part, row.standard.state)
    if not public and not (request.user.is_authenticated and permissions.can_read(request.user, row.standard)):
        raise Http404(_("没有这个文件"))
    try:
        handle = stored.storage.open(stored.name, "rb")
    except OSError:
        raise Http404(_("文件已不存在")) from None
    response = FileResponse(handle, as_attachment=True, filename=PurePosixPath(stored.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    if not public:
        patch_cache_control(response, private=True, no_store=True)
    return response
