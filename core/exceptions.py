"""Domain exceptions raised by services; one place maps them to HTTP answers."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["ConflictError", "PermissionDenied", "TransitionNotAllowed", "ValidationError"]


class ConflictError(Exception):
    """The record changed since the caller read it, or the action was already taken by someone else."""

    def __init__(self, message: str, *, changes: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.changes = changes or {}


class TransitionNotAllowed(Exception):
    """The requested action is not possible in the record's current state."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
