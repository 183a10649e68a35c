from django.core.management.base import BaseCommand

from catalogue.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoBuilder


class Command(BaseCommand):
    help = "载入演示数据（真实区划、通用目录、清远市和奉节县的实施清单、各角色演示账号）。可重复执行。"

    def handle(self, *args, **options):
        DemoBuilder(log=self.stdout.write).run()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<14} {role}")
