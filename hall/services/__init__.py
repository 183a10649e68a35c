"""Every state change of the hall: functions that take the acting user, run in a transaction, lock what they change
and record what happened. Import them from their modules (``hall.services.consultation`` …)."""
