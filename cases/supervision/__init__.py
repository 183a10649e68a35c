"""Electronic supervision (电子监察): the rules run on every case event (``on_event``; ``on_events`` for a batch of
events) and in the periodic sweep (``sweep``, run by Celery beat through ``cases.tasks.supervision_sweep``).

- ``rules``: every rule, for one case, from its log, fees and notices against its standard;
- ``findings``: findings become alerts (one per case, rule and key; cleared, never deleted) and ``alert_level``;
- ``sweeping``: the date rules over all open cases in a fixed number of set-based statements.
"""

from __future__ import annotations


def on_event(case, step) -> None:
    """Run the rules for one case after an event was recorded (in the event's transaction).

    The date rules are judged on the day the event happened: an event recorded late (a batch from another system,
    a record entered afterwards) must not find the case overdue for days that had not yet come, and open a 督办 that
    the next event clears. What is overdue today the periodic sweep finds."""
    on_events([(case, step)])


def on_events(entries) -> None:
    """``on_event`` for several cases at once, each after its own event (``(case, last step or None)``): the rules
    run once per case, each case judged on its event's day, in a bounded number of queries whatever the number of
    cases (a batch of events from another system)."""
    from django.utils import timezone

    from .rules import check_cases, local_day

    today = timezone.localdate()
    check_cases(
        [
            (case, step, min(today, local_day(step.at)) if step is not None and step.at is not None else today)
            for case, step in entries
        ]
    )


def sweep(today=None, **kwargs):
    from .sweeping import sweep as run

    return run(today, **kwargs)
