"""The standards phase of the province load: a standard for most generated local items, in every workflow state.

Each local item gets a fixed pseudo-random fate from a CRC32 of its code (so runs repeat and counties differ), per
mille of the items (``FATES``): no standard yet, a draft, waiting in each review stage, approved, returned, published
at the first pass or after a return, published in a second version that superseded the first, or published with a
second version in draft or in review. Every version has its service guide, business manual, three materials and three
process steps; every state reached through the workflow has the transition records that lead to it
(``workflow.StateTransition``: submit, confirm, pass or return, publish, with the acting body and the review round),
and every version waiting in a review stage has its open ``reviews.ReviewTask`` (due date as ``reviews.lifecycle``
computes it), linked to the transition that opened it.

The dates follow the log: published versions were submitted between February and September 2026; versions still in
the workflow moved in the weeks before ``REFERENCE`` (20 November 2026), so some open tasks are overdue and most are
not. Rows are written with ``bulk_create`` in batches, county by county, and never through the services (no history
rows, no signals). Items that already have a standard are skipped, so re-running adds nothing. At the end the items'
copy of their published guide (``LocalItem.guide_version``), which ``standard_publish`` keeps, is written set-wise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q

from catalogue.models import Division, LocalItem, Organization, OrganizationKind
from core.workdays import add_workdays
from reviews.lifecycle import due_working_days
from reviews.models import ReviewTask
from standards.models import (
    IN_PROGRESS_STATES,
    BusinessManual,
    ItemStandard,
    LimitUnit,
    Material,
    ProcessStep,
    ServiceGuide,
)
from standards.services import published_guides_refresh
from standards.transitions import STAGE_OF_STATE
from workflow.models import StateTransition

from .standards_plan import (
    COUNTIES_PER_FLUSH,
    MATERIALS,
    RETURN_NOTE,
    STEPS,
    A,
    S,
    VersionPlan,
    fate_of,
    plan_item,
    stored_timestamps,
    timestamp_fields,
)


class StandardsLoad:
    def __init__(self, *, user: User, counties: list[Division], batch_size: int, log: Callable[[str], None]) -> None:
        self.user = user
        self.counties = counties
        self.batch_size = batch_size
        self.log = log
        self.created: dict[str, int] = {}

    def add(self, what: str, n: int) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def run(self) -> tuple[int, str]:
        offices = {
            (division_id, kind): pk
            for division_id, kind, pk in Organization.objects.filter(
                division__in=self.counties, kind__in=[OrganizationKind.BIANBAN, OrganizationKind.JUSTICE]
            )
            .order_by("-pk")
            .values_list("division_id", "kind", "pk")
        }
        self.offices = offices
        has_standard = Exists(ItemStandard.objects.filter(local_item=OuterRef("pk")))
        skipped = 0
        for start in range(0, len(self.counties), COUNTIES_PER_FLUSH):
            group = self.counties[start : start + COUNTIES_PER_FLUSH]
            items = list(
                LocalItem.objects.filter(division__in=group, created_by=self.user)
                .annotate(has_standard=has_standard)
                .order_by("pk")
                .values_list(
                    "pk", "code", "name", "division_id", "organization_id", "organization__name", "has_standard"
                )
            )
            skipped += sum(1 for i in items if i[-1])
            self.load([i[:-1] for i in items if not i[-1]])
            done = start + len(group)
            if done % 20 < COUNTIES_PER_FLUSH or done == len(self.counties):
                self.log(f"  {done}/{len(self.counties)} counties · {self.created.get('standards', 0):,} versions")
        # The items' copy of their published guide, which ``standard_publish`` would have written: set-wise, once.
        published_guides_refresh()
        rows = sum(self.created.values())
        note = ", ".join(f"{n:,} {what}" for what, n in self.created.items())
        return rows, f"{note}; {skipped:,} items had a standard and were skipped"

    @transaction.atomic
    def load(self, items: list[tuple]) -> None:
        plans: list[tuple[tuple, list[VersionPlan]]] = []
        for item in items:
            _pk, code, _name, division_id, organization_id, _org_name = item
            fate = fate_of(code)
            if fate == "none":
                continue
            bodies = {
                "department": organization_id,
                OrganizationKind.BIANBAN: self.offices.get((division_id, OrganizationKind.BIANBAN)),
                OrganizationKind.JUSTICE: self.offices.get((division_id, OrganizationKind.JUSTICE)),
            }
            plans.append((item, plan_item(code, fate, bodies)))
        if not plans:
            return
        with stored_timestamps(*timestamp_fields()):
            for version in (1, 2):
                batch = []
                for item, versions in plans:
                    for v in versions:
                        if v.version == version:
                            v.standard = self.standard(item, v, versions[0] if version == 2 else None)
                            batch.append((item, v))
                ItemStandard.objects.bulk_create([v.standard for _, v in batch], batch_size=self.batch_size)
                self.add("standards", len(batch))
            everything = [(item, v) for item, versions in plans for v in versions]
            self.content(everything)
            self.transitions_and_tasks(everything)

    def standard(self, item: tuple, v: VersionPlan, first: VersionPlan | None) -> ItemStandard:
        submits = [s.at for s in v.steps if s.action == A.SUBMIT]
        approved = [s.at for s in v.steps if s.action == A.PASS_LEGALITY]
        published = [s.at for s in v.steps if s.action == A.PUBLISH]
        touched = v.steps[-1].at if v.steps else v.created_at + dt.timedelta(days=2)
        return ItemStandard(
            local_item_id=item[0],
            version=v.version,
            state=v.state,
            revision=1 + len(v.steps),
            based_on=first.standard if first is not None else None,
            change_note="首次发布" if v.version == 1 and published else ("根据法规修订更新" if published else ""),
            updated_by=self.user,
            created_by=self.user,
            created_at=v.created_at,
            updated_at=touched,
            first_submitted_at=submits[0] if submits else None,
            submitted_at=submits[-1] if submits else None,
            approved_at=approved[-1] if approved else None,
            published_at=published[-1] if published else None,
            return_count=v.return_count,
        )

    def content(self, everything: list[tuple[tuple, VersionPlan]]) -> None:
        """Guides, manuals, materials and steps of the versions just inserted, as INSERT … SELECT in the database.

        Building ~70-field rows as model instances cost most of the phase's time; the database derives them from the
        version, its item and its department in one statement per table instead. Columns the statement does not name
        get the model field's default, so the rows are what the editor would store."""
        ids = [v.standard.pk for _, v in everything]
        low, high = min(ids), max(ids)
        source = (
            "FROM standards_itemstandard s JOIN catalogue_localitem l ON l.id = s.local_item_id "
            "JOIN catalogue_organization o ON o.id = l.organization_id "
            "WHERE s.id BETWEEN %s AND %s AND s.created_by_id = %s"
        )
        params = [low, high, self.user.pk]
        limit = "(5 + s.id %% 16)"
        uid = "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
        guides = {
            "standard": "s.id",
            "item_name": "l.name",
            "accepting_body": "o.name",
            "deciding_body": "o.name",
            "scope": "'本行政区域内的申请人'",
            "acceptance_conditions": "'申请人具备法律法规规定的条件，材料齐全、符合法定形式'",
            "legal_limit": "20",
            "legal_limit_unit": f"'{LimitUnit.WORKING_DAY}'",
            "promised_limit": limit,
            "promised_limit_unit": f"'{LimitUnit.WORKING_DAY}'",
            "onsite_visits": "(s.id %% 2)",
            "result_name": "substr(l.name, 1, 40) || '决定书'",
            "address": "o.name || '政务服务窗口'",
            "office_hours": "'周一至周五 9:00-12:00，14:00-17:30（法定节假日除外）'",
            "consult_phone": "'0763-3388000'",
            "complain_phone": "'0763-12345'",
        }
        manuals = {
            "standard": "s.id",
            "manual_no": "'YWSC-' || substr(l.code, 20) || '-' || s.version",
            "issuer": "o.name",
            "handling_org": "o.name",
            "staff_requirements": "'持有行政执法证，实质审查不少于2人'",
            "approval_conditions": "'申请材料齐全、符合法定形式，申请人符合法定条件'",
        }
        materials = {
            "standard": "s.id",
            "uid": uid,
            "position": "r.position",
            "name": "r.name",
            "original_count": "1",
            "copy_count": "0",
        }
        steps = {
            "standard": "s.id",
            "uid": uid,
            "position": "r.position",
            "name": "r.name",
            "handling_office": "CASE WHEN r.position = 0 THEN '审批服务窗口' ELSE '审批科' END",
            "duration": f"({limit} / 3)",
            "duration_unit": f"'{LimitUnit.WORKING_DAY}'",
        }

        def rows_of(names: tuple[str, ...]) -> str:
            selects = [f"SELECT {n} AS position, '{name}' AS name" for n, name in enumerate(names)]
            return f" CROSS JOIN ({' UNION ALL '.join(selects)}) r"

        for model, columns, extra, what in (
            (ServiceGuide, guides, "", "guides"),
            (BusinessManual, manuals, "", "manuals"),
            (Material, materials, rows_of(MATERIALS), "materials"),
            (ProcessStep, steps, rows_of(STEPS), "process steps"),
        ):
            self.add(what, insert_select(model, columns, source.replace(" WHERE", extra + " WHERE"), params))

    def transitions_and_tasks(self, everything: list[tuple[tuple, VersionPlan]]) -> None:
        records: list[StateTransition] = []
        waiting: list[tuple[tuple, VersionPlan, StateTransition]] = []
        for item, v in everything:
            for step in v.steps:
                record = StateTransition(
                    standard=v.standard,
                    action=step.action,
                    from_state=step.from_state,
                    to_state=step.to_state,
                    actor=self.user,
                    organization_id=step.organization_id,
                    at=step.at,
                    round=step.round,
                    note=RETURN_NOTE.get(step.action, ""),
                )
                records.append(record)
            if v.state in STAGE_OF_STATE:
                waiting.append((item, v, records[-1]))
        StateTransition.objects.bulk_create(records, batch_size=self.batch_size)
        self.add("transitions", len(records))
        tasks = []
        for item, v, opening in waiting:
            stage = STAGE_OF_STATE[v.state]
            organization = {
                "dept_confirm": item[4],
                "compliance": self.offices.get((item[3], OrganizationKind.BIANBAN)),
                "legality": self.offices.get((item[3], OrganizationKind.JUSTICE)),
            }[stage]
            tasks.append(
                ReviewTask(
                    standard=v.standard,
                    stage=stage,
                    organization_id=organization,
                    division_id=item[3],
                    round=opening.round,
                    opened_at=opening.at,
                    due_at=add_workdays(opening.at, due_working_days(stage)),
                    opening_transition=opening,
                    finding_count=0,
                    citations_changed=None if v.version == 1 else False,
                )
            )
        ReviewTask.objects.bulk_create(tasks, batch_size=self.batch_size)
        self.add("open review tasks", len(tasks))


def insert_select(model, columns: dict[str, str], source: str, params: list) -> int:
    """INSERT INTO model's table every concrete column: the SQL expression in ``columns`` (by field name), else the
    field's default as a parameter (the auto primary key is left to the database). Returns the rows inserted."""
    names, expressions, values = [], [], []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.AutoField):
            continue
        names.append(connection.ops.quote_name(f.column))
        if f.name in columns:
            expressions.append(columns[f.name])
        else:
            expressions.append("%s")
            values.append(f.get_db_prep_save(f.get_default(), connection))
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) SELECT {', '.join(expressions)} {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])
        return cursor.rowcount


def check(user: User) -> list[str]:
    """Database-wide checks of the generated standards; each entry is a problem found."""
    standards = ItemStandard.objects.filter(created_by=user)
    last = StateTransition.objects.filter(standard=OuterRef("pk")).order_by("-at", "-pk").values("to_state")[:1]
    reviewing = list(STAGE_OF_STATE)
    has_materials = Exists(Material.objects.filter(standard=OuterRef("pk")))
    open_tasks = ReviewTask.objects.open().filter(standard__created_by=user)
    problems = {
        "version without its service guide": standards.filter(guide__isnull=True).count(),
        "version without its business manual": standards.filter(manual__isnull=True).count(),
        "version without materials": standards.exclude(has_materials).count(),
        "submitted version whose last transition is not its state": standards.exclude(state=S.DRAFT)
        .annotate(last=last)
        .exclude(last=F("state"))
        .exclude(state=S.SUPERSEDED, last=S.PUBLISHED)
        .count(),
        "draft with transitions": standards.filter(state=S.DRAFT, transitions__isnull=False).count(),
        "version in review without exactly one open task": standards.filter(state__in=reviewing)
        .annotate(n=Count("review_tasks", filter=Q(review_tasks__closed_at__isnull=True)))
        .exclude(n=1)
        .count(),
        "open task of a version not in review": ReviewTask.objects.open()
        .filter(standard__created_by=user)
        .exclude(standard__state__in=reviewing)
        .count(),
        "open task of another stage than the state": sum(
            open_tasks.filter(standard__state=state).exclude(stage=stage).count()
            for state, stage in STAGE_OF_STATE.items()
        ),
        "returned version with no return counted": standards.filter(state=S.RETURNED, return_count=0).count(),
        "submitted version without first_submitted_at": standards.exclude(state=S.DRAFT)
        .filter(first_submitted_at__isnull=True)
        .count(),
        "published version without published_at": standards.filter(
            state=S.PUBLISHED, published_at__isnull=True
        ).count(),
        "published version not copied onto its item": standards.filter(state=S.PUBLISHED)
        .exclude(local_item__guide_version=F("version"), local_item__guide_published_at=F("published_at"))
        .count(),
        "item copying a published guide it does not have": LocalItem.objects.filter(guide_version__isnull=False)
        .exclude(Exists(ItemStandard.objects.filter(local_item=OuterRef("pk"), state=S.PUBLISHED)))
        .count(),
        "task not opened by a transition": ReviewTask.objects.open()
        .filter(standard__created_by=user, opening_transition__isnull=True)
        .count(),
        "item with two versions in progress": standards.filter(state__in=IN_PROGRESS_STATES)
        .values("local_item")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
    }
    return [f"{n:,} × {what}" for what, n in problems.items() if n]


def state_counts(user: User) -> dict[str, int]:
    return dict(
        ItemStandard.objects.filter(created_by=user).values_list("state").annotate(n=Count("pk")).order_by("state")
    )
