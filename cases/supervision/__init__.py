"""Electronic supervision (电子监察): the rules run on every case event (``on_event``) and in the periodic sweep
(``sweep``, run by Celery beat through ``cases.tasks.supervision_sweep``).

- ``rules``: every rule, for one case, from its log, fees and notices against its standard;
- ``findings``: findings become alerts (one per case, rule and key; cleared, never deleted) and ``alert_level``;
- ``sweeping``: the date rules over all open cases in a fixed number of set-based statements.
"""

from __future__ import annotations


def on_event(case, step) -> None:
    """Run the rules for one case after an event was recorded (in the event's transaction)."""
    from .rules import check_case

    check_case(case, step=step)


def sweep(today=None, **kwargs):
    from .sweeping import sweep as run

    return run(today, **kwargs)
