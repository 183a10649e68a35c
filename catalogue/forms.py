"""Forms of the catalogue pages. They check the shape of input; the rules live in the services, whose
ValidationErrors are put back on the fields by ``apply_service_errors``."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalogue import access
from catalogue.imports import catalogue_profile_choices
from catalogue.models import LEVEL_CHOICES, ChangeKind, Division, GeneralItem, ItemType, Sector
from catalogue.services import Adjustment, ChangeDocument, ItemSpec
from core.i18n import enumeration

BASES_HELP = _("每行一条，格式：法律法规名称｜文号｜条款号，例如：《教师资格条例》｜国务院令第188号｜第十三条")


def parse_bases(text: str) -> list[dict]:
    bases = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"[|｜\t]", line)]
        if len(parts) > 3:
            raise ValidationError(_("第%(n)s行格式不对：最多三段（名称｜文号｜条款号）") % {"n": number})
        parts += [""] * (3 - len(parts))
        bases.append({"law": parts[0], "doc_number": parts[1], "article": parts[2]})
    return bases


def format_bases(bases: list[dict]) -> str:
    return "\n".join("｜".join(b.get(k, "") for k in ("law", "doc_number", "article")).rstrip("｜") for b in bases)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError at the fields it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e.messages)
    else:
        form.add_error(None, error.messages)


class LevelsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", LEVEL_CHOICES)
        kwargs.setdefault("label", _("行使层级"))
        super().__init__(**kwargs)


class CodesField(forms.CharField):
    """General-item codes, one per line or separated by spaces or commas; each must exist in the province."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, province=None, **kwargs):
        self.province = province
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        codes = [c.upper() for c in re.split(r"[\s,，、;；]+", value or "") if c]
        if not codes:
            return []
        found = {g.code: g for g in GeneralItem.objects.filter(province=self.province, code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(_("以下编码在本省通用目录中不存在：%(codes)s") % {"codes": enumeration(missing)})
        return [found[c] for c in dict.fromkeys(codes)]


class ChangeForm(forms.Form):
    """The decision document and reason every change carries."""

    document_number = forms.CharField(label=_("决定文号"), max_length=100, help_text=_("如：粤编办发〔2026〕12号"))
    document_title = forms.CharField(label=_("决定文件标题"), max_length=300)
    document_date = forms.DateField(label=_("发文日期"), widget=forms.DateInput(attrs={"type": "date"}))
    effective_date = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    kind: str = ""
    document_fields = ("document_number", "document_title", "document_date", "effective_date", "reason")

    def __init__(self, *args, province=None, target=None, **kwargs):
        self.province = province
        self.target = target
        super().__init__(*args, **kwargs)

    def document(self) -> ChangeDocument:
        d = self.cleaned_data
        return ChangeDocument(d["document_number"], d["document_title"], d["document_date"])

    def service_kwargs(self) -> dict:
        return {}


class ItemFieldsMixin(forms.Form):
    name = forms.CharField(label=_("事项名称"), max_length=200)
    item_type = forms.ChoiceField(label=_("事项类型"), choices=[("", "---------"), *ItemType.choices])
    sector = forms.ModelChoiceField(label=_("目录部门类别"), queryset=Sector.objects.none())
    levels = LevelsField()
    has_sub_items = forms.BooleanField(
        label=_("含子项"), required=False, help_text=_("勾选后编码以Y结尾，具体办理通过子项认领")
    )
    bases = forms.CharField(
        label=_("设定依据"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=BASES_HELP
    )

    def clean_bases(self):
        return parse_bases(self.cleaned_data["bases"])


class AddChangeForm(ItemFieldsMixin, ChangeForm):
    kind = ChangeKind.ADD
    parent = forms.ModelChoiceField(
        label=_("上级事项"), queryset=GeneralItem.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(province=self.province)
        if self.target is not None:
            # Adding a sub item (or handling item) under the target: type and sector come from it.
            self.fields["parent"].queryset = GeneralItem.objects.filter(pk=self.target.pk)
            self.fields["parent"].initial = self.target.pk
            for name in ("item_type", "sector", "has_sub_items"):
                del self.fields[name]
            self.fields["levels"].initial = list(self.target.levels)

    def service_kwargs(self):
        d = self.cleaned_data
        parent = d.get("parent")
        node_kind = "main"
        if parent is not None:
            node_kind = "sub" if parent.node_kind == "main" and parent.has_sub_items else "handle"
        spec = ItemSpec(
            name=d["name"],
            item_type=d.get("item_type", ""),
            sector=d.get("sector"),
            levels="".join(d["levels"]),
            node_kind=node_kind,
            parent=parent,
            has_sub_items=d.get("has_sub_items", False),
            bases=d["bases"],
        )
        return {"new_items": [spec]}


class AdjustChangeForm(ChangeForm):
    kind = ChangeKind.ADJUST
    name = forms.CharField(label=_("事项名称"), max_length=200)
    levels = LevelsField()
    bases = forms.CharField(
        label=_("设定依据"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=BASES_HELP
    )
    central_guiding_dept = forms.CharField(label=_("中央业务指导部门"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        t = self.target
        self.initial.setdefault("name", t.name)
        self.initial.setdefault("levels", list(t.levels))
        self.initial.setdefault("bases", format_bases(t.bases))
        self.initial.setdefault("central_guiding_dept", t.central_guiding_dept)

    def clean_bases(self):
        return parse_bases(self.cleaned_data["bases"])

    def service_kwargs(self):
        d = self.cleaned_data
        return {
            "general_items": [self.target],
            "adjustment": Adjustment(
                name=d["name"],
                levels="".join(d["levels"]),
                bases=d["bases"],
                central_guiding_dept=d["central_guiding_dept"],
            ),
        }


class LevelsChangeForm(ChangeForm):
    levels = LevelsField(label=_("调整后的行使层级"))

    def __init__(self, *args, kind: str = ChangeKind.DELEGATE_DOWN, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)
        self.initial.setdefault("levels", list(self.target.levels))

    def service_kwargs(self):
        return {"general_items": [self.target], "adjustment": Adjustment(levels="".join(self.cleaned_data["levels"]))}


class CancelChangeForm(ChangeForm):
    kind = ChangeKind.CANCEL
    confirm = forms.BooleanField(
        label=_("我已知晓：取消后该事项及其子项、全部实施清单事项同时取消，编码永久作废、不再使用"), required=True
    )

    def service_kwargs(self):
        return {"general_items": [self.target]}


class SplitChangeForm(ChangeForm):
    kind = ChangeKind.SPLIT
    successor_names = forms.CharField(
        label=_("拆分后的事项名称"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("每行一个，至少两个")
    )

    def clean_successor_names(self):
        names = [n.strip() for n in self.cleaned_data["successor_names"].splitlines() if n.strip()]
        if len(names) < 2:
            raise ValidationError(_("拆分应至少形成两个新事项"))
        if len(set(names)) != len(names):
            raise ValidationError(_("拆分后的事项名称不能重复"))
        return names

    def service_kwargs(self):
        t = self.target
        specs = [
            ItemSpec(name=n, item_type=t.item_type, sector=t.sector, levels=t.levels, bases=t.bases)
            if t.node_kind == "main"
            else ItemSpec(name=n, node_kind=t.node_kind, parent=t.parent, levels=t.levels, bases=t.bases)
            for n in self.cleaned_data["successor_names"]
        ]
        return {"general_items": [t], "new_items": specs}


class MergeChangeForm(ChangeForm):
    kind = ChangeKind.MERGE
    codes = CodesField(label=_("合并的事项编码"), help_text=_("每行或以逗号分隔，至少两个"))
    name = forms.CharField(label=_("合并后的事项名称"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].province = self.province
        if self.target is not None:
            self.initial.setdefault("codes", self.target.code)

    def clean_codes(self):
        items = self.cleaned_data["codes"]
        if len(items) < 2:
            raise ValidationError(_("合并应至少选择两个事项"))
        if len({(i.item_type, i.sector_id) for i in items}) > 1:
            raise ValidationError(_("只能合并事项类型和部门类别相同的事项"))
        return items

    def service_kwargs(self):
        items = self.cleaned_data["codes"]
        first = items[0]
        levels = "".join(sorted(set("".join(i.levels for i in items))))
        spec = ItemSpec(name=self.cleaned_data["name"], item_type=first.item_type, sector=first.sector, levels=levels)
        return {"general_items": items, "new_items": [spec]}


class LocalCancelForm(ChangeForm):
    kind = ChangeKind.CANCEL
    confirm = forms.BooleanField(label=_("我已知晓：取消后该实施编码永久作废、不再使用"), required=True)

    def service_kwargs(self):
        return {"local_items": [self.target]}


FORMS_BY_KIND = {
    ChangeKind.ADD: AddChangeForm,
    ChangeKind.ADJUST: AdjustChangeForm,
    ChangeKind.CANCEL: CancelChangeForm,
    ChangeKind.SPLIT: SplitChangeForm,
    ChangeKind.MERGE: MergeChangeForm,
    ChangeKind.DELEGATE_DOWN: LevelsChangeForm,
    ChangeKind.TAKE_UP: LevelsChangeForm,
}


class ClaimForm(forms.Form):
    general_items = forms.ModelMultipleChoiceField(
        label=_("认领事项"), queryset=GeneralItem.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("认领说明"), required=False, max_length=300)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["general_items"].queryset = items if items is not None else GeneralItem.objects.none()
        self.fields["general_items"].error_messages["invalid_choice"] = _("所选事项%(value)s不可认领，请刷新页面后重试")


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("确认")), ("reject", _("退回"))])
    note = forms.CharField(label=_("意见"), required=False, max_length=300)


class AdjustmentResolveForm(forms.Form):
    note = forms.CharField(label=_("处理说明"), required=False, max_length=300)


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("事项清单文件"),
        help_text=_("CSV（UTF-8 或 GBK 编码）、Excel 工作簿（.xlsx）或 JSON lines 文件，最大 50 MB"),
    )
    profile = forms.ChoiceField(label=_("导入方案"), help_text=_("导入方案说明文件的列、类型编码和区划如何对应到目录"))
    division = forms.CharField(
        label=_("区划代码"),
        required=False,
        max_length=12,
        help_text=_("文件没有区划列时必填；填写后只导入该区划的行，其他区划的行将被拒绝"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["profile"].choices = catalogue_profile_choices()

    def clean_division(self) -> str:
        code = self.cleaned_data["division"].strip()
        if code:
            division = Division.objects.filter(code=code).first()
            if division is None:
                raise ValidationError(_("区划代码“%(code)s”不存在"), params={"code": code})
            if not access.can_import_catalogue(self.user, division):
                raise ValidationError(_("您无权向%(division)s导入事项"), params={"division": division})
        return code


class CatalogueImportConfirmForm(forms.Form):
    all_or_nothing = forms.BooleanField(
        label=_("有任何一行被拒绝时，整个文件都不导入"),
        required=False,
        help_text=_("不勾选时，被拒绝的行和编码冲突未决定的行不影响其他行导入；勾选时须先决定全部编码冲突"),
    )
