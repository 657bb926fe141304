"""Writes of the intel app. Each validates first (FieldErrors, NotPermitted), then writes and records
the audit entry inside one transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.accounts.models import Agency
from palermo.audit import services as audit
from palermo.core import visibility
from palermo.core.models import Selector, SelectorLink
from palermo.core.rules import ErrorCollector, FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import check_governance, place_in_compartment, require_role
from palermo.intel import selectors as S
from palermo.intel.deconfliction import Holding, RateLimit, default_limit, selector_hits
from palermo.intel.grading import MODELS, GradingError, Restrictions, derive_restrictions, validate_grade
from palermo.intel.models import (
    CollectionRequirement,
    DeconflictionAlert,
    DeconflictionRefusal,
    IntelligenceReport,
    IntelSettings,
    NetworkTypeJudgement,
    Operation,
    OperationDecision,
    ResolutionLink,
)
from palermo.intel.network.profile import network_types

# --- deconfliction ---------------------------------------------------------------------------------

# A selector tied to a case: held by a person with a role in a case, or by an organisation linked to one.
TIED_TO_CASE = Q(person__roles__case__isnull=False) | Q(organisation__caseorganisation__isnull=False)


def _alert(agency, other_agency, basis: str, match_key: str, raised_by_id=None, **own) -> bool:
    """One alert per receiving agency, other agency and match; returns True when it is new."""
    alert, created = DeconflictionAlert.objects.get_or_create(
        agency=agency, other_agency=other_agency, basis=basis, match_key=match_key,
        defaults={"other_contact_point": other_agency.contact_point or f"{other_agency.name} (no contact point recorded)",
                  "raised_by_id": raised_by_id, **own},
    )
    if created:
        audit.record(None, "deconfliction_alert", alert,
                     details={"basis": basis, "agency": agency.code, "other_agency": other_agency.code,
                              "raised_by_id": raised_by_id})
    return created


def _holdings(value_indexes: list[str] | None) -> dict[str, list[Holding]]:
    """Per blind index held by more than one agency: each agency's selector, whether it is tied to a case,
    and who added it to a case-tied record last."""
    candidates = Selector.objects.filter(value_index__in=value_indexes) if value_indexes else Selector.objects
    shared = list(candidates.values("value_index").annotate(owners=Count("owner_agency", distinct=True))
                  .filter(owners__gt=1).values_list("value_index", flat=True))
    selectors = list(Selector.objects.filter(value_index__in=shared))
    last_tied_addition: dict[int, tuple] = {}
    tied_links = (SelectorLink.objects.filter(selector__in=selectors).filter(TIED_TO_CASE)
                  .order_by("recorded_at", "pk").values_list("selector_id", "recorded_at", "recorded_by_id"))
    for selector_id, recorded_at, recorded_by_id in tied_links:
        last_tied_addition[selector_id] = (recorded_at, recorded_by_id)
    holdings: dict[str, list[Holding]] = defaultdict(list)
    for selector in selectors:
        added_at, added_by = last_tied_addition.get(selector.pk, (None, None))
        holdings[selector.value_index].append(Holding(selector.pk, selector.owner_agency_id,
                                                      selector.pk in last_tied_addition, added_at, added_by))
    return holdings


def scan_deconfliction(value_indexes: list[str] | None = None) -> int:
    """The entry point of deconfliction (inline, from a job, or from `palermo intel deconflict`).

    Alert both owners whenever two agencies hold the same selector (same blind index) on records tied to a
    case, or the same person (an accepted resolution link across agencies). A selector on a record in no
    case alerts nobody, so deconfliction cannot be asked about values put on a throwaway person. Each alert
    keeps who raised it. Idempotent: returns the number of new alerts. With `value_indexes`, only those
    selectors are checked (run as each selector is recorded)."""
    created = 0
    with transaction.atomic():
        agencies = {agency.pk: agency for agency in Agency.objects.all()}
        for value_index, holdings in sorted(_holdings(value_indexes).items()):
            for hit in selector_hits(holdings):
                created += _alert(agencies[hit.agency_id], agencies[hit.other_agency_id], DeconflictionAlert.SELECTOR,
                                  value_index, hit.raised_by, own_selector_id=hit.own_selector_id)
        links = ResolutionLink.objects.none() if value_indexes else ResolutionLink.objects.filter(
            status=ResolutionLink.ACCEPTED).select_related(
            "left__owner_agency", "right__owner_agency")
        for link in links:
            if link.left.owner_agency_id == link.right.owner_agency_id:
                continue
            key = f"resolution-link:{link.pk}"
            created += _alert(link.left.owner_agency, link.right.owner_agency, DeconflictionAlert.ENTITY, key,
                              link.decided_by_id, own_person=link.left)
            created += _alert(link.right.owner_agency, link.left.owner_agency, DeconflictionAlert.ENTITY, key,
                              link.decided_by_id, own_person=link.right)
        if created or not value_indexes:
            audit.record(None, "deconfliction_scan", object_type="intel.deconflictionalert",
                         details={"new_alerts": created, "scope": "recorded selectors" if value_indexes else "all"})
    return created


def deconfliction_limit() -> RateLimit:
    """The per-user limit: the PALERMO_DECONFLICTION_LIMIT setting if given, else the data file's default."""
    configured = getattr(settings, "PALERMO_DECONFLICTION_LIMIT", None)
    return RateLimit.from_dict(configured) if configured else default_limit()


def check_selector_addition_rate(actor, holder, kind: str) -> None:
    """Refuse a selector addition beyond the user's limit of additions (each triggers a deconfliction check)
    over the rolling window. The refusal is kept and audited, for the user's supervisors, even though the
    addition itself is not recorded."""
    limit = deconfliction_limit()
    now = timezone.now()
    recent = list(SelectorLink.objects.filter(recorded_by=actor, recorded_at__gt=now - limit.window)
                  .values_list("recorded_at", flat=True))
    if limit.allows(len(recent)):
        return
    minutes = int(limit.window.total_seconds() // 60)
    with transaction.atomic():
        refusal = DeconflictionRefusal.objects.create(
            agency_id=actor.agency_id, user=actor, kind=kind, holder_label=getattr(holder, "pseudonym", "")
            or getattr(holder, "name", ""), additions_in_window=len(recent), limit=limit.additions,
            window_minutes=minutes)
        audit.record(actor, "deconfliction_refused", refusal, details={
            "kind": kind, "additions_in_window": len(recent), "limit": limit.additions, "window_minutes": minutes})
    again = timezone.localtime(limit.next_allowed_at(recent) or now).strftime("%H:%M")
    raise FieldErrors({"value": [
        f"You have added {len(recent)} selectors in the last {minutes} minutes, the most that may trigger "
        f"deconfliction checks in that time, so this one was not recorded. Your supervisor sees this in the "
        f"deconfliction report. You can add selectors again from {again}."]})


def acknowledge_alert(actor, pk) -> DeconflictionAlert:
    require_role(actor, S.DECONFLICTION_ROLES, "acknowledge deconfliction alerts")
    try:
        alert = S.deconfliction_alerts(actor).get(pk=int(pk))
    except (DeconflictionAlert.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible("no such alert") from exc
    if alert.acknowledged_at is not None:
        raise FieldErrors({"alert": ["already acknowledged"]})
    with transaction.atomic():
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(actor, "acknowledge_alert", alert)
    return alert


# --- grading settings, intelligence reports, collection requirements ----------------------------------

REPORTING_ROLES = frozenset({R.ANALYST, R.INVESTIGATOR, R.SUPERVISOR, R.PROSECUTOR, R.NATIONAL_COORDINATOR})
REQUIRING_ROLES = frozenset({R.ANALYST, R.SUPERVISOR})
SETTINGS_ROLES = frozenset({R.SUPERVISOR, R.ADMINISTRATOR})


def set_grading_model(actor, model: str) -> IntelSettings:
    require_role(actor, SETTINGS_ROLES, "choose the agency's grading model")
    if model not in MODELS:
        raise FieldErrors({"grading_model": [f"choose one of {', '.join(MODELS)}"]})
    with transaction.atomic():
        found, _ = IntelSettings.objects.update_or_create(agency_id=actor.agency_id, defaults={"grading_model": model})
        audit.record(actor, "set_grading_model", object_type="intel.intelsettings", object_id=str(found.pk),
                     details={"grading_model": model})
    return found


def _date(errors: ErrorCollector, field: str, raw) -> date | None:
    if isinstance(raw, date):
        return raw
    if not raw:
        errors.add(field, "required")
        return None
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        errors.add(field, "use YYYY-MM-DD")
        return None


def _text(errors: ErrorCollector, data: dict, field: str, limit: int, required: bool = True) -> str:
    value = (data.get(field) or "").strip()
    if required and not value:
        errors.add(field, "required")
    if len(value) > limit:
        errors.add(field, f"at most {limit} characters")
    return value


def _ids(errors: ErrorCollector, field: str, raw) -> set[int]:
    """Record ids as typed or posted; anything that is not a whole number is a field error, not a crash."""
    try:
        return {int(str(value).strip()) for value in raw or []}
    except (TypeError, ValueError):
        errors.add(field, "give record numbers")
        return set()


def _next_reference(agency_code: str) -> str:
    prefix = f"{agency_code.upper()}-IR-"
    count = IntelligenceReport.objects.filter(reference__startswith=prefix).count()
    while True:
        count += 1
        candidate = f"{prefix}{count:04d}"
        if not IntelligenceReport.objects.filter(reference=candidate).exists():
            return candidate


def create_report(actor, data: dict, *, today: date | None = None) -> IntelligenceReport:
    """Grade under the agency's model; a report derived from others inherits their strictest handling,
    the union of their conditions, their sensitivity floor, and cannot become evidence if any parent is not."""
    require_role(actor, REPORTING_ROLES, "write intelligence reports")
    today = today or timezone.localdate()
    errors = ErrorCollector()
    title = _text(errors, data, "title", 200)
    body = _text(errors, data, "body", 20000)
    source = _text(errors, data, "source_description", 300)
    kind = data.get("kind") or ""
    if kind not in dict(IntelligenceReport.KINDS):
        errors.add("kind", "choose information (as received) or intelligence (analysed)")
    review_on, expires_on = _date(errors, "review_on", data.get("review_on")), _date(errors, "expires_on", data.get("expires_on"))
    if review_on and review_on < today:
        errors.add("review_on", "cannot be in the past")
    if review_on and expires_on and expires_on <= review_on:
        errors.add("expires_on", "must be after the review date")
    model = S.grading_model_of(actor.agency)
    grade = None
    try:
        grade = validate_grade(model, data.get("grade") or {})
    except GradingError as exc:
        errors.errors.setdefault("grade", []).extend(exc.problems)
    wanted_parents = _ids(errors, "derived_from", data.get("derived_from"))
    parents = list(S.report_list(actor).filter(pk__in=wanted_parents))
    if len(parents) != len(wanted_parents):
        errors.add("derived_from", "no such report among those you may see")
    if parents and kind == IntelligenceReport.INFORMATION:
        errors.add("kind", "a report derived from other reports is analysed intelligence")
    usable_as_evidence = bool(data.get("usable_as_evidence"))
    if usable_as_evidence and any(not p.usable_as_evidence for p in parents):
        errors.add("usable_as_evidence", "a parent report may not be used as evidence, so neither may this one")
    sensitivity = data.get("sensitivity") or R.NORMAL
    check_governance(errors, actor, sensitivity, data.get("compartment"))
    floor = max((p.sensitivity for p in parents), key=R.SENSITIVITY_RANK.get, default=R.NORMAL)
    if sensitivity in R.SENSITIVITY_RANK and R.SENSITIVITY_RANK[sensitivity] < R.SENSITIVITY_RANK[floor]:
        errors.add("sensitivity", f"at least {floor}: derived reports keep their parents' sensitivity")
    requirement = None
    if data.get("requirement"):
        wanted_requirement = _ids(errors, "requirement", [data["requirement"]])
        requirement = S.requirement_list(actor).filter(pk__in=wanted_requirement).first()
        if requirement is None and wanted_requirement:
            errors.add("requirement", "no such collection requirement among those you may see")
    errors.raise_if_any()
    restrictions = grade.restrictions
    if parents:
        restrictions = derive_restrictions([restrictions, *(Restrictions(p.handling_code, tuple(p.handling_conditions))
                                                            for p in parents)])
    with transaction.atomic():
        report = IntelligenceReport.objects.create(
            owner_agency_id=actor.agency_id, sensitivity=sensitivity, created_by=actor,
            reference=_next_reference(actor.agency.code), title=title, kind=kind, body=body,
            source_description=source, grading_model=model, grade_codes=dict(grade.codes), grade_code=grade.code,
            handling_code=restrictions.handling, handling_conditions=list(restrictions.conditions),
            usable_as_evidence=usable_as_evidence, review_on=review_on, expires_on=expires_on,
            requirement=requirement,
        )
        report.derived_from.set(parents)
        place_in_compartment(actor, report, data.get("compartment"))
        if requirement is not None and requirement.status == CollectionRequirement.OPEN:
            requirement.status = CollectionRequirement.ANSWERED
            requirement.save(update_fields=["status"])
        audit.record(actor, "create", report, details={
            "grade": report.grade_code, "handling": report.handling_code, "parents": [p.pk for p in parents],
            "requirement_id": requirement.pk if requirement else None})
    return report


def create_requirement(actor, data: dict, *, today: date | None = None) -> CollectionRequirement:
    """An analyst's question for collectors; answers are reports that name it."""
    require_role(actor, REQUIRING_ROLES, "set collection requirements")
    errors = ErrorCollector()
    title = _text(errors, data, "title", 200)
    question = _text(errors, data, "question", 5000)
    priority = data.get("priority") or "medium"
    if priority not in ("high", "medium", "low"):
        errors.add("priority", "choose high, medium or low")
    due_on = _date(errors, "due_on", data.get("due_on")) if data.get("due_on") else None
    if due_on and due_on < (today or timezone.localdate()):
        errors.add("due_on", "cannot be in the past")
    sensitivity = data.get("sensitivity") or R.NORMAL
    check_governance(errors, actor, sensitivity, data.get("compartment"))
    errors.raise_if_any()
    with transaction.atomic():
        requirement = CollectionRequirement.objects.create(
            owner_agency_id=actor.agency_id, sensitivity=sensitivity, created_by=actor, title=title,
            question=question, priority=priority, due_on=due_on)
        place_in_compartment(actor, requirement, data.get("compartment"))
        audit.record(actor, "create", requirement, details={"priority": priority})
    return requirement


# --- operations --------------------------------------------------------------------------------------

OPERATION_ROLES = frozenset({R.INVESTIGATOR, R.SUPERVISOR})


def create_operation(actor, data: dict) -> Operation:
    """An operation is always secret and lives in one of the agency's compartments the actor is in."""
    require_role(actor, OPERATION_ROLES, "plan operations")
    errors = ErrorCollector()
    name = _text(errors, data, "name", 200)
    objective = _text(errors, data, "objective", 5000)
    victim_risk = _text(errors, data, "victim_risk_assessment", 5000)
    operation_risk = _text(errors, data, "operation_risk_assessment", 5000)
    compartment = data.get("compartment")
    check_governance(errors, actor, R.SECRET, compartment)
    if compartment is not None and not compartment.members.filter(pk=actor.pk).exists():
        errors.add("compartment", "you must be a member of the operation's compartment")
    wanted = {int(pk) for pk in data.get("targets") or []}
    targets = list(visibility.persons(actor).filter(pk__in=wanted))
    if len(targets) != len(wanted):
        errors.add("targets", "no such person among those you may see")
    case = data.get("case")
    if case is not None and not visibility.can_see(actor, case):
        errors.add("case", "no such case among those you may see")
    errors.raise_if_any()
    with transaction.atomic():
        operation = Operation.objects.create(
            owner_agency_id=actor.agency_id, sensitivity=R.SECRET, created_by=actor, name=name,
            compartment=compartment, objective=objective, victim_risk_assessment=victim_risk,
            operation_risk_assessment=operation_risk, case=case)
        operation.targets.set(targets)
        place_in_compartment(actor, operation, compartment)
        audit.record(actor, "create", operation, details={"targets": len(targets), "compartment_id": compartment.pk})
    return operation


def record_decision(actor, operation_pk, decision: str, rationale: str) -> OperationDecision:
    """Adds to the decision log: who decided what, why; the time is set by the server."""
    require_role(actor, OPERATION_ROLES, "record operational decisions")
    operation = S.operation_list(actor).filter(pk=operation_pk).first()
    if operation is None:
        raise NotVisible("no such operation")
    errors = ErrorCollector()
    decision = _text(errors, {"decision": decision}, "decision", 2000)
    rationale = _text(errors, {"rationale": rationale}, "rationale", 5000)
    errors.raise_if_any()
    with transaction.atomic():
        entry = OperationDecision.objects.create(operation=operation, decision=decision, rationale=rationale,
                                                 decided_by=actor)
        audit.record(actor, "record_decision", operation, details={"decision_id": entry.pk})
    return entry


# --- network type judgements -----------------------------------------------------------------------

JUDGING_ROLES = frozenset({R.ANALYST, R.SUPERVISOR})


def record_network_type_judgement(actor, data: dict, scope: dict | None = None, *,
                                  today: date | None = None) -> NetworkTypeJudgement:
    """Keep an analyst's dated call on the network's type with the structural facts of the network they
    saw (recomputed here, never taken from the caller) and the filters that produced it. `scope` holds the
    filter as typed (start, end, countries, roles, undated); its errors are reported with the others."""
    require_role(actor, JUDGING_ROLES, "record a judgement of network type")
    today = today or timezone.localdate()
    errors = ErrorCollector()
    wanted = S.network_filter()
    try:
        wanted = S.network_filter_from(**(scope or {}))
    except FieldErrors as exc:
        for field, messages in exc.errors.items():
            errors.errors.setdefault(field, []).extend(messages)
    network_type = (data.get("network_type") or "").strip()
    if network_type not in network_types():
        errors.add("network_type", f"choose one of {', '.join(network_types())}")
    judged_on = _date(errors, "judged_on", data.get("judged_on") or today)
    if judged_on and judged_on > today:
        errors.add("judged_on", "cannot be in the future")
    rationale = _text(errors, data, "rationale", 5000)
    sensitivity = data.get("sensitivity") or R.NORMAL
    check_governance(errors, actor, sensitivity, data.get("compartment"))
    errors.raise_if_any()
    view = S.network_view(actor, wanted)
    with transaction.atomic():
        judgement = NetworkTypeJudgement.objects.create(
            owner_agency_id=actor.agency_id, sensitivity=sensitivity, created_by=actor, analyst=actor,
            network_type=network_type, judged_on=judged_on, rationale=rationale,
            structural_profile=S.profile_details(view.profile), scope=S.filter_details(wanted))
        place_in_compartment(actor, judgement, data.get("compartment"))
        audit.record(actor, "judge_network_type", judgement, details={
            "network_type": network_type, "judged_on": judged_on.isoformat(), "scope": judgement.scope})
    return judgement


# --- entity-resolution decisions ---------------------------------------------------------------------

MERGE_DECISIONS = (ResolutionLink.ACCEPTED, ResolutionLink.REJECTED, ResolutionLink.SPLIT)


def decide_merge(actor, left_pk, right_pk, status: str, reason: str = "") -> ResolutionLink:
    """Record (or reverse) a reviewer's decision on a pair. Both persons must be visible to the
    reviewer: nothing is merged across a boundary they cannot see. A merge across agencies alerts both."""
    require_role(actor, R.IDENTITY_REVEALING_ROLES, "review proposed merges")
    if status not in MERGE_DECISIONS:
        raise FieldErrors({"status": [f"choose one of {', '.join(MERGE_DECISIONS)}"]})
    try:
        left, right = sorted((int(left_pk), int(right_pk)))
    except (TypeError, ValueError) as exc:
        raise NotVisible("no such person") from exc
    persons = {p.pk: p for p in visibility.persons(actor).filter(pk__in=(left, right))}
    if left == right or len(persons) != 2:
        raise NotVisible("no such pair of persons")
    existing = ResolutionLink.objects.filter(left_id=left, right_id=right).first()
    if status == ResolutionLink.SPLIT and (existing is None or existing.status != ResolutionLink.ACCEPTED):
        raise FieldErrors({"status": ["only a merged pair can be split"]})
    evidence = S.resolution_evidence(actor).get((left, right)) if existing is None else None
    with transaction.atomic():
        previous = existing.status if existing else None
        if existing is None:
            existing = ResolutionLink(
                left_id=left, right_id=right, match_probability=evidence.match_probability if evidence else 0.0,
                evidence_for=list(evidence.evidence_for) if evidence else [],
                evidence_against=list(evidence.evidence_against) if evidence else [])
        existing.status, existing.decided_by, existing.reason = status, actor, (reason or "").strip()
        existing.save()
        audit.record(actor, f"resolution_{status}", existing, details={
            "left": persons[left].pseudonym, "right": persons[right].pseudonym, "previous": previous})
    if status == ResolutionLink.ACCEPTED:
        scan_deconfliction()
    return existing
