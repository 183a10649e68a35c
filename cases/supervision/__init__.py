"""Electronic supervision (电子监察): the rules run on every case event (``on_event``) and in the periodic sweep."""

from __future__ import annotations


def on_event(case, step) -> None:
    """Run the rules for one case after an event was recorded (in the event's transaction)."""
    from .rules import check_case

    check_case(case, step=step)
