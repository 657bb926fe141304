"""Reads of the intel app. Every queryset starts from palermo.core.visibility; reads of operation
plans are audited before they are returned."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.audit import services as audit
from palermo.core import selectors as core_selectors
from palermo.core import visibility as V
from palermo.core import vocab
from palermo.core.rules import ErrorCollector
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.intel.grading import MODELS, Grade, Restrictions, comparison_note, grading_model
from palermo.intel.models import (
    CollectionRequirement,
    DeconflictionAlert,
    DeconflictionRefusal,
    IntelligenceReport,
    IntelSettings,
    NetworkTypeJudgement,
    Operation,
    ResolutionLink,
)
from palermo.intel.network import (
    CriticalNodesReport,
    EdgeRecord,
    NetworkFilter,
    NodeRecord,
    ReportSettings,
    analyse,
    apply_filter,
    load_vocabulary,
    report_from_analysis,
)
from palermo.intel.network.export import cytoscape_elements, write_edges_csv, write_graphml, write_nodes_csv
from palermo.intel.network.profile import StructuralProfile, network_types, structural_profile

# Who receives deconfliction alerts: the operational roles, not hotline operators or shelter staff.
DECONFLICTION_ROLES = frozenset({R.ANALYST, R.INVESTIGATOR, R.SUPERVISOR, R.PROSECUTOR, R.NATIONAL_COORDINATOR})
# Who reads the report of who raised which hits: the agency's supervisors.
REPORT_ROLES = frozenset({R.SUPERVISOR})
RESTRICTED_RECORD = "a restricted record"


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(f"no such {queryset.model._meta.verbose_name}") from exc


# --- the network graph -----------------------------------------------------------------------------


def network_records(user) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    """The link graph of what `user` may see: persons, organisations, cases, events and selectors.

    The same phone (or e-mail, account…) held in several agencies' records is one selector node, so a
    selector shared by two visible persons ties them. A person's country is the jurisdiction of the
    agency that recorded them (where they were seen operating), never their citizenship.
    """
    vocabulary = load_vocabulary()
    known_roles = set(vocabulary.role_labels)
    nodes: dict[str, NodeRecord] = {}
    edges: list[EdgeRecord] = []

    roles_by_person: dict[int, set[str]] = {}
    person_roles = V.person_roles(user).select_related("case")
    for role in person_roles:
        codes = roles_by_person.setdefault(role.person_id, set())
        codes.update(c for c in [role.role, *role.perpetrator_roles] if c in known_roles)
    for person in V.persons(user).select_related("owner_agency"):
        nodes[f"person:{person.pk}"] = NodeRecord(
            id=f"person:{person.pk}", kind="person", label=person.pseudonym, country=person.owner_agency.country,
            roles=tuple(sorted(roles_by_person.get(person.pk, ()))))
    for org in V.organisations(user):
        nodes[f"organisation:{org.pk}"] = NodeRecord(
            id=f"organisation:{org.pk}", kind="organisation", label=org.name, country=org.country,
            organisation_type=org.org_type if org.org_type in vocabulary.organisation_type_labels else "")
    for case in V.cases(user):
        nodes[f"case:{case.pk}"] = NodeRecord(id=f"case:{case.pk}", kind="case", label=case.reference)
    for event in V.case_events(user):
        node_id = f"event:{event.pk}"
        nodes[node_id] = NodeRecord(id=node_id, kind="event", country=event.country,
                                    label=f"{event.stage} {event.place}".strip())
        edges.append(EdgeRecord(node_id, f"case:{event.case_id}", "appears_in", date=event.occurred_on))
    for role in person_roles:
        if role.case_id:
            edges.append(EdgeRecord(f"person:{role.person_id}", f"case:{role.case_id}", "appears_in",
                                    date=role.started_on))
    for link in V.case_organisations(user):
        edges.append(EdgeRecord(f"organisation:{link.organisation_id}", f"case:{link.case_id}", "appears_in"))
    for link in V.selector_links(user).select_related("selector"):
        selector_id = f"selector:{link.selector.value_index[:16]}"
        nodes.setdefault(selector_id, NodeRecord(id=selector_id, kind="selector", label=link.selector.kind))
        holder = f"person:{link.person_id}" if link.person_id else f"organisation:{link.organisation_id}"
        edges.append(EdgeRecord(holder, selector_id, "uses_selector", date=link.observed_on))
    unique_edges = list(dict.fromkeys(edges))
    return list(nodes.values()), unique_edges


@dataclass
class NetworkView:
    nodes: list[NodeRecord]
    edges: list[EdgeRecord]
    report: CriticalNodesReport
    profile: StructuralProfile
    filter: NetworkFilter

    @property
    def elements(self) -> list[dict]:
        return cytoscape_elements(self.nodes, self.edges, self.report)


def network_filter(start: date | None = None, end: date | None = None, countries=(), roles=(),
                   include_undated: bool = True) -> NetworkFilter:
    return NetworkFilter(start=start, end=end, countries=frozenset(c.upper() for c in countries if c),
                         roles=frozenset(r for r in roles if r), include_undated=include_undated)


def network_filter_from(start: str = "", end: str = "", countries=(), roles=(), undated: str = "") -> NetworkFilter:
    """The filter an analyst typed, checked field by field (FieldErrors for every bad part)."""
    errors = ErrorCollector()
    dates = {}
    for field, raw in (("start", start), ("end", end)):
        try:
            dates[field] = date.fromisoformat(raw.strip()) if raw and raw.strip() else None
        except ValueError:
            errors.add(field, "use YYYY-MM-DD")
    if dates.get("start") and dates.get("end") and dates["end"] < dates["start"]:
        errors.add("end", "cannot be before the start")
    countries = [c.strip().upper() for c in countries if c and c.strip()]
    bad = [c for c in countries if not vocab.is_country(c)]
    if bad:
        errors.add("countries", f"not ISO 3166 country codes: {', '.join(bad)}")
    roles = [r.strip() for r in roles if r and r.strip()]
    unknown = [r for r in roles if r not in load_vocabulary().role_labels]
    if unknown:
        errors.add("roles", f"unknown role(s): {', '.join(unknown)}")
    if undated not in ("", "include", "exclude"):
        errors.add("undated", "choose include or exclude")
    errors.raise_if_any()
    return network_filter(dates.get("start"), dates.get("end"), countries, roles, include_undated=undated != "exclude")


def role_choices() -> list[tuple[str, str]]:
    return sorted(load_vocabulary().role_labels.items(), key=lambda item: item[1])


def network_view(user, wanted: NetworkFilter) -> NetworkView:
    """The filtered graph, its critical-nodes report and the structural facts that inform a judgement of
    network type, from one analysis computed on request (demo-sized graphs)."""
    nodes, edges = apply_filter(*network_records(user), wanted)
    settings = ReportSettings()
    analysis = analyse(nodes, edges, settings)
    return NetworkView(nodes, edges, report_from_analysis(analysis, settings), structural_profile(analysis), wanted)


def filter_details(wanted: NetworkFilter) -> dict:
    """The filter as JSON: what an export or a judgement was made on."""
    return {"start": wanted.start.isoformat() if wanted.start else None,
            "end": wanted.end.isoformat() if wanted.end else None,
            "countries": sorted(wanted.countries), "roles": sorted(wanted.roles),
            "undated": "include" if wanted.include_undated else "exclude"}


def profile_details(profile: StructuralProfile) -> dict:
    return asdict(profile) | {"facts": list(profile.facts)}


def network_type_guide() -> list[tuple[str, dict[str, str]]]:
    """(code, {label, look_for}) of each type an analyst may choose: guidance, not a rule."""
    return list(network_types().items())


def network_type_judgements(user) -> QuerySet[NetworkTypeJudgement]:
    """Past judgements the user may see, newest first."""
    return V.visible(NetworkTypeJudgement.objects.all(), user).select_related("analyst", "owner_agency")


def export_network(user, wanted: NetworkFilter, fmt: str) -> tuple[bytes, dict]:
    """GraphML, nodes CSV or edges CSV of the filtered graph the user may see, and what its audit entry
    records (the export job audits it, with the purpose the user stated, when the file is ready)."""
    nodes, edges = apply_filter(*network_records(user), wanted)
    details = {"format": fmt, "nodes": len(nodes), "edges": len(edges), **filter_details(wanted)}
    if fmt == "graphml":
        out = io.BytesIO()
        write_graphml(nodes, edges, out)
        return out.getvalue(), details
    text = io.StringIO()
    (write_nodes_csv(nodes, text) if fmt == "nodes.csv" else write_edges_csv(edges, text))
    return text.getvalue().encode("utf-8"), details


# --- deconfliction ---------------------------------------------------------------------------------


def deconfliction_alerts(user) -> QuerySet[DeconflictionAlert]:
    """Alerts addressed to the user's agency about records of its own that the user may see."""
    if not (user.is_authenticated and user.agency_id and user.has_role(*DECONFLICTION_ROLES)):
        return DeconflictionAlert.objects.none()
    return (DeconflictionAlert.objects.filter(agency_id=user.agency_id)
            .filter(Q(own_selector__in=V.selectors(user)) | Q(own_person__in=V.persons(user)))
            .select_related("other_agency", "own_selector", "own_person", "acknowledged_by"))


def alert_holders(user, alert: DeconflictionAlert) -> list[str]:
    """Labels of the user's own agency's holders of the selector (what the user already may see)."""
    if alert.own_person_id:
        return [alert.own_person.pseudonym]
    links = V.selector_links(user).filter(selector_id=alert.own_selector_id).select_related("person", "organisation")
    return sorted({link.person.pseudonym if link.person_id else link.organisation.name for link in links})


@dataclass
class HitRow:
    """One hit in the supervisor's report: who raised it (named only when they are of the supervisor's own
    agency), against which of the agency's records, and which other agency holds the same."""

    alert: DeconflictionAlert
    raised_by_label: str
    raised_by_agency: str
    own_record: str


@dataclass
class DeconflictionReport:
    hits: list[HitRow]
    refusals: list[DeconflictionRefusal]


def _own_record_label(user, alert: DeconflictionAlert) -> str:
    if alert.own_person_id:
        return alert.own_person.pseudonym if V.can_see(user, alert.own_person) else RESTRICTED_RECORD
    holders = alert_holders(user, alert)
    return f"{alert.own_selector.kind} selector held by {', '.join(holders)}" if holders else RESTRICTED_RECORD


def deconfliction_report(user) -> DeconflictionReport:
    """For a supervisor: every hit delivered to the agency with who raised it, and the selector additions of
    the agency's users refused by the rate limit. Reading the report is audited before it is returned."""
    if not (user.is_authenticated and user.agency_id and user.has_role(*REPORT_ROLES)):
        raise NotPermitted("only a supervisor of the agency reads the deconfliction report")
    alerts = (DeconflictionAlert.objects.filter(agency_id=user.agency_id)
              .select_related("other_agency", "own_selector", "own_person", "raised_by__agency")
              .order_by("-created_at", "-pk"))
    hits = []
    for alert in alerts:
        raiser = alert.raised_by
        own_agency = raiser is not None and raiser.agency_id == user.agency_id
        hits.append(HitRow(alert, raiser.username if own_agency else "",
                           raiser.agency.code if raiser is not None and raiser.agency_id else "",
                           _own_record_label(user, alert)))
    refusals = list(DeconflictionRefusal.objects.filter(agency_id=user.agency_id).select_related("user"))
    with transaction.atomic():
        audit.record(user, "view_sensitive", object_type="intel.deconfliction_report",
                     details={"hits": len(hits), "refusals": len(refusals)})
    return DeconflictionReport(hits, refusals)


def recent_refusal_count(user, days: int = 7) -> int:
    """How many selector additions of the agency's users the rate limit refused lately (supervisors only)."""
    if not (user.is_authenticated and user.agency_id and user.has_role(*REPORT_ROLES)):
        return 0
    since = timezone.now() - timedelta(days=days)
    return DeconflictionRefusal.objects.filter(agency_id=user.agency_id, refused_at__gte=since).count()


# --- reports, requirements, operations --------------------------------------------------------------


def grading_model_of(agency) -> str:
    found = IntelSettings.objects.filter(agency=agency).first()
    return found.grading_model if found else "3x5x2"


def report_list(user) -> QuerySet[IntelligenceReport]:
    return V.visible(IntelligenceReport.objects.all(), user).select_related("owner_agency", "requirement")


def report_detail(user, pk) -> IntelligenceReport:
    return _get(report_list(user), pk)


def visible_parents(user, report: IntelligenceReport) -> QuerySet[IntelligenceReport]:
    return report_list(user).filter(derivatives=report)


def visible_derivatives(user, report: IntelligenceReport) -> QuerySet[IntelligenceReport]:
    return report_list(user).filter(derived_from=report)


def requirement_list(user) -> QuerySet[CollectionRequirement]:
    return V.visible(CollectionRequirement.objects.all(), user).select_related("owner_agency", "created_by")


def requirement_detail(user, pk) -> CollectionRequirement:
    return _get(requirement_list(user), pk)


def requirement_answers(user, requirement: CollectionRequirement) -> QuerySet[IntelligenceReport]:
    return report_list(user).filter(requirement=requirement)


def operation_list(user) -> QuerySet[Operation]:
    """Names and status only: opening one reads the plan, which is audited."""
    return V.visible(Operation.objects.all(), user).select_related("owner_agency", "compartment")


def operation_summary(user, pk) -> Operation:
    """Name, status and compartment only: what the list shows, not audited."""
    return _get(operation_list(user), pk)


def operation_plan(user, pk, purpose: str) -> Operation:
    """The plan (objective, targets, risk assessments, decisions), for the purpose the user stated. The
    read is audited before returning."""
    operation = _get(operation_list(user), pk)
    purpose = core_selectors.stated_purpose(purpose)
    with transaction.atomic():
        audit.record(user, "view_sensitive", operation, purpose=purpose)
    return operation


def operation_targets(user, operation: Operation):
    return V.persons(user).filter(pk__in=operation.targets.values("pk"))


def read_report(user, pk, purpose: str) -> IntelligenceReport:
    """A report's content, for the purpose the user stated; the read is audited (reports may describe
    sources) before returning."""
    report = report_detail(user, pk)
    purpose = core_selectors.stated_purpose(purpose)
    with transaction.atomic():
        audit.record(user, "view_sensitive", report, purpose=purpose)
    return report


def report_restrictions(report: IntelligenceReport) -> list[str]:
    """What travels with the report wherever it is shown."""
    shown = [f"Handling {report.handling_code}: " + ("sharing permitted" if report.handling_code == "P"
                                                     else "sharing only under these conditions")]
    shown += list(report.handling_conditions)
    shown.append("May be used as evidence (originator's consent recorded)" if report.usable_as_evidence
                 else "Intelligence only: not for use as evidence")
    return shown


def grading_models() -> list[dict]:
    """Each model's code, label and dimensions, for the agency settings page."""
    return [grading_model(model) for model in MODELS]


def grading_comparison_notes() -> list[str]:
    """Why a grade under one model is never converted into the other (re-graded by an analyst instead)."""
    return [comparison_note(aspect) for aspect in ("source", "information", "handling")]


def grading_dimensions(model: str) -> list[tuple[str, dict]]:
    """(field name, {label, codes}) of each dimension of the model, for forms."""
    return list(grading_model(model)["dimensions"].items())


def grade_labels(report: IntelligenceReport) -> dict[str, str]:
    return Grade(report.grading_model, report.grade_codes,
                 Restrictions(report.handling_code, tuple(report.handling_conditions))).labels()


# --- entity-resolution review queue ------------------------------------------------------------------


def _resolution_record(person) -> dict:
    """A person as the resolver's input row; identity is decrypted here, in memory only."""
    dob = person.date_of_birth or {}
    documents = person.documents or []
    contact = person.contact or {}
    return {"record_id": str(person.pk), "source": person.owner_agency.code, "given_name": person.given_name,
            "family_name": person.family_name, "date_of_birth": dob.get("value", "") if isinstance(dob, dict) else "",
            "nationality": (person.citizenship or [""])[0], "gender": person.gender,
            "phone": contact.get("phone", "") if isinstance(contact, dict) else "",
            "email": contact.get("email", "") if isinstance(contact, dict) else "",
            "document_number": (documents[0] or {}).get("number", "") if documents and isinstance(documents[0], dict) else ""}


def _pair_key(left: int, right: int) -> tuple[int, int]:
    return (left, right) if left < right else (right, left)


def resolution_evidence(user) -> dict[tuple[int, int], object]:
    """Evidence for and against every candidate pair among the persons the user may see (nothing
    else is compared), keyed by the ordered pair of person ids."""
    from palermo.intel.resolution.pipeline import pairwise_evidence

    persons = list(V.persons(user).select_related("owner_agency").exclude(given_name="", family_name=""))
    records = [_resolution_record(p) for p in persons if p.given_name or p.family_name]
    return {_pair_key(int(e.record_id_left), int(e.record_id_right)): e for e in pairwise_evidence(records)}


def resolution_queue(user) -> list[dict]:
    """Proposed merges not yet decided, strongest first, by pseudonym and by how each field compared —
    never the names, dates or numbers compared (a reviewer reveals a person on demand, with a purpose).
    The comparison is derived from identities, so reading the queue is audited."""
    from palermo.intel.resolution.explain import HOUSEHOLD_RULE

    if not user.has_role(*R.IDENTITY_REVEALING_ROLES):
        return []
    decided = {(link.left_id, link.right_id) for link in ResolutionLink.objects.all()}
    by_id = {p.pk: p for p in V.persons(user).select_related("owner_agency")}
    proposals = [{"left": by_id[a], "right": by_id[b], "match_probability": e.match_probability,
                  "merge_allowed": e.merge_allowed, "comparisons": list(e.comparisons),
                  "household_rule": "" if e.merge_allowed else HOUSEHOLD_RULE}
                 for (a, b), e in resolution_evidence(user).items() if (a, b) not in decided]
    with transaction.atomic():
        audit.record(user, "view_sensitive", object_type="intel.resolution_queue",
                     details={"proposals": len(proposals)})
    return proposals


def resolution_links(user) -> QuerySet[ResolutionLink]:
    """Decisions about pairs the user can see both sides of."""
    visible_persons = V.persons(user)
    return ResolutionLink.objects.filter(left__in=visible_persons, right__in=visible_persons).select_related(
        "left", "right", "decided_by")
