from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top of the portal: the pages that put every app together (home page, navigation bar)."""

    name = "portal"
    verbose_name = _("门户")
