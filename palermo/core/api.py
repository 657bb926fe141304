"""Entity-core endpoints: persons, organisations, cases, selectors, shares."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from palermo.accounts.models import Agency, Compartment, TaskForce
from palermo.core import selectors as S
from palermo.core import services
from palermo.core import visibility as V
from palermo.core.models import Case, Organisation, Person, Selector, Share
from palermo.core.pagination import KeysetPagination
from palermo.core.rules import FieldErrors

router = Router(tags=["entities"])


class PersonOut(Schema):
    id: int
    pseudonym: str
    owner_agency: str = Field(..., alias="owner_agency.code")
    sensitivity: str
    gender: str
    citizenship: list[str]
    created_at: datetime


class AliasIn(Schema):
    name: str
    source: str
    kind: str = "Alias"


class PersonIn(Schema):
    given_name: str = ""
    family_name: str = ""
    date_of_birth: str = Field("", description="YYYY-MM-DD, DD/MM/YYYY, YYYY-MM, YYYY or an estimated age like ~17")
    gender: str = ""
    citizenship: list[str] = []
    primary_language: str = ""
    source_ref: str = ""
    sensitivity: str = "normal"
    compartment_id: int | None = None
    notes: str = ""
    aliases: list[AliasIn] = []


class RevealIn(Schema):
    purpose: str


class NameVariantOut(Schema):
    name: str
    kind: str
    script: str
    source: str


class HeldSelectorOut(Schema):
    kind: str
    value: str
    source: str
    observed_on: date | None


class IdentityOut(Schema):
    given_name: str
    family_name: str
    date_of_birth: dict | None
    date_of_birth_text: str
    documents: list
    contact: dict
    name_variants: list[NameVariantOut]
    selectors: list[HeldSelectorOut]


class OrganisationOut(Schema):
    id: int
    name: str
    org_type: str
    country: str
    city: str
    suspected_front: bool
    owner_agency: str = Field(..., alias="owner_agency.code")
    sensitivity: str


class OrganisationIn(Schema):
    name: str
    org_type: str
    country: str = ""
    city: str = ""
    address: str = ""
    registration_number: str = ""
    suspected_front: bool = False
    sensitivity: str = "normal"
    compartment_id: int | None = None
    notes: str = ""


class CaseOut(Schema):
    id: int
    reference: str
    title: str
    status: str
    exploitation_types: list[str]
    opened_on: date
    owner_agency: str = Field(..., alias="owner_agency.code")
    sensitivity: str


class CaseIn(Schema):
    reference: str
    title: str
    summary: str = ""
    status: str = "Active"
    exploitation_types: list[str] = []
    means_of_control: list[str] = []
    recruitment_methods: list[str] = []
    opened_on: date | None = None
    sensitivity: str = "normal"
    compartment_id: int | None = None


class EventIn(Schema):
    stage: str
    occurred_on: date
    place: str = ""
    country: str = ""
    description: str = ""


class EventOut(Schema):
    id: int
    stage: str
    occurred_on: date
    place: str
    country: str
    description: str


class ParticipantOut(Schema):
    person_id: int
    pseudonym: str = Field(..., alias="person.pseudonym")
    role: str
    perpetrator_roles: list[str]
    started_on: date
    ended_on: date | None


class CaseDetailOut(CaseOut):
    """Events, participants and restrictions are read through the selectors, for the requesting user."""

    summary: str
    means_of_control: list[str]
    recruitment_methods: list[str]
    events: list[EventOut]
    participants: list[ParticipantOut]
    use_restrictions: list[str]

    @staticmethod
    def resolve_events(obj, context):
        return list(S.case_timeline(context["request"].user, obj))

    @staticmethod
    def resolve_participants(obj, context):
        return list(S.case_people(context["request"].user, obj))

    @staticmethod
    def resolve_use_restrictions(obj, context):
        return [s.use_restrictions for s in V.shares_reaching(context["request"].user, obj) if s.use_restrictions]


class SelectorIn(Schema):
    holder_type: str = Field(..., pattern="^(person|organisation)$")
    holder_id: int
    kind: str
    value: str
    region: str | None = None
    qualifier: str | None = None
    source: str
    observed_on: date | None = None
    sensitivity: str = "normal"


class SelectorHitOut(Schema):
    holder_type: str
    holder_id: int
    holder_label: str
    source: str
    observed_on: date | None
    owner_agency: str
    use_restrictions: list[str]


class SelectorSearchOut(Schema):
    kind: str
    value: str
    hits: list[SelectorHitOut]


class ShareIn(Schema):
    object_type: str = Field(..., pattern="^(person|organisation|case|selector)$")
    object_id: int
    purpose: str
    to_agency: str | None = Field(None, description="agency code")
    to_task_force: str | None = Field(None, description="task force code")
    to_compartment_id: int | None = None
    use_restrictions: str = ""
    expires_at: datetime | None = None
    override_reason: str = Field("", description="authorised roles only: why to share a victim's record without consent")


class ShareOut(Schema):
    id: int
    recipient_kind: str
    recipient: str
    purpose: str
    use_restrictions: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_recipient(obj):
        return str(obj.recipient)


class CountsOut(Schema):
    persons: int
    cases: int
    organisations: int
    selectors: int


GOVERNED = {"person": Person, "organisation": Organisation, "case": Case, "selector": Selector}


def require_json_object(request) -> None:
    """A JSON array or scalar where an object is expected must not be read as "all fields omitted"."""
    if not request.body.lstrip().startswith(b"{"):
        raise FieldErrors({"body": ["send one JSON object"]})


def _compartment(request, compartment_id):
    if compartment_id is None:
        return None
    found = Compartment.objects.filter(pk=compartment_id, owner_agency_id=request.user.agency_id).first()
    if found is None:
        raise FieldErrors({"compartment_id": ["no such compartment in your agency"]})
    return found


@router.get("/persons", response=list[PersonOut])
@paginate(KeysetPagination, ordering=("pseudonym",))
def list_persons(request, role: str | None = None):
    return S.person_list(request.user, role=role)


@router.post("/persons", response={201: PersonOut})
def create_person(request, payload: PersonIn):
    require_json_object(request)
    data = payload.dict()
    data["compartment"] = _compartment(request, data.pop("compartment_id"))
    return Status(201, services.create_person(request.user, data))


@router.get("/persons/{person_id}", response=PersonOut)
def get_person(request, person_id: int):
    return S.person_detail(request.user, person_id)


@router.post("/persons/{person_id}/reveal", response=IdentityOut)
def reveal_person(request, person_id: int, payload: RevealIn):
    person = S.person_detail(request.user, person_id)
    return S.reveal_identity(request.user, person, payload.purpose)


@router.get("/organisations", response=list[OrganisationOut])
@paginate(KeysetPagination, ordering=("name", "pk"))
def list_organisations(request):
    return S.organisation_list(request.user)


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request, payload: OrganisationIn):
    require_json_object(request)
    data = payload.dict()
    data["compartment"] = _compartment(request, data.pop("compartment_id"))
    return Status(201, services.create_organisation(request.user, data))


@router.get("/organisations/{org_id}", response=OrganisationOut)
def get_organisation(request, org_id: int):
    return S.organisation_detail(request.user, org_id)


@router.get("/cases", response=list[CaseOut])
@paginate(KeysetPagination, ordering=("-opened_on", "reference"))
def list_cases(request, status: str | None = None, exploitation: str | None = None):
    return S.case_list(request.user, status=status, exploitation=exploitation)


@router.post("/cases", response={201: CaseOut})
def create_case(request, payload: CaseIn):
    require_json_object(request)
    data = payload.dict()
    data["compartment"] = _compartment(request, data.pop("compartment_id"))
    return Status(201, services.create_case(request.user, data))


@router.get("/cases/{case_id}", response=CaseDetailOut)
def get_case(request, case_id: int):
    return S.case_detail(request.user, case_id)


@router.post("/cases/{case_id}/events", response={201: EventOut})
def add_event(request, case_id: int, payload: EventIn):
    require_json_object(request)
    case = S.case_detail(request.user, case_id)
    return Status(201, services.add_case_event(request.user, case, payload.dict()))


@router.post("/selectors", response={201: SelectorHitOut})
def add_selector(request, payload: SelectorIn):
    require_json_object(request)
    holder = (S.person_detail if payload.holder_type == "person" else S.organisation_detail)(request.user, payload.holder_id)
    link = services.add_selector(request.user, holder, payload.kind, payload.value, source=payload.source,
                                 region=payload.region, qualifier=payload.qualifier, observed_on=payload.observed_on,
                                 sensitivity=payload.sensitivity)
    return Status(201, _hit_out(link.selector, holder, link.source, link.observed_on, link.selector.owner_agency.name, []))


def _hit_out(selector, holder, source, observed_on, owner_agency, restrictions) -> dict:
    is_person = isinstance(holder, Person)
    return {"holder_type": "person" if is_person else "organisation", "holder_id": holder.pk,
            "holder_label": holder.pseudonym if is_person else holder.name, "source": source,
            "observed_on": observed_on, "owner_agency": owner_agency, "use_restrictions": restrictions}


@router.get("/selectors/search", response=SelectorSearchOut)
def search_selectors(request, kind: str, value: str, region: str | None = None, qualifier: str | None = None):
    canonical, hits = S.selector_search(request.user, kind, value, region=region, qualifier=qualifier)
    return {"kind": kind, "value": canonical,
            "hits": [_hit_out(h.selector, h.holder, h.source, h.observed_on, h.owner_agency, h.use_restrictions)
                     for h in hits]}


@router.get("/counts", response=CountsOut)
def counts(request):
    return S.dashboard_counts(request.user)


class ExportIn(Schema):
    purpose: str = ""


@router.post("/export/cases.csv", response={200: None})
def export_cases(request, payload: ExportIn):
    """The export is audited with the purpose the caller states (400 without one)."""
    return HttpResponse(S.export_cases_csv(request.user, payload.purpose), content_type="text/csv")


@router.post("/export/persons.csv", response={200: None})
def export_persons(request, payload: ExportIn):
    """Pseudonyms only; audited with the purpose the caller states (400 without one)."""
    return HttpResponse(S.export_persons_csv(request.user, payload.purpose), content_type="text/csv")


@router.post("/shares", response={201: ShareOut})
def create_share(request, payload: ShareIn):
    require_json_object(request)
    model = GOVERNED[payload.object_type]
    target = V.visible(model.objects.all(), request.user).filter(pk=payload.object_id).first()
    if target is None:
        raise S.NotVisible(f"no such {payload.object_type}")
    errors = {}
    to_agency = to_task_force = None
    if payload.to_agency:
        to_agency = Agency.objects.filter(code=payload.to_agency).first()
        if to_agency is None:
            errors["to_agency"] = ["no agency with this code"]
    if payload.to_task_force:
        to_task_force = TaskForce.objects.filter(code=payload.to_task_force).first()
        if to_task_force is None:
            errors["to_task_force"] = ["no task force with this code"]
    if errors:
        raise FieldErrors(errors)
    created = services.share(request.user, target, purpose=payload.purpose, to_agency=to_agency,
                             to_task_force=to_task_force,
                             to_compartment=_compartment(request, payload.to_compartment_id),
                             use_restrictions=payload.use_restrictions, expires_at=payload.expires_at,
                             override_reason=payload.override_reason)
    return Status(201, created)


@router.get("/shares/{object_type}/{object_id}", response=list[ShareOut])
def list_shares(request, object_type: str, object_id: int):
    model = GOVERNED.get(object_type)
    if model is None:
        raise S.NotVisible("no such record type")
    target = V.visible(model.objects.all(), request.user).filter(pk=object_id).first()
    if target is None:
        raise S.NotVisible(f"no such {object_type}")
    return list(S.shares_of(request.user, target))


@router.delete("/shares/{share_id}", response=ShareOut)
def revoke_share(request, share_id: int):
    found = Share.objects.filter(pk=share_id).select_related("content_type").first()
    if found is None:
        raise S.NotVisible("no such share")
    target = found.content_type.get_object_for_this_type(pk=found.object_id)
    if not V.is_owner(request.user, target):
        raise S.NotVisible("no such share")
    return services.revoke_share(request.user, found)

