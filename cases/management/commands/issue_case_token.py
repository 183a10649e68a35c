"""``issue_case_token NAME --division CODE [--rotate]``: let another system send case events, and print its token.

The token is printed once and never stored (only its SHA-256 digest is): give it to the system's operators at once.
``--rotate`` gives an existing system a new token; the old one stops working immediately."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.external import external_system_issue
from catalogue.models import Division


class Command(BaseCommand):
    help = gettext_lazy("为外部办件系统签发令牌（只显示一次）")

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help=gettext_lazy("系统名称，如“广东省政务服务一体化平台（清城区）”"))
        parser.add_argument(
            "--division",
            required=True,
            help=gettext_lazy("该系统所辖区划代码：只接受该区划及其下级的事项"),
        )
        parser.add_argument("--rotate", action="store_true", help=gettext_lazy("为已有系统换发新令牌，旧令牌立即失效"))

    def handle(self, *args, name: str, division: str, rotate: bool, **options) -> None:
        area = Division.objects.filter(code=division.strip()).first()
        if area is None:
            raise CommandError(_("区划代码 %(code)s 不存在") % {"code": division})
        try:
            system, token = external_system_issue(name=name.strip(), division=area, rotate=rotate)
        except ValueError:
            raise CommandError(_("系统“%(name)s”已存在；换发令牌请加 --rotate") % {"name": name}) from None
        self.stdout.write(
            _("系统：%(name)s（编号 %(pk)s，所辖区划 %(code)s %(division)s）")
            % {"name": system.name, "pk": system.pk, "code": area.code, "division": area.name}
        )
        self.stdout.write(_("本系统的办件编号形如 EX%(pk)s-<办件编号>") % {"pk": system.pk})
        self.stdout.write(_("令牌（只显示这一次，请妥善交付）："))
        self.stdout.write(token)
