"""Thin views of the TRM: reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from palermo.accounts import roles as R
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.federation.models import Partner
from palermo.protection import selectors as protection_selectors
from palermo.referral import rules, selectors, services
from palermo.referral.models import ContactEntry, OriginContact, PersonMeasure, SopMeasure, StepConsent


def _person(user, pk):
    try:
        return protection_selectors.person(user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


def _is_coordinator_of(user, country: str) -> bool:
    return bool(user.agency_id and user.has_role(R.NATIONAL_COORDINATOR) and user.agency.country == country)


@login_required
def index(request):
    user = request.user
    countries = selectors.countries()
    country = request.GET.get("country") or (user.agency.country if user.agency_id else "")
    country = country if country in countries else (countries[0] if countries else "")
    return render(request, "referral/index.html", {
        **selectors.library(country), "countries": countries, "may_edit": _is_coordinator_of(user, country),
        "persons": protection_selectors.protection_queue(user) if user.has_role(*services.TRM_ROLES) else [],
        "is_coordinator": user.has_role(R.NATIONAL_COORDINATOR)})


def _measure_form(request, measure: SopMeasure | None):
    user = request.user
    country = measure.country if measure else (user.agency.country if user.agency_id else "")
    if not _is_coordinator_of(user, country):
        return HttpResponseForbidden(_("Only the national coordinator of this country edits its SOP library."))
    errors: dict = {}
    if request.method == "POST":
        try:
            saved = (services.edit_measure(user, measure, request.POST) if measure
                     else services.add_measure(user, request.POST))
        except FieldErrors as exc:
            errors = exc.errors
        except NotPermitted as exc:
            return HttpResponseForbidden(str(exc))
        else:
            messages.success(request, _("The SOP library was updated."))
            return redirect(f"/referral/?country={saved.country}#{saved.area}")
    return render(request, "referral/measure_form.html", {
        "measure": measure, "country": country, "areas": rules.SOP_AREAS.items(), "errors": errors,
        "form": request.POST if request.method == "POST" else None,
        "institutions": selectors.library(country)["institutions"]}, status=400 if errors else 200)


@login_required
def measure_edit(request, pk):
    measure = SopMeasure.objects.filter(pk=pk).first()
    if measure is None:
        raise Http404("no such measure")
    return _measure_form(request, measure)


@login_required
def measure_new(request):
    return _measure_form(request, None)


@login_required
@require_POST
def identification_body(request, country):
    try:
        services.edit_identification_body(request.user, country, request.POST)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    except FieldErrors as exc:
        messages.error(request, "; ".join(" ".join(m) for m in exc.errors.values()))
    return redirect(f"/referral/?country={country}")


@login_required
def directory(request):
    country = request.GET.get("country", "")
    rows = selectors.directory(country=country)
    return render(request, "referral/directory.html", {
        "rows": [(e, stale, _is_coordinator_of(request.user, e.country)) for e, stale in rows],
        "countries": selectors.countries(), "country": country, "stale_after": rules.stale_after_days(),
        "areas": rules.SOP_AREAS})


@login_required
@require_POST
def verify_contact(request, pk):
    entry = ContactEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404("no such entry")
    try:
        services.verify_contact(request.user, entry, request.POST)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    except FieldErrors as exc:
        messages.error(request, "; ".join(" ".join(m) for m in exc.errors.values()))
    else:
        messages.success(request, _("Entry verified today."))
    return redirect("referral:directory")


def _partners():
    return [p for p in Partner.objects.filter(status=Partner.ACTIVE)
            if set(services.KIND_TYPES.values()) & set(p.allowed_message_types)]


def _person_context(user, person, errors=None, form=None) -> dict:
    return {"person": person, **selectors.person_overview(user, person), "errors": errors or {}, "form": form or {},
            "library": [(c, selectors.library(c)["areas"]) for c in selectors.countries()],
            "steps": rules.STEPS.items(), "packet_fields": rules.PACKET_FIELDS.items(), "partners": _partners(),
            "authorities": OriginContact.AUTHORITIES, "adherence_labels": rules.ADHERENCE,
            "may_act": user.has_role(*services.TRM_ROLES)}


@login_required
def person_page(request, pk):
    person = _person(request.user, pk)
    try:
        context = _person_context(request.user, person)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    return render(request, "referral/person.html", context)


def _send(actor, person, data):
    partner, _, agency = data.get("to", "").partition("|")
    packet = {f: data.get(f"packet_{f}", "") for f in rules.PACKET_FIELDS}
    return services.send_referral(actor, person, {
        "kind": data.get("kind"), "partner": partner, "partner_agency": agency, "packet": packet,
        "involves_return": data.get("involves_return"), "voluntary": data.get("voluntary")})


def _done(actor, person, data):
    chosen = PersonMeasure.objects.filter(person=person, pk=data.get("chosen") or 0).first() if str(
        data.get("chosen", "")).isdigit() else None
    if chosen is None:
        raise FieldErrors({"chosen": [_("choose one of the person's measures")]})
    return services.mark_done(actor, chosen, data)


def _withdraw(actor, person, data):
    record = StepConsent.objects.filter(person=person, pk=data.get("consent") or 0).first() if str(
        data.get("consent", "")).isdigit() else None
    if record is None:
        raise FieldErrors({"consent": [_("choose one of the person's consent records")]})
    return services.withdraw_step_consent(actor, record)


def _consent(actor, person, data):
    return services.record_step_consent(actor, person, {**data.dict(), "fields": data.getlist("fields")})


PERSON_ACTIONS = {
    "measure": (services.choose_measure, gettext_lazy("Measure chosen.")),
    "done": (_done, gettext_lazy("Measure recorded as done.")),
    "consent": (_consent, gettext_lazy("The person's decision is recorded.")),
    "withdraw": (_withdraw, gettext_lazy("Consent withdrawn.")),
    "notice": (services.record_identity_notice, gettext_lazy("Recorded that the person was informed.")),
    "risk": (services.record_risk_assessment, gettext_lazy("Security and risk assessment recorded.")),
    "origin": (services.contact_origin, gettext_lazy("Contact with the country of origin recorded.")),
    "tracing": (services.start_family_tracing, gettext_lazy("Family tracing started.")),
    "send": (_send, gettext_lazy("The referral is on its way to the receiving country.")),
}


@login_required
@require_POST
def person_action(request, pk, action):
    if action not in PERSON_ACTIONS:
        raise Http404("no such action")
    person = _person(request.user, pk)
    handler, done = PERSON_ACTIONS[action]
    try:
        handler(request.user, person, request.POST)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    except FieldErrors as exc:
        return render(request, "referral/person.html",
                      _person_context(request.user, person, {action: exc.errors}, request.POST), status=400)
    messages.success(request, done)
    return redirect(f"/referral/person/{person.pk}/#{action}")


@login_required
def referral_list(request):
    direction = request.GET.get("direction", "")
    return render(request, "referral/referral_list.html", {
        "rows": selectors.visible_referrals(request.user, direction=direction)[:500], "direction": direction})


@login_required
def referral_detail(request, pk):
    user = request.user
    try:
        found = selectors.referral(user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    errors, packet = {}, None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "read":
                packet = selectors.referral_packet(user, found, request.POST.get("purpose", ""))
            else:
                services.decide_referral(user, found, request.POST.get("status", ""), request.POST.get("reason", ""))
                messages.success(request, _("Your decision is on its way to the referring country."))
                return redirect("referral:referral_detail", found.pk)
        except FieldErrors as exc:
            errors = exc.errors
        except NotPermitted as exc:
            return HttpResponseForbidden(str(exc))
    answers = sorted(rules.KIND_ANSWERS[found.kind]) if (
        found.direction == found.INCOMING and found.status == rules.SENT and found.owner_agency_id == user.agency_id) else []
    return render(request, "referral/referral_detail.html", {
        "ref": found, "packet": packet, "errors": errors, "answers": [(a, rules.STATUSES[a]) for a in answers],
        "form": request.POST}, status=400 if errors else 200)


@login_required
def report(request):
    try:
        data = selectors.adherence_report(request.user)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    return render(request, "referral/report.html", {**data, "labels": rules.ADHERENCE})
