"""Appeals against mistaken or malicious grades: filed by the owning unit's heads, decided by the supervising office
(never the appealing unit itself); upheld, the grade leaves the figures and its rectification ends, the record stays."""

from __future__ import annotations

import pytest

from core.exceptions import PermissionDenied, TransitionNotAllowed, ValidationError
from evaluation import selectors
from evaluation.models import Appeal, AppealState, Evaluation, Rectification, Stage
from evaluation.services import EvaluationInput, appeal_decide, appeal_file, evaluation_submit_for_case

from .conftest import make_case

ONLINE = ("overall", "efficiency", "guide_accuracy", "convenience", "usability")


def give(bed, grade: int) -> Evaluation:
    data = EvaluationInput(grades=dict.fromkeys(ONLINE, grade) | {"guide_accuracy": 3})
    return evaluation_submit_for_case(case=make_case(bed), data=data)


def file(bed, evaluation: Evaluation) -> Appeal:
    return appeal_file(
        evaluation=evaluation, actor=bed["head"], reason="malicious", statement="评价人与办件无关，系恶意差评"
    )


def test_an_upheld_appeal_excludes_the_grade_from_the_figures_but_keeps_the_record(casebed):
    give(casebed, 5)
    bad = give(casebed, 1)
    before = selectors.department_figures(None)[0]
    assert (before["evaluations"], before["bad"], before["satisfaction"]) == (2, 1, 0.5)

    appeal = file(casebed, bad)
    appeal = appeal_decide(appeal=appeal, actor=casebed["center_supervisor"], upheld=True, note="经核实属恶意差评")
    bad.refresh_from_db()
    assert appeal.state == AppealState.UPHELD and bad.excluded
    assert Rectification.objects.get(evaluation=bad).stage == Stage.VOID
    after = selectors.department_figures(None)[0]
    assert (after["evaluations"], after["bad"], after["satisfaction"], after["mean_grade"]) == (1, 0, 1.0, 5.0)
    assert (after["appeals"], after["appeals_upheld"]) == (1, 1)
    assert Evaluation.objects.count() == 2


def test_a_rejected_appeal_changes_nothing_in_the_figures(casebed):
    give(casebed, 5)
    bad = give(casebed, 2)
    appeal_decide(appeal=file(casebed, bad), actor=casebed["center_supervisor"], upheld=False, note="证据不足")
    bad.refresh_from_db()
    assert not bad.excluded
    assert Rectification.objects.get(evaluation=bad).stage == Stage.VERIFY
    row = selectors.department_figures(None)[0]
    assert (row["evaluations"], row["bad"], row["appeals"], row["appeals_upheld"]) == (2, 1, 1, 0)


def test_the_supervising_office_decides_and_the_unit_never_decides_its_own(casebed):
    appeal = file(casebed, give(casebed, 1))
    for refused in ("head", "approver", "window", "outsider", "qx_window"):
        with pytest.raises(PermissionDenied):
            appeal_decide(appeal=appeal, actor=casebed[refused], upheld=True, note="我认为成立")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.PENDING
    # The city's supervisor (督导) supervises the county too.
    appeal_decide(appeal=appeal, actor=casebed["city"], upheld=True, note="经核实成立")
    with pytest.raises(TransitionNotAllowed):
        appeal_decide(appeal=appeal, actor=casebed["center_supervisor"], upheld=False, note="再审一次")


def test_only_the_unit_heads_appeal_and_only_a_bad_grade_once_at_a_time(casebed):
    bad = give(casebed, 1)
    for refused in ("approver", "outsider", "center_supervisor"):
        with pytest.raises(PermissionDenied):
            appeal_file(evaluation=bad, actor=casebed[refused], reason="mistaken", statement="误评，申请人点错了")
    with pytest.raises(TransitionNotAllowed):
        file(casebed, give(casebed, 4))
    with pytest.raises(ValidationError):
        appeal_file(evaluation=bad, actor=casebed["head"], reason="other", statement="")
    first = file(casebed, bad)
    with pytest.raises(TransitionNotAllowed):
        file(casebed, bad)
    appeal_decide(appeal=first, actor=casebed["center_supervisor"], upheld=False, note="不成立")
    # After a rejection the unit may bring new evidence once more.
    assert file(casebed, bad).state == AppealState.PENDING
