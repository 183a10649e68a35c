"""Who may do what in the service hall — each predicate beside its queryset twin (design "Who may do what").

- a hall is managed by its service centre's staff: the centre's supervisors (``center_supervisor``, 电子监察员) of the
  hall's organization, or of a service centre whose division contains the hall's, and the administrators;
- a window is worked by its active staff only (``WindowStaff``, A岗 or the registered B岗, holding a window role):
  calling, recalling, starting, finishing, transferring a number and linking it to a case. Administrators manage
  the hall but do not sit at its windows, so a number is never handled by someone the hall did not post there;
- the hall's figures are seen by its managers and by the supervisors (督导) of a division subtree that holds the
  hall.

Views ask here, and the services in ``hall.services`` ask again inside their transaction, so a forged POST cannot do
what the page would not offer.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from catalogue import access as catalogue_access
from catalogue.models import Division, LocalItem, LocalItemStatus, Membership, Organization, OrganizationKind, Role

from .models import Booking, Consultation, ConsultationChannel, ConsultationStatus, Hall, Window, WindowStaff

User_ = User | AnonymousUser

# The roles of the people posted at windows: the centre's and the departments' window clerks, and approvers at a
# department's own window. Hall management offers these people for a window's A岗/B岗.
WINDOW_ROLES = frozenset({Role.WINDOW_CLERK, Role.APPROVER})


def _scope(user: User_) -> catalogue_access.Scope:
    return catalogue_access.scope_of(user)


def _center_memberships(user: User_) -> tuple[list[int], list[Division]]:
    """The service centres where the user is a centre supervisor: their ids and their divisions."""
    centers = [
        o for o in _scope(user).organizations({Role.CENTER_SUPERVISOR}) if o.kind == OrganizationKind.SERVICE_CENTER
    ]
    return [o.pk for o in centers], [o.division for o in centers]


# --- managing a hall ------------------------------------------------------------------------------------------------


def managed_halls_q(user: User_, prefix: str = "") -> Q:
    """The ``Hall`` filter of the halls a user manages; ``prefix`` leads from another model to its hall."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    organization_ids, divisions = _center_memberships(user)
    if not organization_ids:
        return Q(**{f"{prefix}pk__in": []})
    return Q(**{f"{prefix}organization_id__in": organization_ids}) | catalogue_access.subtree_q(
        divisions, f"{prefix}division__"
    )


def managed_halls(user: User_) -> QuerySet[Hall]:
    return Hall.objects.filter(managed_halls_q(user))


def can_manage_hall(user: User_, hall: Hall) -> bool:
    if _scope(user).is_admin:
        return True
    return managed_halls(user).filter(pk=hall.pk).exists()


def can_open_hall_management(user: User_) -> bool:
    """The hall management pages (the navigation entry): administrators and centre supervisors."""
    scope = _scope(user)
    return scope.is_admin or bool(_center_memberships(user)[0])


# --- working a window -----------------------------------------------------------------------------------------------


def staffed_windows_q(user: User_) -> Q:
    """The ``Window`` filter of the windows a user works: active posts (A岗 or B岗) at active windows."""
    if not _scope(user).roles & WINDOW_ROLES:
        return Q(pk__in=[])
    return Q(
        pk__in=WindowStaff.objects.filter(user=user, is_active=True).values("window_id"),
        is_active=True,
        hall__is_active=True,
    )


def staffed_windows(user: User_) -> QuerySet[Window]:
    return Window.objects.filter(staffed_windows_q(user))


def can_work_window(user: User_, window: Window) -> bool:
    """Calling and handling numbers at ``window``: its active A岗 or B岗 staff only."""
    if not window.is_active or not _scope(user).roles & WINDOW_ROLES:
        return False
    return WindowStaff.objects.filter(window=window, user=user, is_active=True, window__hall__is_active=True).exists()


def can_open_caller(user: User_) -> bool:
    """The window caller (the navigation entry): whoever sits at an active window. Users without a window role are
    answered without a query, so the navigation costs nothing more on every other page."""
    if not _scope(user).roles & WINDOW_ROLES:
        return False
    return staffed_windows(user).exists()


# --- figures --------------------------------------------------------------------------------------------------------


def figure_halls_q(user: User_) -> Q:
    """The ``Hall`` filter of the halls whose figures the user sees: its managers, and the supervisors (督导) of a
    division subtree holding the hall."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    q = managed_halls_q(user)
    supervised = scope.divisions({Role.SUPERVISOR})
    if supervised:
        q |= catalogue_access.subtree_q(supervised, "division__")
    return q


def figure_halls(user: User_) -> QuerySet[Hall]:
    return Hall.objects.filter(figure_halls_q(user))


def can_view_hall_figures(user: User_, hall: Hall) -> bool:
    if _scope(user).is_admin:
        return True
    return figure_halls(user).filter(pk=hall.pk).exists()


def can_open_hall_figures(user: User_) -> bool:
    scope = _scope(user)
    return scope.is_admin or can_open_hall_management(user) or bool(scope.divisions({Role.SUPERVISOR}))


def can_open_hall_index(user: User_) -> bool:
    """The list of halls (the navigation entry 服务大厅): whoever manages a hall or sees hall figures."""
    return can_open_hall_management(user) or can_open_hall_figures(user)


# Bookings and consultation
# ---------------------------------------------------------------------------------------------------------------------

# Who answers questions (首问责任): anyone who works for a unit — its clerks, head, window clerks and approvers, and
# the service centre's window clerks and supervisors.
CONSULT_ROLES = frozenset({Role.CLERK, Role.DEPT_HEAD, Role.WINDOW_CLERK, Role.APPROVER, Role.CENTER_SUPERVISOR})
# Who registers arrivals of bookings at a hall besides the staff sitting at its windows.
ARRIVAL_ROLES = frozenset({Role.WINDOW_CLERK, Role.CENTER_SUPERVISOR})


def _consult_organization_ids(user: User_) -> set[int]:
    return {o.pk for o in _scope(user).organizations(set(CONSULT_ROLES))}


def _consult_center_divisions(user: User_):
    return [
        o.division for o in _scope(user).organizations(set(CONSULT_ROLES)) if o.kind == OrganizationKind.SERVICE_CENTER
    ]


def consultations_q(user: User_) -> Q:
    """The consultations a user sees: those of the units they work for, those they own (a question taken first at
    another unit's window stays with whoever took it), and, for the service centre's staff, their county's."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(organization_id__in=_consult_organization_ids(user)) | Q(owner=user)
    centers = _consult_center_divisions(user)
    if centers:
        q |= catalogue_access.subtree_q(centers, "organization__division__")
    return q


def consultations_queryset(user: User_) -> QuerySet[Consultation]:
    return Consultation.objects.filter(consultations_q(user))


def can_see_consultation(user: User_, consultation: Consultation) -> bool:
    return consultations_queryset(user).filter(pk=consultation.pk).exists()


def can_open_consultations(user: User_) -> bool:
    """The consultation log (/hall/consultations/): whoever works for a unit that answers questions."""
    scope = _scope(user)
    return scope.is_admin or bool(scope.roles & CONSULT_ROLES)


def can_record_consultation(user: User_) -> bool:
    """Logging a question taken at the window, by phone or by mail: the same people (the twin of
    ``recordable_items`` and ``recording_organizations``)."""
    return can_open_consultations(user)


def recordable_items(user: User_) -> QuerySet[LocalItem]:
    """The items a question may be logged about: the active items the user may see."""
    return catalogue_access.visible_local_items(user).filter(status=LocalItemStatus.ACTIVE)


def recording_organizations(user: User_) -> QuerySet[Organization]:
    """The units a question about no particular item may be logged for: the user's own."""
    if _scope(user).is_admin:
        return Organization.objects.filter(is_active=True)
    return Organization.objects.filter(pk__in=_consult_organization_ids(user), is_active=True)


def takeable_consultations_q(user: User_) -> Q:
    """Open questions nobody owns yet (web questions) of the units the user works for: the twin of
    ``can_take_consultation``."""
    base = Q(status=ConsultationStatus.OPEN, owner__isnull=True)
    if _scope(user).is_admin:
        return base
    return base & Q(organization_id__in=_consult_organization_ids(user))


def can_take_consultation(user: User_, consultation: Consultation) -> bool:
    if consultation.status != ConsultationStatus.OPEN or consultation.owner_id is not None:
        return False
    return _scope(user).is_admin or consultation.organization_id in _consult_organization_ids(user)


def can_answer_consultation(user: User_, consultation: Consultation) -> bool:
    """Only the owner answers (首问责任): a question is answered or handed on by whoever holds it."""
    return user.is_authenticated and consultation.status == ConsultationStatus.OPEN and consultation.owner_id == user.pk


def can_hand_over_consultation(user: User_, consultation: Consultation) -> bool:
    return can_answer_consultation(user, consultation)


def handover_memberships(consultation: Consultation, user: User_) -> QuerySet[Membership]:
    """Who a question may be handed on to: people of the same division's units who answer questions (the twin of
    ``can_receive_consultation``), never the owner themselves."""
    division_id = consultation.organization.division_id
    return (
        Membership.objects.filter(
            role__in=CONSULT_ROLES,
            organization__division_id=division_id,
            organization__is_active=True,
            user__is_active=True,
        )
        .exclude(user_id=user.pk)
        .select_related("user", "organization")
        .order_by("organization__name", "user__username", "pk")
    )


def can_receive_consultation(receiver: User, organization: Organization, consultation: Consultation) -> bool:
    return (
        organization.division_id == consultation.organization.division_id
        and Membership.objects.filter(
            user=receiver, organization=organization, organization__is_active=True, role__in=CONSULT_ROLES
        ).exists()
        and receiver.is_active
    )


def can_propose_faq(user: User_, consultation: Consultation) -> bool:
    """A web question's answer may be proposed for the guide's FAQ by whoever answered it or works for its unit,
    once (again after a refusal)."""
    if consultation.channel != ConsultationChannel.WEB or consultation.status != ConsultationStatus.ANSWERED:
        return False
    if consultation.local_item_id is None or consultation.faq_standard_id is not None or consultation.faq_pending:
        return False
    if not user.is_authenticated:
        return False
    return (
        _scope(user).is_admin
        or consultation.answered_by_id == user.pk
        or consultation.organization_id in _consult_organization_ids(user)
    )


def _head_organization_ids(user: User_) -> set[int]:
    return {o.pk for o in _scope(user).organizations({Role.DEPT_HEAD})}


def faq_queue_q(user: User_) -> Q:
    """The FAQ proposals a user decides: those about the items of the departments they head (the twin of
    ``can_decide_faq``). Administrators decide none: the FAQ is the department's word."""
    return Q(
        faq_requested=True,
        faq_decided_at__isnull=True,
        local_item__organization_id__in=_head_organization_ids(user),
    )


def can_decide_faq(user: User_, consultation: Consultation) -> bool:
    """A department head of the item's implementing department approves (or refuses) publishing the answer."""
    return (
        consultation.faq_pending
        and consultation.local_item_id is not None
        and consultation.local_item.organization_id in _head_organization_ids(user)
    )


def arrival_halls(user: User_) -> QuerySet[Hall]:
    """The halls where a user registers arrivals of bookings: where they sit at an active window, and the halls of
    the service centre they work for as window clerk or supervisor (the twin of ``can_register_arrival``)."""
    halls = Hall.objects.filter(is_active=True)
    scope = _scope(user)
    if scope.is_admin:
        return halls
    if not user.is_authenticated:
        return halls.none()
    centers = [o.pk for o in scope.organizations(set(ARRIVAL_ROLES)) if o.kind == OrganizationKind.SERVICE_CENTER]
    return halls.filter(
        Q(windows__staff__user=user, windows__staff__is_active=True, windows__is_active=True)
        | Q(organization_id__in=centers)
    ).distinct()


def can_open_arrivals(user: User_) -> bool:
    """The arrival desk (/hall/bookings/arrive/). Users with neither a window nor a centre role are answered without a
    query, so the navigation costs nothing more on every other page."""
    if not user.is_authenticated:
        return False
    scope = _scope(user)
    if not scope.is_admin and not scope.roles & (WINDOW_ROLES | ARRIVAL_ROLES):
        return False
    return arrival_halls(user).exists()


def can_register_arrival(user: User_, booking: Booking) -> bool:
    return arrival_halls(user).filter(pk=booking.group.hall_id).exists()
