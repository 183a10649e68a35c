from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.imports.profiles import ProfileError
from standards.offline import apply_upload, load_guide_profile, read_guides, read_workbook
from standards.offline.guide_profiles import guide_profile_names


class Command(BaseCommand):
    help = gettext_lazy(
        "把其他系统导出的办事指南（JSON，按导入方案）或离线填报表（.xlsx）导入为草稿；先报告修改和错误行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("JSON 指南文件，或本系统导出的离线填报表 .xlsx"))
        parser.add_argument(
            "--profile",
            default="",
            help=_("JSON 的指南导入方案名称（%(names)s）或 .toml 文件路径")
            % {"names": _("、").join(guide_profile_names())},
        )
        parser.add_argument("--user", required=True, help=_("执行导入的用户名：按其权限检查，并记入变更历史"))
        parser.add_argument("--dry-run", action="store_true", help=_("只报告将会发生的修改和错误，不保存"))
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help=_("JSON 指南任何一条有错误即都不导入（默认：无误的指南导入，有错误的逐条报告）"),
        )
        parser.add_argument("--force", action="store_true", help=_("填报表导出后他人保存过时，仍以文件内容为准"))

    def handle(self, *args, file, profile, user, dry_run, force, all_or_nothing, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(_("用户“%(user)s”不存在或已停用") % {"user": user})
        guide_profile = None
        if file.suffix.lower() != ".xlsx":
            if not profile:
                raise CommandError(_("导入 JSON 指南须用 --profile 指定导入方案"))
            try:
                guide_profile = load_guide_profile(profile)  # a wrong profile is reported before the file is read
            except ProfileError as exc:
                raise CommandError(str(exc)) from exc
        if not file.is_file():
            raise CommandError(_("文件 %(file)s 不存在") % {"file": file})
        content = file.read_bytes()
        if guide_profile is None:
            parsed = read_workbook(content, name=file.name)
        else:
            parsed = read_guides(content, profile=guide_profile, name=file.name)
        whole = all_or_nothing or guide_profile is None  # a workbook is saved whole
        outcome = apply_upload(actor=actor, parsed=parsed, dry_run=dry_run, force=force, all_or_nothing=whole)
        report_outcome(self, outcome, dry_run=dry_run, whole=whole)


def report_outcome(command: BaseCommand, outcome, *, dry_run: bool, whole: bool) -> None:
    """What an import of guides changed and what it refused; CommandError when anything was refused."""
    for item in outcome.items:
        if not item.changes or item.rejected:
            continue
        template = (
            _("%(code)s %(name)s：新建第%(version)s版草稿，%(n)d 处修改")
            if item.new_version
            else _("%(code)s %(name)s：更新第%(version)s版草稿，%(n)d 处修改")
        )
        command.stdout.write(
            template % {"code": item.code, "name": item.name, "version": item.version, "n": len(item.changes)}
        )
        for change in item.changes:
            label = {"added": _("新增"), "removed": _("删除"), "changed": _("修改")}[change.kind]
            fields = _("、").join(str(f.label) for f in change.fields)
            command.stdout.write(f"  {change.section} {label} {change.label} {fields}".rstrip())
    for error in outcome.errors:
        prefix = f"{error.item} " if error.item else ""
        command.stdout.write(command.style.WARNING(f"{prefix}{error}"))
    command.stdout.write(
        _("共 %(items)d 个事项，%(changed)d 个有修改，%(rejected)d 个有错误未导入，%(errors)d 处错误。")
        % {
            "items": len(outcome.items),
            "changed": outcome.saved_items,
            "rejected": outcome.rejected_items,
            "errors": len(outcome.errors),
        }
    )
    if outcome.errors and whole:
        raise CommandError(_("有错误，未保存任何内容。"))
    if dry_run:
        command.stdout.write(_("试运行：未保存任何内容。"))
    else:
        command.stdout.write(command.style.SUCCESS(_("已保存 %(n)d 个事项。") % {"n": outcome.saved_items}))
    if outcome.errors:
        message = (
            _("有错误的指南未导入（共 %(errors)d 处错误），其余已检查。")
            if dry_run
            else _("有错误的指南未导入（共 %(errors)d 处错误），其余已保存。")
        )
        raise CommandError(message % {"errors": len(outcome.errors)})
