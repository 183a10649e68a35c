"""Every change to a case: acceptance at the window and handling along the manual."""

from .acceptance import (
    Outcome,
    case_accept,
    case_receive,
    case_refuse,
    case_request_supplement,
    case_supplement_received,
)
from .fees import case_charge
from .handling import case_decide, case_deliver, case_do_step, case_finish
from .limits import case_decide_extension, case_request_extension, case_resume, case_suspend
from .log import record_step, record_steps

__all__ = [
    "Outcome",
    "case_accept",
    "case_charge",
    "case_decide",
    "case_decide_extension",
    "case_deliver",
    "case_do_step",
    "case_finish",
    "case_receive",
    "case_refuse",
    "case_request_extension",
    "case_request_supplement",
    "case_resume",
    "case_supplement_received",
    "case_suspend",
    "record_step",
    "record_steps",
]
