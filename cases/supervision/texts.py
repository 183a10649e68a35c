"""What an alert says to a reader, written from its evidence when shown (so it reads in the reader's language)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cases.models import Alert, AlertRule, StepKind

PROBLEMS = {
    "decide_before_accept": lambda: _("未受理即作出决定"),
    "deliver_before_decide": lambda: _("未作出决定即送达"),
    "finish_without_review": lambda: _("未经审查即办结"),
    "manual_order": lambda: _("先于业务手册规定的前序环节办理"),
    "not_charged": lambda: _("办事指南规定不收费"),
    "no_fee_row": lambda: _("未对应标准收费项目"),
    "name_not_in_standard": lambda: _("收费项目名称不在标准收费项目中"),
}


def _step(code: str) -> str:
    try:
        return str(StepKind(code).label)
    except ValueError:
        return code or "—"


def describe(alert: Alert) -> str:
    e = alert.evidence or {}
    rule = alert.rule
    if rule == AlertRule.PROMISED_NEAR:
        return _("承诺期限%(due)s，距今不超过%(n)s个工作日") % {"due": e.get("due"), "n": e.get("workdays")}
    if rule in (AlertRule.PROMISED_OVER, AlertRule.LEGAL_OVER):
        which = _("承诺") if rule == AlertRule.PROMISED_OVER else _("法定")
        if e.get("finished_on"):
            return _("%(which)s期限%(due)s，%(done)s才办结") % {
                "which": which,
                "due": e["due"],
                "done": e["finished_on"],
            }
        return _("%(which)s期限%(due)s已过，仍未办结") % {"which": which, "due": e.get("due")}
    if rule == AlertRule.STEP_OVER:
        if alert.key == "current":
            return _("当前环节“%(step)s”期限%(due)s已过") % {"step": _step(e.get("step", "")), "due": e.get("due")}
        return _("第%(seq)s步“%(step)s”期限%(due)s，%(done)s才办理") % {
            "seq": e.get("seq"),
            "step": _step(e.get("step", "")),
            "due": e.get("due"),
            "done": e.get("done"),
        }
    if rule == AlertRule.OUT_OF_ORDER:
        problems = "；".join(PROBLEMS[p]() for p in e.get("problems", []) if p in PROBLEMS)
        text = _("第%(seq)s步“%(step)s”：%(problems)s") % {
            "seq": e.get("seq"),
            "step": _step(e.get("step", "")),
            "problems": problems,
        }
        if e.get("missing"):
            text += _("（未办理：%(missing)s）") % {"missing": "、".join(_step(m) for m in e["missing"])}
        return text
    if rule == AlertRule.BEYOND_AUTHORITY:
        if e.get("post"):
            return _("第%(seq)s步“%(step)s”由%(actor)s办理，其不在“%(post)s”岗位（含B岗）") % {
                "seq": e.get("seq"),
                "step": _step(e.get("step", "")),
                "actor": e.get("actor") or "—",
                "post": e["post"],
            }
        return _("第%(seq)s步“%(step)s”由%(actor)s办理，其不属于实施机构") % {
            "seq": e.get("seq"),
            "step": _step(e.get("step", "")),
            "actor": e.get("actor") or "—",
        }
    if rule == AlertRule.REFUSAL_WITHOUT_REASON:
        return _("不予许可决定未说明理由") if alert.key == "decision" else _("不予受理未说明理由")
    if rule == AlertRule.FEE_OFF_STANDARD:
        problems = "；".join(PROBLEMS[p]() for p in e.get("problems", []) if p in PROBLEMS)
        return _("收取“%(fee)s”%(amount)s元：%(problems)s") % {
            "fee": e.get("fee"),
            "amount": e.get("amount"),
            "problems": problems,
        }
    if rule == AlertRule.LATE_SUPPLEMENT_NOTICE:
        return _("%(received)s收件，%(notice)s才出具补正通知（应不晚于%(limit)s）") % {
            "received": e.get("received_on"),
            "notice": e.get("notice_on"),
            "limit": e.get("limit_on"),
        }
    return alert.get_rule_display()
