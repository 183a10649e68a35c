"""Systems that send case events: issuing their tokens and recognising them again.

A token is shown once, when issued; only its SHA-256 digest is kept (``ExternalSystem.token_hash``), with its first
eight characters (``token_hint``) so an administrator can tell which token a system holds without seeing it.

Cases from a system are numbered ``EX{system id}-{办件编号}``: two provincial platforms may well use the same 办件编号,
and the prefix keeps the portal's numbers unique while the applicant's own number stays readable in it. The public
progress page accepts either form.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from catalogue.models import Division

from .models import ExternalSystem

TOKEN_BYTES = 32
NUMBER_PREFIX = "EX"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def external_case_number(system_id: int, project_no: str) -> str:
    return f"{NUMBER_PREFIX}{system_id}-{project_no}"


def system_for_token(token: str) -> ExternalSystem | None:
    """The active system holding ``token``, or None. The digest is looked up by its unique index, so the comparison
    costs the same for every wrong token."""
    if not token:
        return None
    return (
        ExternalSystem.objects.select_related("division").filter(token_hash=token_digest(token), is_active=True).first()
    )


@transaction.atomic
def external_system_issue(*, name: str, division: Division, rotate: bool = False) -> tuple[ExternalSystem, str]:
    """Create the system (or, with ``rotate``, give an existing one a new token, which ends the old one at once) and
    return it with its token — the only time the token is known."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    system = ExternalSystem.objects.select_for_update().filter(name=name).first()
    if system is None:
        system = ExternalSystem(name=name, division=division)
    elif not rotate:
        raise ValueError(name)
    system.token_hash = token_digest(token)
    system.token_hint = token[:8]
    system.save()
    return system, token
