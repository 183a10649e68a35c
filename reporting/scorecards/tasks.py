"""The Celery task of a scorecard: a thin wrapper around ``services.scorecard_compute`` with progress."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth.models import User

from core.tasks import report_progress

from . import services


@shared_task(bind=True, acks_late=True)
def compute_scorecard(self, scorecard_id: int, actor_id: int | None = None) -> dict:
    """Compute a scorecard's results (refused, not retried, once it is frozen)."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    scorecard = services.scorecard_compute(
        scorecard_id=scorecard_id,
        actor=actor,
        progress=lambda percent, message: report_progress(self, percent, message),
    )
    return {"scorecard": scorecard.pk, "status": scorecard.status}
