"""The inbox: tell people about events that need them, once, in the portal and by e-mail.

Apps decide who is told of what (``reviews.notices``); this module only delivers. ``notify`` writes one inbox row per
recipient and event — a recipient already told of that event is skipped, so replays and reminder jobs that run twice
stay silent — and, after the surrounding transaction commits, queues the e-mails as a Celery task: a slow mail server
never holds up the decision that caused the message, and a rolled-back decision sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification


@dataclass(frozen=True)
class Message:
    """What one event says. ``key`` identifies the event; ``url`` is a path inside the portal."""

    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""


def notify(recipients: Iterable[User], message: Message) -> int:
    """Put ``message`` in the inbox of each active recipient not yet told of ``message.key``; returns how many were
    told now. The e-mails follow after commit."""
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return 0
    told = set(
        Notification.objects.filter(key=message.key, recipient_id__in=people).values_list("recipient_id", flat=True)
    )
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=pk,
            kind=message.kind,
            key=message.key[:64],
            title=message.title[:200],
            body=message.body,
            url=message.url[:300],
            created_at=now,
        )
        for pk in people
        if pk not in told
    ]
    if not rows:
        return 0
    # A concurrent replay of the same event may have written some rows meanwhile: the constraint keeps them single.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(people[row.recipient_id].email for row in rows):
        transaction.on_commit(lambda: _queue_emails(message.key[:64]))
    return len(rows)


def _queue_emails(key: str) -> None:
    from .tasks import send_notification_emails

    send_notification_emails.delay(key)


def send_emails(key: str) -> int:
    """Send the not yet e-mailed messages of one event to recipients with an address; returns how many went out.

    Rows are locked and skipped when locked, and marked as sent in the same transaction, so two workers running the
    same task (a retry after a lost acknowledgement) send each message once."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(key=key, emailed_at__isnull=True)
            .exclude(recipient__email="")
            .select_related("recipient")
        )
        if not pending:
            return 0
        base = settings.PORTAL_BASE_URL.rstrip("/")
        emails = [
            EmailMessage(
                subject=f"【{settings.PORTAL_NAME}】{n.title}",
                body="\n\n".join(part for part in (n.body, f"{base}{n.url}" if n.url else "") if part),
                to=[n.recipient.email],
            )
            for n in pending
        ]
        sent = get_connection().send_messages(emails) or 0
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return sent


def inbox(user: User) -> QuerySet[Notification]:
    """A user's messages, newest first (only ever their own)."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.unread().filter(recipient_id=user.pk).count()


def mark_read(user: User, *, pk: int | None = None) -> int:
    """Mark one message (``pk``) or all of a user's messages as read; another person's message is never touched."""
    messages = Notification.objects.unread().filter(recipient_id=user.pk)
    if pk is not None:
        messages = messages.filter(pk=pk)
    return messages.update(read_at=timezone.now())
