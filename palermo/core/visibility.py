"""Who may see which record. The ONE place where visibility is decided: every list, detail, search,
count, export and API handler gets its querysets from here (through the selectors modules).

A user sees a governed record when their clearance reaches its sensitivity and either
- their agency owns it and it is not secret, or
- an active share (not revoked, not expired) reaches them: shared to their agency, to a task force
  their agency belongs to, or to a compartment they are a member of.
Secret records are seen only through a compartment (need-to-know), even inside the owning agency.
Child records (names, roles, events, selector links) are seen through their parents.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.accounts.models import Compartment, TaskForce
from palermo.core.models import (
    Case,
    CaseEvent,
    CaseOrganisation,
    NameVariant,
    Organisation,
    Person,
    PersonRole,
    Selector,
    SelectorLink,
    Share,
)

GOVERNED_MODELS = (Person, Organisation, Case, Selector)


class Viewer:
    """What visibility needs to know about a user. Memberships stay subqueries, so one SQL statement
    answers "what may this user see" and nothing is cached between requests."""

    def __init__(self, user):
        self.active = bool(user is not None and user.is_authenticated and user.is_active and user.agency_id)
        if not self.active:
            return
        self.agency_id = user.agency_id
        self.task_force_ids = TaskForce.objects.filter(agencies=user.agency_id).values("pk")
        self.compartment_ids = Compartment.objects.filter(members=user.pk).values("pk")
        self.sensitivities = [s for s in R.SENSITIVITIES if R.clearance_allows(user.clearance, s)]


def viewer_of(user) -> Viewer:
    return Viewer(user)


def active_shares(model: type[Model]) -> QuerySet[Share]:
    now = timezone.now()
    return Share.objects.filter(
        content_type=ContentType.objects.get_for_model(model), revoked_at__isnull=True
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def _reaching(viewer: Viewer) -> Q:
    return (
        Q(to_agency_id=viewer.agency_id)
        | Q(to_task_force_id__in=viewer.task_force_ids)
        | Q(to_compartment_id__in=viewer.compartment_ids)
    )


def visible(queryset: QuerySet, user) -> QuerySet:
    """The records of a governed queryset that `user` may see."""
    viewer = viewer_of(user)
    if not viewer.active:
        return queryset.none()
    shares = active_shares(queryset.model).filter(object_id=OuterRef("pk"))
    shared_to_viewer = Exists(shares.filter(_reaching(viewer)))
    shared_to_viewers_compartment = Exists(shares.filter(to_compartment_id__in=viewer.compartment_ids))
    not_secret = ~Q(sensitivity=R.SECRET) & (Q(owner_agency_id=viewer.agency_id) | shared_to_viewer)
    secret = Q(sensitivity=R.SECRET) & shared_to_viewers_compartment
    return queryset.filter(sensitivity__in=viewer.sensitivities).filter(not_secret | secret)


def persons(user) -> QuerySet[Person]:
    return visible(Person.objects.all(), user)


def organisations(user) -> QuerySet[Organisation]:
    return visible(Organisation.objects.all(), user)


def cases(user) -> QuerySet[Case]:
    return visible(Case.objects.all(), user)


def selectors(user) -> QuerySet[Selector]:
    return visible(Selector.objects.all(), user)


def _visible_parent(parents: QuerySet, field: str) -> Exists:
    """A correlated check that the row's parent is visible: only the rows at hand are checked,
    instead of first building the set of everything the user may see."""
    return Exists(parents.filter(pk=OuterRef(field)))


def name_variants(user) -> QuerySet[NameVariant]:
    return NameVariant.objects.filter(_visible_parent(persons(user), "person_id"))


def person_roles(user) -> QuerySet[PersonRole]:
    """A role tied to a case is visible only when both the person and the case are."""
    return PersonRole.objects.filter(_visible_parent(persons(user), "person_id")).filter(
        Q(case__isnull=True) | _visible_parent(cases(user), "case_id"))


def case_events(user) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(_visible_parent(cases(user), "case_id"))


def case_organisations(user) -> QuerySet[CaseOrganisation]:
    return CaseOrganisation.objects.filter(_visible_parent(cases(user), "case_id"),
                                           _visible_parent(organisations(user), "organisation_id"))


def selector_links(user) -> QuerySet[SelectorLink]:
    """A link shows when the selector and its holder are both visible."""
    return SelectorLink.objects.filter(_visible_parent(selectors(user), "selector_id")).filter(
        _visible_parent(persons(user), "person_id") | _visible_parent(organisations(user), "organisation_id"))


def can_see(user, obj) -> bool:
    return visible(type(obj).objects.filter(pk=obj.pk), user).exists()


def shares_reaching(user, obj) -> QuerySet[Share]:
    """The shares through which `user` sees `obj` (their purposes and use restrictions are shown with it)."""
    viewer = viewer_of(user)
    if not viewer.active:
        return Share.objects.none()
    return active_shares(type(obj)).filter(object_id=obj.pk).filter(_reaching(viewer))


def is_owner(user, obj) -> bool:
    return bool(user.is_authenticated and user.agency_id and obj.owner_agency_id == user.agency_id)
