from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.imports import FileProblem, ImportDenied, ProfileError, catalogue_import, load_profile, profile_names
from catalogue.imports.matching import DECISIONS
from catalogue.services.imports import import_follow_up
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
        parser.add_argument(
            "--all-or-nothing", action="store_true", help=_("有任何一行被拒绝或有未决定的编码冲突时，整个文件都不导入")
        )
        parser.add_argument(
            "--conflicts",
            choices=DECISIONS,
            default="",
            help=_(
                "编码冲突（编码已属于目录中名称或类型不同的事项）一律：keep 保留目录中的、take 采用文件中的、skip 跳过"
            ),
        )

    def handle(self, *args, file, profile, division, user, dry_run, all_or_nothing, conflicts, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(_("用户“%(user)s”不存在或已停用") % {"user": user})
        if not file.is_file():
            raise CommandError(_("文件 %(file)s 不存在") % {"file": file})
        try:
            loaded = load_profile(profile)
            decided = _conflict_codes(file, loaded, actor, division, conflicts) if conflicts else {}
            report = catalogue_import(
                actor=actor,
                path=file,
                profile=loaded,
                division_code=division,
                dry_run=dry_run,
                all_or_nothing=all_or_nothing,
                decisions=decided,
            )
        except (ProfileError, FileProblem, ImportDenied) as exc:
            raise CommandError(str(exc)) from exc
        if report.saved:
            report.follow_up = import_follow_up(
                actor=actor,
                path=file,
                profile_name=profile,
                file_name=file.name,
                rows=report.accepted_rows,
                all_or_nothing=all_or_nothing,
            )
        for rejection in report.rejections:
            self.stdout.write(self.style.WARNING(str(rejection)))
        for code, conflict in report.conflicts.items():
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "编码冲突 %(code)s（第%(rows)s行）：目录中为“%(old)s”（%(old_type)s），"
                        "文件中为“%(new)s”（%(new_type)s）"
                    )
                    % {
                        "code": code,
                        "rows": enumeration(conflict["rows"]),
                        "old": conflict["existing"]["name"],
                        "old_type": conflict["existing"]["item_type"],
                        "new": conflict["incoming"]["name"],
                        "new_type": conflict["incoming"]["item_type"],
                    }
                )
            )
        for code, choice in report.name_choices.items():
            self.stdout.write(
                _("一码多名 %(code)s：%(names)s，通用目录事项取“%(chosen)s”")
                % {"code": code, "names": enumeration(choice["names"]), "chosen": choice["chosen"]}
            )
        self.stdout.write(report.summary())
        if dry_run:
            self.stdout.write(_("试运行：未保存任何内容。"))
        elif not report.saved:
            self.stdout.write(self.style.ERROR(_("有被拒绝的行，按 --all-or-nothing 要求，未保存任何内容。")))
        else:
            self.stdout.write(self.style.SUCCESS(_("已保存。")))
            for message in report.follow_up:
                self.stdout.write(str(message))


def _conflict_codes(file, profile, actor, division, decision) -> dict[str, str]:
    """The codes in conflict (found by a dry run), each given the one decision of ``--conflicts``."""
    preview = catalogue_import(actor=actor, path=file, profile=profile, division_code=division, dry_run=True)
    return dict.fromkeys(preview.conflicts, decision)
