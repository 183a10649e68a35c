from django import template
from django.conf import settings
from django.utils.translation import gettext

from core.security import lockout_minutes

register = template.Library()


@register.simple_tag
def lockout_notice() -> str:
    """The login page's note on the lockout policy, with the numbers the settings use."""
    return gettext("连续 %(limit)s 次密码错误，账号将被锁定 %(minutes)s 分钟；长时间不操作，登录将自动失效。") % {
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": lockout_minutes(),
    }
