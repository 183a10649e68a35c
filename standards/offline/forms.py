"""The upload form of offline entry: a workbook this portal made, or guides another system exported as JSON."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..files import MAX_UPLOAD_BYTES
from .guide_profiles import guide_profile_choices


class OfflineUploadForm(forms.Form):
    """An offline workbook (.xlsx) or guides exported by another system (.json, read through a profile)."""

    file = forms.FileField(
        label=_("文件"), help_text=_("本系统导出的离线填报表（.xlsx），或其他系统导出的办事指南（.json）")
    )
    profile = forms.ChoiceField(
        label=_("指南导入方案"), required=False, help_text=_("上传 JSON 时选择与其来源对应的方案")
    )

    all_or_nothing = forms.BooleanField(
        label=_("全部无误才导入"),
        required=False,
        help_text=_("JSON 指南默认逐条导入：无误的指南导入，有错误的逐条列出；勾选后任何一条有错误即都不导入"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = [("", _("（上传 Excel 填报表时不选）")), *guide_profile_choices()]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        name = upload.name.lower()
        if upload.size > MAX_UPLOAD_BYTES:
            self.add_error("file", _("文件超过 10 MB，请分批上传"))
        elif name.endswith(".json"):
            if not cleaned.get("profile"):
                self.add_error("profile", _("上传 JSON 指南时须选择导入方案"))
        elif name.endswith(".xlsx"):
            cleaned["profile"] = ""
            cleaned["all_or_nothing"] = True  # a workbook is saved whole or not at all
        else:
            self.add_error("file", _("只能上传 .xlsx（离线填报表）或 .json（办事指南）文件"))
        return cleaned
