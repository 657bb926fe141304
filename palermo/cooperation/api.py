"""API of requests between states and agencies (mounted at /api/cooperation/)."""

from datetime import datetime

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from palermo.cooperation import rules, selectors, services

router = Router(tags=["cooperation"])


class RequestOut(Schema):
    id: int
    reference: str
    kind: str
    kind_label: str
    direction: str
    partner: str
    partner_agency: str
    partner_agency_name: str
    partner_contact_point: str
    subject: str
    person_pseudonym: str
    sent_at: datetime
    deadline: datetime
    status: str
    overdue: bool
    reminders: int

    @staticmethod
    def resolve_partner(obj) -> str:
        return obj.partner.instance_id

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return rules.is_overdue(obj.status, obj.deadline, timezone.now())


class RequestDetailOut(RequestOut):
    details: str
    events: list[dict]

    @staticmethod
    def resolve_events(obj) -> list[dict]:
        return [{"at": e.at.isoformat(), "what": e.what, "status": e.status, "note": e.note,
                 "by": e.by_user.username if e.by_user else e.by_partner, "message_id": e.message_id}
                for e in obj.events.select_related("by_user")]


class RequestFilter(Schema):
    direction: str = ""
    overdue: bool = False


class RequestIn(Schema):
    partner: str
    partner_agency: str
    kind: str
    subject: str
    details: str
    deadline: datetime | None = None
    case: int | None = None
    person: int | None = None
    sensitivity: str = "normal"


class StatusIn(Schema):
    status: str
    note: str = ""


@router.get("/requests", response=list[RequestOut])
@paginate
def list_requests(request, filters: Query[RequestFilter]):
    """Requests sent abroad and received from abroad that the caller may see; `overdue=true` for the late ones."""
    return selectors.requests(request.user, direction=filters.direction, overdue=filters.overdue)


@router.get("/requests/{pk}", response=RequestDetailOut)
def get_request(request, pk: int):
    """One request with its text and history (the read is audited)."""
    return selectors.request_detail(request.user, pk)


@router.post("/requests", response={201: RequestOut})
def create_request(request, payload: RequestIn):
    """Send a request to an agency of a partner instance; it leaves through the federation outbox."""
    return Status(201, services.send_request(request.user, payload.dict()))


@router.post("/requests/{pk}/status", response=RequestOut)
def change_status(request, pk: int, payload: StatusIn):
    """Acknowledge, work on, execute or refuse a received request; withdraw one you sent."""
    return services.change_status(request.user, pk, payload.status, payload.note)
