"""Evaluations in the national 好差评 exchange shape, for the provincial platform: one row per evaluation, written
by the supervisor's CSV/xlsx download (``reporting.evaluation_figures.export``) and the API list
(``evaluation.api``) from this one definition.

Keys. ``taskCode`` (实施编码) and ``projectNo`` (办件编号) are the national upload keys (domain §8.2, Beijing's
implementation). The national keys of the evaluation record itself were not retrieved, so the other names are
chosen here, in the same lower-camel style, and kept stable:
``evaluationId`` (this portal's id), ``taskName``, ``deptCode`` (the responsible unit's unified social credit code),
``deptName``, ``areaCode`` (division code), ``evaluateTarget`` (``visit`` 一次一评 / ``case`` 一事一评),
``evaluateLevel`` (1–5, 5 = 非常满意), ``evaluateChannel`` (window, online, qr, sms, 12345, kiosk), ``indicators``
(indicator code → grade; in CSV and xlsx ``code:grade`` pairs joined by ``;``), ``evaluateTime`` (ISO 8601 with
offset), ``windowNo``, ``isRealName``, ``excluded`` (an upheld appeal took it out of the figures),
``rectifyState`` (the stage: verify, rectify, reply, follow_up, closed, void; empty for a grade that opened none),
``rectifyDue`` (the current stage's due date), ``rectifyClosedAt``, ``rectifyLate`` (some stage closed late).

No personal data leaves: the evaluator's name, phone and comment are not exported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Evaluation, EvaluationScore

EXCHANGE_KEYS = (
    "evaluationId",
    "taskCode",
    "taskName",
    "projectNo",
    "deptCode",
    "deptName",
    "areaCode",
    "evaluateTarget",
    "evaluateLevel",
    "evaluateChannel",
    "indicators",
    "evaluateTime",
    "windowNo",
    "isRealName",
    "excluded",
    "rectifyState",
    "rectifyDue",
    "rectifyClosedAt",
    "rectifyLate",
)

_COLUMNS = {
    "evaluationId": F("pk"),
    "taskCode": F("local_item__code"),
    "taskName": F("local_item__name"),
    "projectNo": F("case__number"),
    "deptCode": F("organization__uscc"),
    "deptName": F("organization__name"),
    "areaCode": F("division_id"),
    "evaluateTarget": F("target"),
    "evaluateLevel": F("grade"),
    "evaluateChannel": F("channel"),
    "evaluateTime": F("submitted_at"),
    "windowNo": F("window__number"),
    "isRealName": F("is_real_name"),
    "rectifyState": F("rectification__stage"),
    "rectifyDue": F("rectification__stage_due"),
    "rectifyClosedAt": F("rectification__closed_at"),
    "rectifyLate": F("rectification__late"),
}


def exchange_values(evaluations: QuerySet[Evaluation]) -> QuerySet:
    """The evaluations as exchange rows without their indicators (one joined query); newest first, the order the
    API pages by (``evaluateTime``, ``evaluationId``)."""
    # ``excluded`` keeps the model field's own name, so it is selected as the field itself.
    return evaluations.values("excluded", **_COLUMNS).order_by("-submitted_at", "-pk")


def with_indicators(rows: list[dict]) -> list[dict]:
    """The rows with their ``indicators`` filled in, one query for all of them."""
    scores: dict[int, dict[str, int]] = {row["evaluationId"]: {} for row in rows}
    for evaluation_id, code, grade in (
        EvaluationScore.objects.filter(evaluation_id__in=list(scores))
        .order_by("evaluation_id", "indicator__position")
        .values_list("evaluation_id", "indicator__code", "grade")
    ):
        scores[evaluation_id][code] = grade
    for row in rows:
        row["indicators"] = scores[row["evaluationId"]]
        row["rectifyState"] = row["rectifyState"] or ""
    return rows


def exchange_rows(evaluations: QuerySet[Evaluation], chunk: int = 2000) -> Iterator[dict]:
    """Every evaluation as an exchange row, read in chunks (two queries a chunk), so memory stays flat for a
    province's year."""
    batch: list[dict] = []
    for row in exchange_values(evaluations).iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) == chunk:
            yield from with_indicators(batch)
            batch = []
    if batch:
        yield from with_indicators(batch)


def indicators_text(indicators: dict[str, int]) -> str:
    return ";".join(f"{code}:{grade}" for code, grade in indicators.items())


def flat(rows: Iterable[dict]) -> Iterator[list]:
    """Rows as lists in ``EXCHANGE_KEYS`` order, with indicators as text and times in ISO 8601: for CSV and xlsx."""
    for row in rows:
        values = []
        for key in EXCHANGE_KEYS:
            value = row.get(key)
            if key == "indicators":
                value = indicators_text(value or {})
            elif isinstance(value, dt.datetime):
                value = timezone.localtime(value).isoformat(timespec="seconds")
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, bool):
                value = int(value)
            values.append("" if value is None else value)
        yield values
