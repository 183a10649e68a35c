"""Uploaded files of a standard (blank forms, samples, internal forms): checked for type and size, kept outside the
public media root, and served only through views that check who may see them."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from core import files as core_files

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Extension → the magic bytes its content must start with (office formats are zip containers).
ALLOWED_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


@deconstructible
class PrivateStorage(core_files.PrivateStorage):
    """Kept under this name for the standards' and reports' migrations; the storage itself is ``core.files``."""


def validate_upload(upload) -> None:
    """Refuse files that are too large or whose content is not what their name says."""
    if upload is None:
        return
    size = getattr(upload, "size", 0) or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件过大：%(size).1f MB，最大 %(max)d MB"),
            code="file_too_large",
            params={"size": size / 1024 / 1024, "max": MAX_UPLOAD_BYTES // 1024 // 1024},
        )
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise ValidationError(
            _("不支持的文件类型“%(suffix)s”，请上传 PDF、Word、Excel 或 JPG/PNG 图片"),
            code="file_type",
            params={"suffix": suffix or _("无扩展名")},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(position)
    if not any(head.startswith(magic) for magic in ALLOWED_TYPES[suffix]):
        raise ValidationError(_("文件内容与扩展名“%(suffix)s”不符"), code="file_content", params={"suffix": suffix})


def upload_to(instance, filename: str) -> str:
    return f"standards/{instance.standard_id}/{Path(filename).name}"
