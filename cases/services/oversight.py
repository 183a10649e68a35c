"""督办: a red alert put to the implementing department, answered by it, closed (or sent back) by the supervising
office.

A red alert opens its 督办 by itself, in the transaction that raised the alert (an event, or the sweep), with a
reply deadline of ``CASES_OVERSIGHT_REPLY_WORKDAYS`` working days; the department's heads hear of it in their inbox.
The department replies with its explanation and correction; the supervising office (the county's service centre
supervisors and 编办) closes the 督办 or sends it back with a note, and then the department replies again by a new
deadline. Nothing is deleted. An open 督办 past its reply deadline is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases import permissions
from cases.models import Alert, AlertRule, Case, Oversight, OversightState
from catalogue.models import Membership, Role
from core.exceptions import PermissionDenied, TransitionNotAllowed, ValidationError
from core.i18n import Message as M
from core.i18n import choice_message
from core.models import Notification
from core.notifications import Message, notify_each
from core.workdays import add_workdays

AUTOMATIC_INSTRUCTION = gettext_noop("电子监察发现红色警告，请在答复期限内说明情况并报告整改措施。")
NOTIFY_ROLES = (Role.DEPT_HEAD,)


def reply_workdays() -> int:
    return int(getattr(settings, "CASES_OVERSIGHT_REPLY_WORKDAYS", 3))


def reply_due_from(today: dt.date) -> dt.date:
    return add_workdays(today, reply_workdays())


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """督办 still waiting for the department's reply after its deadline."""
    return Q(**{f"{prefix}state": OversightState.OPEN, f"{prefix}reply_due__lt": today})


def oversights_open_many(entries: Iterable[tuple[Case, Iterable[Alert], dt.date | None]]) -> list[Oversight]:
    """Open a 督办 for each red alert of each case that has none (a raised-again alert keeps its earlier one), with
    its reply deadline counted from the day the alerts were judged on. Used by the rules inside the transaction that
    raised the alerts; the departments' heads are told. The same few queries for one case or many."""
    entries = [(case, [a for a in alerts if a.pk], today) for case, alerts, today in entries]
    if not any(alerts for _case, alerts, _today in entries):
        return []
    taken = set(
        Oversight.objects.filter(alert__in=[a for _c, alerts, _t in entries for a in alerts]).values_list(
            "alert_id", flat=True
        )
    )
    instruction = _(AUTOMATIC_INSTRUCTION)
    created = Oversight.objects.bulk_create(
        [
            Oversight(
                case=case,
                alert=a,
                organization_id=case.organization_id,
                reply_due=reply_due_from(today or timezone.localdate()),
                instruction=instruction,
            )
            for case, alerts, today in entries
            for a in alerts
            if a.pk not in taken
        ]
    )
    tell_departments(created)
    return created


def tell_departments(oversights: list[Oversight]) -> int:
    """Each new 督办 in the inbox of its department's heads: one query for the people, three for the messages."""
    if not oversights:
        return 0
    people: dict[int, list[User]] = {}
    memberships = Membership.objects.filter(
        organization_id__in={o.organization_id for o in oversights}, role__in=NOTIFY_ROLES, user__is_active=True
    ).select_related("user")
    for membership in memberships:
        people.setdefault(membership.organization_id, []).append(membership.user)
    deliveries = []
    for oversight in oversights:
        rule = choice_message(AlertRule(oversight.alert.rule).label) if oversight.alert.rule in AlertRule else ""
        message = Message(
            kind=Notification.Kind.OVERSIGHT,
            key=f"oversight:{oversight.pk}",
            title=M(gettext_noop("督办：%(number)s %(rule)s"), number=oversight.case.number, rule=rule),
            body=M(gettext_noop("请于%(due)s前答复情况说明和整改措施。"), due=oversight.reply_due.isoformat()),
            url=reverse("cases:oversight", args=[oversight.pk]),
        )
        deliveries.append((people.get(oversight.organization_id, []), message))
    return notify_each(deliveries)


SENTINEL = "\x00"
URL_SENTINEL = 987654321


def _around(text: str, sentinel: str) -> tuple[str, str]:
    before, _sep, after = text.partition(sentinel)
    return before, after


def tell_departments_opened(*, opened_at: dt.datetime, reply_due: dt.date) -> int:
    """``tell_departments`` for every 督办 the sweep opened at ``opened_at`` (all with ``reply_due``), as one
    ``INSERT … SELECT`` into the inbox: the same rows, titles, message data and links, without building a message
    per 督办 in Python (tens of thousands on a province's first sweep). Returns how many were told now; the e-mails
    are queued after commit, as ``notify_each`` does."""
    from core.notifications import _queue_emails

    quote = connection.ops.quote_name
    json_object = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    title_msgid = gettext_noop("督办：%(number)s %(rule)s")
    body_msgid = gettext_noop("请于%(due)s前答复情况说明和整改措施。")
    due = reply_due.isoformat()
    body = str(M(body_msgid, due=due))
    url_before, url_after = _around(reverse("cases:oversight", args=[URL_SENTINEL]), str(URL_SENTINEL))
    title_cases, rule_cases, params = [], [], []
    for rule in AlertRule:
        label = choice_message(rule.label)
        before, after = _around(str(M(title_msgid, number=SENTINEL, rule=label)), SENTINEL)
        title_cases.append("WHEN %s THEN %s || c.number || %s")
        params += [rule.value, before, after]
    for rule in AlertRule:
        rule_cases.append("WHEN %s THEN %s")
        params += [rule.value, getattr(choice_message(rule.label), "msgid", str(rule.label))]
    no_rule_before, no_rule_after = _around(str(M(title_msgid, number=SENTINEL, rule="")), SENTINEL)
    statement = f"""
INSERT INTO {quote(Notification._meta.db_table)}
    (recipient_id, kind, {quote("key")}, title, body, title_data, body_data, url, created_at)
SELECT m.user_id, %s, %s || CAST(o.id AS TEXT),
       SUBSTR(CASE a.rule {" ".join(title_cases)} ELSE %s || c.number || %s END, 1, 200),
       %s,
       {json_object}('msgid', %s, 'params', {json_object}(
           'number', c.number,
           'rule', {json_object}('msgid', CASE a.rule {" ".join(rule_cases)} END, 'params', {json_object}()))),
       {json_object}('msgid', %s, 'params', {json_object}('due', %s)),
       SUBSTR(%s || CAST(o.id AS TEXT) || %s, 1, 300),
       %s
FROM {quote(Oversight._meta.db_table)} o
JOIN {quote(Alert._meta.db_table)} a ON a.id = o.alert_id
JOIN {quote(Case._meta.db_table)} c ON c.id = o.case_id
JOIN {quote(Membership._meta.db_table)} m ON m.organization_id = o.organization_id
JOIN {quote(User._meta.db_table)} u ON u.id = m.user_id
WHERE o.opened_at = %s AND o.opened_by_id IS NULL AND m.role IN ({", ".join(["%s"] * len(NOTIFY_ROLES))})
  AND u.is_active
ON CONFLICT (recipient_id, {quote("key")}) DO NOTHING"""
    moment = connection.ops.adapt_datetimefield_value(opened_at)
    all_params = [
        Notification.Kind.OVERSIGHT.value,
        "oversight:",
        *params[: 3 * len(AlertRule)],
        no_rule_before,
        no_rule_after,
        body,
        title_msgid,
        *params[3 * len(AlertRule) :],
        body_msgid,
        due,
        url_before,
        url_after,
        moment,
        moment,
        *[role.value if hasattr(role, "value") else role for role in NOTIFY_ROLES],
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, all_params)
        told = max(cursor.rowcount, 0)
        if not told:
            return 0
        cursor.execute(
            f"""SELECT DISTINCT n.{quote("key")} FROM {quote(Notification._meta.db_table)} n
JOIN {quote(User._meta.db_table)} u ON u.id = n.recipient_id
WHERE n.kind = %s AND n.created_at = %s AND n.emailed_at IS NULL AND u.email <> ''""",
            [Notification.Kind.OVERSIGHT.value, moment],
        )
        for (key,) in cursor.fetchall():
            transaction.on_commit(partial(_queue_emails, key))
    return told


def _locked(oversight: Oversight) -> Oversight:
    return Oversight.objects.select_for_update().select_related("case", "alert").get(pk=oversight.pk)


@transaction.atomic
def oversight_reply(*, oversight: Oversight, actor: User, explanation: str, correction: str) -> Oversight:
    """The department's answer: why it happened and what was corrected. Only an open 督办 takes a reply."""
    oversight = _locked(oversight)
    if not permissions.can_reply_oversight(actor, oversight):
        raise PermissionDenied(_("只有责任单位的负责人或审批人员可以答复督办。"))
    if oversight.state != OversightState.OPEN:
        raise TransitionNotAllowed(_("该督办当前不在待答复状态，不能答复。"))
    errors = {}
    if not explanation.strip():
        errors["explanation"] = _("请填写情况说明。")
    if not correction.strip():
        errors["correction"] = _("请填写整改措施。")
    if errors:
        raise ValidationError(errors)
    oversight.explanation, oversight.correction = explanation.strip(), correction.strip()
    oversight.state, oversight.replied_at, oversight.replied_by = OversightState.REPLIED, timezone.now(), actor
    oversight.save(update_fields=["explanation", "correction", "state", "replied_at", "replied_by"])
    return oversight


@transaction.atomic
def oversight_close(*, oversight: Oversight, actor: User, note: str = "") -> Oversight:
    """The supervising office accepts the department's reply and closes the 督办."""
    oversight = _locked(oversight)
    if not permissions.can_close_oversight(actor, oversight):
        raise PermissionDenied(_("只有督办的监察机构可以办结督办。"))
    if oversight.state != OversightState.REPLIED:
        raise TransitionNotAllowed(_("责任单位答复后才能办结督办。"))
    oversight.state, oversight.closed_at, oversight.closed_by = OversightState.CLOSED, timezone.now(), actor
    oversight.close_note = note.strip()
    oversight.save(update_fields=["state", "closed_at", "closed_by", "close_note"])
    return oversight


@transaction.atomic
def oversight_send_back(*, oversight: Oversight, actor: User, note: str, today: dt.date | None = None) -> Oversight:
    """The reply is not enough: back to the department, open again, with the note and a new reply deadline."""
    oversight = _locked(oversight)
    if not permissions.can_close_oversight(actor, oversight):
        raise PermissionDenied(_("只有督办的监察机构可以退回督办。"))
    if oversight.state != OversightState.REPLIED:
        raise TransitionNotAllowed(_("只有已答复的督办可以退回。"))
    if not note.strip():
        raise ValidationError({"note": _("退回时请写明需要补充说明或整改的内容。")})
    oversight.state, oversight.close_note = OversightState.OPEN, note.strip()
    oversight.reply_due = reply_due_from(today or timezone.localdate())
    oversight.save(update_fields=["state", "close_note", "reply_due"])
    return oversight
