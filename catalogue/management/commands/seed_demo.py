from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoBuilder


def later_steps():
    """``seed_demo(log)`` of every installed app after the catalogue that has a ``demo`` module, in the order of
    INSTALLED_APPS: the catalogue loads its own data and does not need to know the apps built on it."""
    found = False
    for config in apps.get_app_configs():
        if config.name == "catalogue":
            found = True
            continue
        if found and find_spec(f"{config.name}.demo") is not None:
            module = import_module(f"{config.name}.demo")
            if hasattr(module, "seed_demo"):
                yield config.verbose_name, module.seed_demo


def _silent(*args, **kwargs) -> None:
    pass


class Command(BaseCommand):
    help = gettext_lazy(
        "载入演示数据（真实区划、通用目录、清远市和奉节县的实施清单与审批标准、各角色演示账号）。可重复执行。"
    )

    def handle(self, *args, **options):
        # ``-v 0`` (``make run``) prints only the logins: what someone starting the portal needs to sign in.
        log = self.stdout.write if options["verbosity"] > 0 else _silent
        DemoBuilder(log=log).run()
        # The demo's histories notify people as real work would (their inboxes fill); the e-mails are not printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for _name, step in later_steps():
                with transaction.atomic():
                    step(log)
        log("")
        self.stdout.write(self.style.SUCCESS(_("演示账号（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD}))
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<14} {role}")
