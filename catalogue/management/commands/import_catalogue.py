from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.imports import FileProblem, ImportDenied, ProfileError, catalogue_import, load_profile, profile_names
from core.i18n import enumeration


class Command(BaseCommand):
    help = gettext_lazy("按导入方案批量导入事项清单（CSV、XLSX、JSON lines），报告新增、更新、未变和拒绝的行。")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("事项清单文件"))
        parser.add_argument(
            "--profile",
            required=True,
            help=_("导入方案名称（%(names)s）或 .toml 文件路径") % {"names": enumeration(profile_names())},
        )
        parser.add_argument("--division", default="", help=_("区划代码：文件没有区划列时必填；有时只导入该区划的行"))
        parser.add_argument("--user", required=True, help=_("执行导入的用户名，记入变更历史"))
        parser.add_argument("--dry-run", action="store_true", help=_("只报告将会发生的变化，不保存"))
        parser.add_argument("--all-or-nothing", action="store_true", help=_("有任何一行被拒绝时，整个文件都不导入"))

    def handle(self, *args, file, profile, division, user, dry_run, all_or_nothing, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(_("用户“%(user)s”不存在或已停用") % {"user": user})
        if not file.is_file():
            raise CommandError(_("文件 %(file)s 不存在") % {"file": file})
        try:
            report = catalogue_import(
                actor=actor,
                path=file,
                profile=load_profile(profile),
                division_code=division,
                dry_run=dry_run,
                all_or_nothing=all_or_nothing,
            )
        except (ProfileError, FileProblem, ImportDenied) as exc:
            raise CommandError(str(exc)) from exc
        for rejection in report.rejections:
            self.stdout.write(self.style.WARNING(str(rejection)))
        self.stdout.write(report.summary())
        if dry_run:
            self.stdout.write(_("试运行：未保存任何内容。"))
        elif not report.saved:
            self.stdout.write(self.style.ERROR(_("有被拒绝的行，按 --all-or-nothing 要求，未保存任何内容。")))
        else:
            self.stdout.write(self.style.SUCCESS(_("已保存。")))
