import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Division
from reporting.services import progress_report_build, progress_report_create


class Command(BaseCommand):
    help = gettext_lazy("为一个报送单位生成某统计期的进度报表（Excel），报送省编办")

    def add_arguments(self, parser):
        parser.add_argument("division", help=_("报送单位的区划代码，如 441800"))
        parser.add_argument("--start", required=True, help=_("统计期起 YYYY-MM-DD"))
        parser.add_argument("--end", required=True, help=_("统计期止 YYYY-MM-DD"))
        parser.add_argument("--user", required=True, help=_("以哪个用户的身份生成（须有权为该单位报送）"))
        parser.add_argument("--contact", default="", help=_("联系人及电话"))

    def handle(self, *args, division, start, end, user, contact, **options):
        try:
            unit = Division.objects.get(pk=division)
            actor = User.objects.get(username=user)
            period = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        except Division.DoesNotExist as exc:
            raise CommandError(_("没有区划代码 %(code)s") % {"code": division}) from exc
        except User.DoesNotExist as exc:
            raise CommandError(_("没有用户 %(user)s") % {"user": user}) from exc
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD")) from exc
        try:
            report = progress_report_create(
                actor=actor, division=unit, period_start=period[0], period_end=period[1], contact=contact
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        report = progress_report_build(report_id=report.pk, progress=lambda p, m: self.stdout.write(f"{p:>3}% {_(m)}"))
        self.stdout.write(
            self.style.SUCCESS(_("报表 %(report)s 已生成：%(path)s") % {"report": report.pk, "path": report.file.path})
        )
