"""The inbox: tell people about events that need them, once, in the portal and by e-mail.

Apps decide who is told of what (``reviews.notices``); this module only delivers. ``notify`` writes one inbox row per
recipient and event — a recipient already told of that event is skipped, so replays and reminder jobs that run twice
stay silent — and, after the surrounding transaction commits, queues the e-mails as a Celery task: a slow mail server
never holds up the decision that caused the message, and a rolled-back decision sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from .i18n import Message as I18nMessage
from .i18n import message_data
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
    return notify_each([(recipients, message)])


def notify_each(deliveries: Iterable[tuple[Iterable[User], Message]]) -> int:
    """``notify`` for many events at once (a reminder run): three queries whatever their number — who was told
    already, the new rows, nothing per event. Returns how many were told now."""
    wanted: list[tuple[str, Message, dict[int, User]]] = []
    for recipients, message in deliveries:
        people = {user.pk: user for user in recipients if user is not None and user.is_active}
        if people:
            wanted.append((message.key[:64], message, people))
    if not wanted:
        return 0
    told = set(
        Notification.objects.filter(
            key__in={key for key, _, _ in wanted}, recipient_id__in={pk for _, _, people in wanted for pk in people}
        ).values_list("key", "recipient_id")
    )
    now = timezone.now()
    rows: list[Notification] = []
    emailed: list[str] = []
    for key, message, people in wanted:
        new = [
            Notification(
                recipient_id=pk,
                kind=message.kind,
                key=key,
                title=message.title[:200],
                body=message.body,
                title_data=message_data(message.title) if isinstance(message.title, I18nMessage) else None,
                body_data=message_data(message.body) if isinstance(message.body, I18nMessage) else None,
                url=message.url[:300],
                created_at=now,
            )
            for pk in people
            if (key, pk) not in told
        ]
        rows += new
        if any(people[row.recipient_id].email for row in new):
            emailed.append(key)
    if not rows:
        return 0
    # A concurrent replay of the same event may have written some rows meanwhile: the constraint keeps them single.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    for key in emailed:
        transaction.on_commit(partial(_queue_emails, key))
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
                subject=gettext("【%(portal)s】%(title)s") % {"portal": settings.PORTAL_NAME, "title": n.title},
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
