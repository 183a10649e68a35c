"""Numbers that say whose, when and what: the case number (办件编号) and the numbers of its notices.

A case number is the implementing body's organization code (characters 9–17 of its unified social credit code), the
year, the item's general-catalogue code and a five-digit serial per body, year and item. The serial row is locked
while it is taken, so two windows accepting the same item at the same moment get two numbers; a rolled-back
acceptance may leave a gap, which nobody relies on.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from catalogue.models import LocalItem, Organization

from .models import Case, CaseSerial, Notice

# The letters a notice number carries for its kind (受理 SL, 补正 BZ, 不予受理 BS, 决定 JD, 特别程序 TB, 延期 YQ).
NOTICE_CODES = {
    "acceptance": "SL",
    "supplement": "BZ",
    "not_accepted": "BS",
    "decision": "JD",
    "suspension": "TB",
    "extension": "YQ",
}


def organization_code(organization: Organization) -> str:
    """The organization code inside a unified social credit code (GB 32100: characters 9–17)."""
    return (organization.uscc or "")[8:17]


def _next_serial(organization: Organization, year: int, item_code: str) -> int:
    lookup = {"organization": organization, "year": year, "item_code": item_code}
    serial = CaseSerial.objects.select_for_update().filter(**lookup).first()
    if serial is None:
        try:
            with transaction.atomic():
                serial = CaseSerial.objects.create(**lookup)
        except IntegrityError:  # another window created the row first: take it, locked
            serial = CaseSerial.objects.select_for_update().get(**lookup)
        serial = CaseSerial.objects.select_for_update().get(pk=serial.pk)
    serial.last += 1
    serial.save(update_fields=["last"])
    return serial.last


@transaction.atomic
def next_case_number(local_item: LocalItem, year: int) -> str:
    """Take the next case number for ``local_item`` in ``year``; call inside the transaction that saves the case."""
    organization = local_item.organization
    item_code = local_item.general_item.code
    prefix = f"{organization_code(organization)}{year:04d}{item_code}"
    while True:
        # Two bodies whose credit codes share an organization code (an entry error, or made-up data) would share
        # numbers; a number already taken is skipped.
        number = f"{prefix}{_next_serial(organization, year, item_code):05d}"
        if not Case.objects.filter(number=number).exists():
            return number


def next_notice_number(case: Case, kind: str) -> str:
    """The case number, the kind's letters and a counter per case and kind: the case is locked by the caller."""
    count = Notice.objects.filter(case=case, kind=kind).count()
    return f"{case.number}-{NOTICE_CODES.get(kind, 'WS')}{count + 1:02d}"
