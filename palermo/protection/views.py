"""Thin views of the protection app: reads through selectors, writes through services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from palermo.accounts import roles as R
from palermo.accounts.models import User
from palermo.core import visibility as V
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.protection import selectors, services, vocabulary
from palermo.protection.domain import catalogue, consent, non_punishment, reflection
from palermo.protection.domain._data import load
from palermo.protection.domain.palermo_test import vocabulary as element_vocabulary
from palermo.protection.models import ConsentRecord, ReflectionPeriod


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


def _refer(actor, person, data):
    try:
        provider = selectors.provider(actor, data.get("provider"))
    except NotVisible as exc:
        raise FieldErrors({"provider": ["choose a provider from the directory"]}) from exc
    return services.refer(actor, person, provider, data)


def _assign_case_manager(actor, person, data):
    chosen = User.objects.filter(pk=data.get("case_manager") or 0, agency_id=actor.agency_id).first()
    return services.assign_case_manager(actor, person, chosen)


ACTIONS = {
    "screen": (services.screen_person, "Screening recorded."),
    "finding": (services.record_finding, "Palermo test finding recorded."),
    "decide": (services.decide, "Identification decision recorded."),
    "needs": (services.assess_needs, "Needs assessment recorded."),
    "interview": (services.plan_interview, "Interview planned."),
    "reflection": (services.start_reflection_period, "Reflection period started."),
    "consent": (services.record_consent, "Consent recorded."),
    "refer": (_refer, "Referral sent."),
    "measure": (services.attempt_measure, ""),
    "support_plan": (services.add_support_plan, "Support plan added."),
    "rights": (services.record_rights_information, "Recorded."),
    "child": (services.record_child_safeguards, "Child safeguards recorded."),
    "case_manager": (_assign_case_manager, "Case manager assigned."),
}


def _form_data(request) -> dict:
    data = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    data["indicators"] = request.POST.getlist("indicators")
    return data


def _page_context(request, person, *, errors=None, posted=None) -> dict:
    user = request.user
    overview = selectors.person_overview(user, person)
    age = overview["age_status"]
    population = request.GET.get("population") or ("children" if age.is_child else "adults")
    exploitation = request.GET.get("exploitation") or "labour"
    if population not in catalogue.POPULATIONS or exploitation not in catalogue.EXPLOITATIONS:
        population, exploitation = "adults", "labour"
    default_age, default_uncertain = services.recorded_age(person)
    today = timezone.localdate()
    return {
        "person": person, **overview, "errors": errors or {}, "posted": posted or {},
        "checklist": selectors.indicator_checklist(exploitation, population),
        "population": population, "exploitation": exploitation,
        "default_age": "" if default_age is None else default_age, "default_uncertain": default_uncertain,
        "checked": set((posted or {}).get("indicators") or []),
        "periods": [(p, selectors.reflection_summary(p, today)) for p in overview["reflection_periods"]],
        "independence": reflection.independence_statement(),
        "reflection_rules": reflection.rules().values(),
        "consent_purposes": consent.PURPOSES.items(), "consent_methods": consent.METHODS,
        "providers": selectors.directory(user).filter(accepting_referrals=True),
        "measure_kinds": non_punishment.MEASURES.items(),
        "final_statuses": [(e["code"], e["label"]) for e in load("roles.json")["final_statuses"]],
        "organisation_kinds": [(e["code"], e["label"]) for e in load("roles.json")["decision_organisation_kinds"]],
        "elements": {element: element_vocabulary(element).items() for element in ("act", "means", "purpose")},
        "support_plan_types": vocabulary.choices("support_plan_types"),
        "rights_items": vocabulary.choices("rights_items"), "milestones": vocabulary.choices("milestones"),
        "interviewer_genders": vocabulary.choices("interviewer_genders"),
        "case_managers": User.objects.filter(agency_id=user.agency_id, is_active=True,
                                             roles__icontains=R.CASE_MANAGER).order_by("username"),
        "may_act": user.has_role(*services.PROTECTION_ROLES),
        "may_export": user.has_role(R.CASE_MANAGER, R.SUPERVISOR),
    }


@login_required
def index(request):
    """Persons the user may see that have protection records or a victim role: pseudonyms only."""
    return render(request, "protection/index.html", {
        "rows": selectors.protection_queue(request.user),
        "ending_soon": selectors.periods_ending_soon(request.user, timezone.localdate())})


@login_required
def person_page(request, pk):
    person = _or_404(selectors.person, request.user, pk)
    return render(request, "protection/person.html", _page_context(request, person))


@login_required
@require_POST
def person_action(request, pk, action):
    person = _or_404(selectors.person, request.user, pk)
    if action not in ACTIONS:
        raise Http404("no such action")
    handler, success = ACTIONS[action]
    data = _form_data(request)
    try:
        result = handler(request.user, person, data)
    except FieldErrors as exc:
        context = _page_context(request, person, errors={action: exc.errors}, posted=data)
        return render(request, "protection/person.html", context, status=400)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    if action == "measure":
        (messages.success if result.allowed else messages.error)(request, result.decision)
    else:
        messages.success(request, success)
    return redirect(reverse("protection:person", args=[person.pk]) + f"#{action}")


@login_required
@require_POST
def withdraw_consent(request, pk):
    record = _or_404(selectors.record, request.user, ConsentRecord, pk)
    try:
        services.withdraw_consent(request.user, record)
    except FieldErrors as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    else:
        messages.success(request, "Consent withdrawn.")
    return redirect("protection:person", record.person_id)


@login_required
@require_POST
def renew_period(request, pk):
    record = _or_404(selectors.record, request.user, ReflectionPeriod, pk)
    try:
        services.renew_reflection_period(request.user, record, {"until": request.POST.get("until")})
    except FieldErrors as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    else:
        messages.success(request, "Reflection period renewed.")
    return redirect("protection:person", record.person_id)


@login_required
@require_POST
def referral_status(request, pk):
    referral = _or_404(selectors.referral_for_update, request.user, pk)
    try:
        services.change_referral_status(request.user, referral, {"status": request.POST.get("status"),
                                                                 "reason": request.POST.get("reason")})
    except FieldErrors as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    else:
        messages.success(request, f"Referral {referral.get_status_display().lower()}.")
    if V.can_see(request.user, referral.person):
        return redirect("protection:person", referral.person_id)
    return redirect("protection:directory")


EXPORT_FORMATS = (("html", "Printable page"), ("json", "JSON file"))


@login_required
def export_record(request, pk):
    """What is held about the person: the case manager states why (the export is audited with that
    purpose), then gets a printable page or a JSON file."""
    person = _or_404(selectors.person, request.user, pk)
    if not request.user.has_role(R.CASE_MANAGER, R.SUPERVISOR):
        return HttpResponseForbidden("only a case manager or supervisor hands a person their record")
    form = {"person": person, "formats": EXPORT_FORMATS, "errors": {}, "purpose": request.POST.get("purpose", "")}
    if request.method != "POST":
        return render(request, "protection/export_request.html", form)
    try:
        data = selectors.export_person_record(request.user, person, request.POST.get("purpose"))
    except FieldErrors as exc:
        return render(request, "protection/export_request.html", {**form, "errors": exc.errors}, status=400)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    if request.POST.get("format") == "json":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="record-{person.pseudonym}.json"'
        return response
    return render(request, "protection/export.html", {"person": person, "data": data})


@login_required
def directory(request):
    user = request.user
    context = {"providers": selectors.directory(user), "incoming": selectors.incoming_referrals(user),
               "kinds": vocabulary.choices("provider_kinds"), "errors": {}, "address": None}
    if request.method == "POST":
        try:
            if request.POST.get("reveal"):
                chosen = _or_404(selectors.provider, user, request.POST["reveal"])
                context["address"] = (chosen, selectors.provider_address(user, chosen, request.POST.get("purpose")))
            else:
                services.add_provider(user, {k: request.POST.get(k) for k in request.POST})
                messages.success(request, "Provider added to the directory.")
                return redirect("protection:directory")
        except FieldErrors as exc:
            context["errors"] = exc.errors
            return render(request, "protection/directory.html", context, status=400)
        except NotPermitted as exc:
            return HttpResponseForbidden(str(exc))
    return render(request, "protection/directory.html", context)


@login_required
def coordinator_report(request):
    """The coordinator states why they open the report; the read is audited with that purpose."""
    if not request.user.has_role(R.NATIONAL_COORDINATOR):
        return HttpResponseForbidden("the report is for the national coordinator")
    context = {"report": None, "errors": {}, "purpose": request.POST.get("purpose", "")}
    if request.method == "POST":
        try:
            context["report"] = selectors.coordinator_report(request.user, request.POST.get("purpose"))
        except FieldErrors as exc:
            return render(request, "protection/coordinator_report.html", {**context, "errors": exc.errors}, status=400)
        except NotPermitted as exc:
            return HttpResponseForbidden(str(exc))
    return render(request, "protection/coordinator_report.html", context)
