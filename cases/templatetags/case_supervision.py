"""Template helpers of electronic supervision: an alert in words, and what the reader may do with a 督办."""

from __future__ import annotations

from django import template
from django.utils import timezone

from cases import permissions
from cases.models import OversightState
from cases.supervision.texts import describe

register = template.Library()


@register.filter
def alert_text(alert) -> str:
    return describe(alert)


@register.filter
def oversight_overdue(oversight) -> bool:
    return oversight.state == OversightState.OPEN and oversight.reply_due < timezone.localdate()


@register.simple_tag(takes_context=True)
def oversight_actions(context, oversight) -> dict[str, bool]:
    """Which 督办 actions the reader has on this row: reply (the department), close or send back (the office)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"reply": False, "close": False}
    close = False
    if oversight.state == OversightState.REPLIED:
        # One question per case on a page, however many of its 督办 wait for closing.
        asked = context.render_context.setdefault("case_supervision_closes", {})
        if oversight.case_id not in asked:
            asked[oversight.case_id] = permissions.can_close_oversight(user, oversight)
        close = asked[oversight.case_id]
    return {
        "reply": oversight.state == OversightState.OPEN and permissions.can_reply_oversight(user, oversight),
        "close": close,
    }
