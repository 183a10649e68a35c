"""Template filters of the case pages: personal data masked as every list shows it."""

from django import template

from cases.masking import mask_id_number, mask_phone

register = template.Library()

register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)


@register.filter
def notice_kind(value: str) -> str:
    from cases.models import NoticeKind

    return NoticeKind(value).label if value in NoticeKind.values else value


@register.filter
def delivery_label(value: str) -> str:
    from standards.models import DeliveryMethod

    return DeliveryMethod(value).label if value in DeliveryMethod.values else value
