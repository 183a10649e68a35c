"""Fees as actually charged on a case. A fee off the standard's fee rows is recorded all the same (with no row):
supervision raises it, and hiding it would hide the very thing supervision is for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case, CaseFee, StepKind
from standards.models import FeeItem

from .common import ensure_handling, lock, moment, require_text
from .log import record_step


@transaction.atomic
def case_charge(*, actor: User, case: Case, fee_item: FeeItem | str, amount, at: dt.datetime | None = None) -> CaseFee:
    """Record a fee actually charged. A fee off the standard's rows is recorded as charged (with no row), and
    supervision raises it."""
    case = lock(case)
    ensure_handling(actor, case)
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        amount = Decimal("-1")
    if amount <= 0 or amount.as_tuple().exponent < -2:
        raise ValidationError({"amount": _("请填写收费金额（元，最多两位小数）")})
    if isinstance(fee_item, FeeItem):
        if fee_item.standard_id != case.standard_id:
            raise ValidationError({"fee_item": _("收费项目不属于本办件适用的审批标准")})
        row, name = fee_item, fee_item.name
    else:
        name = require_text(fee_item, "fee_item", _("请填写收费项目"))
        row = case.standard.fees.filter(name=name).first() if case.standard_id else None
    at = moment(at)[0]
    fee = CaseFee.objects.create(case=case, fee_item=row, name=name, amount=amount, charged_at=at, recorded_by=actor)
    opinion = _("%(name)s %(amount)s元") % {"name": name, "amount": amount}
    record_step(case, StepKind.FEE, actor=actor, at=at, opinion=opinion)
    return fee
