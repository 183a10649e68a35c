from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.imports.profiles import ProfileError, load_profile, profile_names
from catalogue.imports.readers import FileProblem
from standards.offline.item_guides import import_item_guides

from .import_guides import report_outcome


class Command(BaseCommand):
    help = gettext_lazy(
        "事项清单导入后，按其导入方案的 [guide] 表，"
        "把同一文件中的指南字段（时限、受理条件、地点、电话等）填入各事项的指南草稿。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("已用 import_catalogue 导入的事项清单文件"))
        parser.add_argument(
            "--profile",
            required=True,
            help=_("事项导入方案名称（%(names)s）或 .toml 文件路径，须有 [guide] 表")
            % {"names": _("、").join(profile_names())},
        )
        parser.add_argument("--user", required=True, help=_("执行导入的用户名：按其权限检查，并记入指南草稿"))
        parser.add_argument("--dry-run", action="store_true", help=_("只报告将会发生的修改和错误，不保存"))
        parser.add_argument(
            "--all-or-nothing", action="store_true", help=_("任何一个事项有错误即都不导入（默认：无误的导入）")
        )

    def handle(self, *args, file, profile, user, dry_run, all_or_nothing, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(_("用户“%(user)s”不存在或已停用") % {"user": user})
        if not file.is_file():
            raise CommandError(_("文件 %(file)s 不存在") % {"file": file})
        try:
            outcome = import_item_guides(
                actor=actor, path=file, profile=load_profile(profile), dry_run=dry_run, all_or_nothing=all_or_nothing
            )
        except (ProfileError, FileProblem) as exc:
            raise CommandError(str(exc)) from exc
        report_outcome(self, outcome, dry_run=dry_run, whole=all_or_nothing)
