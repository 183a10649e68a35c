import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.services import rates_compute


class Command(BaseCommand):
    help = gettext_lazy(
        "计算并保存各统计范围当日的标准录入提交率、审查通过率等统计快照及办件与电子监察统计"
        "（同一日期重复运行会替换，不会重复）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("统计日期 YYYY-MM-DD，默认今天"))

    def handle(self, *args, date=None, **options):
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD：%(date)s") % {"date": date}) from exc
        stored = rates_compute(date=day, progress=lambda p, m: self.stdout.write(f"{p:>3}% {_(m)}"))
        self.stdout.write(self.style.SUCCESS(_("已保存 %(n)d 条统计快照") % {"n": stored}))
