from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.services import divisions_load
from catalogue.services.divisions import DEFAULT_FILES


class Command(BaseCommand):
    help = gettext_lazy("载入行政区划（省、市、县，广东和重庆到乡镇）。可重复执行，不会重复创建。")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help=_("CSV 文件；缺省为项目自带的区划表"))

    def handle(self, *args, files, **options):
        report = divisions_load(paths=files or DEFAULT_FILES)
        for error in report.errors:
            self.stderr.write(self.style.WARNING(str(error)))
        self.stdout.write(
            _("行政区划：新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s，错误行 %(errors)s")
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "errors": len(report.errors),
            }
        )
        if report.errors and not (report.created or report.updated or report.unchanged):
            raise CommandError(_("没有可载入的有效行"))
